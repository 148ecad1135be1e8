//! Shortcodes: a paragraph that is only `{{ name }}` or
//! `{{ name key="value" ... }}` is replaced by the theme's
//! `shortcodes/<name>.html`. This module parses calls and the argument
//! lists templates declare, and checks one against the other.

use std::collections::BTreeMap;

/// One `{{ name key="value" }}` in a page body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub name: String,
    pub args: Vec<(String, String)>,
    /// Body line (1-based, counted in the body).
    pub line: usize,
}

impl Call {
    pub fn arg(&self, key: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The arguments a shortcode template takes, from its first line:
/// `{# args: name?, label #}` (`?` marks an optional one). A template
/// without that line takes none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spec {
    pub args: Vec<ArgSpec>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgSpec {
    pub name: String,
    pub required: bool,
}

/// Shortcode specs by name.
pub type Specs = BTreeMap<String, Spec>;

/// Whether a paragraph's source is written as a shortcode (starts `{{`).
pub fn looks_like_call(source: &str) -> bool {
    source.trim_start().starts_with("{{")
}

/// Parses a paragraph's source as a call; the error says what to fix.
pub fn parse_call(source: &str, line: usize) -> Result<Call, String> {
    let text = source.trim();
    let inner = text.strip_prefix("{{").unwrap_or(text);
    let Some(end) = inner.find("}}") else {
        return Err(format!(
            "`{}` opens a shortcode with `{{{{` but never closes it: end it with `}}}}`",
            first_line(text)
        ));
    };
    let (inside, after) = inner.split_at(end);
    if !after.trim_start_matches("}}").trim().is_empty() {
        return Err(format!(
            "a shortcode stands alone in its paragraph: put `{}` on its own line, with a blank line before and after",
            first_line(text)
        ));
    }
    let inside = inside.trim();
    let name_end = inside.find(char::is_whitespace).unwrap_or(inside.len());
    let (name, rest) = inside.split_at(name_end);
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(format!(
            "`{}` is not a shortcode name: write `{{{{ name }}}}`, like `{{{{ comparison }}}}`",
            if name.is_empty() { "{{ }}" } else { name }
        ));
    }
    Ok(Call {
        name: name.to_string(),
        args: parse_args(rest)?,
        line,
    })
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

/// `key="value" other='value'`
fn parse_args(mut rest: &str) -> Result<Vec<(String, String)>, String> {
    let mut args: Vec<(String, String)> = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Ok(args);
        }
        let Some((key, after)) = rest.split_once('=') else {
            return Err(format!(
                "shortcode arguments are written key=\"value\"; found `{}`",
                rest.trim()
            ));
        };
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!(
                "`{key}` is not an argument name: use letters, digits and `_`"
            ));
        }
        let after = after.trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            return Err(format!(
                "the value of `{key}` must be in quotes: {key}=\"...\""
            ));
        };
        let body = &after[1..];
        let Some(close) = body.find(quote) else {
            return Err(format!("the value of `{key}` has no closing {quote}"));
        };
        if args.iter().any(|(k, _)| k == key) {
            return Err(format!("the argument `{key}` is given twice"));
        }
        args.push((key.to_string(), body[..close].to_string()));
        rest = &body[close + 1..];
    }
}

/// Reads `{# args: a, b? #}` from the start of a shortcode template.
pub fn parse_spec(template: &str) -> Spec {
    let text = template.trim_start();
    let Some(comment) = text
        .strip_prefix("{#")
        .map(|c| c.trim_start_matches('-'))
        .and_then(|c| {
            c.split_once("#}")
                .map(|(inside, _)| inside.trim_end_matches('-'))
        })
    else {
        return Spec::default();
    };
    let Some(list) = comment.trim().strip_prefix("args:") else {
        return Spec::default();
    };
    let args = list
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| ArgSpec {
            name: a.trim_end_matches('?').trim().to_string(),
            required: !a.ends_with('?'),
        })
        .collect();
    Spec { args }
}

