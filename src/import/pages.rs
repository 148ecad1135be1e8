//! The files an import makes: each planned post and page converted and
//! given its front matter, links to headings settled once every page is
//! converted, uploads to copy, author pages, and for a new site its
//! `site.yaml` and home page.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use super::html;
use super::links::{Bundle, Fragment, PostLinks};
use super::plan::{Entry, Kind, Plan};
use super::report::{Counts, PageNotes, Report};
use super::shortcodes::{self, Attachment, Library};
use super::write::Planned;
use super::wxr::Export;
use crate::config::{BaseUrl, Config, CONFIG_FILE};
use crate::error::Errors;

/// The site the import goes into: its address, and the files a new site
/// needs.
pub struct SiteFiles {
    pub base: BaseUrl,
    /// `site.yaml` and `content/index.md`, when the site has none.
    pub new_files: Vec<Planned>,
}

#[derive(Serialize)]
struct SiteYaml<'a> {
    title: &'a str,
    base_url: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
}

impl SiteFiles {
    pub fn new(root: &Path, export: &Export, report: &mut Report) -> Result<SiteFiles, Errors> {
        let mut new_files = Vec::new();
        let title = match html::text(&export.title) {
            t if t.is_empty() => "Our clinic".to_string(),
            t => t,
        };
        let description = html::text(&export.description);
        let description = (!description.is_empty()).then_some(description);
        let base = if root.join(CONFIG_FILE).is_file() {
            Config::load(root, None)?.base
        } else {
            let link = format!("{}/", export.link.trim().trim_end_matches('/'));
            let base = BaseUrl::parse(&link).unwrap_or_else(|_| {
                report.general.push(
                    "the export does not say the site's address: set base_url in site.yaml"
                        .to_string(),
                );
                BaseUrl::parse("https://example.org/").expect("a valid address")
            });
            let yaml = SiteYaml {
                title: &title,
                base_url: base.absolute(),
                language: export.language.trim(),
                description: description.as_deref(),
            };
            new_files.push(Planned::text(CONFIG_FILE, to_yaml(&yaml)));
            base
        };
        if !root.join("content/index.md").is_file() {
            let front = PageFront {
                title: &title,
                description: Some(description.as_deref().unwrap_or(&title)),
                draft: false,
                aliases: Vec::new(),
            };
            let body = format!("Welcome to {title}. Read our [articles](/articles/).\n");
            new_files.push(Planned::text("content/index.md", page_text(&front, &body)));
        }
        Ok(SiteFiles { base, new_files })
    }
}

#[derive(Serialize)]
struct ArticleFront<'a> {
    title: &'a str,
    description: &'a str,
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    conditions: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    treatments: &'a [String],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<String>,
}

#[derive(Serialize)]
struct PageFront<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<String>,
}

#[derive(Serialize)]
struct AuthorFront<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<String>,
}

fn to_yaml(value: &impl Serialize) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}

fn page_text(front: &impl Serialize, body: &str) -> String {
    let body = if body.is_empty() {
        String::new()
    } else {
        format!("\n{body}")
    };
    format!("---\n{}---\n{body}", to_yaml(front))
}

/// One converted post or page.
struct Page {
    markdown: String,
    bundle: Bundle,
    notes: Vec<String>,
}

/// Every file of the import but the report.
pub fn files(
    export: &Export,
    plan: &Plan,
    uploads: Option<&Path>,
    site: &SiteFiles,
    report: &mut Report,
) -> Result<Vec<Planned>, Errors> {
    let mut fragments = Vec::new();
    let mut pages = convert(export, plan, uploads, &site.base, &mut fragments);
    settle_fragments(plan, &mut pages, &fragments);
    let mut files = site.new_files.clone();
    let mut counts = Counts::default();
    for (entry, page) in plan.entries.iter().zip(pages) {
        let excerpt = export
            .items
            .get(entry.item)
            .map(|i| html::text(&i.excerpt))
            .unwrap_or_default();
        let mut notes = page.notes;
        let description = if !excerpt.is_empty() {
            excerpt
        } else if let Some(made) = describe(&page.markdown) {
            notes.push("its description was made from its first lines: check it".into());
            made
        } else {
            entry.title.clone()
        };
        files.push(Planned::text(
            format!("content/{}", entry.rel),
            entry_text(entry, &description, &page.markdown),
        ));
        let dir = entry.rel.trim_end_matches("index.md");
        for (name, source) in &page.bundle {
            files.push(Planned {
                rel: format!("content/{dir}{name}"),
                contents: super::write::Contents::Copy(source.clone()),
            });
        }
        count(&mut counts, entry, page.bundle.len());
        if !notes.is_empty() {
            report.pages.push(PageNotes {
                file: format!("content/{}", entry.rel),
                title: entry.title.clone(),
                notes,
            });
        }
    }
    files.extend(author_files(plan, report));
    counts.authors = plan.authors.len();
    report.counts = counts;
    Ok(files)
}

