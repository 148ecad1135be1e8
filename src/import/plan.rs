//! What becomes what: which items of an export are imported and as what
//! (articles, plain pages, authors), each page's file and address, its old
//! address as an alias, its terms, and what is left out and why. Nothing is
//! converted or written here.

use std::collections::{HashMap, HashSet};

use super::html;
use super::wxr::{Export, Item};
use crate::frontmatter::Date;

/// What an item becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Article,
    Page,
}

/// A post or page to import.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Index into `Export::items`.
    pub item: usize,
    pub kind: Kind,
    pub title: String,
    /// From `content/`: `articles/knee-pain.md` or `articles/knee-pain/index.md`.
    pub rel: String,
    /// The page's site path: `articles/knee-pain/`.
    pub path: String,
    /// Its old address as an alias (`/2019/05/knee-pain/`), when it differs.
    pub alias: Option<String>,
    pub date: Date,
    pub updated: Option<Date>,
    pub draft: bool,
    /// Published and not dated in the future: other pages may link to it.
    pub live: bool,
    /// The author's slug (articles).
    pub author: Option<String>,
    /// `tags`, `conditions`, `treatments`.
    pub terms: [Vec<String>; 3],
    /// Files go beside it: it is `<slug>/index.md`.
    pub bundle: bool,
    pub notes: Vec<String>,
}

impl Entry {
    /// Puts the page at site path `path` (`articles/knee-pain`): a folder
    /// with its files when it has any, else one file.
    fn place(&mut self, item: &Item, path: &str) {
        self.bundle = needs_bundle(item);
        self.rel = if self.bundle {
            format!("{path}/index.md")
        } else {
            format!("{path}.md")
        };
        self.path = format!("{path}/");
    }
}

/// An author page to write.
#[derive(Debug, Clone)]
pub struct AuthorEntry {
    pub name: String,
    pub slug: String,
    pub alias: Option<String>,
}

/// An item left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub title: String,
    pub what: String,
    pub id: u64,
    pub reason: String,
}

/// Where a WordPress term goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    Tags,
    Conditions,
    Treatments,
    Skip,
}

impl TermKind {
    pub fn parse(word: &str) -> Option<TermKind> {
        match word.trim().to_ascii_lowercase().as_str() {
            "tags" | "tag" => Some(TermKind::Tags),
            "conditions" | "condition" => Some(TermKind::Conditions),
            "treatments" | "treatment" => Some(TermKind::Treatments),
            "skip" => Some(TermKind::Skip),
            _ => None,
        }
    }
}

/// Term name or slug (lower case) to where it goes.
pub type TermMap = HashMap<String, TermKind>;

/// The whole plan.
#[derive(Debug, Default)]
pub struct Plan {
    pub entries: Vec<Entry>,
    pub authors: Vec<AuthorEntry>,
    pub skipped: Vec<Skipped>,
    /// Items of other types, by type, with how many.
    pub other_types: Vec<(String, usize)>,
    /// The old site: `https://clinic.example` and its path (`/blog/`).
    pub origin: String,
    pub prefix: String,
    /// Old site path (`2019/05/knee-pain/`) to entry index.
    pub by_path: HashMap<String, usize>,
    /// Post id to entry index.
    pub by_id: HashMap<u64, usize>,
    /// Ids and old paths of skipped items, with why, for links to them.
    pub skipped_ids: HashMap<u64, String>,
    pub skipped_paths: HashMap<String, String>,
    /// Terms left out on purpose (`skip`), by name.
    pub skipped_terms: Vec<String>,
}

impl Plan {
    /// Leaves `item` out, remembering why for links to it.
    fn skip(&mut self, item: &Item, kind: Kind, reason: String) {
        self.skipped_ids.insert(item.id, reason.clone());
        if let Some(old) = old_path(self, &item.link).filter(|p| !p.is_empty()) {
            self.skipped_paths.insert(old, reason.clone());
        }
        self.skipped.push(Skipped {
            title: html::text(&item.title),
            what: if kind == Kind::Article {
                "post"
            } else {
                "page"
            }
            .into(),
            id: item.id,
            reason,
        });
    }
}

/// URLs handout makes itself: no plain page may take them.
const RESERVED: [&str; 9] = [
    "articles",
    "locations",
    "authors",
    "tags",
    "conditions",
    "treatments",
    "page",
    "404",
    "index",
];

