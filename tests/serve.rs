//! `handout serve` over real HTTP: the real binary on a copy of a fixture
//! site, on a port the OS picks. Reload events after edits, deletions and
//! renames; build errors that keep the last good pages; path traversal,
//! content types and listings; CSS-only changes; a port in use; Ctrl-C; and
//! a preview that equals a full `handout build` of the same files.
//!
//! The HTTP client is a few lines over `TcpStream`: traversal needs raw
//! request lines that an HTTP library would normalise, and one client for
//! everything keeps the dependencies as they are. Every wait is bounded.

mod common;

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use common::TestSite;

/// Start-up: process start and the first build (debug binary, busy machine).
const START: Duration = Duration::from_secs(10);
/// One rebuild and its event, or one state to be reached by polling.
const REBUILD: Duration = Duration::from_secs(10);
/// One HTTP exchange.
const EXCHANGE: Duration = Duration::from_secs(5);
/// From Ctrl-C to exit.
const STOP: Duration = Duration::from_secs(5);
/// Quiet time after which no more events are expected.
const QUIET: Duration = Duration::from_millis(400);
/// What serve puts into every HTML response and build never writes.
const LIVE_TAG: &str = r#"<script src="/__handout/live.js"></script>"#;

// ---------------------------------------------------------------------------
// The tests

#[test]
fn an_edit_sends_reload_and_then_the_page_has_the_new_text() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let page = server.text("/articles/back-pain/");
    assert!(page.contains("Your back is strong."), "{page}");
    let mut events = server.events();

    edit(
        &site,
        BACK_PAIN,
        "Your back is strong.",
        "Your back is strong and heals well.",
    );
    server.await_event(&mut events, "reload");
    // The reload is sent only once the new page is on disk: no polling.
    let page = server.text("/articles/back-pain/");
    assert!(
        page.contains("Your back is strong and heals well."),
        "{page}"
    );
    assert!(
        server
            .stdout()
            .contains("Changed content/articles/back-pain.md: "),
        "{}",
        server.logs()
    );
}

#[test]
fn served_html_carries_the_live_script_and_the_script_is_served() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let raw = server.get("/articles/back-pain/");
    assert_eq!(raw.status, 200);
    let html = raw.text();
    assert!(html.contains(&format!("{LIVE_TAG}</body>")), "{html}");
    assert_eq!(html.matches(LIVE_TAG).count(), 1);
    let script = server.get("/__handout/live.js");
    assert_eq!(script.status, 200);
    assert!(script.content_type().contains("javascript"));
    assert!(script.text().contains("EventSource('/__handout/events')"));
}

#[test]
fn a_deleted_article_turns_404_and_leaves_the_lists_and_the_feed() {
    let site = TestSite::fixture("basic");
    site.write(
        SLEEP,
        &article("Sleep Well", "sleep", "Rest helps healing."),
    );
    let server = Server::start(&site);
    assert!(server
        .text("/articles/sleep/")
        .contains("Rest helps healing."));
    assert!(server.text("/articles/").contains("Sleep Well"));
    assert!(server.text("/feed.xml").contains("Sleep Well"));
    assert_eq!(server.status("/tags/sleep/"), 200);
    let mut events = server.events();

    std::fs::remove_file(site.path(SLEEP)).expect("delete");
    server.await_reload_and_quiet(&mut events);
    assert_eq!(server.status("/articles/sleep/"), 404);
    assert_eq!(server.status("/tags/sleep/"), 404, "its only term page");
    assert!(!server.text("/articles/").contains("Sleep Well"));
    assert!(!server.text("/feed.xml").contains("Sleep Well"));
    assert!(!server.text("/sitemap.xml").contains("/articles/sleep/"));
}

#[test]
fn a_renamed_article_moves_its_page() {
    let site = TestSite::fixture("basic");
    site.write(
        SLEEP,
        &article("Sleep Well", "sleep", "Rest helps healing."),
    );
    let server = Server::start(&site);
    assert_eq!(server.status("/articles/sleep/"), 200);
    let mut events = server.events();

    std::fs::rename(site.path(SLEEP), site.path("content/articles/rest.md")).expect("rename");
    server.await_reload_and_quiet(&mut events);
    assert_eq!(server.status("/articles/sleep/"), 404);
    assert!(server
        .text("/articles/rest/")
        .contains("Rest helps healing."));
    let list = server.text("/articles/");
    assert!(list.contains("/articles/rest/") && !list.contains("/articles/sleep/"));
}

