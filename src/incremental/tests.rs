//! `Live` on a small site with two pages per list: which edits are applied
//! in place, what they render, and that the output always equals what a
//! full `handout build` of the same files writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Deferred, Held, Live, Outcome};
use crate::frontmatter::Date;
use crate::render::{Job, Section};
use crate::BuildOptions;

const HIP: &str = "articles/c-hip.md";

pub(super) fn article(title: &str, date: &str, author: &str, extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ndescription: About {title}.\ndate: {date}\nauthor: {author}\n{extra}---\n\n{body}\n"
    )
}

/// Six articles, two authors, one clinic; lists paginated by two.
pub(super) struct Fixture {
    pub(super) dir: tempfile::TempDir,
    pub(super) live: Live,
}

impl Fixture {
    pub(super) fn new() -> Fixture {
        Fixture::with(&[])
    }

    /// The site with `extra` files (from the site folder) added.
    fn with(extra: &[(&str, &str)]) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = [
            (
                "site.yaml",
                "title: Test Clinic\nbase_url: https://example.org/\npaginate: 2\ntheme: own\n".to_string(),
            ),
            ("themes/own/theme.yaml", "extends: default\n".to_string()),
            (
                "themes/own/shortcodes/related.html",
                "{#- args: -#}\n<ul class=\"also\">{% for r in page.related %}<li>{{ r.title }}</li>{% endfor %}</ul>\n".to_string(),
            ),
            (
                "content/index.md",
                "---\ntitle: Welcome\n---\n\nHello.\n".to_string(),
            ),
            (
                "content/authors/ann.md",
                "---\nname: Ann Lee\ncredentials: [PT]\n---\n\nAnn.\n".to_string(),
            ),
            (
                "content/authors/bob.md",
                "---\nname: Bob Roe\ncredentials: [DPT]\n---\n\nBob.\n".to_string(),
            ),
            (
                "content/locations/elm.md",
                "---\nname: Elm Street\ncity: Springfield\naddress: {street: 1 Elm Street, locality: Springfield, region: IL, postal_code: \"62701\"}\nphone: \"(555) 555-0101\"\nhours:\n  - {days: [Mo, Tu], opens: \"07:00\", closes: \"19:00\"}\nservices: [physical therapy]\nclinicians: [bob]\n---\n\nNear the park.\n".to_string(),
            ),
            (
                "content/articles/a-knee.md",
                article("Knee Care", "2026-01-05", "ann", "tags: [pain, knees]\nconditions: [knee pain]\ntreatments: [physical therapy, massage]\n", "Bend gently.\n\n{{ related }}"),
            ),
            (
                "content/articles/b-back.md",
                article("Back Basics", "2026-01-04", "ann", "reviewed_by: bob\ntags: [pain]\nconditions: [back pain]\ntreatments: [physical therapy]\n", "Move a little.\n\n{{ locations }}"),
            ),
            (
                "content/articles/c-hip.md",
                article("Hip Pain", "2026-01-03", "bob", "updated: 2026-01-06\ntags: [pain]\nconditions: [hip pain]\ntreatments: [physical therapy, massage]\n", "Walk often.\n\n## Stretch\n\nSlowly."),
            ),
            (
                "content/articles/d-neck.md",
                article("Neck Strain", "2026-01-02", "bob", "tags: [posture]\nconditions: [neck pain]\ntreatments: [massage]\nlocations: [elm]\n", "Sit up. See [the hip guide](c-hip.md#stretch)."),
            ),
            (
                "content/articles/e-sleep.md",
                article("Sleep Well", "2026-01-02", "ann", "tags: [posture]\ntreatments: [massage]\n", "Rest."),
            ),
            (
                "content/articles/f-walk.md",
                article("Walk Daily", "2026-01-01", "ann", "tags: [walking]\ntreatments: [massage]\n", "Walk."),
            ),
        ];
        let extra = extra.iter().map(|(rel, text)| (*rel, text.to_string()));
        for (rel, text) in files.into_iter().chain(extra) {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        let live = Live::new(options(dir.path(), None), dir.path().join("live"));
        let mut fixture = Fixture { dir, live };
        let first = fixture.live.full().expect("the fixture builds");
        assert!(first.full);
        fixture
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join("content").join(rel)
    }

    /// Replaces `from` (which must be there) with `to` in a content file,
    /// and applies the change as the watcher would.
    fn edit(&mut self, rel: &str, from: &str, to: &str) -> Outcome {
        self.edits(rel, &[(from, to)])
    }

    /// Several changes to one file, saved at once.
    fn edits(&mut self, rel: &str, changes: &[(&str, &str)]) -> Outcome {
        let path = self.path(rel);
        let mut text = std::fs::read_to_string(&path).expect("read");
        for (from, to) in changes {
            assert!(text.contains(from), "{rel} has no {from:?}");
            text = text.replacen(from, to, 1);
        }
        std::fs::write(&path, text).expect("write");
        self.live
            .apply(&[(path, false)])
            .unwrap_or_else(|e| panic!("{e}"))
            .expect("a change")
    }

    /// Applies a saved, new or deleted file that assembles the site
    /// again without rendering every page.
    fn assembled_again(&mut self, path: PathBuf) -> Outcome {
        let outcome = self
            .live
            .apply(&[(path, false)])
            .unwrap_or_else(|e| panic!("{e}"))
            .expect("a change");
        assert!(outcome.assembled && !outcome.full, "{outcome:?}");
        outcome
    }

    fn output(&self, rel: &str) -> String {
        std::fs::read_to_string(self.live.output().join(rel)).unwrap_or_default()
    }

    /// The live output equals a fresh build of the same files, and the
    /// live fingerprint of `site` equals the build's.
    fn assert_equals_a_build(&self) {
        let differ = differ_from_a_build(self.dir.path(), self.live.output());
        assert!(differ.is_empty(), "differ from a build: {differ:?}");
        let fresh = crate::prepare(&options(self.dir.path(), None)).expect("prepares");
        let state = self.live.state.as_ref().expect("a live site");
        assert_eq!(state.site_hash(), fresh.site_hash());
    }
}

pub(super) fn options(root: &Path, output: Option<PathBuf>) -> BuildOptions {
    BuildOptions {
        output,
        today: Some(Date(jiff::civil::date(2026, 2, 1))),
        ..BuildOptions::new(root)
    }
}

/// The files where the live output `live` differs from a fresh build of
/// the site at `root` (built into `root/built`).
pub(super) fn differ_from_a_build(root: &Path, live: &Path) -> Vec<String> {
    let out = root.join("built");
    let _ = std::fs::remove_dir_all(&out);
    crate::build(&options(root, Some(out.clone()))).expect("builds");
    let mut built = snapshot(&out);
    built.remove(crate::output::MARKER);
    let live = snapshot(live);
    built
        .keys()
        .chain(live.keys())
        .filter(|rel| built.get(*rel) != live.get(*rel))
        .cloned()
        .collect()
}

pub(super) fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("prefix");
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

#[test]
fn a_title_edit_renders_the_pages_that_show_it_and_equals_a_build() {
    let mut site = Fixture::new();
    let before = snapshot(site.live.output()).len();
    let outcome = site.edit(HIP, "title: Hip Pain", "title: Hip Pain at Home");
    assert!(!outcome.full, "{outcome:?}");
    assert_eq!(outcome.changed, [HIP]);
    assert!(outcome.rendered < before / 2, "{outcome:?} of {before}");
    for page in [
        "articles/c-hip/index.html",
        "articles/page/2/index.html",
        "tags/pain/page/2/index.html",
        "conditions/hip-pain/index.html",
        "treatments/physical-therapy/page/2/index.html",
        "treatments/massage/index.html",
        "authors/bob/index.html",
        "locations/elm/index.html",
        "articles/a-knee/index.html",
        "feed.xml",
        "index.html",
    ] {
        assert!(site.output(page).contains("Hip Pain at Home"), "{page}");
    }
    site.assert_equals_a_build();
}

