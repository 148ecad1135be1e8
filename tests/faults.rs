//! Real faults, each repeated: a disk that fills up during a build, an
//! output folder on a read-only mount, a content file without read
//! permission, a build killed with SIGKILL at 50 moments, and the same
//! faults during a `serve` rebuild. Each time the earlier output (or the
//! served site) must be byte-identical and complete, the error must name
//! the cause, and the next good build must succeed and leave no staging
//! folder behind.
//!
//! Mounts and a second user need root. Elsewhere these tests say SKIPPED
//! loudly; `HANDOUT_REQUIRE_ROOT=1` (as in `.ci/run`, which runs as root)
//! makes a skip a failure.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::http::Events;
use common::serve::{Handout, Server, REBUILD};
use common::{files_under, Run, TestSite};

/// The user the permission tests run handout as (`nobody`).
const NOBODY: u32 = 65534;

/// Whether this test can run: root, and able to mount a tmpfs. Otherwise
/// says SKIPPED, or fails under `HANDOUT_REQUIRE_ROOT=1`.
fn have_root(test: &str) -> bool {
    // SAFETY: geteuid reads the process's effective user id; no memory.
    let root = unsafe { libc::geteuid() } == 0;
    let why = if !root {
        Some("needs root (mounts a tmpfs, runs handout as another user)".to_string())
    } else {
        Tmpfs::new(64).err()
    };
    match why {
        None => true,
        Some(why) => {
            assert!(
                std::env::var_os("HANDOUT_REQUIRE_ROOT").is_none_or(|v| v != "1"),
                "{test}: {why}, and HANDOUT_REQUIRE_ROOT=1"
            );
            eprintln!("SKIPPED {test}: {why}");
            false
        }
    }
}

/// A tmpfs mounted on a temporary folder, unmounted on drop.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn new(kib: u64) -> Result<Tmpfs, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let options = format!("size={kib}k,mode=0777");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &options, "tmpfs"])
            .arg(dir.path())
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "cannot mount a tmpfs: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `mount -o remount,<options>`: `ro`, `rw`, `size=...`.
    fn remount(&self, options: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(self.path())
            .status()
            .expect("run mount");
        assert!(status.success(), "remount {options}");
    }

    /// KiB in use.
    fn used_kib(&self) -> u64 {
        let out = Command::new("df")
            .args(["-k", "--output=used"])
            .arg(self.path())
            .output()
            .expect("run df");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .nth(1)
            .and_then(|l| l.trim().parse().ok())
            .expect("df's used column")
    }

    /// Fills what is left with one file; returns it.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let path = self.path().join("filler");
        let mut file = std::fs::File::create(&path).expect("create the filler");
        // Smaller and smaller writes, so not even a small file fits after.
        for size in [64 * 1024, 4096, 1] {
            let chunk = vec![0u8; size];
            while file.write_all(&chunk).and_then(|()| file.flush()).is_ok() {}
        }
        let _ = file.sync_all();
        path
    }
}

/// `dir` made read-only where it is (a read-only bind mount of itself),
/// writable again on drop: for a folder whose file system has files open
/// for writing, which a remount would refuse.
struct ReadOnly(PathBuf);

impl ReadOnly {
    fn new(dir: &Path) -> ReadOnly {
        for args in [vec!["--bind", ".", "."], vec!["-o", "remount,bind,ro", "."]] {
            let status = Command::new("mount")
                .args(&args)
                .current_dir(dir)
                .status()
                .expect("run mount");
            assert!(status.success(), "mount {args:?} in {}", dir.display());
        }
        ReadOnly(dir.to_path_buf())
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let ok = Command::new("umount")
            .arg(self.path())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            let _ = Command::new("umount").arg("-l").arg(self.path()).status();
        }
    }
}

/// Names beside (or in) `dir` that a build's staging leaves: none may
/// remain after a good build.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains(".handout-staging-") || n.contains(".handout-new"))
                .collect()
        })
        .unwrap_or_default()
}

fn assert_clean(dir: &Path) {
    let left = leftovers(dir);
    assert!(left.is_empty(), "left in {}: {left:?}", dir.display());
}

