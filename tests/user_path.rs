//! The user's path, verbatim: `handout serve` started the ways people start
//! it (inside the site folder with no `--root`; `--root` as a relative
//! path, `./`, `..` or a symlink), and every next step and hint that `init`,
//! `new`, `build`, `check` and `serve` print, run as printed from the folder
//! the user is in. The live preview once passed every test and failed for
//! every user: the tests gave an absolute `--root`, users give none.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::serve::{Handout, Server};
use common::{run, run_shell, TestSite};

const SLEEP: &str = "content/articles/sleep.md";

/// A theme of the site's own, so a template edit is a user's template edit.
fn with_own_theme(site: &TestSite) {
    let builtin = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/page.html");
    let page = std::fs::read_to_string(builtin).expect("the default page template");
    site.write("themes/brand/theme.yaml", "extends: default\n");
    site.write("themes/brand/templates/page.html", &page);
    site.append("site.yaml", "theme: brand\n");
}

/// A body edit, a new file, a deleted file and a template edit each reach
/// the served pages.
fn picks_up_every_kind_of_save(server: &Server, site: &TestSite) {
    let mut events = server.events();
    site.edit(
        "content/articles/back-pain.md",
        "Your back is strong.",
        "Your back is strong and heals.",
    );
    server.await_reload_and_settled(&mut events);
    assert!(
        server
            .text("/articles/back-pain/")
            .contains("Your back is strong and heals."),
        "body edit\n{}",
        server.logs()
    );

    site.write(
        SLEEP,
        "---\ntitle: Sleep Well\ndescription: Rest helps.\ndate: 2026-01-02\n---\n\nRest helps healing.\n",
    );
    server.await_reload_and_settled(&mut events);
    assert!(server
        .text("/articles/sleep/")
        .contains("Rest helps healing."));

    std::fs::remove_file(site.path(SLEEP)).expect("delete");
    server.await_reload_and_settled(&mut events);
    assert_eq!(server.status("/articles/sleep/"), 404, "deleted file");

    site.edit(
        "themes/brand/templates/page.html",
        "{% block content %}",
        "{% block content %}<p>Template marker</p>",
    );
    server.await_reload_and_settled(&mut events);
    assert!(
        server.text("/about/").contains("<p>Template marker</p>"),
        "template edit\n{}",
        server.logs()
    );
}

#[test]
fn serve_inside_the_site_folder_with_no_root() {
    let site = TestSite::fixture("basic");
    with_own_theme(&site);
    let server = Server::serving(
        Handout::spawn_in(site.root(), &["serve", "--port", "0"]),
        site.root(),
    );
    picks_up_every_kind_of_save(&server, &site);
}

#[test]
fn serve_with_root_as_a_relative_path_dot_slash_dot_dot_or_a_symlink() {
    for how in ["relative", "./", "..", "symlink"] {
        let outer = tempfile::tempdir().expect("temp dir");
        let site = TestSite::fixture("basic");
        with_own_theme(&site);
        // The site in a folder `site` inside `outer`, so a relative path
        // to it exists.
        let folder = outer.path().join("site");
        let moved = site.moved_to(&folder);
        let (cwd, root) = match how {
            "relative" => (outer.path().to_path_buf(), "site".to_string()),
            "./" => (folder.clone(), "./".to_string()),
            ".." => (folder.join("content"), "..".to_string()),
            _ => {
                std::os::unix::fs::symlink(&folder, outer.path().join("link")).expect("symlink");
                (outer.path().to_path_buf(), "link".to_string())
            }
        };
        let server = Server::serving(
            Handout::spawn_in(&cwd, &["serve", "--port", "0", "--root", &root]),
            &folder,
        );
        picks_up_every_kind_of_save(&server, &moved);
    }
}

#[test]
fn init_then_its_printed_next_step() {
    let dir = tempfile::tempdir().expect("temp dir");
    let made = run(&["init", "my-clinic"], dir.path());
    made.assert_ok();
    let next = made
        .stdout
        .split("Next: ")
        .nth(1)
        .map(str::trim)
        .unwrap_or_else(|| panic!("no next step in {:?}", made.stdout));
    assert_eq!(next, "cd my-clinic && handout serve");
    // Exactly as printed; port 1111 is the default and no other test uses it.
    let server = Server::serving(
        Handout::spawn_shell(dir.path(), next),
        &dir.path().join("my-clinic"),
    );
    assert_eq!(server.addr.port(), 1111);
    let site = TestSite::at(&dir.path().join("my-clinic"));
    let mut events = server.events();
    site.append("content/about.md", "\nA line saved by the test.\n");
    server.await_reload_and_settled(&mut events);
    assert!(server.text("/about/").contains("A line saved by the test."));
}