/// Every planned post and page converted, in plan order.
fn convert(
    export: &Export,
    plan: &Plan,
    uploads: Option<&Path>,
    base: &BaseUrl,
    fragments: &mut Vec<Fragment>,
) -> Vec<Page> {
    let library = library(export);
    let mut pages = Vec::with_capacity(plan.entries.len());
    for (i, entry) in plan.entries.iter().enumerate() {
        let Some(item) = export.items.get(entry.item) else {
            continue;
        };
        let mut notes = entry.notes.clone();
        let html = shortcodes::expand(&item.content, item.id, &library, &mut notes);
        let classic = !item.content.contains("<!-- wp:");
        let mut links = PostLinks {
            plan,
            entry: i,
            uploads,
            base,
            permalink: &item.link,
            replaced: plan.is_old_host(base.absolute()),
            bundle: Bundle::new(),
            notes: Vec::new(),
            fragments,
        };
        let converted = html::convert(&html, classic, &mut links);
        let featured = item
            .meta("_thumbnail_id")
            .and_then(|id| library.attachments.get(&id.trim().parse().ok()?));
        if let Some(featured) = featured {
            use super::html::{Resolve, Rewrite};
            let copied = match links.file(&featured.url) {
                Rewrite::To(name) if !name.contains("://") => Some(name),
                _ => None,
            };
            if let Some(name) = copied {
                links.notes.push(format!(
                    "its featured image is beside it as {name}; handout does not show featured images: add it to the text if it should show"
                ));
            }
        }
        notes.extend(converted.notes);
        notes.extend(links.notes);
        pages.push(Page {
            markdown: converted.markdown,
            bundle: links.bundle,
            notes,
        });
    }
    pages
}

fn count(counts: &mut Counts, entry: &Entry, files: usize) {
    counts.files += files;
    match entry.kind {
        Kind::Article => counts.articles += 1,
        Kind::Page => counts.pages += 1,
    }
    if entry.draft {
        counts.drafts += 1;
    } else if !entry.live {
        counts.future += 1;
    }
}

/// An author page for each author of an imported article.
fn author_files(plan: &Plan, report: &mut Report) -> Vec<Planned> {
    let mut files = Vec::new();
    for author in &plan.authors {
        let rel = format!("content/authors/{}.md", author.slug);
        let front = AuthorFront {
            name: &author.name,
            aliases: author.alias.iter().cloned().collect(),
        };
        files.push(Planned::text(rel.clone(), page_text(&front, "")));
        report.pages.push(PageNotes {
            file: rel,
            title: author.name.clone(),
            notes: vec!["add credentials, a role and a few lines about them".into()],
        });
    }
    files
}

fn entry_text(entry: &Entry, description: &str, markdown: &str) -> String {
    let aliases: Vec<String> = entry.alias.iter().cloned().collect();
    match entry.kind {
        Kind::Article => {
            let [tags, conditions, treatments] = &entry.terms;
            let front = ArticleFront {
                title: &entry.title,
                description,
                date: entry.date.iso(),
                updated: entry.updated.map(|d| d.iso()),
                author: entry.author.as_deref(),
                tags,
                conditions,
                treatments,
                draft: entry.draft,
                aliases,
            };
            page_text(&front, markdown)
        }
        Kind::Page => {
            let front = PageFront {
                title: &entry.title,
                description: Some(description),
                draft: entry.draft,
                aliases,
            };
            page_text(&front, markdown)
        }
    }
}

