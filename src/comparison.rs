//! Comparison tables ("which one should I choose?") written as data in an
//! article's front matter: the checks a table must pass, each reported at
//! the line of the part that is wrong.

use std::collections::HashSet;

use serde::Serialize;

use crate::content::SourcePage;
use crate::error::{Diagnostic, Errors, Place};
use crate::frontmatter::{ArticleMeta, Comparison};

/// The most and fewest columns a table may have.
pub const COLUMNS: std::ops::RangeInclusive<usize> = 2..=6;

/// Which part of a table a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Table,
    Caption,
    Columns,
    Intro,
    Note,
    /// 0-based row.
    Row(usize),
}

/// Checks every table of an article.
pub fn check(page: &SourcePage, meta: &ArticleMeta, errors: &mut Errors) {
    // Read only for a message: a build leaves the text in the file.
    let fm = std::cell::OnceCell::new();
    let fm = || fm.get_or_init(|| page.front_matter());
    let at = |line: usize| Place::at(&page.path, line, Some(1));
    if meta.comparison.is_some() && meta.comparisons.is_some() {
        errors.push(Diagnostic::new(
            at(TableLines::find(fm(), None)
                .key
                .max(TableLines::top_key(fm(), "comparisons"))),
            "use either `comparison` (one table) or `comparisons` (named tables), not both",
        ));
    }
    let tables = meta.comparison.iter().map(|c| (None, c)).chain(
        meta.comparisons
            .iter()
            .flatten()
            .map(|(name, c)| (Some(name.as_str()), c)),
    );
    for (name, table) in tables {
        let problems = problems(table);
        if problems.is_empty() {
            continue;
        }
        // Lines are looked up only for tables with problems.
        let lines = TableLines::find(fm(), name);
        let label = name.map_or("comparison".to_string(), |n| format!("comparisons.{n}"));
        for (part, message) in problems {
            errors.push(Diagnostic::new(
                at(lines.line(part)),
                format!("{label}: {message}"),
            ));
        }
    }
}

/// A table ready for templates: `caption`, `columns` and row labels are
/// text (templates escape them); `intro`, `note` and values are HTML.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// `None` for the single `comparison`, else its key in `comparisons`.
    pub name: Option<String>,
    /// Unique on the page, for `id` attributes: `comparison`, `comparison-cost`.
    pub id: String,
    pub caption: String,
    pub intro: Option<String>,
    pub note: Option<String>,
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub label: String,
    pub values: Vec<String>,
}

/// Renders every table of an article: cells are inline Markdown, with
/// links to source files rewritten and checked like body links.
pub fn render(
    page: &SourcePage,
    meta: &ArticleMeta,
    links: &dyn crate::markdown::LinkResolver,
    errors: &mut Errors,
) -> Vec<Table> {
    // Read only for a message: a build leaves the text in the file.
    let fm = std::cell::OnceCell::new();
    let fm = || fm.get_or_init(|| page.front_matter());
    let tables = meta.comparison.iter().map(|c| (None, c)).chain(
        meta.comparisons
            .iter()
            .flatten()
            .map(|(name, c)| (Some(name.as_str()), c)),
    );
    let mut out = Vec::new();
    for (name, table) in tables {
        // Lines are looked up only when a cell has a problem.
        let lines = std::cell::OnceCell::new();
        let label = name.map_or("comparison".to_string(), |n| format!("comparisons.{n}"));
        let mut cell = |text: &str, part: Part| match crate::markdown::render_inline(text, links) {
            Ok(html) => html,
            Err(message) => {
                let line = lines
                    .get_or_init(|| TableLines::find(fm(), name))
                    .line(part);
                errors.push(Diagnostic::new(
                    Place::at(&page.path, line, Some(1)),
                    format!("{label}: {message}"),
                ));
                String::new()
            }
        };
        let intro = table.intro.as_deref().map(|t| cell(t, Part::Intro));
        let note = table.note.as_deref().map(|t| cell(t, Part::Note));
        let rows = table
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| Row {
                label: row.label.clone(),
                values: row.values.iter().map(|v| cell(v, Part::Row(i))).collect(),
            })
            .collect();
        out.push(Table {
            name: name.map(str::to_string),
            id: match name {
                None => "comparison".to_string(),
                Some(n) => format!("comparison-{}", crate::markdown::heading_slug(n)),
            },
            caption: table.caption.clone(),
            intro,
            note,
            columns: table.columns.clone(),
            rows,
        });
    }
    out
}

