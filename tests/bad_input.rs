//! Broken input (docs/contract.md, "Errors and exit codes"): every error names its place as
//! `error: <file>:<line>:<col>: <message>`, a build reports all it found,
//! nothing panics, and a failed build leaves the previous `public/` exactly
//! as it was.
//!
//! Each test builds the `basic` fixture once, breaks it, builds again and
//! checks the error and that nothing was written. Tests marked `#[ignore]`
//! show bugs in handout; the reason says what is wrong.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Run, TestSite};

type Snapshot = BTreeMap<String, Vec<u8>>;

const ARTICLE: &str = "content/articles/back-pain.md";
const BUNDLE: &str = "content/articles/knee-bundle/index.md";
const ABOUT: &str = "content/about.md";
const SITE: &str = "site.yaml";

/// The basic fixture after one good build, and that build's output.
struct Broken {
    site: TestSite,
    before: Snapshot,
}

impl Broken {
    fn new() -> Broken {
        let site = TestSite::fixture("basic");
        site.build().assert_ok();
        let before = site.snapshot("public");
        assert!(
            before.contains_key("index.html"),
            "the good build wrote no index.html: {:?}",
            before.keys().collect::<Vec<_>>()
        );
        Broken { site, before }
    }

    fn write(&self, rel: &str, text: &str) -> &Self {
        self.site.write(rel, text);
        self
    }

    fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        self.site.write_bytes(rel, bytes);
        self
    }

    /// Replaces the one place `from` occurs in `rel` with `to`.
    fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        self.site.edit(rel, from, to);
        self
    }

    fn append(&self, rel: &str, more: &str) -> &Self {
        self.site.append(rel, more);
        self
    }

    /// The 1-based line of the one line of `rel` that contains `needle`.
    fn line_of(&self, rel: &str, needle: &str) -> usize {
        self.site.line_of(rel, needle)
    }

    fn fails(&self) -> Run {
        self.fails_with(&[])
    }

    /// Runs `handout build <args>` and checks it failed without a panic and
    /// without writing: `public/` is as the good build left it, and no file
    /// anywhere in the site folder was added, changed or removed.
    fn fails_with(&self, args: &[&str]) -> Run {
        let site_before = self.site.snapshot("");
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let run = self.site.handout(&all);
        assert_eq!(
            run.code, 1,
            "expected exit 1\nstdout: {}\nstderr: {}",
            run.stdout, run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "panic: {}", run.stderr);
        assert_same(&self.before, &self.site.snapshot("public"), "public/");
        assert_same(&site_before, &self.site.snapshot(""), "the site folder");
        run
    }
}

/// Fails naming every file that differs.
fn assert_same(before: &Snapshot, after: &Snapshot, what: &str) {
    if before == after {
        return;
    }
    let changed: Vec<String> = before
        .keys()
        .chain(after.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|path| before.get(*path) != after.get(*path))
        .cloned()
        .collect();
    panic!("the failed build changed {what}: {changed:?}");
}

/// `file:line:col`.
fn at(rel: &str, line: usize, column: usize) -> String {
    format!("{rel}:{line}:{column}")
}

/// `file:line`, for errors that have no column.
fn at_line(rel: &str, line: usize) -> String {
    format!("{rel}:{line}")
}

fn error_lines(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect()
}

/// The `error: <place>:` line containing every needle. `place` is as exact
/// as the caller wants: `file`, `file:line` or `file:line:col`.
fn error_at<'a>(run: &'a Run, place: &str, needles: &[&str]) -> &'a str {
    let prefix = format!("error: {place}:");
    error_lines(run)
        .into_iter()
        .find(|l| l.starts_with(&prefix) && needles.iter().all(|n| l.contains(n)))
        .unwrap_or_else(|| {
            panic!(
                "no error at {place} containing {needles:?}\nstderr:\n{}",
                run.stderr
            )
        })
}

/// The error line containing every needle, wherever it is.
fn error_with<'a>(run: &'a Run, needles: &[&str]) -> &'a str {
    error_lines(run)
        .into_iter()
        .find(|l| needles.iter().all(|n| l.contains(n)))
        .unwrap_or_else(|| panic!("no error containing {needles:?}\nstderr:\n{}", run.stderr))
}

