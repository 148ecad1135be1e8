//! Partials rendered once per language instead of once per page, as
//! Hugo's `partialCached` is: a template shows one with
//! `{{ once["partials/contact.html"] }}`. Such a partial sees `site` and
//! `tr`, never `page`. The default footer's clinics and phone numbers,
//! the same on every page, were 5% of a build's instructions while every
//! page rendered them again.

use tera::{Context, Tera, Value};

use crate::error::Diagnostic;
use crate::theme::Theme;

/// The partials `sources` show through `once`: each string literal right
/// after `once[`, kept if `is_template` knows it (another name fails where
/// a template shows it, with Tera's message and line).
pub fn names<'a>(
    sources: impl IntoIterator<Item = &'a str>,
    is_template: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for source in sources {
        let mut rest = source;
        while let Some(at) = rest.find("once[") {
            rest = &rest[at + "once[".len()..];
            let literal = rest.trim_start();
            let Some(quote) = literal
                .chars()
                .next()
                .filter(|c| matches!(c, '"' | '\'' | '`'))
            else {
                continue;
            };
            let inside = &literal[quote.len_utf8()..];
            let Some(end) = inside.find(quote) else {
                continue;
            };
            let name = &inside[..end];
            if is_template(name) && !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    names
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
    let mut map = tera::Map::new();
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
    fn names_are_the_literals_after_once_that_name_templates() {
        let sources = [
            r#"<footer>{{ once["partials/contact.html"] }}</footer>"#,
            "{{ once[ 'partials/head.html' ] }} {{ once[\"partials/contact.html\"] }}",
            r#"{{ once[name] }} {{ once["partials/missing.html"] }} {{ once["open"#,
        ];
        let known = ["partials/contact.html", "partials/head.html"];
        assert_eq!(
            names(sources, |n| known.contains(&n)),
            ["partials/contact.html", "partials/head.html"]
        );
    }
}
