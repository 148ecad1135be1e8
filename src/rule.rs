//! The ids of `handout check`'s rules and how much a finding matters: a
//! small module of their own, so `site.yaml` can name rules without the
//! configuration depending on `check`.

use serde::Serialize;

/// Every rule, by its id in `site.yaml` (`check: {rules: {<id>: off}}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    Readability,
    ReviewDue,
    ReviewPair,
    DatesOrder,
    ImageAlt,
    LinkText,
    HeadingOrder,
    TableHeader,
    TitleLength,
    DescriptionLength,
    DuplicateTitle,
    DuplicateDescription,
    TelLink,
    MailtoLink,
    InsecureLink,
    TranslationStale,
    TranslationMissing,
    TranslationLink,
}

impl Rule {
    pub const ALL: [Rule; 18] = [
        Rule::Readability,
        Rule::ReviewDue,
        Rule::ReviewPair,
        Rule::DatesOrder,
        Rule::ImageAlt,
        Rule::LinkText,
        Rule::HeadingOrder,
        Rule::TableHeader,
        Rule::TitleLength,
        Rule::DescriptionLength,
        Rule::DuplicateTitle,
        Rule::DuplicateDescription,
        Rule::TelLink,
        Rule::MailtoLink,
        Rule::InsecureLink,
        Rule::TranslationStale,
        Rule::TranslationMissing,
        Rule::TranslationLink,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::Readability => "readability",
            Rule::ReviewDue => "review-due",
            Rule::ReviewPair => "review-pair",
            Rule::DatesOrder => "dates-order",
            Rule::ImageAlt => "image-alt",
            Rule::LinkText => "link-text",
            Rule::HeadingOrder => "heading-order",
            Rule::TableHeader => "table-header",
            Rule::TitleLength => "title-length",
            Rule::DescriptionLength => "description-length",
            Rule::DuplicateTitle => "duplicate-title",
            Rule::DuplicateDescription => "duplicate-description",
            Rule::TelLink => "tel-link",
            Rule::MailtoLink => "mailto-link",
            Rule::InsecureLink => "insecure-link",
            Rule::TranslationStale => "translation-stale",
            Rule::TranslationMissing => "translation-missing",
            Rule::TranslationLink => "translation-link",
        }
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// Errors are facts that are wrong; warnings are judgement calls.
    pub fn default_level(self) -> Level {
        match self {
            Rule::ReviewPair
            | Rule::DatesOrder
            | Rule::ImageAlt
            | Rule::TelLink
            | Rule::MailtoLink => Level::Error,
            Rule::TranslationMissing | Rule::TranslationLink => Level::Note,
            _ => Level::Warning,
        }
    }
}

/// How much a finding matters. Notes (figures, texts too short to judge)
/// never fail a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}
