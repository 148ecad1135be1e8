//! `handout serve` over real HTTP: the real binary on a copy of a fixture
//! site, on a port the OS picks. Reload events after edits, deletions and
//! renames; build errors that keep the last good pages; path traversal,
//! content types and listings; CSS-only changes; a port in use; Ctrl-C; and
//! a preview that equals a full `handout build` of the same files.
//!
//! The HTTP client and the server process are in `tests/common/`. Every
//! wait is bounded, and no test takes a quiet spell to mean that nothing
//! more will happen: it saves a sentinel file and waits for the event that
//! names it (`Server::sentinel`).

mod common;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::thread;
use std::time::{Duration, Instant};

use common::http::EXCHANGE;
use common::serve::{Handout, Server, LIVE_TAG, REBUILD, START, STOP};
use common::TestSite;

// ---------------------------------------------------------------------------
// The tests

#[test]
fn an_edit_sends_reload_and_then_the_page_has_the_new_text() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let page = server.text("/articles/back-pain/");
    assert!(page.contains("Your back is strong."), "{page}");
    let mut events = server.events();

    site.edit(
        BACK_PAIN,
        "Your back is strong.",
        "Your back is strong and heals well.",
    );
    let reload = server.await_event(&mut events, "reload");
    assert_eq!(reload.saved(), [BACK_PAIN], "the event names the save");
    // The reload is sent only once the new page is on disk: no polling.
    let page = server.text("/articles/back-pain/");
    assert!(
        page.contains("Your back is strong and heals well."),
        "{page}"
    );
    server.await_stdout("Changed content/articles/back-pain.md: ");
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
    assert!(script.text().contains(
        "EventSource('/__handout/events?page=' + encodeURIComponent(location.pathname))"
    ));
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
    server.await_reload_and_settled(&mut events);
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
    server.await_reload_and_settled(&mut events);
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
    common::eventually("the last save served", REBUILD, || {
        server.text("/articles/sleep/").contains(&last)
    });
    // The page is written before its rebuild is reported, and a save read
    // half written may have failed just before: until the sentinel's
    // reload, which comes after every rebuild before it, a page opened
    // may still be greeted with that error, then told to reload.
    let mut settling = server.events();
    server.sentinel_with(&mut settling, &[SLEEP]);
    // Settled: a page opened now hears nothing, no error above all (a
    // broken site greets a new page with its error at once), and the
    // text stays.
    let mut fresh = server.events();
    server.assert_no_event_due(&mut fresh);
    assert!(server.text("/articles/sleep/").contains(&last));
    assert!(!server.logs().contains("panicked"), "{}", server.logs());
}

#[test]
fn malformed_front_matter_keeps_the_last_good_page_and_reports_until_fixed() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    let good = site.read(BACK_PAIN);

    site.edit(BACK_PAIN, "description: What", "descripton: What");
    let error = server.await_event(&mut events, "build-error");
    let place = "content/articles/back-pain.md:3:1";
    assert!(error.data.contains(place), "{error:?}");
    assert!(
        error.data.contains("did you mean `description`"),
        "{error:?}"
    );
    common::eventually("the terminal shows the error", REBUILD, || {
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
    server.await_reload_and_settled(&mut events);
    let page = server.text("/articles/back-pain/");
    assert!(page.contains("Your back is fixed."), "{page}");
    // The error is gone: a page opened now is not told of it.
    let mut after = server.events();
    server.assert_no_event_due(&mut after);
}

/// A save of one good file while another is broken must not hide the error
/// nor drop the broken file's last good page.
#[test]

fn an_error_stays_while_other_files_are_saved() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    site.edit(BACK_PAIN, "description: What", "descripton: What");
    server.await_event(&mut events, "build-error");

    // A body edit elsewhere: the site is still broken.
    site.edit(KNEE, "Back to", "Go back to");
    let next = server.await_any(&mut events);
    assert_eq!(next.name, "build-error", "{next:?}\n{}", server.logs());
    // A front matter edit elsewhere: still broken, and the page stays.
    site.edit(KNEE, "title: Knee Care", "title: Knee Care at Home");
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
    server.assert_no_event_due(&mut events);
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
    server.await_reload_and_settled(&mut events);
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
    server.await_reload_and_settled(&mut events);
    let served = server.get("/articles/knee-bundle/leaflet.txt");
    assert_eq!(served.status, 200, "added: {}", served.head());
    assert_eq!(served.text(), "First leaflet.");

    site.write(leaflet, "Second leaflet.");
    server.await_reload_and_settled(&mut events);
    assert_eq!(
        server.text("/articles/knee-bundle/leaflet.txt"),
        "Second leaflet.",
        "changed"
    );

    std::fs::remove_file(site.path(leaflet)).expect("delete");
    server.await_reload_and_settled(&mut events);
    assert_eq!(
        server.status("/articles/knee-bundle/leaflet.txt"),
        404,
        "deleted"
    );
}