/// Plans the import of `export`. `today` decides what is dated in the future.
pub fn plan(export: &Export, terms: &TermMap, today: Date) -> Plan {
    let (origin, prefix) = split_site(&export.link);
    let mut plan = Plan {
        origin,
        prefix,
        ..Plan::default()
    };
    let mut others: HashMap<String, usize> = HashMap::new();
    let mut article_slugs = HashSet::new();
    let mut page_paths = HashSet::new();
    let authors = plan_authors(export);
    for (index, item) in export.items.iter().enumerate() {
        let kind = match item.post_type.as_str() {
            "post" => Kind::Article,
            "page" => Kind::Page,
            "attachment" | "wp_block" => continue,
            other => {
                *others.entry(other.to_string()).or_default() += 1;
                continue;
            }
        };
        if let Some(reason) = skip_reason(item) {
            plan.skip(item, kind, reason);
            continue;
        }
        let entry = match kind {
            Kind::Article => article(
                &mut plan,
                item,
                index,
                &mut article_slugs,
                &authors,
                terms,
                today,
            ),
            Kind::Page => page(&mut plan, export, item, index, &mut page_paths, today),
        };
        if let Some(old) = old_path(&plan, &item.link) {
            plan.by_path.insert(old, plan.entries.len());
        }
        plan.by_id.insert(item.id, plan.entries.len());
        plan.entries.push(entry);
    }
    let mut used: Vec<&String> = plan
        .entries
        .iter()
        .filter_map(|e| e.author.as_ref())
        .collect();
    used.sort();
    used.dedup();
    plan.authors = authors
        .into_values()
        .filter(|a| used.contains(&&a.slug))
        .collect();
    plan.authors.sort_by(|a, b| a.slug.cmp(&b.slug));
    plan.other_types = others.into_iter().collect();
    plan.other_types.sort();
    drop_clashing_aliases(&mut plan);
    plan
}

/// `https://clinic.example/blog` -> (`https://clinic.example`, `/blog/`).
fn split_site(link: &str) -> (String, String) {
    let link = link.trim().trim_end_matches('/');
    let after_scheme = link.find("://").map_or(0, |i| i + 3);
    match link[after_scheme..].find('/') {
        Some(at) => {
            let (origin, path) = link.split_at(after_scheme + at);
            (origin.to_string(), format!("{path}/"))
        }
        None => (link.to_string(), "/".to_string()),
    }
}

/// The path of an old address under the old site, without the site's own
/// path and with a final `/`: `https://c.example/blog/2019/a` -> `2019/a/`.
/// None for an address elsewhere, or one with a query (`?p=12`).
pub fn old_path(plan: &Plan, url: &str) -> Option<String> {
    let url = url.trim();
    let path = match url.strip_prefix(&plan.origin) {
        Some(rest) => rest,
        None if url.starts_with('/') && !url.starts_with("//") => url,
        None => same_host(url, &plan.origin)?,
    };
    let path = if path.is_empty() { "/" } else { path };
    let path = path.split('#').next().unwrap_or(path);
    if path.contains('?') || !path.starts_with('/') {
        return None;
    }
    let prefix = plan.prefix.as_str();
    let under = if path == prefix.trim_end_matches('/') {
        ""
    } else {
        path.strip_prefix(prefix)?
    };
    let decoded = percent_encoding::percent_decode_str(under)
        .decode_utf8()
        .ok()?;
    let mut path = decoded.trim_end_matches('/').to_string();
    if !path.is_empty() {
        path.push('/');
    }
    Some(path)
}

impl Plan {
    /// Whether `url` (a new site's address) is on the old site's host.
    pub fn is_old_host(&self, url: &str) -> bool {
        same_host(url, &self.origin).is_some()
    }
}

/// The path of `url` when its host is the old site's, with or without
/// `www.` and whichever scheme.
fn same_host<'a>(url: &'a str, origin: &str) -> Option<&'a str> {
    let host = |u: &str| -> Option<String> {
        let rest = &u[u.find("://")? + 3..];
        let host = rest.split(['/', '?', '#']).next()?;
        Some(host.trim_start_matches("www.").to_ascii_lowercase())
    };
    let rest = &url[url.find("://")? + 3..];
    let path_at = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    (host(url)? == host(origin)?).then(|| &rest[path_at..])
}

