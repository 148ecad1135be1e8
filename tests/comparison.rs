//! Comparison tables as data and the shortcodes that place them (issue 3):
//! markup, placement, cells, and every bad-input case with its line.

mod common;

use common::{Run, TestSite};

const ARTICLE: &str = "content/articles/choices.md";

/// An article with the given front matter lines (after the required ones) and body.
fn article(extra: &str, body: &str) -> String {
    format!("---\ntitle: Choices\ndescription: Which care to choose.\ndate: 2026-01-05\n{extra}---\n\n{body}")
}

const TWO_TABLES: &str = "comparisons:\n  cost:\n    caption: What it costs\n    columns: [Rest, Therapy]\n    rows:\n      - label: Price\n        values: [Free, Varies]\n  time:\n    caption: How long it takes\n    columns: [Rest, Therapy]\n    rows:\n      - label: Weeks\n        values: [\"1\", \"6\"]\n";

fn site_with(extra: &str, body: &str) -> TestSite {
    let site = TestSite::fixture("basic");
    site.write(ARTICLE, &article(extra, body));
    site
}

fn page(site: &TestSite) -> String {
    site.read("public/articles/choices/index.html")
}

/// The article with `extra` front matter and `body` fails at `line`
/// (see `TestSite::fails_at`).
fn fails_at(extra: &str, body: &str, line: usize, needle: &str) -> Run {
    TestSite::fails_at(ARTICLE, &article(extra, body), line, needle)
}

