//! The site's synonyms file, `content/search-synonyms.yaml`: each name the
//! pages use, with the words patients use for it.
//!
//! ```yaml
//! plantar fasciitis: [heel pain, arch pain]
//! physical therapy: [PT, physio]
//! ```
//!
//! A search for `heel pain` then also finds what `plantar fasciitis` finds.
//! That file serves the default language; another language's index has
//! its own, the language code before `.yaml` as for a translation
//! (`content/search-synonyms.es.yaml`: `fascitis plantar: [dolor de
//! talón]`). Read strictly: a file that does not parse, a name no page uses, or names
//! that lead back to themselves are errors with their line.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Errors, Place};

/// Its name in `content/`.
pub const FILE: &str = crate::content::SYNONYMS_FILE;

/// One line of the file: a name the pages use and the other words for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub name: String,
    pub others: Vec<String>,
    /// Its line in the file.
    pub line: usize,
}

/// The whole file, in its order; empty when there is none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    pub rules: Vec<Rule>,
    /// The file as shown in messages (`shown()` when empty).
    pub file: PathBuf,
}

impl Synonyms {
    fn shown(&self) -> PathBuf {
        if self.file.as_os_str().is_empty() {
            shown()
        } else {
            self.file.clone()
        }
    }
}

/// The default language's file as shown in messages:
/// `content/search-synonyms.yaml`.
pub fn shown() -> PathBuf {
    Path::new(crate::content::CONTENT_DIR).join(FILE)
}

/// The name in `content/` of the synonyms file of language `code` (as in
/// site.yaml), `default` when it is the site's default language:
/// `search-synonyms.yaml`, `search-synonyms.es.yaml`.
pub fn file_name(code: &str, default: bool) -> String {
    if default {
        FILE.to_string()
    } else {
        format!("search-synonyms.{}.yaml", code.to_ascii_lowercase())
    }
}

/// The language code of a synonyms file's name in `content/` (`es` for
/// `search-synonyms.es.yaml`, empty for `search-synonyms.yaml`); none for
/// another file.
pub fn language_of(name: &str) -> Option<&str> {
    crate::content::synonyms_language(name)
}

/// Whether the site has a synonyms file in any language (anything there
/// but a missing file counts: `load` then says what is wrong with it).
pub fn any(root: &Path) -> bool {
    exists(root, FILE) || !others(root).is_empty()
}

/// Whether `content/<name>` is there (anything but a missing file).
pub fn exists(root: &Path, name: &str) -> bool {
    !matches!(
        root.join(crate::content::CONTENT_DIR).join(name).symlink_metadata(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound
    )
}

/// The names of the other languages' synonyms files in `content/`
/// (`search-synonyms.es.yaml`), sorted.
pub fn others(root: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root.join(crate::content::CONTENT_DIR)) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| language_of(name).is_some_and(|code| !code.is_empty()))
        .collect();
    names.sort();
    names
}

/// Each other language's synonyms file whose language is not one of
/// `codes` (the site's other languages, as in site.yaml) is an error: its
/// words would serve no index.
pub fn check_languages(root: &Path, codes: &[String]) -> Errors {
    let lower: Vec<String> = codes.iter().map(|c| c.to_ascii_lowercase()).collect();
    others(root)
        .into_iter()
        .filter_map(|name| {
            let code = language_of(&name)?.to_ascii_lowercase();
            if lower.contains(&code) {
                return None;
            }
            let hint = if lower.is_empty() {
                format!("add `{code}:` under `languages:` in site.yaml, or remove the file")
            } else {
                format!(
                    "the site's other languages are {}{}; rename the file or remove it",
                    lower.join(", "),
                    crate::suggest::did_you_mean(&code, lower.iter().map(String::as_str))
                )
            };
            Some(
                Diagnostic::new(
                    Place::file(Path::new(crate::content::CONTENT_DIR).join(&name)),
                    format!("these search synonyms are for `{code}`, which is not one of the site's languages in site.yaml"),
                )
                .hint(hint),
            )
        })
        .collect()
}

/// Reads `<root>/content/<name>` (`file_name`), if it is there.
pub fn load(root: &Path, name: &str) -> Result<Synonyms, Errors> {
    let shown = Path::new(crate::content::CONTENT_DIR).join(name);
    let path = root.join(&shown);
    match crate::error::read_regular(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => parse_file(&text, &shown).map_err(Errors::from_iter),
            Err(_) => Err(Errors(vec![Diagnostic::new(
                Place::file(shown),
                "the file is not valid UTF-8 text: save it with UTF-8 encoding",
            )])),
        },
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Synonyms::default()),
        Err(err) => Err(Errors(vec![Diagnostic::io(
            Place::file(shown),
            "cannot read",
            err,
        )])),
    }
}

