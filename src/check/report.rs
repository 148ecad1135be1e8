//! Printing a check report: grouped text for people, a stable JSON
//! schema (docs/check.md) for CI and editors.

use std::fmt::Write;

use serde::Serialize;

use super::{Finding, Level, Report};

/// Findings grouped by file; notes only with `notes`.
pub fn text(report: &Report, notes: bool) -> String {
    let mut out = String::new();
    let mut file = None;
    for finding in report
        .findings
        .iter()
        .filter(|f| notes || f.severity != Level::Note)
    {
        if file != Some(&finding.file) {
            if file.is_some() {
                out.push('\n');
            }
            out.push_str(&finding.file);
            out.push('\n');
            file = Some(&finding.file);
        }
        // Written in place: a 10k site has tens of thousands of findings.
        let _ = writeln!(out, "  {}", Line(finding));
        if !finding.hint.is_empty() {
            let _ = writeln!(out, "    hint: {}", finding.hint);
        }
    }
    if let Some(external) = &report.external {
        out.push_str(&format!(
            "\nExternal links ({}, not fetched):\n",
            external.len()
        ));
        for link in external {
            out.push_str(&format!("  {}:{}: {}\n", link.file, link.line, link.url));
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

/// A finding on one line: `warning: content/a.md:12: readability: ...`
struct Line<'a>(&'a Finding);

impl std::fmt::Display for Line<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let finding = self.0;
        write!(f, "{}: {}", finding.severity.name(), finding.file)?;
        if let Some(line) = finding.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}: {}", finding.rule, finding.message)
    }
}

fn summary(report: &Report) -> String {
    let errors = report.count(Level::Error);
    let warnings = report.count(Level::Warning);
    format!(
        "Checked {} pages: {errors} error{}, {warnings} warning{}.",
        report.pages,
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    )
}

/// The JSON document; `version` changes only when a field changes meaning.
#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    summary: Summary,
    findings: &'a [Finding],
    #[serde(skip_serializing_if = "Option::is_none")]
    external: Option<&'a [super::ExternalLink]>,
    /// Every page's translation status, in a site of several languages.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    translations: &'a [super::TranslationStatus],
}

#[derive(Serialize)]
struct Summary {
    pages: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
}

pub fn json(report: &Report) -> String {
    let document = Document {
        version: 1,
        summary: Summary {
            pages: report.pages,
            errors: report.count(Level::Error),
            warnings: report.count(Level::Warning),
            notes: report.count(Level::Note),
        },
        findings: &report.findings,
        external: report.external.as_deref(),
        translations: &report.translations,
    };
    serde_json::to_string_pretty(&document).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
