//! Post HTML to Markdown, through `htmd` (a turndown-style converter on
//! html5ever, which parses broken HTML as browsers do). Before it runs,
//! one pass over the parsed page rewrites links and image sources through
//! a [`Resolve`] and notes what will be kept as HTML; `htmd`'s handlers
//! are extended for figures with captions, embeds, tables Markdown cannot
//! hold, and elements Markdown has no form for (kept as HTML, never
//! dropped).

use std::rc::Rc;

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::options::{BrStyle, BulletListMarker, LinkStyle, Options};
use htmd::{Element, HtmlToMarkdown};
use html5ever::serialize::{serialize, SerializeOpts, TraversalScope};
use markup5ever_rcdom::{Node, NodeData, SerializableHandle};

use super::autop;

/// What becomes of a link or a file's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rewrite {
    Keep,
    To(String),
    /// It would lead nowhere on the new site: a link becomes its text, an
    /// image a comment that says what was there.
    Drop,
}

/// Where links and files of a post go now.
pub trait Resolve {
    /// A link's new address. `in_html`: the link is inside something kept
    /// as HTML, where the build rewrites and checks nothing.
    fn link(&mut self, href: &str, in_html: bool) -> Rewrite;
    /// An image's or other file's new address.
    fn file(&mut self, src: &str) -> Rewrite;
}

/// Marks an image that is not there, with its old address.
const MISSING: &str = "data-handout-missing";

/// A post's body, converted, with what a person should check.
#[derive(Debug, Default)]
pub struct Converted {
    pub markdown: String,
    pub notes: Vec<String>,
}

/// Elements Markdown has no form for: kept as HTML.
const KEEP: [&str; 19] = [
    "iframe", "video", "audio", "object", "embed", "form", "script", "style", "canvas", "svg",
    "math", "noscript", "input", "button", "select", "textarea", "dl", "map", "details",
];

/// Past this depth of nesting a post is kept as HTML: converting it would
/// take more stack than a thread has.
const MAX_DEPTH: usize = 200;

/// Converts the body of a post. `classic`: written in the classic editor,
/// so blank lines are paragraphs.
pub fn convert(html: &str, classic: bool, resolve: &mut dyn Resolve) -> Converted {
    let mut notes = Vec::new();
    let html = if classic {
        autop::autop(html)
    } else {
        html.to_string()
    };
    let html = autop::link_bare_urls(&html);
    let unbalanced = autop::unbalanced(&html);
    if !unbalanced.is_empty() {
        notes.push(format!(
            "the HTML has {} that {} not match up; the browser's guess was kept: check the text around {}",
            unbalanced.join(", "),
            if unbalanced.len() == 1 { "does" } else { "do" },
            if unbalanced.len() == 1 { "it" } else { "them" },
        ));
    }
    let converter = converter();
    let Ok(dom) = converter.html_to_tree(&html) else {
        notes.push("the text could not be read as HTML; it was kept as it was: check it".into());
        return Converted {
            markdown: html,
            notes,
        };
    };
    if prepare(&dom, resolve, &mut notes) > MAX_DEPTH {
        notes.push(format!(
            "the HTML is nested more than {MAX_DEPTH} levels deep; it was kept as HTML: check it"
        ));
        return Converted {
            markdown: format!("{}\n", serialize_children(&dom)),
            notes,
        };
    }
    // `htmd` has a few `unwrap`s on shapes of the tree it does not expect;
    // should one fail, the post keeps its HTML rather than stop the import.
    let converted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        converter.tree_to_markdown(&dom)
    }));
    let markdown = match converted {
        Ok(markdown) => tidy(&markdown),
        Err(_) => {
            notes.push("the HTML could not be converted; it was kept as HTML: check it".into());
            format!("{}\n", serialize_children(&dom))
        }
    };
    Converted { markdown, notes }
}

