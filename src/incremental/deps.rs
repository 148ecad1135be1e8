//! Which output files show which pages, for edits `serve` makes in place:
//! what the theme's templates and shortcodes read of `site` (a scan of
//! their sources, following `extends` and `include`), and each page's lists
//! of other pages (`related`, `articles`, `clinics`...) turned around.
//!
//! The scan is conservative: a use of `site` it cannot narrow down to one
//! field counts as reading all of it.

use std::collections::{BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

use crate::render::tags::{self, Token};
use crate::render::{Job, NarrowReads};
use crate::site::Site;
use crate::theme::Theme;
use crate::view::Views;

/// What a template reads of `site`, with all it extends and includes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteReads {
    /// Some use the scan cannot narrow down (`site` passed whole, indexed
    /// with `[...]`, the `__tera_context` dump): every field.
    pub any: bool,
    /// Fields read as `site.<field>`.
    pub fields: BTreeSet<String>,
}

/// Reads of every field.
static EVERYTHING: SiteReads = SiteReads {
    any: true,
    fields: BTreeSet::new(),
};

impl SiteReads {
    /// Whether `site.<field>` may reach the output.
    pub fn reads(&self, field: &str) -> bool {
        self.any || self.fields.contains(field)
    }

    fn extend(&mut self, other: &SiteReads) {
        self.any |= other.any;
        self.fields.extend(other.fields.iter().cloned());
    }
}

/// The variables of list pages' contexts whose fields the scan tells
/// apart, so that a context's hash leaves out what a template never shows:
/// `taxonomy` (term and taxonomy pages), with every term's count, and
/// `paginator` (list and term pages), with the list's number of items.
pub const NARROWED: [&str; 2] = ["taxonomy", "paginator"];

/// One template source, scanned.
#[derive(Debug, Default, PartialEq, Eq)]
struct Scan {
    site: SiteReads,
    /// Likewise each of `NARROWED`, in its order.
    narrowed: [SiteReads; NARROWED.len()],
    /// Every string literal in its tags: the templates it extends or
    /// includes are among them.
    strings: Vec<String>,
    /// It defines a component, which any template may call.
    component: bool,
    /// It names another template in a way the scan cannot follow (an
    /// `include` or `extends` of a variable), or it cannot be read.
    dynamic: bool,
}

/// Scans a Tera template's tags (`{{ }}`, `{% %}`; comments skipped).
fn scan(text: &str) -> Scan {
    let mut scan = Scan::default();
    tags::each_tag(text, |_, code, block| scan_code(code, block, &mut scan));
    scan
}

fn scan_code(code: &str, block: bool, scan: &mut Scan) {
    let tokens = tags::tokens(code);
    let significant = |t: &&Token| **t != Token::Other('-');
    let mut significant_tokens = tokens.iter().filter(significant);
    match (block, significant_tokens.next(), significant_tokens.next()) {
        (true, Some(Token::Name("component")), _) => scan.component = true,
        (true, Some(Token::Name("include" | "extends" | "import")), next)
            if !matches!(next, Some(Token::Str(_))) =>
        {
            scan.dynamic = true;
        }
        _ => {}
    }
    for (n, token) in tokens.iter().enumerate() {
        match token {
            Token::Str(text) => scan.strings.push(text.clone()),
            Token::Name("__tera_context") => {
                scan.site.any = true;
                for reads in &mut scan.narrowed {
                    reads.any = true;
                }
            }
            Token::Name(name) => {
                let narrowed = NARROWED.iter().position(|n| n == name);
                let reads = match (*name, narrowed) {
                    ("site", _) => &mut scan.site,
                    (_, Some(k)) => match scan.narrowed.get_mut(k) {
                        Some(reads) => reads,
                        None => continue,
                    },
                    _ => continue,
                };
                // `x.site` is an attribute of something else.
                if n > 0 && tokens.get(n - 1) == Some(&Token::Other('.')) {
                    continue;
                }
                // `if taxonomy`: whether there is one, not what it holds
                // (fingerprints tell a map from none).
                let tested = n > 0
                    && matches!(
                        tokens.get(n - 1),
                        Some(Token::Name("if" | "elif" | "and" | "or" | "not"))
                    )
                    && matches!(
                        tokens.get(n + 1),
                        None | Some(Token::Name("and" | "or")) | Some(Token::Other('-'))
                    );
                if narrowed.is_some() && tested {
                    continue;
                }
                match (tokens.get(n + 1), tokens.get(n + 2)) {
                    (Some(Token::Other('.')), Some(Token::Name(field))) => {
                        reads.fields.insert((*field).to_string());
                    }
                    _ => reads.any = true,
                }
            }
            _ => {}
        }
    }
}

