//! Reading a WordPress export (WXR: RSS with WordPress's own elements):
//! the bytes decoded from the encoding the file declares, the XML parsed,
//! and the site, its authors and every item (posts, pages, attachments...)
//! taken out as plain values. A file that is not a whole WXR export is
//! refused here with its line, before anything else runs.

use std::path::Path;

use roxmltree::{Document, Node, ParsingOptions};

use crate::error::{Diagnostic, Place};

/// The site as the export describes it.
#[derive(Debug, Clone, Default)]
pub struct Export {
    pub title: String,
    /// The site's home address (`<channel><link>`), as written.
    pub link: String,
    pub description: String,
    pub language: String,
    pub authors: Vec<Author>,
    pub items: Vec<Item>,
    /// The encoding the file declared, when it was not UTF-8.
    pub encoding: Option<String>,
}

/// A WordPress user who wrote something.
#[derive(Debug, Clone, Default)]
pub struct Author {
    pub login: String,
    pub display_name: String,
}

/// One `<item>`: a post, a page, an attachment, a reusable block...
#[derive(Debug, Clone, Default)]
pub struct Item {
    pub title: String,
    /// The permalink, as written.
    pub link: String,
    pub id: u64,
    pub parent: u64,
    /// `post`, `page`, `attachment`, `wp_block`, `nav_menu_item`...
    pub post_type: String,
    /// `publish`, `draft`, `pending`, `future`, `private`, `trash`...
    pub status: String,
    /// The slug, as WordPress keeps it (may be `%`-encoded).
    pub name: String,
    /// `2019-05-14 09:30:00`, the site's local time.
    pub date: String,
    pub modified: String,
    /// The author's login.
    pub creator: String,
    pub content: String,
    pub excerpt: String,
    pub password: String,
    pub menu_order: i64,
    pub terms: Vec<Term>,
    /// For attachments: the file's address.
    pub attachment_url: String,
    /// `wp:postmeta` pairs (`_thumbnail_id`, `_wp_attachment_image_alt`...).
    pub meta: Vec<(String, String)>,
}

impl Item {
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A category or tag on an item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Term {
    /// `category` or `post_tag` (others are kept but not imported).
    pub domain: String,
    /// The slug.
    pub nicename: String,
    pub name: String,
}

/// Reads and parses an export file. `shown` is how messages name it.
pub fn read(path: &Path, shown: &Path) -> Result<Export, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|err| Diagnostic::io(Place::file(shown), "cannot read the export file", err))?;
    let (text, encoding) = decode(&bytes, shown)?;
    let mut export = parse(&text, shown)?;
    export.encoding = encoding;
    Ok(export)
}

/// The file as text: UTF-8 (with or without a byte-order mark), UTF-16
/// with a mark, or the encoding its XML declaration names. Returns the
/// encoding's name when it was not UTF-8.
pub fn decode(bytes: &[u8], shown: &Path) -> Result<(String, Option<String>), Diagnostic> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _, bad) = encoding.decode(bytes);
        if bad {
            return Err(not_text(shown, encoding.name()));
        }
        let name = (encoding != encoding_rs::UTF_8).then(|| encoding.name().to_string());
        return Ok((text.into_owned(), name));
    }
    let label = declared_encoding(bytes);
    let encoding = match &label {
        None => encoding_rs::UTF_8,
        Some(label) => encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
            Diagnostic::new(
                Place::at(shown, 1, None),
                format!(
                    "the file says it is in the `{label}` encoding, which handout does not know"
                ),
            )
            .hint(
                "export the site again from WordPress (Tools > Export), or save the file as UTF-8",
            )
        })?,
    };
    if encoding == encoding_rs::UTF_8 {
        return match String::from_utf8(bytes.to_vec()) {
            Ok(text) => Ok((text, None)),
            Err(err) => {
                let line = crate::error::line_of_byte(bytes, err.utf8_error().valid_up_to());
                Err(Diagnostic::new(
                    Place::at(shown, line, None),
                    "this line is not UTF-8 text, as the file says it is",
                )
                .hint("export the site again from WordPress (Tools > Export); if the file was saved by another program, save it as UTF-8"))
            }
        };
    }
    let (text, bad) = encoding.decode_without_bom_handling(bytes);
    if bad {
        return Err(not_text(shown, encoding.name()));
    }
    Ok((text.into_owned(), Some(encoding.name().to_string())))
}