#[test]
fn a_hundred_saves_in_a_second_end_in_the_final_content() {
    let site = TestSite::fixture("basic");
    site.write(SLEEP, &article("Sleep Well", "sleep", "Save number start."));
    let server = Server::start(&site);
    let saves = 100;
    // Paced evenly over 950 ms, whatever each write costs.
    let started = Instant::now();
    for i in 0..saves {
        let body = format!("Save number {i}.");
        site.write(SLEEP, &article("Sleep Well", "sleep", &body));
        let due = started + Duration::from_micros(9_500 * (i + 1));
        thread::sleep(due.saturating_duration_since(Instant::now()));
    }
    let last = format!("Save number {}.", saves - 1);
    eventually("the last save served", || {
        server.text("/articles/sleep/").contains(&last)
    });
    // Settled: a page opened now sees no error, and the text stays.
    let mut fresh = server.events();
    let after = fresh.next(QUIET);
    assert!(
        after.as_ref().is_none_or(|e| e.name != "build-error"),
        "{after:?}\n{}",
        server.logs()
    );
    assert!(server.text("/articles/sleep/").contains(&last));
    assert!(!server.logs().contains("panicked"), "{}", server.logs());
}

#[test]
fn malformed_front_matter_keeps_the_last_good_page_and_reports_until_fixed() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    let good = site.read(BACK_PAIN);

    edit(&site, BACK_PAIN, "description: What", "descripton: What");
    let error = server.await_event(&mut events, "build-error");
    let place = "content/articles/back-pain.md:3:1";
    assert!(error.data.contains(place), "{error:?}");
    assert!(
        error.data.contains("did you mean `description`"),
        "{error:?}"
    );
    eventually("the terminal shows the error", || {
        server.stderr().contains(place)
    });
    let page = server.text("/articles/back-pain/");
    assert!(
        page.contains("Your back is strong."),
        "last good page: {page}"
    );

    // A page opened while the site is broken hears of it at once.
    let mut late = server.events();
    let first = late.next(EXCHANGE).expect("an event at once");
    assert_eq!(first.name, "build-error");
    assert!(first.data.contains(place), "{first:?}");

    let fixed = good.replacen("Your back is strong.", "Your back is fixed.", 1);
    site.write(BACK_PAIN, &fixed);
    server.await_reload_and_quiet(&mut events);
    let page = server.text("/articles/back-pain/");
    assert!(page.contains("Your back is fixed."), "{page}");
    let mut after = server.events();
    let next = after.next(QUIET);
    assert!(next.is_none(), "the error is gone: {next:?}");
}

/// A save of one good file while another is broken must not hide the error
/// nor drop the broken file's last good page.
#[test]

fn an_error_stays_while_other_files_are_saved() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    edit(&site, BACK_PAIN, "description: What", "descripton: What");
    server.await_event(&mut events, "build-error");

    // A body edit elsewhere: the site is still broken.
    edit(&site, KNEE, "Back to", "Go back to");
    let next = server.await_any(&mut events);
    assert_eq!(next.name, "build-error", "{next:?}\n{}", server.logs());
    // A front matter edit elsewhere: still broken, and the page stays.
    edit(&site, KNEE, "title: Knee Care", "title: Knee Care at Home");
    let next = server.await_any(&mut events);
    assert_eq!(next.name, "build-error", "{next:?}\n{}", server.logs());
    assert_eq!(server.status("/articles/back-pain/"), 200, "last good page");
}

#[test]
fn editor_swap_and_backup_files_cause_no_rebuild() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    for name in [
        ".back-pain.md.swp",
        "back-pain.md~",
        ".#back-pain.md",
        "4913",
        "back-pain.md___jb_tmp___",
    ] {
        site.write(&format!("content/articles/{name}"), "not: [front matter");
    }
    let next = events.next(QUIET);
    assert!(next.is_none(), "{next:?}\n{}", server.logs());
}

#[test]
fn a_write_temp_then_rename_save_is_one_good_change() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    let text = site
        .read(BACK_PAIN)
        .replacen("Your back is strong.", "Saved by rename.", 1);
    let temp = "content/articles/back-pain.md___jb_tmp___";
    site.write(temp, &text);
    std::fs::rename(site.path(temp), site.path(BACK_PAIN)).expect("rename");
    server.await_reload_and_quiet(&mut events);
    assert!(server
        .text("/articles/back-pain/")
        .contains("Saved by rename."));
}