/// What each template and shortcode of a theme reads of `site`, by the
/// name Tera knows it by (`base.html`, `shortcodes/cta.html`). A file that
/// cannot be read counts as reading everything.
fn theme_reads(theme: &Theme) -> HashMap<String, SiteReads> {
    reads_of(&theme_scans(theme), |scan| &scan.site)
}

/// What each scanned template reads of the variable `of` picks (`site`),
/// with all it extends and includes and every component.
fn reads_of(
    scans: &HashMap<String, Scan>,
    of: impl Fn(&Scan) -> &SiteReads + Copy,
) -> HashMap<String, SiteReads> {
    // Components are global: a template may call one defined anywhere.
    let mut components = SiteReads::default();
    for scan in scans.values().filter(|s| s.component) {
        components.extend(&closure_of(scans, scan, of));
    }
    scans
        .iter()
        .map(|(name, scan)| {
            let mut reads = closure_of(scans, scan, of);
            reads.extend(&components);
            (name.clone(), reads)
        })
        .collect()
}

/// Every template and shortcode of a theme scanned, by the name Tera
/// knows it by.
fn theme_scans(theme: &Theme) -> HashMap<String, Scan> {
    theme
        .template_files()
        .map(|(name, file)| {
            let scan = match file.read().map(String::from_utf8) {
                Ok(Ok(text)) => scan(&text),
                _ => Scan {
                    site: EVERYTHING.clone(),
                    narrowed: std::array::from_fn(|_| EVERYTHING.clone()),
                    dynamic: true,
                    ..Scan::default()
                },
            };
            (name, scan)
        })
        .collect()
}

/// Which template names which (`extends`, `include`), for an edit of
/// templates: made when the theme is loaded, since an edit leaves only
/// the new text to read.
pub struct TemplateGraph {
    scans: HashMap<String, Scan>,
}

impl TemplateGraph {
    pub fn new(theme: &Theme) -> TemplateGraph {
        TemplateGraph {
            scans: theme_scans(theme),
        }
    }

    /// What each template reads of `site` (see `SiteReads`), by name.
    pub fn reads(&self) -> HashMap<String, SiteReads> {
        reads_of(&self.scans, |scan| &scan.site)
    }

    /// For each template (by name), the fields it reads of each of
    /// `NARROWED` (`taxonomy`, `paginator`) that it does not read whole,
    /// with what every component reads of a variable of that name.
    pub fn narrowed_reads(&self) -> NarrowReads {
        let mut narrowed = NarrowReads::new();
        for (k, variable) in NARROWED.into_iter().enumerate() {
            let reads = reads_of(&self.scans, |scan| {
                scan.narrowed.get(k).unwrap_or(&EVERYTHING)
            });
            for (template, reads) in reads.into_iter().filter(|(_, r)| !r.any) {
                let fields = reads.fields.into_iter().collect();
                narrowed
                    .entry(template)
                    .or_default()
                    .push((variable, fields));
            }
        }
        narrowed
    }

