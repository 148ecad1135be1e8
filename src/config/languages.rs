//! `languages:` in site.yaml: the site's other languages, each with its own
//! words for the site (title, description, disclaimer, brand name), and
//! the checks on language codes (BCP 47, as `<html lang>` takes them).

use std::collections::BTreeMap;

use serde::Deserialize;

/// One language under `languages:`, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLanguage {
    title: String,
    description: Option<String>,
    disclaimer: String,
    #[serde(default)]
    brand: LanguageBrand,
}

/// `brand:` of a language: only its words; the phone number and booking
/// link are the site's, the same in every language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageBrand {
    name: Option<String>,
}

/// A language of the site other than the default one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// As written in site.yaml: `es`, `es-US`.
    pub code: String,
    /// The folder of its pages: `es/`.
    pub prefix: String,
    pub title: String,
    pub description: Option<String>,
    pub disclaimer: String,
    /// The brand's name in this language; none keeps the site's.
    pub brand_name: Option<String>,
    /// The line of its key in site.yaml.
    pub line: usize,
}

impl Language {
    /// The code as file names carry it (`x.es.md`): lowercase.
    pub fn file_code(&self) -> String {
        self.code.to_ascii_lowercase()
    }
}

/// Reads `languages:`, checking each code; `Err` is (the code's line, the
/// message).
pub(super) fn read(
    text: &str,
    default: &str,
    raw: BTreeMap<String, RawLanguage>,
) -> Result<Vec<Language>, (usize, String)> {
    let mut languages = Vec::new();
    for (code, language) in raw {
        let line = code_line(text, &code);
        if let Err(message) = check_code(&code) {
            return Err((line, message));
        }
        if code.eq_ignore_ascii_case(default) {
            return Err((line, format!(
                "`{code}` is the site's default language (`language:`); `languages:` lists the others"
            )));
        }
        if language.title.trim().is_empty() {
            return Err((
                line,
                format!("`{code}` has an empty `title`: give the site's name in that language"),
            ));
        }
        languages.push(Language {
            prefix: format!("{}/", code.to_ascii_lowercase()),
            code,
            title: language.title,
            description: language.description,
            disclaimer: language.disclaimer,
            brand_name: language.brand.name,
            line,
        });
    }
    Ok(languages)
}

/// The line of `code:` inside `languages:` (the line of `languages:` when
/// it cannot be told).
fn code_line(text: &str, code: &str) -> usize {
    let start = crate::yaml::lines::key_line(text, "languages");
    text.lines()
        .enumerate()
        .skip(start)
        .find(|(_, line)| {
            let trimmed = line.trim_start();
            trimmed.len() < line.len()
                && trimmed
                    .trim_start_matches(['"', '\''])
                    .strip_prefix(code)
                    .is_some_and(|rest| rest.trim_start_matches(['"', '\'']).starts_with(':'))
        })
        .map_or(start, |(i, _)| i + 1)
}

/// A BCP 47 language tag as sites use them: a language (`es`), then an
/// optional script (`Latn`) and region (`US`, `419`). A two-letter language
/// must be one of ISO 639-1's.
///
/// ```
/// use handout::config::check_code;
/// assert!(check_code("es").is_ok());
/// assert!(check_code("es-419").is_ok());
/// assert!(check_code("zh-Hant-TW").is_ok());
/// assert!(check_code("sp").is_err());
/// assert!(check_code("spanish").is_err());
/// ```
pub fn check_code(code: &str) -> Result<(), String> {
    let mut parts = code.split('-');
    let language = parts.next().unwrap_or_default();
    let malformed = || {
        format!(
            "`{code}` is not a language code: write a BCP 47 tag such as `es`, `es-US` or `zh-Hant`"
        )
    };
    if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(malformed());
    }
    let lower = language.to_ascii_lowercase();
    if language.len() == 2 && !ISO_639_1.contains(&lower.as_str()) {
        let hint = crate::suggest::did_you_mean(&lower, ISO_639_1.iter().copied());
        return Err(format!(
            "`{code}` is not a language code: `{language}` is not an ISO 639-1 language{hint}"
        ));
    }
    let mut seen_script = false;
    let mut seen_region = false;
    for part in parts {
        let alpha = part.bytes().all(|b| b.is_ascii_alphabetic());
        let digits = part.bytes().all(|b| b.is_ascii_digit());
        if part.len() == 4 && alpha && !seen_script && !seen_region {
            seen_script = true;
        } else if ((part.len() == 2 && alpha) || (part.len() == 3 && digits)) && !seen_region {
            seen_region = true;
        } else {
            return Err(malformed());
        }
    }
    Ok(())
}

/// Whether a file name's last part before `.md` (`es` in `x.es.md`) is a
/// language code: a well-formed tag whose language is two letters of
/// ISO 639-1, so `node.js.md` stays a page of its own.
pub fn looks_like_code(part: &str) -> bool {
    let language = part.split('-').next().unwrap_or_default();
    language.len() == 2
        && language.bytes().all(|b| b.is_ascii_lowercase())
        && check_code(part).is_ok()
}

/// The two-letter language codes of ISO 639-1.
const ISO_639_1: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bi",
    "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de",
    "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy",
    "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia",
    "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk",
    "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo",
    "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd",
    "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl",
    "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl",
    "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk",
    "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa",
    "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        for good in ["es", "en-US", "es-419", "zh-Hant", "zh-Hant-TW", "haw"] {
            assert!(check_code(good).is_ok(), "{good}");
        }
        for bad in [
            "", "e", "spanish", "sp", "es_US", "es-", "es-USA1", "es-US-MX", "1a",
        ] {
            assert!(check_code(bad).is_err(), "{bad}");
        }
        assert!(check_code("sp").unwrap_err().contains("ISO 639-1"));
    }

    #[test]
    fn file_name_parts() {
        assert!(looks_like_code("es"));
        assert!(looks_like_code("es-US"));
        assert!(!looks_like_code("js"));
        assert!(!looks_like_code("v2"));
        assert!(!looks_like_code("ES"));
    }
}
