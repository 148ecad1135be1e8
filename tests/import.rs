//! `handout import wordpress` on the export in tests/import/: what each
//! kind of WordPress content becomes, the report, a second run, bad
//! exports, and the imported site built with every old address followed
//! to its page.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{run, Run};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/import");

/// A folder as a user has it: the export, the uploads folder, a term map.
struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    fn new() -> Workdir {
        let dir = tempfile::tempdir().expect("temp dir");
        for entry in walkdir::WalkDir::new(FIXTURES) {
            let entry = entry.expect("walk");
            let rel = entry.path().strip_prefix(FIXTURES).expect("prefix");
            let target = dir.path().join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).expect("mkdir");
            } else {
                std::fs::copy(entry.path(), &target).expect("copy");
            }
        }
        std::fs::write(
            dir.path().join("terms.yaml"),
            "Back Pain: conditions\nStretching: treatments\n",
        )
        .expect("write");
        Workdir { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn run(&self, args: &[&str]) -> Run {
        run(args, self.path())
    }

    /// The import of the clinic export into `site/`.
    fn import(&self, extra: &[&str]) -> Run {
        let mut args = vec![
            "import",
            "wordpress",
            "clinic.xml",
            "--uploads",
            "uploads",
            "--root",
            "site",
            "--map",
            "Knee Pain=conditions",
            "--map-file",
            "terms.yaml",
        ];
        args.extend(extra);
        self.run(&args)
    }

    fn read(&self, rel: &str) -> String {
        let path = self.path().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    fn snapshot(&self, rel: &str) -> BTreeMap<PathBuf, Vec<u8>> {
        let base = self.path().join(rel);
        walkdir::WalkDir::new(&base)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(&base).expect("prefix").to_path_buf();
                (rel, std::fs::read(e.path()).expect("read"))
            })
            .collect()
    }
}

fn imported() -> Workdir {
    let work = Workdir::new();
    work.import(&[]).assert_ok();
    work
}

#[test]
fn classic_editor_post_with_shortcodes_and_uploads() {
    let work = imported();
    let post = work.read("site/content/articles/knee-pain/index.md");
    common::assert_contains_all(
        &post,
        &[
        "title: 'Knee Pain: What Helps?'\n",
        "date: 2019-05-14\nupdated: 2020-02-01\nauthor: ann-lee\n",
        "tags:\n- Exercise\nconditions:\n- Knee Pain\n",
        "aliases:\n- /2019/05/14/knee-pain/\n",
        // Paragraphs and line breaks from blank lines and newlines.
        "\nKnee pain is *very* common.\\\nMost of the time it gets better with care at home.\n\n## What helps\n\n- Rest for a day or two\n- **Ice** for 15 minutes\n",
        // Links to other posts are links to their files, headings kept.
        "[how to warm up](/articles/back-pain-basics/index.md#warm-up)",
        "[this part](/articles/back-pain-basics/index.md)",
        // [caption] is the image and its caption; the resized copy's
        // original was copied.
        "[![A knee with a brace](knee.png)](knee.png)\\\n*A brace can help for a week.*",
        // [gallery] is each image, with its caption.
        "![A knee with a brace](knee.png)\\\n*A brace & ice*\n\n![A calf stretch](stretch.png)",
        // A bare address and [embed] are links.
        "<https://www.youtube.com/watch?v=knee123>",
        "<https://vimeo.com/12345>",
        "| Care | How long   |\n| ---- | ---------- |\n| Ice  | 15 minutes |\n| Rest | 1–2 days   |",
        "> Move a little every day.",
        "[exercise sheet](exercises.pdf)",
        "```\nStep 1: bend\nStep 2: straighten\n```",
        "\\[contact-form-7 id=\"5\" title=\"Book a visit\"\\]",
        "[Email us](mailto:hello@sunnyside.example) or call [555-0100](tel:+15555550100)",
        ],
    );
    assert!(!post.contains("more"), "{post}");
    for file in ["knee.png", "stretch.png", "exercises.pdf"] {
        assert_eq!(
            std::fs::read(
                work.path()
                    .join("site/content/articles/knee-pain")
                    .join(file)
            )
            .unwrap(),
            std::fs::read(
                work.path()
                    .join("uploads/wp-content/uploads/2019/05")
                    .join(file)
            )
            .unwrap()
        );
    }
}