/// Exit 1, an error naming `cause`, no panic.
fn assert_fails_with(run: &Run, cause: &str) {
    run.assert_error(cause);
}

fn build_into(site: &TestSite, out: &Path) -> Run {
    let out = out.to_string_lossy().into_owned();
    site.handout(&["build", "--output", &out])
}

/// A change to a site that makes its build need more room.
type Fault = Box<dyn Fn(&TestSite)>;

#[test]
fn a_full_disk_fails_the_build_and_keeps_the_last_output() {
    if !have_root("a_full_disk_fails_the_build_and_keeps_the_last_output") {
        return;
    }
    let site = TestSite::fixture("basic");
    let disk = Tmpfs::new(16 * 1024).expect("mount");
    let out = disk.path().join("public");
    build_into(&site, &out).assert_ok();
    // Room for what is there and 256 KiB more.
    disk.remount(&format!("size={}k", disk.used_kib() + 256));
    let words = "Rest helps for a day or two, then gentle movement helps more. ";
    let big_page = format!(
        "---\ntitle: A Long Read\ndescription: Long.\ndate: 2026-01-11\n---\n\n{}\n",
        words.repeat(8_000)
    );
    // Three ways to need more room than there is: one big page, one big
    // file beside a page, many small pages.
    let faults: [(&str, Fault); 3] = [
        (
            "a big page",
            Box::new(move |s| s.write("content/articles/long.md", &big_page)),
        ),
        (
            "a big file",
            Box::new(|s| s.write_bytes("content/articles/knee-bundle/scan.bin", &[7u8; 600_000])),
        ),
        (
            "many pages",
            Box::new(|s| {
                for n in 0..120 {
                    s.write(
                        &format!("content/articles/many-{n}.md"),
                        &format!("---\ntitle: Page {n}\ndescription: One of many.\ndate: 2026-01-11\n---\n\nText {n}.\n"),
                    );
                }
            }),
        ),
    ];
    for (round, (what, fault)) in faults.iter().enumerate() {
        let before = files_under(&out);
        fault(&site);
        let run = build_into(&site, &out);
        assert_fails_with(&run, "No space left on device");
        assert!(
            run.stderr.contains("the disk is full"),
            "{what}: {}",
            run.stderr
        );
        assert!(files_under(&out) == before, "{what}: the output changed");
        assert_clean(disk.path());
        // Undo it, change something small: the next build succeeds.
        let _ = std::fs::remove_file(site.path("content/articles/long.md"));
        let _ = std::fs::remove_file(site.path("content/articles/knee-bundle/scan.bin"));
        for n in 0..120 {
            let _ = std::fs::remove_file(site.path(&format!("content/articles/many-{n}.md")));
        }
        site.append("content/about.md", &format!("\nRound {round}.\n"));
        build_into(&site, &out).assert_ok();
        assert!(std::fs::read_to_string(out.join("about/index.html"))
            .unwrap()
            .contains(&format!("Round {round}.")));
        assert_clean(disk.path());
    }
}

#[test]
fn a_read_only_output_mount_fails_the_build_and_keeps_the_last_output() {
    if !have_root("a_read_only_output_mount_fails_the_build_and_keeps_the_last_output") {
        return;
    }
    let site = TestSite::fixture("basic");
    let disk = Tmpfs::new(16 * 1024).expect("mount");
    let out = disk.path().join("public");
    build_into(&site, &out).assert_ok();
    for round in 0..3 {
        let before = files_under(&out);
        site.append("content/about.md", &format!("\nRound {round}.\n"));
        disk.remount("ro");
        let run = build_into(&site, &out);
        assert_fails_with(&run, "Read-only file system");
        assert!(run
            .stderr
            .contains("read-only file system: make it writable"));
        assert!(
            files_under(&out) == before,
            "round {round}: the output changed"
        );
        disk.remount("rw");
        assert_clean(disk.path());
        build_into(&site, &out).assert_ok();
        assert!(std::fs::read_to_string(out.join("about/index.html"))
            .unwrap()
            .contains(&format!("Round {round}.")));
        assert_clean(disk.path());
    }
}