/// `handout new <kind> <title>` in a new site, from the site folder.
fn new_in(site: &Path, kind: &str, title: &str) -> String {
    let made = run(&["new", kind, title], site);
    made.assert_ok();
    made.stdout
}

#[test]
fn new_clinic_and_author_then_their_next_step() {
    let dir = tempfile::tempdir().expect("temp dir");
    run(&["init", "site"], dir.path()).assert_ok();
    let root = dir.path().join("site");
    let said = new_in(&root, "location", "Elm Park");
    assert!(
        said.starts_with("Created content/locations/elm-park.md. Next: put in the details on the lines marked `# replace`, then run handout check"),
        "{said}"
    );
    let said = new_in(&root, "author", "Ana Ruiz");
    assert!(
        said.starts_with("Created content/authors/ana-ruiz.md."),
        "{said}"
    );
    // As a writer would: every line marked `# replace` gets real details.
    let site = TestSite::at(&root);
    for (rel, lines) in [
        (
            "content/locations/elm-park.md",
            [
                (
                    "street: 100 Main Street  # replace",
                    "street: 42 Elm Street",
                ),
                (
                    "postal_code: \"00000\"  # replace",
                    "postal_code: \"60126\"",
                ),
                (
                    "phone: \"(555) 555-0100\"  # replace",
                    "phone: \"(630) 555-0142\"",
                ),
            ]
            .as_slice(),
        ),
        (
            "content/authors/ana-ruiz.md",
            [
                (
                    "credentials: [PT]  # replace with their credentials, in order",
                    "credentials: [PT, DPT]",
                ),
                (
                    "role: Physical therapist  # replace",
                    "role: Physical therapist",
                ),
            ]
            .as_slice(),
        ),
    ] {
        for (from, to) in lines {
            site.edit(rel, from, to);
        }
    }
    // The printed next step, as printed; then the stricter form.
    let checked = run_shell("handout check", &root);
    checked.assert_ok();
    assert!(
        checked.stdout.contains("0 errors, 0 warnings"),
        "{}",
        checked.stdout
    );
    run_shell("handout check --strict", &root).assert_ok();
    run_shell("handout build", &root).assert_ok();
    assert!(site
        .read("public/locations/elm-park/index.html")
        .contains("42 Elm Street"));
    assert!(site
        .read("public/authors/ana-ruiz/index.html")
        .contains("Ana Ruiz"));
}

#[test]
fn new_article_and_page_are_drafts_until_draft_false() {
    let dir = tempfile::tempdir().expect("temp dir");
    run(&["init", "site"], dir.path()).assert_ok();
    let root = dir.path().join("site");
    let site = TestSite::at(&root);
    for (kind, title, rel, url) in [
        (
            "article",
            "Knee Pain",
            "content/articles/knee-pain.md",
            "public/articles/knee-pain/index.html",
        ),
        (
            "page",
            "Insurance",
            "content/insurance.md",
            "public/insurance/index.html",
        ),
    ] {
        let said = new_in(&root, kind, title);
        assert_eq!(
            said.trim(),
            format!("Created {rel} (a draft: set `draft: false` to publish it)")
        );
        let built = run_shell("handout build", &root);
        built.assert_ok();
        assert!(
            built.stdout.contains("left out; --drafts includes them"),
            "{}",
            built.stdout
        );
        // The build's hint, as printed.
        run_shell("handout build --drafts", &root).assert_ok();
        assert!(site.path(url).is_file(), "--drafts builds {url}");
        site.edit(rel, "draft: true", "draft: false");
        run_shell("handout build", &root).assert_ok();
        assert!(site.path(url).is_file(), "published {url}");
    }
}

#[test]
fn outside_a_site_the_hint_names_root_and_that_works() {
    let site = TestSite::fixture("basic");
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let failed = run(&["build"], elsewhere.path());
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    assert!(
        failed.stderr.contains(
            "hint: run handout inside the site folder (the one holding site.yaml), or name it with --root"
        ),
        "{}",
        failed.stderr
    );
    let root = site.root().to_string_lossy().into_owned();
    run(&["build", "--root", &root], elsewhere.path()).assert_ok();
    let made = run(&["new", "article", "Knees"], elsewhere.path());
    assert!(
        made.stderr
            .contains("hint: run this inside the site folder, or name it with --root"),
        "{}",
        made.stderr
    );
    run(
        &["new", "article", "Knees", "--root", &root],
        elsewhere.path(),
    )
    .assert_ok();
    assert!(site.path("content/articles/knees.md").is_file());
}

