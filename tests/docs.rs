//! The repository stands alone: every link in the README and `docs/`
//! leads to a file in the repository, and no file names a place beside it.

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .canonicalize()
        .expect("the repository folder")
}

/// The README, CONTRIBUTING.md and every page of `docs/`.
fn documents() -> Vec<PathBuf> {
    let mut files = vec![repo().join("README.md"), repo().join("CONTRIBUTING.md")];
    for entry in std::fs::read_dir(repo().join("docs")).expect("docs/") {
        let path = entry.expect("docs entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The targets of Markdown links `[text](target)` in `text`, leaving
/// out code blocks and code spans (examples of what writers type).
fn link_targets(text: &str) -> Vec<String> {
    let mut prose = String::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if !in_code {
            // Even pieces between backticks are prose.
            prose.extend(line.split('`').step_by(2));
            prose.push('\n');
        }
    }
    prose
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split([')', ' ']).next())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_link_in_the_docs_leads_to_a_file_in_the_repository() {
    let mut broken = Vec::new();
    for doc in documents() {
        let text = std::fs::read_to_string(&doc).expect("read a document");
        for target in link_targets(&text) {
            let path = target.split('#').next().unwrap_or("");
            if path.is_empty() || path.contains("://") || path.starts_with("mailto:") {
                continue;
            }
            let file = doc.parent().expect("folder").join(path);
            let inside = file
                .canonicalize()
                .is_ok_and(|real| real.starts_with(repo()));
            if !inside {
                broken.push(format!("{}: {target}", doc.display()));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "links that lead nowhere or outside the repository: {broken:#?}"
    );
}

#[test]
fn the_contract_is_linked_from_the_readme() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    assert!(readme.contains("](docs/contract.md)"));
}

/// Nothing names the folder beside the repository that the project grew
/// up next to: a fresh clone has nothing there.
#[test]
fn no_file_refers_outside_the_repository() {
    let beside = ["..", "/shared"].concat();
    let mut found = Vec::new();
    let skip = ["target", "node_modules", ".git"];
    let walk = walkdir::WalkDir::new(repo())
        .into_iter()
        .filter_entry(|e| !skip.iter().any(|s| e.file_name() == *s));
    for entry in walk {
        let entry = entry.expect("walk the repository");
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        if text.contains(&beside) {
            found.push(entry.path().display().to_string());
        }
    }
    assert!(found.is_empty(), "files that name {beside}: {found:#?}");
}