/// Gives the whole site to `nobody`, so handout run as nobody can read
/// and write all of it.
fn give_to_nobody(root: &Path) {
    for entry in walkdir::WalkDir::new(root).into_iter().flatten() {
        std::os::unix::fs::chown(entry.path(), Some(NOBODY), Some(NOBODY)).expect("chown");
    }
}

/// A `handout` that `nobody` may run: the one under test, or a copy when
/// its folder is closed to other users.
fn nobody_binary(keep: &Path) -> PathBuf {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_handout"));
    let runs = Command::new(&bin)
        .arg("--version")
        .uid(NOBODY)
        .gid(NOBODY)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if runs {
        return bin;
    }
    let copy = keep.join("handout");
    std::fs::copy(&bin, &copy).expect("copy the binary");
    std::fs::set_permissions(keep, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    copy
}

/// `handout build --root <site>` as `nobody`.
fn build_as_nobody(bin: &Path, site: &TestSite) -> Run {
    let out = Command::new(bin)
        .args(["build", "--root"])
        .arg(site.root())
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .uid(NOBODY)
        .gid(NOBODY)
        .output()
        .expect("run handout as nobody");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn an_unreadable_content_file_fails_the_build_and_names_the_file() {
    if !have_root("an_unreadable_content_file_fails_the_build_and_names_the_file") {
        return;
    }
    let keep = tempfile::tempdir().expect("temp dir");
    let bin = nobody_binary(keep.path());
    let site = TestSite::fixture("basic");
    give_to_nobody(site.root());
    build_as_nobody(&bin, &site).assert_ok();
    let out = site.path("public");
    for (round, rel) in [
        "content/articles/back-pain.md",
        "content/about.md",
        "content/locations/elm-street.md",
    ]
    .into_iter()
    .enumerate()
    {
        let before = files_under(&out);
        site.append(rel, &format!("\nRound {round}.\n"));
        let path = site.path(rel);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        let run = build_as_nobody(&bin, &site);
        assert_fails_with(&run, "Permission denied");
        assert!(
            run.stderr
                .lines()
                .any(|l| l.starts_with(&format!("error: {rel}")) && l.contains("Permission denied")),
            "the error does not name {rel}:\n{}",
            run.stderr
        );
        assert!(
            files_under(&out) == before,
            "round {round}: the output changed"
        );
        assert_clean(site.root());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        build_as_nobody(&bin, &site).assert_ok();
        assert!(
            files_under(&out) != before,
            "round {round}: the good build changed nothing"
        );
        assert_clean(site.root());
    }
}

/// A small xorshift: the kill moments, reproducible from the seed printed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn seed() -> u64 {
    std::env::var("HANDOUT_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
                | 1
        })
}