#[test]
fn drafts_are_served_only_with_drafts() {
    let site = TestSite::fixture("basic");
    let draft =
        article("Draft Tips", "sleep", "Not yet.").replacen("---\n\n", "draft: true\n---\n\n", 1);
    site.write(SLEEP, &draft);
    let server = Server::start(&site);
    assert_eq!(server.status("/articles/sleep/"), 404);
    drop(server);
    let server = Server::start_with(&site, &["--drafts"]);
    assert!(server.text("/articles/sleep/").contains("Not yet."));
}

/// A file beside a page (an image, a PDF) is served when it is added or
/// changed, and turns 404 when deleted, like any page.
#[test]

fn files_beside_pages_follow_their_changes() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    let leaflet = "content/articles/knee-bundle/leaflet.txt";

    site.write(leaflet, "First leaflet.");
    server.await_reload_and_quiet(&mut events);
    let served = server.get("/articles/knee-bundle/leaflet.txt");
    assert_eq!(served.status, 200, "added: {}", served.head());
    assert_eq!(served.text(), "First leaflet.");

    site.write(leaflet, "Second leaflet.");
    server.await_reload_and_quiet(&mut events);
    assert_eq!(
        server.text("/articles/knee-bundle/leaflet.txt"),
        "Second leaflet.",
        "changed"
    );

    std::fs::remove_file(site.path(leaflet)).expect("delete");
    server.await_reload_and_quiet(&mut events);
    assert_eq!(
        server.status("/articles/knee-bundle/leaflet.txt"),
        404,
        "deleted"
    );
}

#[test]
fn every_traversal_form_answers_404() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    // The private output folder sits in the server's TMPDIR, beside this.
    std::fs::write(server.tmp().join("secret.txt"), "SECRET").expect("plant");
    for target in [
        "/../Cargo.toml",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/..%2f..%2fetc%2fpasswd",
        "/..%2Fsecret.txt",
        "/..%5csecret.txt",
        "/..%5c..%5cetc",
        "/a\\..\\b",
        "/..\\secret.txt",
        "/%00",
        "/index.html%00.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/articles/../../secret.txt",
        "/articles/%2e%2e/%2e%2e/secret.txt",
    ] {
        let response = server.get(target);
        assert_eq!(response.status, 404, "{target}: {}", response.head());
        let body = response.text();
        assert!(
            !body.contains("SECRET") && !body.contains("root:"),
            "{target}"
        );
    }
}

#[test]
fn content_types_are_right() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    for (path, expected) in [
        ("/", "text/html"),
        ("/articles/back-pain/", "text/html"),
        ("/404.html", "text/html"),
        ("/style.css", "text/css"),
        ("/feed.xml", "xml"),
        ("/sitemap.xml", "xml"),
        ("/articles/knee-bundle/knee.svg", "image/svg+xml"),
        ("/robots.txt", "text/plain"),
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 200, "{path}");
        assert!(
            response.content_type().contains(expected),
            "{path}: {}",
            response.content_type()
        );
    }
    let events = server.events();
    assert!(events.head.content_type().starts_with("text/event-stream"));
    let missing = server.get("/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(missing.content_type().starts_with("text/html"));
    assert!(
        missing.text().contains(LIVE_TAG),
        "the 404 page reloads too"
    );
}

#[test]
fn folders_are_never_listed() {
    let site = TestSite::fixture("basic");
    site.write("content/downloads/leaflet.txt", "A leaflet.");
    let server = Server::start(&site);
    assert_eq!(server.text("/downloads/leaflet.txt"), "A leaflet.");
    assert_eq!(server.status("/downloads/"), 404);
    let bare = server.get("/downloads");
    assert!(
        bare.status == 404 || (300..400).contains(&bare.status),
        "{}",
        bare.head()
    );
    assert!(!bare.text().contains("leaflet.txt"));
}

#[test]
fn the_events_endpoint_accepts_only_get() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    for method in ["POST", "PUT", "DELETE"] {
        let response = server.request(method, "/__handout/events");
        assert_eq!(response.status, 405, "{method}: {}", response.head());
    }
}