fn skip_reason(item: &Item) -> Option<String> {
    if !item.password.is_empty() {
        return Some("password-protected".into());
    }
    match item.status.as_str() {
        "private" => Some("private".into()),
        "trash" => Some("in the trash".into()),
        "auto-draft" => Some("an automatic draft WordPress saved".into()),
        "inherit" => Some("a saved revision".into()),
        "publish" | "future" | "draft" | "pending" => None,
        other => Some(format!("its status is `{other}`")),
    }
}

/// Login -> author page, for every author the export names.
fn plan_authors(export: &Export) -> HashMap<String, AuthorEntry> {
    let mut authors = HashMap::new();
    let mut slugs = HashSet::new();
    let logins = export
        .authors
        .iter()
        .map(|a| (a.login.clone(), html::text(&a.display_name)))
        .chain(
            export
                .items
                .iter()
                .map(|i| (i.creator.clone(), String::new())),
        );
    for (login, name) in logins {
        if login.trim().is_empty() || authors.contains_key(&login) {
            continue;
        }
        let name = if name.trim().is_empty() {
            login.clone()
        } else {
            name
        };
        let slug = unique(
            &fallback_slug(&name, &format!("author-{}", authors.len() + 1)),
            &mut slugs,
        );
        let alias = Some(format!("/author/{}/", slug::slugify(&login))).filter(|a| a.len() > 9);
        authors.insert(login, AuthorEntry { name, slug, alias });
    }
    authors
}

fn article(
    plan: &mut Plan,
    item: &Item,
    index: usize,
    slugs: &mut HashSet<String>,
    authors: &HashMap<String, AuthorEntry>,
    term_map: &TermMap,
    today: Date,
) -> Entry {
    let mut entry = base_entry(item, index, Kind::Article, today);
    let wanted = fallback_slug(&decoded_name(item), &slug::slugify(&entry.title));
    let wanted = fallback_slug(&wanted, &format!("post-{}", item.id));
    let slug = unique(&wanted, slugs);
    if slug != wanted {
        entry.notes.push(format!(
            "another post has the address name `{wanted}`: this one is `{slug}`"
        ));
    }
    entry.place(item, &format!("articles/{slug}"));
    entry.author = authors.get(&item.creator).map(|a| a.slug.clone());
    for term in &item.terms {
        if term.domain != "category" && term.domain != "post_tag" {
            continue;
        }
        let name = html::text(&term.name);
        let kind = term_map
            .get(&name.to_lowercase())
            .or_else(|| term_map.get(&term.nicename.to_lowercase()))
            .copied()
            .unwrap_or(if term.nicename == "uncategorized" {
                TermKind::Skip
            } else {
                TermKind::Tags
            });
        let slot = match kind {
            TermKind::Tags => 0,
            TermKind::Conditions => 1,
            TermKind::Treatments => 2,
            TermKind::Skip => {
                if !plan.skipped_terms.contains(&name) {
                    plan.skipped_terms.push(name);
                }
                continue;
            }
        };
        if !entry.terms[slot].contains(&name) && !name.is_empty() {
            entry.terms[slot].push(name);
        }
    }
    entry.alias = alias_for(plan, &item.link, &entry.path);
    entry
}

fn page(
    plan: &mut Plan,
    export: &Export,
    item: &Item,
    index: usize,
    paths: &mut HashSet<String>,
    today: Date,
) -> Entry {
    let mut entry = base_entry(item, index, Kind::Page, today);
    // The page keeps its old address where it can.
    let from_link = old_path(plan, &item.link).filter(|p| !p.is_empty());
    let wanted: Vec<String> = match from_link {
        Some(path) => path
            .split('/')
            .filter(|p| !p.is_empty())
            .map(slug::slugify)
            .collect(),
        None => parent_names(export, item),
    };
    let mut wanted: Vec<String> = wanted.into_iter().filter(|p| !p.is_empty()).collect();
    if wanted.is_empty() {
        wanted.push(fallback_slug(
            &slug::slugify(&entry.title),
            &format!("page-{}", item.id),
        ));
    }
    if let Some(first) = wanted.first_mut() {
        if RESERVED.contains(&first.as_str()) {
            entry.notes.push(format!(
                "handout makes the address /{first}/ itself: this page is /{first}-page/ instead"
            ));
            first.push_str("-page");
        }
    }
    let joined = wanted.join("/");
    let path = unique(&joined, paths);
    if path != joined {
        entry.notes.push(format!(
            "another page has the address /{joined}/: this one is /{path}/"
        ));
    }
    entry.place(item, &path);
    entry.alias = alias_for(plan, &item.link, &entry.path);
    entry
}