#[test]
fn a_saved_photo_is_served_processed_and_without_its_tags() {
    use common::pictures::{self, contains, SECRET};
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    let photo = "content/articles/knee-bundle/photo.jpg";

    site.write_bytes(photo, &pictures::phone_photo(1000, 600));
    server.await_reload_and_settled(&mut events);
    let served = server.get("/articles/knee-bundle/photo.jpg");
    assert_eq!(served.status, 200, "added: {}", served.head());
    assert!(!contains(&served.body, SECRET), "the EXIF text was served");
    let small = server.get("/articles/knee-bundle/photo-480.webp");
    assert_eq!(small.status, 200, "{}", small.head());

    // A smaller photo under the same name: its files follow.
    site.write_bytes(photo, &pictures::jpeg(300, 200));
    server.await_reload_and_settled(&mut events);
    let served = server.get("/articles/knee-bundle/photo-300.jpg");
    assert_eq!(served.status, 200, "changed: {}", served.head());
    assert_eq!(server.status("/articles/knee-bundle/photo-480.webp"), 404);
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
    site.append("site.yaml", "theme: brand\n");
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
    assert_eq!(first.saved(), ["themes/brand/static/style.css"]);
    assert!(server.text("/style.css").contains("#654321"));
    // No reload follows for it (a save split in two may swap twice).
    for event in server.sentinel(&mut events) {
        assert_eq!(event.name, "css", "no reload: {event:?}\n{}", server.logs());
    }
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
            site.edit(
                "site.yaml",
                "title: Test Clinic",
                "title: Test Clinic North",
            )
        }),
        ("body edit", &|| {
            site.edit(BACK_PAIN, "Your back is strong.", "Your back heals.")
        }),
        ("title edit", &|| {
            site.edit(KNEE, "title: Knee Care", "title: Knee Care at Home")
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
            site.edit(BACK_PAIN, "tags: [pain]", "tags: [posture]")
        }),
        ("author body edit", &|| {
            site.edit(AUTHOR, "Ann treats", "Ann gladly treats")
        }),
        ("location body edit", &|| {
            site.edit(LOCATION, "Near the park.", "Next to the park.")
        }),
        ("home body edit", &|| {
            site.edit("content/index.md", "Read [about us]", "Do read [about us]")
        }),
    ];
    for (what, step) in steps {
        eprintln!("step: {what}");
        step();
        server.await_reload_and_settled(&mut events);
    }

    let built = assert_serves_a_build(&site, &server);
    for stale in ["/articles/sleep/", "/tags/sleep/", "/tags/sleep/index.html"] {
        assert!(!built.contains_key(&stale[1..]), "{stale} is in the build");
        assert_eq!(server.status(stale), 404, "stale {stale} still served");
    }
    assert!(built.contains_key("tags/posture/index.html"));
}