/// The text of a bit of HTML (a title, a term name): entities decoded,
/// tags dropped, spaces collapsed.
pub fn text(html: &str) -> String {
    let Ok(dom) = converter().html_to_tree(html) else {
        return html.to_string();
    };
    let mut out = String::new();
    // `dom` lives to the end: dropping a node empties every node below it.
    let mut stack = vec![dom.clone()];
    while let Some(node) = stack.pop() {
        if let NodeData::Text { contents } = &node.data {
            out.push_str(&contents.borrow());
        }
        stack.extend(node.children.borrow().iter().rev().cloned());
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn converter() -> HtmlToMarkdown {
    HtmlToMarkdown::builder()
        .options(Options {
            br_style: BrStyle::Backslash,
            link_style: LinkStyle::InlinedPreferAutolinks,
            bullet_list_marker: BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..Options::default()
        })
        .add_handler(KEEP.to_vec(), |_: &dyn Handlers, e: Element| {
            Some(raw(e.node))
        })
        .add_handler(vec!["table"], table)
        .add_handler(vec!["figure"], figure)
        .add_handler(vec!["sup", "sub"], inline_html)
        .add_handler(vec!["del", "s", "strike"], strikethrough)
        .add_handler(vec!["h1", "h2", "h3", "h4", "h5", "h6"], heading)
        .add_handler(vec!["img"], image)
        .build()
}

fn tag_of(node: &Node) -> Option<&str> {
    match &node.data {
        NodeData::Element { name, .. } => Some(&name.local),
        _ => None,
    }
}

fn attr(node: &Node, key: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == key)
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

fn children(node: &Node) -> Vec<Rc<Node>> {
    node.children.borrow().clone()
}

/// Kept as HTML: an element Markdown has no form for, or a table it
/// cannot hold.
fn kept(node: &Node) -> bool {
    match tag_of(node) {
        Some("table") => !simple_table(node),
        Some(tag) => KEEP.contains(&tag),
        None => false,
    }
}

/// One pass over the page before conversion: links and sources through
/// `resolve`, a note for each element kept as HTML. Returns the depth of
/// the deepest element.
fn prepare(dom: &Rc<Node>, resolve: &mut dyn Resolve, notes: &mut Vec<String>) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(dom.clone(), 0usize, false)];
    while let Some((node, depth, in_html)) = stack.pop() {
        deepest = deepest.max(depth);
        let mut inside = in_html;
        if let NodeData::Element { name, attrs, .. } = &node.data {
            let tag = &*name.local;
            let mut attrs = attrs.borrow_mut();
            for a in attrs.iter_mut() {
                let key = &*a.name.local;
                let new = match (tag, key) {
                    ("a", "href") => resolve.link(&a.value, in_html),
                    (_, "src") | ("object", "data") | ("video", "poster") => resolve.file(&a.value),
                    _ => Rewrite::Keep,
                };
                match new {
                    Rewrite::To(new) => a.value = new.into(),
                    // Kept HTML is not checked: it keeps what it had.
                    Rewrite::Drop if in_html => {}
                    Rewrite::Drop if tag == "img" => a.name.local = MISSING.into(),
                    Rewrite::Drop => a.name.local = "data-handout-dropped".into(),
                    Rewrite::Keep => {}
                }
            }
            // Other sizes of an image would point at files not copied.
            attrs
                .retain(|a| !matches!(&*a.name.local, "srcset" | "sizes" | "data-handout-dropped"));
            drop(attrs);
            if !in_html && kept(&node) {
                notes.push(kept_note(&node));
                inside = true;
            }
        }
        for child in node.children.borrow().iter().rev() {
            stack.push((child.clone(), depth + 1, inside));
        }
    }
    deepest
}

fn kept_note(node: &Node) -> String {
    let tag = tag_of(node).unwrap_or_default();
    let what = match tag {
        "table" => "a table Markdown cannot hold (no header row, joined cells, or lists and breaks in cells)".to_string(),
        "iframe" | "video" | "audio" | "embed" | "object" => {
            let src = attr(node, "src").or_else(|| attr(node, "data"));
            format!("an embedded <{tag}>{}", src.map(|s| format!(" ({s})")).unwrap_or_default())
        }
        _ => format!("a <{tag}>"),
    };
    format!("{what} was kept as HTML: check that it shows and works (the build does not check links inside it)")
}

/// A table Markdown can hold: a header row, no joined cells, no table or
/// block inside a cell.
fn simple_table(table: &Node) -> bool {
    let mut rows = Vec::new();
    let mut stack = children(table);
    while let Some(node) = stack.pop() {
        match tag_of(&node) {
            Some("thead" | "tbody" | "tfoot") => stack.extend(children(&node)),
            Some("tr") => rows.push(node),
            _ => {}
        }
    }
    let has_head = children(table).iter().any(|c| tag_of(c) == Some("thead"))
        || rows.iter().any(|row| {
            let cells: Vec<_> = children(row)
                .into_iter()
                .filter(|c| tag_of(c).is_some())
                .collect();
            !cells.is_empty() && cells.iter().all(|c| tag_of(c) == Some("th"))
        });
    let inline_only = |cell: &Rc<Node>| {
        let mut stack = children(cell);
        while let Some(node) = stack.pop() {
            if let Some(tag) = tag_of(&node) {
                if !INLINE.contains(&tag) {
                    return false;
                }
            }
            stack.extend(children(&node));
        }
        true
    };
    let cells_ok = rows.iter().all(|row| {
        children(row).iter().all(|cell| match tag_of(cell) {
            Some("td" | "th") => {
                let joined = ["colspan", "rowspan"]
                    .iter()
                    .any(|k| attr(cell, k).is_some_and(|v| v.trim() != "1"));
                !joined && inline_only(cell)
            }
            _ => true,
        })
    });
    has_head && cells_ok && !rows.is_empty()
}