#[test]
fn a_css_only_change_swaps_stylesheets_without_reload() {
    let site = TestSite::fixture("basic");
    site.write("themes/brand/theme.yaml", "extends: default\n");
    site.write(
        "themes/brand/static/style.css",
        "body { color: #123456; }\n",
    );
    let config = site.read("site.yaml");
    site.write("site.yaml", &format!("{config}theme: brand\n"));
    let server = Server::start(&site);
    assert!(server.text("/style.css").contains("#123456"));
    assert!(server.text("/").contains("/style.css"), "the page links it");
    let mut events = server.events();

    site.write(
        "themes/brand/static/style.css",
        "body { color: #654321; }\n",
    );
    let first = server.await_any(&mut events);
    assert_eq!(first.name, "css", "{first:?}\n{}", server.logs());
    assert!(server.text("/style.css").contains("#654321"));
    let next = events.next(QUIET);
    assert!(
        next.as_ref().is_none_or(|e| e.name == "css"),
        "no reload: {next:?}"
    );
}

#[test]
fn a_port_in_use_names_the_port_and_suggests_another() {
    let site = TestSite::fixture("basic");
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let mut process = Handout::spawn(&site, &["serve", "--port", &port]);
    let status = process
        .wait_exit(START)
        .unwrap_or_else(|| panic!("still running on a taken port\n{}", process.logs()));
    assert!(!status.success(), "{}", process.logs());
    let stderr = process.stderr();
    let line = stderr
        .lines()
        .find(|l| l.contains(&port))
        .unwrap_or_else(|| panic!("no line names port {port}: {stderr}"));
    assert!(line.contains("--port"), "{line}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]

fn ctrl_c_stops_cleanly_even_with_a_page_open() {
    let site = TestSite::fixture("basic");
    let mut server = Server::start(&site);
    let _open_page = server.events();
    assert_stops_cleanly(&mut server);
}

#[test]
fn ctrl_c_stops_cleanly_and_removes_the_private_folder() {
    let site = TestSite::fixture("basic");
    let mut server = Server::start(&site);
    assert_eq!(server.status("/"), 200);
    // serve listens for Ctrl-C before it prints its URL: no grace time.
    assert_stops_cleanly(&mut server);
}

/// Ctrl-C: the server exits 0, says so, and removes its private folder.
fn assert_stops_cleanly(server: &mut Server) {
    let status = server
        .process
        .interrupt()
        .unwrap_or_else(|| panic!("still running {STOP:?} after Ctrl-C\n{}", server.logs()));
    assert!(status.success(), "{status:?}\n{}", server.logs());
    assert!(server.stdout().contains("Stopped."), "{}", server.logs());
    assert_no_private_folder_left(server);
}

#[test]
fn the_preview_equals_a_full_build_after_a_sequence_of_edits() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    let steps: [(&str, &dyn Fn()); 10] = [
        ("site.yaml edit", &|| {
            edit(
                &site,
                "site.yaml",
                "title: Test Clinic",
                "title: Test Clinic North",
            )
        }),
        ("body edit", &|| {
            edit(&site, BACK_PAIN, "Your back is strong.", "Your back heals.")
        }),
        ("title edit", &|| {
            edit(&site, KNEE, "title: Knee Care", "title: Knee Care at Home")
        }),
        ("new article", &|| {
            site.write(SLEEP, &article("Sleep Well", "sleep", "Rest helps."))
        }),
        ("second new article", &|| {
            let text = article("Walk Daily", "pain, walking", "Walk a little.");
            site.write("content/articles/walking.md", &text)
        }),
        ("deleted article", &|| {
            std::fs::remove_file(site.path(SLEEP)).expect("delete")
        }),
        ("tag change", &|| {
            edit(&site, BACK_PAIN, "tags: [pain]", "tags: [posture]")
        }),
        ("author body edit", &|| {
            edit(&site, AUTHOR, "Ann treats", "Ann gladly treats")
        }),
        ("location body edit", &|| {
            edit(&site, LOCATION, "Near the park.", "Next to the park.")
        }),
        ("home body edit", &|| {
            edit(
                &site,
                "content/index.md",
                "Read [about us]",
                "Do read [about us]",
            )
        }),
    ];
    for (what, step) in steps {
        eprintln!("step: {what}");
        step();
        server.await_reload_and_quiet(&mut events);
    }

    let built = assert_serves_a_build(&site, &server);
    for stale in ["/articles/sleep/", "/tags/sleep/", "/tags/sleep/index.html"] {
        assert!(!built.contains_key(&stale[1..]), "{stale} is in the build");
        assert_eq!(server.status(stale), 404, "stale {stale} still served");
    }
    assert!(built.contains_key("tags/posture/index.html"));
}

#[test]
fn a_title_edit_updates_every_page_showing_it_and_renders_only_those() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    let new_title = "Back Pain Explained";
    edit(
        &site,
        BACK_PAIN,
        "title: Back Pain Basics",
        &format!("title: {new_title}"),
    );
    server.await_reload_and_quiet(&mut events);
    for page in [
        "/articles/back-pain/",
        "/articles/",
        "/tags/pain/",
        "/conditions/back-pain/",
        "/authors/ann-lee/",
        "/locations/elm-street/",
        // The knee guide shows it among its related articles.
        "/articles/knee-bundle/",
        "/feed.xml",
        "/",
    ] {
        let text = server.text(page);
        assert!(text.contains(new_title), "{page}:\n{text}");
        assert!(!text.contains("Back Pain Basics"), "{page}:\n{text}");
    }
    let (total, _) = rendered(&server, "Built the site");
    let (count, line) = rendered(&server, "Changed content/articles/back-pain.md");
    assert!(
        !line.contains("(every page)") && count * 2 < total,
        "not rendered in place: {line} ({total} files in all)"
    );
    assert_serves_a_build(&site, &server);

    // A tag is in every list that shows the article: every page again.
    edit(&site, BACK_PAIN, "tags: [pain]", "tags: [posture]");
    server.await_reload_and_quiet(&mut events);
    let (_, line) = rendered(&server, "Changed content/articles/back-pain.md");
    assert!(line.contains("(every page)"), "{line}");
    assert!(server.text("/tags/posture/").contains(new_title));
    assert_serves_a_build(&site, &server);

    // So is the date, which orders the lists.
    edit(&site, BACK_PAIN, "date: 2026-01-10", "date: 2026-02-10");
    server.await_reload_and_quiet(&mut events);
    assert_serves_a_build(&site, &server);
}

