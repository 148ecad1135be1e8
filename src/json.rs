//! JSON written by hand, where serde_json costs too much: it escapes a
//! string a byte at a time, which on the 10k corpus was 190 M instructions
//! (1.7% of a build) for the JSON-LD of the article pages alone, and 52 M
//! for the search index's page files. Nearly every string there needs no
//! escaping, which [`Json::string`] finds in one branch-free pass.
//! What it writes is what serde_json writes, byte for byte.

/// JSON being written. Punctuation and keys go in as they are
/// ([`Json::raw`]); strings are quoted and escaped ([`Json::string`]).
pub struct Json {
    text: String,
    /// For a `<script>` element: `<`, `>` and `&` escaped too.
    script: bool,
}

impl Json {
    /// JSON for a file.
    pub fn new(capacity: usize) -> Json {
        Json {
            text: String::with_capacity(capacity),
            script: false,
        }
    }

    /// JSON for a `<script>` element: `<`, `>` and `&` in strings are
    /// written `\u003c`, `\u003e` and `\u0026`, so that no string can end
    /// the element.
    pub fn for_script(capacity: usize) -> Json {
        Json {
            text: String::with_capacity(capacity),
            script: true,
        }
    }

    /// JSON text as it is: punctuation, keys, numbers, JSON made before.
    pub fn raw(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// A string, quoted and escaped.
    pub fn string(&mut self, text: &str) {
        self.text.push('"');
        self.unquoted(text);
        self.text.push('"');
    }

    /// A string escaped, without its quotes: to write one string in parts.
    pub fn unquoted(&mut self, text: &str) {
        match self.script {
            true => self.escaped::<true>(text),
            false => self.escaped::<false>(text),
        }
    }

    fn escaped<const SCRIPT: bool>(&mut self, text: &str) {
        let bytes = text.as_bytes();
        // One pass with no branch per byte, which the compiler makes a few
        // bytes at a time; only a string that needs escaping goes on.
        if !bytes
            .iter()
            .fold(false, |any, &b| any | needs_escape::<SCRIPT>(b))
        {
            self.text.push_str(text);
            return;
        }
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if !needs_escape::<SCRIPT>(b) {
                continue;
            }
            // An ASCII byte: `i` and `i + 1` are character boundaries.
            self.text.push_str(text.get(start..i).unwrap_or_default());
            start = i + 1;
            match b {
                b'"' => self.text.push_str("\\\""),
                b'\\' => self.text.push_str("\\\\"),
                b'\n' => self.text.push_str("\\n"),
                b'\r' => self.text.push_str("\\r"),
                b'\t' => self.text.push_str("\\t"),
                0x08 => self.text.push_str("\\b"),
                0x0c => self.text.push_str("\\f"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    self.text.push_str("\\u00");
                    for digit in [b >> 4, b & 0xf] {
                        let hex = HEX.get(usize::from(digit)).copied().unwrap_or(b'0');
                        self.text.push(char::from(hex));
                    }
                }
            }
        }
        self.text.push_str(text.get(start..).unwrap_or_default());
    }

    pub fn finish(self) -> String {
        self.text
    }
}

/// Whether byte `b` of a string is written escaped.
fn needs_escape<const SCRIPT: bool>(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\' || SCRIPT && matches!(b, b'<' | b'>' | b'&')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(text: &str, script: bool) -> String {
        let mut json = match script {
            true => Json::for_script(0),
            false => Json::new(0),
        };
        json.string(text);
        json.finish()
    }

    /// What serde_json writes, and for a script, with `<`, `>` and `&`
    /// escaped after.
    fn expected(text: &str, script: bool) -> String {
        let json = serde_json::to_string(text).unwrap();
        match script {
            true => json
                .replace('<', "\\u003c")
                .replace('>', "\\u003e")
                .replace('&', "\\u0026"),
            false => json,
        }
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let every_ascii: String = (0..=127u8).map(char::from).collect();
        for text in [
            "",
            "plain",
            "</script><b>&",
            "\"quoted\" \\ back",
            "tab\tnew\nline\r\u{8}\u{c}\u{1}\u{1f}\u{7f}",
            "café – “quotes” 🦶",
            &every_ascii,
        ] {
            for script in [false, true] {
                assert_eq!(written(text, script), expected(text, script), "{text:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn any_string_is_written_as_serde_json_writes_it(
            text in "(?s).{0,40}|[\\x00-\\x7f]{0,40}|[<>&\"\\\\\\t\\na-z]{0,40}",
            script: bool,
        ) {
            proptest::prop_assert_eq!(written(&text, script), expected(&text, script));
        }
    }
}