/// What may stand in a Markdown table cell.
const INLINE: [&str; 16] = [
    "a", "strong", "b", "em", "i", "code", "span", "img", "sup", "sub", "s", "del", "strike",
    "abbr", "small", "mark",
];

/// The element as HTML, on lines of its own, with no blank line inside
/// (which would end it in Markdown) but where HTML keeps text as written.
fn raw(node: &Rc<Node>) -> HandlerResult {
    let html = serialize_node(node, TraversalScope::IncludeNode);
    let keeps_text = matches!(tag_of(node), Some("script" | "style" | "textarea" | "pre"));
    let html = if keeps_text {
        html
    } else {
        html.lines()
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    HandlerResult {
        content: format!("\n\n{html}\n\n"),
        markdown_translated: false,
    }
}

fn serialize_node(node: &Rc<Node>, scope: TraversalScope) -> String {
    let mut bytes = Vec::new();
    let handle = SerializableHandle::from(node.clone());
    let options = SerializeOpts {
        traversal_scope: scope,
        ..SerializeOpts::default()
    };
    match serialize(&mut bytes, &handle, options) {
        Ok(()) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => String::new(),
    }
}

/// A whole parsed page's body as HTML.
fn serialize_children(dom: &Rc<Node>) -> String {
    let mut body = None;
    let mut stack = vec![dom.clone()];
    while let Some(node) = stack.pop() {
        if tag_of(&node) == Some("body") {
            body = Some(node);
            break;
        }
        stack.extend(children(&node));
    }
    body.map(|b| serialize_node(&b, TraversalScope::ChildrenOnly(None)))
        .unwrap_or_default()
}

fn table(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    if simple_table(element.node) {
        handlers.fallback(element)
    } else {
        Some(raw(element.node))
    }
}

/// An image whose file is not there: a comment in its place, so readers
/// see no broken picture and writers see what belongs there.
fn image(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let Some(url) = attr(element.node, MISSING) else {
        return handlers.fallback(element);
    };
    let alt = attr(element.node, "alt").unwrap_or_default();
    let text = format!("missing picture: {url} ({alt})").replace("--", "-");
    Some(format!("<!-- {text} -->").into())
}

fn inline_html(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let inner = handlers.walk_children(element.node).content;
    Some(format!("<{0}>{1}</{0}>", element.tag, inner.trim()).into())
}

fn strikethrough(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let inner = handlers.walk_children(element.node).content;
    let inner = inner.trim();
    if inner.is_empty() {
        return Some(String::new().into());
    }
    Some(format!("~~{inner}~~").into())
}

/// A heading keeps its `id` (`## Title {#id}`), so links to it still work.
fn heading(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let id = attr(element.node, "id").filter(|id| {
        id.starts_with(|c: char| c.is_ascii_alphabetic())
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    let result = handlers.fallback(element)?;
    let Some(id) = id else {
        return Some(result);
    };
    let text = result.content.trim_end_matches('\n');
    Some(format!("{text} {{#{id}}}\n\n").into())
}

/// `<figure>`: an embed becomes a link to what it shows; anything else is
/// converted, with its `<figcaption>` as an emphasized line under it.
fn figure(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let node = element.node;
    let class = attr(node, "class").unwrap_or_default();
    let mut caption = String::new();
    let mut body = String::new();
    for child in children(node) {
        if tag_of(&child) == Some("figcaption") {
            let text = handlers.walk_children(&child).content;
            caption = text.split_whitespace().collect::<Vec<_>>().join(" ");
        } else if let Some(result) = handlers.handle(&child) {
            body.push_str(&result.content);
        }
    }
    if class.contains("wp-block-embed") {
        let url = text(&serialize_node(node, TraversalScope::ChildrenOnly(None)));
        if let Some(url) = url.split_whitespace().find(|w| w.starts_with("http")) {
            body = format!("<{url}>");
        }
    }
    let body = body.trim();
    if caption.is_empty() {
        return Some(format!("\n\n{body}\n\n").into());
    }
    let joiner = if body.contains('\n') { "\n\n" } else { "\\\n" };
    Some(format!("\n\n{body}{joiner}*{caption}*\n\n").into())
}

/// Markdown as handout writes it: no run of blank lines, a paragraph that
/// starts `{{` is text (handout would read a shortcode), a final newline.
fn tidy(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 1);
    let mut blank = 0;
    let mut fence: Option<&str> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
        }
        if fence.is_none() && line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
            out.push('\n');
            continue;
        }
        blank = 0;
        if fence.is_none() && trimmed.starts_with("{{") {
            out.push('\\');
        }
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim();
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("{trimmed}\n")
    }
}

#[cfg(test)]
mod tests;
