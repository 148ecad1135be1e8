//! Stage 3 of the build: Markdown to HTML with stable heading ids, and every
//! link handed to the site's resolver so links to source files become page
//! URLs (and broken ones become errors with their line).

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// A heading in a page body, for ids, anchors and the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// Whether a link is followed (`[a](b)`) or embedded (`![a](b)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Link,
    Image,
}

/// Turns a link destination as written into the one to print. `Ok(None)`
/// keeps it as written; `Err` is a message for a broken link.
pub trait LinkResolver: Sync {
    fn resolve(&self, dest: &str, kind: LinkKind) -> Result<Option<String>, String>;
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    /// Words of prose, for reading time.
    pub words: usize,
    /// Broken links: body line (1-based, counted in the body) and message.
    pub problems: Vec<(usize, String)>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The headings of a body with the ids `render` gives them; cheap enough to
/// run over every page before any is rendered, so anchors across pages can be
/// checked.
pub fn headings(body: &str) -> Vec<Heading> {
    let mut events: Vec<(Event, Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    assign_heading_ids(&mut events)
}

/// Renders a body, rewriting links through `links`.
pub fn render(body: &str, links: &dyn LinkResolver) -> Rendered {
    let mut events: Vec<(Event, Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let headings = assign_heading_ids(&mut events);
    let lines = LineIndex::new(body);
    let mut problems = Vec::new();
    let mut words = 0;
    let mut in_code = false;
    for (event, range) in &mut events {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                rewrite(dest_url, LinkKind::Link, links, &mut problems, || {
                    lines.line(range.start)
                });
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                rewrite(dest_url, LinkKind::Image, links, &mut problems, || {
                    lines.line(range.start)
                });
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(text) if !in_code => words += text.split_whitespace().count(),
            _ => {}
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(event, _)| event));
    Rendered {
        html,
        headings,
        words,
        problems,
    }
}

fn rewrite(
    dest: &mut CowStr<'_>,
    kind: LinkKind,
    links: &dyn LinkResolver,
    problems: &mut Vec<(usize, String)>,
    line: impl Fn() -> usize,
) {
    match links.resolve(dest, kind) {
        Ok(Some(new)) => *dest = CowStr::from(new),
        Ok(None) => {}
        Err(message) => problems.push((line(), message)),
    }
}

/// Gives every heading an id: its own `{#id}` if written, else a slug of
/// its text, made unique in the page with `-1`, `-2`...
fn assign_heading_ids(events: &mut [(Event, Range<usize>)]) -> Vec<Heading> {
    let mut used = HashSet::new();
    let mut headings = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let Some((Event::Start(Tag::Heading { level, id, .. }), _)) = events.get(i) else {
            i += 1;
            continue;
        };
        let level = heading_level(*level);
        let written = id.as_ref().map(|id| id.to_string());
        let mut title = String::new();
        let mut end = i + 1;
        while let Some((event, _)) = events.get(end) {
            match event {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(text) | Event::Code(text) => title.push_str(text),
                Event::SoftBreak | Event::HardBreak => title.push(' '),
                _ => {}
            }
            end += 1;
        }
        let base = written.unwrap_or_else(|| heading_slug(&title));
        let id = unique(&base, &mut used);
        if let Some((Event::Start(Tag::Heading { id: slot, .. }), _)) = events.get_mut(i) {
            *slot = Some(CowStr::from(id.clone()));
        }
        headings.push(Heading {
            level,
            id,
            title: title.trim().to_string(),
        });
        i = end + 1;
    }
    headings
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `How do they feel?` -> `how-do-they-feel`.
pub fn heading_slug(title: &str) -> String {
    let slug = slug::slugify(title);
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

fn unique(base: &str, used: &mut HashSet<String>) -> String {
    let mut candidate = base.to_string();
    let mut n = 0;
    while !used.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{base}-{n}");
    }
    candidate
}

/// Byte offset to 1-based line.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Keep;
    impl LinkResolver for Keep {
        fn resolve(&self, dest: &str, _: LinkKind) -> Result<Option<String>, String> {
            if dest == "broken.md" {
                Err("no such page".into())
            } else if dest == "other.md" {
                Ok(Some("/other/".into()))
            } else {
                Ok(None)
            }
        }
    }

    #[test]
    fn heading_ids_are_unique_and_stable() {
        let body = "# Intro\n\n## How do they feel?\n\n## Intro\n\n## Intro\n\n## Custom {#mine}\n";
        let ids: Vec<String> = headings(body).into_iter().map(|h| h.id).collect();
        assert_eq!(
            ids,
            ["intro", "how-do-they-feel", "intro-1", "intro-2", "mine"]
        );
        let html = render(body, &Keep).html;
        assert!(
            html.contains(r#"<h2 id="how-do-they-feel">How do they feel?</h2>"#),
            "{html}"
        );
        assert!(html.contains(r#"<h2 id="intro-2">"#));
    }

    #[test]
    fn heading_title_keeps_code_and_drops_markup() {
        let h = headings("## The `foo` *bar*\n");
        assert_eq!(h[0].title, "The foo bar");
        assert_eq!(h[0].id, "the-foo-bar");
    }

    #[test]
    fn gfm_features() {
        let body = "a ~~b~~ c[^1]\n\n[^1]: note\n\n- [x] done\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n\"quoted\" -- dash\n";
        let html = render(body, &Keep).html;
        assert!(html.contains("<del>b</del>"));
        assert!(html.contains("footnote"));
        assert!(html.contains(r#"type="checkbox""#));
        assert!(html.contains("<table>"));
        assert!(html.contains("“quoted”"));
        assert!(html.contains("–"));
    }

    #[test]
    fn links_rewritten_and_broken_ones_located() {
        let body = "line one\n\n[ok](other.md)\n\ntext [bad](broken.md)\n";
        let out = render(body, &Keep);
        assert!(out.html.contains(r#"href="/other/""#));
        assert_eq!(out.problems, vec![(5, "no such page".to_string())]);
    }

    #[test]
    fn words_skip_code_blocks() {
        let out = render("one two three\n\n```\nnot counted here\n```\n", &Keep);
        assert_eq!(out.words, 3);
    }

    #[test]
    fn line_index() {
        let idx = LineIndex::new("a\nbc\n\nd");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(5), 3);
        assert_eq!(idx.line(6), 4);
    }
}
