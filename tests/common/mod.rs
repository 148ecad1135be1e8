//! Shared by the integration tests: a fixture site copied into a
//! temporary folder and edited in place, runs of the real `handout`
//! binary, and (in submodules) generated sites, the HTTP and live-reload
//! client, and a running `handout serve`.

#![allow(dead_code)]

pub mod corpus;
pub mod http;
pub mod load;
pub mod pictures;
pub mod serve;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A site folder for one test: a copy of a fixture in a temporary folder
/// (removed with it), or a folder the test made some other way.
pub struct TestSite {
    root: PathBuf,
    /// Holds the temporary folder, when the site lives in one of its own.
    _dir: Option<tempfile::TempDir>,
}

impl TestSite {
    /// A copy of `tests/sites/<name>`.
    pub fn fixture(name: &str) -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/sites")
            .join(name);
        copy_dir(&source, dir.path());
        TestSite {
            root: dir.path().to_path_buf(),
            _dir: Some(dir),
        }
    }

    /// The site already in `root` (made by `handout init`, say); whoever
    /// made the folder removes it.
    pub fn at(root: &Path) -> TestSite {
        TestSite {
            root: root.to_path_buf(),
            _dir: None,
        }
    }

    /// The same site, moved to `to` (which the caller removes).
    pub fn moved_to(self, to: &Path) -> TestSite {
        std::fs::rename(&self.root, to).expect("move the site");
        TestSite::at(to)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.path(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// Replaces the one place `from` occurs in `rel` with `to`.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert_eq!(
            text.matches(from).count(),
            1,
            "{rel} should hold {from:?} exactly once:\n{text}"
        );
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Adds `more` at the end of `rel`.
    pub fn append(&self, rel: &str, more: &str) {
        let text = self.read(rel);
        self.write(rel, &format!("{text}{more}"));
    }

    /// The 1-based number of the one line of `rel` that contains `needle`.
    pub fn line_of(&self, rel: &str, needle: &str) -> usize {
        let text = self.read(rel);
        let hits: Vec<usize> = text
            .lines()
            .enumerate()
            .filter(|(_, line)| line.contains(needle))
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(
            hits.len(),
            1,
            "{rel} should have one line with {needle:?}, has {hits:?}"
        );
        hits[0]
    }

    /// Runs `handout <args> --root <site>` with colour off.
    pub fn handout(&self, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        let root = self.root().to_string_lossy().into_owned();
        all.push("--root");
        all.push(&root);
        run(&all, self.root())
    }

    pub fn build(&self) -> Run {
        self.handout(&["build"])
    }

    /// On the built `basic` fixture, writes `text` to `rel` and builds:
    /// exit 1, an error at `rel:line` containing `needle`, and the earlier
    /// output untouched.
    pub fn fails_at(rel: &str, text: &str, line: usize, needle: &str) -> Run {
        TestSite::fails_in("basic", rel, text, line, needle).0
    }

    /// `fails_at` on the fixture `fixture`; returns the site too.
    pub fn fails_in(
        fixture: &str,
        rel: &str,
        text: &str,
        line: usize,
        needle: &str,
    ) -> (Run, TestSite) {
        let site = TestSite::fixture(fixture);
        site.build().assert_ok();
        let before = site.snapshot("public");
        site.write(rel, text);
        let run = site.build();
        run.assert_error(needle);
        let place = format!("error: {rel}:{line}:");
        assert!(
            run.stderr
                .lines()
                .any(|l| l.starts_with(&place) && l.contains(needle)),
            "expected {needle:?} at line {line}\n{}",
            run.stderr
        );
        assert!(site.snapshot("public") == before, "public/ changed");
        (run, site)
    }

    /// Every file under `rel` with its bytes, by `/`-separated path.
    pub fn snapshot(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        files_under(&self.path(rel))
    }
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn assert_ok(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }

    /// Exit 1 with `needle` in an `error:` line.
    pub fn assert_error(&self, needle: &str) -> &Self {
        assert_eq!(
            self.code, 1,
            "expected exit 1\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        assert!(
            self.stderr
                .lines()
                .any(|l| l.starts_with("error: ") && l.contains(needle)),
            "no error line containing {needle:?}\nstderr: {}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "panic: {}", self.stderr);
        self
    }
}

pub fn run(args: &[&str], cwd: &Path) -> Run {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_handout"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run handout");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The block after each `<!-- test: NAME -->` in a doc (from the crate
/// root): a fenced block's text, or a table row of settings (`| Build
/// command | ... |`) as written.
pub fn doc_blocks(doc: &str) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(doc))
        .unwrap_or_else(|e| panic!("read {doc}: {e}"));
    let mut blocks = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("<!-- test: ")
            .and_then(|r| r.strip_suffix(" -->"))
        else {
            continue;
        };
        let mut block = String::new();
        let mut inside = false;
        for line in lines.by_ref() {
            if line.starts_with("```") {
                if inside {
                    break;
                }
                inside = true;
            } else if inside {
                block.push_str(line);
                block.push('\n');
            } else if line.starts_with("| Build command") {
                block.push_str(line);
                break;
            }
        }
        blocks.insert(name.to_string(), block);
    }
    blocks
}

