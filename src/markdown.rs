//! Stage 3 of the build: Markdown to HTML with stable heading ids, and every
//! link handed to the site's resolver so links to source files become page
//! URLs (and broken ones become errors with their line).

use rustc_hash::FxHashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// A heading in a page body, for ids, anchors and the table of contents.
/// Every page keeps its headings to the end of a build, for its table of
/// contents, so the id and the title share one allocation: as two
/// `String`s, the headings were about 28 MB at 50k.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// The id, then the title.
    text: Box<str>,
    id_len: usize,
}

impl Heading {
    pub fn new(level: u8, id: &str, title: &str) -> Heading {
        Heading {
            level,
            text: [id, title].concat().into(),
            id_len: id.len(),
        }
    }

    pub fn id(&self) -> &str {
        self.text.get(..self.id_len).unwrap_or_default()
    }

    pub fn title(&self) -> &str {
        self.text.get(self.id_len..).unwrap_or_default()
    }
}

/// As templates see it (`toc`): `{level, id, title}`.
impl Serialize for Heading {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut fields = serializer.serialize_struct("Heading", 3)?;
        fields.serialize_field("level", &self.level)?;
        fields.serialize_field("id", self.id())?;
        fields.serialize_field("title", self.title())?;
        fields.end()
    }
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

    /// The page (source file) and heading id a link points at, when it has
    /// an anchor; `render` records them so they can be checked once every
    /// page's headings are known.
    fn anchor_of(&self, _dest: &str) -> Option<(String, String)> {
        None
    }

    /// Whether a link is written as one of the site's own addresses
    /// (`/articles/a/`, `https://<the site>/...`) rather than a source file;
    /// `render` records them so they can be checked against every file the
    /// build writes, which is known only after the site is assembled.
    fn is_site_address(&self, _dest: &str) -> bool {
        false
    }

    /// The HTML for an image written as `dest` when it is a processed
    /// picture (`<picture>` with `srcset`, sizes and dimensions); `None`
    /// prints a plain `<img>`. `eager` is true for the page's first image.
    fn picture(&self, _dest: &str, _alt: &str, _title: &str, _eager: bool) -> Option<String> {
        None
    }

    /// The files from `content/` the links were looked up by, taken, so a
    /// later build can tell whether the body would render the same;
    /// `None` when the resolver does not record them.
    fn looked_up(&self) -> Option<Vec<String>> {
        None
    }
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    /// Words of the prose (inline code too, not code blocks) and of the
    /// headings, as `split_whitespace` finds them in the text a reader
    /// sees, for reading time.
    pub words: usize,
    /// Broken links and shortcodes: body line (1-based, counted in the
    /// body) and message.
    pub problems: Vec<(usize, String)>,
    /// Shortcode calls, in order; call `n` stands in `html` as
    /// `shortcode::marker(n)` until render replaces it.
    pub shortcodes: Vec<crate::shortcode::Call>,
    /// Image sources as printed (after rewriting), for share images.
    pub images: Vec<String>,
    /// Links with an anchor: body line, target source file, heading id.
    pub anchors: Vec<(usize, String, String)>,
    /// The prose as plain text (no headings, code blocks or raw HTML), a
    /// line per block, for the search index. Whoever indexes it takes it,
    /// so it is not kept for the whole build.
    pub text: String,
    /// Links and images written as the site's own addresses: body line,
    /// the link as written, and its kind.
    pub addresses: Vec<(usize, String, LinkKind)>,
    /// The files from `content/` its links were looked up by (see
    /// [`LinkResolver::looked_up`]).
    pub looked_up: Option<Vec<String>>,
}

