//! Strict, typed YAML for `site.yaml` and front matter, with errors that
//! name the line and suggest the key the writer most likely meant.

use serde::de::DeserializeOwned;

pub mod lines;
mod messages;
pub mod subset;

use crate::error::{Diagnostic, Place};

/// A YAML problem at a line and column of the file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlProblem {
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// What to type instead.
    pub hint: Option<String>,
}

impl YamlProblem {
    /// The problem as a diagnostic of `path` (from the site root).
    pub fn at(self, path: impl Into<std::path::PathBuf>) -> Diagnostic {
        let place = Place::at(path, self.line, Some(self.column));
        let diagnostic = Diagnostic::new(place, self.message);
        match self.hint {
            Some(hint) => diagnostic.hint(hint),
            None => diagnostic,
        }
    }
}

/// Parses `text` (which starts at line `first_line` of its file) into `T`.
/// An empty document is read as an empty mapping, so a missing required
/// field is reported as such rather than as "end of file".
pub fn parse<T: DeserializeOwned>(text: &str, first_line: usize) -> Result<T, YamlProblem> {
    let offset = first_line - 1;
    let in_file = |e: messages::Explained| YamlProblem {
        line: e.line + offset,
        column: e.column,
        message: e.message,
        hint: e.hint,
    };
    let source = if text.trim().is_empty() { "{}" } else { text };
    if let Some((line, column)) = too_deep(source) {
        return Err(YamlProblem {
            line: line + offset,
            column,
            message: format!("lists and maps nest more than {MAX_DEPTH} deep here"),
            hint: Some("flatten them: a page needs two or three levels at most".into()),
        });
    }
    // The subset reads no text that goes on to a second line, so what it
    // reads has no list written under a text: at 10k, looking for one
    // first was 40 M instructions (docs/performance.md).
    if let Some(value) = subset::from_str(source) {
        return Ok(value);
    }
    if let Some(problem) = messages::list_under_text(text) {
        return Err(in_file(problem));
    }
    serde_yaml::from_str(source).map_err(|err| {
        let raw = err.to_string();
        if let Some(problem) = messages::duplicate(&raw, text, offset) {
            return in_file(problem);
        }
        let (line, column) = err
            .location()
            .map_or((1, 1), |loc| (loc.line(), loc.column()));
        in_file(messages::explain(&raw, text, line, column, offset))
    })
}

/// Deeper nesting than any page needs; the YAML parser slows down
/// sharply on thousands of open brackets.
const MAX_DEPTH: usize = 32;

/// Where flow brackets first nest deeper than `MAX_DEPTH` (quotes aside).
fn too_deep(text: &str) -> Option<(usize, usize)> {
    // Too few brackets to nest that deep: nearly every file, and cheap to
    // count.
    if memchr::memchr2_iter(b'[', b'{', text.as_bytes()).count() <= MAX_DEPTH {
        return None;
    }
    let mut depth = 0usize;
    let mut quote = None;
    for (i, line) in text.lines().enumerate() {
        // Every character looked at is ASCII, so bytes will do; the
        // column is counted in characters only when it is reported.
        for (at, b) in line.bytes().enumerate() {
            match (quote, b) {
                (Some(q), b) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(b),
                (None, b'[' | b'{') => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        let col = line.get(..at).map_or(at, |l| l.chars().count());
                        return Some((i + 1, col + 1));
                    }
                }
                (None, b']' | b'}') => depth = depth.saturating_sub(1),
                (None, b'#') => break,
                _ => {}
            }
        }
    }
    None
}

/// The parser's messages count lines from the start of the YAML; the
/// writer needs them counted from the start of the file.
fn shift_positions(message: &str, offset: usize) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find("line ") {
        let (before, after) = rest.split_at(i + 5);
        out.push_str(before);
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        match digits.parse::<usize>() {
            Ok(n) if after[digits.len()..].starts_with(" column ") => {
                out.push_str(&(n + offset).to_string());
                rest = &after[digits.len()..];
            }
            _ => rest = after,
        }
    }
    out.push_str(rest);
    out
}

/// Rewrites serde's messages into the project's voice: "did you mean" for
/// unknown keys, and no trailing " at line X column Y" (the place is given
/// separately).
fn kinder_message(raw: &str, line: usize, column: usize) -> String {
    let message = strip_position(raw, line, column);
    let message = &plain_types(&message);
    if let Some(rewritten) = unknown_field(message) {
        return rewritten;
    }
    if let Some(rest) = message.split("missing field `").nth(1) {
        let field = rest.split('`').next().unwrap_or(rest);
        let prefix = message.split("missing field").next().unwrap_or("");
        return format!("{prefix}missing required field `{field}`: add `{field}:` with a value");
    }
    message.to_string()
}

