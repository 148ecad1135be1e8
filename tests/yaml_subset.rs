//! The YAML subset reader (`src/yaml/subset.rs`) against the full parser:
//! whatever the subset reads, the full parser reads the same; the common
//! front matter takes the subset; and the rest is left to the full parser.

use std::path::Path;

use handout::yaml::subset::from_str;
use proptest::prelude::*;

use handout::frontmatter::{ArticleMeta, AuthorMeta, HomeMeta, LocationMeta, PlainMeta};
use handout::fuzzing::{same_as_full_parser, yaml_subset, Scalars};

/// The subset reads `text` as `T`, and the full parser reads the same.
fn read<T>(text: &str) -> T
where
    T: serde::de::DeserializeOwned + std::fmt::Debug,
{
    same_as_full_parser::<T>(text)
        .unwrap_or_else(|| panic!("the subset left {text:?} to the full parser"))
}

#[test]
fn an_article_front_matter_is_read_as_the_full_parser_reads_it() {
    let text = "\
title: \"3 Exercises for Knee Pain: \\\"Slow\\\" Is Fine\"
description: 'What helps, what doesn''t, and when to call us.'
date: 2024-09-27
updated: 2025-04-08 # after the review
author: victor-fischer
last_reviewed: 2025-08-31
reviewed_by: megan-rivera

tags: [flexibility, chronic pain]
conditions: [ \"knee pain\" , 'meniscus tear' ]
# A clinic list in block style, at the key's own indent.
locations:
- hinsdale
- orland-park
draft: false
also_known_as:
  - runner's knee
  - C# and 100% sure
comparison:
  caption: Which option fits?
  columns: [Exercise, Ultrasound]
  rows:
    - label: Evidence level
      values: [\"Strong\", Some]
    -   label: Best for
        values:
          - Most people
          - 'A few'
";
    let meta: ArticleMeta = read(text);
    assert_eq!(meta.title, "3 Exercises for Knee Pain: \"Slow\" Is Fine");
    assert_eq!(
        meta.description,
        "What helps, what doesn't, and when to call us."
    );
    assert_eq!(meta.locations, ["hinsdale", "orland-park"]);
    assert_eq!(meta.also_known_as, ["runner's knee", "C# and 100% sure"]);
    let table = meta.comparison.expect("the table");
    assert_eq!(table.rows.len(), 2);
    assert_eq!(table.rows[1].values, ["Most people", "A few"]);
    // Windows line ends read the same.
    let crlf = text.replace('\n', "\r\n");
    assert_eq!(read::<ArticleMeta>(&crlf), read::<ArticleMeta>(text));
}

#[test]
fn scalars_are_read_as_each_type_needs_them() {
    let text = "\
text: 123
list: [null, true, 0x1F]
int: -42
small: 7
float: -87.65
flag: TRUE
day: Mo
days: [Tu, 'We']
date: 2026-01-15
nested:
  one:
    text: ~
items:
  - float: 41
  - text: \"\"
";
    let scalars: Scalars = read(text);
    let shown = format!("{scalars:?}");
    for part in [
        "text: Some(\"123\")",
        "list: Some([\"null\", \"true\", \"0x1F\"])",
        "int: Some(-42)",
        "small: Some(7)",
        "float: Some(-87.65)",
        "flag: Some(true)",
        "day: Some(Mo)",
        "days: Some([Tu, We])",
        "float: Some(41.0)",
        "text: Some(\"\")",
    ] {
        assert!(shown.contains(part), "{part} not in {shown}");
    }
    // `~` is null, so an absent text.
    assert!(shown.contains("{\"one\": Scalars { text: None"), "{shown}");
}

#[test]
fn what_yaml_reads_as_another_type_is_left_to_the_full_parser() {
    for text in [
        "int: 012",
        "int: 0x1F",
        "int: +5",
        "float: 1e3",
        "float: .inf",
        "flag: yes",
        "small: 300",
        "day: [Mo]",
        "text: [a]",
        "list: a",
    ] {
        assert!(from_str::<Scalars>(text).is_none(), "{text}");
        yaml_subset(text.as_bytes());
    }
    // Untyped, a plain scalar that may be a number or null is refused.
    for text in [
        "a: 12",
        "a: null",
        "a: -1.5",
        "a: true",
        "a: nan",
        "a: 2024-01-01",
    ] {
        assert!(from_str::<serde_yaml::Value>(text).is_none(), "{text}");
    }
    let value: serde_yaml::Value = read("a: [b, \"12\"]\nc:\n  d: e f\n");
    assert_eq!(value["a"][1], serde_yaml::Value::from("12"));
}

#[test]
fn each_construct_outside_the_subset_is_left_to_the_full_parser() {
    for text in [
        "a: &x b\nc: *x",
        "a: !tag b",
        "a: |\n  b\n",
        "a: >\n  b\n",
        "a: b\n  c\n",
        "a: {b: c}",
        "a:\tb",
        "a: b\rc: d",
        "a:\nb: c",
        "a: b\na: c",
        "---\na: b",
        "a: b\n...\n",
        "a:\n  -\n  - b",
        "a:\n  - - b",
        "a: \"b",
        "a: 'b",
        "a: \"\\x41\"",
        "\"a\": b",
        "a: b: c",
        "a: b:",
        "a: # nothing",
        "a: \"b\" c",
        "a: [b, [c]]",
        "a: [b,]",
        "a: [b, , c]",
        "a: [b: c]",
        "a: [b\n  , c]",
        "? a\n: b",
        "a: - b",
        "a: @b",
        "a: `b`",
        "a: %b",
        "a : b",
        "- a\nb: c",
        "a:\n  b: c\n d: e",
        "a: b\u{85}c: d",
        "a: b\u{2028}",
        "\u{feff}a: b",
        "a: \u{7}",
    ] {
        assert!(from_str::<serde_yaml::Value>(text).is_none(), "{text:?}");
        yaml_subset(text.as_bytes());
    }
}

#[test]
fn a_long_mapping_is_read_in_linear_time_and_a_repeat_is_refused() {
    let mut text: String = (0..20_000).map(|i| format!("key{i}: v\n")).collect();
    let value: serde_yaml::Value = read(&text);
    assert_eq!(value["key19999"], serde_yaml::Value::from("v"));
    text.push_str("key5: w\n");
    assert!(from_str::<serde_yaml::Value>(&text).is_none());
}

#[test]
fn deep_nesting_is_left_to_the_full_parser() {
    let text: String = (0..40)
        .map(|depth| format!("{}k{depth}:\n", " ".repeat(depth)))
        .chain(std::iter::once(format!("{}x: y\n", " ".repeat(40))))
        .collect();
    assert!(from_str::<serde_yaml::Value>(&text).is_none());
}

/// Every page of the example site but the clinics (whose hours are flow
/// mappings) takes the subset: the build's speed depends on it.
#[test]
fn the_example_sites_pages_take_the_subset() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut read_pages = 0;
    for entry in walkdir(&content) {
        let Ok(text) = std::fs::read_to_string(&entry) else {
            continue;
        };
        let Ok(split) = handout::content::split_front_matter(&text) else {
            continue;
        };
        let fm = split.front_matter;
        let rel = entry.strip_prefix(&content).unwrap_or(&entry);
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
        match rel.components().next().and_then(|c| c.as_os_str().to_str()) {
            Some("articles") => drop(read::<ArticleMeta>(fm)),
            Some("authors") => drop(read::<AuthorMeta>(fm)),
            Some("locations") => drop(same_as_full_parser::<LocationMeta>(fm)),
            _ if name.starts_with("index.") => drop(read::<HomeMeta>(fm)),
            _ => drop(read::<PlainMeta>(fm)),
        }
        read_pages += 1;
    }
    assert!(read_pages >= 10, "only {read_pages} pages found");
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    out
}

/// Pieces of YAML, valid and not, tricky for a narrow reader.
const KEYS: &[&str] = &[
    "text", "list", "int", "small", "float", "flag", "day", "days", "date", "nested", "items",
    "title", "tags", "a b", "-k", "k#", "null", "1", "x:y", "'q'", "\"q\"", "text ", "?", "",
];
const SEPARATORS: &[&str] = &[": ", ":", ":  ", " : ", ":\t", ": # c\n"];
const VALUES: &[&str] = &[
    "",
    "x",
    "Knee pain",
    "null",
    "~",
    "Null",
    "true",
    "yes",
    "12",
    "-3",
    "012",
    "0x1F",
    "1e3",
    "-87.65",
    ".5",
    "3.",
    "+5",
    ".inf",
    "nan",
    "inf",
    "Mo",
    "Su",
    "2024-09-27",
    "2024-09-27T10:00:00Z",
    "a: b",
    "a:b",
    "a #c",
    "a# c",
    "C#",
    "\"quoted\"",
    "\"es\\\"c\"",
    "\"\\u00e9\"",
    "\"\\x41\"",
    "\"\\n\\t\\/\"",
    "'it''s'",
    "''",
    "'a' b",
    "\"a\" # c",
    "[a, b]",
    "[]",
    "[ a ,b ]",
    "[a, [b]]",
    "[a,]",
    "[a, , b]",
    "[\"x, y\", 'z']",
    "[a: b]",
    "[Mo, Tu]",
    "{a: b}",
    "&x a",
    "*x",
    "!t a",
    "|",
    ">",
    "- a",
    "-",
    "-a",
    "é",
    "日本",
    "\u{85}",
    "a\tb",
    "%x",
    "@x",
    "`x`",
    "?x",
    "? x",
    ":x",
    "a  ",
    "'open",
    "\"open",
    "a]",
    "[a] b",
];

fn line() -> impl Strategy<Value = String> {
    // Mostly the common case, so that many texts are ones the subset
    // reads, with a piece of any kind now and then.
    let indent = prop_oneof![
        6 => Just(""),
        3 => Just("  "),
        1 => prop::sample::select(vec![" ", "    ", "\t"]),
    ];
    let key = prop_oneof![4 => prop::sample::select(&KEYS[..11]), 1 => prop::sample::select(KEYS)];
    let sep = prop_oneof![6 => Just(": "), 1 => prop::sample::select(SEPARATORS)];
    let value = prop_oneof![
        2 => prop::sample::select(&VALUES[..24]),
        1 => prop::sample::select(VALUES),
    ];
    let kind = 0..6u8;
    (indent, key, sep, value, kind).prop_map(|(indent, key, sep, value, kind)| match kind {
        0 | 1 => format!("{indent}{key}{sep}{value}"),
        2 => format!("{indent}- {value}"),
        3 => format!("{indent}- {key}{sep}{value}"),
        4 => format!("{indent}{key}:"),
        _ => format!("{indent}# {value}"),
    })
}

/// A tree of mappings and lists with text leaves, written in any of the
/// styles the subset takes.
#[derive(Debug, Clone)]
enum Tree {
    Leaf(&'static str),
    List(Vec<Tree>),
    Map(Vec<(usize, Tree)>),
}

const WORDS: &[&str] = &[
    "knee",
    "Back pain",
    "it's",
    "C#",
    "a:b",
    "x-ray",
    "é",
    "yes",
    "Mo",
    "- a",
    "null",
    "~",
    "true",
    "12",
    "-3",
    "7",
    "-87.65",
    "012",
    "0x1F",
    "Tu",
    "2024-09-27",
    "a #b",
    "1e3",
];

/// The first words of [`WORDS`], text whatever the type read.
const TEXT_WORDS: usize = 10;

/// The keys of [`Scalars`], so that typed reads are compared too.
const NAMES: &[&str] = &[
    "text", "list", "int", "small", "float", "flag", "day", "days", "date", "nested", "items",
    "other",
];

fn all_text(tree: &Tree) -> bool {
    match tree {
        Tree::Leaf(word) => WORDS[..TEXT_WORDS].contains(word),
        Tree::List(items) => items.iter().all(all_text),
        Tree::Map(entries) => entries.iter().all(|(_, t)| all_text(t)),
    }
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop::sample::select(WORDS).prop_map(Tree::Leaf);
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Tree::List),
            prop::collection::vec((0..12usize, inner), 1..5).prop_map(Tree::Map),
        ]
    })
}

