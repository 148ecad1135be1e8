//! A term's postings: the pages that hold it, by doc number, each with
//! its impact (see `impact`).

use super::index::{pack, unpack};
use crate::words::varint;

/// A term's postings, sorted by doc number. A build makes them in doc
/// order and only writes them, so it packs them as the index files hold
/// them: at 50k, as `u32`s, they were the largest part of the index (86
/// MB) at the build's peak. `serve` edits them, so its are open.
#[derive(Debug, Clone)]
pub enum Postings {
    /// `doc << 8 | impact` each.
    Open(Vec<u32>),
    /// Each doc as the gap from the one before (a varint), then its
    /// impact byte; `last` is the last doc, `len` how many.
    Packed { len: u32, last: u32, bytes: Vec<u8> },
}

impl Default for Postings {
    fn default() -> Self {
        Postings::Open(Vec::new())
    }
}

impl PartialEq for Postings {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Postings {
    /// No pages yet: open if they are to be edited, else packed.
    pub fn new(editable: bool) -> Self {
        match editable {
            true => Postings::Open(Vec::new()),
            false => Postings::Packed {
                len: 0,
                last: 0,
                bytes: Vec::new(),
            },
        }
    }

    /// Adds doc `doc`, numbered after every doc already in.
    pub fn push(&mut self, doc: u32, impact: u8) {
        match self {
            Postings::Open(list) => list.push(pack(doc, impact)),
            Postings::Packed { len, last, bytes } => {
                let gap = doc.saturating_sub(*last);
                // Most gaps take a byte: then both bytes in one step.
                match u8::try_from(gap).ok().filter(|&g| g < 0x80) {
                    Some(gap) => bytes.extend_from_slice(&[gap, impact]),
                    None => {
                        varint::push(bytes, u64::from(gap));
                        bytes.push(impact);
                    }
                }
                *len += 1;
                *last = doc;
            }
        }
    }

    /// How many pages hold the term.
    pub fn len(&self) -> usize {
        match self {
            Postings::Open(list) => list.len(),
            Postings::Packed { len, .. } => *len as usize,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Each doc number and its impact, in order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, u8)> + '_ {
        let (open, packed) = match self {
            Postings::Open(list) => (list.as_slice(), &[][..]),
            Postings::Packed { bytes, .. } => (&[][..], bytes.as_slice()),
        };
        open.iter()
            .map(|&p| unpack(p))
            .chain(varint::rising(packed))
    }

    /// Where doc `doc` is, or where it would go.
    pub fn find(&self, doc: u32) -> Result<usize, usize> {
        match self {
            Postings::Open(list) => list.binary_search_by_key(&doc, |&p| unpack(p).0),
            Postings::Packed { .. } => {
                let mut at = 0;
                for (d, _) in self.iter() {
                    if d >= doc {
                        return if d == doc { Ok(at) } else { Err(at) };
                    }
                    at += 1;
                }
                Err(at)
            }
        }
    }

    /// Runs `edit` on the postings as `doc << 8 | impact` each, opening
    /// them first if packed; they stay open.
    pub fn edit<R>(&mut self, edit: impl FnOnce(&mut Vec<u32>) -> R) -> R {
        let mut list = match std::mem::take(self) {
            Postings::Open(list) => list,
            packed => packed
                .iter()
                .map(|(doc, impact)| pack(doc, impact))
                .collect(),
        };
        let result = edit(&mut list);
        *self = Postings::Open(list);
        result
    }

    /// The bytes of their file form: how many, then each doc as the gap
    /// from the one before and its impact.
    pub fn encode(&self, out: &mut Vec<u8>) {
        varint::push(out, self.len() as u64);
        match self {
            Postings::Open(list) => {
                for (gap, impact) in gaps(list) {
                    varint::push(out, u64::from(gap));
                    out.push(impact);
                }
            }
            Postings::Packed { bytes, .. } => out.extend_from_slice(bytes),
        }
    }

    /// Bytes of `encode`, without making them.
    pub fn encoded_len(&self) -> usize {
        let len = varint::len(self.len() as u64);
        match self {
            Postings::Open(list) => {
                let pairs: usize = gaps(list)
                    .map(|(gap, _)| varint::len(u64::from(gap)) + 1)
                    .sum();
                len + pairs
            }
            Postings::Packed { bytes, .. } => len + bytes.len(),
        }
    }
}

/// Each doc of open postings as the gap from the one before, with its
/// impact: what the packed form holds.
fn gaps(list: &[u32]) -> impl Iterator<Item = (u32, u8)> + '_ {
    let mut last = 0;
    list.iter().map(move |&posting| {
        let (doc, impact) = unpack(posting);
        let gap = doc.saturating_sub(last);
        last = doc;
        (gap, impact)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(docs: &[(u32, u8)]) -> [Postings; 2] {
        [true, false].map(|editable| {
            let mut postings = Postings::new(editable);
            for &(doc, impact) in docs {
                postings.push(doc, impact);
            }
            postings
        })
    }

    #[test]
    fn open_and_packed_postings_read_and_encode_alike() {
        let docs = [(0, 9), (3, 200), (130, 7), (100_000, 1)];
        let [open, packed] = both(&docs);
        assert!(matches!(packed, Postings::Packed { .. }));
        assert_eq!(open, packed);
        for postings in [&open, &packed] {
            assert_eq!(postings.iter().collect::<Vec<_>>(), docs);
            assert_eq!(postings.len(), 4);
            assert_eq!(postings.find(130), Ok(2));
            assert_eq!(postings.find(4), Err(2));
            assert_eq!(postings.find(200_000), Err(4));
            let mut bytes = Vec::new();
            postings.encode(&mut bytes);
            assert_eq!(bytes.len(), postings.encoded_len());
            assert_eq!(bytes[..7], [4, 0, 9, 3, 200, 127, 7]);
        }
        let [_, mut packed] = both(&docs);
        packed.edit(|list| list.push(pack(100_001, 2)));
        assert!(matches!(packed, Postings::Open(_)));
        assert_eq!(packed.iter().last(), Some((100_001, 2)));
        assert_ne!(open, packed);
    }
}