/// One value of the mapping: a list of words, or one on its own.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Others {
    Many(Vec<String>),
    One(String),
}

/// Parses the text of the default language's file.
pub fn parse(text: &str) -> Result<Synonyms, Vec<Diagnostic>> {
    parse_file(text, &shown())
}

/// Parses the text of the file `shown` (as messages name it).
pub fn parse_file(text: &str, shown: &Path) -> Result<Synonyms, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let map: serde_yaml::Mapping = crate::yaml::parse(text, 1).map_err(|p| {
        vec![
            Diagnostic::new(Place::at(shown, p.line, Some(p.column)), p.message)
                .hint("write one name per line: `plantar fasciitis: [heel pain, arch pain]`"),
        ]
    })?;
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for (key, value) in map {
        let Some(name) = scalar(&key) else {
            errors.push(Diagnostic::new(
                Place::at(shown, 1, None),
                "every name must be plain words, like `plantar fasciitis:`",
            ));
            continue;
        };
        let line = key_line(text, &name);
        let others = match serde_yaml::from_value::<Others>(value) {
            Ok(Others::Many(list)) => list,
            Ok(Others::One(one)) => vec![one],
            Err(_) => {
                errors.push(
                    Diagnostic::new(
                        Place::at(shown, line, Some(1)),
                        format!("`{name}` must be followed by a list of words"),
                    )
                    .hint(format!("write `{name}: [other words, more words]`")),
                );
                continue;
            }
        };
        if others.iter().any(|o| o.trim().is_empty()) || name.trim().is_empty() {
            errors.push(Diagnostic::new(
                Place::at(shown, line, Some(1)),
                format!("`{name}` has an empty entry: remove it or write the words"),
            ));
            continue;
        }
        rules.push(Rule { name, others, line });
    }
    if errors.is_empty() {
        Ok(Synonyms {
            rules,
            file: shown.to_path_buf(),
        })
    } else {
        Err(errors)
    }
}

fn scalar(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The line on which `name:` starts (quoted or not), for messages.
fn key_line(text: &str, name: &str) -> usize {
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            [name.to_string(), format!("\"{name}\""), format!("'{name}'")]
                .iter()
                .any(|k| {
                    line.strip_prefix(k.as_str())
                        .is_some_and(|rest| rest.trim_start().starts_with(':'))
                })
        })
        .map_or(1, |i| i + 1)
}

/// A synonym the index can use: a patient's phrase (as index terms) and
/// the name the pages use (as index terms), with the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub phrase: Vec<String>,
    pub name: Vec<String>,
    pub line: usize,
}