/// A word as a plain, single- or double-quoted scalar (`style` picks;
/// quoted where it cannot be plain).
fn scalar(word: &str, style: u8) -> String {
    let plain_ok = !word.starts_with("- ") && word != "'";
    match style % 3 {
        0 if plain_ok => word.to_string(),
        1 => format!("'{}'", word.replace('\'', "''")),
        _ => format!("\"{word}\""),
    }
}

/// A mapping in block style at `indent`; `styles` picks each choice.
fn write_map(
    entries: &[(usize, Tree)],
    indent: usize,
    styles: &mut impl Iterator<Item = u8>,
    out: &mut String,
) {
    let mut seen = Vec::new();
    for (key, value) in entries {
        if seen.contains(key) {
            continue;
        }
        seen.push(*key);
        out.push_str(&" ".repeat(indent));
        out.push_str(NAMES[key % NAMES.len()]);
        out.push(':');
        let style = styles.next().unwrap_or(0);
        match value {
            Tree::Leaf(word) => out.push_str(&format!(" {}\n", scalar(word, style))),
            Tree::List(items) if items.is_empty() => out.push_str(" []\n"),
            Tree::List(items)
                if style.is_multiple_of(2) && items.iter().all(|i| matches!(i, Tree::Leaf(_))) =>
            {
                out.push_str(&format!(" {}\n", flow(items)));
            }
            Tree::List(items) => {
                out.push('\n');
                write_list(
                    items,
                    indent + [0, 2, 4][usize::from(style % 3)],
                    styles,
                    out,
                );
            }
            Tree::Map(entries) => {
                out.push('\n');
                write_map(
                    entries,
                    indent + [1, 2, 4][usize::from(style % 3)],
                    styles,
                    out,
                );
            }
        }
    }
}

