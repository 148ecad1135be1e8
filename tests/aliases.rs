//! `aliases:` in front matter: a redirect page at every old address, the
//! `_redirects` file, a base_url with a path, and collisions refused with
//! both files named.

mod common;

use common::TestSite;

/// Adds `aliases: [...]` after the first front matter line of `rel`.
fn alias(site: &TestSite, rel: &str, aliases: &str) {
    let text = site.read(rel);
    let text = text.replacen("---\n", &format!("---\naliases: [{aliases}]\n"), 1);
    site.write(rel, &text);
}

/// The basic fixture with an alias on a page of every kind.
fn aliased() -> TestSite {
    let site = TestSite::fixture("basic");
    alias(&site, "content/index.md", "/home.html");
    alias(&site, "content/about.md", "/about-us/, /who/we%20are/");
    alias(
        &site,
        "content/articles/back-pain.md",
        "/2019/05/back-pain/, /?p=1x",
    );
    alias(&site, "content/authors/ann-lee.md", "/author/ann/");
    alias(&site, "content/locations/elm-street.md", "/elm/");
    site
}

#[test]
fn every_page_kind_gets_redirect_pages_and_redirects_lines() {
    let site = aliased();
    // `/?p=1x` has a query part: the build says so.
    site.build()
        .assert_error("alias `/?p=1x` has a `?` or `#` part");
    let text = site
        .read("content/articles/back-pain.md")
        .replace(", /?p=1x", "");
    site.write("content/articles/back-pain.md", &text);
    let run = site.build();
    run.assert_ok();
    // Redirect pages are not counted as pages.
    let plain = TestSite::fixture("basic");
    let plain_run = plain.build();
    let pages = |out: &str| out.split_whitespace().nth(1).map(str::to_string);
    assert_eq!(pages(&run.stdout), pages(&plain_run.stdout));

    for (old, new) in [
        ("home.html", "/"),
        ("about-us/index.html", "/about/"),
        ("who/we are/index.html", "/about/"),
        ("2019/05/back-pain/index.html", "/articles/back-pain/"),
        ("author/ann/index.html", "/authors/ann-lee/"),
        ("elm/index.html", "/locations/elm-street/"),
    ] {
        let html = site.read(&format!("public/{old}"));
        assert!(
            html.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url={new}\">"
            )),
            "{old}: {html}"
        );
        assert!(html.contains(&format!(
            "<link rel=\"canonical\" href=\"https://example.org{new}\">"
        )));
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
    }
    let redirects = site.read("public/_redirects");
    for line in [
        "/home.html / 301",
        "/about-us/ /about/ 301",
        "/who/we%20are/ /about/ 301",
        "/2019/05/back-pain/ /articles/back-pain/ 301",
        "/author/ann/ /authors/ann-lee/ 301",
        "/elm/ /locations/elm-street/ 301",
    ] {
        assert!(redirects.lines().any(|l| l == line), "{line}\n{redirects}");
    }
    // Redirect pages are not in the sitemap.
    assert!(!site.read("public/sitemap.xml").contains("2019/05"));
}

#[test]
fn a_base_url_path_prefixes_both_sides() {
    let site = TestSite::fixture("basic");
    alias(
        &site,
        "content/articles/back-pain.md",
        "/2019/05/back-pain/",
    );
    site.handout(&["build", "--base-url", "https://example.org/clinic/"])
        .assert_ok();
    let html = site.read("public/2019/05/back-pain/index.html");
    assert!(html.contains("url=/clinic/articles/back-pain/\""), "{html}");
    assert!(html.contains("href=\"https://example.org/clinic/articles/back-pain/\""));
    assert!(site
        .read("public/_redirects")
        .contains("/clinic/2019/05/back-pain/ /clinic/articles/back-pain/ 301\n"));
}

#[test]
fn no_aliases_no_redirects_file() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    assert!(!site.path("public/_redirects").exists());
}

#[test]
fn an_alias_that_is_another_page_names_both_files() {
    let site = TestSite::fixture("basic");
    alias(&site, "content/articles/back-pain.md", "/about/");
    site.build().assert_error(
        "content/articles/back-pain.md:2:1: alias `/about/` is the address of content/about.md",
    );
}

#[test]
fn an_alias_far_down_an_articles_front_matter_is_named_at_its_line() {
    // A build leaves an article's front matter in its file once parsed,
    // and reads it again for the line a message names.
    let site = TestSite::fixture("basic");
    let rel = "content/articles/back-pain.md";
    let text = site.read(rel);
    let fence = text
        .lines()
        .skip(1)
        .position(|line| line == "---")
        .expect("a closing fence")
        + 2;
    assert!(fence > 4, "the fixture's front matter has a few lines");
    let text = text.replacen("\n---\n", "\naliases:\n  - /fine/\n  - /about/\n---\n", 1);
    site.write(rel, &text);
    site.build().assert_error(&format!(
        "{rel}:{}:1: alias `/about/` is the address of content/about.md",
        fence + 2
    ));
}

#[test]
fn an_alias_of_two_pages_names_both_files() {
    let site = TestSite::fixture("basic");
    alias(&site, "content/about.md", "/old/");
    alias(&site, "content/articles/back-pain.md", "/old");
    let run = site.build();
    run.assert_error("alias `/old` is an alias of content/about.md too");
    assert!(
        run.stderr.contains("content/articles/back-pain.md:2:1"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_alias_may_not_replace_what_handout_makes_or_its_own_page() {
    for (aliases, needle) in [
        ("/tags/", "alias `/tags/` is a page handout makes itself"),
        (
            "/articles/back-pain/",
            "alias `/articles/back-pain/` is this page's own address",
        ),
        (
            "/style.css/../x/",
            "alias `/style.css/../x/` has a part `..`",
        ),
        (
            "/articles/knee-bundle/knee.svg",
            "is the file content/articles/knee-bundle/knee.svg",
        ),
        (
            "/feed.xml/old/",
            "alias `/feed.xml/old/` is a page handout makes itself",
        ),
        ("/x.html, /x.html", "alias `/x.html` is listed twice"),
        ("/", "is the home page's address"),
        ("https://old.example.org/a/", "has a host name"),
    ] {
        let site = TestSite::fixture("basic");
        site.build().assert_ok();
        alias(&site, "content/articles/back-pain.md", aliases);
        let before = site.snapshot("public");
        site.build().assert_error(needle);
        assert_eq!(site.snapshot("public"), before);
    }
}

#[test]
fn an_alias_on_an_asset_names_the_file() {
    let site = TestSite::fixture("basic");
    site.write("content/old/page.html", "<p>old</p>");
    alias(&site, "content/about.md", "/old/page.html");
    site.build()
        .assert_error("alias `/old/page.html` is the file content/old/page.html");
}