    /// The templates whose output an edit of the templates `changed` may
    /// change, `self` being the theme before the edit and `after` after
    /// it: those, and every template naming one of them, directly or
    /// through others. `None` when that could be any template: a changed
    /// one defines a component (before or after), or some template names
    /// others in a way the scan cannot follow.
    pub fn reached(&self, after: &TemplateGraph, changed: &[String]) -> Option<HashSet<String>> {
        let defines_component = |graph: &TemplateGraph, name: &String| {
            graph.scans.get(name).is_some_and(|s| s.component)
        };
        if changed
            .iter()
            .any(|name| defines_component(self, name) || defines_component(after, name))
            || after.scans.values().any(|s| s.dynamic)
        {
            return None;
        }
        let reached = after
            .scans
            .iter()
            .filter(|(name, _)| {
                let mut seen: HashSet<&str> = HashSet::from([name.as_str()]);
                let mut stack = vec![name.as_str()];
                while let Some(next) = stack.pop() {
                    for named in after.scans.get(next).map_or(&[][..], |s| &s.strings) {
                        if let Some((key, _)) = after.scans.get_key_value(named.as_str()) {
                            if seen.insert(key) {
                                stack.push(key);
                            }
                        }
                    }
                }
                changed.iter().any(|c| seen.contains(c.as_str()))
            })
            .map(|(name, _)| name.clone())
            .collect();
        Some(reached)
    }
}

/// A template's reads of the variable `of` picks, with those of every
/// template it names; everything when one names a template in a way the
/// scan cannot follow.
fn closure_of(
    scans: &HashMap<String, Scan>,
    first: &Scan,
    of: impl Fn(&Scan) -> &SiteReads,
) -> SiteReads {
    let mut reads = SiteReads::default();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut stack = vec![first];
    while let Some(scan) = stack.pop() {
        reads.extend(of(scan));
        reads.any |= scan.dynamic;
        for name in &scan.strings {
            if let Some((name, next)) = scans.get_key_value(name.as_str()) {
                if seen.insert(name) {
                    stack.push(next);
                }
            }
        }
    }
    reads
}

/// Every output file's job, by the template that renders it.
fn jobs_by_template(site: &Site) -> HashMap<&'static str, Vec<Job>> {
    let mut jobs: HashMap<&'static str, Vec<Job>> = HashMap::new();
    for job in crate::render::jobs(site) {
        if let Some((_, template)) = crate::render::target(site, job) {
            jobs.entry(template).or_default().push(job);
        }
    }
    jobs
}