/// Exactly one error, at `place`, containing every needle.
fn assert_only_error(run: &Run, place: &str, needles: &[&str]) {
    error_at(run, place, needles);
    assert_eq!(
        error_lines(run).len(),
        1,
        "expected one error\nstderr:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Build failed with 1 error;"),
        "no summary line\nstderr:\n{}",
        run.stderr
    );
}

/// The line number of the first error in `rel`.
fn reported_line(run: &Run, rel: &str) -> usize {
    let prefix = format!("error: {rel}:");
    run.stderr
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .and_then(|rest| rest.split(':').next()?.parse().ok())
        .unwrap_or_else(|| panic!("no error with a line in {rel}\nstderr:\n{}", run.stderr))
}

#[test]
fn malformed_front_matter_yaml_is_reported_at_its_line() {
    // A colon in an unquoted title: the parser stops at the second colon.
    let broken = Broken::new();
    broken.edit(
        ARTICLE,
        "title: Back Pain Basics",
        "title: Back Pain: Basics",
    );
    let run = broken.fails();
    assert_only_error(&run, &at(ARTICLE, 2, 17), &["colon and a space (`: `)"]);

    // An unclosed list: the parser notices on the next line.
    let broken = Broken::new();
    broken.edit(ARTICLE, "tags: [pain]", "tags: [unclosed");
    let tags = broken.line_of(ARTICLE, "tags: [unclosed");
    let run = broken.fails();
    assert_only_error(&run, ARTICLE, &["the `[` that opens here is never closed"]);
    let line = reported_line(&run, ARTICLE);
    assert!(
        line == tags || line == tags + 1,
        "error at line {line}, the list opens on {tags}\n{}",
        run.stderr
    );
}

#[test]
fn unclosed_front_matter_is_reported_at_the_opening_fence() {
    let broken = Broken::new();
    broken.write(
        ABOUT,
        "---\ntitle: About\ndescription: About us.\n\nWe have a clinic.\n",
    );
    let run = broken.fails();
    assert_only_error(&run, &at(ABOUT, 1, 1), &["never closed"]);
}

#[test]
fn unknown_front_matter_key_suggests_the_nearest_known_key() {
    let broken = Broken::new();
    broken.edit(
        ARTICLE,
        "title: Back Pain Basics\n",
        "title: Back Pain Basics\ntitel: Basics\n",
    );
    let line = broken.line_of(ARTICLE, "titel:");
    let run = broken.fails();
    assert_only_error(
        &run,
        &at(ARTICLE, line, 1),
        &["unknown field `titel`, did you mean `title`?"],
    );
}

#[test]
fn wrong_type_for_a_date_names_the_value() {
    let broken = Broken::new();
    broken.edit(ARTICLE, "date: 2026-01-10", "date: yesterday");
    let line = broken.line_of(ARTICLE, "date: yesterday");
    let run = broken.fails();
    // Column 7: where the value starts.
    assert_only_error(
        &run,
        &at(ARTICLE, line, 7),
        &["`yesterday` is not a date", "YYYY-MM-DD"],
    );
}

#[test]
fn missing_required_field_is_named() {
    let broken = Broken::new();
    broken.edit(
        ARTICLE,
        "description: What helps a sore back, in plain words.\n",
        "",
    );
    let run = broken.fails();
    // The field has no line of its own: the front matter's first line.
    assert_only_error(
        &run,
        &at(ARTICLE, 2, 1),
        &["missing required field `description`"],
    );
}

#[test]
fn unknown_author_reviewer_or_location_names_the_value_and_the_nearest_slug() {
    let cases = [
        (
            "author: ann-lee",
            "author: ann-le",
            "author `ann-le`",
            "did you mean `ann-lee`?",
        ),
        (
            "reviewed_by: ann-lee",
            "reviewed_by: ann-le",
            "reviewed_by `ann-le`",
            "did you mean `ann-lee`?",
        ),
        (
            "locations: [elm-street]",
            "locations: [elm-stret]",
            "`elm-stret`",
            "did you mean `elm-street`?",
        ),
    ];
    for (from, to, value, hint) in cases {
        let broken = Broken::new();
        broken.edit(ARTICLE, from, to);
        let line = broken.line_of(ARTICLE, to);
        let run = broken.fails();
        assert_only_error(
            &run,
            &at(ARTICLE, line, 1),
            &[value, "does not match any file", hint],
        );
    }
}