#[test]
fn block_editor_post() {
    let work = imported();
    let post = work.read("site/content/articles/back-pain-basics/index.md");
    common::assert_contains_all(
        &post,
        &[
        "description: What helps a sore back, in plain words.\n",
        "author: bob-roe\n",
        "conditions:\n- Back Pain\ntreatments:\n- Stretching\n",
        "See [knee pain](/articles/knee-pain/index.md) too, or read [about us](/about.md).",
        "## Warm up {#warm-up}\n\n- Walk for five minutes\n- Roll your shoulders\n",
        "![A calf stretch](stretch.png)\\\n*Hold each stretch for 30 seconds.*",
        // Not in the uploads folder: a comment marks the spot.
        "<!-- missing picture: https://sunnyside.example/wp-content/uploads/2019/05/missing.png (A chart) -->",
        "<https://www.youtube.com/watch?v=back456>\\\n*Three easy stretches*",
        "| Do          | Don't       |",
        "<table><tbody><tr><td>Mon</td><td>Walk</td></tr>",
        "> Motion is lotion.",
        "```\nsit < 30 minutes\n```",
        "<iframe src=\"https://maps.example/embed?clinic=1\" width=\"600\" height=\"450\"></iframe>",
        // The reusable block, in place.
        "Call us at **555-0100** to book.",
        ],
    );
    assert!(!post.contains("wp:"), "{post}");
}

#[test]
fn drafts_future_posts_pages_authors_and_odd_characters() {
    let work = imported();
    let draft = work.read("site/content/articles/hip-pain-after-running.md");
    assert!(draft.contains("draft: true\n"), "{draft}");
    let future = work.read("site/content/articles/winter-exercises.md");
    assert!(
        future.contains("date: 2099-01-10\n") && !future.contains("draft"),
        "{future}"
    );
    let odd = work.read("site/content/articles/sit-less.md");
    assert!(
        odd.starts_with("---\ntitle: '\"Sit Less,\" Says New Study & Why It Matters'\n"),
        "{odd}"
    );
    let untitled = work.read("site/content/articles/16/index.md");
    assert!(untitled.contains("title: Untitled post 16\n"));
    assert!(
        untitled.contains("Café talk — “quotes” & 50% off \\*stars\\* and emoji 😀."),
        "{untitled}"
    );
    assert!(untitled.contains("](knee-brace-photo.png)"), "{untitled}");
    let twin = work.read("site/content/articles/knee-pain-2.md");
    assert!(
        twin.contains("aliases:\n- /2020/01/05/knee-pain/\n"),
        "{twin}"
    );
    // Pages keep their addresses, but those handout makes itself.
    assert!(work
        .read("site/content/about.md")
        .contains("title: About Us\n"));
    assert!(work
        .read("site/content/about/team.md")
        .contains("[about us](/about.md)"));
    let renamed = work.read("site/content/articles-page.md");
    assert!(!renamed.contains("aliases"), "{renamed}");
    assert_eq!(
        work.read("site/content/authors/bob-roe.md"),
        "---\nname: Bob Roe\naliases:\n- /author/bob-roe/\n---\n"
    );
    // Private and protected posts are not in the site.
    for gone in ["staff-notes", "portal"] {
        assert!(!work
            .path()
            .join(format!("site/content/articles/{gone}.md"))
            .exists());
    }
    let site = work.read("site/site.yaml");
    assert!(
        site.contains("base_url: https://sunnyside.example/\n"),
        "{site}"
    );
}

