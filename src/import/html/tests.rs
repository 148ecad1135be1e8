//! HTML to Markdown: the conversions staff will read, one per shape of
//! WordPress HTML.

use super::*;

/// Rewrites `/2019/a/` to `/articles/a.md` and uploads to their file name,
/// and records what it was asked.
#[derive(Default)]
struct Map {
    asked: Vec<(String, bool)>,
}

impl Resolve for Map {
    fn link(&mut self, href: &str, in_html: bool) -> Rewrite {
        self.asked.push((href.to_string(), in_html));
        match href {
            "https://c.example/2019/a/" => Rewrite::To("/articles/a.md".to_string()),
            "https://c.example/gone/" => Rewrite::Drop,
            _ => Rewrite::Keep,
        }
    }

    fn file(&mut self, src: &str) -> Rewrite {
        if src.contains("missing") {
            return Rewrite::Drop;
        }
        match src.rsplit_once("/wp-content/uploads/") {
            Some((_, rest)) => Rewrite::To(rest.rsplit('/').next().unwrap_or(rest).to_string()),
            None => Rewrite::Keep,
        }
    }
}

fn md(html: &str, classic: bool) -> (String, Vec<String>) {
    let mut map = Map::default();
    let out = convert(html, classic, &mut map);
    (out.markdown, out.notes)
}

#[test]
fn classic_editor_text() {
    let (out, notes) = md(
        "Knee pain is <em>common</em>.\nIt gets better.\n\n<h2>What helps</h2>\n<ul>\n<li>Rest</li>\n<li><strong>Ice</strong></li>\n</ul>\n<ol><li>One</li><li>Two</li></ol>\n<blockquote>Move a little every day.</blockquote>\n\nSee <a href=\"https://c.example/2019/a/\">the guide</a> and <a href=\"https://other.example/\">this</a>.",
        true,
    );
    assert_eq!(
        out,
        "Knee pain is *common*.\\\nIt gets better.\n\n## What helps\n\n- Rest\n- **Ice**\n\n1. One\n2. Two\n\n> Move a little every day.\n\nSee [the guide](/articles/a.md) and [this](https://other.example/).\n"
    );
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn block_editor_text() {
    let html = "<h2 id=\"care\">Care</h2>\n\n<p>Line one</p>\n\n<pre class=\"wp-block-code\"><code>a &lt; b\n\nc</code></pre>\n\n<p>Done <code>x</code>.</p>";
    let (out, notes) = md(html, false);
    assert_eq!(
        out,
        "## Care {#care}\n\nLine one\n\n```\na < b\n\nc\n```\n\nDone `x`.\n"
    );
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn tables_with_a_header_become_markdown_others_stay_html() {
    let (out, notes) = md(
        "<table><thead><tr><th>Rest</th><th>Move</th></tr></thead><tbody><tr><td>A day</td><td><em>Yes</em></td></tr></tbody></table>",
        false,
    );
    assert!(out.starts_with("| Rest"), "{out}");
    assert!(out.contains("| A day | *Yes* |"), "{out}");
    assert!(notes.is_empty());
    let (out, notes) = md("<table><tr><td>a</td><td>b</td></tr></table>", false);
    assert!(out.starts_with("<table>"), "{out}");
    assert!(
        notes[0].contains("a table Markdown cannot hold"),
        "{notes:?}"
    );
    let (out, _) = md(
        "<table><tr><th>a</th></tr><tr><td><ul><li>x</li></ul></td></tr></table>",
        false,
    );
    assert!(out.starts_with("<table>"), "{out}");
}

#[test]
fn figures_keep_captions_and_embeds_become_links() {
    let (out, _) = md(
        "<figure class=\"wp-block-image\"><img src=\"https://c.example/wp-content/uploads/2019/05/knee-300x200.jpg\" alt=\"A knee\" srcset=\"x 300w\"><figcaption>Ice <em>helps</em></figcaption></figure>",
        false,
    );
    assert_eq!(out, "![A knee](knee-300x200.jpg)\\\n*Ice *helps**\n");
    let (out, notes) = md(
        "<figure class=\"wp-block-embed is-type-video wp-block-embed-youtube\"><div class=\"wp-block-embed__wrapper\">\nhttps://www.youtube.com/watch?v=abc\n</div><figcaption>Stretches</figcaption></figure>",
        false,
    );
    assert_eq!(
        out,
        "<https://www.youtube.com/watch?v=abc>\\\n*Stretches*\n"
    );
    assert!(notes.is_empty());
    let (out, _) = md("https://www.youtube.com/watch?v=abc\n\nText", true);
    assert_eq!(out, "<https://www.youtube.com/watch?v=abc>\n\nText\n");
}

#[test]
fn what_markdown_cannot_hold_is_kept_as_html_and_noted() {
    let (out, notes) = md(
        "<p>Watch:</p>\n<iframe src=\"https://www.youtube.com/embed/x\"\n\nwidth=\"560\"></iframe>\n<p>Area m<sup>2</sup> <del>old</del></p>",
        false,
    );
    assert!(
        out.contains(
            "\n\n<iframe src=\"https://www.youtube.com/embed/x\" width=\"560\"></iframe>\n\n"
        ),
        "{out}"
    );
    assert!(out.contains("Area m<sup>2</sup> ~~old~~"), "{out}");
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0].contains("<iframe> (https://www.youtube.com/embed/x)"),
        "{notes:?}"
    );
}

