//! What an import did and what a person should check, as one Markdown
//! text: printed, and written beside the site's `site.yaml`.

use super::plan::Skipped;

/// The report file, in the site folder (outside `content/`, so it is
/// never built).
pub const REPORT_FILE: &str = "import-report.md";

/// Counts for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub articles: usize,
    pub drafts: usize,
    pub future: usize,
    pub pages: usize,
    pub authors: usize,
    /// Uploaded files copied beside pages.
    pub files: usize,
}

/// The notes on one imported page.
#[derive(Debug, Clone, Default)]
pub struct PageNotes {
    /// From the site folder: `content/articles/knee-pain.md`.
    pub file: String,
    pub title: String,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The export file, as the user named it.
    pub export: String,
    pub counts: Counts,
    /// Notes about the whole import (the encoding, the address).
    pub general: Vec<String>,
    pub skipped: Vec<Skipped>,
    /// Items of other types than posts and pages, with how many.
    pub other_types: Vec<(String, usize)>,
    pub skipped_terms: Vec<String>,
    /// Only pages with something to check.
    pub pages: Vec<PageNotes>,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Report {
    /// How many things a person should look at.
    pub fn to_check(&self) -> usize {
        self.pages.iter().map(|p| p.notes.len()).sum::<usize>() + self.general.len()
    }

    /// The report as Markdown.
    pub fn text(&self) -> String {
        let c = self.counts;
        let mut out = String::from("# WordPress import report\n\n");
        let mut extra = Vec::new();
        if c.drafts > 0 {
            extra.push(plural(c.drafts, "draft", "drafts"));
        }
        if c.future > 0 {
            extra.push(format!(
                "{} for later",
                plural(c.future, "is set", "are set")
            ));
        }
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!(" ({})", extra.join(", "))
        };
        out.push_str(&format!(
            "From {}: {}{extra}, {}, {} and {}.\n",
            self.export,
            plural(c.articles, "article", "articles"),
            plural(c.pages, "page", "pages"),
            plural(c.authors, "author page", "author pages"),
            plural(c.files, "file", "files"),
        ));
        if !self.general.is_empty() {
            out.push('\n');
            for note in &self.general {
                out.push_str(&format!("- {note}\n"));
            }
        }
        self.left_out(&mut out);
        if self.pages.is_empty() {
            out.push_str("\n## To check\n\nNothing: every page was converted as it was.\n");
        } else {
            out.push_str(&format!(
                "\n## To check ({})\n",
                plural(self.to_check(), "item", "items")
            ));
            for page in &self.pages {
                out.push_str(&format!("\n### {} ({})\n\n", page.file, page.title));
                for note in &page.notes {
                    out.push_str(&format!("- {}\n", capitalize(note)));
                }
            }
        }
        out.push_str(
            "\nNext: run `handout check` in the site folder. Its list is the rest of the work.\n",
        );
        out
    }

    fn left_out(&self, out: &mut String) {
        if self.skipped.is_empty() && self.other_types.is_empty() && self.skipped_terms.is_empty() {
            return;
        }
        out.push_str("\n## Not imported\n\n");
        for skipped in &self.skipped {
            let title = if skipped.title.is_empty() {
                "(no title)"
            } else {
                &skipped.title
            };
            out.push_str(&format!(
                "- \"{title}\" ({} {}): {}\n",
                skipped.what, skipped.id, skipped.reason
            ));
        }
        for (kind, count) in &self.other_types {
            out.push_str(&format!(
                "- {}: WordPress's own items of this type are not pages or posts\n",
                plural(
                    *count,
                    &format!("`{kind}` item"),
                    &format!("`{kind}` items")
                )
            ));
        }
        if !self.skipped_terms.is_empty() {
            out.push_str(&format!(
                "- the categories or tags {} were left off every post\n",
                self.skipped_terms.join(", ")
            ));
        }
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_each_page_and_what_to_check() {
        let report = Report {
            export: "export.xml".into(),
            counts: Counts {
                articles: 3,
                drafts: 1,
                future: 1,
                pages: 1,
                authors: 1,
                files: 2,
            },
            skipped: vec![Skipped {
                title: "Staff".into(),
                what: "post".into(),
                id: 4,
                reason: "private".into(),
            }],
            pages: vec![PageNotes {
                file: "content/articles/a.md".into(),
                title: "A".into(),
                notes: vec!["an <iframe> was kept".into()],
            }],
            ..Report::default()
        };
        let text = report.text();
        assert!(text.contains("From export.xml: 3 articles (1 draft, 1 is set for later), 1 page, 1 author page and 2 files."), "{text}");
        assert!(text.contains("- \"Staff\" (post 4): private\n"));
        assert!(text.contains(
            "## To check (1 item)\n\n### content/articles/a.md (A)\n\n- An <iframe> was kept\n"
        ));
    }
}