#[test]
fn the_report_names_each_post_and_what_to_check() {
    let work = Workdir::new();
    let run = work.import(&[]);
    run.assert_ok();
    let report = work.read("site/import-report.md");
    assert!(run.stdout.starts_with(&report), "{}", run.stdout);
    assert!(run.stdout.ends_with(
        "Imported into site: 20 files written. The report above is saved in site/import-report.md.\nNext: cd site && handout build\n"
    ), "{}", run.stdout);
    common::assert_contains_all(
        &report,
        &[
        "From clinic.xml: 7 articles (1 draft, 1 is set for later), 3 pages, 2 author pages and 5 files.",
        "- \"Staff Notes\" (post 14): private\n",
        "- \"Patient Portal Tips\" (post 15): password-protected\n",
        "- 1 `nav_menu_item` item:",
        "- the categories or tags Uncategorized were left off every post\n",
        "### content/articles/knee-pain/index.md (Knee Pain: What Helps?)\n",
        "- The shortcode [contact-form-7] was kept as text",
        "- A link to #no-such-part on \"Back Pain Basics\" now goes to the top of the page",
        "- The block wp:latest-posts shows something WordPress made",
        "- A table Markdown cannot hold",
        "- An embedded <iframe> (https://maps.example/embed?clinic=1) was kept as HTML",
        "- The file wp-content/uploads/2019/05/missing.png is not in the uploads folder: it was left out",
        "- It had no title: it is called \"Untitled post 16\" now",
        "- The HTML has <strong> that does not match up",
        "- Another post has the address name `knee-pain`: this one is `knee-pain-2`",
        "- It linked to \"Hip Pain After Running\", which is a draft (link to /articles/hip-pain-after-running.md once it is published) (https://sunnyside.example/?p=12); the link was taken out and its text kept",
        "- It linked to a page that was not imported (private) (https://sunnyside.example/2019/07/01/staff-notes/)",
        "- It linked to a page of the old site that is not in the export (https://sunnyside.example/category/news/)",
        "- Handout makes the address /articles/ itself: this page is /articles-page/ instead",
        "### content/authors/ann-lee.md (Ann Lee)\n\n- Add credentials",
        ],
    );
}

/// `href`'s file in `public/`: `/a/` is `a/index.html`.
fn file_of(public: &Path, url: &str) -> PathBuf {
    let rel = url.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        public.join(rel).join("index.html")
    } else {
        public.join(rel)
    }
}

#[test]
fn the_imported_site_builds_and_every_alias_leads_to_its_page() {
    let work = imported();
    let site = work.path().join("site");
    let build = run(&["build"], &site);
    build.assert_ok();
    assert!(build.stdout.starts_with("Built "), "{}", build.stdout);
    let public = site.join("public");
    let redirects = std::fs::read_to_string(public.join("_redirects")).expect("_redirects");
    let lines: Vec<&str> = redirects.lines().filter(|l| !l.starts_with('#')).collect();
    // Every post's and author's old address, and only those.
    assert_eq!(lines.len(), 7, "{redirects}");
    for line in lines {
        let parts: Vec<&str> = line.split(' ').collect();
        let [from, to, "301"] = parts.as_slice() else {
            panic!("{line}");
        };
        let redirect = std::fs::read_to_string(file_of(&public, from))
            .unwrap_or_else(|e| panic!("{from}: {e}"));
        assert!(
            redirect.contains(&format!("content=\"0; url={to}\"")),
            "{from}: {redirect}"
        );
        let page =
            std::fs::read_to_string(file_of(&public, to)).unwrap_or_else(|e| panic!("{to}: {e}"));
        assert!(
            page.contains(&format!(
                "<link rel=\"canonical\" href=\"https://sunnyside.example{to}\""
            )),
            "{to}"
        );
    }
    // `handout check` runs on it: its findings are the team's to-do list.
    let check = run(&["check"], &site);
    assert!(
        check.stdout.contains("Checked "),
        "{}\n{}",
        check.stdout,
        check.stderr
    );
    assert!(!check.stderr.contains("error:"), "{}", check.stderr);
    // Drafts build too.
    run(&["build", "--drafts", "--output", "../with-drafts"], &site).assert_ok();
}

