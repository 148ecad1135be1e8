//! The output of a generated 300-article site, byte for byte, against what
//! was blessed. Performance work must not change what is built: run this
//! before and after each optimisation.
//!
//! Two records in `tests/golden/`:
//! - `corpus-300.txt`: every output file's path, size and SHA-256 (the
//!   byte-for-byte guarantee, in 50 kB);
//! - `corpus-300/`: readable copies of one file of each kind (the largest
//!   article page, location page, term page, the home page, the feed...),
//!   so a failure shows the lines that changed, and a re-bless shows them in
//!   `git diff`. All 490 files as text would be 11 MB, hence one of each.
//!
//! On a difference the test names every file that was added, removed or
//! changed, prints a line diff of each changed copy (a template change
//! shows in the copy of every kind it touches), and keeps the new output in
//! `target/tmp/corpus-300/` to look at. When a change is meant, run
//! `HANDOUT_BLESS=1 cargo test --test corpus` and review the diff.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use common::corpus::{generated, kept_dir, TODAY};
use handout::frontmatter::Date;
use handout::BuildOptions;
use sha2::{Digest, Sha256};

const MANIFEST: &str = "tests/golden/corpus-300.txt";
const COPIES: &str = "tests/golden/corpus-300";
/// Files larger than this are left to the manifest (the feed, the sitemap).
const COPY_LIMIT: usize = 48 * 1024;
/// Diff lines printed per changed copy, and in all.
const DIFF_LINES: usize = 60;
const DIFF_TOTAL: usize = 400;