#[test]
fn a_port_in_use_names_the_next_port_and_that_works() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let site = TestSite::fixture("basic");
    let failed = run(&["serve", "--port", &port.to_string()], site.root());
    assert_eq!(failed.code, 1);
    let next = port.wrapping_add(1);
    let hint = format!("pick another port with --port {next}");
    assert!(failed.stderr.contains(&hint), "{}", failed.stderr);
    // As printed, unless the next port is busy too on this machine.
    if std::net::TcpListener::bind(("127.0.0.1", next)).is_ok() {
        let server = Server::serving(
            Handout::spawn_in(site.root(), &["serve", "--port", &next.to_string()]),
            site.root(),
        );
        assert_eq!(server.status("/"), 200);
    }
}

#[test]
fn ctrl_c_stops_at_once_with_a_page_listening() {
    let site = TestSite::fixture("basic");
    let mut server = Server::serving(
        Handout::spawn_in(site.root(), &["serve", "--port", "0"]),
        site.root(),
    );
    let _events = server.events();
    assert_eq!(server.status("/"), 200);
    let asked = Instant::now();
    let status = server.process.interrupt().expect("stopped");
    let took = asked.elapsed();
    assert!(status.success(), "{}", server.logs());
    assert!(server.stdout().contains("Stopped."));
    // The target is 200 ms (measured: about 20 ms); the bound here only
    // has to catch a stop that waits on the browser, as one took 1.7 s.
    assert!(took < Duration::from_millis(1000), "stopped after {took:?}");
}

#[test]
fn the_preview_is_kept_between_runs_and_stale_pages_go() {
    let site = TestSite::fixture("basic");
    site.write(
        SLEEP,
        "---\ntitle: Sleep Well\ndescription: Rest helps.\ndate: 2026-01-02\n---\n\nRest.\n",
    );
    let cache = tempfile::tempdir().expect("temp dir");
    // One port for both runs, as a user restarts on 1111: the address is
    // in every page (canonical links), so another port changes them all.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
        .to_string();
    let start = || {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_handout"));
        command
            .args(["serve", "--port", &port])
            .env("XDG_CACHE_HOME", cache.path());
        Server::serving(Handout::spawn_command_in(command, site.root()), site.root())
    };
    let first = start();
    assert_eq!(first.status("/articles/sleep/"), 200);
    drop(first);
    std::fs::remove_file(site.path(SLEEP)).expect("delete");
    let second = start();
    assert_eq!(second.status("/articles/sleep/"), 404, "{}", second.logs());
    let built = second
        .stdout()
        .lines()
        .find(|l| l.starts_with("Built the site"))
        .unwrap_or_default()
        .to_string();
    let (rendered, written) = counts(&built);
    assert!(written < rendered, "only what changed is written: {built}");
}