/// Turns the rules into phrases of index terms (`terms` makes them),
/// following chains (`a: [b]`, `b: [c]`: `c` leads to `a`). A name whose
/// terms `known` does not know, or a chain that comes back to where it
/// started, is an error at its line.
pub fn resolve(
    synonyms: &Synonyms,
    terms: impl Fn(&str) -> Vec<String>,
    known: impl Fn(&str) -> bool,
) -> Result<Vec<Resolved>, Errors> {
    let mut errors = Errors::default();
    let shown = synonyms.shown();
    let shown = || shown.clone();
    let mut edges: Vec<(Vec<String>, Vec<String>, usize)> = Vec::new();
    let mut names = Vec::new();
    for rule in &synonyms.rules {
        let name = terms(&rule.name);
        for other in &rule.others {
            let phrase = terms(other);
            if phrase.is_empty() {
                errors.push(Diagnostic::new(
                    Place::at(shown(), rule.line, Some(1)),
                    format!("`{other}` has no word search can use (only punctuation or words such as `the`)"),
                ));
                continue;
            }
            edges.push((phrase, name.clone(), rule.line));
        }
        names.push((name, rule));
    }
    for (name, rule) in names {
        // A name is known when the pages use its words, or when it is
        // itself another name's synonym (a chain).
        let on_pages = !name.is_empty() && name.iter().all(|t| known(t));
        if !on_pages && !edges.iter().any(|(phrase, _, _)| *phrase == name) {
            errors.push(
                Diagnostic::new(
                    Place::at(shown(), rule.line, Some(1)),
                    format!(
                        "`{}` is on no page of the site, so its synonyms would find nothing",
                        rule.name
                    ),
                )
                .hint("check its spelling; name a condition, treatment or word the pages use"),
            );
        }
    }
    let mut resolved = Vec::new();
    for (phrase, name, line) in &edges {
        // Follow the chain: the name may itself be another name's synonym.
        let mut seen = vec![phrase.clone()];
        let mut target = name.clone();
        let mut cycle = false;
        while let Some((_, next, _)) = edges.iter().find(|(p, _, _)| *p == target) {
            if seen.contains(&target) {
                cycle = true;
                break;
            }
            seen.push(target.clone());
            target = next.clone();
        }
        if cycle || target == *phrase {
            errors.push(
                Diagnostic::new(
                    Place::at(shown(), *line, Some(1)),
                    format!(
                        "`{}` leads back to itself through the synonyms",
                        phrase.join(" ")
                    ),
                )
                .hint(
                    "a synonym may lead to a name only once: remove one of the entries that loop",
                ),
            );
            continue;
        }
        resolved.push(Resolved {
            phrase: phrase.clone(),
            name: target,
            line: *line,
        });
    }
    if errors.is_empty() {
        Ok(resolved)
    } else {
        // A cycle is found from each of its entries: report each line once.
        let mut seen = std::collections::HashSet::new();
        Err(errors
            .into_iter()
            .filter(|e| seen.insert(e.to_string()))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        crate::words::words(text, |w| out.push(w.into_owned()));
        out
    }

    #[test]
    fn parses_lists_and_single_words_with_lines() {
        let s = parse("# patients' words\nplantar fasciitis: [heel pain, arch pain]\n\"physical therapy\":\n  - PT\n  - physio\nknee: kneecap\n").unwrap();
        assert_eq!(s.rules.len(), 3);
        assert_eq!(s.rules[0].name, "plantar fasciitis");
        assert_eq!(s.rules[0].others, ["heel pain", "arch pain"]);
        assert_eq!(s.rules[0].line, 2);
        assert_eq!(s.rules[1].line, 3);
        assert_eq!(s.rules[1].others, ["PT", "physio"]);
        assert_eq!(s.rules[2].others, ["kneecap"]);
    }

    #[test]
    fn bad_files_are_errors_with_lines() {
        let err = parse("a: [b\nc: d\n").unwrap_err();
        assert!(
            err[0]
                .to_string()
                .starts_with("content/search-synonyms.yaml:"),
            "{}",
            err[0]
        );
        let err = parse("ok: [b]\nknee:\n  nested: map\n").unwrap_err();
        assert_eq!(err[0].place.line, Some(2));
        assert!(err[0].message.contains("list of words"), "{}", err[0]);
        let err = parse("- a\n- b\n").unwrap_err();
        assert!(
            err[0]
                .to_string()
                .contains("content/search-synonyms.yaml:1"),
            "{}",
            err[0]
        );
    }

    #[test]
    fn resolve_follows_chains_and_refuses_unknown_names_and_cycles() {
        let known = |t: &str| ["plantar", "fasciitis", "knee"].contains(&t);
        let s = parse("plantar fasciitis: [heel pain]\nheel pain: [sore heel]\n").unwrap();
        let resolved = resolve(&s, words, known).unwrap();
        assert_eq!(resolved.len(), 2);
        assert_eq!(resolved[1].phrase, ["sore", "heel"]);
        assert_eq!(
            resolved[1].name,
            ["plantar", "fasciitis"],
            "a chain leads to the first name"
        );

        let s = parse("plantr fasciitis: [heel pain]\n").unwrap();
        let err = resolve(&s, words, known).unwrap_err();
        assert_eq!(err.len(), 1);
        assert!(err.0[0]
            .to_string()
            .starts_with("content/search-synonyms.yaml:1:1: `plantr fasciitis` is on no page"));

        let s = parse("knee: [kneecap]\nkneecap: [knee]\n").unwrap();
        let err = resolve(&s, words, |_| true).unwrap_err();
        assert!(err.0[0].message.contains("leads back to itself"), "{}", err);
        assert_eq!(err.0[0].place.line, Some(1));
        let s = parse("knee: [knee]\n").unwrap();
        assert!(resolve(&s, words, |_| true).is_err());
    }
}