#[test]
fn a_second_import_replaces_only_what_nobody_changed() {
    let work = imported();
    let again = work.import(&[]);
    again.assert_ok();
    assert!(
        again
            .stdout
            .contains("Imported into site: 0 files written, 18 unchanged."),
        "{}",
        again.stdout
    );
    // A person edits a page: the next import refuses, and writes nothing.
    let edited = work.path().join("site/content/articles/sit-less.md");
    std::fs::write(
        &edited,
        "---\ntitle: Mine\ndescription: My own words here.\ndate: 2020-02-01\n---\n",
    )
    .unwrap();
    std::fs::remove_file(work.path().join("site/content/about.md")).unwrap();
    let before = work.snapshot("site");
    let refused = work.import(&[]);
    refused
        .assert_error("content/articles/sit-less.md: this file was changed since the last import");
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("Nothing was written into site."),
        "{}",
        refused.stderr
    );
    assert_eq!(work.snapshot("site"), before);
    let forced = work.import(&["--force"]);
    forced.assert_ok();
    assert!(
        forced.stdout.contains("2 files written"),
        "{}",
        forced.stdout
    );
    assert!(work
        .read("site/content/articles/sit-less.md")
        .contains("Sit Less"));
}

#[test]
fn an_import_into_a_site_that_has_the_files_already_refuses() {
    let work = Workdir::new();
    let site = work.path().join("site");
    std::fs::create_dir_all(site.join("content/about")).unwrap();
    std::fs::write(site.join("content/about.md"), "---\ntitle: Ours\n---\n").unwrap();
    std::fs::write(
        site.join("site.yaml"),
        "title: Ours\nbase_url: https://ours.example/clinic/\n",
    )
    .unwrap();
    let before = work.snapshot("site");
    work.import(&[]).assert_error(
        "content/about.md: this file was changed since the last import (or was not written by it)",
    );
    assert_eq!(work.snapshot("site"), before);
}

#[test]
fn without_uploads_pictures_are_marked_or_still_come_from_the_old_site() {
    // The new site takes the old one's address: the old files will be gone.
    let work = Workdir::new();
    work.run(&["import", "wordpress", "clinic.xml", "--root", "site"])
        .assert_ok();
    let post = work.read("site/content/articles/knee-pain/index.md");
    assert!(
        post.contains("<!-- missing picture: https://sunnyside.example/wp-content/uploads/2019/05/stretch.png (A calf stretch) -->"),
        "{post}"
    );
    assert!(post.contains("Print the exercise sheet."), "{post}");
    assert!(work
        .read("site/import-report.md")
        .contains("was not copied (no --uploads folder was given): it was left out"));
    run(&["build"], &work.path().join("site")).assert_ok();
    // A new site at another address: the old site's files still work.
    let work = Workdir::new();
    std::fs::create_dir_all(work.path().join("site")).unwrap();
    std::fs::write(
        work.path().join("site/site.yaml"),
        "title: New\nbase_url: https://new.example/\n",
    )
    .unwrap();
    work.run(&["import", "wordpress", "clinic.xml", "--root", "site"])
        .assert_ok();
    let post = work.read("site/content/articles/knee-pain/index.md");
    assert!(
        post.contains(
            "![A calf stretch](https://sunnyside.example/wp-content/uploads/2019/05/stretch.png)"
        ),
        "{post}"
    );
    assert!(work
        .read("site/content/articles/sit-less.md")
        .contains("[news](https://sunnyside.example/category/news/)"));
    run(&["build"], &work.path().join("site")).assert_ok();
}