/// `Built the site: 31 files rendered, 14 written ...` -> (31, 14).
fn counts(line: &str) -> (usize, usize) {
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

#[test]
fn a_broken_site_address_saved_in_serve_shows_and_clears() {
    let site = TestSite::fixture("basic");
    let server = Server::serving(
        Handout::spawn_in(site.root(), &["serve", "--port", "0"]),
        site.root(),
    );
    let mut events = server.events();
    site.append(
        "content/about.md",
        "\nSee [exercises](/articles/knee-exercises/).\n",
    );
    let error = server.await_event(&mut events, "build-error");
    assert!(
        error.data.contains("is not a page or file of this site"),
        "{error:?}"
    );
    site.edit(
        "content/about.md",
        "(/articles/knee-exercises/)",
        "(/articles/back-pain/)",
    );
    server.await_reload_and_settled(&mut events);
    assert!(server.text("/about/").contains("/articles/back-pain/"));
}

#[test]
fn new_translation_as_typed_then_its_next_steps() {
    let dir = tempfile::tempdir().expect("temp dir");
    run(&["init", "site"], dir.path()).assert_ok();
    let root = dir.path().join("site");
    let site = TestSite::at(&root);
    // Without Spanish in site.yaml, the command says what to add.
    let refused = run_shell(
        "handout new article --lang es --translation-of first-visit",
        &root,
    );
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("add `languages:` to site.yaml"),
        "{}",
        refused.stderr
    );
    site.append(
        "site.yaml",
        "languages:\n  es:\n    title: Mi clínica\n    disclaimer: Este sitio no es un consejo médico.\n",
    );
    // A name that is not there: the nearest one.
    let typo = run_shell(
        "handout new article --lang es --translation-of first-vist",
        &root,
    );
    assert!(
        typo.stderr.contains("did you mean `first-visit`?"),
        "{}",
        typo.stderr
    );
    let made = run_shell(
        "handout new article --lang es --translation-of first-visit",
        &root,
    );
    made.assert_ok();
    assert_eq!(
        made.stdout.trim(),
        "Created content/articles/first-visit.es.md (a draft): translate its words, have a clinician review it, add `reviewed_by:` and `last_reviewed:`, then set `draft: false`"
    );
    let text = site.read("content/articles/first-visit.es.md");
    assert!(text.contains("title: What to Expect at Your First Visit"));
    assert!(
        !text.contains("reviewed_by") && text.contains("draft: true"),
        "{text}"
    );
    // Twice is refused.
    let again = run_shell(
        "handout new article --lang es --translation-of first-visit",
        &root,
    );
    assert!(
        again.stderr.contains("already has a `es` translation"),
        "{}",
        again.stderr
    );
    // The writer translates, and the steps printed work as printed.
    site.edit(
        "content/articles/first-visit.es.md",
        "title: What to Expect at Your First Visit",
        "title: Qué esperar en su primera visita",
    );
    run_shell("handout build --drafts", &root).assert_ok();
    assert!(site
        .path("public/es/articles/first-visit/index.html")
        .is_file());
    site.edit(
        "content/articles/first-visit.es.md",
        "draft: true",
        "draft: false",
    );
    run_shell("handout build", &root).assert_ok();
    let page = site.read("public/es/articles/first-visit/index.html");
    assert!(page.contains("Qué esperar en su primera visita"));
    // check asks for the Spanish text's own review.
    let checked = run_shell("handout check", &root);
    assert!(
        checked
            .stdout
            .contains("this translation has not been clinically reviewed"),
        "{}",
        checked.stdout
    );
    // A clinic's translation holds only its words, so it builds as made.
    let clinic = run_shell(
        "handout new location --lang es --translation-of main-street",
        &root,
    );
    clinic.assert_ok();
    let text = site.read("content/locations/main-street.es.md");
    assert!(!text.contains("phone") && text.contains("name:"), "{text}");
    run_shell("handout build", &root).assert_ok();
    assert!(site
        .path("public/es/locations/main-street/index.html")
        .is_file());
}

/// The commands of docs/writing.md's "Translating a page into Spanish", as
/// written there, on a copy of the example site without those translations.
#[test]
fn the_translation_commands_in_the_writing_guide_work_as_written() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    for entry in walkdir::WalkDir::new(repo.join("content")) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(repo).expect("inside");
        let to = root.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
    std::fs::copy(repo.join("site.yaml"), root.join("site.yaml")).expect("copy site.yaml");
    let site = TestSite::at(&root);
    std::fs::remove_file(site.path("content/articles/dry-needling-vs-massage-therapy/index.es.md"))
        .expect("rm");
    std::fs::remove_file(site.path("content/locations/hinsdale.es.md")).expect("rm");
    // Its Spanish synonyms name words of that article only.
    std::fs::remove_file(site.path("content/search-synonyms.es.yaml")).expect("rm");
    let guide = std::fs::read_to_string(repo.join("docs/writing.md")).expect("docs/writing.md");
    for command in [
        "handout new article --lang es --translation-of dry-needling-vs-massage-therapy",
        "handout new location --lang es\n--translation-of hinsdale",
    ] {
        assert!(
            guide.contains(command),
            "docs/writing.md no longer says {command:?}"
        );
        run_shell(&command.replace('\n', " "), &root).assert_ok();
    }
    assert!(site
        .path("content/articles/dry-needling-vs-massage-therapy/index.es.md")
        .is_file());
    run_shell("handout build --drafts", &root).assert_ok();
    assert!(site
        .path("public/es/articles/dry-needling-vs-massage-therapy/index.html")
        .is_file());
    assert!(site
        .path("public/es/locations/hinsdale/index.html")
        .is_file());
}