/// Checks a page's `{{ comparison }}` shortcodes against its tables.
pub fn check_calls(meta: &ArticleMeta, calls: &[crate::shortcode::Call]) -> Vec<(usize, String)> {
    let mut problems = Vec::new();
    let names: Vec<&str> = meta
        .comparisons
        .iter()
        .flatten()
        .map(|(n, _)| n.as_str())
        .collect();
    for call in calls.iter().filter(|c| c.name == "comparison") {
        let problem = match call.arg("name") {
            Some(name) if !names.contains(&name) => Some(if names.is_empty() {
                format!("`{{{{ comparison name=\"{name}\" }}}}` names a table, but this page has no `comparisons:`")
            } else {
                format!(
                    "there is no table `{name}` in this page's `comparisons`{}",
                    crate::suggest::did_you_mean(name, names.iter().copied())
                )
            }),
            Some(_) => None,
            None if meta.comparison.is_some() => None,
            None if !names.is_empty() => Some(format!(
                "this page has named tables: say which one, like {{{{ comparison name=\"{}\" }}}}",
                names.first().copied().unwrap_or_default()
            )),
            None => Some(
                "`{{ comparison }}` is used but this page has no comparison: add `comparison:` to the front matter, or remove the line".into(),
            ),
        };
        if let Some(message) = problem {
            problems.push((call.line, message));
        }
    }
    problems
}

/// Everything wrong with one table.
pub fn problems(table: &Comparison) -> Vec<(Part, String)> {
    let mut problems = Vec::new();
    if table.caption.trim().is_empty() {
        problems.push((
            Part::Caption,
            "the caption is empty: say what the table compares".into(),
        ));
    }
    let columns = table.columns.len();
    if !COLUMNS.contains(&columns) {
        problems.push((
            Part::Columns,
            format!(
                "a comparison needs {} to {} columns, this one has {columns}",
                COLUMNS.start(),
                COLUMNS.end()
            ),
        ));
    }
    let mut seen = HashSet::new();
    for column in table.columns.iter().filter(|c| is_blank(c)) {
        problems.push((
            Part::Columns,
            format!(
                "a column is named `{column}`: give every column a name, like \"Dry needling\""
            ),
        ));
    }
    for column in &table.columns {
        if !seen.insert(column) {
            problems.push((
                Part::Columns,
                format!("the column `{column}` is named twice"),
            ));
        }
    }
    let mut labels = HashSet::new();
    for (i, row) in table.rows.iter().enumerate() {
        if !labels.insert(&row.label) {
            problems.push((
                Part::Row(i),
                format!("the row `{}` is listed twice", row.label),
            ));
        }
        for (value, column) in row.values.iter().zip(&table.columns) {
            if is_blank(value) {
                problems.push((
                    Part::Row(i),
                    format!(
                        "row {} (`{}`) has an empty cell under `{column}`: write what applies, or \"None\" or \"Not applicable\" when that is the answer",
                        i + 1,
                        row.label
                    ),
                ));
            }
        }
        if is_blank(&row.label) {
            problems.push((
                Part::Row(i),
                format!(
                    "row {} has an empty `label`: name what the row compares",
                    i + 1
                ),
            ));
        }
        let found = row.values.len();
        if found != columns {
            problems.push((
                Part::Row(i),
                format!(
                    "row {} (`{}`) has {found} value{} but there are {columns} columns: give one value per column",
                    i + 1,
                    row.label,
                    if found == 1 { "" } else { "s" }
                ),
            ));
        }
    }
    problems
}

/// An empty cell, or YAML's null (`~`, `null`), which reaches us as text:
/// printed, it would show as "~".
fn is_blank(value: &str) -> bool {
    let value = value.trim();
    value.is_empty() || value == "~" || value.eq_ignore_ascii_case("null")
}

/// File lines of a table's parts, found by reading the front matter's
/// indentation (serde keeps no positions).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TableLines {
    pub key: usize,
    pub caption: Option<usize>,
    pub columns: Option<usize>,
    pub intro: Option<usize>,
    pub note: Option<usize>,
    pub rows: Vec<usize>,
}

impl TableLines {
    /// The line of a part, falling back to the table's own key.
    pub fn line(&self, part: Part) -> usize {
        match part {
            Part::Table => Some(self.key),
            Part::Caption => self.caption,
            Part::Columns => self.columns,
            Part::Intro => self.intro,
            Part::Note => self.note,
            Part::Row(i) => self.rows.get(i).copied(),
        }
        .unwrap_or(self.key)
    }

    /// The line of a top-level `key:` (front matter starts at file line 2).
    fn top_key(fm: &str, key: &str) -> usize {
        fm.lines()
            .position(|l| indent(l) == 0 && field(l) == Some(key))
            .map_or(1, |i| i + 2)
    }