#[test]
fn an_export_in_another_encoding_is_read_as_it_says() {
    let work = Workdir::new();
    let text = work
        .read("clinic.xml")
        .replace("encoding=\"UTF-8\"", "encoding=\"windows-1252\"");
    // Only what windows-1252 can hold.
    let text = text.replace('😀', "");
    let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!bad);
    std::fs::write(work.path().join("clinic.xml"), &bytes).unwrap();
    work.import(&[]).assert_ok();
    assert!(work
        .read("site/content/articles/knee-pain/index.md")
        .contains("| Rest | 1–2 days   |"));
    assert!(work
        .read("site/import-report.md")
        .contains("the export was in the windows-1252 encoding"));
}

#[test]
fn bad_exports_are_refused_with_a_place_and_write_nothing() {
    let work = Workdir::new();
    let full = std::fs::read(work.path().join("clinic.xml")).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "not-xml.xml",
            b"title,url\nKnee,https://a/\n".to_vec(),
            "not-xml.xml:1:1: this is not a WordPress export: it is not an XML file",
        ),
        (
            "page.html",
            b"<html><body><p>Hi</p></body></html>".to_vec(),
            "page.html:1: this XML file is not a WordPress export",
        ),
        (
            "cut.xml",
            full[..full.len() / 2].to_vec(),
            "the file ends before the export does",
        ),
        (
            "broken.xml",
            String::from_utf8_lossy(&full)
                .replacen("</title>", "</titel>", 3)
                .into_bytes(),
            "the export is not valid XML here",
        ),
        (
            "latin.xml",
            {
                let mut bytes = full.clone();
                bytes.extend_from_slice(b"<!-- caf\xe9 -->");
                bytes
            },
            "this line is not UTF-8 text",
        ),
        ("empty.xml", Vec::new(), "not an XML file"),
    ];
    for (name, bytes, needle) in cases {
        std::fs::write(work.path().join(name), bytes).unwrap();
        let run = work.run(&["import", "wordpress", name, "--root", "site"]);
        run.assert_error(needle);
        assert!(
            run.stderr.contains(&format!("error: {name}:")),
            "{}",
            run.stderr
        );
        assert!(!work.path().join("site").exists(), "{name} wrote a site");
    }
    let missing = work.run(&["import", "wordpress", "nope.xml", "--root", "site"]);
    missing.assert_error("nope.xml: cannot read the export file");
    let bad_map = work.run(&[
        "import",
        "wordpress",
        "clinic.xml",
        "--map",
        "Knee",
        "--root",
        "site",
    ]);
    bad_map.assert_error("--map: `Knee` is not a term and a kind");
    let no_uploads = work.run(&[
        "import",
        "wordpress",
        "clinic.xml",
        "--uploads",
        "gone",
        "--root",
        "site",
    ]);
    no_uploads.assert_error("gone: the --uploads folder does not exist");
}

