//! Translations beside their originals: `about.es.md` translates
//! `about.md`, `articles/a/index.es.md` translates `articles/a/index.md`.
//! A clinic's or clinician's translation carries only words; its facts
//! (phone, address, hours...) are the original's, so they cannot differ
//! between languages, and writing one again is an error.

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::{classify, Kind, Meta, Read, SourcePage};
use crate::error::{Diagnostic, Errors, Place};
use crate::frontmatter::{AuthorMeta, LocationMeta};
use crate::yaml::lines::front_matter_key_line;

/// `(language, original)` of a translation's file name from `content/`:
/// `articles/a.es.md` -> `("es", "articles/a.md")`; none for another name.
///
/// ```
/// use handout::content::translation::split_name;
/// assert_eq!(split_name("about.es.md"), Some(("es".into(), "about.md".into())));
/// assert_eq!(split_name("articles/a/index.es.md"), Some(("es".into(), "articles/a/index.md".into())));
/// assert_eq!(split_name("node.js.md"), None);
/// assert_eq!(split_name("about.md"), None);
/// ```
pub fn split_name(rel: &str) -> Option<(String, String)> {
    let stem = rel.strip_suffix(".md")?;
    let (name, code) = stem.rsplit_once('.')?;
    if code.contains('/') || name.is_empty() || name.ends_with('/') {
        return None;
    }
    let lower = code.to_ascii_lowercase();
    crate::config::looks_like_code(&lower).then(|| (lower, format!("{name}.md")))
}

/// A clinic's translation: what patients read. Facts are listed only to
/// say that they belong in the original.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocationWords {
    pub name: Option<String>,
    #[serde(default)]
    pub services: Vec<String>,
    pub parking: Option<String>,
    pub transit: Option<String>,
    pub photo_alt: Option<String>,
    /// How to get in, in words (`accessibility: {entrance: ...}`).
    pub accessibility: Option<EntranceWords>,
    /// The notes of the original's `holiday_hours`, by date:
    /// `{2026-12-25: Navidad}`.
    #[serde(default)]
    pub holiday_notes: std::collections::BTreeMap<crate::frontmatter::Date, String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    city: Option<IgnoredAny>,
    address: Option<IgnoredAny>,
    phone: Option<IgnoredAny>,
    fax: Option<IgnoredAny>,
    email: Option<IgnoredAny>,
    geo: Option<IgnoredAny>,
    hours: Option<IgnoredAny>,
    holiday_hours: Option<IgnoredAny>,
    booking_url: Option<IgnoredAny>,
    photo: Option<IgnoredAny>,
    clinicians: Option<IgnoredAny>,
    insurance: Option<IgnoredAny>,
    accepting_new_patients: Option<IgnoredAny>,
    area_served: Option<IgnoredAny>,
}

/// `accessibility:` in a clinic's translation: the entrance, in words.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntranceWords {
    pub entrance: Option<String>,
}

impl LocationWords {
    /// The facts written, by key.
    fn facts(&self) -> Vec<&'static str> {
        [
            ("city", self.city.is_some()),
            ("address", self.address.is_some()),
            ("phone", self.phone.is_some()),
            ("fax", self.fax.is_some()),
            ("email", self.email.is_some()),
            ("geo", self.geo.is_some()),
            ("hours", self.hours.is_some()),
            ("holiday_hours", self.holiday_hours.is_some()),
            ("booking_url", self.booking_url.is_some()),
            ("photo", self.photo.is_some()),
            ("clinicians", self.clinicians.is_some()),
            ("insurance", self.insurance.is_some()),
            (
                "accepting_new_patients",
                self.accepting_new_patients.is_some(),
            ),
            ("area_served", self.area_served.is_some()),
        ]
        .into_iter()
        .filter_map(|(key, written)| written.then_some(key))
        .collect()
    }

    fn apply(self, mut meta: LocationMeta) -> LocationMeta {
        if let Some(name) = self.name {
            meta.name = name;
        }
        if !self.services.is_empty() {
            meta.services = self.services;
        }
        meta.parking = self.parking.or(meta.parking);
        meta.transit = self.transit.or(meta.transit);
        meta.photo_alt = self.photo_alt.or(meta.photo_alt);
        if let (Some(words), Some(access)) = (self.accessibility, meta.accessibility.as_mut()) {
            access.entrance = words.entrance.or(access.entrance.take());
        }
        for holiday in &mut meta.holiday_hours {
            if let Some(note) = self.holiday_notes.get(&holiday.date) {
                holiday.note = Some(note.clone());
            }
        }
        meta.aliases = self.aliases;
        meta
    }
}

/// A clinician's translation: name and role in words, and the biography.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorWords {
    pub name: Option<String>,
    pub role: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    credentials: Option<IgnoredAny>,
    photo: Option<IgnoredAny>,
}

impl AuthorWords {
    fn facts(&self) -> Vec<&'static str> {
        [
            ("credentials", self.credentials.is_some()),
            ("photo", self.photo.is_some()),
        ]
        .into_iter()
        .filter_map(|(key, written)| written.then_some(key))
        .collect()
    }

    fn apply(self, mut meta: AuthorMeta) -> AuthorMeta {
        if let Some(name) = self.name {
            meta.name = name;
        }
        meta.role = self.role.or(meta.role);
        meta.aliases = self.aliases;
        meta
    }
}

