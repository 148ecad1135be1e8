//! Inputs at the edge: a 50 MB Markdown file, front matter of 100,000
//! lines, 10,000 nested quotes or lists, a symbolic link loop, a FIFO and
//! a device file in `content/`, a file name that is not UTF-8. Each gives
//! a clear error or the right page, within a bound of time and of memory
//! (the peak resident size of the `handout build` process, its VmHWM).
//! The bounds are generous multiples of what the debug binary measured
//! (docs/reliability.md has the figures); a build past its time is killed.

mod common;

use std::io::Read;
use std::os::unix::fs::FileTypeExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Run, TestSite};

/// One `handout build` of `site`: its result, wall time and peak memory
/// in MiB; killed and failed after `limit`.
fn measured_build(site: &TestSite, limit: Duration) -> (Run, Duration, u64) {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_handout"))
        .args(["build", "--root"])
        .arg(site.root())
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start handout");
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = read(Box::new(child.stdout.take().expect("stdout")));
    let stderr = read(Box::new(child.stderr.take().expect("stderr")));
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0;
    let status = loop {
        // The high-water mark of the process's memory since it started
        // (wait4's ru_maxrss would count the test's own, from the fork).
        if let Some(kib) = std::fs::read_to_string(&status_file).ok().and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        }) {
            peak_kib = peak_kib.max(kib);
        }
        if let Ok(Some(status)) = child.try_wait() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("handout build ran past {limit:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = started.elapsed();
    let code = status.code().unwrap_or(-1);
    let run = Run {
        code,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    };
    let peak_mib = peak_kib / 1024;
    eprintln!("build: exit {code}, {elapsed:?}, peak {peak_mib} MiB");
    (run, elapsed, peak_mib)
}

fn article(title: &str, front: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ndescription: At the limit.\ndate: 2026-01-11\n{front}---\n\n{body}\n"
    )
}

#[test]
fn a_50_mb_markdown_file_builds_in_bounded_time_and_memory() {
    let site = TestSite::fixture("basic");
    let paragraph = "Rest helps a sore back for a day or two. Then gentle movement helps \
        more, and *walking* is a good start. See [the knee guide](knee-bundle/index.md).\n\n";
    let mut body = String::with_capacity(51 * 1024 * 1024);
    let mut n = 0;
    while body.len() < 50 * 1024 * 1024 {
        if n % 1000 == 0 {
            body.push_str(&format!("## Part {n}\n\n"));
        }
        body.push_str(paragraph);
        n += 1;
    }
    body.push_str("The very last line.\n");
    site.write("content/articles/huge.md", &article("Huge", "", &body));
    drop(body);
    let (run, _, peak) = measured_build(&site, Duration::from_secs(300));
    run.assert_ok();
    let page = site.read("public/articles/huge/index.html");
    assert!(page.contains("The very last line."));
    assert!(page.contains("href=\"/articles/knee-bundle/\""));
    assert!(page.trim_end().ends_with("</html>"));
    // Measured: 0.77 GiB (debug binary).
    assert!(peak < 3 * 1024, "peak memory {peak} MiB");
}

#[test]
fn front_matter_of_100000_lines_builds_or_fails_clearly() {
    // 100,000 list entries: a page, with its 50 tags.
    let site = TestSite::fixture("basic");
    let tags: String = (0..100_000)
        .map(|i| format!("  - tag{}\n", i % 50))
        .collect();
    site.write(
        "content/articles/many-tags.md",
        &article("Many Tags", &format!("tags:\n{tags}"), "Body."),
    );
    let (run, _, peak) = measured_build(&site, Duration::from_secs(120));
    run.assert_ok();
    assert!(site.path("public/tags/tag49/index.html").is_file());
    assert!(peak < 1024, "peak memory {peak} MiB");
    // 100,000 unknown keys: one clear error, not 100,000 lines of them.
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let keys: String = (0..100_000).map(|i| format!("key{i}: value\n")).collect();
    site.write(
        "content/articles/many-keys.md",
        &article("Many Keys", &keys, "Body."),
    );
    let (run, _, peak) = measured_build(&site, Duration::from_secs(120));
    run.assert_error("key0");
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with("error: content/articles/many-keys.md:")),
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    assert!(
        run.stderr.len() < 100_000,
        "{} bytes of errors",
        run.stderr.len()
    );
    assert!(peak < 1024, "peak memory {peak} MiB");
}