#[test]
fn a_share_card_follows_its_title_and_is_kept_while_the_title_is() {
    let mut site = Fixture::new();
    let card = "articles/c-hip/share-card.png";
    let read = |site: &Fixture| std::fs::read(site.live.output().join(card)).expect("a card");
    let first = read(&site);
    site.edit(HIP, "title: Hip Pain", "title: Hip Pain at Home");
    assert_ne!(read(&site), first);
    site.assert_equals_a_build();
    // Back to the first title: the first card again, though the live
    // site last wrote another.
    site.edit(HIP, "title: Hip Pain at Home", "title: Hip Pain");
    assert_eq!(read(&site), first);
    site.assert_equals_a_build();
    // Every page shows the clinic's phone; the card keeps the cached file
    // it was written from.
    let (source, _) = site
        .live
        .cards
        .get(card)
        .cloned()
        .expect("the card's source");
    let outcome = site.edit("locations/elm.md", "555-0101", "555-0199");
    assert!(outcome.rendered > 0, "{outcome:?}");
    assert_eq!(site.live.cards.get(card).map(|(s, _)| s), Some(&source));
    assert_eq!(read(&site), first);
    site.assert_equals_a_build();
}

#[test]
fn description_updated_and_body_edits_in_place_equal_a_build() {
    let mut site = Fixture::new();
    let outcome = site.edit(HIP, "description: About Hip Pain.", "description: Hips.");
    assert!(!outcome.full, "{outcome:?}");
    assert!(site.output("articles/page/2/index.html").contains("Hips."));
    site.assert_equals_a_build();

    let sitemap = site.output("sitemap.xml");
    let outcome = site.edit(HIP, "updated: 2026-01-06", "updated: 2026-01-20");
    assert!(!outcome.full, "{outcome:?}");
    assert_ne!(site.output("sitemap.xml"), sitemap);
    site.assert_equals_a_build();

    let outcome = site.edit(HIP, "title: Hip Pain\n", "title: Hip Pain Relief\n");
    assert!(!outcome.full);
    let outcome = site.edit(HIP, "Walk often.", "Walk often, and rest.");
    // The page (with its share card, drawn from the cache) and the feed.
    assert!(
        !outcome.full && outcome.rendered <= 3,
        "a body edit: {outcome:?}"
    );
    site.assert_equals_a_build();
}

#[test]
fn a_title_and_body_edit_in_one_save_is_applied_in_place() {
    let mut site = Fixture::new();
    let outcome = site.edits(
        HIP,
        &[
            ("title: Hip Pain", "title: Hips"),
            ("Walk often.", "Walk every day."),
        ],
    );
    assert!(!outcome.full, "{outcome:?}");
    assert!(site
        .output("articles/c-hip/index.html")
        .contains("Walk every day."));
    assert!(site.output("authors/bob/index.html").contains("Hips"));
    site.assert_equals_a_build();
}

/// The output files a build makes, and how many.
fn output_count(site: &Fixture) -> usize {
    snapshot(site.live.output()).len()
}

/// Files whose bytes differ between two snapshots, or that only one has.
fn differing(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    before
        .keys()
        .chain(after.keys())
        .filter(|rel| before.get(*rel) != after.get(*rel))
        .cloned()
        .collect()
}

#[test]
fn a_tag_added_and_removed_renders_only_the_files_it_reaches() {
    let mut site = Fixture::new();
    let total = output_count(&site);
    let before = snapshot(site.live.output());
    // A term another article has, in place: its page, the tag index with
    // its count, the article, the lists showing its tags, and the articles
    // it is now related to.
    let outcome = site.edit(HIP, "tags: [pain]", "tags: [pain, walking]");
    assert!(!outcome.assembled && !outcome.full, "{outcome:?}");
    assert!(outcome.rendered < total / 2, "{outcome:?} of {total}");
    assert!(site.output("tags/walking/index.html").contains("Hip Pain"));
    assert!(site
        .output("articles/c-hip/index.html")
        .contains("/tags/walking/"));
    site.assert_equals_a_build();
    let changed = differing(&before, &snapshot(site.live.output()));
    assert!(
        !changed.contains(&"locations/elm/index.html".to_string()),
        "{changed:?}"
    );
    // A term list that gains a page (posture's third article, two a page)
    // in place; a term no article has any more is a rebuild: its pages
    // are removed.
    let outcome = site.edit("articles/f-walk.md", "tags: [walking]", "tags: [posture]");
    assert!(!outcome.assembled && !outcome.full, "{outcome:?}");
    assert!(site
        .output("tags/posture/page/2/index.html")
        .contains("Walk Daily"));
    let outcome = site.edit(HIP, "tags: [pain, walking]", "tags: [pain]");
    assert!(outcome.assembled && !outcome.full, "{outcome:?}");
    assert!(!site.live.output().join("tags/walking/index.html").exists());
    site.assert_equals_a_build();
    // Conditions and treatments alike, in place, and the second page of
    // physical therapy's list removed when it is no more.
    let outcome = site.edit(
        HIP,
        "conditions: [hip pain]",
        "conditions: [hip pain, back pain]",
    );
    assert!(!outcome.assembled && !outcome.full, "{outcome:?}");
    assert!(site
        .output("conditions/back-pain/index.html")
        .contains("Hip Pain"));
    site.assert_equals_a_build();
    let second = site
        .live
        .output()
        .join("treatments/physical-therapy/page/2/index.html");
    assert!(second.exists());
    let outcome = site.edit(
        HIP,
        "treatments: [physical therapy, massage]",
        "treatments: [massage]",
    );
    assert!(!outcome.assembled && !outcome.full, "{outcome:?}");
    assert!(!second.exists());
    site.assert_equals_a_build();
    // Which page shows which is kept up to date for the edits in place.
    let outcome = site.edit(
        "articles/f-walk.md",
        "title: Walk Daily",
        "title: Walk More",
    );
    assert!(!outcome.assembled && !outcome.full, "{outcome:?}");
    site.assert_equals_a_build();
}

#[test]
fn a_condition_another_article_has_is_joined_in_place() {
    let mut site = Fixture::new();
    let total = output_count(&site);
    let neck = |site: &Fixture| site.output("articles/d-neck/index.html");
    // `Neck Strain` shows three massage articles, newest first; sharing its
    // condition too puts `Walk Daily` (the oldest) among them.
    assert!(!neck(&site).contains(">Walk Daily<"));
    let walk = "articles/f-walk.md";
    let outcome = site.edit(
        walk,
        "tags: [walking]",
        "tags: [walking]\nconditions: [neck pain]",
    );
    assert!(!outcome.assembled && !outcome.full, "{outcome:?}");
    assert!(outcome.rendered < total / 2, "{outcome:?} of {total}");
    assert!(site
        .output("conditions/neck-pain/index.html")
        .contains("Walk Daily"));
    assert!(site
        .output("conditions/index.html")
        .contains("(2 articles)"));
    assert!(neck(&site).contains(">Walk Daily<"));
    site.assert_equals_a_build();
    // And left again.
    let outcome = site.edit(walk, "conditions: [neck pain]", "conditions: []");
    assert!(!outcome.assembled && !outcome.full, "{outcome:?}");
    assert!(!neck(&site).contains(">Walk Daily<"));
    site.assert_equals_a_build();
}

#[test]
fn the_default_themes_article_lists_do_not_show_term_counts() {
    let mut site = Fixture::new();
    site.live.prepare_edits();
    let deps = site.live.deps.as_ref().expect("made by prepare_edits");
    let reading: Vec<Job> = deps.reading("taxonomies").collect();
    // The home page lists conditions and treatments with their terms: a
    // term edit renders it again. The articles lists link to the
    // taxonomies only (`site.browse`): it does not.
    assert!(
        reading.iter().any(|job| matches!(job, Job::Home)),
        "{reading:?}"
    );
    let lists = reading
        .iter()
        .filter(|job| matches!(job, Job::Section(Section::Articles, _)));
    assert_eq!(lists.count(), 0, "{reading:?}");
    assert!(site.output("articles/index.html").contains("/conditions/"));
}