/// The words of a clinic's or clinician's translation.
#[derive(Debug, Clone)]
pub enum Words {
    Location(Box<LocationWords>),
    Author(AuthorWords),
}

impl From<LocationWords> for Words {
    fn from(words: LocationWords) -> Self {
        Words::Location(Box::new(words))
    }
}

/// Pairs every translation with its original (`pages`, the default
/// language's): one without an original is an error naming the nearest
/// name there is; a clinic's or clinician's gets the original's facts.
pub(crate) fn pair(
    pages: &[SourcePage],
    broken: &[String],
    translations: Vec<Read>,
    errors: &mut Errors,
) -> Vec<SourcePage> {
    let originals: rustc_hash::FxHashMap<(Kind, &str), &SourcePage> = pages
        .iter()
        .filter_map(|p| Some(((classify(&p.rel).ok()?, p.file_slug.as_str()), p)))
        .collect();
    let mut paired = Vec::with_capacity(translations.len());
    for read in translations {
        let (mut page, words) = match read {
            Read::Page(page) => (page, None),
            Read::Words(page, words) => (page, Some(words)),
        };
        let Some(original_rel) = page.original.clone() else {
            continue;
        };
        let Ok(kind) = classify(&original_rel) else {
            continue;
        };
        let Some(original) = originals.get(&(kind, page.file_slug.as_str())) else {
            let broken_original = broken
                .iter()
                .any(|b| classify(b).ok() == Some(kind) && super::file_slug(b) == page.file_slug);
            if !broken_original {
                errors.push(no_original(&page, kind, &original_rel, &originals));
            }
            continue;
        };
        page.original = Some(original.rel.clone());
        if let Some(words) = words {
            match merge(&page, original, words) {
                Ok(meta) => page.meta = std::sync::Arc::new(meta),
                Err(more) => {
                    errors.extend(more);
                    continue;
                }
            }
        }
        paired.push(page);
    }
    paired
}

/// "This translates `x.md`, which does not exist", with the nearest name.
fn no_original(
    page: &SourcePage,
    kind: Kind,
    original_rel: &str,
    originals: &rustc_hash::FxHashMap<(Kind, &str), &SourcePage>,
) -> Diagnostic {
    let same_kind: Vec<&SourcePage> = originals
        .iter()
        .filter(|((k, _), _)| *k == kind)
        .map(|(_, p)| *p)
        .collect();
    let nearest = crate::suggest::nearest(
        &page.file_slug,
        same_kind.iter().map(|p| p.file_slug.as_str()),
    );
    let lang = page.lang.as_deref().unwrap_or_default();
    let message = format!(
        "this is a translation (`.{lang}.md`) of content/{original_rel}, which does not exist"
    );
    let hint = match nearest.and_then(|slug| same_kind.iter().find(|p| p.file_slug == slug)) {
        Some(near) => format!(
            "did you mean to translate content/{}? Name this file {}",
            near.rel,
            translated_name(&near.rel, lang)
        ),
        None => {
            "name a translation after its original: about.md's Spanish is about.es.md".to_string()
        }
    };
    Diagnostic::new(Place::at(&page.path, 1, Some(1)), message).hint(hint)
}

/// `articles/a/index.md`, `es` -> `content/articles/a/index.es.md`.
pub fn translated_name(original_rel: &str, lang: &str) -> String {
    let stem = original_rel.strip_suffix(".md").unwrap_or(original_rel);
    format!("content/{stem}.{lang}.md")
}

/// The original's meta with the translation's words; a fact written again
/// is an error at its line.
fn merge(page: &SourcePage, original: &SourcePage, words: Words) -> Result<Meta, Errors> {
    let (facts, what) = match &words {
        Words::Location(w) => (w.facts(), "clinic"),
        Words::Author(w) => (w.facts(), "clinician"),
    };
    if !facts.is_empty() {
        return Err(facts
            .into_iter()
            .map(|key| {
                Diagnostic::new(
                    Place::at(&page.path, front_matter_key_line(&page.front_matter(), key), Some(1)),
                    format!(
                        "`{key}` is a fact about the {what}, and facts come from {}: remove it here, so the languages can never differ",
                        crate::error::display_path(&original.path)
                    ),
                )
                .hint("a translation holds only words: the name as patients read it, services, parking, transit, the text")
            })
            .collect());
    }
    if let (Words::Location(w), Meta::Location(meta)) = (&words, &*original.meta) {
        if let Some(date) = w
            .holiday_notes
            .keys()
            .find(|d| !meta.holiday_hours.iter().any(|h| h.date == **d))
        {
            return Err(Diagnostic::new(
                Place::at(
                    &page.path,
                    front_matter_key_line(&page.front_matter(), "holiday_notes"),
                    Some(1),
                ),
                format!(
                    "`holiday_notes` has a note for {}, which is not one of the holidays in {}",
                    date.iso(),
                    crate::error::display_path(&original.path)
                ),
            )
            .hint("give notes only for the dates of the original's `holiday_hours`")
            .into());
        }
    }
    Ok(match (words, &*original.meta) {
        (Words::Location(w), Meta::Location(meta)) => {
            Meta::Location(Box::new(w.apply((**meta).clone())))
        }
        (Words::Author(w), Meta::Author(meta)) => Meta::Author(w.apply(meta.clone())),
        (_, meta) => meta.clone(),
    })
}