/// The Markdown dialect of every page (docs/contract.md, Pages).
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a body, rewriting links through `links`.
pub fn render(body: &str, links: &dyn LinkResolver) -> Rendered {
    // Room for a body's events at once (the generated corpus has one per
    // 30 to 36 bytes) instead of a copy each time the list doubles.
    let mut events: Vec<(Event, Range<usize>)> = Vec::with_capacity(body.len() / 24);
    events.extend(Parser::new_ext(body, options()).into_offset_iter());
    let headings = assign_heading_ids(&mut events);
    let lines = LineIndex::new(body);
    let mut problems = Vec::new();
    let shortcodes = take_shortcodes(body, &mut events, &lines, &mut problems);
    let mut images = Vec::new();
    let mut anchors = Vec::new();
    let mut addresses = Vec::new();
    let mut in_code = false;
    let mut in_heading = false;
    let mut text = String::with_capacity(body.len());
    // Each image's event and its destination as written.
    let mut written_images = Vec::new();
    for (index, (event, range)) in events.iter_mut().enumerate() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some((rel, anchor)) = links.anchor_of(dest_url) {
                    anchors.push((lines.line(range.start), rel, anchor));
                }
                if links.is_site_address(dest_url) {
                    let line = lines.line(range.start);
                    addresses.push((line, dest_url.to_string(), LinkKind::Link));
                }
                rewrite(dest_url, LinkKind::Link, links, &mut problems, || {
                    lines.line(range.start)
                });
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                written_images.push((index, dest_url.to_string()));
                if links.is_site_address(dest_url) {
                    let line = lines.line(range.start);
                    addresses.push((line, dest_url.to_string(), LinkKind::Image));
                }
                rewrite(dest_url, LinkKind::Image, links, &mut problems, || {
                    lines.line(range.start)
                });
                images.push(dest_url.to_string());
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) if !in_code && !in_heading => text.push_str(t),
            Event::Code(t) if !in_heading => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::Image) => {
                text.push('\n')
            }
            _ => {}
        }
    }
    text.shrink_to_fit();
    // Counted in the text as a reader sees it, not piece by piece: smart
    // punctuation splits `don't` into three pieces of text, and emphasis
    // splits `*em*phasis` in two.
    let words = crate::words::whitespace_words(&text)
        + headings
            .iter()
            .map(|h| crate::words::whitespace_words(h.title()))
            .sum::<usize>();
    print_pictures(&mut events, written_images, links);
    // HTML runs to about twice its Markdown; growing it copies it.
    let mut html = String::with_capacity(body.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(event, _)| event));
    // Every page's HTML is kept until the build ends: no spare capacity.
    html.shrink_to_fit();
    Rendered {
        html,
        headings,
        words,
        problems,
        shortcodes,
        images,
        anchors,
        text,
        addresses,
        looked_up: links.looked_up(),
    }
}

/// Replaces each image that is a processed picture (start, alt text, end)
/// by its HTML. The first image of the body loads at once; the others
/// lazily (see `LinkResolver::picture`).
fn print_pictures(
    events: &mut Vec<(Event, Range<usize>)>,
    written: Vec<(usize, String)>,
    links: &dyn LinkResolver,
) {
    // From the last, so earlier indexes stay valid as events are removed.
    let first = written.first().map(|(i, _)| *i);
    for (start, dest) in written.into_iter().rev() {
        let Some((Event::Start(Tag::Image { title, .. }), range)) = events.get(start) else {
            continue;
        };
        let title = title.to_string();
        let range = range.clone();
        let mut alt = String::new();
        let mut depth = 0;
        let mut end = start + 1;
        while let Some((event, _)) = events.get(end) {
            match event {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) if depth == 0 => break,
                Event::End(TagEnd::Image) => depth -= 1,
                Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => alt.push_str(t),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
            end += 1;
        }
        if end >= events.len() {
            continue;
        }
        if let Some(html) = links.picture(&dest, &alt, &title, Some(start) == first) {
            events.splice(
                start..=end,
                [(Event::InlineHtml(CowStr::from(html)), range)],
            );
        }
    }
}

/// Replaces each paragraph written as a shortcode (`{{ name ... }}`) by a
/// marker, and returns the calls. Code spans and blocks are never
/// paragraphs of their own source, so nothing inside them is expanded.
fn take_shortcodes(
    body: &str,
    events: &mut Vec<(Event, Range<usize>)>,
    lines: &LineIndex,
    problems: &mut Vec<(usize, String)>,
) -> Vec<crate::shortcode::Call> {
    let mut calls = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let is_call = match events.get(i) {
            Some((Event::Start(Tag::Paragraph), range)) => body
                .get(range.clone())
                .filter(|source| crate::shortcode::looks_like_call(source))
                .map(|source| (source, lines.line(range.start))),
            _ => None,
        };
        let Some((source, line)) = is_call else {
            i += 1;
            continue;
        };
        let end = (i..events.len())
            .find(|&j| matches!(events.get(j), Some((Event::End(TagEnd::Paragraph), _))))
            .unwrap_or(i);
        match crate::shortcode::parse_call(source, line) {
            Ok(call) => {
                let marker = crate::shortcode::marker(calls.len());
                let range = events.get(i).map(|(_, r)| r.clone()).unwrap_or_default();
                events.splice(i..=end, [(Event::Html(CowStr::from(marker + "\n")), range)]);
                calls.push(call);
            }
            Err(message) => problems.push((line, message)),
        }
        i += 1;
    }
    calls
}