#[test]
fn a_term_spelled_otherwise_by_its_newest_article_is_rebuilt() {
    let mut site = Fixture::new();
    // `Sleep Well` is not the newest article tagged posture: in place.
    let outcome = site.edit("articles/e-sleep.md", "tags: [posture]", "tags: [Posture]");
    assert!(!outcome.assembled, "{outcome:?}");
    assert!(site.output("tags/index.html").contains(">posture<"));
    site.assert_equals_a_build();
    // `Neck Strain` is: the tag's name changes.
    let outcome = site.edit(NECK, "tags: [posture]", "tags: [Posture]");
    assert!(outcome.assembled, "{outcome:?}");
    assert!(site.output("tags/index.html").contains(">Posture<"));
    site.assert_equals_a_build();
}

#[test]
fn a_term_edit_after_edits_in_place_renders_what_they_rendered_since() {
    let term = "{% extends \"base.html\" %}{% block content %}<h1>{{ term.name }}</h1>{% endblock content %}\n";
    let mut site = Fixture::with(&[("themes/own/templates/term.html", term)]);
    // Made now, kept up to date by the edits in place below.
    site.live.prepare_edits();
    assert!(!site.edit(HIP, "title: Hip Pain", "title: Hips").assembled);
    assert!(!site.edit(HIP, "Walk often.", "Walk daily.").assembled);
    // Back to the first title and body, with a new tag: every page showing
    // the title is as it was at first, but not as it is on disk.
    let outcome = site.edits(
        HIP,
        &[
            ("title: Hips", "title: Hip Pain"),
            ("Walk daily.", "Walk often."),
            ("tags: [pain]", "tags: [pain, hips]"),
        ],
    );
    assert!(outcome.assembled && !outcome.full, "{outcome:?}");
    assert!(site.output("authors/bob/index.html").contains("Hip Pain"));
    site.assert_equals_a_build();
    // A template edit in place, then a date.
    let template = site.dir.path().join("themes/own/templates/term.html");
    std::fs::write(&template, term.replace("<h1>", "<h1 class=\"t\">")).expect("write");
    let outcome = site
        .live
        .apply(&[(template, false)])
        .expect("good")
        .expect("a change");
    assert!(!outcome.assembled && !outcome.full, "{outcome:?}");
    let outcome = site.edit(HIP, "date: 2026-01-03", "date: 2026-01-10");
    assert!(!outcome.assembled && !outcome.full, "{outcome:?}");
    site.assert_equals_a_build();
}

#[test]
fn a_date_edit_renders_the_list_pages_it_moves_across() {
    let mut site = Fixture::new();
    let total = output_count(&site);
    // From the second page of the articles list to the first.
    assert!(site
        .output("articles/page/2/index.html")
        .contains("Hip Pain"));
    // In place: the site is not assembled again.
    let outcome = site.edit(HIP, "date: 2026-01-03", "date: 2026-01-10");
    assert!(!outcome.assembled && !outcome.full, "{outcome:?}");
    assert!(outcome.rendered < total / 2, "{outcome:?} of {total}");
    assert!(site.output("articles/index.html").contains("Hip Pain"));
    assert!(!site
        .output("articles/page/2/index.html")
        .contains("Hip Pain"));
    site.assert_equals_a_build();
    // And to the end, past every other.
    let outcome = site.edit(HIP, "date: 2026-01-10", "date: 2025-12-01");
    assert!(!outcome.assembled && !outcome.full, "{outcome:?}");
    assert!(site
        .output("articles/page/3/index.html")
        .contains("Hip Pain"));
    site.assert_equals_a_build();
}

#[test]
fn a_new_and_a_deleted_article_render_only_the_files_they_reach() {
    let mut site = Fixture::new();
    let total = output_count(&site);
    let path = site.path("articles/g-gait.md");
    std::fs::write(
        &path,
        article(
            "Gait Tips",
            "2026-01-04",
            "bob",
            "tags: [walking, gait]
treatments: [physical therapy]
",
            "Step.",
        ),
    )
    .expect("write");
    let outcome = site.assembled_again(path.clone());
    assert!(outcome.rendered < total / 2, "{outcome:?} of {total}");
    assert!(site
        .output("articles/g-gait/index.html")
        .contains("Gait Tips"));
    assert!(site.output("tags/gait/index.html").contains("Gait Tips"));
    assert!(site.output("authors/bob/index.html").contains("Gait Tips"));
    site.assert_equals_a_build();
    // Deleted: its page, its share card and its term's pages go too.
    std::fs::remove_file(&path).expect("delete");
    site.assembled_again(path);
    assert!(!site.live.output().join("articles/g-gait").exists());
    assert!(!site.live.output().join("tags/gait").exists());
    site.assert_equals_a_build();
    // One of the fixture's: the pages after it move up.
    let path = site.path("articles/a-knee.md");
    std::fs::remove_file(&path).expect("delete");
    site.assembled_again(path);
    site.assert_equals_a_build();
}

#[test]
fn a_deleted_article_renders_the_list_pages_before_it_only_if_they_show_the_count() {
    // The default theme's list pages show "page 1 of 3", not how many
    // articles the list has; these show that too.
    let counting = "{% extends \"base.html\" %}{% block content %}<p>{{ paginator.total_items }} articles</p>{% for p in section.pages %}<p>{{ p.title }}</p>{% endfor %}{% endblock content %}\n";
    let mut rendered = Vec::new();
    for theme in [
        &[][..],
        &[("themes/own/templates/article_list.html", counting)],
    ] {
        let mut site = Fixture::with(theme);
        // The oldest: only the last of the three list pages shows it.
        let path = site.path("articles/f-walk.md");
        std::fs::remove_file(&path).expect("delete");
        rendered.push(site.assembled_again(path).rendered);
        site.assert_equals_a_build();
    }
    // The first two list pages, which show the count.
    assert_eq!(rendered[1], rendered[0] + 2, "{rendered:?}");
}

#[test]
fn a_table_is_kept_while_the_pages_its_links_find_are_as_they_were() {
    let table = "comparison:\n  caption: Choices\n  columns: [Notes, Cost]\n  rows:\n    - label: Hip\n      values: [\"See [the hip guide](c-hip.md#stretch)\", Low]\n    - label: Gait\n      values: [\"See [gait](g-gait.md)\", Low]\n";
    let sleep = article(
        "Sleep Well",
        "2026-01-02",
        "ann",
        &format!("tags: [posture]\n{table}"),
        "Rest.",
    );
    let gait = article(
        "Gait Tips",
        "2026-01-04",
        "bob",
        "tags: [walking]\n",
        "Step.",
    );
    let mut site = Fixture::with(&[
        ("content/articles/e-sleep.md", &sleep),
        ("content/articles/g-gait.md", &gait),
    ]);
    let shown = |site: &Fixture| site.output("articles/e-sleep/index.html");
    assert!(
        shown(&site).contains("href=\"/articles/g-gait/\""),
        "{}",
        shown(&site)
    );
    // A page comes: the table's links find what they did.
    let new = site.path("articles/h-new.md");
    std::fs::write(&new, article("New", "2026-01-03", "ann", "", "New.")).expect("write");
    site.assembled_again(new.clone());
    site.assert_equals_a_build();
    // It goes, and the heading the table links to is renamed, in one save:
    // the table is checked again.
    std::fs::remove_file(&new).expect("delete");
    let hip = site.path(HIP);
    let text = std::fs::read_to_string(&hip).expect("read");
    std::fs::write(&hip, text.replace("## Stretch", "## Stretches")).expect("write");
    let error = site
        .live
        .apply(&[(new, false), (hip.clone(), false)])
        .expect_err("the anchor is gone")
        .to_string();
    assert!(
        error.contains("e-sleep.md") && error.contains("stretch"),
        "{error}"
    );
    std::fs::write(&hip, text).expect("write");
    site.assembled_again(hip);
    site.assert_equals_a_build();
    // The page a table links to goes: an error, as in a build.
    let gait = site.path("articles/g-gait.md");
    std::fs::remove_file(&gait).expect("delete");
    let error = site
        .live
        .apply(&[(gait, false)])
        .expect_err("the link's page is gone")
        .to_string();
    assert!(
        error.contains("e-sleep.md") && error.contains("g-gait.md"),
        "{error}"
    );
}