fn not_text(shown: &Path, encoding: &str) -> Diagnostic {
    Diagnostic::new(
        Place::file(shown),
        format!("the file is not {encoding} text"),
    )
    .hint("export the site again from WordPress (Tools > Export)")
}

/// The `encoding="..."` of an XML declaration at the start of the file.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = bytes.get(..bytes.len().min(300))?;
    let head = String::from_utf8_lossy(head);
    let declaration = head.trim_start().strip_prefix("<?xml")?;
    let declaration = &declaration[..declaration.find("?>")?];
    let after = &declaration[declaration.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &after[1..];
    Some(value[..value.find(quote)?].trim().to_ascii_lowercase())
}

/// Parses the text of an export.
pub fn parse(text: &str, shown: &Path) -> Result<Export, Diagnostic> {
    let hint = "export the site again from WordPress (Tools > Export > All content) and use the .xml file it saves";
    if !text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('<')
    {
        return Err(Diagnostic::new(
            Place::at(shown, 1, Some(1)),
            "this is not a WordPress export: it is not an XML file",
        )
        .hint(hint));
    }
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: u32::MAX,
    };
    let doc = Document::parse_with_options(text, options).map_err(|err| {
        let last = text.lines().count().max(1);
        let at = match err {
            roxmltree::Error::UnexpectedEndOfStream | roxmltree::Error::UnclosedRootNode => None,
            _ => Some((err.pos().row as usize, err.pos().col as usize)),
        };
        // An error on the last line is where the text stopped.
        match at.filter(|(row, _)| *row < last) {
            Some((row, col)) => Diagnostic::new(
                Place::at(shown, row, Some(col)),
                format!("the export is not valid XML here: {err}"),
            ),
            None => Diagnostic::new(
                Place::at(shown, last, None),
                "the file ends before the export does: it was cut off (perhaps while it was downloaded or copied)",
            ),
        }
        .hint(hint)
    })?;
    let root = doc.root_element();
    let channel = root
        .children()
        .find(|n| n.has_tag_name("channel"))
        .filter(|_| root.has_tag_name("rss"));
    let Some(channel) = channel.filter(|c| c.children().any(|n| is_wp(&n, "wxr_version"))) else {
        return Err(Diagnostic::new(
            Place::at(shown, 1, None),
            "this XML file is not a WordPress export (it has no <wp:wxr_version>)",
        )
        .hint(hint));
    };
    let mut export = Export {
        title: child_text(&channel, "title", None),
        link: child_text(&channel, "link", None),
        description: child_text(&channel, "description", None),
        language: child_text(&channel, "language", None),
        ..Export::default()
    };
    for node in channel.children().filter(Node::is_element) {
        if is_wp(&node, "author") {
            export.authors.push(Author {
                login: wp_text(&node, "author_login"),
                display_name: wp_text(&node, "author_display_name"),
            });
        } else if node.has_tag_name("item") {
            export.items.push(item(&node));
        }
    }
    Ok(export)
}

fn item(node: &Node) -> Item {
    let terms = node
        .children()
        .filter(|n| n.has_tag_name("category"))
        .map(|n| Term {
            domain: n.attribute("domain").unwrap_or_default().to_string(),
            nicename: n.attribute("nicename").unwrap_or_default().to_string(),
            name: text_of(&n),
        })
        .collect();
    let meta = node
        .children()
        .filter(|n| is_wp(n, "postmeta"))
        .map(|n| (wp_text(&n, "meta_key"), wp_text(&n, "meta_value")))
        .collect();
    Item {
        title: child_text(node, "title", None),
        link: child_text(node, "link", None),
        id: wp_text(node, "post_id").trim().parse().unwrap_or(0),
        parent: wp_text(node, "post_parent").trim().parse().unwrap_or(0),
        post_type: wp_text(node, "post_type"),
        status: wp_text(node, "status"),
        name: wp_text(node, "post_name"),
        date: wp_text(node, "post_date"),
        modified: wp_text(node, "post_modified"),
        creator: child_text(node, "creator", Some("http://purl.org/dc/elements/1.1/")),
        content: child_text(
            node,
            "encoded",
            Some("http://purl.org/rss/1.0/modules/content/"),
        ),
        excerpt: node
            .children()
            .find(|n| {
                n.has_tag_name("encoded")
                    && n.tag_name()
                        .namespace()
                        .is_some_and(|ns| ns.contains("excerpt"))
            })
            .map(|n| text_of(&n))
            .unwrap_or_default(),
        password: wp_text(node, "post_password"),
        menu_order: wp_text(node, "menu_order").trim().parse().unwrap_or(0),
        terms,
        attachment_url: wp_text(node, "attachment_url"),
        meta,
    }
}