/// Attachments (for galleries and featured images) and reusable blocks.
fn library(export: &Export) -> Library {
    let mut library = Library::default();
    for item in &export.items {
        match item.post_type.as_str() {
            "attachment" => {
                let attachment = Attachment {
                    url: item.attachment_url.clone(),
                    alt: item
                        .meta("_wp_attachment_image_alt")
                        .unwrap_or_default()
                        .to_string(),
                    caption: item.excerpt.clone(),
                    parent: item.parent,
                    order: (item.menu_order, item.id),
                };
                library.attachments.insert(item.id, attachment);
            }
            "wp_block" => {
                library.blocks.insert(item.id, item.content.clone());
            }
            _ => {}
        }
    }
    library
}

/// Accepts every link: only the headings are wanted.
struct AnyLink;

impl crate::markdown::LinkResolver for AnyLink {
    fn resolve(&self, _: &str, _: crate::markdown::LinkKind) -> Result<Option<String>, String> {
        Ok(None)
    }
}

/// Puts the address of each link to a heading in place: with its `#id`
/// when the page has that heading, else to the top of the page (noted).
fn settle_fragments(plan: &Plan, pages: &mut [Page], fragments: &[Fragment]) {
    let wanted: HashSet<usize> = fragments.iter().map(|f| f.to).collect();
    let ids: HashMap<usize, HashSet<String>> = wanted
        .into_iter()
        .filter_map(|i| {
            let rendered = crate::markdown::render(&pages.get(i)?.markdown, &AnyLink);
            Some((
                i,
                rendered
                    .headings
                    .iter()
                    .map(|h| h.id().to_string())
                    .collect(),
            ))
        })
        .collect();
    for fragment in fragments {
        let found = ids
            .get(&fragment.to)
            .is_some_and(|ids| ids.contains(&fragment.id));
        let dest = if found {
            format!("{}#{}", fragment.dest, fragment.id)
        } else {
            fragment.dest.clone()
        };
        let Some(page) = pages.get_mut(fragment.from) else {
            continue;
        };
        page.markdown = page.markdown.replace(&fragment.token, &dest);
        if !found {
            let on = match plan.entries.get(fragment.to) {
                Some(entry) if fragment.to != fragment.from => format!("\"{}\"", entry.title),
                _ => "this page".to_string(),
            };
            page.notes.push(format!(
                "a link to #{} on {on} now goes to the top of the page: there is no heading with that id",
                fragment.id
            ));
        }
    }
}

/// The first sentences of a body, up to about 160 characters, as plain
/// text; None for a body with no text.
fn describe(markdown: &str) -> Option<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut text = String::new();
    let mut in_paragraph = false;
    let mut in_image = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Image { .. }) => in_image = true,
            Event::End(TagEnd::Image) => in_image = false,
            Event::Start(Tag::Paragraph) => in_paragraph = true,
            Event::End(TagEnd::Paragraph) => {
                in_paragraph = false;
                text.push(' ');
                if text.len() > 160 {
                    break;
                }
            }
            Event::Text(t) | Event::Code(t) if in_paragraph && !in_image => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_paragraph => text.push(' '),
            _ => {}
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return None;
    }
    let mut out = String::new();
    for sentence in text.split_inclusive(['.', '!', '?']) {
        if !out.is_empty() && out.len() + sentence.len() > 160 {
            break;
        }
        out.push_str(sentence);
    }
    if out.chars().count() > 160 {
        let cut: String = out.chars().take(157).collect();
        let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
        out = format!("{}...", cut.trim_end_matches([',', ';', ':']));
    }
    Some(out.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_first_sentences() {
        assert_eq!(
            describe("# Head\n\nKnee pain is common. It gets better with time and care. More text follows here, and it is long enough to go well past the limit of what a good description for a search page should hold.\n").as_deref(),
            Some("Knee pain is common. It gets better with time and care.")
        );
        let long = "word ".repeat(60);
        let made = describe(&long).unwrap();
        assert!(made.ends_with("...") && made.len() <= 160, "{made}");
        assert_eq!(describe("![a](b.jpg)\n"), None);
    }
}