#[test]
fn links_inside_kept_html_are_left_for_the_browser() {
    let mut map = Map::default();
    convert(
        "<details><summary>More</summary><a href=\"https://c.example/2019/a/\">a</a></details><p><a href=\"https://c.example/2019/a/\">b</a></p>",
        false,
        &mut map,
    );
    assert_eq!(
        map.asked,
        [
            ("https://c.example/2019/a/".to_string(), true),
            ("https://c.example/2019/a/".to_string(), false)
        ]
    );
}

#[test]
fn html_that_does_not_close_is_converted_and_noted() {
    let (out, notes) = md("<p>Rest <strong>well\n\n<p>Then <em>move</p>", false);
    assert!(out.contains("Rest **well**"), "{out}");
    assert_eq!(notes.len(), 1);
    assert!(notes[0].contains("<em>, <strong>"), "{notes:?}");
}

#[test]
fn shortcode_lookalikes_stay_text() {
    let (out, _) = md("<p>{{ cta }}</p><p>a {{ b }}</p>", false);
    assert_eq!(out, "\\{{ cta }}\n\na {{ b }}\n");
}

#[test]
fn odd_characters_survive() {
    let (out, _) = md(
        "<p>Caf\u{e9} \u{2014} \u{201c}quotes\u{201d} &amp; &lt;tags&gt; 50% *stars* _under_ [brackets] \u{1f600}</p>",
        false,
    );
    assert!(
        out.starts_with("Café — “quotes” & \\<tags> 50% \\*stars\\* \\_under\\_ \\[brackets\\] 😀"),
        "{out}"
    );
    assert_eq!(
        text("Tom &amp; Jerry&#8217;s <b>day</b>"),
        "Tom & Jerry’s day"
    );
}

#[test]
fn deep_nesting_is_kept_as_html() {
    let html = "<div>".repeat(5_000) + "deep" + &"</div>".repeat(5_000);
    let (out, notes) = md(&html, false);
    assert!(out.contains("deep"));
    assert!(notes.iter().any(|n| n.contains("nested")), "{notes:?}");
}

#[test]
fn empty_posts_are_empty() {
    assert_eq!(md("", true).0, "");
    assert_eq!(md("  \n\n ", false).0, "");
}

#[test]
fn links_and_pictures_that_would_lead_nowhere_are_dropped_visibly() {
    let (out, _) = md(
        "<p>See <a href=\"https://c.example/gone/\">the old page</a>.</p><p><img src=\"https://c.example/wp-content/uploads/missing.png\" alt=\"A -- chart\"></p>",
        false,
    );
    assert_eq!(
        out,
        "See the old page.\n\n<!-- missing picture: https://c.example/wp-content/uploads/missing.png (A - chart) -->\n"
    );
}
