//! Unsigned LEB128 numbers: seven bits a byte, low bits first, the high
//! bit set on every byte but the last. Small numbers (the gaps between
//! sorted word or page numbers) take one byte.

/// Appends `n`.
pub fn push(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Bytes `push` takes for `n`.
pub fn len(n: u64) -> usize {
    (64 - n.max(1).leading_zeros() as usize).div_ceil(7).max(1)
}

/// Reads a number `push` wrote; none at the end of `bytes` or past 64
/// bits.
pub fn read(bytes: &mut std::slice::Iter<'_, u8>) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.next()?;
        n |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(n);
        }
    }
    None
}

/// Reads a list of rising numbers, each written as the gap from the one
/// before (from 0) and then a byte: how a body's prose words (with their
/// counts) and a build's postings (with their impacts) are packed. Ends
/// at the end of `bytes`, at a number cut short, or past `u32`.
pub fn rising(bytes: &[u8]) -> impl Iterator<Item = (u32, u8)> + '_ {
    let mut bytes = bytes.iter();
    let mut n = 0u32;
    std::iter::from_fn(move || {
        let gap = u32::try_from(read(&mut bytes)?).ok()?;
        n = n.checked_add(gap)?;
        Some((n, *bytes.next()?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_in_as_many_bytes_as_len_says() {
        let numbers = [
            0,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX,
        ];
        let mut bytes = Vec::new();
        for n in numbers {
            let before = bytes.len();
            push(&mut bytes, n);
            assert_eq!(bytes.len() - before, len(n), "{n}");
        }
        assert_eq!(bytes[..5], [0, 1, 127, 0x80, 0x01]);
        assert_eq!(bytes[5..7], [0xac, 0x02], "300");
        let mut iter = bytes.iter();
        for n in numbers {
            assert_eq!(read(&mut iter), Some(n));
        }
        assert_eq!(read(&mut iter), None);
        assert_eq!(read(&mut [0x80u8, 0x80].iter()), None, "cut short");
        assert_eq!(read(&mut [0xffu8; 11].iter()), None, "past 64 bits");
    }

    #[test]
    fn rising_numbers_are_read_back_from_their_gaps() {
        let mut bytes = Vec::new();
        let mut last = 0;
        for (n, byte) in [(3u32, 9u8), (3, 1), (300, 255), (u32::MAX, 7)] {
            push(&mut bytes, u64::from(n - last));
            bytes.push(byte);
            last = n;
        }
        let read: Vec<_> = rising(&bytes).collect();
        assert_eq!(read, [(3, 9), (3, 1), (300, 255), (u32::MAX, 7)]);
        assert_eq!(
            rising(&bytes[..bytes.len() - 1]).count(),
            3,
            "its byte missing"
        );
        // A gap that goes past u32 ends the list.
        let mut past = vec![];
        push(&mut past, u64::from(u32::MAX));
        past.push(1);
        push(&mut past, 1);
        past.push(2);
        assert_eq!(rising(&past).collect::<Vec<_>>(), [(u32::MAX, 1)]);
    }
}