/// Fails naming the first of `expected` that `text` lacks.
pub fn assert_contains_all(text: &str, expected: &[&str]) {
    for expected in expected {
        assert!(text.contains(expected), "no {expected:?} in\n{text}");
    }
}

/// Every file under `dir` with its bytes, by its `/`-separated path.
pub fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap_or_else(|e| panic!("walk {}: {e}", dir.display())))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("under dir");
            let rel = rel.to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(e.path())
                .unwrap_or_else(|err| panic!("read {}: {err}", e.path().display()));
            (rel, bytes)
        })
        .collect()
}

/// Polls `check` until it holds, for at most `timeout`.
pub fn eventually(what: &str, timeout: Duration, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !check() {
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?}: {what}"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// `PATH` with the folder of the `handout` under test first, so a command
/// line can say `handout` as a user types it.
pub fn path_with_handout() -> std::ffi::OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_handout"))
        .parent()
        .expect("the binary's folder")
        .to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&rest))).expect("a PATH")
}

/// A command line exactly as printed, run by `sh` in `cwd` with `handout`
/// on the PATH, to its end.
pub fn run_shell(line: &str, cwd: &Path) -> Run {
    let output = Command::new("sh")
        .arg("-c")
        .arg(line)
        .current_dir(cwd)
        .env("PATH", path_with_handout())
        .env("NO_COLOR", "1")
        .output()
        .expect("run sh");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The first JSON-LD graph of a page.
pub fn json_ld(html: &str) -> serde_json::Value {
    let open = r#"<script type="application/ld+json">"#;
    let start = html.find(open).expect("JSON-LD") + open.len();
    let end = html[start..].find("</script>").expect("end") + start;
    serde_json::from_str(&html[start..end]).expect("JSON-LD parses")
}

/// The node of `graph` whose `@type` is `kind`.
pub fn node<'a>(graph: &'a serde_json::Value, kind: &str) -> &'a serde_json::Value {
    graph["@graph"]
        .as_array()
        .and_then(|nodes| nodes.iter().find(|n| n["@type"] == kind))
        .unwrap_or_else(|| panic!("no {kind} node in {graph:#}"))
}

/// Asks the kernel to let go of `path`'s pages, as it does with files
/// unread for a while: the next read waits on the disk (a cold build).
/// The file is synced first: only clean pages are let go of.
#[cfg(target_os = "linux")]
pub fn evict_from_page_cache(path: &Path) {
    use std::os::fd::AsRawFd;
    let file = std::fs::File::open(path).expect("open");
    file.sync_all().expect("sync");
    // SAFETY: an advice on an open file's pages; nothing is read.
    let advised = unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
    assert_eq!(advised, 0, "fadvise");
}
