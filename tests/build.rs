//! `handout build` on fixture sites: pages at the right URLs, links
//! rewritten, lists and taxonomies, sitemap/feed/robots, themes, drafts.

mod common;

use common::TestSite;

fn built(name: &str) -> TestSite {
    let site = TestSite::fixture(name);
    site.build().assert_ok();
    site
}

#[test]
fn pages_are_at_pretty_urls() {
    let site = built("basic");
    for path in [
        "index.html",
        "about/index.html",
        "articles/index.html",
        "articles/back-pain/index.html",
        "articles/knee-bundle/index.html",
        "locations/index.html",
        "locations/elm-street/index.html",
        "authors/index.html",
        "authors/ann-lee/index.html",
        "tags/index.html",
        "tags/pain/index.html",
        "conditions/back-pain/index.html",
        "treatments/physical-therapy/index.html",
        "404.html",
        "sitemap.xml",
        "feed.xml",
        "robots.txt",
        "style.css",
        "articles/knee-bundle/knee.svg",
    ] {
        assert!(
            site.path("public").join(path).is_file(),
            "missing public/{path}"
        );
    }
}

#[test]
fn summary_line_counts_pages() {
    let site = TestSite::fixture("basic");
    let run = site.build();
    run.assert_ok();
    let line = run.stdout.trim();
    // 17 of the site, and the search page.
    assert!(line.starts_with("Built 18 pages in "), "{line}");
    assert!(line.ends_with(" ms"), "{line}");
    assert!(site.handout(&["build", "--quiet"]).stdout.is_empty());
}

