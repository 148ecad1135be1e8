//! WordPress's own markup inside post HTML, turned into plain HTML before
//! conversion: block-editor comments (`<!-- wp:... -->`) stripped, reusable
//! blocks put in place, and the shortcodes `[caption]`, `[gallery]` and
//! `[embed]` made into figures and links. Any other shortcode is kept as
//! text and reported: WordPress made its output, and only a person can
//! say what should stand there now.

use std::collections::{HashMap, HashSet};

/// An uploaded image a gallery can show.
#[derive(Debug, Clone, Default)]
pub struct Attachment {
    pub url: String,
    pub alt: String,
    pub caption: String,
    /// The post it was uploaded to.
    pub parent: u64,
    pub order: (i64, u64),
}

/// What shortcodes and blocks can refer to.
#[derive(Debug, Default)]
pub struct Library {
    /// Uploads by attachment id.
    pub attachments: HashMap<u64, Attachment>,
    /// Reusable blocks (`wp_block` items) by id.
    pub blocks: HashMap<u64, String>,
}

/// Rewrites `html` of the post `post_id`; `notes` gets what a person
/// should check.
pub fn expand(html: &str, post_id: u64, library: &Library, notes: &mut Vec<String>) -> String {
    let html = blocks(html, library, notes, 0);
    shortcodes(&html, post_id, library, notes, 0)
}

/// Block comments out; reusable blocks in (up to a few levels deep);
/// dynamic blocks, which WordPress fills in as the page is shown, noted.
fn blocks(html: &str, library: &Library, notes: &mut Vec<String>, depth: usize) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 4..];
        let Some(end) = after.find("-->") else {
            // An unclosed comment hides the rest of the post in a browser
            // too; keep it as written for the HTML stage to report.
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = after[..end].trim();
        rest = &after[end + 3..];
        if inner == "more" || inner == "nextpage" || inner.starts_with("/wp:") {
            continue;
        }
        let Some(block) = inner.strip_prefix("wp:") else {
            continue;
        };
        let name = block
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default();
        if name == "block" {
            let id = json_number(block, "ref");
            match id.and_then(|id| library.blocks.get(&id)) {
                Some(content) if depth < 4 => {
                    out.push_str(&blocks(content, library, notes, depth + 1));
                }
                _ => notes.push(format!(
                    "a reusable block (id {}) was not in the export and is left out: add its text by hand",
                    id.map_or("?".to_string(), |id| id.to_string())
                )),
            }
        } else if inner.ends_with('/') && !QUIET_BLOCKS.contains(&name) {
            notes.push(format!(
                "the block wp:{name} shows something WordPress made as the page was shown; it was left out: add what should stand there by hand"
            ));
        }
    }
    out.push_str(rest);
    out
}

/// Self-closing blocks that show nothing worth keeping.
const QUIET_BLOCKS: [&str; 4] = ["more", "nextpage", "spacer", "separator"];

/// The number after `"key":` in a block comment's attributes.
fn json_number(text: &str, key: &str) -> Option<u64> {
    let at = text.find(&format!("\"{key}\""))?;
    let after = text[at + key.len() + 2..].trim_start().strip_prefix(':')?;
    let digits: String = after
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// A shortcode as written: its name, its attributes, and what it encloses.
struct Shortcode<'a> {
    name: &'a str,
    attrs: Vec<(String, String)>,
    content: Option<&'a str>,
}