/// Inline Markdown (emphasis, code, links) to HTML without a paragraph
/// around it, for table cells. Anything else (lists, headings, images, raw
/// HTML, a second paragraph) is an error naming what was found.
pub fn render_inline(text: &str, links: &dyn LinkResolver) -> Result<String, String> {
    // Most cells are a few plain words, the same in HTML: parsing each
    // (60,000 cells at 10k) took 2% of a build's instructions.
    if is_plain(text) {
        return Ok(text.to_string());
    }
    render_inline_parsed(text, links)
}

/// Whether Markdown leaves `text` as it is and HTML needs no escape in
/// it: letters, digits, single spaces and punctuation that starts nothing
/// (no `--` or `..`, which smart punctuation turns into dashes and
/// ellipses), starting with a letter (so never a list item) and ending
/// without a space.
fn is_plain(text: &str) -> bool {
    let mut chars = text.chars();
    if !chars.next().is_some_and(char::is_alphabetic) || text.ends_with(' ') {
        return false;
    }
    let bytes = text.as_bytes();
    let doubled = |pair: &[u8]| matches!(pair, b"--" | b".." | b"  ");
    chars.all(|c| {
        c.is_alphanumeric() || matches!(c, ' ' | ',' | '.' | ';' | '?' | '(' | ')' | '%' | '-')
    }) && !bytes.windows(2).any(doubled)
}

fn render_inline_parsed(text: &str, links: &dyn LinkResolver) -> Result<String, String> {
    let mut events: Vec<Event> = Parser::new_ext(text, options()).collect();
    let mut paragraphs = 0;
    for event in &mut events {
        let refused = match event {
            Event::Start(Tag::Paragraph) => {
                paragraphs += 1;
                (paragraphs > 1).then_some("a second paragraph (a blank line)")
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(new) = links.resolve(dest_url, LinkKind::Link)? {
                    *dest_url = CowStr::from(new);
                }
                None
            }
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough)
            | Event::End(_)
            | Event::Text(_)
            | Event::Code(_)
            | Event::SoftBreak
            | Event::HardBreak => None,
            Event::Html(_) | Event::InlineHtml(_) => Some("raw HTML"),
            Event::Start(Tag::Image { .. }) => Some("an image"),
            Event::Start(Tag::List(_) | Tag::Item) => Some("a list"),
            Event::Start(Tag::Heading { .. }) => Some("a heading"),
            Event::Start(Tag::CodeBlock(_)) => Some("a code block"),
            Event::Start(Tag::BlockQuote(_)) => Some("a quote"),
            Event::Start(Tag::Table(_)) => Some("a table"),
            _ => Some("a block of Markdown"),
        };
        if let Some(what) = refused {
            return Err(format!(
                "a table cell takes one line of inline Markdown (emphasis, links, `code`); this one has {what}"
            ));
        }
    }
    let mut html = String::with_capacity(text.len() + 16);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let trimmed = html.trim_end();
    Ok(trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .unwrap_or(trimmed)
        .to_string())
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
    let mut used = FxHashSet::default();
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
        headings.push(Heading::new(level, &id, title.trim()));
        i = end + 1;
    }
    headings
}