#[test]
fn ten_thousand_nested_quotes_or_lists_build() {
    for (name, body) in [
        ("quotes", format!("{}deep", "> ".repeat(10_000))),
        ("lists", format!("{}deep", "- ".repeat(10_000))),
        ("both", format!("{}deep", "> - ".repeat(5_000))),
        ("numbered", format!("{}deep", "1. ".repeat(10_000))),
    ] {
        let site = TestSite::fixture("basic");
        site.write("content/articles/deep.md", &article("Deep", "", &body));
        let (run, _, peak) = measured_build(&site, Duration::from_secs(60));
        run.assert_ok();
        let page = site.read("public/articles/deep/index.html");
        assert!(page.contains("deep</"), "{name}: the text is missing");
        assert!(peak < 512, "{name}: peak memory {peak} MiB");
    }
}

/// A build of `site` after `make` put something odd in `content/`: exit 1
/// within seconds, an error naming `rel` with `needle`, and the earlier
/// output untouched.
fn refused(make: impl Fn(&TestSite), rel: &str, needle: &str) {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let before = site.snapshot("public");
    make(&site);
    let (run, elapsed, _) = measured_build(&site, Duration::from_secs(30));
    run.assert_error(needle);
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with(&format!("error: {rel}")) && l.contains(needle)),
        "no error naming {rel}:\n{}",
        run.stderr
    );
    assert!(site.snapshot("public") == before, "public/ changed");
    assert!(elapsed < Duration::from_secs(30));
}

#[test]
fn a_symlink_loop_in_content_is_an_error_not_a_hang() {
    refused(
        |site| {
            std::os::unix::fs::symlink(".", site.path("content/articles/loop")).expect("symlink");
        },
        "content/articles/loop",
        "symbolic link",
    );
    refused(
        |site| {
            let (a, b) = (site.path("content/a"), site.path("content/b"));
            std::os::unix::fs::symlink(&b, &a).expect("symlink");
            std::os::unix::fs::symlink(&a, &b).expect("symlink");
        },
        "content/a",
        "symbolic link",
    );
}

#[test]
fn a_fifo_or_a_device_in_content_is_an_error_not_a_hang() {
    refused(
        |site| {
            let path = site.path("content/articles/pipe.md");
            let c = std::ffi::CString::new(path.to_string_lossy().as_bytes()).expect("path");
            // SAFETY: mkfifo reads a NUL-terminated path we own.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
            assert!(std::fs::metadata(&path).unwrap().file_type().is_fifo());
        },
        "content/articles/pipe.md",
        "FIFO",
    );
    // site.yaml as a FIFO: read before anything else, and never blocks.
    refused(
        |site| {
            let path = site.path("site.yaml");
            std::fs::remove_file(&path).expect("remove site.yaml");
            let c = std::ffi::CString::new(path.to_string_lossy().as_bytes()).expect("path");
            // SAFETY: mkfifo reads a NUL-terminated path we own.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
        },
        "site.yaml",
        "FIFO",
    );
    // A link to a device that never ends: refused as a link, never read.
    refused(
        |site| {
            std::os::unix::fs::symlink("/dev/zero", site.path("content/articles/zero.md"))
                .expect("symlink");
        },
        "content/articles/zero.md",
        "symbolic link",
    );
    // A device file itself needs root to make.
    // SAFETY: geteuid reads the process's effective user id.
    if unsafe { libc::geteuid() } == 0 {
        refused(
            |site| {
                let status = Command::new("mknod")
                    .arg(site.path("content/articles/null.md"))
                    .args(["c", "1", "3"])
                    .status()
                    .expect("run mknod");
                assert!(status.success(), "mknod");
            },
            "content/articles/null.md",
            "device file",
        );
    } else {
        assert!(
            std::env::var_os("HANDOUT_REQUIRE_ROOT").is_none_or(|v| v != "1"),
            "a device file needs root, and HANDOUT_REQUIRE_ROOT=1"
        );
        eprintln!("SKIPPED the device file case: mknod needs root");
    }
}

#[test]
fn a_file_name_that_is_not_utf8_is_an_error() {
    use std::os::unix::ffi::OsStrExt;
    refused(
        |site| {
            let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
            std::fs::write(
                site.path("content/articles").join(name),
                article("Cafe", "", "Coffee."),
            )
            .expect("write");
        },
        "content/articles/caf",
        "not valid UTF-8",
    );
}
