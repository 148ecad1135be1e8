//! The YAML nearly every front matter is written in, read without the full
//! parser: block mappings and lists, one-line scalars (plain, single- or
//! double-quoted) and one-line flow lists of them.
//!
//! `yaml_serde` runs libyaml translated to Rust: about 220 instructions a
//! byte of front matter, 15% of a 10k build's instructions (docs/
//! performance.md). No faster strict parser was found (`serde-saphyr` was
//! 1.8x slower), so this narrow reader takes the common case. Anything
//! outside the subset, and any value the target type refuses, gives
//! `None`: the full parser then reads the text, and every error message
//! still comes from there. When this gives a value, it is the one the
//! full parser gives; tests/yaml_subset.rs and the `yaml_subset` fuzz
//! target compare the two.

use std::borrow::Cow;
use std::fmt;

use rustc_hash::FxHashSet;
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

/// `text` read as `T`, or `None` when the full parser must read it.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    let node = parse(text)?;
    T::deserialize(&node).ok()
}

/// A value of the subset.
#[derive(Debug, PartialEq)]
enum Node<'a> {
    /// A plain scalar: its meaning (text, number, `true`, `null`) depends
    /// on the type read.
    Plain(&'a str),
    /// A quoted scalar: always text.
    Quoted(Cow<'a, str>),
    List(Vec<Node<'a>>),
    /// Keys are plain scalars, each once.
    Map(Vec<(Node<'a>, Node<'a>)>),
}

/// A line that holds something: its indent in spaces and the rest, with
/// trailing spaces cut.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    indent: usize,
    text: &'a str,
}

/// Deeper than any front matter nests; past it the full parser decides.
const MAX_DEPTH: usize = 32;

/// libyaml refuses implicit keys longer than this.
const MAX_KEY: usize = 1000;

fn parse(text: &str) -> Option<Node<'_>> {
    if !printable(text) {
        return None;
    }
    let mut lines = Vec::new();
    // `split('\n')`, with each newline found by one search over the
    // whole text, not a search begun again for each short line.
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]);
    let mut from = 0;
    for end in ends {
        let line = text.get(from..end).unwrap_or_default();
        from = end + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let rest = line.trim_start_matches(' ');
        let body = rest.trim_end_matches(' ');
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = line.len() - rest.len();
        // Document markers and directives.
        if indent == 0 && (body.starts_with("---") || body.starts_with("...")) {
            return None;
        }
        lines.push(Line { indent, text: body });
    }
    let first = *lines.first()?;
    let mut reader = Reader { lines, at: 0 };
    let node = reader.block(first.indent, 0)?;
    // Lines left over sit where no value can: the full parser explains.
    (reader.at == reader.lines.len()).then_some(node)
}

/// Only characters libyaml takes as printable, no tab (allowed in some
/// places only), and no line break but `\n` and `\r\n` (a lone `\r`,
/// NEL, LS and PS break lines too).
fn printable(text: &str) -> bool {
    let crlf_only = memchr::memchr_iter(b'\r', text.as_bytes())
        .all(|at| text.as_bytes().get(at + 1) == Some(&b'\n'));
    if !crlf_only {
        return false;
    }
    if text.is_ascii() {
        return text
            .bytes()
            .all(|b| b == b'\n' || b == b'\r' || (0x20..0x7f).contains(&b));
    }
    text.chars().all(|c| match c {
        '\n' | '\r' => true,
        ' '..='~' => true,
        '\u{2028}' | '\u{2029}' | '\u{feff}' => false,
        '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'.. => true,
        _ => false,
    })
}

