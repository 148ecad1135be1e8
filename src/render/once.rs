//! Partials rendered once per language instead of once per page, as
//! Hugo's `partialCached` is: a template shows one with
//! `{{ once["partials/contact.html"] }}`. Such a partial sees `site` and
//! `tr`, never `page`. The default footer's clinics and phone numbers,
//! the same on every page, were 5% of a build's instructions while every
//! page rendered them again.

use tera::{Context, Tera, Value};

use super::tags::Token;
use crate::error::{Diagnostic, Errors, Place};
use crate::theme::Theme;

/// The partials `sources` (name and text of each template) show through
/// `once`: each string literal after `once[` outside comments, once. A
/// name that is no template is an error at the template naming it.
pub fn names(sources: &[(String, String)], theme: &Theme) -> Result<Vec<String>, Errors> {
    let mut names: Vec<String> = Vec::new();
    let mut errors = Errors::default();
    for (template, text) in sources {
        for (at, name) in shown(text) {
            if !theme.templates.contains_key(&name) {
                let file = theme
                    .templates
                    .get(template)
                    .map_or_else(|| std::path::PathBuf::from(template), |f| f.shown.clone());
                let line = crate::error::line_of_byte(text.as_bytes(), at);
                let known = theme.templates.keys().map(String::as_str);
                errors.push(
                    Diagnostic::new(
                        Place::at(file, line, None),
                        format!(
                            "`once[\"{name}\"]` names no template{}",
                            crate::suggest::did_you_mean(&name, known)
                        ),
                    )
                    .hint(format!(
                        "add templates/{name} to the theme, or name one it has"
                    )),
                );
            } else if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    errors.into_result(names)
}

/// Each `once["<name>"]` in the tags of `text`: where its tag
/// opens and the literal's text.
fn shown(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    super::tags::each_tag(text, |at, code, _| {
        let tokens = super::tags::tokens(code);
        for window in tokens.windows(4) {
            if let [Token::Name("once"), Token::Other('['), Token::Str(name), Token::Other(']')] =
                window
            {
                found.push((at, name.clone()));
            }
        }
    });
    found
}

/// Renders each of `names` with `site` and `tr` alone: the map templates
/// see as `once`, by name, of HTML shown as it is (not escaped again).
pub fn render(
    tera: &Tera,
    theme: &Theme,
    names: &[String],
    site: &Value,
    tr: &Value,
) -> Result<Value, Diagnostic> {
    let mut map = tera::Map::default();
    if names.is_empty() {
        return Ok(Value::from(map));
    }
    let mut context = Context::new();
    context.insert_value("site", site.clone());
    context.insert_value("tr", tr.clone());
    for name in names {
        let mut out = Vec::new();
        tera.render_to(name, &context, &mut out).map_err(|err| {
            super::template_error(theme, Some(name), &err).hint(format!(
                "a partial shown with `once[\"{name}\"]` is rendered once for the whole \
                 site, so it sees only `site` and `tr`; to use the page, include it with \
                 `{{% include \"{name}\" %}}` instead"
            ))
        })?;
        let html = String::from_utf8_lossy(&out);
        map.insert(name.clone().into(), Value::safe_string(&html));
    }
    Ok(Value::from(map))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_is_found_with_its_literal_outside_comments() {
        let text = r#"<footer>{{ once["partials/contact.html"] }}</footer>
{{ once [ 'partials/head.html' ] }} {# once["partials/in-a-comment.html"] #}
{{ sconce["partials/not-once.html"] }} {{ once[name] }} {{ once["open"#;
        let names: Vec<String> = shown(text).into_iter().map(|(_, name)| name).collect();
        assert_eq!(names, ["partials/contact.html", "partials/head.html"]);
        let at = shown(text).get(1).map(|(at, _)| *at);
        assert_eq!(
            at.map(|at| crate::error::line_of_byte(text.as_bytes(), at)),
            Some(2)
        );
    }
}