#[test]
fn table_markup_has_caption_scopes_and_rows_in_order() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let html = site.read("public/articles/back-pain/index.html");
    let table = &html[html.find("<table").expect("table")..html.find("</table>").expect("end")];
    assert!(
        table.contains(r#"<caption id="comparison-caption">Rest or move?</caption>"#),
        "{table}"
    );
    assert!(table.contains(r#"<th scope="col">Rest</th>"#));
    assert!(table.contains(r#"<th scope="col">Gentle movement</th>"#));
    let pain = table
        .find(r#"<th scope="row">Helps pain</th>"#)
        .expect("row 1");
    let strength = table
        .find(r#"<th scope="row">Helps strength</th>"#)
        .expect("row 2");
    assert!(pain < strength, "rows keep their order");
    assert!(html.contains(r#"role="region" aria-labelledby="comparison-caption" tabindex="0""#));
}

#[test]
fn cells_are_escaped_and_take_inline_markdown_and_links() {
    let extra = "comparison:\n  caption: \"Tom & Jerry <3\"\n  columns: [\"A & B\", \"\\\"Quoted\\\"\"]\n  intro: See *both* sides.\n  note: From the [back pain guide](back-pain.md).\n  rows:\n    - label: \"x < y\"\n      values: [\"1 < 2 & 3 > 2\", \"say \\\"hi\\\" [knees](knee-bundle/index.md#warm-up)\"]\n";
    let site = site_with(extra, "Text.\n");
    site.build().assert_ok();
    let html = page(&site);
    assert!(html.contains("Tom &amp; Jerry &lt;3"), "caption escaped");
    assert!(html.contains("A &amp; B"), "column escaped");
    assert!(html.contains("x &lt; y"), "label escaped");
    assert!(html.contains("1 &lt; 2 &amp; 3 &gt; 2"), "value escaped");
    assert!(
        html.contains(r#"<a href="/articles/knee-bundle/#warm-up">knees</a>"#),
        "cell link rewritten"
    );
    assert!(html.contains("See <em>both</em> sides."));
    assert!(
        html.contains(r#"<a href="/articles/back-pain/">back pain guide</a>"#),
        "note link rewritten"
    );
    assert!(!html.contains("<3"), "nothing unescaped");
}

#[test]
fn shortcode_places_the_table_in_the_body_once() {
    let extra = "comparison:\n  caption: Rest or move?\n  columns: [Rest, Move]\n  rows:\n    - label: Pain\n      values: [Less, Less]\n";
    let site = site_with(extra, "Before.\n\n{{ comparison }}\n\nAfter.\n");
    site.build().assert_ok();
    let html = page(&site);
    assert_eq!(html.matches("<table").count(), 1);
    let table = html.find("<table").expect("table");
    assert!(html.find("Before.").expect("before") < table);
    assert!(table < html.find("After.").expect("after"));
}

#[test]
fn table_without_shortcode_goes_after_the_body() {
    let extra = "comparison:\n  caption: Rest or move?\n  columns: [Rest, Move]\n  rows:\n    - label: Pain\n      values: [Less, Less]\n";
    let site = site_with(extra, "Only text.\n");
    site.build().assert_ok();
    let html = page(&site);
    assert!(html.find("Only text.").expect("body") < html.find("<table").expect("table"));
}

#[test]
fn named_tables_are_placed_by_name_and_the_rest_follow_the_body() {
    let site = site_with(
        TWO_TABLES,
        "Intro.\n\n{{ comparison name=\"time\" }}\n\nOutro.\n",
    );
    site.build().assert_ok();
    let html = page(&site);
    let time = html.find("How long it takes").expect("time table");
    let cost = html.find("What it costs").expect("cost table");
    assert!(time < html.find("Outro.").expect("outro"));
    assert!(
        cost > html.find("Outro.").expect("outro"),
        "the unplaced table follows the body"
    );
    assert!(html.contains(r#"id="comparison-time-caption""#));
    assert!(html.contains(r#"id="comparison-cost-caption""#));
}

#[test]
fn shortcodes_in_code_are_left_alone() {
    let site = site_with(
        "",
        "Write `{{ comparison }}` in a paragraph.\n\n```\n{{ cta }}\n```\n",
    );
    site.build().assert_ok();
    let html = page(&site);
    assert!(html.contains("<code>{{ comparison }}</code>"));
    assert!(html.contains("{{ cta }}\n</code></pre>"));
}

#[test]
fn cta_shortcode_lists_the_pages_clinics() {
    let site = site_with("locations: [elm-street]\n", "## Book\n\n{{ cta }}\n");
    site.build().assert_ok();
    let html = page(&site);
    assert_eq!(
        html.matches(r#"class="cta""#).count(),
        1,
        "the theme does not add a second one"
    );
    let cta = &html[html.find(r#"class="cta""#).expect("cta")..];
    assert!(cta.contains(r#"href="/locations/elm-street/""#));
    assert!(cta.contains("Book in Springfield"));
}

#[test]
fn locations_shortcode_lists_clinics_offering_the_treatments() {
    let site = site_with("treatments: [physical therapy]\n", "{{ locations }}\n");
    site.build().assert_ok();
    let html = page(&site);
    assert!(html.contains(r#"<a href="/locations/elm-street/">Test Clinic - Elm Street</a>"#));
}

#[test]
fn theme_can_add_and_override_shortcodes() {
    let site = site_with("", "{{ callout text=\"Drink water\" }}\n\n{{ cta }}\n");
    site.write("themes/brand/theme.yaml", "extends: default\n");
    site.write(
        "themes/brand/shortcodes/callout.html",
        "{# args: text #}\n<aside class=\"callout\">{{ text }}</aside>\n",
    );
    site.write(
        "themes/brand/shortcodes/cta.html",
        "<p class=\"brand-cta\">Call us</p>\n",
    );
    let config = site
        .read("site.yaml")
        .replace("language: en-US", "language: en-US\ntheme: brand");
    site.write("site.yaml", &config);
    site.build().assert_ok();
    let html = page(&site);
    assert!(html.contains(r#"<aside class="callout">Drink water</aside>"#));
    assert!(html.contains(r#"<p class="brand-cta">Call us</p>"#));
}

// Bad input: line numbers count from the top of the file. In `article()`
// the extra front matter starts on line 5; with no extra lines the body
// starts on line 7. A row's errors point at its `label` line.

#[test]
fn row_with_wrong_value_count_names_row_expected_and_found() {
    let extra = "comparison:\n  caption: C\n  columns: [A, B, C]\n  rows:\n    - label: One\n      values: [a, b, c]\n    - label: Two\n      values: [a, b]\n";
    fails_at(
        extra,
        "",
        11,
        "row 2 (`Two`) has 2 values but there are 3 columns",
    );
}

#[test]
fn too_few_or_too_many_columns() {
    let one = "comparison:\n  caption: C\n  columns: [A]\n  rows: []\n";
    fails_at(one, "", 7, "needs 2 to 6 columns, this one has 1");
    let seven = "comparison:\n  caption: C\n  columns: [A, B, C, D, E, F, G]\n  rows: []\n";
    fails_at(seven, "", 7, "this one has 7");
}

#[test]
fn duplicate_columns_or_rows() {
    let columns = "comparison:\n  caption: C\n  columns: [A, A]\n  rows: []\n";
    fails_at(columns, "", 7, "the column `A` is named twice");
    let rows = "comparison:\n  caption: C\n  columns: [A, B]\n  rows:\n    - {label: R, values: [a, b]}\n    - {label: R, values: [a, b]}\n";
    fails_at(rows, "", 10, "the row `R` is listed twice");
}

#[test]
fn empty_or_null_cells_say_how_to_write_none() {
    // `~` and `null` are YAML's "nothing"; printed, they showed as "~".
    for cell in ["~", "\"\"", "null", "\"  \""] {
        let extra = format!(
            "comparison:\n  caption: C\n  columns: [A, B]\n  rows:\n    - label: Fine\n      values: [a, b]\n    - label: Cost\n      values: [a, {cell}]\n"
        );
        let run = fails_at(&extra, "", 11, "row 2 (`Cost`) has an empty cell under `B`");
        assert!(run.stderr.contains("\"Not applicable\""), "{}", run.stderr);
    }
    let label =
        "comparison:\n  caption: C\n  columns: [A, B]\n  rows:\n    - {label: ~, values: [a, b]}\n";
    fails_at(label, "", 9, "row 1 has an empty `label`");
    let column = "comparison:\n  caption: C\n  columns: [A, \"\"]\n  rows: []\n";
    fails_at(column, "", 7, "give every column a name");
}

#[test]
fn empty_caption() {
    let extra = "comparison:\n  caption: \"\"\n  columns: [A, B]\n  rows: []\n";
    fails_at(extra, "", 6, "the caption is empty");
}

#[test]
fn comparison_and_comparisons_together() {
    let extra = format!("comparison:\n  caption: C\n  columns: [A, B]\n  rows: []\n{TWO_TABLES}");
    fails_at(&extra, "", 9, "either `comparison`");
}

#[test]
fn shortcode_for_a_table_that_is_not_there() {
    fails_at(
        "",
        "Text.\n\n{{ comparison }}\n",
        9,
        "this page has no comparison",
    );
    let lines = TWO_TABLES.lines().count();
    fails_at(
        TWO_TABLES,
        "{{ comparison name=\"tme\" }}\n",
        7 + lines,
        "no table `tme`",
    );
    fails_at(
        TWO_TABLES,
        "{{ comparison name=\"tme\" }}\n",
        7 + lines,
        "did you mean `time`?",
    );
    fails_at(TWO_TABLES, "{{ comparison }}\n", 7 + lines, "say which one");
}

#[test]
fn unknown_shortcode_suggests_the_nearest() {
    fails_at(
        "",
        "{{ comparisn }}\n",
        7,
        "there is no shortcode `comparisn`, did you mean `comparison`?",
    );
}

#[test]
fn unknown_or_missing_argument() {
    fails_at(
        "",
        "{{ cta size=\"big\" }}\n",
        7,
        "shortcode `cta` has no argument `size`",
    );
    let extra = "comparison:\n  caption: C\n  columns: [A, B]\n  rows: []\n";
    fails_at(
        extra,
        "{{ comparison nme=\"x\" }}\n",
        11,
        "did you mean `name`?",
    );
}

#[test]
fn unclosed_shortcode() {
    fails_at("", "Text.\n\n{{ comparison\n", 9, "never closes");
}

#[test]
fn block_markdown_or_html_in_a_cell() {
    let list = "comparison:\n  caption: C\n  columns: [A, B]\n  rows:\n    - label: R\n      values: [\"- a list\", b]\n";
    fails_at(list, "", 9, "this one has a list");
    let html = "comparison:\n  caption: C\n  columns: [A, B]\n  rows:\n    - label: R\n      values: [\"<b>bold</b>\", b]\n";
    fails_at(html, "", 9, "this one has raw HTML");
}

#[test]
fn broken_link_in_a_cell() {
    let extra = "comparison:\n  caption: C\n  columns: [A, B]\n  rows:\n    - label: R\n      values: [\"[x](nope.md)\", b]\n";
    fails_at(
        extra,
        "",
        9,
        "`nope.md` points at content/articles/nope.md, which does not exist",
    );
}