/// A page's address from its parents' names, when its link says nothing.
fn parent_names(export: &Export, item: &Item) -> Vec<String> {
    let mut names = vec![slug::slugify(decoded_name(item))];
    let mut parent = item.parent;
    for _ in 0..16 {
        let Some(up) = export.items.iter().find(|i| i.id == parent && parent != 0) else {
            break;
        };
        names.insert(0, slug::slugify(decoded_name(up)));
        parent = up.parent;
    }
    names
}

fn base_entry(item: &Item, index: usize, kind: Kind, today: Date) -> Entry {
    let mut notes = Vec::new();
    let mut title = html::text(&item.title);
    if title.is_empty() {
        let what = if kind == Kind::Article {
            "post"
        } else {
            "page"
        };
        title = format!("Untitled {what} {}", item.id);
        notes.push(format!(
            "it had no title: it is called \"{title}\" now; give it a real one"
        ));
    }
    let date = match (wp_date(&item.date), wp_date(&item.modified)) {
        (Some(date), _) => date,
        (None, Some(modified)) => modified,
        (None, None) => {
            notes.push(format!(
                "it had no date: it is dated {} (today); check it",
                today.iso()
            ));
            today
        }
    };
    let updated = wp_date(&item.modified).filter(|m| *m > date);
    let draft = matches!(item.status.as_str(), "draft" | "pending");
    Entry {
        item: index,
        kind,
        title,
        rel: String::new(),
        path: String::new(),
        alias: None,
        date,
        updated,
        draft,
        live: !draft && date <= today,
        author: None,
        terms: Default::default(),
        bundle: false,
        notes,
    }
}

/// `2019-05-14 09:30:00` -> 2019-05-14; WordPress writes zeros for none.
fn wp_date(text: &str) -> Option<Date> {
    Date::parse(text.get(..10)?)
}

/// The old address as an alias, unless it is the page's address now.
fn alias_for(plan: &Plan, link: &str, path: &str) -> Option<String> {
    let old = old_path(plan, link)?;
    let site_path = crate::aliases::site_path(&old).ok()?;
    (site_path != path).then(|| format!("/{old}"))
}

/// An alias equal to another page's address or another alias is dropped,
/// with a note (the build would refuse it).
fn drop_clashing_aliases(plan: &mut Plan) {
    let mut taken: HashSet<String> = plan.entries.iter().map(|e| e.path.clone()).collect();
    taken.extend(plan.authors.iter().map(|a| format!("authors/{}/", a.slug)));
    for entry in &mut plan.entries {
        let Some(alias) = entry.alias.clone() else {
            continue;
        };
        let path = crate::aliases::site_path(&alias).unwrap_or_default();
        let first = path.split('/').next().unwrap_or_default();
        if RESERVED.contains(&first) || !taken.insert(path) {
            entry.notes.push(format!(
                "its old address {alias} is now the address of another page (or one handout makes), so it does not lead here"
            ));
            entry.alias = None;
        }
    }
    for author in &mut plan.authors {
        let path = author
            .alias
            .as_deref()
            .and_then(|a| crate::aliases::site_path(a).ok());
        if path.is_some_and(|p| p.starts_with("authors/") || !taken.insert(p)) {
            author.alias = None;
        }
    }
}

/// Whether the post links or shows uploaded files (or has a featured
/// image): then its file is a folder with the files beside it.
fn needs_bundle(item: &Item) -> bool {
    item.content.contains("wp-content/uploads")
        || item.content.contains("[gallery")
        || item.content.contains("wp:gallery")
        || item.meta("_thumbnail_id").is_some()
}

/// The slug WordPress kept (which may be `%`-encoded), decoded.
fn decoded_name(item: &Item) -> String {
    percent_encoding::percent_decode_str(&item.name)
        .decode_utf8_lossy()
        .into_owned()
}

fn fallback_slug(text: &str, fallback: &str) -> String {
    let slug = slug::slugify(text);
    if slug.is_empty() {
        fallback.to_string()
    } else {
        slug
    }
}

/// `wanted`, or `wanted-2`, `-3`... whichever is free; then taken.
fn unique(wanted: &str, taken: &mut HashSet<String>) -> String {
    let mut candidate = wanted.to_string();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{wanted}-{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests;
