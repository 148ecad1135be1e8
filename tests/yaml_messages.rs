//! What a writer sees for each YAML mistake in front matter and in
//! `site.yaml`: a plain sentence at the file's line, and a hint on the next
//! line, through the real binary (the unit tests in src/yaml/messages.rs
//! cover every message; these check that they reach the writer whole).

mod common;

use common::TestSite;

/// Front matter text (between the `---` lines), the file line, and what
/// the error and its hint must say.
const FRONT_MATTER: &[(&str, usize, &str, &str)] = &[
    (
        "title: About\n\tdescription: Us.\n",
        3,
        "this line is indented with a tab; YAML needs spaces",
        "replace the tab at the start of the line with spaces",
    ),
    (
        "title: \"About us\ndescription: Us.\n",
        2,
        "the quote that opens here is never closed",
        "end the text with the same quote mark it starts with",
    ),
    (
        "title: About\n  - us\n",
        3,
        "a list item (`- us`) is written under `title`, which already has a value",
        "write nothing after `title:`",
    ),
    (
        "title: About\ntitle: Us\n",
        3,
        "`title` is set twice (first on line 2)",
        "keep one of the two lines",
    ),
    (
        "title: About us: who we are\n",
        2,
        "this value has a colon and a space (`: `) in it",
        "put the whole value in quotes: title: \"About us: who we are\"",
    ),
    (
        "title: About\n-\n",
        3,
        "a `-` alone starts an empty list item",
        "remove the line",
    ),
    (
        "title: About\n  description: Us.\n",
        3,
        "`description` is indented more than `title` above it",
        "start `description:` in the same column as `title:`",
    ),
];

#[test]
fn front_matter_mistakes_get_a_plain_sentence_and_a_hint() {
    for (yaml, line, message, hint) in FRONT_MATTER {
        let site = TestSite::fixture("basic");
        site.build().assert_ok();
        let before = site.snapshot("public");
        site.write("content/about.md", &format!("---\n{yaml}---\n\nHello.\n"));
        let run = site.build();
        run.assert_error(message);
        let error = format!("error: content/about.md:{line}:");
        let mut lines = run.stderr.lines();
        let found = lines
            .by_ref()
            .find(|l| l.starts_with(&error) && l.contains(message));
        assert!(
            found.is_some(),
            "{yaml:?}: no {error}...{message}\n{}",
            run.stderr
        );
        let next = lines.next().unwrap_or("");
        assert!(
            next.starts_with("  hint: ") && next.contains(hint),
            "{yaml:?}: hint {next:?} does not say {hint:?}\n{}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("scalar"),
            "parser words: {}",
            run.stderr
        );
        assert!(site.snapshot("public") == before, "public/ changed");
    }
}

#[test]
fn site_yaml_mistakes_get_a_plain_sentence_and_a_hint() {
    for (yaml, line, message, hint) in [
        (
            "title: Test Clinic\nbase_url: https://example.org/\nbrand:\n\tname: Test\n",
            4,
            "this line is indented with a tab; YAML needs spaces",
            "with spaces",
        ),
        (
            "title: Test Clinic: Care\nbase_url: https://example.org/\n",
            1,
            "colon and a space",
            "title: \"Test Clinic: Care\"",
        ),
        (
            "title: Test Clinic\nbase_url: https://example.org/\ntitle: Again\n",
            3,
            "`title` is set twice (first on line 1)",
            "keep one",
        ),
    ] {
        let site = TestSite::fixture("basic");
        site.write("site.yaml", yaml);
        let run = site.build();
        run.assert_error(message);
        assert!(
            run.stderr.contains(&format!("error: site.yaml:{line}:")),
            "{yaml:?}\n{}",
            run.stderr
        );
        assert!(run.stderr.contains(hint), "{yaml:?}\n{}", run.stderr);
    }
}