#[test]
fn two_pages_with_the_same_url_are_both_named() {
    // A file beside a bundle folder of the same name.
    let broken = Broken::new();
    broken.write(
        "content/articles/knee-bundle.md",
        "---\ntitle: Knees\ndescription: More on knees.\ndate: 2026-01-05\n---\n\nText.\n",
    );
    assert_one_clash(
        &broken.fails(),
        ["content/articles/knee-bundle.md", BUNDLE],
        "/articles/knee-bundle/",
    );

    // A `slug` that takes another article's URL.
    let broken = Broken::new();
    broken.edit(
        BUNDLE,
        "date: 2026-02-01\n",
        "date: 2026-02-01\nslug: back-pain\n",
    );
    assert_one_clash(&broken.fails(), [ARTICLE, BUNDLE], "/articles/back-pain/");
}

/// One error, at one of the two files, naming both and the URL.
fn assert_one_clash(run: &Run, files: [&str; 2], url: &str) {
    let line = error_with(
        run,
        &[files[0], files[1], &format!("both have the URL {url}")],
    );
    assert!(
        files
            .iter()
            .any(|f| line.starts_with(&format!("error: {f}:"))),
        "the error is not at either file\n{line}"
    );
    assert_eq!(
        error_lines(run).len(),
        1,
        "expected one error\nstderr:\n{}",
        run.stderr
    );
}

#[test]
fn broken_links_are_reported_at_their_line_in_the_file() {
    let cases = [
        (
            ARTICLE,
            "[x](nope.md)",
            &["`nope.md`", "does not exist"][..],
        ),
        (
            ARTICLE,
            "[x](back-pain.md#nope)",
            &["no heading with id `nope`"][..],
        ),
        (
            ABOUT,
            "[x](articles/back-pain.md#nope)",
            &["no heading with id `nope` on content/articles/back-pain.md"][..],
        ),
    ];
    for (rel, link, needles) in cases {
        let broken = Broken::new();
        broken.append(rel, &format!("\nSee {link} for more.\n"));
        // Counted in the whole file, front matter included.
        let line = broken.line_of(rel, link);
        let run = broken.fails();
        assert_only_error(&run, &at_line(rel, line), needles);
    }
}

