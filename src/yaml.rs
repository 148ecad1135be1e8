//! Strict, typed YAML for `site.yaml` and front matter, with errors that
//! name the line and suggest the key the writer most likely meant.

use serde::de::DeserializeOwned;

/// A YAML problem at a line and column of the file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlProblem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parses `text` (which starts at line `first_line` of its file) into `T`.
/// An empty document is read as an empty mapping, so a missing required
/// field is reported as such rather than as "end of file".
pub fn parse<T: DeserializeOwned>(text: &str, first_line: usize) -> Result<T, YamlProblem> {
    let source = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(source).map_err(|err| {
        let message = err.to_string();
        let (line, column) = duplicate_key_place(text, &message)
            .or_else(|| err.location().map(|loc| (loc.line(), loc.column())))
            .unwrap_or((1, 1));
        YamlProblem {
            line: first_line + line.saturating_sub(1),
            column,
            message: kinder_message(&message),
        }
    })
}

/// The YAML parser reports a repeated key without a place; the second
/// line that starts with the key at the first one's indentation is it.
fn duplicate_key_place(text: &str, message: &str) -> Option<(usize, usize)> {
    let key = message
        .split("duplicate field `")
        .nth(1)?
        .split('`')
        .next()?;
    let mut first_indent = None;
    for (i, line) in text.lines().enumerate() {
        let body = line.trim_start().trim_start_matches("- ");
        let indent = line.len() - body.len();
        let is_key = body
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'));
        if !is_key {
            continue;
        }
        match first_indent {
            None => first_indent = Some(indent),
            Some(first) if first == indent => return Some((i + 1, indent + 1)),
            Some(_) => {}
        }
    }
    None
}

/// Rewrites serde's messages into the project's voice: "did you mean" for
/// unknown keys, and no trailing " at line X column Y" (the place is given
/// separately).
fn kinder_message(raw: &str) -> String {
    let message = strip_position(raw);
    if let Some(rewritten) = unknown_field(message) {
        return rewritten;
    }
    if message.contains("duplicate field `") {
        return format!("{message}: the key is set twice; keep one");
    }
    if let Some(rest) = message.split("missing field `").nth(1) {
        let field = rest.split('`').next().unwrap_or(rest);
        let prefix = message.split("missing field").next().unwrap_or("");
        return format!("{prefix}missing required field `{field}`: add `{field}:` with a value");
    }
    message.to_string()
}

fn strip_position(raw: &str) -> &str {
    match raw.rfind(" at line ") {
        Some(at) => &raw[..at],
        None => raw,
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
        assert!(err.message.contains("duplicate field `title`"));
    }

    #[test]
    fn malformed_yaml_has_line() {
        let err = parse::<Meta>("title: a\ndescription: [unclosed\n", 2).unwrap_err();
        assert!(err.line >= 3, "{err:?}");
    }
}