/// A WordPress element: `wp:` is `http://wordpress.org/export/1.x/`.
fn is_wp(node: &Node, name: &str) -> bool {
    node.tag_name().name() == name
        && node.tag_name().namespace().is_some_and(|ns| {
            ns.starts_with("http://wordpress.org/export/") && !ns.contains("excerpt")
        })
}

fn wp_text(node: &Node, name: &str) -> String {
    node.children()
        .find(|n| is_wp(n, name))
        .map(|n| text_of(&n))
        .unwrap_or_default()
}

/// The text of the first child named `name` (in namespace `ns`, or in
/// none when `ns` is None).
fn child_text(node: &Node, name: &str, ns: Option<&str>) -> String {
    node.children()
        .find(|n| n.tag_name().name() == name && n.tag_name().namespace() == ns)
        .map(|n| text_of(&n))
        .unwrap_or_default()
}

/// Every text and CDATA piece inside `node`, joined (WordPress splits a
/// `]]>` in a post across two CDATA sections).
fn text_of(node: &Node) -> String {
    node.descendants()
        .filter(Node::is_text)
        .filter_map(|n| n.text())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHOWN: &str = "export.xml";

    fn wxr(items: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Clinic</title>
<link>https://clinic.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_login><![CDATA[ann]]></wp:author_login><wp:author_display_name><![CDATA[Ann Lee]]></wp:author_display_name></wp:author>
{items}
</channel>
</rss>
"#
        )
    }

    #[test]
    fn reads_items_and_joins_split_cdata() {
        let text = wxr(
            r#"<item><title>Knee &amp; hip</title><dc:creator><![CDATA[ann]]></dc:creator>
<content:encoded><![CDATA[a ]]]]><![CDATA[> b]]></content:encoded>
<excerpt:encoded><![CDATA[Short.]]></excerpt:encoded>
<wp:post_id>7</wp:post_id><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
<category domain="category" nicename="knee-pain"><![CDATA[Knee pain]]></category>
<wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[9]]></wp:meta_value></wp:postmeta>
</item>"#,
        );
        let export = parse(&text, Path::new(SHOWN)).unwrap();
        assert_eq!(export.title, "Clinic");
        assert_eq!(export.authors[0].display_name, "Ann Lee");
        let item = &export.items[0];
        assert_eq!(item.title, "Knee & hip");
        assert_eq!(item.content, "a ]]> b");
        assert_eq!(item.excerpt, "Short.");
        assert_eq!(item.creator, "ann");
        assert_eq!(item.id, 7);
        assert_eq!(item.terms[0].name, "Knee pain");
        assert_eq!(item.meta("_thumbnail_id"), Some("9"));
    }

    #[test]
    fn refuses_what_is_not_an_export() {
        let err = |text: &str| parse(text, Path::new(SHOWN)).unwrap_err().to_string();
        assert!(err("{\"a\": 1}").contains("not an XML file"));
        assert!(err("<html><body>hi</body></html>").contains("not a WordPress export"));
        let cut = wxr("<item><title>A</title></item>");
        let cut = &cut[..cut.len() - 30];
        let message = err(cut);
        assert!(message.contains("cut off"), "{message}");
        assert!(message.starts_with("export.xml:"), "{message}");
        let bad = wxr("<item><title>A</titel></item>");
        assert!(err(&bad).starts_with("export.xml:8:"), "{}", err(&bad));
    }

    #[test]
    fn decodes_the_declared_encoding() {
        let text = wxr("<item><title>Caf\u{e9}</title></item>").replace("UTF-8", "ISO-8859-1");
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        let (decoded, name) = decode(&bytes, Path::new(SHOWN)).unwrap();
        assert_eq!(name.as_deref(), Some("windows-1252"));
        assert_eq!(
            parse(&decoded, Path::new(SHOWN)).unwrap().items[0].title,
            "Café"
        );
        // Said UTF-8 but is not: the line is named.
        let wrong = wxr("<item><title>Caf\u{e9}</title></item>");
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&wrong);
        let err = decode(&bytes, Path::new(SHOWN)).unwrap_err();
        assert_eq!(err.place.line, Some(8));
        let unknown = wxr("").replace("UTF-8", "klingon");
        assert!(decode(unknown.as_bytes(), Path::new(SHOWN)).is_err());
    }
}