/// No root needed: 50 builds killed with SIGKILL at random moments, each
/// over a changed site. After each the output is the whole earlier output
/// or the whole new one (what the next good build leaves), and that good
/// build leaves no staging folder.
#[test]
fn a_build_killed_at_50_random_moments_leaves_a_whole_output() {
    let site = TestSite::fixture("basic");
    // More pages, so a build takes long enough to be killed in each stage.
    for n in 0..30 {
        site.write(
            &format!("content/articles/more-{n}.md"),
            &format!("---\ntitle: More {n}\ndescription: One more.\ndate: 2026-01-11\ntags: [pain]\n---\n\nText {n}.\n"),
        );
    }
    let out = site.path("public");
    site.build().assert_ok();
    // The time of a build that changes one page, as each round's does.
    site.append("content/about.md", "\nFirst.\n");
    let started = Instant::now();
    site.build().assert_ok();
    let build_time = started.elapsed();
    let seed = seed();
    eprintln!("kill moments from HANDOUT_FAULT_SEED={seed}; a build takes {build_time:?}");
    let mut rng = Rng(seed);
    let page = "content/about.md";
    let (mut old, mut new) = (0, 0);
    // The marker's record of what the build read may differ between two
    // builds of the same files: a file settles (3 s unchanged) and is
    // then known by its place on disk, not its bytes. The site's files
    // must not.
    let site_files = |out: &Path| {
        let mut files = files_under(out);
        assert!(
            files.remove(".handout").is_some(),
            "the output lost its marker"
        );
        files
    };
    for round in 0..50 {
        let before = site_files(&out);
        site.append(page, &format!("\nRound {round}.\n"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_handout"))
            .args(["build", "--quiet", "--root"])
            .arg(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start handout");
        // Anywhere from the start to a little after a build's usual end.
        let limit = build_time.as_micros() as u64 * 6 / 5;
        std::thread::sleep(Duration::from_micros(rng.below(limit)));
        let _ = child.kill();
        let _ = child.wait();
        let killed = site_files(&out);
        site.build().assert_ok();
        let after = site_files(&out);
        if killed == before {
            old += 1;
        } else {
            assert!(
                killed == after,
                "round {round}: the output after the kill is neither the earlier one nor the new one"
            );
            new += 1;
        }
        assert_clean(site.root());
        assert!(
            started.elapsed() < Duration::from_secs(150),
            "50 kills took over 150 s"
        );
    }
    eprintln!("50 kills: {old} left the earlier output, {new} the new one");
}

/// The preview folder of a `serve` whose cache folder is `cache`.
fn preview_of(cache: &Path) -> PathBuf {
    let base = cache.join("handout");
    std::fs::read_dir(&base)
        .expect("the cache folder")
        .flatten()
        .map(|e| e.path())
        // Beside it are the picture caches (`images/`, `cards/`).
        .find(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("preview-"))
        })
        .unwrap_or_else(|| panic!("no preview folder in {}", base.display()))
}

/// `handout serve --port 0` on `site` with its cache (the preview) in
/// `cache`, as `nobody` when asked.
fn serve_with_cache(site: &TestSite, cache: &Path, bin: Option<&Path>) -> Server {
    let mut command = Command::new(bin.unwrap_or(Path::new(env!("CARGO_BIN_EXE_handout"))));
    command
        .args(["serve", "--port", "0", "--no-check", "--root"])
        .arg(site.root())
        .env("XDG_CACHE_HOME", cache)
        .env("TMPDIR", cache);
    if bin.is_some() {
        command.uid(NOBODY).gid(NOBODY);
    }
    Server::serving(Handout::spawn_command_in(command, site.root()), site.root())
}

/// A page as served, without the live script.
fn served(server: &Server, target: &str) -> String {
    server.text(target)
}

/// After a fault: a `build-error` naming `cause`, the page and the whole
/// preview folder as they were.
fn assert_kept(
    server: &Server,
    events: &mut Events,
    cause: &str,
    preview: &Path,
    before: &BTreeMap<String, Vec<u8>>,
    page: &str,
) {
    let error = server.await_event(events, "build-error");
    assert!(error.data.contains(cause), "{error:?}\n{}", server.logs());
    assert!(
        served(server, "/articles/back-pain/") == page,
        "the page changed\n{}",
        server.logs()
    );
    assert!(
        files_under(preview) == *before,
        "the preview changed\n{}",
        server.logs()
    );
}

/// After the fault is gone: a save reloads, with the new text.
fn assert_recovers(server: &Server, site: &TestSite, events: &mut Events, text: &str) {
    site.append("content/articles/back-pain.md", "\n");
    server.await_event(events, "reload");
    common::eventually("the new text is served", REBUILD, || {
        served(server, "/articles/back-pain/").contains(text)
    });
}

#[test]
fn serve_keeps_the_last_good_site_when_the_disk_fills_or_turns_read_only() {
    if !have_root("serve_keeps_the_last_good_site_when_the_disk_fills_or_turns_read_only") {
        return;
    }
    let site = TestSite::fixture("basic");
    let disk = Tmpfs::new(32 * 1024).expect("mount");
    let server = serve_with_cache(&site, disk.path(), None);
    let preview = preview_of(disk.path());
    let mut events = server.events();
    for round in 0..4 {
        let page = served(&server, "/articles/back-pain/");
        let before = files_under(&preview);
        let text = format!("Round {round}.");
        let full = round % 2 == 0;
        let (filler, read_only) = if full {
            (Some(disk.fill()), None)
        } else {
            (None, Some(ReadOnly::new(&preview)))
        };
        site.append("content/articles/back-pain.md", &format!("\n{text}\n"));
        let cause = if full {
            "No space left on device"
        } else {
            "Read-only file system"
        };
        assert_kept(&server, &mut events, cause, &preview, &before, &page);
        if let Some(filler) = filler {
            std::fs::remove_file(filler).expect("remove the filler");
        }
        drop(read_only);
        assert_recovers(&server, &site, &mut events, &text);
        assert_clean(&preview);
    }
}

#[test]
fn serve_keeps_the_last_good_site_while_a_file_is_unreadable() {
    if !have_root("serve_keeps_the_last_good_site_while_a_file_is_unreadable") {
        return;
    }
    let keep = tempfile::tempdir().expect("temp dir");
    let bin = nobody_binary(keep.path());
    let site = TestSite::fixture("basic");
    give_to_nobody(site.root());
    let cache = tempfile::tempdir().expect("temp dir");
    std::os::unix::fs::chown(cache.path(), Some(NOBODY), Some(NOBODY)).expect("chown");
    let server = serve_with_cache(&site, cache.path(), Some(&bin));
    let preview = preview_of(cache.path());
    let mut events = server.events();
    let rel = "content/articles/back-pain.md";
    for round in 0..3 {
        let page = served(&server, "/articles/back-pain/");
        let before = files_under(&preview);
        let text = format!("Round {round}.");
        site.append(rel, &format!("\n{text}\n"));
        std::fs::set_permissions(site.path(rel), std::fs::Permissions::from_mode(0o000))
            .expect("chmod");
        assert_kept(
            &server,
            &mut events,
            "Permission denied",
            &preview,
            &before,
            &page,
        );
        // The terminal's copy is read on another thread: it may come a
        // moment after the browser's event.
        let printed = format!("error: {rel}");
        common::eventually("the error is printed", REBUILD, || {
            server.stderr().contains(&printed)
        });
        std::fs::set_permissions(site.path(rel), std::fs::Permissions::from_mode(0o644))
            .expect("chmod");
        assert_recovers(&server, &site, &mut events, &text);
        assert_clean(&preview);
    }
}

/// No root needed: serve killed with SIGKILL during rebuilds, then started
/// again on the same preview folder: every page in the folder is whole at
/// every kill, and the restarted server serves what a full build writes.
#[test]
fn serve_killed_during_rebuilds_restarts_to_a_whole_site() {
    let site = TestSite::fixture("basic");
    let cache = tempfile::tempdir().expect("temp dir");
    let seed = seed();
    eprintln!("kill moments from HANDOUT_FAULT_SEED={seed}");
    let mut rng = Rng(seed);
    for round in 0..5 {
        let mut server = serve_with_cache(&site, cache.path(), None);
        let preview = preview_of(cache.path());
        let mut events = server.events();
        // A few saves, and a kill somewhere among their rebuilds.
        for n in 0..3 {
            site.append(
                "content/articles/back-pain.md",
                &format!("\nRound {round}, save {n}.\n"),
            );
            std::thread::sleep(Duration::from_millis(rng.below(60)));
        }
        let _ = server.process.child.kill();
        let _ = server.process.child.wait();
        for (rel, bytes) in files_under(&preview) {
            let name = rel.rsplit('/').next().unwrap_or("");
            if rel.ends_with(".html") && !name.starts_with('.') {
                let text = String::from_utf8_lossy(&bytes);
                assert!(text.trim_end().ends_with("</html>"), "{rel} is partial");
            }
        }
        drop(events.next(Duration::from_millis(1)));
        drop(server);
        // Started again on the same folder: the site as a build makes it.
        let server = serve_with_cache(&site, cache.path(), None);
        let mut events = server.events();
        server.sentinel(&mut events);
        let out = tempfile::tempdir().expect("temp dir");
        let out_arg = out.path().to_string_lossy().into_owned();
        site.handout(&["build", "--output", &out_arg, "--base-url", &server.url])
            .assert_ok();
        let mut built = files_under(out.path());
        built.remove(".handout");
        for (rel, bytes) in &built {
            let response = server.get(&format!("/{rel}"));
            assert_eq!(response.status, 200, "{rel}\n{}", server.logs());
            assert!(
                response.without_live_script() == *bytes,
                "{rel} differs from a build\n{}",
                server.logs()
            );
        }
        assert_clean(&preview_of(cache.path()));
    }
}
