//! Tera's HTML escaping (`&`, `<`, `>`, `"`, `'`), made cheaper for the
//! values nearly every `{{ ... }}` prints: a title, a URL, a label of the
//! theme's strings, most with nothing to escape. Tera's own escape
//! (pulldown-cmark-escape) looks for the five bytes 16 at a time, but a
//! value under 16 bytes goes through a general search for each byte it
//! writes: at 10k, 1.97 M values took 386 M instructions, about 190 each.
//! Here each value is first checked in one branch-free pass, which the
//! compiler makes 16 bytes at a time, and written whole when it needs no
//! escaping; one that does is escaped byte by byte if short, by Tera's
//! function if long (docs/performance.md). The output is the same: a
//! property test compares them.

use std::io::{self, Write};

/// Values this long or longer that need escaping are escaped by Tera's
/// own function.
const SHORT: usize = 32;

/// Writes `input` to `out` with the five bytes HTML gives meaning to
/// replaced, as `tera::escape_html` does; for `Tera::set_escape_fn`.
pub fn html(input: &str, out: &mut dyn Write) -> io::Result<()> {
    let bytes = input.as_bytes();
    if !bytes.iter().fold(false, |any, &b| any | is_special(b)) {
        return out.write_all(bytes);
    }
    if bytes.len() >= SHORT {
        return tera::escape_html(input, out);
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escaped: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(bytes.get(start..i).unwrap_or_default())?;
        out.write_all(escaped)?;
        start = i + 1;
    }
    out.write_all(bytes.get(start..).unwrap_or_default())
}

/// Whether HTML gives byte `b` a meaning: written escaped.
fn is_special(b: u8) -> bool {
    matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(f: fn(&str, &mut dyn Write) -> io::Result<()>, text: &str) -> String {
        let mut out = Vec::new();
        f(text, &mut out).expect("writing to memory");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn the_five_bytes_are_replaced() {
        assert_eq!(escaped(html, "a<b>&\"c'd"), "a&lt;b&gt;&amp;&quot;c&#39;d");
        assert_eq!(escaped(html, ""), "");
        assert_eq!(escaped(html, "Knee pain"), "Knee pain");
        let long = "Smith & Jones <Physical Therapy> \"Orland Park\"";
        assert!(long.len() >= SHORT);
        assert_eq!(escaped(html, long), escaped(tera::escape_html, long));
    }

    proptest::proptest! {
        /// Any text, short or long, with the five bytes among letters and
        /// characters beyond ASCII, comes out as Tera's escape gives it.
        #[test]
        fn escapes_as_tera_does(text in "[a-c &<>\"'/=é’\u{1F600}]{0,40}") {
            proptest::prop_assert_eq!(escaped(html, &text), escaped(tera::escape_html, &text));
        }
    }
}
