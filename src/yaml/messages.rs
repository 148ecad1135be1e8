//! The YAML parser's messages in plain words, each with a hint: what went
//! wrong in terms a writer knows (a tab, an unclosed quote, a colon in a
//! value) and what to type instead. The parser's own wording ("found
//! character that cannot start any token") never reaches the writer.

/// A problem ready to show: where, what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    /// 1-based, counted in the YAML text.
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Explained {
    fn new(line: usize, column: usize, message: String, hint: impl Into<String>) -> Self {
        Explained {
            line,
            column,
            message,
            hint: Some(hint.into()),
        }
    }
}

/// Explains the parser's `raw` message about `text`, which it places at
/// `line` and `column` (1-based, in `text`); `text` starts on line
/// `offset + 1` of its file, for the line numbers messages name.
pub fn explain(raw: &str, text: &str, line: usize, column: usize, offset: usize) -> Explained {
    let at = Spot::new(text, line, column);
    syntax(raw, text, &at)
        .or_else(|| types(raw, &at))
        .unwrap_or_else(|| Explained {
            line,
            column,
            message: super::kinder_message(
                &super::shift_positions(raw, offset),
                line + offset,
                column,
            ),
            hint: None,
        })
}

/// `title: Back pain` with `  - knees` under it: YAML reads one text,
/// "Back pain - knees", but the writer meant a list.
pub fn list_under_text(text: &str) -> Option<Explained> {
    // Every front matter the subset cannot read is checked before the
    // full parser reads it: the cheap test (a list item indented under
    // the line above) comes first.
    let mut lines = text.lines();
    let mut above = lines.next()?;
    for (i, line) in lines.enumerate() {
        let above = std::mem::replace(&mut above, line);
        if !line.trim_start().starts_with("- ") || indent_of(line) <= indent_of(above) {
            continue;
        }
        let Some((key, value)) = key_value(above) else {
            continue;
        };
        let plain = !value.is_empty()
            && !value.starts_with(['"', '\'', '[', '{', '|', '>', '#', '&', '*', '!']);
        if plain {
            return Some(Explained::new(
                i + 2,
                indent_of(line) + 1,
                format!(
                    "a list item (`{}`) is written under `{key}`, which already has a value",
                    line.trim()
                ),
                format!("to make `{key}` a list, write nothing after `{key}:` and put every item under it, one `- ` each"),
            ));
        }
    }
    None
}

/// `key` is set twice: the second place, naming the first.
pub fn duplicate(raw: &str, text: &str, offset: usize) -> Option<Explained> {
    let key = raw.split("duplicate field `").nth(1)?.split('`').next()?;
    let mut first: Option<(usize, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        let body = line.trim_start().trim_start_matches("- ");
        let indent = line.len() - body.len();
        let is_key = body
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'));
        if !is_key {
            continue;
        }
        match first {
            None => first = Some((i + 1, indent)),
            Some((line, at)) if at == indent => {
                return Some(Explained::new(
                    i + 1,
                    indent + 1,
                    format!("`{key}` is set twice (first on line {})", line + offset),
                    "keep one of the two lines",
                ));
            }
            Some(_) => {}
        }
    }
    None
}

/// The place the parser names, with its line's text.
struct Spot<'a> {
    line: usize,
    column: usize,
    text: &'a str,
}

impl<'a> Spot<'a> {
    fn new(text: &'a str, line: usize, column: usize) -> Self {
        Spot {
            line,
            column,
            text: text.lines().nth(line.saturating_sub(1)).unwrap_or(""),
        }
    }

    /// The character at the column, if any.
    fn char(&self) -> Option<char> {
        self.text.chars().nth(self.column.saturating_sub(1))
    }

