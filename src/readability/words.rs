//! Splitting prose into words.

// ---------------------------------------------------------------------------
// Words.

/// The words of a text: runs of letters and digits, kept whole across an
/// apostrophe (`don't`), a hyphen (`well-being`), a dot between letters or
/// digits (`e.g`, `U.S`, `2.5`) and a comma between digits (`10,000`).
/// Symbols and emoji are not words.
pub fn words(text: &str) -> Words<'_> {
    Words { rest: text }
}

/// Iterator returned by [`words`].
#[derive(Debug, Clone)]
pub struct Words<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
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