fn golden(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn blessing() -> bool {
    std::env::var("HANDOUT_BLESS").as_deref() == Ok("1")
}

/// The 300-article corpus built into a kept folder named `name`; returns
/// the output folder.
fn build_corpus(name: &str) -> PathBuf {
    let dir = kept_dir(name);
    let site = generated(&dir.join("site"), 300);
    let mut options = BuildOptions::new(&site);
    options.output = Some(dir.join("public"));
    options.today = Date::parse(TODAY);
    assert!(options.today.is_some());
    let report = handout::build(&options).expect("the corpus builds");
    assert!(report.pages > 300, "pages: {}", report.pages);
    options.output_dir()
}

/// Every output file by its `/` path; the build's own `.handout` record
/// is not the site's.
fn files(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = common::files_under(out);
    files.remove(".handout");
    files
}

/// `path size sha256` for every file, sorted by path.
fn manifest(files: &BTreeMap<String, Vec<u8>>) -> String {
    files
        .iter()
        .map(|(path, bytes)| {
            let digest: String = Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            format!("{path} {} {digest}\n", bytes.len())
        })
        .collect()
}

/// Path -> (size, digest) of a manifest's lines.
fn entries(manifest: &str) -> BTreeMap<&str, (&str, &str)> {
    manifest
        .lines()
        .filter_map(|line| {
            let mut parts = line.rsplitn(3, ' ');
            let digest = parts.next()?;
            let size = parts.next()?;
            Some((parts.next()?, (size, digest)))
        })
        .collect()
}

/// What kind of file `path` is: a top-level file is its own kind; below,
/// the folder, the depth and the extension (`articles/3/html` is an
/// article page, `tags/5/html` a term's second page).
fn kind(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    let ext = path.rsplit('.').next().unwrap_or("");
    match parts.as_slice() {
        [_] => path.to_string(),
        [top, ..] => format!("{top}/{}/{ext}", parts.len()),
        [] => String::new(),
    }
}

/// Text the build writes (the theme's CSS and icons are copied as they
/// are, and their sources are in the repository to diff).
fn is_text(path: &str) -> bool {
    [".html", ".xml", ".txt", ".json"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

/// The files kept as readable copies: of each kind, the largest text
/// file under `COPY_LIMIT` (the one with the most features in it).
fn chosen(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, &str> {
    let mut best: BTreeMap<String, (&str, usize)> = BTreeMap::new();
    for (path, bytes) in files {
        if !is_text(path) || bytes.len() > COPY_LIMIT {
            continue;
        }
        let entry = best.entry(kind(path)).or_insert((path, bytes.len()));
        if bytes.len() > entry.1 {
            *entry = (path, bytes.len());
        }
    }
    best.into_iter().map(|(k, (path, _))| (k, path)).collect()
}

fn bless(files: &BTreeMap<String, Vec<u8>>) {
    std::fs::write(golden(MANIFEST), manifest(files)).expect("write the manifest");
    let copies = golden(COPIES);
    let _ = std::fs::remove_dir_all(&copies);
    for path in chosen(files).values() {
        let target = copies.join(path);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::write(&target, &files[*path]).expect("write a copy");
    }
}

/// The readable copies as blessed, by path (none before the first bless).
fn copies() -> BTreeMap<String, Vec<u8>> {
    let dir = golden(COPIES);
    if dir.is_dir() {
        common::files_under(&dir)
    } else {
        BTreeMap::new()
    }
}

#[test]
fn corpus_output_is_byte_for_byte_what_was_blessed() {
    let out = build_corpus("corpus-300");
    let files = files(&out);
    if blessing() {
        bless(&files);
        return;
    }
    let expected = std::fs::read_to_string(golden(MANIFEST))
        .unwrap_or_else(|e| panic!("{MANIFEST}: {e}; make it with HANDOUT_BLESS=1"));
    let actual = manifest(&files);
    let copies = copies();
    let stale: Vec<&String> = copies
        .iter()
        .filter(|(path, bytes)| files.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .collect();
    if actual == expected && stale.is_empty() {
        return;
    }
    panic!("{}", difference(&expected, &actual, &copies, &files, &out));
}

/// The failure message: which files differ, the lines that differ in
/// each readable copy, and where the new output is.
fn difference(
    expected: &str,
    actual: &str,
    copies: &BTreeMap<String, Vec<u8>>,
    files: &BTreeMap<String, Vec<u8>>,
    out: &Path,
) -> String {
    let (old, new) = (entries(expected), entries(actual));
    let paths: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    let mut message = format!(
        "the corpus output differs from {MANIFEST} and {COPIES}/.\n\
         If the change is intended, run HANDOUT_BLESS=1 cargo test --test corpus \
         and review the diff.\nThe new output is in {}.\n\n",
        out.display()
    );
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for path in paths {
        let line = match (old.get(path), new.get(path)) {
            (Some(_), None) => format!("removed: {path}"),
            (None, Some(_)) => format!("added:   {path}"),
            (Some(a), Some(b)) if a != b => format!("changed: {path} ({} -> {} bytes)", a.0, b.0),
            _ => continue,
        };
        let n = kinds.entry(kind(path)).or_default();
        *n += 1;
        // Ten per kind is enough to see the pattern.
        if *n <= 10 {
            let _ = writeln!(message, "  {line}");
        }
    }
    for (kind, n) in &kinds {
        let _ = writeln!(message, "  {kind}: {n} files differ");
    }
    message.push('\n');
    message.push_str(&line_diffs(copies, files));
    message
}

/// A unified diff of each readable copy against the new file.
fn line_diffs(copies: &BTreeMap<String, Vec<u8>>, files: &BTreeMap<String, Vec<u8>>) -> String {
    let mut text = String::new();
    let mut printed = 0;
    for (path, old) in copies {
        let new = files.get(path).map(Vec::as_slice).unwrap_or_default();
        if old.as_slice() == new || printed >= DIFF_TOTAL {
            continue;
        }
        let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(new));
        let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
        let unified = diff
            .unified_diff()
            .context_radius(2)
            .header(&format!("blessed/{path}"), &format!("new/{path}"))
            .to_string();
        let lines: Vec<&str> = unified.lines().take(DIFF_LINES).collect();
        printed += lines.len();
        let _ = writeln!(text, "{}", lines.join("\n"));
        if unified.lines().count() > DIFF_LINES {
            let _ = writeln!(text, "... (more in this file)");
        }
    }
    if text.is_empty() {
        text.push_str("No readable copy changed: the difference is only in files the manifest alone records.\n");
    }
    text
}

/// The same site built twice gives the same bytes: nothing depends on
/// thread scheduling or hash order.
#[test]
fn corpus_output_does_not_depend_on_thread_scheduling() {
    let first = files(&build_corpus("corpus-300-first"));
    let second = files(&build_corpus("corpus-300-second"));
    assert_eq!(manifest(&first), manifest(&second));
}

/// The failure message names every kind of difference and shows the
/// lines: a changed copy, an added and a removed file.
#[test]
fn a_difference_is_shown_by_file_and_line() {
    let page = "articles/a/index.html";
    let old: BTreeMap<String, Vec<u8>> = [
        (
            page.to_string(),
            b"<h1>A</h1>\n<p>Old text.</p>\n<footer>\n".to_vec(),
        ),
        ("gone.txt".to_string(), b"bye\n".to_vec()),
    ]
    .into();
    let mut new = old.clone();
    new.insert(
        page.into(),
        b"<h1>A</h1>\n<p>New text.</p>\n<footer>\n".to_vec(),
    );
    new.remove("gone.txt");
    new.insert("feed.xml".into(), b"<rss/>\n".to_vec());
    let message = difference(
        &manifest(&old),
        &manifest(&new),
        &old,
        &new,
        Path::new("out"),
    );
    for needle in [
        "changed: articles/a/index.html (37 -> 37 bytes)",
        "removed: gone.txt",
        "added:   feed.xml",
        "articles/3/html: 1 files differ",
        "--- blessed/articles/a/index.html",
        "-<p>Old text.</p>",
        "+<p>New text.</p>",
        "HANDOUT_BLESS=1 cargo test --test corpus",
    ] {
        assert!(message.contains(needle), "{needle:?} not in:\n{message}");
    }
}

#[test]
fn one_copy_of_each_kind_is_kept() {
    let files: BTreeMap<String, Vec<u8>> = [
        ("index.html", 10),
        ("articles/index.html", 5),
        ("articles/a/index.html", 7),
        ("articles/b/index.html", 9),
        ("articles/c/index.html", COPY_LIMIT + 1),
        ("articles/b/photo.jpg", 3),
    ]
    .into_iter()
    .map(|(p, n)| (p.to_string(), vec![b'x'; n]))
    .collect();
    let kept: Vec<&str> = chosen(&files).into_values().collect();
    assert_eq!(
        kept,
        ["articles/index.html", "articles/b/index.html", "index.html"]
    );
}

/// Sites from the generator build, and `handout check` runs on them, the
/// way a user runs both: in the site folder, with no --root.
#[test]
fn generated_sites_build_and_check_from_their_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = generated(dir.path(), 40);
    let build = common::run(&["build"], &site);
    build.assert_ok();
    assert!(build.stdout.starts_with("Built "), "{}", build.stdout);
    assert!(site.join("public/articles/index.html").is_file());
    let check = common::run(&["check"], &site);
    check.assert_ok();
    assert!(check.stdout.contains(" 0 errors"), "{}", check.stdout);
}