    fn indent(&self) -> usize {
        indent_of(self.text)
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// `key` and the value after `key: ` on a line (`- key: v` too).
fn key_value(line: &str) -> Option<(&str, &str)> {
    let body = line.trim_start().trim_start_matches("- ").trim_start();
    let (key, value) = body.split_once(':')?;
    let key = key.trim();
    (!key.is_empty() && !key.contains([' ', '"', '\'', '[', '{'])).then(|| (key, value.trim()))
}

/// `key: "value"`, for hints that say "put it in quotes".
fn quoted(line: &str) -> String {
    match key_value(line) {
        Some((key, value)) => format!("{key}: \"{}\"", value.replace('"', "\\\"")),
        None => "title: \"Back pain: the basics\"".to_string(),
    }
}

/// "at line L column C" after `marker` in a parser message.
fn opened_at(raw: &str, marker: &str) -> Option<(usize, usize)> {
    let rest = raw.split(marker).nth(1)?;
    let rest = rest.split(" at line ").nth(1)?;
    let (line, rest) = rest.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// The first line whose indentation has a tab, for messages without a place.
fn first_tab_line(text: &str) -> Option<usize> {
    text.lines()
        .position(|l| l[..indent_of(l)].contains('\t'))
        .map(|i| i + 1)
}

/// Messages of the YAML scanner and parser: the text is not YAML.
fn syntax(raw: &str, text: &str, at: &Spot) -> Option<Explained> {
    let is_tab = raw.contains("tab character")
        || (raw.contains("cannot start any token")
            && (at.char() == Some('\t') || at.text[..at.indent()].contains('\t')));
    if is_tab || (raw.contains("cannot start any token") && !raw.contains(" at line ")) {
        if let Some(line) = is_tab.then_some(at.line).or_else(|| first_tab_line(text)) {
            return Some(Explained::new(
                line,
                1,
                "this line is indented with a tab; YAML needs spaces".into(),
                "replace the tab at the start of the line with spaces (two for each level)",
            ));
        }
    }
    if raw.contains("cannot start any token") {
        let ch = at.char().unwrap_or('?');
        return Some(Explained::new(
            at.line,
            at.column,
            format!("a value cannot start with `{ch}`"),
            format!("put the value in quotes: {}", quoted(at.text)),
        ));
    }
    if raw.contains("while scanning a quoted scalar")
        && (raw.contains("unexpected end of stream") || raw.contains("document indicator"))
    {
        let (line, column) = opened_at(raw, "while scanning a quoted scalar")?;
        return Some(Explained::new(
            line,
            column,
            "the quote that opens here is never closed".into(),
            "end the text with the same quote mark it starts with (\" or '), on the same line",
        ));
    }
    if raw.contains("unknown escape character") || raw.contains("hexadecimal number") {
        return Some(Explained::new(
            at.line,
            at.column,
            "a backslash (`\\`) inside double quotes must start an escape like `\\n`".into(),
            "write two backslashes (\\\\) for one, or put the text in single quotes instead",
        ));
    }
    if raw.contains("while scanning an alias") || raw.contains("while scanning an anchor") {
        let ch = if raw.contains("alias") { '*' } else { '&' };
        return Some(Explained::new(
            at.line,
            at.column,
            format!("a value that starts with `{ch}` is read as a YAML reference"),
            format!("put the value in quotes: {}", quoted(at.text)),
        ));
    }
    if raw.contains("mapping values are not allowed") {
        return Some(mapping_value(text, at));
    }
    if raw.contains("block sequence entries are not allowed") {
        return Some(Explained::new(
            at.line,
            at.column,
            "a list item (`- `) cannot follow a key on the same line".into(),
            "put each item on its own line under the key, indented, or write the list in brackets: tags: [knees, backs]",
        ));
    }
    if raw.contains("did not find expected key") {
        return Some(expected_key(text, at));
    }
    if raw.contains("did not find expected '-' indicator") {
        return Some(Explained::new(
            at.line,
            at.column,
            "this list item is not lined up with the items above it".into(),
            "start every `- ` of one list in the same column",
        ));
    }
    if raw.contains("could not find expected ':'") {
        let (line, column) = opened_at(raw, "while scanning a simple key").unwrap_or((at.line, 1));
        let written = text
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .trim();
        return Some(Explained::new(
            line,
            column,
            format!("`{written}` has no `: ` after its key"),
            "write `key: value`, with a colon and a space after the key",
        ));
    }
    for (close, what) in [(']', "flow sequence"), ('}', "flow mapping")] {
        if raw.contains(&format!("did not find expected ',' or '{close}'")) {
            let open = if close == ']' { '[' } else { '{' };
            let (line, column) =
                opened_at(raw, &format!("while parsing a {what}")).unwrap_or((at.line, at.column));
            return Some(Explained::new(
                line,
                column,
                format!("the `{open}` that opens here is never closed"),
                format!("end it with `{close}` on the same line, with commas between the items, like tags: [knees, backs]"),
            ));
        }
    }
    if raw.contains("did not find expected node content") {
        return Some(Explained::new(
            at.line,
            at.column,
            "a value is missing here".into(),
            "write the value, or remove the extra comma or bracket",
        ));
    }
    if raw.contains("more than one document") {
        let line = text
            .lines()
            .position(|l| l.trim_end() == "---")
            .map_or(1, |i| i + 1);
        return Some(Explained::new(
            line,
            1,
            "a `---` line here starts a second YAML document".into(),
            "remove the `---` line (in a page, front matter ends at the second `---`)",
        ));
    }
    if raw.contains("control characters are not allowed") {
        let line = text
            .lines()
            .position(|l| l.chars().any(|c| c.is_control() && c != '\t'))
            .map_or(at.line, |i| i + 1);
        return Some(Explained::new(
            line,
            1,
            "this line has an invisible control character in it".into(),
            "delete and retype the line; such characters often come from text copied out of a word processor",
        ));
    }
    if raw.contains("recursion limit exceeded") || raw.contains("repetition limit exceeded") {
        return Some(Explained::new(
            at.line,
            at.column,
            "the YAML nests or repeats more than any page needs".into(),
            "flatten the lists and maps, and do not use YAML references (`&`, `*`)",
        ));
    }
    None
}

/// "mapping values are not allowed": a `key:` where a value goes. Either
/// the line is indented under a key that already has a value, or a value
/// has `: ` in it.
fn mapping_value(text: &str, at: &Spot) -> Explained {
    let lines: Vec<&str> = text.lines().take(at.line.saturating_sub(1)).collect();
    let above = lines
        .into_iter()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let deeper = above.is_some_and(|above| {
        at.indent() > indent_of(above) && key_value(above).is_some_and(|(_, v)| !v.is_empty())
    });
    match (deeper, key_value(at.text), above.and_then(key_value)) {
        (true, Some((key, _)), Some((above_key, _))) => Explained::new(
            at.line,
            at.indent() + 1,
            format!("`{key}` is indented more than `{above_key}` above it, so it reads as part of that value"),
            format!("start `{key}:` in the same column as `{above_key}:`"),
        ),
        _ => Explained::new(
            at.line,
            at.column,
            "this value has a colon and a space (`: `) in it, which YAML reads as a new key".into(),
            format!("put the whole value in quotes: {}", quoted(at.text)),
        ),
    }
}

/// "did not find expected key": a line that is not `key: value` where one
/// should be.
fn expected_key(text: &str, at: &Spot) -> Explained {
    let trimmed = at.text.trim();
    if at.column > at.indent() + 1 {
        return Explained::new(
            at.line,
            at.column,
            "there is more text after the value's closing quote or bracket".into(),
            "put the whole value in one pair of quotes, using the other kind of quote inside it: title: 'The \"right\" stretch'",
        );
    }
    let lines: Vec<&str> = text.lines().take(at.line.saturating_sub(1)).collect();
    let owner = lines
        .into_iter()
        .rev()
        .filter(|l| indent_of(l) <= at.indent() && !l.trim().is_empty())
        .find_map(key_value)
        .map_or("tags", |(key, _)| key);
    if trimmed == "-" {
        return Explained::new(
            at.line,
            at.column,
            "a `-` alone starts an empty list item, where a `key: value` line is expected".into(),
            format!("remove the line, or write the item after the dash, indented under its key:\n    {owner}:\n      - knees"),
        );
    }
    if let Some(item) = trimmed.strip_prefix("- ") {
        return Explained::new(
            at.line,
            at.column,
            format!("a list item (`- {item}`) is written where a `key: value` line is expected"),
            format!("to make `{owner}` a list, write nothing after `{owner}:` and indent each item under it:\n    {owner}:\n      - {item}"),
        );
    }
    let key = key_value(at.text).map_or(trimmed, |(key, _)| key);
    Explained::new(
        at.line,
        at.column,
        format!("`{key}` is not lined up with the keys around it"),
        format!("start `{key}:` in the same column as the other keys at its level"),
    )
}

/// Messages about values of the wrong kind (text where a list goes...),
/// with the field path the parser puts first (`tags: invalid type...`).
fn types(raw: &str, at: &Spot) -> Option<Explained> {
    let (field, rest) = raw.split_once(": invalid type: ")?;
    let field = field.rsplit('.').next().unwrap_or(field);
    if rest.contains("expected a sequence") {
        if let Some(found) = rest.strip_prefix("string \"") {
            let found = found.split('"').next().unwrap_or(found);
            return Some(Explained::new(
                at.line,
                at.column,
                format!("`{field}` must be a list, but it is the text \"{found}\""),
                format!("write a list in brackets, like {field}: [knees, backs], or one `- item` per line under `{field}:`"),
            ));
        }
    }
    if rest.contains("expected a string")
        && (rest.starts_with("sequence") || rest.starts_with("map"))
    {
        let bracket = if rest.starts_with("sequence") {
            '['
        } else {
            '{'
        };
        return Some(Explained::new(
            at.line,
            at.column,
            format!("`{field}` must be text, but its value starts with `{bracket}`, which YAML reads as a list or map"),
            format!("put the value in quotes: {}", quoted(at.text)),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Meta {
        title: String,
        description: Option<String>,
        tags: Option<Vec<String>>,
        comparison: Option<Comparison>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Comparison {
        caption: String,
        columns: Option<Vec<String>>,
    }

    /// The message, hint and line (counted in the text) for `text`.
    fn explain(text: &str) -> (String, String, usize) {
        let err = parse::<Meta>(text, 1).expect_err(text);
        (err.message, err.hint.unwrap_or_default(), err.line)
    }

    #[test]
    fn a_tab_says_tab() {
        for (text, line) in [
            ("\ttitle: a\n", 1),
            ("title: a\ntags:\n\t- knees\n", 3),
            ("title: a\ntags:\n  - a\n\t- b\n", 4),
            ("comparison:\n  caption: a\n\tcolumns: [a]\ntitle: a\n", 3),
            ("title: a\n\tdescription: b\n", 2),
        ] {
            let (message, hint, at) = explain(text);
            assert_eq!(
                message,
                "this line is indented with a tab; YAML needs spaces"
            );
            assert!(hint.contains("with spaces"), "{hint}");
            assert_eq!(at, line, "{text:?}");
        }
    }

    #[test]
    fn an_unclosed_quote_points_at_where_it_opens() {
        for text in [
            "title: \"Back pain\ndescription: b\n",
            "title: 'Back pain\ndescription: b\n",
        ] {
            let (message, hint, line) = explain(text);
            assert_eq!(message, "the quote that opens here is never closed");
            assert!(hint.contains("same quote mark"), "{hint}");
            assert_eq!(line, 1);
        }
    }

    #[test]
    fn a_list_under_a_plain_value() {
        let (message, hint, line) = explain("title: a\ntags: knees\n  - backs\n");
        assert_eq!(
            message,
            "a list item (`- backs`) is written under `tags`, which already has a value"
        );
        assert!(hint.contains("write nothing after `tags:`"), "{hint}");
        assert_eq!(line, 3);
        let (message, hint, line) = explain("title: a\ntags:\n- a\ndescription: b\n- c\n");
        assert_eq!(
            message,
            "a list item (`- c`) is written where a `key: value` line is expected"
        );
        assert!(hint.contains("to make `description` a list"), "{hint}");
        assert_eq!(line, 5);
    }

    #[test]
    fn a_list_item_under_text_is_refused() {
        let (message, hint, line) = explain("title: Back pain\n  - knees\n");
        assert_eq!(
            message,
            "a list item (`- knees`) is written under `title`, which already has a value"
        );
        assert!(hint.contains("write nothing after `title:`"), "{hint}");
        assert_eq!(line, 2);
        // Read by the subset, the lines around it would be a value: it
        // must leave the text to this check.
        let (message, _, line) = explain("tags:\n- a\nauthor:\n  name: Ann Lee\n    - PT\nx: 1\n");
        assert_eq!(
            message,
            "a list item (`- PT`) is written under `name`, which already has a value"
        );
        assert_eq!(line, 5);
    }

    #[test]
    fn a_key_set_twice() {
        let (message, hint, line) = explain("title: a\ndescription: b\ntitle: c\n");
        assert_eq!(message, "`title` is set twice (first on line 1)");
        assert_eq!(hint, "keep one of the two lines");
        assert_eq!(line, 3);
    }

    #[test]
    fn a_colon_in_an_unquoted_value() {
        let (message, hint, line) = explain("title: Back pain: the basics\n");
        assert!(message.contains("colon and a space (`: `)"), "{message}");
        assert_eq!(
            hint,
            "put the whole value in quotes: title: \"Back pain: the basics\""
        );
        assert_eq!(line, 1);
    }

    #[test]
    fn a_lone_dash() {
        let (message, hint, line) = explain("title: a\n-\n");
        assert!(
            message.starts_with("a `-` alone starts an empty list item"),
            "{message}"
        );
        assert!(hint.contains("remove the line"), "{hint}");
        assert_eq!(line, 2);
    }

    #[test]
    fn wrong_indentation() {
        let (message, hint, line) = explain("title: a\n  description: b\n");
        assert_eq!(message, "`description` is indented more than `title` above it, so it reads as part of that value");
        assert_eq!(hint, "start `description:` in the same column as `title:`");
        assert_eq!(line, 2);
        let (message, hint, line) = explain("comparison:\n  caption: a\n columns: [b]\ntitle: a\n");
        assert_eq!(message, "`columns` is not lined up with the keys around it");
        assert!(hint.contains("same column"), "{hint}");
        assert_eq!(line, 3);
        let (message, _, line) = explain("title: a\ntags:\n  - a\n - b\n");
        assert!(message.contains("`- b`"), "{message}");
        assert_eq!(line, 4);
    }

    #[test]
    fn text_after_a_closing_quote() {
        let (message, hint, _) = explain("title: \"Back\" pain\n");
        assert_eq!(
            message,
            "there is more text after the value's closing quote or bracket"
        );
        assert!(hint.contains("one pair of quotes"), "{hint}");
    }

    #[test]
    fn characters_that_cannot_start_a_value() {
        for (text, ch) in [
            ("title: @home\n", '@'),
            ("title: `code`\n", '`'),
            ("title: %x\n", '%'),
        ] {
            let (message, hint, _) = explain(text);
            assert_eq!(message, format!("a value cannot start with `{ch}`"));
            assert!(
                hint.starts_with("put the value in quotes: title: \""),
                "{hint}"
            );
        }
        let (message, _, _) = explain("title: *bold*\n");
        assert_eq!(
            message,
            "a value that starts with `*` is read as a YAML reference"
        );
    }

    #[test]
    fn unclosed_brackets() {
        let (message, hint, line) = explain("title: a\ntags: [a, b\n");
        assert_eq!(message, "the `[` that opens here is never closed");
        assert!(hint.contains("end it with `]`"), "{hint}");
        assert_eq!(line, 2);
        let (message, _, _) = explain("title: a\ncomparison: {caption: b\n");
        assert_eq!(message, "the `{` that opens here is never closed");
    }

    #[test]
    fn a_missing_colon() {
        let (message, hint, line) = explain("title: a\ndescription\n");
        assert_eq!(message, "`description` has no `: ` after its key");
        assert!(hint.contains("a colon and a space"), "{hint}");
        assert_eq!(line, 2);
    }

    #[test]
    fn bad_escapes_and_missing_values() {
        let (message, hint, _) = explain("title: \"a \\q b\"\n");
        assert!(message.contains("backslash"), "{message}");
        assert!(hint.contains("single quotes"), "{hint}");
        let (message, _, _) = explain("title: a\ntags: [a, , b]\n");
        assert_eq!(message, "a value is missing here");
        let (message, _, _) = explain("title: - a\n");
        assert_eq!(
            message,
            "a list item (`- `) cannot follow a key on the same line"
        );
    }

    #[test]
    fn wrong_kinds_of_value() {
        let (message, hint, _) = explain("title: a\ntags: a, b\n");
        assert_eq!(
            message,
            "`tags` must be a list, but it is the text \"a, b\""
        );
        assert!(hint.contains("tags: [knees, backs]"), "{hint}");
        let (message, hint, _) = explain("title: [Note] back pain\n");
        assert!(message.contains("starts with `[`"), "{message}");
        assert_eq!(hint, "put the value in quotes: title: \"[Note] back pain\"");
    }

    #[test]
    fn control_characters_and_second_documents() {
        let (message, _, line) = explain("title: a\n\u{1}\n");
        assert_eq!(
            message,
            "this line has an invisible control character in it"
        );
        assert_eq!(line, 2);
        let (message, _, line) = explain("title: a\n---\ndescription: b\n");
        assert_eq!(message, "a `---` line here starts a second YAML document");
        assert_eq!(line, 2);
    }
}