struct Reader<'a> {
    lines: Vec<Line<'a>>,
    at: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.at).copied()
    }

    /// A block list or mapping whose first line is the next, at `indent`.
    fn block(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let line = self.peek()?;
        if line.indent != indent {
            return None;
        }
        if is_item(line.text) {
            self.list(indent, depth)
        } else {
            self.map(indent, depth)
        }
    }

    fn map(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        let mut entries: Vec<(Node<'a>, Node<'a>)> = Vec::new();
        let mut keys: Option<FxHashSet<&'a str>> = None;
        while let Some(line) = self.peek() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent || is_item(line.text) {
                return None;
            }
            let (key, value) = entry(line.text)?;
            // A repeated key is the full parser's to report. Past a few
            // keys, a set keeps a long mapping from taking quadratic time.
            let repeated = match &mut keys {
                Some(keys) => !keys.insert(key),
                None => entries.iter().any(|(k, _)| *k == Node::Plain(key)),
            };
            if repeated {
                return None;
            }
            if keys.is_none() && entries.len() >= 16 {
                let mut set: FxHashSet<&str> =
                    entries.iter().filter_map(|(k, _)| k.plain().ok()).collect();
                set.insert(key);
                keys = Some(set);
            }
            self.at += 1;
            let value = if value.is_empty() {
                let next = self.peek()?;
                let nested = next.indent > indent;
                // `key:` with its list at the key's own indent.
                let compact = next.indent == indent && is_item(next.text);
                if !nested && !compact {
                    // An empty value: `null` or an empty text.
                    return None;
                }
                self.block(next.indent, depth + 1)?
            } else {
                let node = inline(value)?;
                self.after_scalar(indent)?;
                node
            };
            entries.push((Node::Plain(key), value));
        }
        Some(Node::Map(entries))
    }

    fn list(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        let mut items = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent < indent || (line.indent == indent && !is_item(line.text)) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            // `- ` and what follows; a bare `-` (an empty item) is left
            // to the full parser.
            let rest = line.text.strip_prefix("- ")?.trim_start_matches(' ');
            if is_item(rest) || rest == "-" {
                return None;
            }
            let column = indent + line.text.len() - rest.len();
            if entry(rest).is_some() {
                // `- key: value`: a mapping whose keys line up with this one.
                if let Some(slot) = self.lines.get_mut(self.at) {
                    *slot = Line {
                        indent: column,
                        text: rest,
                    };
                }
                items.push(self.map(column, depth + 1)?);
            } else {
                self.at += 1;
                items.push(inline(rest)?);
                self.after_scalar(indent)?;
            }
        }
        Some(Node::List(items))
    }

    /// After a one-line value, a deeper line would continue it.
    fn after_scalar(&self, indent: usize) -> Option<()> {
        match self.peek() {
            Some(next) if next.indent > indent => None,
            _ => Some(()),
        }
    }
}

/// A list item: `- ` or a bare `-`.
fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// `key: value` or `key:` split at the first `: `, for a plain key.
fn entry(text: &str) -> Option<(&str, &str)> {
    let (key, value) = match value_indicator(text) {
        Some(at) => (text.get(..at)?, text.get(at + 2..)?.trim_start_matches(' ')),
        None => (text.strip_suffix(':')?, ""),
    };
    let plain_key = !key.is_empty()
        && key.len() <= MAX_KEY
        && !key.ends_with(' ')
        && comment(key).is_none()
        && !has_any(key, b"[]{},\"'")
        && starts_plain(key);
    plain_key.then_some((key, value))
}

/// Where `: ` (a mapping's value indicator) first is. (Byte searches
/// here: `str::find` with a string pattern sets up a searcher per call,
/// which cost more than the rest of reading a line.)
fn value_indicator(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b':', bytes).find(|&at| bytes.get(at + 1) == Some(&b' '))
}

/// Where a comment (` #`) starts: at its space.
fn comment(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'#', bytes)
        .find(|&at| at > 0 && bytes.get(at - 1) == Some(&b' '))
        .map(|at| at - 1)
}

/// Whether `text` holds any of the ASCII characters `set`.
fn has_any(text: &str, set: &[u8]) -> bool {
    text.bytes().any(|b| set.contains(&b))
}

