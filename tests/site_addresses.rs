//! Links and images written as the site's own addresses, as staff copy them
//! from the live site (`/articles/a/`, `https://<site>/articles/a/`,
//! `/images/x.jpg`): checked against every file the build writes, by
//! `build` and `check`, with the base path honoured.

mod common;

use common::TestSite;

const PAGE: &str = "content/about.md";

fn about(body: &str) -> String {
    format!("---\ntitle: About us\n---\n\n{body}")
}

#[test]
fn addresses_of_real_pages_and_files_pass_and_get_the_base_path() {
    let site = TestSite::fixture("basic");
    site.write(
        "site.yaml",
        &site.read("site.yaml").replace(
            "base_url: https://example.org/",
            "base_url: https://example.org/clinic/",
        ),
    );
    site.write(
        PAGE,
        &about(
            "Read [back pain](/articles/back-pain/), [the list](/articles/), \
             [pain](/tags/pain/), [with the prefix](/clinic/articles/back-pain/#move-a-little), \
             [full](https://example.org/clinic/articles/back-pain/), \
             [no slash](/articles/back-pain) and [the feed](/feed.xml).\n",
        ),
    );
    site.build().assert_ok();
    let html = site.read("public/about/index.html");
    assert!(
        html.contains(r#"href="/clinic/articles/back-pain/""#),
        "{html}"
    );
    assert!(html.contains(r#"href="/clinic/articles/back-pain/#move-a-little""#));
    assert!(html.contains(r#"href="https://example.org/clinic/articles/back-pain/""#));
    assert!(html.contains(r#"href="/clinic/feed.xml""#));
}

#[test]
fn a_site_address_that_names_no_page_is_an_error_suggesting_the_md_link() {
    let run = TestSite::fails_at(
        PAGE,
        &about("Intro.\n\nSee [exercises](/articles/back-pains/).\n"),
        7,
        "link `/articles/back-pains/` is not a page or file of this site",
    );
    assert!(
        run.stderr
            .contains("hint: did you mean `articles/back-pain.md`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_full_address_of_the_site_is_checked_too() {
    TestSite::fails_at(
        PAGE,
        &about("See [exercises](https://example.org/articles/knee-exercises/).\n"),
        5,
        "link `https://example.org/articles/knee-exercises/` is not a page or file",
    );
}

#[test]
fn an_image_at_a_site_address_that_does_not_exist_says_where_to_put_pictures() {
    let run = TestSite::fails_at(
        "content/articles/back-pain.md",
        &TestSite::fixture("basic")
            .read("content/articles/back-pain.md")
            .replace(
                "Your back is strong.",
                "Your back is strong.\n\n![Climbing stairs](/images/stairs-knee.jpg)",
            ),
        24,
        "image `/images/stairs-knee.jpg` is not a file on this site",
    );
    assert!(
        run.stderr
            .contains("put the picture in content/articles/ beside this file"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("![what it shows](stairs-knee.jpg)"));
}

#[test]
fn an_anchor_on_a_site_address_must_be_a_heading_of_that_page() {
    let run = TestSite::fails_at(
        PAGE,
        &about("See [moving](/articles/back-pain/#move-a-lot).\n"),
        5,
        "there is no heading with id `move-a-lot` on /articles/back-pain/, did you mean `move-a-little`?",
    );
    assert!(run.stderr.contains("articles/back-pain.md#move-a-lot"));
}

#[test]
fn links_to_other_sites_are_left_alone() {
    let site = TestSite::fixture("basic");
    site.write(
        PAGE,
        &about("See [them](https://elsewhere.example/articles/nope/).\n"),
    );
    site.build().assert_ok();
}

#[test]
fn check_reports_them_too() {
    let site = TestSite::fixture("basic");
    site.write(
        PAGE,
        &about("See [exercises](/articles/knee-exercises/).\n"),
    );
    let run = site.handout(&["check"]);
    run.assert_error("link `/articles/knee-exercises/` is not a page or file of this site");
}

#[test]
fn a_missing_image_beside_the_page_says_where_to_put_it() {
    let run = TestSite::fails_at(
        "content/articles/knee-bundle/index.md",
        &TestSite::fixture("basic")
            .read("content/articles/knee-bundle/index.md")
            .replace("(knee.svg)", "(knee-photo.jpg)"),
        11,
        "image `knee-photo.jpg`",
    );
    assert!(
        run.stderr.contains(
            "image `knee-photo.jpg` names content/articles/knee-bundle/knee-photo.jpg, which does not exist: put the picture in content/articles/knee-bundle/ beside this file"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(".md file"), "{}", run.stderr);
}