#[test]
fn build_output_never_contains_the_live_script() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let files = snapshot(&site.path("public"));
    assert!(files.contains_key("index.html"));
    for (rel, bytes) in files {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__handout"),
            "{rel} mentions __handout"
        );
    }
}

// ---------------------------------------------------------------------------
// Fixture content

const BACK_PAIN: &str = "content/articles/back-pain.md";
const KNEE: &str = "content/articles/knee-bundle/index.md";
const AUTHOR: &str = "content/authors/ann-lee.md";
const LOCATION: &str = "content/locations/elm-street.md";
/// An article no other page links to, so deleting it is no error.
const SLEEP: &str = "content/articles/sleep.md";

fn article(title: &str, tags: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ndescription: About {title}.\ndate: 2026-01-20\n\
         author: ann-lee\ntags: [{tags}]\n---\n\n{body}\n"
    )
}

/// Replaces `from` (which must be there) with `to` in a site file.
fn edit(site: &TestSite, rel: &str, from: &str, to: &str) {
    let text = site.read(rel);
    assert!(text.contains(from), "{rel} has no {from:?}");
    site.write(rel, &text.replacen(from, to, 1));
}

/// Every file a fresh `handout build` of the site writes is served with the
/// same bytes (the live script aside); returns them.
fn assert_serves_a_build(
    site: &TestSite,
    server: &Server,
) -> std::collections::BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().expect("temp dir");
    let out_arg = out.path().to_string_lossy().into_owned();
    site.handout(&["build", "--output", &out_arg, "--base-url", &server.url])
        .assert_ok();
    let mut built = snapshot(out.path());
    // The build's mark on its output folder; not a page.
    built.remove(".handout");
    assert!(built.len() > 20, "{} files", built.len());
    let mut differ = Vec::new();
    for (rel, bytes) in &built {
        let response = server.get(&format!("/{rel}"));
        if response.status != 200 {
            differ.push(format!("{rel}: status {}", response.status));
        } else if &response.without_live_script() != bytes {
            differ.push(format!(
                "{rel}:\n--- build\n{}\n--- serve\n{}",
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&response.without_live_script())
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    built
}

/// The file count and text of the server's last line starting `what`
/// (`Changed a.md: 9 files rendered, 8 written in 3 ms`).
fn rendered(server: &Server, what: &str) -> (usize, String) {
    let stdout = server.stdout();
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with(&format!("{what}: ")))
        .unwrap_or_else(|| panic!("no {what:?} line:\n{}", server.logs()))
        .to_string();
    let count = line[what.len() + 2..]
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {line:?}"));
    (count, line)
}

/// Every file under `dir`, by its `/`-separated path.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).expect("prefix");
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.insert(rel, std::fs::read(entry.path()).expect("read"));
        }
    }
    files
}