#[test]
fn comparison_row_with_the_wrong_number_of_values_is_reported_at_the_row() {
    for label in ["Helps strength", "\"Helps strength\""] {
        let broken = Broken::new();
        broken
            .edit(ARTICLE, "label: Helps strength", &format!("label: {label}"))
            .edit(ARTICLE, r#"values: ["No", "Yes"]"#, r#"values: ["No"]"#);
        let line = broken.line_of(ARTICLE, "Helps strength");
        let run = broken.fails();
        assert_only_error(
            &run,
            &at(ARTICLE, line, 1),
            &[
                "row 2 (`Helps strength`) has 1 value",
                "but there are 2 columns",
            ],
        );
    }
}

#[test]
fn non_utf8_file_is_reported_with_its_line() {
    let broken = Broken::new();
    broken.write_bytes(ABOUT, b"---\ntitle: \xff\n---\n");
    let run = broken.fails();
    assert_only_error(&run, &at_line(ABOUT, 2), &["not valid UTF-8"]);
}

#[test]
fn slug_that_would_leave_its_folder_is_refused_and_nothing_is_written() {
    let cases = [
        (BUNDLE, "date: 2026-02-01\n", "../evil"),
        (BUNDLE, "date: 2026-02-01\n", "a/b"),
        (BUNDLE, "date: 2026-02-01\n", "../../evil"),
        (BUNDLE, "date: 2026-02-01\n", "../../../evil"),
        (ABOUT, "description: About the test clinic.\n", "../evil"),
    ];
    for (rel, after, slug) in cases {
        let broken = Broken::new();
        let outside = broken.site.root().parent().expect("parent").join("evil");
        let existed = outside.exists();
        broken.edit(rel, after, &format!("{after}slug: {slug}\n"));
        let line = broken.line_of(rel, "slug:");
        // `fails` also checks that nothing in the site folder changed.
        let run = broken.fails();
        assert_only_error(
            &run,
            &at(rel, line, 1),
            &[&format!("slug `{slug}` may only use letters")],
        );
        assert!(
            !broken.site.path("evil").exists(),
            "an evil folder appeared in the site"
        );
        assert_eq!(
            outside.exists(),
            existed,
            "{} appeared beside the site",
            outside.display()
        );
    }
}

#[test]
fn template_syntax_error_names_the_template_line_and_column() {
    let broken = Broken::new();
    broken
        .write("themes/broken/theme.yaml", "extends: default\n")
        .write(
            "themes/broken/templates/base.html",
            "<!doctype html>\n<html>\n{% if %}\n</html>\n",
        )
        .append(SITE, "theme: broken\n");
    let run = broken.fails();
    // `{% if %}` on line 3: the condition is missing where `%}` starts.
    assert_only_error(
        &run,
        &at("themes/broken/templates/base.html", 3, 7),
        &["`%}`"],
    );
}

#[test]
fn a_partial_shown_once_that_reads_the_page_is_refused_with_how_to_include_it() {
    // The default footer shows `partials/contact.html` through `once`:
    // rendered once for the whole site, where there is no page.
    let broken = Broken::new();
    broken
        .write("themes/broken/theme.yaml", "extends: default\n")
        .write(
            "themes/broken/templates/partials/contact.html",
            "<p>Call us</p>\n<p>{{ page.title }}</p>\n",
        )
        .append(SITE, "theme: broken\n")
        .append(ABOUT, "\n{{ cta }}\n");
    let run = broken.fails();
    let partial = "themes/broken/templates/partials/contact.html";
    assert_only_error(&run, &at_line(partial, 2), &["page"]);
    // Told as itself, not as the failure of a shortcode that ran first.
    assert!(!run.stderr.contains("rendering `"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("include it with `{% include \"partials/contact.html\" %}`"),
        "no hint\nstderr:\n{}",
        run.stderr
    );
}

#[test]
fn a_partial_shown_once_that_does_not_exist_is_named_where_it_is_shown() {
    let broken = Broken::new();
    broken
        .write("themes/broken/theme.yaml", "extends: default\n")
        .write(
            "themes/broken/templates/404.html",
            "{% extends \"base.html\" %}\n{% block content %}\n{{ once [\"partials/contactt.html\"] }}\n{% endblock content %}\n",
        )
        .append(SITE, "theme: broken\n");
    let run = broken.fails();
    assert_only_error(
        &run,
        &at_line("themes/broken/templates/404.html", 3),
        &["`once[\"partials/contactt.html\"]` names no template, did you mean `partials/contact.html`?"],
    );
}

#[test]
fn shortcode_that_fails_to_render_names_its_page_and_leaves_the_output() {
    // Drawn after the search index is written to the staging folder, so
    // the failed build must still leave `public/` and the site as they were.
    let broken = Broken::new();
    broken
        .write("themes/broken/theme.yaml", "extends: default\n")
        .write(
            "themes/broken/shortcodes/cta.html",
            "{#- args: -#}\n{{ no_such_value.at_all }}\n",
        )
        .append(SITE, "theme: broken\n")
        .append(ABOUT, "\n{{ cta }}\n");
    let line = broken.line_of(ABOUT, "{{ cta }}");
    let run = broken.fails();
    error_with(
        &run,
        &[&format!("rendering `{{{{ cta }}}}` on {ABOUT}:{line}")],
    );
}

#[test]
fn theme_that_extends_itself_or_does_not_exist_is_refused() {
    let broken = Broken::new();
    broken
        .write("themes/loop/theme.yaml", "extends: loop\n")
        .append(SITE, "theme: loop\n");
    let run = broken.fails();
    assert_only_error(
        &run,
        "themes/loop/theme.yaml",
        &["theme `loop` extends itself"],
    );

    let broken = Broken::new();
    broken.append(SITE, "theme: nosuch\n");
    let run = broken.fails();
    assert_only_error(&run, SITE, &["theme `nosuch` not found", "default"]);
}

#[test]
fn every_error_of_one_build_is_reported() {
    // Two front matter errors, then two errors found across pages.
    let cases = [
        [
            (
                ABOUT,
                "title: About",
                "titel: About",
                "unknown field `titel`",
            ),
            (
                BUNDLE,
                "date: 2026-02-01",
                "date: soon",
                "`soon` is not a date",
            ),
        ],
        [
            (
                ARTICLE,
                "author: ann-lee",
                "author: ann-le",
                "author `ann-le`",
            ),
            (
                ABOUT,
                "[Elm Street](/locations/elm-street.md)",
                "[Elm Street](/locations/elm.md)",
                "does not exist",
            ),
        ],
    ];
    for pair in cases {
        let broken = Broken::new();
        for (rel, from, to, _) in pair {
            broken.edit(rel, from, to);
        }
        let lines: Vec<usize> = pair
            .iter()
            .map(|(rel, _, to, _)| broken.line_of(rel, to))
            .collect();
        let run = broken.fails();
        for ((rel, _, _, needle), line) in pair.iter().zip(lines) {
            error_at(&run, &at_line(rel, line), &[needle]);
        }
        assert_eq!(
            error_lines(&run).len(),
            2,
            "expected two errors\nstderr:\n{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("Build failed with 2 errors"),
            "no summary line\nstderr:\n{}",
            run.stderr
        );
    }
}

#[test]
fn output_folder_not_written_by_handout_is_refused() {
    let broken = Broken::new();
    broken.write("elsewhere/keep.txt", "mine, not handout's\n");
    let out = broken.site.path("elsewhere");
    let out_arg = out.to_string_lossy().into_owned();
    // `fails_with` also checks that the folder and the site are untouched.
    let run = broken.fails_with(&["--output", &out_arg]);
    assert_only_error(&run, &out_arg, &["refusing", "not empty"]);
    assert_eq!(
        broken.site.read("elsewhere/keep.txt"),
        "mine, not handout's\n"
    );
    assert_eq!(
        std::fs::read_dir(&out).expect("read").count(),
        1,
        "files were added to {out_arg}"
    );
}

#[test]
fn unknown_site_yaml_key_suggests_the_nearest_known_key() {
    let broken = Broken::new();
    broken.edit(SITE, "language: en-US\n", "titel: Test\nlanguage: en-US\n");
    let line = broken.line_of(SITE, "titel:");
    let run = broken.fails();
    assert_only_error(
        &run,
        &at(SITE, line, 1),
        &["unknown field `titel`, did you mean `title`?"],
    );
}

#[test]
fn command_line_error_exits_with_2() {
    let broken = Broken::new();
    let run = common::run(&["build", "--bogus"], broken.site.root());
    assert_eq!(
        run.code, 2,
        "expected exit 2\nstdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(
        run.stderr.contains("--bogus"),
        "the error does not name the argument\nstderr: {}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "panic: {}", run.stderr);
    assert_same(&broken.before, &broken.site.snapshot("public"), "public/");
}

/// What one odd input should do.
enum Expect {
    Builds,
    /// Exit 1 with an error at this place (`file`, `file:line` or
    /// `file:line:col`) containing the text.
    Fails(&'static str, &'static str),
}

#[test]
fn odd_input_never_panics() {
    use Expect::{Builds, Fails};
    const ODD: &str = "content/articles/odd.md";
    const AUTHOR: &str = "content/authors/ann-lee.md";
    const LOCATION: &str = "content/locations/elm-street.md";
    let article = |date: &str| {
        format!("---\ntitle: Odd\ndescription: An odd one.\ndate: {date}\n---\n\nText.\n")
    };
    let deep = |open: &str, close: &str| {
        format!(
            "---\ntitle: Deep\n---\n\n{}x{}\n",
            open.repeat(5000),
            close.repeat(5000)
        )
    };
    let cases = [
        (ABOUT, b"".to_vec(), Fails("content/about.md:1:1", "no front matter")),
        (ABOUT, b"Just text.\n".to_vec(), Fails("content/about.md:1:1", "no front matter")),
        (ABOUT, b"---".to_vec(), Fails("content/about.md:1:1", "never closed")),
        (ABOUT, b"---\n".to_vec(), Fails("content/about.md:1:1", "never closed")),
        (ODD, b"---\n---\n".to_vec(), Fails("content/articles/odd.md:2:1", "missing required field `title`")),
        (ODD, b"---\n---".to_vec(), Fails("content/articles/odd.md:2:1", "missing required field `title`")),
        (ODD, b"---\n- a list\n- not a map\n---\n".to_vec(), Fails("content/articles/odd.md:2", "")),
        (ABOUT, b"---\n~\n---\n".to_vec(), Fails("content/about.md:2", "")),
        (ABOUT, b"---\n\"just a string\"\n---\n".to_vec(), Fails("content/about.md:2", "")),
        (ABOUT, b"---\n: :\n---\n".to_vec(), Fails("content/about.md:2", "")),
        (ABOUT, b"---\ntitle: &a [*a]\n---\n".to_vec(), Fails("content/about.md:2", "")),
        (ABOUT, b"---\ntitle: \"\\ud800\"\n---\n".to_vec(), Fails("content/about.md:2", "")),
        (ABOUT, format!("---\ntitle: {}\n---\n", "[".repeat(2_000)).into(), Fails("content/about.md:2", "")),
        (ABOUT, b"---\ntitle: A\ntitle: B\n---\n".to_vec(), Fails("content/about.md:3:1", "`title` is set twice")),
        (ODD, article("99999999999999999999999999").into(), Fails("content/articles/odd.md:4:7", "is not a date")),
        (ODD, article("20250110").into(), Fails("content/articles/odd.md:4:7", "`20250110` is not a date")),
        (ODD, article("2025-02-30").into(), Fails("content/articles/odd.md:4:7", "is not a date")),
        (ODD, article("2025-01-10T99:00:00Z").into(), Fails("content/articles/odd.md:4:7", "is not a date")),
        (ODD, article("2025-01-10T08:00:00-06:00").into(), Builds),
        (ODD, b"---\ntitle: Odd\n\tdescription: Tab.\ndate: 2025-01-10\n---\n".to_vec(), Fails("content/articles/odd.md:3", "tab")),
        (ODD, b"---\ntitle:\tOdd\ndescription:\tTab.\ndate:\t2025-01-10\n---\n".to_vec(), Builds),
        (ABOUT, b"\xef\xbb\xbf---\ntitle: About\n---\n\nText.\n".to_vec(), Builds),
        (ABOUT, b"\xef\xbb\xbf---\ntitel: About\n---\n".to_vec(), Fails("content/about.md:2:1", "unknown field `titel`")),
        (ABOUT, b"---\r\ntitle: About\r\n---\r\n\r\nText.\r\n".to_vec(), Builds),
        (ABOUT, b"---\r\ntitle: About\r\ntitel: B\r\n---\r\n".to_vec(), Fails("content/about.md:3:1", "unknown field `titel`")),
        (ABOUT, b"---\r\ntitle: About\r\n---\r\n\r\n[x](nope.md)\r\n".to_vec(), Fails("content/about.md:5", "does not exist")),
        (ABOUT, b"---\ntitle: About\n---".to_vec(), Builds),
        (ABOUT, b"---\ntitle: About\nslug: \"\"\n---\n".to_vec(), Fails("content/about.md:3:1", "slug ``")),
        (ABOUT, deep("> ", "").into(), Builds),
        (ABOUT, deep("[", "]").into(), Builds),
        (ABOUT, deep("*", "*").into(), Builds),
        (ABOUT, b"---\ntitle: About\n---\n\n[x](../../etc/passwd.md)\n".to_vec(), Fails("content/about.md:5", "climbs out of content/")),
        (ODD, b"---\ntitle: O\ndescription: D\ndate: 2025-01-10\ncomparison:\n  caption: C\n  columns: []\n  rows: []\n---\n".to_vec(), Fails("content/articles/odd.md:7:1", "2 to 6 columns")),
        (ODD, b"---\ntitle: O\ndescription: D\ndate: 2025-01-10\nlocations: all\n---\n".to_vec(), Builds),
        (AUTHOR, b"---\nname: Ann Lee\ncredentials: PT\n---\n".to_vec(), Fails("content/authors/ann-lee.md:3", "credentials")),
        (LOCATION, b"---\nname: N\ncity: C\naddress: {street: S, locality: L, region: R, postal_code: 1}\nphone: P\ngeo: {lat: 1e999, lng: .nan}\nhours:\n  - {days: [Xx], opens: \"25:00\", closes: 7}\n---\n".to_vec(), Fails("content/locations/elm-street.md", "")),
        ("content/articles/index.md", b"---\ntitle: List\n---\n".to_vec(), Fails("content/articles/index.md", "made by handout")),
        ("content/articles/a/b.md", b"---\ntitle: Deep\n---\n".to_vec(), Fails("content/articles/a/b.md", "move this file")),
        ("content/tags.md", b"---\ntitle: Tags\n---\n".to_vec(), Fails("content/tags.md", "made by handout itself")),
        (SITE, b"".to_vec(), Fails("site.yaml:1:1", "missing required field `title`")),
        (SITE, b"- a list\n".to_vec(), Fails("site.yaml:1", "")),
        (SITE, b"title: T\nbase_url: not a url\n".to_vec(), Fails("site.yaml:2:1", "must start with https://")),
        (SITE, b"title: T\nbase_url: https://example.org/\npaginate: -1\n".to_vec(), Fails("site.yaml:3", "paginate")),
        (SITE, b"title: T\nbase_url: https://example.org/\ntheme: ../up\n".to_vec(), Fails("site.yaml:3:1", "theme `../up`")),
    ];
    for (rel, bytes, expect) in cases {
        let broken = Broken::new();
        broken.write_bytes(rel, &bytes);
        let shown = String::from_utf8_lossy(&bytes[..bytes.len().min(80)]).into_owned();
        match expect {
            Builds => {
                let run = broken.site.build();
                assert_eq!(
                    run.code, 0,
                    "{rel} = {shown:?} should build\nstderr: {}",
                    run.stderr
                );
            }
            Fails(place, needle) => {
                let run = broken.fails();
                assert!(
                    error_lines(&run)
                        .iter()
                        .any(|l| l.starts_with(&format!("error: {place}:")) && l.contains(needle)),
                    "{rel} = {shown:?}: no error at {place} containing {needle:?}\nstderr:\n{}",
                    run.stderr
                );
            }
        }
    }
}

// Bugs found while writing the cases above.

/// Every `line N column M` inside a message.
fn positions_in(text: &str) -> Vec<(usize, usize)> {
    text.match_indices("line ")
        .filter_map(|(i, _)| {
            let (line, rest) = text[i + 5..].split_once(" column ")?;
            let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
            Some((line.parse().ok()?, column.parse().ok()?))
        })
        .collect()
}

#[test]

fn yaml_syntax_error_positions_are_file_positions() {
    let broken = Broken::new();
    broken.edit(ARTICLE, "tags: [pain]", "tags: [unclosed");
    let tags = broken.line_of(ARTICLE, "tags: [unclosed");
    let next = tags + 1;
    let run = broken.fails();
    let line = error_at(&run, ARTICLE, &["that opens here is never closed"]);
    // The only true positions: where `[` opens and where the parser stopped.
    let true_positions = [(tags, 7), (next, 11)];
    for position in positions_in(line) {
        assert!(
            true_positions.contains(&position),
            "{position:?} is not a file position\n{line}"
        );
    }
    let named =
        reported_line(&run, ARTICLE) == tags || positions_in(line).iter().any(|p| p.0 == tags);
    assert!(
        named,
        "the error never names line {tags}, where the list opens\n{line}"
    );
}

#[test]

fn link_suggestions_can_be_pasted_into_the_link() {
    let broken = Broken::new();
    broken.append(ARTICLE, "\n[x](nope.md)\n");
    let run = broken.fails();
    let line = error_at(&run, ARTICLE, &["`nope.md`"]);
    assert!(
        !line.contains("did you mean"),
        "nothing is close to `nope`\n{line}"
    );

    let broken = Broken::new();
    broken.append(ARTICLE, "\n[x](knee-bundle/indx.md)\n");
    let run = broken.fails();
    let line = error_at(&run, ARTICLE, &["`knee-bundle/indx.md`"]);
    assert!(
        line.contains("did you mean `knee-bundle/index.md`?")
            || line.contains("did you mean `/articles/knee-bundle/index.md`?"),
        "the suggestion should work when pasted into the link\n{line}"
    );
}

#[test]

fn theme_errors_point_at_the_line_that_names_the_theme() {
    let broken = Broken::new();
    broken.append(SITE, "theme: nosuch\n");
    let line = broken.line_of(SITE, "theme: nosuch");
    let run = broken.fails();
    error_at(&run, &at(SITE, line, 1), &["theme `nosuch` not found"]);

    let broken = Broken::new();
    broken
        .write(
            "themes/loop/theme.yaml",
            "# The clinic's brand.\nextends: loop\n",
        )
        .append(SITE, "theme: loop\n");
    let run = broken.fails();
    error_at(
        &run,
        &at("themes/loop/theme.yaml", 2, 1),
        &["extends itself"],
    );
}

#[test]

fn comparison_row_errors_point_at_the_row_whatever_its_label() {
    // A label that is part of an earlier label: the earlier row is named.
    let broken = Broken::new();
    broken
        .edit(ARTICLE, "- label: Helps strength", "- label: Helps")
        .edit(ARTICLE, r#"values: ["No", "Yes"]"#, r#"values: ["No"]"#);
    let line = broken
        .site
        .read(ARTICLE)
        .lines()
        .position(|l| l.trim() == "- label: Helps")
        .expect("row")
        + 1;
    error_at(&broken.fails(), &at(ARTICLE, line, 1), &["row 2"]);

    // The same label in two tables: the first table's row is named.
    let broken = Broken::new();
    broken.write(
        "content/articles/two.md",
        "---\ntitle: Two\ndescription: Two tables.\ndate: 2025-01-10\ncomparisons:\n  first:\n    caption: A\n    columns: [X, Y]\n    rows:\n      - label: Cost\n        values: [a, b]\n  second:\n    caption: B\n    columns: [X, Y]\n    rows:\n      - label: Cost\n        values: [a]\n---\n",
    );
    error_at(
        &broken.fails(),
        &at("content/articles/two.md", 16, 1),
        &["comparisons.second", "row 1"],
    );
}

#[test]

fn front_matter_and_cross_page_errors_are_reported_together() {
    let broken = Broken::new();
    broken.edit(ABOUT, "title: About", "titel: About").edit(
        ARTICLE,
        "author: ann-lee",
        "author: ann-le",
    );
    let run = broken.fails();
    error_at(&run, ABOUT, &["unknown field `titel`"]);
    error_at(&run, ARTICLE, &["author `ann-le`"]);
    assert!(
        run.stderr.contains("Build failed with 2 errors"),
        "stderr:\n{}",
        run.stderr
    );
}

#[test]

fn file_name_without_letters_is_an_error_naming_the_file() {
    for (rel, text) in [
        ("content/authors/!!!.md", "---\nname: Bang\n---\n"),
        (
            "content/articles/!!!.md",
            "---\ntitle: Bang\ndescription: D\ndate: 2025-01-10\n---\n",
        ),
        ("content/!!!.md", "---\ntitle: Bang\n---\n"),
    ] {
        let broken = Broken::new();
        broken.write(rel, text);
        error_at(&broken.fails(), rel, &[]);
    }
}

#[test]

fn content_file_that_collides_with_a_generated_file_is_an_error() {
    for rel in ["content/feed.xml", "content/articles/back-pain/index.html"] {
        let broken = Broken::new();
        broken.write(rel, "hello");
        error_at(&broken.fails(), rel, &[]);
    }
}

#[test]

fn site_yaml_with_a_byte_order_mark_builds() {
    let broken = Broken::new();
    let text = broken.site.read(SITE);
    broken.write(SITE, &format!("\u{feff}{text}"));
    broken.site.build().assert_ok();
}

#[test]

fn non_utf8_site_yaml_says_so() {
    let broken = Broken::new();
    broken.write_bytes(
        SITE,
        b"title: Test \xff Clinic\nbase_url: https://example.org/\n",
    );
    let run = broken.fails();
    let line = error_at(&run, &at_line(SITE, 1), &["not valid UTF-8"]);
    assert!(
        !line.contains("is --root the site folder"),
        "misleading hint\n{line}"
    );
}