#[test]
fn links_to_source_files_become_page_urls() {
    let site = built("basic");
    let home = site.read("public/index.html");
    assert!(home.contains(r#"href="/about/""#));
    assert!(home.contains(r#"href="/articles/knee-bundle/#warm-up""#));
    let knee = site.read("public/articles/knee-bundle/index.html");
    assert!(
        knee.contains(r#"href="/articles/back-pain/#move-a-little-1""#),
        "duplicate heading ids get -1"
    );
    assert!(knee.contains(r#"src="/articles/knee-bundle/knee.svg""#));
    let about = site.read("public/about/index.html");
    assert!(about.contains(r#"href="/locations/elm-street/""#));
}

#[test]
fn headings_get_unique_ids() {
    let site = built("basic");
    let page = site.read("public/articles/back-pain/index.html");
    assert!(page.contains(r#"<h2 id="move-a-little">Move a little</h2>"#));
    assert!(page.contains(r#"<h2 id="move-a-little-1">Move a little</h2>"#));
}

#[test]
fn comparison_table_is_rendered_after_the_body() {
    let site = built("basic");
    let page = site.read("public/articles/back-pain/index.html");
    let table = page.find("<table").expect("a table");
    assert!(table > page.find("Your back is strong.").expect("body"));
    assert!(page.contains("Rest or move?"));
    assert!(page.contains(r#"<th scope="col">Gentle movement</th>"#));
    assert!(page.contains(r#"<th scope="row">Helps pain</th>"#));
    assert!(page.contains("Yes, <em>over time</em>"));
}

#[test]
fn articles_list_newest_first_and_taxonomy_terms_merge_by_slug() {
    let site = built("basic");
    let list = site.read("public/articles/index.html");
    let knee = list.find("Knee Care").expect("knee");
    let back = list.find("Back Pain Basics").expect("back");
    assert!(knee < back, "2026-02-01 comes before 2026-01-10");
    // "physical therapy" and "Physical Therapy" are one term.
    let term = site.read("public/treatments/physical-therapy/index.html");
    assert!(term.contains("Knee Care") && term.contains("Back Pain Basics"));
}

#[test]
fn references_are_resolved() {
    let site = built("basic");
    let page = site.read("public/articles/back-pain/index.html");
    assert!(page.contains(r#"href="/authors/ann-lee/""#));
    assert!(page.contains("PT, DPT, OCS"));
    assert!(page.contains(r#"href="/locations/elm-street/""#));
    let author = site.read("public/authors/ann-lee/index.html");
    assert!(author.contains("Back Pain Basics") && author.contains("Knee Care"));
}

#[test]
fn sitemap_feed_and_robots_are_well_formed() {
    let site = built("basic");
    let sitemap = site.read("public/sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap is XML");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&"https://example.org/articles/back-pain/"));
    assert!(!locs.iter().any(|l| l.contains("404")));
    let lastmods: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("lastmod"))
        .filter_map(|n| n.text())
        .collect();
    assert!(lastmods.contains(&"2026-01-10"));

    let feed = site.read("public/feed.xml");
    let doc = roxmltree::Document::parse(&feed).expect("feed is XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let titles: Vec<&str> = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| {
            e.children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
        })
        .collect();
    assert_eq!(titles, ["Knee Care", "Back Pain Basics"]);

    let robots = site.read("public/robots.txt");
    assert!(robots.contains("User-agent: *"));
    assert!(robots.contains("Sitemap: https://example.org/sitemap.xml"));
}

#[test]
fn a_content_file_named_like_a_sitemap_part_is_refused() {
    let site = TestSite::fixture("basic");
    site.write("content/sitemap-2.xml", "<urlset/>\n");
    site.build().assert_error(
        "content/sitemap-2.xml: /sitemap-2.xml is the name of a part of the sitemap, which handout makes when a site has more than 30000 addresses: rename or move it",
    );
    assert!(!site.path("public").exists(), "nothing written");
}

#[test]
fn base_url_path_prefix_is_honoured_everywhere() {
    let site = TestSite::fixture("basic");
    site.handout(&["build", "--base-url", "https://example.org/clinic/"])
        .assert_ok();
    let home = site.read("public/index.html");
    assert!(home.contains(r#"href="/clinic/about/""#));
    assert!(home.contains(r#"href="/clinic/style.css""#));
    assert!(!home.contains(r#"href="/about/""#));
    let knee = site.read("public/articles/knee-bundle/index.html");
    assert!(knee.contains(r#"src="/clinic/articles/knee-bundle/knee.svg""#));
    assert!(site
        .read("public/sitemap.xml")
        .contains("<loc>https://example.org/clinic/articles/back-pain/</loc>"));
    assert!(site
        .read("public/robots.txt")
        .contains("https://example.org/clinic/sitemap.xml"));
    // Every root-relative link in every page carries the prefix.
    for (path, bytes) in site.snapshot("public") {
        if path.ends_with(".html") {
            let text = String::from_utf8(bytes).expect("utf-8");
            for attr in ["href=\"/", "src=\"/"] {
                for (i, _) in text.match_indices(attr) {
                    let rest = &text[i + attr.len()..];
                    assert!(
                        rest.starts_with("clinic/"),
                        "{path}: {}",
                        &rest[..rest.len().min(40)]
                    );
                }
            }
        }
    }
}

#[test]
fn drafts_and_future_articles_are_left_out_unless_asked() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/articles/draft.md",
        "---\ntitle: Draft\ndescription: Not yet.\ndate: 2026-01-01\ndraft: true\n---\nSoon.\n",
    );
    site.write(
        "content/articles/future.md",
        "---\ntitle: Future\ndescription: Later.\ndate: 2999-01-01\n---\nLater.\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(
        run.stdout
            .contains("(1 draft and 1 future-dated article left out; --drafts includes them)"),
        "{}",
        run.stdout
    );
    assert!(!site.path("public/articles/draft").exists());
    assert!(!site.path("public/articles/future").exists());
    assert!(!site.read("public/feed.xml").contains("Draft"));

    site.handout(&["build", "--drafts"]).assert_ok();
    assert!(site.path("public/articles/draft/index.html").is_file());
    assert!(site.path("public/articles/future/index.html").is_file());
}

#[test]
fn brand_theme_overrides_one_file_and_extends_default() {
    let site = TestSite::fixture("basic");
    site.write("themes/brand/theme.yaml", "extends: default\n");
    site.write(
        "themes/brand/static/style.css",
        "body { color: rebeccapurple; }\n",
    );
    site.write(
        "themes/brand/templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"brand-page\">{{ page.title }}</p>{% endblock %}",
    );
    let config = site
        .read("site.yaml")
        .replace("language: en-US", "language: en-US\ntheme: brand");
    site.write("site.yaml", &config);
    site.build().assert_ok();
    assert!(site.read("public/style.css").contains("rebeccapurple"));
    assert!(site
        .read("public/about/index.html")
        .contains(r#"<p class="brand-page">About</p>"#));
    // Everything else still comes from the default theme.
    assert!(site
        .read("public/articles/back-pain/index.html")
        .contains("Back Pain Basics"));
}

#[test]
fn rebuild_replaces_output_and_leaves_no_staging_folders() {
    let site = built("basic");
    site.write(
        "content/about.md",
        "---\ntitle: About us now\n---\nNew text.\n",
    );
    site.build().assert_ok();
    assert!(site
        .read("public/about/index.html")
        .contains("About us now"));
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .expect("read root")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("handout-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn removed_page_disappears_from_output() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/articles/extra.md",
        "---\ntitle: Extra\ndescription: Soon gone.\ndate: 2026-01-01\n---\nHi.\n",
    );
    site.build().assert_ok();
    assert!(site.path("public/articles/extra/index.html").is_file());
    std::fs::remove_file(site.path("content/articles/extra.md")).expect("remove");
    site.build().assert_ok();
    assert!(!site.path("public/articles/extra").exists());
    assert!(!site.read("public/articles/index.html").contains("Extra"));
}

#[test]
fn output_into_an_empty_folder_is_allowed() {
    let site = TestSite::fixture("basic");
    let out = tempfile::tempdir().expect("temp");
    let out_path = out.path().to_string_lossy().into_owned();
    site.handout(&["build", "--output", &out_path]).assert_ok();
    assert!(out.path().join("index.html").is_file());
    assert!(out.path().join(".handout").is_file());
}

#[test]
fn init_makes_a_site_that_builds() {
    let parent = tempfile::tempdir().expect("temp");
    let dir = parent.path().join("new-site");
    let dir_text = dir.to_string_lossy().into_owned();
    common::run(&["init", &dir_text], parent.path()).assert_ok();
    let run = common::run(&["build", "--root", &dir_text], parent.path());
    run.assert_ok();
    for path in [
        "index.html",
        "about/index.html",
        "articles/first-visit/index.html",
        "locations/main-street/index.html",
        "authors/jane-doe/index.html",
    ] {
        assert!(dir.join("public").join(path).is_file(), "{path}");
    }
    // A new site passes its own quality gate.
    common::run(&["check", "--strict", "--root", &dir_text], parent.path()).assert_ok();
    // A second init into the same, now non-empty, folder is refused.
    let again = common::run(&["init", &dir_text], parent.path());
    again.assert_error("not empty");
}

#[test]
fn new_article_writes_a_draft_with_today() {
    let site = TestSite::fixture("basic");
    let run = site.handout(&["new", "article", "Ankle Sprains: What Now?"]);
    run.assert_ok();
    let text = site.read("content/articles/ankle-sprains-what-now.md");
    assert!(
        text.starts_with("---\ntitle: 'Ankle Sprains: What Now?'\n")
            || text.starts_with("---\ntitle: \"Ankle Sprains: What Now?\"\n"),
        "{text}"
    );
    assert!(text.contains("draft: true"));
    assert!(text.contains("author: ann-lee"));
    assert!(
        text.contains(&format!("date: {}", handout::today().iso()))
            || text.contains(&format!("date: '{}'", handout::today().iso())),
        "{text}"
    );
    // It builds (as a draft it is left out), and with --drafts it is a page.
    site.handout(&["build", "--drafts"]).assert_ok();
    assert!(site
        .path("public/articles/ankle-sprains-what-now/index.html")
        .is_file());
    site.handout(&["new", "article", "Ankle Sprains: What Now?"])
        .assert_error("already exists");
}

#[test]
fn example_site_builds() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = tempfile::tempdir().expect("temp");
    let out_path = out.path().join("public").to_string_lossy().into_owned();
    common::run(
        &["build", "--root", root, "--output", &out_path],
        std::path::Path::new(root),
    )
    .assert_ok();
    let page = std::fs::read_to_string(
        out.path()
            .join("public/articles/dry-needling-vs-massage-therapy/index.html"),
    )
    .expect("article");
    assert!(page.contains("Tim Rylander"));
    assert!(page.contains("<table"));
    assert!(page.contains("Deactivating") || page.contains("trigger point"));
}

/// Modification times of every file under `public/`.
fn mtimes(
    site: &TestSite,
) -> std::collections::BTreeMap<std::path::PathBuf, std::time::SystemTime> {
    walkdir::WalkDir::new(site.path("public"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.file_name() != ".handout")
        .filter_map(|e| Some((e.path().to_path_buf(), e.metadata().ok()?.modified().ok()?)))
        .collect()
}

#[test]
fn rebuilding_without_changes_writes_no_file() {
    let site = built("basic");
    let before = mtimes(&site);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let run = site.build();
    run.assert_ok();
    assert!(run.stdout.contains("no file changed"), "{}", run.stdout);
    assert_eq!(mtimes(&site), before, "no file was rewritten");
}

#[test]
fn rebuilding_after_an_edit_writes_only_what_changed() {
    let site = built("basic");
    let before = mtimes(&site);
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.write(
        "content/about.md",
        &site
            .read("content/about.md")
            .replace("We have a clinic", "We run a clinic"),
    );
    site.build().assert_ok();
    let after = mtimes(&site);
    let changed: Vec<String> = after
        .iter()
        .filter(|(path, time)| before.get(*path) != Some(*time))
        .map(|(path, _)| {
            path.strip_prefix(site.path("public"))
                .unwrap_or(path)
                .display()
                .to_string()
        })
        .collect();
    // The page, and the search index files that hold its changed words
    // and excerpt (the manifest names them all by a new stamp).
    let (page, index): (Vec<&String>, Vec<&String>) =
        changed.iter().partition(|p| !p.starts_with("search/en/"));
    assert_eq!(page, ["about/index.html"]);
    assert!(index.len() <= 5, "{index:?}");
    assert!(
        index.iter().any(|p| p.as_str() == "search/en/index.json"),
        "{index:?}"
    );
    assert!(site
        .read("public/about/index.html")
        .contains("We run a clinic"));
}

#[test]
fn site_fingerprint_is_stable_between_builds() {
    // serve re-renders every page when this changes: it must not change by itself.
    let site = TestSite::fixture("basic");
    let options = handout::BuildOptions::new(site.root());
    let first = handout::prepare(&options).expect("builds").site_hash();
    let second = handout::prepare(&options).expect("builds").site_hash();
    assert_eq!(first, second);
}

/// The output's record, `.handout`: a build that runs writes it anew; a
/// build skipped as unchanged does not touch it.
fn record_inode(site: &TestSite) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(site.path("public/.handout"))
        .expect("the output's record")
        .ino()
}

#[test]
fn once_the_files_have_settled_an_unchanged_build_is_skipped_by_their_metadata() {
    // What a writer does: builds, and builds again minutes later.
    let site = built("basic");
    // Past the 3 s after which a file counts by its metadata, not its
    // bytes. The fingerprint changes form then, so one build runs.
    std::thread::sleep(std::time::Duration::from_millis(3200));
    site.build().assert_ok();
    let before = record_inode(&site);
    site.build().assert_ok();
    assert_eq!(record_inode(&site), before, "skipped");
    // A settled file written again at the same size: its change time
    // moved, so the build runs and publishes it.
    site.edit("content/about.md", "a clinic in", "a clinic on");
    std::thread::sleep(std::time::Duration::from_millis(3200));
    site.build().assert_ok();
    assert_ne!(record_inode(&site), before, "built");
    assert!(site
        .read("public/about/index.html")
        .contains("We have a clinic on"));
}

#[test]
fn a_build_whose_inputs_are_unchanged_is_skipped_unless_the_output_was_touched() {
    let site = built("basic");
    let before = site.snapshot("public");
    // Nothing changed: skipped, and the output is as it was.
    site.build().assert_ok();
    assert!(site.snapshot("public") == before);
    // A file of the output deleted by hand: the build runs and restores it.
    std::fs::remove_file(site.path("public/about/index.html")).expect("delete");
    let run = site.build();
    run.assert_ok();
    assert!(!run.stdout.contains("no file changed"), "{}", run.stdout);
    assert!(site.snapshot("public") == before, "restored");
    // A file added under content/: the build runs.
    site.write("content/leaflet.txt", "Bring this to your visit.");
    site.build().assert_ok();
    assert!(site.path("public/leaflet.txt").is_file());
}

/// A build whose content files have all left the page cache reads them
/// with more threads than cores (`content::load`), and writes the same
/// site as a build whose files are cached.
#[cfg(target_os = "linux")]
#[test]
fn a_build_from_files_out_of_the_page_cache_writes_the_same_site() {
    let site = built("search");
    // Past the 3 s after which the fingerprint takes a file by its
    // metadata: before that it reads it, putting it back in the cache.
    std::thread::sleep(std::time::Duration::from_millis(3200));
    for (rel, _) in common::files_under(&site.path("content")) {
        common::evict_from_page_cache(&site.path(&format!("content/{rel}")));
    }
    site.handout(&["build", "--output", "cold"]).assert_ok();
    // The record of what was built aside: its fingerprint took the files
    // by their bytes the first time, by their metadata now.
    let pages = |out: &str| {
        let mut files = site.snapshot(out);
        files.remove(".handout");
        files
    };
    assert!(
        pages("cold") == pages("public"),
        "the cold build wrote another site"
    );
}

/// A line of the `--timings` table: a stage (or the total), and its wall
/// and CPU times in milliseconds.
struct Timed {
    name: String,
    wall: f64,
    cpu: f64,
}

/// The stages `--timings` prints, and its total line.
fn timings_of(stdout: &str) -> (Vec<Timed>, Timed) {
    let ms = |text: &str| -> f64 {
        let number = text
            .trim()
            .strip_suffix(" ms")
            .unwrap_or_else(|| panic!("{text:?}"));
        number.parse().unwrap_or_else(|e| panic!("{text:?}: {e}"))
    };
    let table = stdout
        .split_once("stage ")
        .unwrap_or_else(|| panic!("no table:\n{stdout}"))
        .1;
    let mut stages = Vec::new();
    for line in table.lines().skip(1) {
        // Name, then two columns of ten characters, two spaces apart.
        let (rest, cpu) = line.split_at(line.len() - 10);
        let rest = rest.trim_end();
        let (name, wall) = rest.split_at(rest.len() - 10);
        let row = Timed {
            name: name.trim().to_string(),
            wall: ms(wall),
            cpu: ms(cpu),
        };
        if row.name == "total" {
            return (stages, row);
        }
        stages.push(row);
    }
    panic!("no total line:\n{stdout}");
}

/// `handout build --timings`, as docs/performance.md shows it, in the site
/// folder: a line for each stage of the build, the total their sum, and
/// one stage (the inputs) when the output was already up to date.
#[test]
fn timings_name_each_stage_and_add_up() {
    let command = common::doc_blocks("docs/performance.md")
        .remove("timings")
        .expect("a `timings` block in docs/performance.md");
    let site = TestSite::fixture("basic");
    let built = common::run_shell(command.trim(), site.root());
    built.assert_ok();
    assert!(built.stdout.starts_with("Built "), "{}", built.stdout);
    let (stages, total) = timings_of(&built.stdout);
    let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "inputs listed, fingerprint",
            "config, theme, content read",
            "pictures",
            "bodies (Markdown)",
            "other languages, checks",
            "search index",
            "staging folder made",
            "search index written",
            "summaries, shortcodes",
            "pages rendered and written",
            "output swapped in",
        ]
    );
    // Each figure is rounded to a tenth of a millisecond.
    let tolerance = 0.05 * (stages.len() + 1) as f64;
    let walls: f64 = stages.iter().map(|s| s.wall).sum();
    let cpus: f64 = stages.iter().map(|s| s.cpu).sum();
    assert!((walls - total.wall).abs() <= tolerance, "{}", built.stdout);
    assert!((cpus - total.cpu).abs() <= tolerance, "{}", built.stdout);
    assert!(total.wall > 0.0 && total.cpu > 0.0, "{}", built.stdout);
    assert!(site.path("public/articles/back-pain/index.html").is_file());

    let again = common::run_shell(command.trim(), site.root());
    again.assert_ok();
    assert!(again.stdout.contains("no file changed"), "{}", again.stdout);
    let (stages, _) = timings_of(&again.stdout);
    let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["inputs listed, fingerprint"], "{}", again.stdout);
}