/// A new article that fails to assemble leaves the last site its search
/// index, which takes the article once it is fixed.
#[test]
fn a_new_article_with_a_mistake_leaves_the_live_index_for_the_fix() {
    let mut site = Fixture::new();
    let path = site.path("articles/g-gait.md");
    let write = |author: &str| {
        let extra = "conditions: [knee pain]\ntreatments: [massage]\n";
        let text = article(
            "Gait Tips",
            "2026-01-04",
            author,
            extra,
            "Step. Wobbleboard.",
        );
        std::fs::write(&path, text).expect("write");
    };
    write("carl");
    let failed = site.live.apply(&[(path.clone(), false)]);
    assert!(failed.is_err_and(|e| e.to_string().contains("carl")));
    let state = site.live.state.as_ref().expect("the last site");
    assert!(state.search.is_some(), "the last site keeps its index");
    write("ann");
    site.assembled_again(path);
    let state = site.live.state.as_ref().expect("a live site");
    let index = state.search.as_ref().expect("an index");
    assert!(index.docs.iter().any(|d| d.rel == "articles/g-gait.md"));
    site.assert_equals_a_build();
}

/// `count` made-up words from number `from` on, spread over the alphabet.
fn made_up(from: usize, count: usize) -> String {
    let letters: Vec<char> = ('a'..='z').collect();
    let word = |n: usize| -> String {
        let digits: String = n
            .to_string()
            .bytes()
            .map(|d| letters[usize::from(d - b'0')])
            .collect();
        format!("{}ovel{digits}", letters[n % 26])
    };
    (from..from + count).map(word).collect::<Vec<_>>().join(" ")
}

