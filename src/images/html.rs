//! A processed picture as HTML: `<picture>` with a WebP `<source>` and an
//! `<img>` in the picture's own format, each with `srcset` and `sizes`,
//! and `width` and `height` so the page does not move as it loads.

use super::{Format, Picture};

/// The space a picture takes in the default theme's column (60ch wide,
/// about 38rem): the browser picks the file from it before any CSS loads.
pub const SIZES: &str = "(min-width: 40rem) 38rem, 100vw";

/// How to print one picture.
#[derive(Debug, Clone, Copy)]
pub struct Attributes<'a> {
    pub alt: &'a str,
    pub title: Option<&'a str>,
    /// `sizes`: how wide the picture shows (see [`SIZES`]).
    pub sizes: &'a str,
    /// Loaded at once (the page's first picture); the others get
    /// `loading="lazy" decoding="async"`.
    pub eager: bool,
    /// `fetchpriority="high"`: the page's lead picture.
    pub priority: bool,
}

/// The HTML of `picture`; `url` turns a file from `content/` into the
/// address to print.
pub fn picture_html(picture: &Picture, url: &dyn Fn(&str) -> String, attrs: &Attributes) -> String {
    let Some(fallback) = picture.fallback() else {
        return String::new();
    };
    let srcset = |format: Format| {
        picture
            .of(format)
            .map(|v| format!("{} {}w", escape(&url(&v.rel)), v.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sizes = escape(attrs.sizes);
    let mut html = String::new();
    let webp_source = fallback.format != Format::Webp && picture.of(Format::Webp).next().is_some();
    if webp_source {
        html.push_str(&format!(
            "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\">",
            srcset(Format::Webp)
        ));
    }
    html.push_str(&format!(
        "<img src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\" alt=\"{}\"",
        escape(&url(&fallback.rel)),
        srcset(fallback.format),
        picture.width,
        picture.height,
        escape(attrs.alt),
    ));
    if let Some(title) = attrs.title.filter(|t| !t.is_empty()) {
        html.push_str(&format!(" title=\"{}\"", escape(title)));
    }
    if attrs.priority {
        html.push_str(" fetchpriority=\"high\"");
    }
    if !attrs.eager {
        html.push_str(" loading=\"lazy\" decoding=\"async\"");
    }
    html.push('>');
    if webp_source {
        html.push_str("</picture>");
    }
    html
}

/// Text for a double-quoted attribute.
pub fn escape(text: &str) -> String {
    // Nearly always nothing to escape: found in one branch-free pass.
    let special = |b: u8| matches!(b, b'&' | b'"' | b'<' | b'>');
    if !text.bytes().fold(false, |any, b| any | special(b)) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_text_is_escaped_or_kept_as_it_is() {
        assert_eq!(escape("Knee pain"), "Knee pain");
        assert_eq!(escape(""), "");
        assert_eq!(
            escape("Tom & Jerry's \"<b>\" café"),
            "Tom &amp; Jerry's &quot;&lt;b&gt;&quot; café"
        );
        assert_eq!(escape(&"a".repeat(40)), "a".repeat(40));
        assert_eq!(
            escape(&format!("{}>", "a".repeat(40))),
            format!("{}&gt;", "a".repeat(40))
        );
    }
}
