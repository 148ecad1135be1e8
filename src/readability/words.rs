//! Splitting prose into words.

// ---------------------------------------------------------------------------
// Words.

/// The words of a text: runs of letters and digits, kept whole across an
/// apostrophe (`don't`), a hyphen (`well-being`), a dot between letters or
/// digits (`e.g`, `U.S`, `2.5`) and a comma between digits (`10,000`).
/// Symbols and emoji are not words.
pub fn words(text: &str) -> Words<'_> {
    Words {
        rest: text,
        ascii: text.is_ascii(),
    }
}

/// Iterator returned by [`words`].
#[derive(Debug, Clone)]
pub struct Words<'a> {
    rest: &'a str,
    /// All of `rest` is ASCII (then so is what is left of it).
    ascii: bool,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.ascii {
            self.next_ascii()
        } else {
            self.next_chars()
        }
    }
}

impl<'a> Words<'a> {
    fn next_chars(&mut self) -> Option<&'a str> {
        let start = self.rest.find(char::is_alphanumeric)?;
        let s = self.rest.get(start..)?;
        let mut end = s.len();
        let mut prev = '\0';
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            if !(c.is_alphanumeric() || joins(prev, c, next)) {
                end = i;
                break;
            }
            prev = c;
        }
        self.rest = s.get(end..).unwrap_or("");
        s.get(..end)
    }

    /// `next` for ASCII text (nearly all prose), by bytes: the same rules,
    /// without decoding characters.
    fn next_ascii(&mut self) -> Option<&'a str> {
        let bytes = self.rest.as_bytes();
        let start = bytes.iter().position(u8::is_ascii_alphanumeric)?;
        let mut end = bytes.len();
        let mut prev = 0u8;
        for (i, &c) in bytes.iter().enumerate().skip(start) {
            let next = bytes.get(i + 1).copied();
            if !(c.is_ascii_alphanumeric() || joins_ascii(prev, c, next)) {
                end = i;
                break;
            }
            prev = c;
        }
        let word = self.rest.get(start..end);
        self.rest = self.rest.get(end..).unwrap_or("");
        word
    }
}

/// `joins` for ASCII bytes.
fn joins_ascii(prev: u8, c: u8, next: Option<u8>) -> bool {
    let Some(next) = next else {
        return false;
    };
    match c {
        b'\'' | b'-' | b'.' => prev.is_ascii_alphanumeric() && next.is_ascii_alphanumeric(),
        b',' => prev.is_ascii_digit() && next.is_ascii_digit(),
        _ => false,
    }
}

pub(super) fn joins(prev: char, c: char, next: Option<char>) -> bool {
    let Some(next) = next else {
        return false;
    };
    match c {
        '\'' | '’' | '-' | '\u{2010}' | '\u{2011}' | '.' => {
            prev.is_alphanumeric() && next.is_alphanumeric()
        }
        ',' => prev.is_numeric() && next.is_numeric(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_words_split_as_by_chars() {
        let texts = [
            "Don't stop: well-being, e.g. U.S. rules; 2.5 mg or 10,000 steps.",
            "a-b -c d- 'e' f'g 1,a a,1 1,2,3 x.y. .z end.",
            "",
            "!!!",
            "one",
        ];
        for text in texts {
            let mut by_bytes = words(text);
            let mut by_chars = words(text);
            let bytes: Vec<&str> = std::iter::from_fn(|| by_bytes.next_ascii()).collect();
            let chars: Vec<&str> = std::iter::from_fn(|| by_chars.next_chars()).collect();
            assert_eq!(bytes, chars, "{text:?}");
        }
    }
}
