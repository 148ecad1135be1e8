//! The output of a generated corpus site, byte for byte, against a
//! committed manifest (`tests/golden/corpus-300.txt`: each file's path,
//! size and SHA-256). Performance work must not change what is built: run
//! this before and after each optimisation. When a change to the output is
//! intended, rewrite the manifest with `HANDOUT_BLESS=1 cargo test --test
//! corpus` and review its diff.
//!
//! Needs `../shared/bench/gen-corpus` (and python3); without them it says
//! SKIPPED, or fails under `HANDOUT_REQUIRE_BROWSER=1` like the browser
//! tests, which need the same tools.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use handout::frontmatter::Date;
use handout::BuildOptions;
use sha2::{Digest, Sha256};

const GOLDEN: &str = "tests/golden/corpus-300.txt";
/// After every date in the corpus (links to future-dated pages are errors).
const TODAY: &str = "2026-01-15";

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `path size sha256` for every file under `out`, sorted by path.
fn manifest_of(out: &Path) -> String {
    let mut lines: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.expect("walk output"))
        .filter(|e| e.file_type().is_file())
        // The build record is handout's own, not the site's.
        .filter(|e| e.file_name() != ".handout")
        .map(|e| {
            let rel = e.path().strip_prefix(out).expect("under out");
            let rel = rel.to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(e.path()).expect("read output file");
            let digest: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            format!("{rel} {} {digest}", bytes.len())
        })
        .collect();
    lines.sort();
    lines.join("\n") + "\n"
}

/// Generates the corpus; None (after saying SKIPPED) when the generator
/// is missing and not required.
fn generate(into: &Path) -> Option<()> {
    let generator = manifest_dir().join("../shared/bench/gen-corpus");
    let status = Command::new("python3")
        .arg(&generator)
        .args(["--articles", "300", "--locations", "8", "--authors", "12"])
        .args(["--seed", "1", "--out"])
        .arg(into)
        .status();
    match status {
        Ok(s) if s.success() => Some(()),
        other => {
            let message = format!(
                "the corpus test needs python3 and {}: {other:?}",
                generator.display()
            );
            if std::env::var("HANDOUT_REQUIRE_BROWSER").as_deref() == Ok("1") {
                panic!("HANDOUT_REQUIRE_BROWSER=1 but {message}");
            }
            let _ = writeln!(std::io::stderr(), "\n*** SKIPPED: {message} ***\n");
            None
        }
    }
}

/// The corpus generated under `dir`, and how to build it; None when the
/// generator is missing (see `generate`).
fn corpus_site(dir: &Path) -> Option<BuildOptions> {
    let site = dir.join("site");
    generate(&site)?;
    let mut options = BuildOptions::new(&site);
    options.today = Date::parse(TODAY);
    assert!(options.today.is_some());
    Some(options)
}

#[test]
fn corpus_output_is_byte_for_byte_the_committed_manifest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(options) = corpus_site(dir.path()) else {
        return;
    };
    let report = handout::build(&options).expect("the corpus builds");
    assert!(report.pages > 300, "pages: {}", report.pages);
    let actual = manifest_of(&options.output_dir());
    let golden = manifest_dir().join(GOLDEN);
    if std::env::var("HANDOUT_BLESS").as_deref() == Ok("1") {
        std::fs::create_dir_all(golden.parent().expect("parent")).expect("mkdir");
        std::fs::write(&golden, &actual).expect("write golden manifest");
        return;
    }
    let expected = std::fs::read_to_string(&golden)
        .unwrap_or_else(|e| panic!("{GOLDEN}: {e}; make it with HANDOUT_BLESS=1"));
    if actual != expected {
        let expected: std::collections::BTreeSet<&str> = expected.lines().collect();
        let actual_lines: std::collections::BTreeSet<&str> = actual.lines().collect();
        let differ: Vec<&&str> = actual_lines
            .symmetric_difference(&expected)
            .take(20)
            .collect();
        panic!(
            "the corpus output differs from {GOLDEN} (first differing lines below). \
             If the change is intended, run HANDOUT_BLESS=1 cargo test --test corpus \
             and review the diff.\n{differ:#?}"
        );
    }
}

/// The same site built twice gives the same bytes: nothing depends on
/// thread scheduling or hash order.
#[test]
fn corpus_output_does_not_depend_on_thread_scheduling() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(mut options) = corpus_site(dir.path()) else {
        return;
    };
    let mut manifests = Vec::new();
    for n in 0..2 {
        options.output = Some(dir.path().join(format!("out-{n}")));
        handout::build(&options).expect("the corpus builds");
        manifests.push(manifest_of(&dir.path().join(format!("out-{n}"))));
    }
    assert_eq!(manifests[0], manifests[1]);
}