#[test]
fn no_cut_or_damaged_export_panics() {
    let full = std::fs::read(Path::new(FIXTURES).join("clinic.xml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.xml");
    let mut tries = Vec::new();
    for end in (0..full.len()).step_by(997) {
        tries.push(full[..end].to_vec());
    }
    for at in (0..full.len()).step_by(1499) {
        let mut damaged = full.clone();
        damaged[at] = b'<';
        tries.push(damaged);
        let mut damaged = full.clone();
        damaged[at] = 0xff;
        tries.push(damaged);
    }
    for (n, bytes) in tries.iter().enumerate() {
        std::fs::write(&export, bytes).unwrap();
        let options = handout::import::ImportOptions {
            export: export.clone(),
            uploads: None,
            root: dir.path().join(format!("site-{n}")),
            map: Vec::new(),
            map_file: None,
            force: false,
            today: handout::today(),
        };
        // Ok or a clear error; a panic fails the test.
        if let Err(errors) = handout::import::wordpress(&options) {
            assert!(!errors.is_empty());
            assert!(!options.root.exists(), "try {n} wrote a site and failed");
        }
    }
}

/// Runs a block as a user types it, in `dir`, with `handout` on the PATH.
fn type_in(script: &str, dir: &Path) -> Run {
    let bin = Path::new(env!("CARGO_BIN_EXE_handout"))
        .parent()
        .expect("bin dir");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = std::process::Command::new("bash")
        .args(["-e", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .output()
        .expect("bash");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn importing_md_works_as_written_from_the_moving_folder() {
    let blocks = common::doc_blocks("docs/importing.md");
    let work = Workdir::new();
    let moving = work.path();
    std::fs::rename(
        moving.join("clinic.xml"),
        moving.join("sunnysidept.WordPress.2026-01-05.xml"),
    )
    .unwrap();
    let import = type_in(&blocks["import"], moving);
    import.assert_ok();
    assert!(moving.join("new-site/import-report.md").is_file());
    // What the import says to do next, as it says it.
    let next = import.stdout.lines().last().expect("a last line");
    let next = next.strip_prefix("Next: ").expect("a next step");
    assert_eq!(next, "cd new-site && handout build");
    type_in(next, moving).assert_ok();
    // `handout check` lists findings (and exits 1 on errors): it runs.
    let check = type_in(&blocks["check"], moving);
    assert!(
        check.stdout.contains("Checked "),
        "{}\n{}",
        check.stdout,
        check.stderr
    );
    assert!(!check.stderr.contains("error:"), "{}", check.stderr);
    // Running it again with a map moves terms; files are replaced.
    type_in(&blocks["map"], moving).assert_ok();
    assert!(work
        .read("new-site/content/articles/knee-pain/index.md")
        .contains("conditions:\n- Knee Pain\n"));
    std::fs::write(moving.join("terms.yaml"), &blocks["terms"]).unwrap();
    type_in(&blocks["map-file"], moving).assert_ok();
    let back = work.read("new-site/content/articles/back-pain-basics/index.md");
    assert!(back.contains("conditions:\n- Back Pain\n"), "{back}");
    assert!(!work
        .read("new-site/content/articles/knee-pain/index.md")
        .contains("tags:\n- Knee Pain"));
}

#[test]
fn importing_md_is_plain_language() {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/importing.md"))
            .unwrap();
    let mut prose = Vec::new();
    let mut current = String::new();
    let mut in_code = false;
    for event in Parser::new(&text) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if !in_code => current.push_str(&t),
            Event::Code(t) => current.push_str(&t),
            Event::SoftBreak => current.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                prose.push(std::mem::take(&mut current));
            }
            _ => {}
        }
    }
    let blocks: Vec<handout::readability::Block> = prose
        .iter()
        .map(|text| handout::readability::Block { text, line: 1 })
        .collect();
    let scores = handout::readability::score(&blocks, handout::readability::Language::English);
    assert!(scores.is_judged());
    let handout::readability::Formulas::English {
        flesch_kincaid_grade: grade,
        ..
    } = scores.formulas
    else {
        panic!("English formulas");
    };
    assert!(
        grade <= 8.0,
        "grade {grade:.1}; hardest: {:?}",
        scores.hardest
    );
}

#[test]
fn an_old_address_taken_by_a_page_of_the_site_stops_the_import() {
    let work = Workdir::new();
    let site = work.path().join("site");
    std::fs::create_dir_all(site.join("content/author")).unwrap();
    std::fs::write(
        site.join("site.yaml"),
        "title: Ours\nbase_url: https://sunnyside.example/\n",
    )
    .unwrap();
    std::fs::write(
        site.join("content/author/ann.md"),
        "---\ntitle: Ann's corner\n---\n\nHi.\n",
    )
    .unwrap();
    let before = work.snapshot("site");
    let run = work.import(&[]);
    run.assert_error("the imported pages would not build, so nothing was written");
    run.assert_error("content/authors/ann-lee.md:4:1: alias `/author/ann/` is the address of content/author/ann.md");
    assert_eq!(work.snapshot("site"), before);
}