/// Polls `check` until it holds, for at most `REBUILD`.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + REBUILD;
    while !check() {
        assert!(Instant::now() < deadline, "timed out: {what}");
        thread::sleep(Duration::from_millis(25));
    }
}

fn assert_no_private_folder_left(server: &Server) {
    let left: Vec<String> = std::fs::read_dir(server.tmp())
        .expect("read TMPDIR")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("handout-serve-"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

// ---------------------------------------------------------------------------
// The process

/// A running `handout`, with its own TMPDIR; on drop it gets Ctrl-C
/// (SIGINT), then SIGKILL if it has not stopped, so none outlives a test.
struct Handout {
    child: Child,
    lines: Receiver<String>,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<thread::JoinHandle<()>>,
    tmp: tempfile::TempDir,
}

impl Handout {
    /// `handout <args> --root <site>`.
    fn spawn(site: &TestSite, args: &[&str]) -> Handout {
        let tmp = tempfile::tempdir().expect("temp dir");
        let mut child = Command::new(env!("CARGO_BIN_EXE_handout"))
            .args(args)
            .arg("--root")
            .arg(site.root())
            .current_dir(site.root())
            .env("NO_COLOR", "1")
            .env("TMPDIR", tmp.path())
            .env("XDG_CACHE_HOME", tmp.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start handout");
        let (tx, lines) = mpsc::channel();
        let (stdout, out_reader) = collect(child.stdout.take().expect("stdout"), Some(tx));
        let (stderr, err_reader) = collect(child.stderr.take().expect("stderr"), None);
        Handout {
            child,
            lines,
            stdout,
            stderr,
            readers: vec![out_reader, err_reader],
            tmp,
        }
    }

    /// The exit status, if it exits within `timeout`; then its output has
    /// been read to the end.
    fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                while !self.readers.iter().all(|r| r.is_finished()) && Instant::now() < deadline {
                    thread::sleep(Duration::from_millis(5));
                }
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Ctrl-C, and the exit status if it stops within `STOP`.
    fn interrupt(&mut self) -> Option<ExitStatus> {
        if let Ok(Some(status)) = self.child.try_wait() {
            return Some(status);
        }
        let pid = libc::pid_t::try_from(self.child.id()).expect("pid");
        // SAFETY: kill has no memory effects; pid is our own unreaped child.
        unsafe { libc::kill(pid, libc::SIGINT) };
        self.wait_exit(STOP)
    }

    fn stdout(&self) -> String {
        self.stdout.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn logs(&self) -> String {
        format!("stdout:\n{}\nstderr:\n{}", self.stdout(), self.stderr())
    }
}

impl Drop for Handout {
    fn drop(&mut self) {
        if self.interrupt().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Reads `pipe` line by line on a thread into the returned text, and sends
/// each line to `lines` too.
fn collect(
    pipe: impl Read + Send + 'static,
    lines: Option<mpsc::Sender<String>>,
) -> (Arc<Mutex<String>>, thread::JoinHandle<()>) {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = text.clone();
    let reader = thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if let Ok(mut text) = sink.lock() {
                text.push_str(&line);
                text.push('\n');
            }
            if let Some(lines) = &lines {
                let _ = lines.send(line);
            }
        }
    });
    (text, reader)
}

/// `handout serve --port 0` on a site, with the URL it printed.
struct Server {
    process: Handout,
    addr: SocketAddr,
    url: String,
}

impl Server {
    fn start(site: &TestSite) -> Server {
        Server::start_with(site, &[])
    }

    /// `handout serve --port 0 <extra>`.
    fn start_with(site: &TestSite, extra: &[&str]) -> Server {
        let args: Vec<&str> = ["serve", "--port", "0"]
            .iter()
            .chain(extra)
            .copied()
            .collect();
        let process = Handout::spawn(site, &args);
        let deadline = Instant::now() + START;
        let url = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match process.lines.recv_timeout(left) {
                Ok(line) => {
                    if let Some(rest) = line.strip_prefix("Serving at ") {
                        break rest.split_whitespace().next().unwrap_or("").to_string();
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no URL within {START:?}\n{}", process.logs())
                }
                Err(RecvTimeoutError::Disconnected) => {
                    thread::sleep(Duration::from_millis(50));
                    panic!("serve stopped before serving\n{}", process.logs())
                }
            }
        };
        let addr = url
            .strip_prefix("http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .and_then(|host| host.parse().ok())
            .unwrap_or_else(|| panic!("not a local URL: {url:?}"));
        Server { process, addr, url }
    }

    fn tmp(&self) -> &Path {
        self.process.tmp.path()
    }

    fn stdout(&self) -> String {
        self.process.stdout()
    }

    fn stderr(&self) -> String {
        self.process.stderr()
    }

    fn logs(&self) -> String {
        self.process.logs()
    }

    fn request(&self, method: &str, target: &str) -> Response {
        request(self.addr, method, target)
            .unwrap_or_else(|e| panic!("{method} {target}: {e}\n{}", self.logs()))
    }

    fn get(&self, target: &str) -> Response {
        self.request("GET", target)
    }

    fn status(&self, target: &str) -> u16 {
        self.get(target).status
    }

    /// The body of a 200 answer, without the injected live script.
    fn text(&self, target: &str) -> String {
        let response = self.get(target);
        assert_eq!(response.status, 200, "GET {target}: {}", response.head());
        String::from_utf8_lossy(&response.without_live_script()).into_owned()
    }

    /// A connected events stream: once this returns, the server is
    /// subscribed, so it hears every rebuild after this point.
    fn events(&self) -> Events {
        Events::connect(self.addr).unwrap_or_else(|e| panic!("events: {e}\n{}", self.logs()))
    }

    /// The next event, whatever it is, within `REBUILD`.
    fn await_any(&self, events: &mut Events) -> SseEvent {
        events
            .next(REBUILD)
            .unwrap_or_else(|| panic!("no event within {REBUILD:?}\n{}", self.logs()))
    }

    /// The first event named `name` within `REBUILD`, skipping others.
    fn await_event(&self, events: &mut Events, name: &str) -> SseEvent {
        let deadline = Instant::now() + REBUILD;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match events.next(left) {
                Some(event) if event.name == name => return event,
                Some(event) => seen.push(event),
                None => panic!(
                    "no `{name}` event within {REBUILD:?}; saw {seen:?}\n{}",
                    self.logs()
                ),
            }
        }
    }

    /// A reload, then no more events for a while, and no error among them:
    /// the rebuilds of one change are over.
    fn await_reload_and_quiet(&self, events: &mut Events) {
        let first = self.await_event(events, "reload");
        let deadline = Instant::now() + REBUILD;
        let mut last = first;
        while let Some(event) = events.next(QUIET) {
            assert_ne!(event.name, "build-error", "{event:?}\n{}", self.logs());
            assert!(Instant::now() < deadline, "events never stop: {event:?}");
            last = event;
        }
        assert_eq!(last.name, "reload", "{last:?}");
    }
}

// ---------------------------------------------------------------------------
// HTTP/1.1 over TcpStream

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn content_type(&self) -> &str {
        header(&self.headers, "content-type").unwrap_or("")
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The status and headers, for messages.
    fn head(&self) -> String {
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect();
        format!("{} [{}]", self.status, headers.join("; "))
    }

    /// The body as `handout build` would have written it: HTML without the
    /// one injected live script.
    fn without_live_script(&self) -> Vec<u8> {
        if !self.content_type().starts_with("text/html") {
            return self.body.clone();
        }
        self.text().replacen(LIVE_TAG, "", 1).into_bytes()
    }
}

fn connect(addr: SocketAddr, method: &str, target: &str, close: bool) -> io::Result<TcpStream> {
    let mut stream = TcpStream::connect_timeout(&addr, EXCHANGE)?;
    stream.set_write_timeout(Some(EXCHANGE))?;
    let connection = if close { "Connection: close\r\n" } else { "" };
    let length = if method == "GET" {
        ""
    } else {
        "Content-Length: 0\r\n"
    };
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\n{connection}{length}\r\n"
    )?;
    stream.flush()?;
    Ok(stream)
}

/// One request on its own connection; the whole answer.
fn request(addr: SocketAddr, method: &str, target: &str) -> io::Result<Response> {
    let stream = connect(addr, method, target, true)?;
    stream.set_read_timeout(Some(EXCHANGE))?;
    let mut reader = BufReader::new(stream);
    let (status, headers) = read_head(&mut reader)?;
    let mut body = Vec::new();
    if is_chunked(&headers) {
        Chunked::new(reader).read_to_end(&mut body)?;
    } else if let Some(length) = content_length(&headers) {
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
    } else {
        reader.read_to_end(&mut body)?;
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

type Head = (u16, Vec<(String, String)>);

fn read_head(reader: &mut impl BufRead) -> io::Result<Head> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid(format!("bad status line {line:?}")))?;
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(invalid("the headers never ended".into()));
        }
        let line = line.trim_end();
        if line.is_empty() {
            return Ok((status, headers));
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn is_chunked(headers: &[(String, String)]) -> bool {
    header(headers, "transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
}

fn content_length(headers: &[(String, String)]) -> Option<usize> {
    header(headers, "content-length").and_then(|v| v.parse().ok())
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// A body in chunked transfer encoding, read as the plain bytes.
struct Chunked<R> {
    inner: R,
    left: usize,
    done: bool,
}

impl<R: BufRead> Chunked<R> {
    fn new(inner: R) -> Self {
        Chunked {
            inner,
            left: 0,
            done: false,
        }
    }
}

impl<R: BufRead> Read for Chunked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            let mut line = String::new();
            if self.inner.read_line(&mut line)? == 0 {
                self.done = true;
                return Ok(0);
            }
            let size = line.trim().split(';').next().unwrap_or("");
            self.left = usize::from_str_radix(size, 16)
                .map_err(|_| invalid(format!("bad chunk size {line:?}")))?;
            if self.left == 0 {
                self.done = true;
                return Ok(0);
            }
        }
        let want = buf.len().min(self.left);
        let n = self.inner.read(&mut buf[..want])?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        self.left -= n;
        if self.left == 0 {
            let mut crlf = [0; 2];
            self.inner.read_exact(&mut crlf)?;
        }
        Ok(n)
    }
}

// ---------------------------------------------------------------------------
// Server-Sent Events

#[derive(Debug, Clone)]
struct SseEvent {
    name: String,
    data: String,
}

/// An open `/__handout/events` stream, read on a thread.
struct Events {
    head: Response,
    events: Receiver<SseEvent>,
    stream: TcpStream,
}

impl Events {
    fn connect(addr: SocketAddr) -> io::Result<Events> {
        let stream = connect(addr, "GET", "/__handout/events", false)?;
        stream.set_read_timeout(Some(EXCHANGE))?;
        let mut reader = BufReader::new(stream.try_clone()?);
        let (status, headers) = read_head(&mut reader)?;
        if status != 200 {
            return Err(invalid(format!("events answered {status}")));
        }
        // From here the thread waits as long as the stream is open.
        stream.set_read_timeout(None)?;
        let chunked = is_chunked(&headers);
        let (tx, events) = mpsc::channel();
        thread::spawn(move || {
            let body: Box<dyn BufRead> = if chunked {
                Box::new(BufReader::new(Chunked::new(reader)))
            } else {
                Box::new(reader)
            };
            read_events(body, &tx);
        });
        Ok(Events {
            head: Response {
                status,
                headers,
                body: Vec::new(),
            },
            events,
            stream,
        })
    }

    /// The next event within `timeout`, or None.
    fn next(&mut self, timeout: Duration) -> Option<SseEvent> {
        self.events.recv_timeout(timeout).ok()
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        // Ends the reading thread and lets the server close its side.
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}

/// Parses `event:`/`data:` lines into events until the stream ends;
/// comments (keep-alives) are skipped.
fn read_events(body: impl BufRead, tx: &mpsc::Sender<SseEvent>) {
    let mut name = String::new();
    let mut data: Vec<String> = Vec::new();
    for line in body.lines().map_while(Result::ok) {
        if line.is_empty() {
            if !name.is_empty() || !data.is_empty() {
                let event = SseEvent {
                    name: std::mem::take(&mut name),
                    data: std::mem::take(&mut data).join("\n"),
                };
                if tx.send(event).is_err() {
                    return;
                }
            }
        } else if let Some(value) = line.strip_prefix("event:") {
            name = value.trim_start().to_string();
        } else if let Some(value) = line.strip_prefix("data:") {
            data.push(value.strip_prefix(' ').unwrap_or(value).to_string());
        }
    }
}