/// The first character may start a plain scalar: no indicator, and a `-`
/// only before a character that is not a space.
fn starts_plain(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some('-') => chars.next().is_some_and(|c| c != ' '),
        Some(
            '?' | ':' | ',' | '[' | ']' | '{' | '}' | '#' | '&' | '*' | '!' | '|' | '>' | '\''
            | '"' | '%' | '@' | '`',
        ) => false,
        Some(_) => true,
        None => false,
    }
}

/// A value written on the line of its key or list item.
fn inline(text: &str) -> Option<Node<'_>> {
    let (node, rest) = match text.as_bytes().first()? {
        b'"' => double_quoted(text)?,
        b'\'' => single_quoted(text)?,
        b'[' => flow_list(text)?,
        _ => return plain(text).map(Node::Plain),
    };
    ends_line(rest).then_some(node)
}

/// Only a comment may follow a closed value.
fn ends_line(rest: &str) -> bool {
    rest.is_empty() || (rest.starts_with(' ') && rest.trim_start_matches(' ').starts_with('#'))
}

/// A plain scalar in block context, its comment cut.
fn plain(text: &str) -> Option<&str> {
    let text = match comment(text) {
        Some(at) => text.get(..at)?.trim_end_matches(' '),
        None => text,
    };
    let ok = starts_plain(text) && value_indicator(text).is_none() && !text.ends_with(':');
    ok.then_some(text)
}

/// `"..."` with the common escapes, and what follows it.
fn double_quoted(text: &str) -> Option<(Node<'_>, &str)> {
    let inner = text.strip_prefix('"')?;
    let end = memchr::memchr2(b'"', b'\\', inner.as_bytes())?;
    if inner.as_bytes().get(end) == Some(&b'"') {
        let value = inner.get(..end)?;
        return Some((Node::Quoted(Cow::Borrowed(value)), inner.get(end + 1..)?));
    }
    let mut value = String::with_capacity(inner.len());
    let mut chars = inner.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return Some((Node::Quoted(Cow::Owned(value)), inner.get(at + 1..)?)),
            '\\' => value.push(match chars.next()?.1 {
                '"' => '"',
                '\\' => '\\',
                '/' => '/',
                'n' => '\n',
                't' => '\t',
                _ => return None,
            }),
            c => value.push(c),
        }
    }
    None
}

/// `'...'`, where `''` is one quote, and what follows it.
fn single_quoted(text: &str) -> Option<(Node<'_>, &str)> {
    let inner = text.strip_prefix('\'')?;
    let mut value: Option<String> = None;
    let mut from = 0;
    loop {
        let at = from + inner.get(from..)?.find('\'')?;
        if inner.as_bytes().get(at + 1) == Some(&b'\'') {
            value
                .get_or_insert_with(String::new)
                .push_str(inner.get(from..=at)?);
            from = at + 2;
            continue;
        }
        let last = inner.get(from..at)?;
        let node = match value {
            None => Node::Quoted(Cow::Borrowed(last)),
            Some(mut value) => {
                value.push_str(last);
                Node::Quoted(Cow::Owned(value))
            }
        };
        return Some((node, inner.get(at + 1..)?));
    }
}

/// `[a, "b", 'c']` on one line: scalars only, no empty item.
fn flow_list(text: &str) -> Option<(Node<'_>, &str)> {
    let mut rest = text.strip_prefix('[')?.trim_start_matches(' ');
    let mut items = Vec::new();
    if let Some(after) = rest.strip_prefix(']') {
        return Some((Node::List(items), after));
    }
    loop {
        let (item, after) = match rest.as_bytes().first()? {
            b'"' => double_quoted(rest)?,
            b'\'' => single_quoted(rest)?,
            _ => {
                let end = memchr::memchr2(b',', b']', rest.as_bytes())?;
                let item = rest.get(..end)?.trim_end_matches(' ');
                let ok = starts_plain(item) && !has_any(item, b":#[{}\"'");
                (ok.then_some(Node::Plain(item))?, rest.get(end..)?)
            }
        };
        items.push(item);
        let after = after.trim_start_matches(' ');
        if let Some(after) = after.strip_prefix(']') {
            return Some((Node::List(items), after));
        }
        rest = after.strip_prefix(',')?.trim_start_matches(' ');
    }
}