/// serde names Rust types ("expected struct ArticleMeta", "expected usize");
/// say what to write instead.
fn plain_types(message: &str) -> String {
    let mut out = message.to_string();
    if let Some(i) = out.find("expected struct ") {
        let end = out[i + 16..]
            .find(|c: char| !c.is_alphanumeric())
            .map_or(out.len(), |e| i + 16 + e);
        out.replace_range(i..end, "expected `key: value` fields");
    }
    for (rust, plain) in [
        ("expected usize", "expected a whole number, 0 or more"),
        ("expected u32", "expected a whole number, 0 or more"),
        ("expected u64", "expected a whole number, 0 or more"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected a list, like [a, b]"),
        ("expected a string", "expected text"),
        ("expected a boolean", "expected true or false"),
        ("invalid type: unit value", "nothing is written"),
        ("invalid type: sequence", "found a list"),
        ("invalid type: map", "found `key: value` fields"),
    ] {
        out = out.replace(rust, plain);
    }
    if let Some(i) = out.find(" as u128") {
        // "invalid value: integer `-1` as u128, expected ..."
        out.replace_range(i..i + 8, "");
    }
    out
}

/// Drops a trailing " at line L column C" that repeats the reported place;
/// a different one (where a list or quote opened) stays, as the writer
/// needs it.
fn strip_position(raw: &str, line: usize, column: usize) -> String {
    let here = format!(" at line {line} column {column}");
    let without = raw.replace(&here, "");
    match without.rfind(" at line ") {
        Some(at) => format!("{} that starts{}", &without[..at], &without[at..]),
        None => without,
    }
}

/// `unknown field `titel`, expected one of `title`, `date`` ->
/// `unknown field `titel`, did you mean `title`?`
fn unknown_field(message: &str) -> Option<String> {
    let start = message.find("unknown field `")?;
    let (prefix, rest) = message.split_at(start);
    let rest = rest.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`')?;
    let known: Vec<&str> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| !s.is_empty())
        .collect();
    let hint = match crate::suggest::nearest(field, known.iter().copied()) {
        Some(near) => format!(", did you mean `{near}`?"),
        None if known.is_empty() => String::new(),
        None => format!("; the known keys here are {}", quoted_list(&known)),
    };
    Some(format!("{prefix}unknown field `{field}`{hint}"))
}

fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Meta {
        title: String,
        description: Option<String>,
    }

    #[test]
    fn unknown_key_suggests_nearest() {
        let err = parse::<Meta>("title: a\ntitel: b\n", 2).unwrap_err();
        assert_eq!(err.line, 3);
        assert_eq!(err.column, 1);
        assert_eq!(err.message, "unknown field `titel`, did you mean `title`?");
    }

    #[test]
    fn unknown_key_far_from_all_lists_known_keys() {
        let err = parse::<Meta>("title: a\nzzz: b\n", 1).unwrap_err();
        assert!(err
            .message
            .contains("the known keys here are `title`, `description`"));
    }

    #[test]
    fn empty_document_reports_missing_field() {
        let err = parse::<Meta>("", 2).unwrap_err();
        assert!(
            err.message.contains("missing required field `title`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn duplicate_key_is_located() {
        let err = parse::<Meta>("title: a\ndescription: b\ntitle: c\n", 2).unwrap_err();
        assert_eq!((err.line, err.column), (4, 1), "{err:?}");
        assert_eq!(err.message, "`title` is set twice (first on line 2)");
    }

    #[test]
    fn positions_in_messages_count_from_the_file() {
        assert_eq!(
            shift_positions("did not find ',' at line 8 column 11, while parsing", 1),
            "did not find ',' at line 9 column 11, while parsing"
        );
        assert_eq!(shift_positions("no line here", 3), "no line here");
    }

    #[test]
    fn rust_type_names_become_plain_words() {
        let err = parse::<Meta>("- a\n- b\n", 2).unwrap_err();
        assert!(
            err.message.contains("expected `key: value` fields"),
            "{}",
            err.message
        );
        assert!(!err.message.contains("Meta"), "{}", err.message);
    }

    #[test]
    fn unquoted_colon_gets_a_hint() {
        let err = parse::<Meta>("title: Back pain: basics\n", 2).unwrap_err();
        assert_eq!(
            err.hint.as_deref(),
            Some("put the whole value in quotes: title: \"Back pain: basics\"")
        );
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let text = format!("title: {}", "[".repeat(100_000));
        let err = parse::<Meta>(&text, 2).unwrap_err();
        assert!(err.message.contains("nest more than"), "{}", err.message);
        assert_eq!(err.line, 2);
    }

    #[test]
    fn malformed_yaml_has_line() {
        let err = parse::<Meta>("title: a\ndescription: [unclosed\n", 2).unwrap_err();
        assert!(err.line >= 3, "{err:?}");
    }
}