/// A page's lists of other pages, as `PageView::lists` names them.
type Lists = Vec<(&'static str, Vec<usize>)>;

/// Made after each build that assembles the site; valid while no page
/// comes, goes or moves (edits in place keep it, see `refresh`).
pub struct Deps {
    /// By page index: its lists.
    lists: Vec<Lists>,
    /// By page index: the pages whose lists show it.
    listed_in: Vec<Vec<usize>>,
    /// Every output file's job, by the template that renders it.
    jobs: HashMap<&'static str, Vec<Job>>,
    /// By template name.
    reads: HashMap<String, SiteReads>,
    /// All shortcodes together: they are rendered into page bodies.
    shortcodes: SiteReads,
}

fn lists_of(views: &Views, j: usize) -> Lists {
    views.page_lists(j).unwrap_or_default()
}

impl Deps {
    pub fn new(site: &Site, theme: &Theme) -> Deps {
        let views = Views::new(site);
        let lists: Vec<Lists> = (0..site.pages.len())
            .into_par_iter()
            .map(|j| lists_of(&views, j))
            .collect();
        let mut listed_in = vec![Vec::new(); site.pages.len()];
        for (j, page_lists) in lists.iter().enumerate() {
            for &item in page_lists.iter().flat_map(|(_, items)| items) {
                if let Some(list) = listed_in.get_mut(item) {
                    if list.last() != Some(&j) {
                        list.push(j);
                    }
                }
            }
        }
        let jobs = jobs_by_template(site);
        let reads = theme_reads(theme);
        let mut shortcodes = SiteReads::default();
        for (_, scan) in reads.iter().filter(|(n, _)| n.starts_with("shortcodes/")) {
            shortcodes.extend(scan);
        }
        Deps {
            lists,
            listed_in,
            jobs,
            reads,
            shortcodes,
        }
    }

    /// Makes the lists of the pages `only` again from `site` (after
    /// articles changed order), and returns those whose lists changed.
    pub fn refresh(&mut self, site: &Site, only: &[usize]) -> Vec<usize> {
        let views = Views::new(site);
        let fresh: Vec<(usize, Lists)> = only
            .par_iter()
            .map(|&j| (j, lists_of(&views, j)))
            .filter(|(j, lists)| self.lists.get(*j) != Some(lists))
            .collect();
        let mut changed = Vec::with_capacity(fresh.len());
        for (j, lists) in fresh {
            let items = |lists: &Lists| -> HashSet<usize> {
                lists
                    .iter()
                    .flat_map(|(_, items)| items.iter().copied())
                    .collect()
            };
            let (before, after) = (
                self.lists.get(j).map(items).unwrap_or_default(),
                items(&lists),
            );
            for &gone in before.difference(&after) {
                if let Some(list) = self.listed_in.get_mut(gone) {
                    list.retain(|&k| k != j);
                }
            }
            for &new in after.difference(&before) {
                if let Some(list) = self.listed_in.get_mut(new) {
                    list.push(j);
                }
            }
            if let Some(slot) = self.lists.get_mut(j) {
                *slot = lists;
            }
            changed.push(j);
        }
        changed
    }

    /// Takes `site` assembled again with the same pages at the same
    /// indexes, of which only the pages `changed` (by index) may show
    /// other lists: their lists are made again, and the output files of
    /// each template (terms and list pages may have come or gone).
    pub fn update(&mut self, site: &Site, changed: &[usize]) {
        self.refresh(site, changed);
        self.retarget(site);
    }

    /// Takes the output files of each template again, after list pages
    /// came or went.
    pub fn retarget(&mut self, site: &Site) {
        self.jobs = jobs_by_template(site);
    }

    /// The pages whose lists show page `i`.
    pub fn listed_in(&self, i: usize) -> &[usize] {
        self.listed_in.get(i).map_or(&[], Vec::as_slice)
    }

    /// Takes the theme's templates again after an edit of them (the pages'
    /// lists stay as they are).
    pub fn set_theme(&mut self, theme: &Theme) {
        self.reads = theme_reads(theme);
        self.shortcodes = SiteReads::default();
        for (_, scan) in self
            .reads
            .iter()
            .filter(|(n, _)| n.starts_with("shortcodes/"))
        {
            self.shortcodes.extend(scan);
        }
    }

    /// The pages whose bodies call a shortcode that may show
    /// `site.<field>`.
    pub fn pages_calling_shortcodes_reading(&self, site: &Site, field: &str) -> Vec<usize> {
        let names: HashSet<&str> = self
            .reads
            .iter()
            .filter(|(_, reads)| reads.reads(field))
            .filter_map(|(name, _)| name.strip_prefix("shortcodes/")?.strip_suffix(".html"))
            .collect();
        if names.is_empty() {
            return Vec::new();
        }
        site.pages
            .iter()
            .enumerate()
            .filter(|(_, page)| {
                page.body
                    .shortcodes
                    .iter()
                    .any(|call| names.contains(call.name.as_str()))
            })
            .map(|(j, _)| j)
            .collect()
    }

    /// Whether a shortcode may show `site.<field>` in a page body.
    pub fn shortcodes_read(&self, field: &str) -> bool {
        self.shortcodes.reads(field)
    }

    /// Every output file whose template may show `site.<field>`.
    pub fn reading<'a>(&'a self, field: &'a str) -> impl Iterator<Item = Job> + 'a {
        self.jobs
            .iter()
            .filter(move |(template, _)| {
                // A template the theme lacks cannot be scanned: assume it reads.
                self.reads.get(**template).is_none_or(|r| r.reads(field))
            })
            .flat_map(|(_, jobs)| jobs.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> (bool, Vec<String>) {
        let site = scan(text).site;
        (site.any, site.fields.into_iter().collect())
    }

    #[test]
    fn site_fields_are_found_in_tags_only() {
        let cases: [(&str, bool, &[&str]); 12] = [
            ("<p>site.articles</p>", false, &[]),
            ("{{ site.title }}", false, &["title"]),
            ("{%- for a in site.articles[:5] %}", false, &["articles"]),
            ("{{ site . locations | length }}", false, &["locations"]),
            ("{% set s = site %}{{ s.articles }}", true, &[]),
            ("{{ site['articles'] }}", true, &[]),
            ("{{ __tera_context }}", true, &[]),
            ("{# site #}{{ page.site }}", false, &[]),
            ("{{ \"site\" }} {{ 'x }} site' }}", false, &[]),
            ("{{ a }}{{ site.brand.name }}", false, &["brand"]),
            ("{{ website.articles }}", false, &[]),
            ("{{ site", true, &[]),
        ];
        for (text, any, expected) in cases {
            assert_eq!(
                fields(text),
                (any, expected.iter().map(|s| s.to_string()).collect()),
                "{text}"
            );
        }
    }

    #[test]
    fn strings_and_components_are_recorded() {
        let scanned = scan("{% extends \"base.html\" %}{%- include 'partials/x.html' -%}");
        assert_eq!(scanned.strings, ["base.html", "partials/x.html"]);
        assert!(!scanned.component);
        assert!(scan("{%- component card(x) %}{% endcomponent %}").component);
        assert!(!scan("{{ component }}").component);
    }

    #[test]
    fn reads_follow_extends_and_includes_and_components() {
        let scans: HashMap<String, Scan> = [
            ("base.html", "{{ site.locations }}{% include \"p.html\" %}"),
            ("p.html", "{{ site.pages }}{% include \"base.html\" %}"),
            (
                "list.html",
                "{% extends \"base.html\" %}{{ site.articles }}",
            ),
            ("other.html", "{{ site.title }}"),
        ]
        .into_iter()
        .map(|(name, text)| (name.to_string(), scan(text)))
        .collect();
        let reads = reads_of(&scans, |scan| &scan.site);
        let list = &reads["list.html"];
        assert!(list.reads("articles") && list.reads("locations") && list.reads("pages"));
        assert!(!list.reads("authors") && !list.any);
        let other = &reads["other.html"];
        assert!(!other.reads("articles") && other.reads("title"));
    }

    #[test]
    fn list_variables_read_by_field_are_told_from_those_read_whole() {
        // (template, `taxonomy` read whole, its fields, likewise `paginator`)
        type Case<'a> = (&'a str, bool, &'a [&'a str], bool, &'a [&'a str]);
        let cases: [Case; 8] = [
            ("{{ taxonomy.title }}", false, &["title"], false, &[]),
            (
                "{% if paginator and paginator.number > 1 -%}{{ paginator.total_pages }}",
                false,
                &[],
                false,
                &["number", "total_pages"],
            ),
            ("{%- if not paginator -%}", false, &[], false, &[]),
            ("{{ paginator | json_encode }}", false, &[], true, &[]),
            (
                "{% set p = paginator %}{{ p.total_items }}",
                false,
                &[],
                true,
                &[],
            ),
            ("{{ page.paginator.total_items }}", false, &[], false, &[]),
            ("{{ __tera_context }}", true, &[], true, &[]),
            (
                "{% for t in taxonomy.terms %}{{ t.count }}",
                false,
                &["terms"],
                false,
                &[],
            ),
        ];
        let read = |reads: &SiteReads| -> (bool, Vec<String>) {
            (reads.any, reads.fields.iter().cloned().collect())
        };
        let strings = |fields: &[&str]| fields.iter().map(|f| f.to_string()).collect::<Vec<_>>();
        for (text, taxonomy_any, taxonomy, paginator_any, paginator) in cases {
            let [t, p] = scan(text).narrowed;
            assert_eq!(
                read(&t),
                (taxonomy_any, strings(taxonomy)),
                "taxonomy in {text}"
            );
            assert_eq!(
                read(&p),
                (paginator_any, strings(paginator)),
                "paginator in {text}"
            );
        }
    }
}