    /// The table `comparison` (`name` None) or `comparisons.<name>`.
    pub fn find(fm: &str, name: Option<&str>) -> TableLines {
        let lines: Vec<&str> = fm.lines().collect();
        let top = match name {
            None => "comparison",
            Some(_) => "comparisons",
        };
        let Some(mut start) = lines
            .iter()
            .position(|l| indent(l) == 0 && field(l) == Some(top))
        else {
            return TableLines {
                key: 1,
                ..TableLines::default()
            };
        };
        if let Some(name) = name {
            let block = block_end(&lines, start);
            match (start + 1..block).find(|&i| lines.get(i).and_then(|l| field(l)) == Some(name)) {
                Some(i) => start = i,
                None => {
                    return TableLines {
                        key: start + 2,
                        ..TableLines::default()
                    }
                }
            }
        }
        let mut table = TableLines {
            key: start + 2,
            ..TableLines::default()
        };
        for i in start + 1..block_end(&lines, start) {
            let Some(line) = lines.get(i) else { break };
            match field(line) {
                Some("caption") if table.caption.is_none() => table.caption = Some(i + 2),
                Some("columns") if table.columns.is_none() => table.columns = Some(i + 2),
                Some("intro") if table.intro.is_none() => table.intro = Some(i + 2),
                Some("note") if table.note.is_none() => table.note = Some(i + 2),
                Some("label") => table.rows.push(i + 2),
                _ if line.contains("{label:") || line.contains("{ label:") => {
                    table.rows.push(i + 2)
                }
                _ => {}
            }
        }
        table
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The key a line sets (`  - label: x` -> `label`), if any.
fn field(line: &str) -> Option<&str> {
    let body = line.trim_start().trim_start_matches("- ").trim_start();
    let (key, _) = body.split_once(':')?;
    let key = key.trim().trim_matches(['"', '\'']);
    (!key.is_empty() && !key.contains([' ', '{', '[', '#'])).then_some(key)
}

/// The index just past the block of lines indented under `start`.
fn block_end(lines: &[&str], start: usize) -> usize {
    let own = lines.get(start).map_or(0, |l| indent(l));
    (start + 1..lines.len())
        .find(|&i| {
            lines.get(i).is_some_and(|l| {
                !l.trim().is_empty() && !l.trim_start().starts_with('#') && indent(l) <= own
            })
        })
        .unwrap_or(lines.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontmatter::ComparisonRow;

    const ONE: &str = "title: a\ncomparison:\n  caption: C\n  columns: [A, B]\n  rows:\n    - label: \"Helps pain\"\n      values: [a, b]\n    - label: Helps\n      values: [a]\ntags: [x]\n";

    #[test]
    fn finds_rows_by_order_not_text() {
        let lines = TableLines::find(ONE, None);
        assert_eq!(lines.key, 3);
        assert_eq!(lines.caption, Some(4));
        assert_eq!(lines.columns, Some(5));
        assert_eq!(lines.rows, vec![7, 9]);
    }

    #[test]
    fn finds_named_tables() {
        let fm = "comparisons:\n  first:\n    caption: A\n    rows:\n      - label: Cost\n        values: [a, b]\n  second:\n    caption: B\n    rows:\n      - {label: Cost, values: [a]}\n";
        let second = TableLines::find(fm, Some("second"));
        assert_eq!(second.key, 8);
        assert_eq!(second.caption, Some(9));
        assert_eq!(second.rows, vec![11]);
        assert_eq!(TableLines::find(fm, Some("first")).rows, vec![6]);
    }

    #[test]
    fn problems_name_the_row() {
        let table = Comparison {
            caption: " ".into(),
            columns: vec!["A".into(), "A".into()],
            rows: vec![
                ComparisonRow {
                    label: "x".into(),
                    values: vec!["1".into()],
                },
                ComparisonRow {
                    label: "x".into(),
                    values: vec!["1".into(), "2".into()],
                },
            ],
            intro: None,
            note: None,
        };
        let found = problems(&table);
        assert!(found.contains(&(
            Part::Caption,
            "the caption is empty: say what the table compares".into()
        )));
        assert!(found
            .iter()
            .any(|(p, m)| *p == Part::Columns && m.contains("`A` is named twice")));
        assert!(found
            .iter()
            .any(|(p, m)| *p == Part::Row(1) && m.contains("`x` is listed twice")));
        assert!(found.contains(&(
            Part::Row(0),
            "row 1 (`x`) has 1 value but there are 2 columns: give one value per column".into()
        )));
    }

    #[test]
    fn column_count_is_bounded() {
        let table = |n: usize| Comparison {
            caption: "c".into(),
            columns: (0..n).map(|i| i.to_string()).collect(),
            rows: Vec::new(),
            intro: None,
            note: None,
        };
        assert!(problems(&table(1))
            .iter()
            .any(|(_, m)| m.contains("2 to 6 columns, this one has 1")));
        assert!(problems(&table(7))
            .iter()
            .any(|(_, m)| m.contains("this one has 7")));
        assert!(problems(&table(6)).is_empty());
    }
}