pub(crate) fn heading_level(level: HeadingLevel) -> u8 {
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

fn unique(base: &str, used: &mut FxHashSet<String>) -> String {
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
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
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
    fn a_heading_keeps_its_id_and_title_apart_and_shows_templates_both() {
        let heading = Heading::new(2, "cafe-au-lait", "Café au lait");
        assert_eq!(
            (heading.id(), heading.title()),
            ("cafe-au-lait", "Café au lait")
        );
        let json = serde_json::to_value(&heading).expect("serialized");
        assert_eq!(
            json,
            serde_json::json!({"level": 2, "id": "cafe-au-lait", "title": "Café au lait"})
        );
        let bare = Heading::new(1, "", "");
        assert_eq!((bare.id(), bare.title()), ("", ""));
        assert_ne!(Heading::new(1, "ab", "c"), Heading::new(1, "a", "bc"));
    }

    #[test]
    fn heading_ids_are_unique_and_stable() {
        let body = "# Intro\n\n## How do they feel?\n\n## Intro\n\n## Intro\n\n## Custom {#mine}\n";
        let ids: Vec<String> = render(body, &Keep)
            .headings
            .into_iter()
            .map(|h| h.id().to_string())
            .collect();
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
        let h = render("## The `foo` *bar*\n", &Keep).headings;
        assert_eq!(h[0].title(), "The foo bar");
        assert_eq!(h[0].id(), "the-foo-bar");
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
    fn shortcodes_become_markers_outside_code() {
        let body = "Intro.\n\n{{ comparison name=\"a\" }}\n\n`{{ not }}`\n\n```\n{{ nor }}\n```\n\n{{ cta }}\n";
        let out = render(body, &Keep);
        let names: Vec<&str> = out.shortcodes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["comparison", "cta"]);
        assert_eq!(out.shortcodes[0].line, 3);
        assert!(
            out.html.contains("<!--handout-shortcode-0-->"),
            "{}",
            out.html
        );
        assert!(out.html.contains("<!--handout-shortcode-1-->"));
        assert!(out.html.contains("<code>{{ not }}</code>"));
        assert!(out.html.contains("{{ nor }}"));
        assert!(!out.html.contains("<p><!--"));
    }

    #[test]
    fn bad_shortcode_is_a_problem_at_its_line() {
        let out = render("a\n\n{{ cta\n", &Keep);
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.problems[0].0, 3);
        assert!(out.problems[0].1.contains("never closes"));
    }

    #[test]
    fn inline_cells() {
        assert_eq!(
            render_inline("*deep* & <3", &Keep).unwrap(),
            "<em>deep</em> &amp; &lt;3"
        );
        assert_eq!(
            render_inline("[x](other.md)", &Keep).unwrap(),
            r#"<a href="/other/">x</a>"#
        );
        assert!(render_inline("[x](broken.md)", &Keep)
            .unwrap_err()
            .contains("no such page"));
        for (text, what) in [
            ("- a", "a list"),
            ("<b>x</b>", "raw HTML"),
            ("a\n\nb", "second paragraph"),
            ("# h", "a heading"),
            ("![i](x.png)", "an image"),
        ] {
            let err = render_inline(text, &Keep).unwrap_err();
            assert!(err.contains(what), "{text}: {err}");
        }
    }

    fn plain_piece() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec!["Rest", "ice", "é", "9", " ", "-", ".", ","])
    }

    #[test]
    fn a_plain_cell_is_taken_as_it_is_and_anything_else_is_parsed() {
        for plain in [
            "Weekly",
            "Once a week, 30 minutes (or less)",
            "Ñandú 50%",
            "follow-up",
        ] {
            assert!(is_plain(plain), "{plain}");
        }
        for parsed in [
            "",
            "1. Rest",
            " Rest",
            "Rest ",
            "it's",
            "a--b",
            "wait...",
            "a  b",
            "a *b* c",
            "a `b` c",
            "a ~~b~~ c",
            "a & b",
        ] {
            assert!(!is_plain(parsed), "{parsed}");
        }
    }

    proptest::proptest! {
        // Failures print their case; no file of seeds is kept.
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 1024,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// A cell taken as it is reads as the parser would have made it;
        /// the text is plain words around at most one of the characters
        /// (or sequences) Markdown or HTML treats as its own.
        #[test]
        fn a_cell_taken_as_it_is_matches_the_parsed_one(
            before in proptest::collection::vec(plain_piece(), 0..5),
            special in proptest::sample::select(vec![
                "", ";", "?", "(", ")", "%", ":", "/", "'", "\"", "*", "_", "`", "~", "[", "]",
                "!", "<", ">", "&", "#", "+", "=", "|", "{", "}", "^", "$", "\\", "\n", "\t",
                "1.", "1)", "http://x.org", "&amp;", "\u{a0}", "--", "...", "  ",
            ]),
            after in proptest::collection::vec(plain_piece(), 0..5),
        ) {
            let text = format!("{}{special}{}", before.concat(), after.concat());
            proptest::prop_assert_eq!(
                render_inline(&text, &Keep),
                render_inline_parsed(&text, &Keep),
                "{:?}", text
            );
        }
    }

    #[test]
    fn links_with_anchors_are_recorded_for_checking_later() {
        struct Anchors;
        impl LinkResolver for Anchors {
            fn resolve(&self, _: &str, _: LinkKind) -> Result<Option<String>, String> {
                Ok(None)
            }
            fn anchor_of(&self, dest: &str) -> Option<(String, String)> {
                let (rel, anchor) = dest.split_once('#')?;
                Some((rel.to_string(), anchor.to_string()))
            }
        }
        let out = render("a\n\n[x](b.md#c) [y](d.md)\n", &Anchors);
        assert_eq!(out.anchors, vec![(3, "b.md".to_string(), "c".to_string())]);
    }

    #[test]
    fn words_are_counted_as_a_reader_sees_them() {
        // Smart quotes and emphasis split a word's text into pieces; a
        // heading's words count, and so does inline code.
        let out = render(
            "# Knee pain\n\nDon't stop. It's \"fine\" -- *em*phasis `code` here\nnext line.\n",
            &Keep,
        );
        assert_eq!(out.words, 2 + 10, "{:?}", out.text);
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