/// On a site of thousands of words the word lists are found through
/// groups; an edit that adds or takes away a few hundred words moves
/// lists and groups, and the live index's files stay a build's.
#[test]
fn an_edit_to_a_large_vocabulary_keeps_the_groups_of_word_lists_a_builds() {
    let glossary = article("Glossary", "2026-01-02", "ann", "", &made_up(0, 5000));
    let mut site = Fixture::with(&[("content/articles/f-glossary.md", &glossary)]);
    let manifest = site.output("search/en/index.json");
    assert!(manifest.contains(r#""groups":"#), "{manifest}");
    site.edit(
        "articles/e-sleep.md",
        "Rest.",
        &format!("Rest. {}", made_up(5000, 400)),
    );
    site.assert_equals_a_build();
    site.edit("articles/f-glossary.md", &made_up(0, 300), "Words.");
    site.assert_equals_a_build();
}

/// When pages come or go, a body is kept only if every page its links
/// look up resolves as before: `Neck Strain` links to the hip guide.
#[test]
fn a_body_linking_to_a_page_that_goes_or_comes_renders_again() {
    let mut site = Fixture::new();
    let hip = site.path(HIP);
    let text = std::fs::read_to_string(&hip).expect("read");
    std::fs::remove_file(&hip).expect("delete");
    let errors = site
        .live
        .apply(&[(hip.clone(), false)])
        .expect_err("the neck article's link is broken now");
    assert!(errors.to_string().contains("c-hip.md"), "{errors}");
    std::fs::write(&hip, &text).expect("write");
    site.live
        .apply(&[(hip, false)])
        .expect("good")
        .expect("a change");
    assert!(site
        .output("articles/d-neck/index.html")
        .contains("/articles/c-hip/#stretch"));
    site.assert_equals_a_build();
    // The hip guide moves to another URL: the link follows it.
    site.edit(HIP, "date: ", "slug: hip-guide\ndate: ");
    assert!(site
        .output("articles/d-neck/index.html")
        .contains("/articles/hip-guide/#stretch"));
    site.assert_equals_a_build();
    // A new page that no body links to: the others are kept, and the
    // output is still a build's.
    let gait = site.path("articles/g-gait.md");
    let body = article("Gait Tips", "2026-01-04", "bob", "", "Step.");
    std::fs::write(&gait, body).expect("write");
    site.live
        .apply(&[(gait, false)])
        .expect("good")
        .expect("a change");
    site.assert_equals_a_build();
}

/// The articles of 2026-01-02 (`Neck Strain`, then `Sleep Well`) share
/// `posture` and `massage`; `Walk Daily` shows three of the five massage
/// articles as related, the newest first.
const NECK: &str = "articles/d-neck.md";

#[test]
fn a_title_that_passes_articles_of_its_date_moves_it_in_place() {
    let mut site = Fixture::new();
    let related = |site: &Fixture| {
        let page = site.output("articles/f-walk/index.html");
        [
            "Knee Care",
            "Hip Pain",
            "Neck Strain",
            "Zzz Neck",
            "Sleep Well",
        ]
        .into_iter()
        .filter(|title| page.contains(&format!(">{title}<")))
        .collect::<Vec<_>>()
    };
    assert_eq!(related(&site), ["Knee Care", "Hip Pain", "Neck Strain"]);
    let outcome = site.edit(NECK, "title: Neck Strain", "title: Zzz Neck");
    assert!(!outcome.full, "{outcome:?}");
    // It moved to the last page of the list; `Sleep Well` took its place.
    assert!(site
        .output("articles/page/3/index.html")
        .contains("Zzz Neck"));
    assert!(site
        .output("articles/page/2/index.html")
        .contains("Sleep Well"));
    assert_eq!(related(&site), ["Knee Care", "Hip Pain", "Sleep Well"]);
    site.assert_equals_a_build();
    // And back.
    assert!(!site.edit(NECK, "title: Zzz Neck", "title: Aaa Neck").full);
    site.assert_equals_a_build();
}

#[test]
fn a_page_that_lists_an_article_it_passes_is_rendered_and_listed_again() {
    let mut site = Fixture::new();
    let related = |site: &Fixture| site.output("articles/f-walk/index.html");
    assert!(!related(&site).contains(">Sleep Well<"));
    // Passing `Neck Strain` puts it among the three `Walk Daily` shows.
    let outcome = site.edit(
        "articles/e-sleep.md",
        "title: Sleep Well",
        "title: Aaa Sleep",
    );
    assert!(!outcome.full, "{outcome:?}");
    assert!(related(&site).contains(">Aaa Sleep<"));
    assert!(!related(&site).contains(">Neck Strain<"));
    site.assert_equals_a_build();
    // Which pages show it is known for the next edit too.
    let outcome = site.edit(
        "articles/e-sleep.md",
        "title: Aaa Sleep",
        "title: Aaa Sleep Tight",
    );
    assert!(!outcome.full, "{outcome:?}");
    assert!(related(&site).contains(">Aaa Sleep Tight<"));
    site.assert_equals_a_build();
}

#[test]
fn a_title_tied_with_another_of_its_date_is_rebuilt() {
    let mut site = Fixture::new();
    let outcome = site.edit(
        "articles/e-sleep.md",
        "title: Sleep Well",
        "title: neck strain",
    );
    assert!(outcome.assembled, "{outcome:?}");
    site.assert_equals_a_build();
}

#[test]
fn a_move_that_changes_how_a_term_is_spelled_is_rebuilt() {
    let mut site = Fixture::new();
    site.edit("articles/e-sleep.md", "tags: [posture]", "tags: [Posture]");
    assert!(site.output("tags/index.html").contains(">posture<"));
    // `Sleep Well` becomes the newest article naming the tag.
    let outcome = site.edit(NECK, "title: Neck Strain", "title: Zzz Neck");
    assert!(outcome.assembled, "{outcome:?}");
    assert!(site.output("tags/index.html").contains(">Posture<"));
    site.assert_equals_a_build();
}

#[test]
fn a_date_that_passes_articles_of_other_dates_moves_it_in_place() {
    let mut site = Fixture::new();
    let walk = |site: &Fixture| site.output("articles/f-walk/index.html");
    assert!(!walk(&site).contains(">Sleep Well<"));
    // The newest of all now: first in every list, and among the three
    // newest massage articles `Walk Daily` shows.
    let outcome = site.edit(
        "articles/e-sleep.md",
        "date: 2026-01-02",
        "date: 2026-01-10",
    );
    assert!(!outcome.assembled && !outcome.full, "{outcome:?}");
    assert!(site.output("articles/index.html").contains("Sleep Well"));
    assert!(walk(&site).contains(">Sleep Well<"));
    assert!(!walk(&site).contains(">Neck Strain<"));
    // Ann's page and the lists take its date in the sitemap.
    assert!(site.output("sitemap.xml").contains("2026-01-10"));
    site.assert_equals_a_build();
    // And back past them all, to the end.
    let outcome = site.edit(
        "articles/e-sleep.md",
        "date: 2026-01-10",
        "date: 2025-06-30",
    );
    assert!(!outcome.assembled && !outcome.full, "{outcome:?}");
    assert!(site
        .output("articles/page/3/index.html")
        .contains("Sleep Well"));
    site.assert_equals_a_build();
}

#[test]
fn a_date_that_moves_an_article_into_a_terms_related_scan_remakes_every_related_list() {
    // Related articles are drawn from a term's newest `RELATED_SCAN`
    // entries. `knee pain` gets more: fillers, and `Old Needles`, the
    // oldest, past the scan's end. `Needle Guide` shares a second term
    // (`dry needling`) with it, so once it is scanned it comes first in
    // that article's related list. That list shows neither it nor any
    // article it passes, so only the crossing rule finds it.
    let day = |n: i64| {
        jiff::civil::date(2025, 1, 1)
            .checked_add(jiff::Span::new().days(n))
            .expect("a date")
    };
    let mut files: Vec<(String, String)> = (0..crate::view::RELATED_SCAN as i64)
        .map(|n| {
            let title = format!("Knee Note {n:03}");
            let text = article(
                &title,
                &day(n).to_string(),
                "ann",
                "conditions: [knee pain]\n",
                "Knees.",
            );
            (format!("content/articles/knee-{n:03}.md"), text)
        })
        .collect();
    let both = "conditions: [knee pain]\ntreatments: [dry needling]\n";
    files.push((
        "content/articles/needle-guide.md".into(),
        article("Needle Guide", "2025-12-01", "ann", both, "Needles."),
    ));
    files.push((
        "content/articles/old-needles.md".into(),
        article("Old Needles", "2024-06-01", "bob", both, "Old."),
    ));
    let extra: Vec<(&str, &str)> = files
        .iter()
        .map(|(r, t)| (r.as_str(), t.as_str()))
        .collect();
    let mut site = Fixture::with(&extra);
    let related = |site: &Fixture| {
        let page = site.output("articles/needle-guide/index.html");
        let section = page.split("class=\"related\"").nth(1).unwrap_or_default();
        section
            .split("</section>")
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        !related(&site).contains("Old Needles"),
        "{}",
        related(&site)
    );
    assert!(related(&site).contains("Knee Care"), "{}", related(&site));
    let outcome = site.edit(
        "articles/old-needles.md",
        "date: 2024-06-01",
        &format!("date: {}", day(100)),
    );
    assert!(!outcome.assembled && !outcome.full, "{outcome:?}");
    assert!(related(&site).contains("Old Needles"), "{}", related(&site));
    site.assert_equals_a_build();
}

#[test]
fn a_date_after_the_sites_day_or_tied_with_another_is_rebuilt() {
    let mut site = Fixture::new();
    // After the fixture's day (2026-02-01): a build leaves it out.
    let outcome = site.edit("articles/a-knee.md", "date: 2026-01-05", "date: 2026-02-02");
    assert!(outcome.assembled, "{outcome:?}");
    assert!(site.output("articles/a-knee/index.html").is_empty());
    site.assert_equals_a_build();
    // The date and title of `Back Basics`: the order files are read in
    // would decide between them.
    let outcome = site.edits(
        "articles/e-sleep.md",
        &[
            ("date: 2026-01-02", "date: 2026-01-04"),
            ("title: Sleep Well", "title: back basics"),
        ],
    );
    assert!(outcome.assembled, "{outcome:?}");
    site.assert_equals_a_build();
}

#[test]
fn a_date_that_changes_how_a_term_is_spelled_is_rebuilt() {
    let mut site = Fixture::new();
    site.edit("articles/e-sleep.md", "tags: [posture]", "tags: [Posture]");
    assert!(site.output("tags/index.html").contains(">posture<"));
    // `Sleep Well` becomes the newest article naming the tag.
    let outcome = site.edit(
        "articles/e-sleep.md",
        "date: 2026-01-02",
        "date: 2026-01-03",
    );
    assert!(outcome.assembled, "{outcome:?}");
    assert!(site.output("tags/index.html").contains(">Posture<"));
    site.assert_equals_a_build();
}

#[test]
fn a_rebuild_after_an_edit_in_place_compares_with_the_edited_site() {
    let mut site = Fixture::new();
    assert!(!site.edit(HIP, "title: Hip Pain", "title: Hips").full);
    // Back to the first title, with a change lists do not show: the site
    // as templates see it equals the one before the first edit, not the
    // one it replaces: assembled again, the pages that show it rendered.
    let outcome = site.edits(
        HIP,
        &[
            ("title: Hips", "title: Hip Pain"),
            ("author: bob\n", "author: bob\nalso_known_as: [coxalgia]\n"),
        ],
    );
    assert!(outcome.assembled && !outcome.full, "{outcome:?}");
    assert!(!site.output("authors/bob/index.html").contains("Hips<"));
    site.assert_equals_a_build();
}

#[test]
fn a_title_edit_that_breaks_nothing_else_keeps_the_others_bytes() {
    let mut site = Fixture::new();
    let before = snapshot(site.live.output());
    site.edit(
        "articles/f-walk.md",
        "title: Walk Daily",
        "title: Walk Daily!",
    );
    let after = snapshot(site.live.output());
    let changed: Vec<&String> = after
        .keys()
        .filter(|rel| before.get(*rel) != after.get(*rel))
        .collect();
    assert!(changed.contains(&&"articles/f-walk/index.html".to_string()));
    assert!(!changed.contains(&&"articles/a-knee/index.html".to_string()));
    site.assert_equals_a_build();
}

#[test]
fn a_shortcode_showing_the_edited_article_is_rendered_again() {
    let mut site = Fixture::new();
    let also = |site: &Fixture| {
        let page = site.output("articles/a-knee/index.html");
        let start = page
            .find("<ul class=\"also\">")
            .expect("the shortcode's list");
        page[start..]
            .split("</ul>")
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert!(also(&site).contains("Hip Pain"), "{}", also(&site));
    assert!(!site.edit(HIP, "title: Hip Pain", "title: Hip Relief").full);
    assert!(also(&site).contains("Hip Relief"), "{}", also(&site));
    assert!(site
        .output("feed.xml")
        .contains("&lt;li&gt;Hip Relief&lt;/li&gt;"));
    site.assert_equals_a_build();
}

#[test]
fn a_shortcode_showing_site_articles_makes_title_edits_rebuild() {
    let latest = "{#- args: -#}\n<p>{{ site.articles | length }} articles, newest {{ site.articles[0].title }}</p>\n";
    let mut site = Fixture::with(&[("themes/own/shortcodes/latest.html", latest)]);
    let outcome = site.edit("articles/a-knee.md", "title: Knee Care", "title: Knee Help");
    assert!(outcome.assembled, "{outcome:?}");
    // A body edit is still applied in place.
    let outcome = site.edit(HIP, "Walk often.", "Walk daily.");
    assert!(!outcome.full, "{outcome:?}");
    site.assert_equals_a_build();
}

#[test]
fn a_template_showing_site_articles_is_rendered_again() {
    let missing = "{% extends \"base.html\" %}{% block content %}<p>Try {{ site.articles[0].title }}</p>{% endblock content %}\n";
    let mut site = Fixture::with(&[("themes/own/templates/404.html", missing)]);
    assert!(site.output("404.html").contains("Try Knee Care"));
    let outcome = site.edit("articles/a-knee.md", "title: Knee Care", "title: Knee Help");
    assert!(!outcome.full, "{outcome:?}");
    assert!(site.output("404.html").contains("Try Knee Help"));
    site.assert_equals_a_build();
}

#[test]
fn a_template_edit_reaches_the_pages() {
    let page =
        "{% extends \"base.html\" %}{% block content %}<p>First look</p>{% endblock content %}\n";
    let mut site = Fixture::with(&[("themes/own/templates/404.html", page)]);
    assert!(site.output("404.html").contains("First look"));
    let path = site.dir.path().join("themes/own/templates/404.html");
    std::fs::write(&path, page.replace("First look", "Second look")).expect("write");
    let outcome = site
        .live
        .apply(&[(path, false)])
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("a change");
    assert!(!outcome.full && outcome.rendered == 1, "{outcome:?}");
    assert!(
        site.output("404.html").contains("Second look"),
        "the edited template is used"
    );
    site.assert_equals_a_build();
}

/// A clinic page template of the site's own that includes a partial.
const LOCATION: &str = "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>{% include \"partials/note.html\" %}{% endblock content %}\n";

impl Fixture {
    /// Writes a template of theme `own` and applies the change.
    fn edit_template(&mut self, name: &str, text: &str) -> Result<Outcome, crate::error::Errors> {
        let path = self.dir.path().join("themes/own/templates").join(name);
        std::fs::write(&path, text).expect("write");
        self.live
            .apply(&[(path, false)])
            .map(|o| o.expect("a change"))
    }
}

#[test]
fn a_template_edit_renders_only_the_pages_of_the_templates_using_it() {
    let mut site = Fixture::with(&[
        ("themes/own/templates/location.html", LOCATION),
        (
            "themes/own/templates/partials/note.html",
            "<p>Note one</p>\n",
        ),
    ]);
    let clinic = "locations/elm/index.html";
    assert!(site.output(clinic).contains("Note one"));
    // The included partial: only the clinic page uses it.
    let outcome = site
        .edit_template("partials/note.html", "<p>Note two</p>\n")
        .unwrap_or_else(|e| panic!("{e}"));
    // The clinic page and its share card.
    assert!(!outcome.full && outcome.rendered == 2, "{outcome:?}");
    assert!(site.output(clinic).contains("Note two"));
    site.assert_equals_a_build();
    // The template itself.
    let outcome = site
        .edit_template(
            "location.html",
            &LOCATION.replace("<h1>", "<h1 class=\"x\">"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!outcome.full && outcome.rendered == 2, "{outcome:?}");
    assert!(site.output(clinic).contains("<h1 class=\"x\">"));
    site.assert_equals_a_build();
    // A body edit afterwards sees the new templates too.
    assert!(
        !site
            .edit("locations/elm.md", "Near the park.", "By the park.")
            .full
    );
    assert!(site.output(clinic).contains("<h1 class=\"x\">"));
    site.assert_equals_a_build();
}

#[test]
fn a_partial_shown_once_is_on_every_page_and_follows_its_edits_and_the_site() {
    let contact = "<p class=\"contact\">{{ site.locations[0].phone }} <b>{{ tr.call }}</b></p>\n";
    let mut site = Fixture::with(&[("themes/own/templates/partials/contact.html", contact)]);
    let pages = [
        "index.html",
        "articles/a-knee/index.html",
        "locations/elm/index.html",
        "404.html",
    ];
    // As HTML, not escaped again.
    let shown = "<p class=\"contact\">(555) 555-0101 <b>Call</b></p>";
    for page in pages {
        assert!(site.output(page).contains(shown), "{page}");
    }
    let outcome = site
        .edit_template("partials/contact.html", &contact.replace("<b>", "<b>Now "))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(outcome.rendered > pages.len(), "{outcome:?}");
    for page in pages {
        assert!(site.output(page).contains("<b>Now Call</b>"), "{page}");
    }
    site.assert_equals_a_build();
    // The clinic's phone it shows, saved in place.
    site.edit("locations/elm.md", "555-0101", "555-0199");
    for page in pages {
        assert!(site.output(page).contains("(555) 555-0199 <b>"), "{page}");
    }
    site.assert_equals_a_build();
    // Saved reading the page, which it cannot see: an error, then the fix
    // reaches every page.
    let err = site
        .edit_template("partials/contact.html", "<p>{{ page.title }}</p>\n")
        .expect_err("a once partial cannot read the page");
    assert!(err.to_string().contains("partials/contact.html"), "{err}");
    site.edit_template("partials/contact.html", "<p class=\"contact\">Fixed</p>\n")
        .unwrap_or_else(|e| panic!("{e}"));
    for page in pages {
        assert!(
            site.output(page).contains("<p class=\"contact\">Fixed</p>"),
            "{page}"
        );
    }
    site.assert_equals_a_build();
}

#[test]
fn a_template_edit_that_fails_is_reported_and_the_fix_reaches_the_pages() {
    let mut site = Fixture::with(&[
        ("themes/own/templates/location.html", LOCATION),
        (
            "themes/own/templates/partials/note.html",
            "<p>Note one</p>\n",
        ),
    ]);
    // Tera refuses it when compiling; then it fails only when rendered.
    assert!(site
        .edit_template("partials/note.html", "{% for x in %}\n")
        .is_err());
    assert!(site
        .edit_template("partials/note.html", "{{ no_such_thing.at_all }}\n")
        .is_err());
    assert!(site.output("locations/elm/index.html").contains("Note one"));
    let outcome = site
        .edit_template("partials/note.html", "<p>Note three</p>\n")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        site.output("locations/elm/index.html")
            .contains("Note three"),
        "{outcome:?}"
    );
    site.assert_equals_a_build();
}

#[test]
fn a_template_edit_that_may_reach_any_page_renders_them_all() {
    let mut site = Fixture::with(&[
        ("themes/own/templates/location.html", LOCATION),
        (
            "themes/own/templates/partials/note.html",
            "<p>Note one</p>\n",
        ),
    ]);
    // A component may be called from any template.
    let outcome = site
        .edit_template(
            "partials/note.html",
            "{% component note() %}<p>Note</p>{% endcomponent note %}<p>Note four</p>\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(outcome.full, "{outcome:?}");
    site.assert_equals_a_build();
    let outcome = site
        .edit_template("partials/note.html", "<p>Note five</p>\n")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(outcome.full, "a component was defined there: {outcome:?}");
    site.assert_equals_a_build();
    // A new template file changes the theme.
    let outcome = site
        .edit_template("partials/other.html", "<p>Other</p>\n")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(outcome.full, "{outcome:?}");
    site.assert_equals_a_build();
}

#[test]
fn a_home_page_front_matter_edit_renders_the_home_page_only() {
    let mut site = Fixture::new();
    let outcome = site.edit("index.md", "title: Welcome", "title: Welcome in");
    assert!(!outcome.full && outcome.rendered == 1, "{outcome:?}");
    assert!(site.output("index.html").contains("Welcome in"));
    site.assert_equals_a_build();
}

#[test]
fn alias_edits_write_and_remove_redirect_pages_as_a_build_does() {
    let mut site = Fixture::new();
    assert!(site.output("_redirects").is_empty());
    site.edit(
        HIP,
        "tags: [pain]",
        "aliases: [/2019/05/hip/]\ntags: [pain]",
    );
    assert!(site
        .output("2019/05/hip/index.html")
        .contains("url=/articles/c-hip/"));
    assert!(site
        .output("_redirects")
        .contains("/2019/05/hip/ /articles/c-hip/ 301"));
    site.assert_equals_a_build();
    site.edit(HIP, "/2019/05/hip/", "/old-hip/");
    assert!(site.output("2019/05/hip/index.html").is_empty());
    assert!(site.output("old-hip/index.html").contains("noindex"));
    site.assert_equals_a_build();
    site.edit(
        "index.md",
        "title: Welcome",
        "title: Welcome\naliases: [/home.html]",
    );
    assert!(site.output("home.html").contains("url=/\""));
    site.assert_equals_a_build();
    site.edit(
        "index.md",
        "aliases: [/home.html]",
        "aliases: [/start.html]",
    );
    assert!(site.output("home.html").is_empty());
    site.assert_equals_a_build();
}

#[test]
fn a_clinic_detail_edit_renders_the_pages_that_show_the_clinic() {
    let mut site = Fixture::new();
    let before = site.live.written.len();
    // `d-neck` lists it; `b-back` calls the `locations` shortcode.
    let outcome = site.edit("locations/elm.md", "555-0101", "555-0199");
    // Most of this small site shows the clinic; not the lists of
    // articles, terms and the feed.
    assert!(!outcome.full, "{outcome:?}");
    assert!(outcome.rendered < before * 3 / 4, "{outcome:?} of {before}");
    for page in [
        "locations/elm/index.html",
        "locations/index.html",
        "articles/d-neck/index.html",
        "articles/b-back/index.html",
        "authors/bob/index.html",
        "index.html",
    ] {
        assert!(site.output(page).contains("555-0199"), "{page}");
    }
    site.assert_equals_a_build();
    let outcome = site.edit("locations/elm.md", "opens: \"07:00\"", "opens: \"08:00\"");
    assert!(!outcome.full, "{outcome:?}");
    site.assert_equals_a_build();
    // Its name orders the clinics: assembled again.
    let outcome = site.edit("locations/elm.md", "name: Elm Street", "name: Elm Road");
    assert!(outcome.assembled, "{outcome:?}");
    site.assert_equals_a_build();
}

/// Saves the clinic's phone `from` as `to` and applies it as `serve`
/// does, with the output files `open` in a browser.
fn save_phone_with_open(site: &mut Fixture, from: &str, to: &str, open: &[String]) -> Outcome {
    let path = site.path("locations/elm.md");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    site.live
        .apply_first(&[(path, false)], open.iter().cloned().collect())
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("a change")
}

#[test]
fn an_edit_applied_with_the_pages_in_view_first_writes_them_then_the_rest() {
    let mut site = Fixture::new();
    site.live.first_above = 0;
    let home = ["index.html".to_string()];
    let outcome = save_phone_with_open(&mut site, "555-0101", "555-0199", &home);
    let Deferred::Files(left) = outcome.deferred else {
        panic!("{outcome:?}");
    };
    assert!(left > 0, "{outcome:?}");
    // The saved clinic's page and the open home page are written...
    for page in ["locations/elm/index.html", "index.html"] {
        assert!(site.output(page).contains("555-0199"), "{page}");
    }
    // ...the others, named, wait; the index's files with them.
    let Held::Files(later) = site.live.held() else {
        panic!("{:?}", site.live.held());
    };
    for page in ["articles/d-neck/index.html", "authors/bob/index.html"] {
        assert!(later.contains(page), "{page} not in {later:?}");
        assert!(!site.output(page).contains("555-0199"), "{page}");
    }
    assert!(!later.contains("index.html"), "{later:?}");
    let index_file = |p: &String| p.starts_with("search/") && p.ends_with(".json");
    assert!(later.iter().any(index_file), "{later:?}");
    let rest = site
        .live
        .finish_deferred()
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("the rest");
    assert!(rest.rendered >= left, "{rest:?}");
    assert_eq!(site.live.held(), Held::Nothing);
    site.assert_equals_a_build();

    // A change that comes before the rest is written writes it first.
    let outcome = save_phone_with_open(&mut site, "555-0199", "555-0142", &home);
    assert!(
        matches!(outcome.deferred, Deferred::Files(_)),
        "{outcome:?}"
    );
    site.edit("articles/e-sleep.md", "Rest.", "Rest well.");
    assert_eq!(site.live.held(), Held::Nothing);
    site.assert_equals_a_build();

    // Every page open: nothing is left for later, the index's files included.
    let everything: Vec<String> = site.live.written.keys().cloned().collect();
    let outcome = save_phone_with_open(&mut site, "555-0142", "555-0143", &everything);
    assert_eq!(outcome.deferred, Deferred::Nothing, "{outcome:?}");
    site.assert_equals_a_build();
}

/// Applies the saved, new or deleted file at `path` as `serve` does, with
/// the output files `open` in a browser.
fn apply_with_open(site: &mut Fixture, path: PathBuf, open: &[&str]) -> Outcome {
    site.live
        .apply_first(
            &[(path, false)],
            open.iter().map(|p| p.to_string()).collect(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("a change")
}

#[test]
fn a_new_or_deleted_article_writes_the_pages_in_view_and_finds_the_rest_after() {
    let mut site = Fixture::new();
    let path = site.path("articles/g-rest.md");
    let text = article(
        "Rest Days",
        "2026-02-01",
        "bob",
        "tags: [rest]
",
        "Take a day off.",
    );
    std::fs::write(&path, text).expect("write");
    let outcome = apply_with_open(&mut site, path.clone(), &["authors/bob/index.html"]);
    assert_eq!(outcome.deferred, Deferred::Unknown, "{outcome:?}");
    // The new page and the open one are written...
    assert!(site
        .output("articles/g-rest/index.html")
        .contains("Take a day off."));
    assert!(site.output("authors/bob/index.html").contains("Rest Days"));
    // ...the others wait, held: the lists, the new term's page, the
    // index's files.
    let held = site.live.held();
    for page in [
        "articles/index.html",
        "tags/rest/index.html",
        "feed.xml",
        "sitemap.xml",
        "search/index.json",
    ] {
        assert!(held.holds(page), "{page} not in {held:?}");
    }
    assert!(!site.output("articles/index.html").contains("Rest Days"));
    // Not what was written, nor the theme's files.
    for file in [
        "articles/g-rest/index.html",
        "authors/bob/index.html",
        "style.css",
    ] {
        assert!(!held.holds(file), "{file} is held");
    }
    let rest = site
        .live
        .finish_deferred()
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("the rest");
    assert!(rest.written > 0, "{rest:?}");
    assert_eq!(site.live.held(), Held::Nothing);
    site.assert_equals_a_build();

    // Deleted, nothing open: its pages stay, held, until the rest is done.
    std::fs::remove_file(&path).expect("delete");
    let outcome = apply_with_open(&mut site, path, &[]);
    assert_eq!(outcome.deferred, Deferred::Unknown, "{outcome:?}");
    let held = site.live.held();
    for page in ["articles/g-rest/index.html", "tags/rest/index.html"] {
        assert!(held.holds(page), "{page} not in {held:?}");
        assert!(!site.output(page).is_empty(), "{page}");
    }
    // A change that comes before the rest is written writes it first.
    site.edit("articles/e-sleep.md", "Rest.", "Rest well.");
    assert_eq!(site.live.held(), Held::Nothing);
    assert!(site.output("articles/g-rest/index.html").is_empty());
    site.assert_equals_a_build();
}

/// A title no earlier run drew a share card for.
fn title_never_drawn(title: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{title} {now:x}")
}

#[test]
fn a_share_card_never_drawn_waits_for_after_the_reload() {
    let mut site = Fixture::new();
    let card = "articles/c-hip/share-card.png";
    let read = |site: &Fixture| std::fs::read(site.live.output().join(card)).expect("a card");
    let first = read(&site);
    // A new title, with its page open: the page is written before the
    // reload, its card after it, held until then.
    let title = title_never_drawn("Hip Pain");
    let mut drawn = vec![title.clone()];
    let path = site.path(HIP);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &path,
        text.replace("title: Hip Pain", &format!("title: {title}")),
    )
    .expect("write");
    apply_with_open(&mut site, path, &["articles/c-hip/index.html"]);
    assert!(site.output("articles/c-hip/index.html").contains(&title));
    assert!(site.live.held().holds(card), "{:?}", site.live.held());
    assert_eq!(read(&site), first);
    let after = site
        .live
        .finish_deferred()
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("the card");
    assert!(after.written > 0, "{after:?}");
    assert_eq!(site.live.held(), Held::Nothing);
    assert_ne!(read(&site), first);
    site.assert_equals_a_build();

    // A new article: its card too, held with the rest.
    let title = title_never_drawn("Rest Days");
    drawn.push(title.clone());
    let path = site.path("articles/g-rest.md");
    std::fs::write(&path, article(&title, "2026-02-01", "bob", "", "Rest.")).expect("write");
    apply_with_open(&mut site, path, &["articles/g-rest/index.html"]);
    assert!(site.output("articles/g-rest/index.html").contains(&title));
    let card = "articles/g-rest/share-card.png";
    assert!(site.live.held().holds(card), "{:?}", site.live.held());
    assert!(!site.live.output().join(card).exists());
    site.live
        .finish_deferred()
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("the rest");
    assert!(site.live.output().join(card).is_file());
    site.assert_equals_a_build();

    // Drawn once, the card of a title is in the cache: written with its
    // page, nothing held.
    let path = site.path(HIP);
    std::fs::write(&path, text).expect("write");
    apply_with_open(&mut site, path, &["articles/c-hip/index.html"]);
    assert_eq!(site.live.held(), Held::Nothing);
    assert_eq!(read(&site), first);
    site.assert_equals_a_build();

    // The user's card cache keeps no card of this test's titles.
    let prepared = site.live.prepared().expect("a site");
    let cards = crate::cards::Cards::new(&prepared.site, &prepared.theme)
        .expect("the card template")
        .expect("cards");
    for title in drawn {
        let file = cards.cached(&title).expect("drawn into the cache");
        std::fs::remove_file(file).expect("remove a test's card");
    }
}

#[test]
fn a_clinic_detail_edit_with_a_mistake_is_an_error_as_in_a_build() {
    let mut site = Fixture::new();
    let path = site.path("locations/elm.md");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replace("555-0101", "not a phone")).expect("write");
    let live = site.live.apply(&[(path.clone(), false)]);
    let build = crate::build(&options(
        site.dir.path(),
        Some(site.dir.path().join("built")),
    ));
    assert_eq!(live.is_err(), build.is_err(), "{live:?}");
    std::fs::write(&path, text.replace("555-0101", "555-0123")).expect("write");
    site.live
        .apply(&[(path, false)])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(site
        .output("articles/d-neck/index.html")
        .contains("555-0123"));
    site.assert_equals_a_build();
}

#[test]
fn an_author_change_renders_both_authors_pages_and_those_showing_the_article() {
    let mut site = Fixture::new();
    assert!(site.output("authors/bob/index.html").contains("Hip Pain"));
    let outcome = site.edit(HIP, "author: bob", "author: ann");
    assert!(!outcome.full, "{outcome:?}");
    assert!(site.output("authors/ann/index.html").contains("Hip Pain"));
    assert!(!site.output("authors/bob/index.html").contains("Hip Pain"));
    site.assert_equals_a_build();
    // An author no page is for: the build's error, then the fix.
    let path = site.path(HIP);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replace("author: ann", "author: carl")).expect("write");
    let live = site.live.apply(&[(path.clone(), false)]);
    assert!(live.is_err(), "{live:?}");
    std::fs::write(&path, text.replace("author: ann", "author: bob")).expect("write");
    let outcome = site
        .live
        .apply(&[(path, false)])
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("a change");
    assert!(
        site.output("authors/bob/index.html").contains("Hip Pain"),
        "{outcome:?}"
    );
    site.assert_equals_a_build();
}

#[test]
fn a_reviewer_change_renders_the_article_alone() {
    let mut site = Fixture::new();
    let back = "articles/b-back.md";
    site.edit(
        back,
        "reviewed_by: bob",
        "reviewed_by: bob\nlast_reviewed: 2026-01-06",
    );
    site.assert_equals_a_build();
    let outcome = site.edit(back, "reviewed_by: bob", "reviewed_by: ann");
    // The page, its share card, the feed and the sitemap.
    assert!(!outcome.full && outcome.rendered <= 4, "{outcome:?}");
    let page = site.output("articles/b-back/index.html");
    let reviewed = page.split("class=\"reviewed\"").nth(1).unwrap_or_default();
    assert!(reviewed.contains("Ann Lee"), "{page}");
    site.assert_equals_a_build();
}

#[test]
fn an_authors_edit_reaches_the_summaries_of_articles_kept_as_they_were() {
    // A new article assembles the site again, and every other article
    // keeps its summary; those by an author whose summary changed in the
    // same rebuild must not.
    let mut site = Fixture::new();
    site.edit(
        "authors/bob.md",
        "credentials: [DPT]",
        "credentials: [DPT, OCS]",
    );
    site.assert_equals_a_build();
    let new = site.path("articles/g-gait.md");
    std::fs::write(&new, article("Gait Tips", "2026-01-07", "bob", "", "Step.")).expect("write");
    std::fs::write(
        site.path("authors/bob.md"),
        "---\nname: Robert Roe\ncredentials: [DPT]\n---\n\nBob.\n",
    )
    .expect("write");
    let outcome = site
        .live
        .apply(&[(new, false), (site.path("authors/bob.md"), false)])
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("a change");
    assert!(outcome.assembled, "{outcome:?}");
    site.assert_equals_a_build();
    assert!(site
        .output("articles/c-hip/index.html")
        .contains("Robert Roe"));
}

#[test]
fn summaries_are_kept_only_while_the_sites_address_is_the_same() {
    let site = Fixture::new();
    let root = site.dir.path();
    let before = crate::prepare(&options(root, None)).expect("prepares");
    let yaml = root.join("site.yaml");
    let text = std::fs::read_to_string(&yaml).expect("read");
    let moved = text.replace("https://example.org/", "https://example.org/clinic/");
    std::fs::write(&yaml, moved).expect("write");
    let after = crate::prepare(&options(root, None)).expect("prepares");
    let shared = |p: &crate::Prepared| crate::view::Views::new(&p.site).shared_values_of([]);
    let (old, new) = (
        (&before.site, &shared(&before)),
        (&after.site, &shared(&after)),
    );
    assert!(crate::view::SameSummaries::new(old, old).is_some());
    assert!(crate::view::SameSummaries::new(old, new).is_none());
}

#[test]
fn a_table_broken_by_an_edit_is_an_error_while_the_others_are_not_checked_again() {
    let mut site = Fixture::new();
    let path = site.path("articles/e-sleep.md");
    let text = std::fs::read_to_string(&path).expect("read");
    let broken = "comparison:\n  caption: \" \"\n  columns: [Notes, Cost]\n  rows:\n    - label: Bed\n      values: [Firm, Low]\n";
    std::fs::write(
        &path,
        text.replacen("---\n\n", &format!("{broken}---\n\n"), 1),
    )
    .expect("write");
    let error = site
        .live
        .apply(&[(path.clone(), false)])
        .expect_err("a broken table");
    let text = error.to_string();
    assert!(text.contains("e-sleep.md"), "{text}");
    assert!(text.contains("the caption is empty"), "{text}");
    let fixed = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, fixed.replace("caption: \" \"", "caption: Beds")).expect("write");
    site.live
        .apply(&[(path, false)])
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("a change");
    site.assert_equals_a_build();
}