/// A list in block style at `indent`: a mapping item starts on its dash's
/// line, a list item is written as a flow list of its words.
fn write_list(
    items: &[Tree],
    indent: usize,
    styles: &mut impl Iterator<Item = u8>,
    out: &mut String,
) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push_str("- ");
        match item {
            Tree::Leaf(word) => {
                out.push_str(&format!("{}\n", scalar(word, styles.next().unwrap_or(0))))
            }
            Tree::List(items) => out.push_str(&format!("{}\n", flow(items))),
            Tree::Map(entries) => {
                let mut map = String::new();
                write_map(entries, indent + 2, styles, &mut map);
                out.push_str(map.get(indent + 2..).unwrap_or(""));
            }
        }
    }
}

/// `["a", 'b']`: the list's words, quoted.
fn flow(items: &[Tree]) -> String {
    let words: Vec<String> = items
        .iter()
        .filter_map(|i| match i {
            Tree::Leaf(w) => Some(scalar(w, 1 + (w.len() % 2) as u8)),
            _ => None,
        })
        .collect();
    format!("[{}]", words.join(", "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("HANDOUT_PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(400)
    ))]

    /// Lines of any kind: whatever the subset reads, the full parser reads
    /// the same.
    #[test]
    fn any_lines_read_by_the_subset_match_the_full_parser(lines in prop::collection::vec(line(), 1..8), crlf in any::<bool>()) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        yaml_subset(text.as_bytes());
    }

    /// Valid trees in every style the subset takes: it reads each, as the
    /// full parser does.
    #[test]
    fn trees_in_the_subsets_styles_are_read_as_the_full_parser_reads_them(tree in tree(), styles in prop::collection::vec(any::<u8>(), 64)) {
        let entries = match tree {
            Tree::Map(entries) => entries,
            other => vec![(0, other)],
        };
        let mut text = String::new();
        write_map(&entries, 0, &mut styles.into_iter().cycle(), &mut text);
        let words_are_text = entries.iter().all(|(_, t)| all_text(t));
        let value = same_as_full_parser::<serde_yaml::Value>(&text);
        if words_are_text {
            prop_assert!(value.is_some(), "the subset left {:?} to the full parser", text);
        }
        yaml_subset(text.as_bytes());
    }
}
