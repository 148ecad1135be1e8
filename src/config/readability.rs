//! `readability:` in site.yaml: the readability limit for each language
//! `handout check` scores, read strictly, with errors at the key's line.

use serde::Deserialize;

/// `readability:` in site.yaml: the limit `handout check` holds each
/// language's pages to. English is written at the top, as it always was;
/// another language under its code:
///
/// ```yaml
/// readability:
///   max_grade: 8        # English: the highest Flesch-Kincaid grade
///   es:
///     min_inflesz: 55   # Spanish: the lowest INFLESZ score
/// ```
///
/// A language handout has no formulas for (`fr:`) is an error, as is any
/// other unknown key.
#[derive(Debug, Clone, PartialEq)]
pub struct Readability {
    /// English pages: the highest Flesch-Kincaid grade.
    pub max_grade: f64,
    /// Spanish pages.
    pub es: SpanishReadability,
}

fn default_max_grade() -> f64 {
    8.0
}

impl Default for Readability {
    fn default() -> Self {
        Readability {
            max_grade: default_max_grade(),
            es: SpanishReadability::default(),
        }
    }
}

/// `readability: {es: ...}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpanishReadability {
    /// The lowest INFLESZ score: 55 is where the scale's "normal" begins,
    /// the level Barrio-Cantalejo et al. (2008) ask of patient texts.
    #[serde(default = "default_min_inflesz")]
    pub min_inflesz: f64,
}

fn default_min_inflesz() -> f64 {
    55.0
}

impl Default for SpanishReadability {
    fn default() -> Self {
        SpanishReadability {
            min_inflesz: default_min_inflesz(),
        }
    }
}

/// The keys `readability:` takes; a language's key is its code.
const READABILITY_KEYS: &[&str] = &["max_grade", "es"];

impl<'de> Deserialize<'de> for Readability {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ReadabilityVisitor)
    }
}

struct ReadabilityVisitor;

impl<'de> serde::de::Visitor<'de> for ReadabilityVisitor {
    type Value = Readability;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("`key: value` fields")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Readability, A::Error> {
        use serde::de::Error;
        let mut out = Readability::default();
        let mut seen = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                return Err(A::Error::custom(format!("duplicate field `{key}`")));
            }
            match key.as_str() {
                "max_grade" => {
                    out.max_grade = map.next_value()?;
                    if !(0.0..=30.0).contains(&out.max_grade) {
                        return Err(A::Error::custom(format!(
                            "`max_grade` is {}: give a school grade from 0 to 30, like 8",
                            out.max_grade
                        )));
                    }
                }
                "es" => {
                    out.es = map.next_value()?;
                    if !(0.0..=100.0).contains(&out.es.min_inflesz) {
                        return Err(A::Error::custom(format!(
                            "`min_inflesz` is {}: give an INFLESZ score from 0 to 100, like 55",
                            out.es.min_inflesz
                        )));
                    }
                }
                "en" => {
                    return Err(A::Error::custom(
                        "`en` is not a key here: English limits are written directly under \
                         `readability:`, like `max_grade: 8`",
                    ))
                }
                other
                    if crate::suggest::nearest(other, READABILITY_KEYS.iter().copied())
                        .is_none()
                        && looks_like_language(other) =>
                {
                    return Err(A::Error::custom(format!(
                        "handout has no readability formulas for language `{other}`: \
                         it scores English (`max_grade`) and Spanish (`es: {{min_inflesz: 55}}`); \
                         remove `{other}:`"
                    )))
                }
                other => return Err(A::Error::unknown_field(other, READABILITY_KEYS)),
            }
            seen.push(key);
        }
        Ok(out)
    }
}

