//! Compiles the default theme into the binary, so `handout init` sites and
//! themes that `extends: default` work without a copy of it on disk; and
//! records which commit the binary was built from, for `--version`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    builtin_theme();
    let build = describe_build();
    println!("cargo:rustc-env=HANDOUT_BUILD={build}");
}

fn builtin_theme() {
    let theme = Path::new("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    collect(theme, theme, &mut files);
    files.sort();
    let mut out = String::from("pub static FILES: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in files {
        let _ = writeln!(out, "    ({rel:?}, include_bytes!({abs:?})),");
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let target = Path::new(&out_dir).join("builtin_theme.rs");
    if let Err(err) = std::fs::write(&target, out) {
        panic!("cannot write {}: {err}", target.display());
    }
}

fn collect(base: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, files);
        } else if let (Ok(rel), Ok(abs)) = (path.strip_prefix(base), path.canonicalize()) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.push((rel, abs.to_string_lossy().into_owned()));
        }
    }
}

/// `commit 1a2b3c4d5e6f, 2026-01-05` from this crate's own git checkout;
/// from a source package (`cargo package`, crates.io), the commit cargo
/// recorded in it; else a plain statement that it is not known.
/// `HANDOUT_COMMIT` in the environment overrides all of them.
fn describe_build() -> String {
    println!("cargo:rerun-if-env-changed=HANDOUT_COMMIT");
    if let Ok(commit) = std::env::var("HANDOUT_COMMIT") {
        if !commit.trim().is_empty() {
            return format!("commit {}", commit.trim());
        }
    }
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    if let Some(described) = from_git(&manifest_dir) {
        return described;
    }
    let vcs_info = manifest_dir.join(".cargo_vcs_info.json");
    println!("cargo:rerun-if-changed={}", vcs_info.display());
    if let Some(sha) = std::fs::read_to_string(&vcs_info)
        .ok()
        .and_then(|text| recorded_sha(&text))
    {
        return format!("commit {sha}, from a source package");
    }
    "commit unknown: built from a source package without git".to_string()
}

/// Runs git in `dir`; only when `dir` is the top of its own checkout (a
/// package unpacked inside another repository is not that repository).
fn from_git(dir: &Path) -> Option<String> {
    let git = |args: &[&str]| -> Option<String> {
        let output = Command::new("git")
            .args(args)
            .current_dir(dir)
            .output()
            .ok()?;
        let text = String::from_utf8(output.stdout).ok()?;
        (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
    };
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != dir.canonicalize().ok()? {
        return None;
    }
    // Rebuild when HEAD moves: HEAD itself, the branch it names, and the
    // packed refs (the paths differ in a worktree).
    let mut watched = vec![git(&["rev-parse", "--git-path", "HEAD"])?];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.extend(git(&["rev-parse", "--git-path", &branch]));
    }
    watched.extend(git(&["rev-parse", "--git-path", "packed-refs"]));
    for path in watched {
        let path = dir.join(path);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    let commit = git(&["rev-parse", "--short=12", "HEAD"])?;
    let date = git(&["log", "-1", "--format=%cs"]).unwrap_or_default();
    Some(if date.is_empty() {
        format!("commit {commit}")
    } else {
        format!("commit {commit}, {date}")
    })
}

/// The `"sha1": "..."` cargo writes into `.cargo_vcs_info.json`, shortened.
fn recorded_sha(text: &str) -> Option<String> {
    let after = &text[text.find("\"sha1\"")? + 6..];
    let after = after
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    let sha = &after[..after.find('"')?];
    (sha.len() >= 12 && sha.chars().all(|c| c.is_ascii_hexdigit())).then(|| sha[..12].to_string())
}
