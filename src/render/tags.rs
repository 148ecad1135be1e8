//! The tags of a Tera template (`{{ }}`, `{% %}`, comments skipped) and
//! their tokens: what `once` names (`once`) and what `serve` follows
//! from template to template (`incremental::deps`) are read alike.

/// Calls `each` with every tag of `text` outside comments: the byte where
/// it opens, its code, and whether it is a block tag (`{% %}`).
pub fn each_tag(text: &str, mut each: impl FnMut(usize, &str, bool)) {
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let opens = text.len() - rest.len() + start;
        let after = &rest[start + 1..];
        rest = match after.as_bytes().first() {
            Some(b'#') => match after.find("#}") {
                Some(end) => &after[end + 2..],
                None => "",
            },
            Some(&open @ (b'{' | b'%')) => {
                let close = if open == b'{' { "}}" } else { "%}" };
                let (code, remainder) = split_tag(&after[1..], close);
                each(opens, code, open == b'%');
                remainder
            }
            _ => after,
        };
    }
}

/// The code of a tag up to `close` (outside string literals), and the text
/// after it. A tag never closed runs to the end.
fn split_tag<'a>(text: &'a str, close: &str) -> (&'a str, &'a str) {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '\'' | '`') => quote = Some(c),
            None if text[i..].starts_with(close) => return (&text[..i], &text[i + close.len()..]),
            None => {}
        }
    }
    (text, "")
}

/// The tokens of a tag that matter here: names of variables and
/// attributes, string literals and the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    Name(&'a str),
    Str(String),
    Other(char),
}

pub fn tokens(code: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut chars = code.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if matches!(c, '"' | '\'' | '`') {
            let mut text = String::new();
            let mut escaped = false;
            for (_, d) in chars.by_ref() {
                match d {
                    _ if escaped => {
                        text.push(d);
                        escaped = false;
                    }
                    '\\' => escaped = true,
                    _ if d == c => break,
                    _ => text.push(d),
                }
            }
            tokens.push(Token::Str(text));
        } else if c.is_alphabetic() || c == '_' {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !(d.is_alphanumeric() || d == '_') {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            tokens.push(Token::Name(&code[i..end]));
        } else {
            tokens.push(Token::Other(c));
        }
    }
    tokens
}