impl Shortcode<'_> {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// `depth`: how many shortcodes enclose `html` (past a few, what they
/// enclose is kept as it is).
fn shortcodes(
    html: &str,
    post_id: u64,
    library: &Library,
    notes: &mut Vec<String>,
    depth: usize,
) -> String {
    if depth > 8 {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    // Names with no closing tag after some point have none after any later
    // point either: remembered, so a post of many `[x` stays linear.
    let mut unclosed: HashSet<String> = HashSet::new();
    while let Some(start) = rest.find('[') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        // `[[caption]]` is how WordPress writes a shortcode as text.
        if let Some(escaped) = tail.strip_prefix("[[") {
            if let Some(end) = escaped.find("]]") {
                out.push('[');
                out.push_str(&escaped[..end]);
                out.push(']');
                rest = &escaped[end + 2..];
                continue;
            }
        }
        match parse(tail, &mut unclosed) {
            Some((code, used)) => {
                out.push_str(&render(&code, post_id, library, notes, depth));
                rest = &tail[used..];
            }
            None => {
                out.push('[');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A shortcode at the start of `text`, and how many bytes it takes.
fn parse<'a>(text: &'a str, unclosed: &mut HashSet<String>) -> Option<(Shortcode<'a>, usize)> {
    let body = text.strip_prefix('[')?;
    let name_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(body.len());
    let name = &body[..name_len];
    let after_name = &body[name_len..];
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    if !after_name.starts_with([' ', ']', '/', '\t', '\n']) {
        return None;
    }
    let close = after_name.find(']')?;
    let inside = after_name[..close].trim();
    let self_closing = inside.ends_with('/');
    let attrs = attributes(inside.trim_end_matches('/'));
    let open_len = 1 + name_len + close + 1;
    let known = KNOWN.contains(&name);
    let closing = format!("[/{name}]");
    let content = if self_closing || unclosed.contains(name) {
        None
    } else {
        match text[open_len..].find(&closing) {
            Some(at) => Some((at, &text[open_len..open_len + at])),
            None => {
                unclosed.insert(name.to_string());
                None
            }
        }
    };
    // Text in brackets (`[sic]`) is not a shortcode: only known names, or
    // ones that look made by a plugin (attributes, a closing tag, a dash).
    let looks_like_one =
        known || content.is_some() || !attrs.is_empty() || name.contains(['-', '_']);
    if !looks_like_one {
        return None;
    }
    let used = match content {
        Some((at, _)) => open_len + at + closing.len(),
        None => open_len,
    };
    Some((
        Shortcode {
            name,
            attrs,
            content: content.map(|(_, c)| c),
        },
        used,
    ))
}

/// Shortcodes this importer turns into HTML.
const KNOWN: [&str; 4] = ["caption", "wp_caption", "gallery", "embed"];

/// `key="value" key='v' key=v positional`.
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    let mut rest = text.trim();
    let mut position = 0;
    while !rest.is_empty() {
        let key_len = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = &rest[..key_len];
        let after = rest[key_len..].trim_start();
        if let Some(value_start) = after.strip_prefix('=') {
            let value_start = value_start.trim_start();
            let (value, remaining) = match value_start.chars().next() {
                Some(q @ ('"' | '\'' | '\u{201c}' | '\u{201d}')) => {
                    let inner = &value_start[q.len_utf8()..];
                    let end = inner
                        .find(['"', '\'', '\u{201c}', '\u{201d}'])
                        .unwrap_or(inner.len());
                    let close_len = inner[end..].chars().next().map_or(0, char::len_utf8);
                    (&inner[..end], &inner[end + close_len..])
                }
                _ => {
                    let end = value_start
                        .find(char::is_whitespace)
                        .unwrap_or(value_start.len());
                    (&value_start[..end], &value_start[end..])
                }
            };
            attrs.push((key.to_ascii_lowercase(), value.to_string()));
            rest = remaining.trim_start();
        } else {
            if !key.is_empty() {
                attrs.push((position.to_string(), key.to_string()));
                position += 1;
            }
            rest = after;
        }
    }
    attrs
}

fn render(
    code: &Shortcode,
    post_id: u64,
    library: &Library,
    notes: &mut Vec<String>,
    depth: usize,
) -> String {
    match code.name {
        "caption" | "wp_caption" => caption(code),
        "gallery" => gallery(code, post_id, library, notes),
        "embed" => {
            let url = code.content.unwrap_or_default().trim();
            format!(
                "\n\n<p><a href=\"{url}\">{url}</a></p>\n\n",
                url = escape(url)
            )
        }
        name => {
            notes.push(format!(
                "the shortcode [{name}] was kept as text; WordPress made its output: replace it with what should stand there, or remove it"
            ));
            let mut open = format!("[{name}");
            for (key, value) in &code.attrs {
                if key.parse::<usize>().is_ok() {
                    open.push_str(&format!(" {value}"));
                } else {
                    open.push_str(&format!(" {key}=\"{value}\""));
                }
            }
            open.push(']');
            let mut text = as_text(&open);
            // What it encloses is the post's own text: kept as HTML.
            if let Some(content) = code.content {
                text.push_str(&shortcodes(content, post_id, library, notes, depth + 1));
                text.push_str(&as_text(&format!("[/{name}]")));
            }
            text
        }
    }
}

/// Shortcode text as HTML text, brackets as entities so Markdown never
/// reads a link in it.
fn as_text(shortcode: &str) -> String {
    escape(shortcode)
        .replace('[', "&#91;")
        .replace(']', "&#93;")
}

/// `[caption]<a><img></a> Text[/caption]`: the image (with its link) and
/// the text after it as the caption.
fn caption(code: &Shortcode) -> String {
    let Some(content) = code.content.map(str::trim) else {
        return String::new();
    };
    let image_end = if content.starts_with("<a") {
        content.find("</a>").map(|i| i + 4)
    } else if content.starts_with("<img") {
        content.find('>').map(|i| i + 1)
    } else {
        None
    };
    let (image, text) = match image_end {
        Some(end) => content.split_at(end),
        None => ("", content),
    };
    let text = match code.attr("caption") {
        Some(attr) if text.trim().is_empty() => escape(attr),
        _ => text.trim().to_string(),
    };
    format!("\n\n<figure>{image}<figcaption>{text}</figcaption></figure>\n\n")
}

/// `[gallery ids="1,2"]`, or without ids every image uploaded to the post.
fn gallery(code: &Shortcode, post_id: u64, library: &Library, notes: &mut Vec<String>) -> String {
    let mut images: Vec<&Attachment> = match code.attr("ids").or(code.attr("include")) {
        Some(ids) => ids
            .split(',')
            .filter_map(|id| {
                let id: u64 = id.trim().parse().ok()?;
                let found = library.attachments.get(&id);
                if found.is_none() {
                    notes.push(format!(
                        "a gallery shows the upload with id {id}, which is not in the export: add it by hand"
                    ));
                }
                found
            })
            .collect(),
        None => {
            let mut own: Vec<&Attachment> = library
                .attachments
                .values()
                .filter(|a| a.parent == post_id)
                .collect();
            own.sort_by_key(|a| a.order);
            own
        }
    };
    if images.is_empty() {
        notes.push("a gallery with no images in the export was left out".to_string());
        return String::new();
    }
    images.dedup_by_key(|a| a.url.clone());
    let mut html = String::from("\n\n");
    for image in images {
        html.push_str(&format!(
            "<figure><img src=\"{}\" alt=\"{}\">",
            escape(&image.url),
            escape(&image.alt)
        ));
        if !image.caption.trim().is_empty() {
            html.push_str(&format!(
                "<figcaption>{}</figcaption>",
                image.caption.trim()
            ));
        }
        html.push_str("</figure>\n\n");
    }
    html
}

/// Text for an HTML attribute or element.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(html: &str) -> (String, Vec<String>) {
        let mut library = Library::default();
        library.attachments.insert(
            5,
            Attachment {
                url: "https://c.example/wp-content/uploads/2019/05/a.jpg".into(),
                alt: "A knee".into(),
                caption: "Before".into(),
                parent: 1,
                order: (0, 5),
            },
        );
        library.blocks.insert(
            9,
            "<!-- wp:paragraph --><p>Call us.</p><!-- /wp:paragraph -->".into(),
        );
        let mut notes = Vec::new();
        let out = expand(html, 1, &library, &mut notes);
        (out, notes)
    }

    #[test]
    fn caption_becomes_a_figure() {
        let (out, notes) = run(
            r#"[caption id="attachment_5" align="alignnone" width="300"]<a href="x.jpg"><img src="a.jpg" alt="A" /></a> A <em>knee</em>[/caption]"#,
        );
        assert_eq!(
            out.trim(),
            r#"<figure><a href="x.jpg"><img src="a.jpg" alt="A" /></a><figcaption>A <em>knee</em></figcaption></figure>"#
        );
        assert!(notes.is_empty());
        let (old, _) = run(r#"[caption caption="Old style"]<img src="a.jpg">[/caption]"#);
        assert!(old.contains("<figcaption>Old style</figcaption>"), "{old}");
    }

    #[test]
    fn gallery_by_ids_and_by_parent() {
        let (out, _) = run(r#"[gallery ids="5"]"#);
        assert!(out.contains(r#"<img src="https://c.example/wp-content/uploads/2019/05/a.jpg" alt="A knee"><figcaption>Before</figcaption>"#), "{out}");
        let (own, _) = run("[gallery columns=\"2\"]");
        assert!(own.contains("a.jpg"));
        let (missing, notes) = run(r#"[gallery ids="6"]"#);
        assert!(missing.trim().is_empty());
        assert!(notes.iter().any(|n| n.contains("id 6")), "{notes:?}");
    }

    #[test]
    fn embed_becomes_a_link_and_unknown_ones_are_kept_and_noted() {
        let (out, _) = run("[embed]https://www.youtube.com/watch?v=x&y=1[/embed]");
        assert!(
            out.contains(r#"<a href="https://www.youtube.com/watch?v=x&amp;y=1">"#),
            "{out}"
        );
        let (kept, notes) = run(r#"Book: [contact-form-7 id="12" title="Book"] now"#);
        assert_eq!(
            kept,
            "Book: &#91;contact-form-7 id=&quot;12&quot; title=&quot;Book&quot;&#93; now"
        );
        let (boxed, _) = run("[su_box title=\"Tip\"]<p>Rest <b>well</b>.</p>[/su_box]");
        assert_eq!(
            boxed,
            "&#91;su_box title=&quot;Tip&quot;&#93;<p>Rest <b>well</b>.</p>&#91;/su_box&#93;"
        );
        assert_eq!(notes.len(), 1);
        let (text, notes) = run("He said [sic] and [1] and [[caption]]");
        assert_eq!(text, "He said [sic] and [1] and [caption]");
        assert!(notes.is_empty());
    }

    #[test]
    fn block_comments_go_reusable_blocks_come_in() {
        let (out, notes) = run("<!-- wp:paragraph -->\n<p>Hi</p>\n<!-- /wp:paragraph --><!-- wp:block {\"ref\":9} /--><!-- wp:latest-posts {\"postsToShow\":3} /--><!--more-->");
        assert_eq!(out, "\n<p>Hi</p>\n<p>Call us.</p>");
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("wp:latest-posts"));
    }

    #[test]
    fn many_unclosed_openings_stay_fast() {
        // Each opening looked for its `[/caption]` to the end of the post:
        // 40,000 of them took minutes.
        let html = "[caption x=1][x-y a=1]".repeat(20_000);
        let (out, notes) = run(&html);
        assert_eq!(notes.len(), 20_000);
        assert!(out.len() > html.len());
    }
}