/// A clinic's phone is on every page (the footer lists the clinics): the
/// save renders the clinic's page and the page open in a browser, reloads,
/// then renders the rest, and a request for one of those is answered once
/// it is written, never with the old phone.
#[test]
fn a_save_that_renders_every_page_reloads_with_the_pages_in_view_and_holds_the_rest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = common::corpus::generated(&dir.path().join("site"), 40);
    let site = TestSite::at(&root);
    let server = Server::start(&site);
    let mut events = server.events_on("/");
    let clinic = std::fs::read_dir(site.path("content/locations"))
        .expect("clinics")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "md"))
        .expect("a clinic");
    let rel = format!(
        "content/locations/{}",
        clinic.file_name().unwrap_or_default().to_string_lossy()
    );
    let slug = clinic.file_stem().unwrap_or_default().to_string_lossy();
    let text = site.read(&rel);
    let phone = text
        .lines()
        .find_map(|l| l.strip_prefix("phone: "))
        .expect("a phone")
        .trim_matches('"')
        .to_string();
    let new_phone = "(630) 555-0199";
    assert_ne!(phone, new_phone);
    site.edit(&rel, &phone, new_phone);
    server.await_event(&mut events, "reload");
    // At the reload the open home page is on disk, the rest still being
    // rendered.
    let preview = walkdir::WalkDir::new(server.tmp())
        .into_iter()
        .flatten()
        .find(|e| e.path().ends_with(format!("locations/{slug}/index.html")))
        .and_then(|e| Some(e.path().parent()?.parent()?.parent()?.to_path_buf()))
        .expect("the preview folder");
    let on_disk = |rel: &str| std::fs::read_to_string(preview.join(rel)).unwrap_or_default();
    assert!(
        on_disk("index.html").contains(new_phone),
        "home page not written"
    );
    assert!(!on_disk("articles/index.html").contains(new_phone));
    for page in [
        "/".to_string(),
        format!("/locations/{slug}/"),
        "/articles/".into(),
    ] {
        let html = server.text(&page);
        assert!(html.contains(new_phone), "{page} has the old phone");
    }
    // The server said it would render the rest after the reload.
    server.await_stdout(" more after the reload)");
    for event in server.sentinel(&mut events) {
        assert_ne!(event.name, "build-error", "{event:?}\n{}", server.logs());
    }
    assert_serves_a_build(&site, &server);
}

#[test]
fn a_title_edit_updates_every_page_showing_it_and_renders_only_those() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    let new_title = "Back Pain Explained";
    site.edit(
        BACK_PAIN,
        "title: Back Pain Basics",
        &format!("title: {new_title}"),
    );
    server.await_reload_and_settled(&mut events);
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

    // A tag is in every list that shows the article: the site is
    // assembled again, and only the files that show it rendered (most of
    // this small site).
    site.edit(BACK_PAIN, "tags: [pain]", "tags: [posture]");
    server.await_reload_and_settled(&mut events);
    let (count, line) = rendered(&server, "Changed content/articles/back-pain.md");
    assert!(
        !line.contains("(every page)") && count < total,
        "{line} ({total} files in all)"
    );
    assert!(server.text("/tags/posture/").contains(new_title));
    assert_serves_a_build(&site, &server);

    // So is the date, which orders the lists.
    site.edit(BACK_PAIN, "date: 2026-01-10", "date: 2026-02-10");
    server.await_reload_and_settled(&mut events);
    let (_, line) = rendered(&server, "Changed content/articles/back-pain.md");
    assert!(!line.contains("(every page)"), "{line}");
    assert_serves_a_build(&site, &server);
}

#[test]
fn build_output_never_contains_the_live_script() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let files = site.snapshot("public");
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

/// Every file a fresh `handout build` of the site writes is served with the
/// same bytes (the live script aside); returns them.
fn assert_serves_a_build(site: &TestSite, server: &Server) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().expect("temp dir");
    let out_arg = out.path().to_string_lossy().into_owned();
    site.handout(&["build", "--output", &out_arg, "--base-url", &server.url])
        .assert_ok();
    let mut built = common::files_under(out.path());
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
/// (`Changed a.md: 9 files rendered, 8 written in 3 ms`), with the files of
/// its second line (`Changed a.md: then 15 more rendered, ...`) when it
/// left some for after the reload.
fn rendered(server: &Server, what: &str) -> (usize, String) {
    let stdout = server.stdout();
    let prefix = format!("{what}: ");
    let lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with(&prefix)).collect();
    let count = |line: &str, after: &str| -> usize {
        line[after.len()..]
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no count in {line:?}"))
    };
    let then = format!("{prefix}then ");
    match lines.as_slice() {
        [.., first, second] if second.starts_with(&then) => (
            count(first, &prefix) + count(second, &then),
            format!("{first}\n{second}"),
        ),
        [.., last] => (count(last, &prefix), last.to_string()),
        [] => panic!("no {what:?} line:\n{}", server.logs()),
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
