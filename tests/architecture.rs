//! The shape of the code: imports flow one way, from the command line down
//! to the stages and never back up, and the README's code map names every
//! module. Reads `src/` as text; nothing is built.

use std::collections::BTreeMap;
use std::path::Path;

/// Every module of `src/`, lowest first. A module may use only modules
/// before it. `lib` stands for the items of `src/lib.rs` itself (the
/// pipeline: `prepare`, `build`...), which the commands above it call.
const ORDER: &[&str] = &[
    // The base: where a problem is, and helpers that know no stage.
    "error",
    "memory",
    "timings",
    "cache",
    "suggest",
    "phone",
    "placeholders",
    "rule",
    "yaml",
    "readability",
    "words",
    "json",
    // The build's stages, in the order data flows through them.
    "config",
    "frontmatter",
    "content",
    "images",
    "shortcode",
    "markdown",
    "links",
    "comparison",
    "location",
    "site",
    "search",
    "theme",
    "cards",
    "aliases",
    "view",
    "feeds",
    "render",
    "output",
    "fingerprint",
    "lib",
    // The commands, built on the pipeline.
    "check",
    "incremental",
    "serve",
    "scaffold",
    "import",
    "cli",
    // The fuzz targets' entry points, over every input format.
    "fuzzing",
    "main",
];

fn src() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Module name -> the text of its files (`src/x.rs` or `src/x/**`).
fn modules() -> BTreeMap<String, String> {
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(src()) {
        let entry = entry.expect("walk src");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(src()).expect("under src");
        let first = rel
            .components()
            .next()
            .expect("a component")
            .as_os_str()
            .to_string_lossy()
            .into_owned();
        let name = first.trim_end_matches(".rs").to_string();
        let text = std::fs::read_to_string(path).expect("read source");
        modules.entry(name).or_default().push_str(&text);
    }
    modules
}

/// The modules (or `lib`, for a root item) that `text` names as
/// `crate::<name>`, outside comments.
fn uses(text: &str, known: &BTreeMap<String, String>) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() {
                // `use crate::{a, b}`: read every name in the braces.
                if let Some(list) = rest.strip_prefix('{') {
                    let list = list.split('}').next().unwrap_or("");
                    for item in list.split(',') {
                        let item = item.trim().split("::").next().unwrap_or("");
                        found.push(module_or_lib(item, known));
                    }
                }
                continue;
            }
            found.push(module_or_lib(&name, known));
        }
    }
    found
}

fn module_or_lib(name: &str, known: &BTreeMap<String, String>) -> String {
    if known.contains_key(name) {
        name.to_string()
    } else {
        "lib".to_string()
    }
}

#[test]
fn every_module_has_a_place_in_the_order() {
    let modules = modules();
    for name in modules.keys() {
        assert!(
            ORDER.contains(&name.as_str()),
            "src/{name} is not in tests/architecture.rs's ORDER: add it where it belongs"
        );
    }
    for name in ORDER {
        assert!(
            modules.contains_key(*name),
            "ORDER names {name}, which src/ no longer has"
        );
    }
}

#[test]
fn imports_flow_one_way() {
    let modules = modules();
    let rank = |name: &str| ORDER.iter().position(|m| *m == name);
    let mut wrong = Vec::new();
    for (name, text) in &modules {
        let Some(own) = rank(name) else { continue };
        for used in uses(text, &modules) {
            if used == *name {
                continue;
            }
            if rank(&used).is_some_and(|r| r > own) {
                wrong.push(format!("{name} uses {used}, which comes after it"));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "imports must flow from the commands down to the stages:\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn the_order_check_can_fail() {
    let known: BTreeMap<String, String> = ["config", "check"]
        .iter()
        .map(|m| (m.to_string(), String::new()))
        .collect();
    let text = "use crate::check::Rule; // crate::view in a comment\nuse crate::{config, prepare};";
    assert_eq!(uses(text, &known), ["check", "config", "lib"]);
}

#[test]
fn the_readme_code_map_names_every_module() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let modules = modules();
    let missing: Vec<&String> = modules
        .keys()
        .filter(|m| !matches!(m.as_str(), "lib" | "main"))
        .filter(|m| !readme.contains(&format!("`{m}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "README.md's code map does not name: {missing:?}"
    );
}