/// A BCP 47 language tag: a language (`fr`, `fil`), maybe with a script
/// (`zh-Hant`) and a region (`pt-BR`, `es-419`).
fn looks_like_language(key: &str) -> bool {
    let mut parts = key.split('-');
    let language = parts.next().unwrap_or("");
    let letters = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
    };
    letters(language, 2..=3)
        && parts.all(|p| {
            letters(p, 2..=2)
                || letters(p, 4..=4)
                || (p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// serde places a problem inside `readability:` at the start of its map;
/// this moves it to the line of the key the message names (the second one,
/// for a key set twice).
pub(super) fn place_problem(text: &str, problem: &mut crate::yaml::YamlProblem) {
    if !problem.message.starts_with("readability") {
        return;
    }
    let Some(key) = problem.message.split('`').nth(1) else {
        return;
    };
    let key = key.trim_end_matches(':');
    let places = crate::yaml::lines::nested_key_places(text, "readability", key);
    let twice = problem.message.contains("duplicate field");
    if let Some(&(line, column)) = places.get(usize::from(twice)) {
        problem.line = line;
        problem.column = column;
        if let Some(at) = problem.message.find(" that starts at line ") {
            let end = problem.message[at..]
                .find(':')
                .map_or(problem.message.len(), |e| at + e);
            problem.message.replace_range(at..end, "");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;

    fn readability(yaml: &str) -> Result<Readability, String> {
        let text = format!("title: A\nbase_url: https://a.org\nreadability:\n{yaml}");
        Config::parse(Path::new("."), &text, None)
            .map(|c| c.readability)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn readability_limits_per_language() {
        assert_eq!(
            readability("  max_grade: 6\n"),
            Ok(Readability {
                max_grade: 6.0,
                es: SpanishReadability { min_inflesz: 55.0 },
            })
        );
        assert_eq!(
            readability("  max_grade: 7.5\n  es:\n    min_inflesz: 60\n"),
            Ok(Readability {
                max_grade: 7.5,
                es: SpanishReadability { min_inflesz: 60.0 },
            })
        );
        assert_eq!(readability("  es: {}\n"), Ok(Readability::default()));
        let config =
            Config::parse(Path::new("."), "title: A\nbase_url: https://a.org\n", None).unwrap();
        assert_eq!(config.readability, Readability::default());
        assert_eq!(config.readability.max_grade, 8.0);
        assert_eq!(config.readability.es.min_inflesz, 55.0);
    }

    #[test]
    fn readability_refuses_unknown_languages_and_keys() {
        let cases = [
            (
                "  fr:\n    min_grade: 8\n",
                "site.yaml:4:3: readability: handout has no readability formulas for language \
                 `fr`: it scores English (`max_grade`) and Spanish (`es: {min_inflesz: 55}`); \
                 remove `fr:`",
            ),
            (
                "  max_grade: 8\n  pt-BR: {}\n",
                "site.yaml:5:3: readability: handout has no readability formulas for language \
                 `pt-BR`",
            ),
            (
                "  en: {max_grade: 8}\n",
                "site.yaml:4:3: readability: `en` is not a key here",
            ),
            (
                "  max_grad: 8\n",
                "site.yaml:4:3: readability: unknown field `max_grad`, did you mean `max_grade`?",
            ),
            (
                "  max: 8\n",
                "site.yaml:4:3: readability: unknown field `max`, did you mean `max_grade`?",
            ),
            (
                "  es:\n    max_grade: 8\n",
                "site.yaml:5:5: readability.es: unknown field `max_grade`; the known keys here \
                 are `min_inflesz`",
            ),
            (
                "  es:\n    min_inflesz: 120\n",
                "site.yaml:5:5: readability: `min_inflesz` is 120: give an INFLESZ score from 0 \
                 to 100, like 55",
            ),
            (
                "  max_grade: -1\n",
                "site.yaml:4:3: readability: `max_grade` is -1: give a school grade",
            ),
            (
                "  max_grade: 8\n  max_grade: 9\n",
                "site.yaml:5:3: `max_grade` is set twice (first on line 4)",
            ),
            (
                "  {max_grade: 8, de: {}}\n",
                "site.yaml:4:18: readability: handout has no readability formulas for language \
                 `de`",
            ),
        ];
        for (yaml, want) in cases {
            let err = readability(yaml).unwrap_err();
            assert!(err.starts_with(want), "{yaml:?}:\n{err}\nwant:\n{want}");
        }
    }
}