/// Why the subset gave up; never shown (the full parser reads the text).
#[derive(Debug)]
pub struct Refused;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("outside the YAML subset")
    }
}

impl std::error::Error for Refused {}

impl de::Error for Refused {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Refused
    }
}

/// A plain scalar that YAML's core schema reads as text whatever the
/// target: it starts with a letter and is no null, boolean or number.
fn surely_text(text: &str) -> bool {
    text.starts_with(char::is_alphabetic)
        && !is_null(text)
        && bool_of(text).is_none()
        && text.parse::<f64>().is_err()
}

fn is_null(text: &str) -> bool {
    matches!(text, "null" | "Null" | "NULL" | "~")
}

fn bool_of(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// A plain decimal integer without a sign, leading zero or underscore.
fn decimal(text: &str) -> Option<&str> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let ok = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && text != "-0";
    ok.then_some(text)
}

/// `12`, `-87.65`: what every parser reads as the same number.
fn float(text: &str) -> Option<f64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let ok = [whole, fraction]
        .iter()
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if !ok {
        return None;
    }
    text.parse().ok()
}

impl<'de> Node<'de> {
    fn plain(&self) -> Result<&'de str, Refused> {
        match self {
            Node::Plain(text) => Ok(text),
            _ => Err(Refused),
        }
    }
}

macro_rules! integers {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
            let text = decimal(self.plain()?).ok_or(Refused)?;
            if text.starts_with('-') {
                visitor.visit_i64(text.parse().map_err(|_| Refused)?)
            } else {
                visitor.visit_u64(text.parse().map_err(|_| Refused)?)
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &'de Node<'de> {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self {
            Node::Plain(text) if surely_text(text) => visitor.visit_borrowed_str(text),
            Node::Plain(_) => Err(Refused),
            Node::Quoted(text) => visitor.visit_str(text),
            Node::List(_) => self.deserialize_seq(visitor),
            Node::Map(_) => self.deserialize_map(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_bool(bool_of(self.plain()?).ok_or(Refused)?)
    }

    integers!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64);

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_f64(float(self.plain()?).ok_or(Refused)?)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self {
            Node::Plain(text) => visitor.visit_borrowed_str(text),
            Node::Quoted(text) => visitor.visit_str(text),
            _ => Err(Refused),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Refused> {
        Err(Refused)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Refused> {
        Err(Refused)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self {
            Node::Plain(text) if is_null(text) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Refused> {
        Err(Refused)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value, Refused> {
        Err(Refused)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Refused> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self {
            Node::List(items) => {
                let mut access = de::value::SeqDeserializer::new(items.iter());
                let value = visitor.visit_seq(&mut access)?;
                access.end()?;
                Ok(value)
            }
            _ => Err(Refused),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Refused> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Refused> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self {
            Node::Map(entries) => {
                let pairs = entries.iter().map(|(k, v)| (k, v));
                let mut access = de::value::MapDeserializer::new(pairs);
                let value = visitor.visit_map(&mut access)?;
                access.end()?;
                Ok(value)
            }
            _ => Err(Refused),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Refused> {
        self.deserialize_map(visitor)
    }

    /// A unit variant named by a scalar; any other shape is the full
    /// parser's to read (it takes tags).
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Refused> {
        match self {
            Node::Plain(text) if !text.is_empty() => {
                visitor.visit_enum(IntoDeserializer::<Refused>::into_deserializer(*text))
            }
            Node::Quoted(text) if !text.is_empty() => {
                visitor.visit_enum(IntoDeserializer::<Refused>::into_deserializer(&**text))
            }
            _ => Err(Refused),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_unit()
    }
}

impl<'de> IntoDeserializer<'de, Refused> for &'de Node<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}