/// Checks a call against the shortcodes the theme has.
pub fn check(call: &Call, specs: &Specs) -> Result<(), String> {
    let Some(spec) = specs.get(&call.name) else {
        let hint = crate::suggest::did_you_mean(&call.name, specs.keys().map(String::as_str));
        let known: Vec<&str> = specs.keys().map(String::as_str).collect();
        return Err(format!(
            "there is no shortcode `{}`{hint} (the theme has: {})",
            call.name,
            known.join(", ")
        ));
    };
    for (key, _) in &call.args {
        if !spec.args.iter().any(|a| &a.name == key) {
            let names: Vec<&str> = spec.args.iter().map(|a| a.name.as_str()).collect();
            let takes = if names.is_empty() {
                "takes no arguments".to_string()
            } else {
                format!("takes {}", names.join(", "))
            };
            let hint = crate::suggest::did_you_mean(key, names.iter().copied());
            return Err(format!(
                "shortcode `{}` has no argument `{key}`{hint} (it {takes})",
                call.name
            ));
        }
    }
    if let Some(missing) = spec
        .args
        .iter()
        .find(|a| a.required && call.arg(&a.name).is_none())
    {
        return Err(format!(
            "shortcode `{}` needs the argument `{}`: write {{{{ {} {}=\"...\" }}}}",
            call.name, missing.name, call.name, missing.name
        ));
    }
    Ok(())
}

/// The marker left in a body's HTML where call `n` goes; render replaces it.
pub fn marker(n: usize) -> String {
    format!("<!--handout-shortcode-{n}-->")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls() {
        let call = parse_call("{{ comparison }}", 3).unwrap();
        assert_eq!(
            (call.name.as_str(), call.args.len(), call.line),
            ("comparison", 0, 3)
        );
        let call = parse_call("{{ comparison name=\"cost\" label='A \"b\"' }}\n", 1).unwrap();
        assert_eq!(call.arg("name"), Some("cost"));
        assert_eq!(call.arg("label"), Some("A \"b\""));
        assert_eq!(parse_call("{{cta}}", 1).unwrap().name, "cta");
    }

    #[test]
    fn bad_calls_say_what_to_fix() {
        for (source, needle) in [
            ("{{ comparison", "never closes"),
            ("{{ cta }} and text", "stands alone"),
            ("{{ }}", "not a shortcode name"),
            ("{{ a b }}", "key=\"value\""),
            ("{{ a b=c }}", "must be in quotes"),
            ("{{ a b=\"c }}", "no closing"),
            ("{{ a b=\"1\" b=\"2\" }}", "given twice"),
        ] {
            let err = parse_call(source, 1).unwrap_err();
            assert!(err.contains(needle), "{source}: {err}");
        }
    }

    #[test]
    fn specs() {
        assert_eq!(parse_spec("<p>no args</p>"), Spec::default());
        let spec = parse_spec("{#- args: name?, label -#}\n<p>{{ label }}</p>");
        assert_eq!(
            spec.args,
            vec![
                ArgSpec {
                    name: "name".into(),
                    required: false
                },
                ArgSpec {
                    name: "label".into(),
                    required: true
                }
            ]
        );
    }

    #[test]
    fn checks() {
        let mut specs = Specs::new();
        specs.insert("comparison".into(), parse_spec("{# args: name? #}"));
        specs.insert("cta".into(), Spec::default());
        specs.insert("quote".into(), parse_spec("{# args: text #}"));
        let check_src = |src: &str| check(&parse_call(src, 1).unwrap(), &specs);
        assert!(check_src("{{ comparison }}").is_ok());
        assert!(check_src("{{ comparison name=\"a\" }}").is_ok());
        assert!(check_src("{{ comparisn }}")
            .unwrap_err()
            .contains("did you mean `comparison`"));
        assert!(check_src("{{ cta x=\"1\" }}")
            .unwrap_err()
            .contains("takes no arguments"));
        assert!(check_src("{{ comparison nme=\"a\" }}")
            .unwrap_err()
            .contains("did you mean `name`"));
        assert!(check_src("{{ quote }}")
            .unwrap_err()
            .contains("needs the argument `text`"));
    }
}
