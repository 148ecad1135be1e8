//! Views of clinic locations: the summary every list and footer uses, and
//! the full clinic page.

use serde::Serialize;

use super::hours::{self, HolidayView, HoursRow};
use super::Views;
use crate::content::Meta;
use crate::frontmatter::{Accessibility, Address, Geo, LocationMeta};
use crate::site::{Page, TaxonomyKind};

/// A clinic in lists (`site.locations`, `section.pages`, `page.clinics`).
#[derive(Debug, Clone, Serialize)]
pub struct LocationSummary {
    pub slug: String,
    pub name: String,
    pub city: String,
    pub url: String,
    pub permalink: String,
    /// As written: `(630) 555-0101`.
    pub phone: String,
    /// For `tel:` links: `+16305550101`.
    pub phone_tel: String,
    pub address: Address,
    pub geo: Option<Geo>,
    pub services: Vec<String>,
    pub booking_url: Option<String>,
    /// The week in one line: `Mon–Fri 7:00 AM – 7:00 PM · Sat 8:00 AM – 12:00 PM`.
    pub hours_summary: String,
}

/// A service a clinic offers, linked to its treatment page when there is one.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceView {
    pub name: String,
    pub url: Option<String>,
}

/// `page` on a clinic page.
#[derive(Debug, Clone, Serialize)]
pub struct LocationView {
    pub name: String,
    pub city: String,
    pub address: Address,
    pub phone: String,
    pub phone_tel: String,
    pub fax: Option<String>,
    pub email: Option<String>,
    pub geo: Option<Geo>,
    /// The week as table rows, equal consecutive days merged.
    pub hours: Vec<HoursRow>,
    /// Holiday hours from today on.
    pub holidays: Vec<HolidayView>,
    pub services: Vec<ServiceView>,
    /// The clinic's own, else the brand's.
    pub booking_url: Option<String>,
    pub directions_url: String,
    pub parking: Option<String>,
    pub transit: Option<String>,
    pub accessibility: Option<Accessibility>,
    pub photo: Option<String>,
    /// The photo's absolute URL, for structured data and sharing.
    pub photo_permalink: Option<String>,
    pub photo_alt: Option<String>,
    pub insurance: Vec<String>,
    pub accepting_new_patients: Option<bool>,
    pub area_served: Vec<String>,
}

/// How many articles a clinic page lists.
const ARTICLES_SHOWN: usize = 6;

fn meta(page: &Page) -> Option<&LocationMeta> {
    match &*page.source.meta {
        Meta::Location(meta) => Some(meta),
        _ => None,
    }
}

impl Views<'_> {
    pub(super) fn make_location_summary(&self, i: usize) -> Option<LocationSummary> {
        let page = self.page(i)?;
        let meta = meta(page)?;
        let hours_summary = hours::rows(meta, &self.locale)
            .iter()
            .filter(|row| !row.shifts.is_empty())
            .map(|row| format!("{} {}", row.days_label, row.hours_label))
            .collect::<Vec<_>>()
            .join(" · ");
        Some(LocationSummary {
            slug: page.source.file_slug.clone(),
            name: meta.name.clone(),
            city: meta.city.clone(),
            url: self.url(&page.path),
            permalink: self.permalink(&page.path),
            phone: meta.phone.clone(),
            phone_tel: crate::phone::e164(&meta.phone).unwrap_or_default(),
            address: meta.address.clone(),
            geo: meta.geo,
            services: meta.services.clone(),
            booking_url: meta.booking_url.clone(),
            hours_summary,
        })
    }

    pub(super) fn location_view(&self, page: &Page) -> Option<LocationView> {
        let meta = meta(page)?;
        let site = self.site;
        let services = meta
            .services
            .iter()
            .map(|name| ServiceView {
                name: name.clone(),
                url: self
                    .term_link(TaxonomyKind::Treatments, name)
                    .map(|link| link.url.clone()),
            })
            .collect();

        Some(LocationView {
            name: meta.name.clone(),
            city: meta.city.clone(),
            address: meta.address.clone(),
            phone: meta.phone.clone(),
            phone_tel: crate::phone::e164(&meta.phone).unwrap_or_default(),
            fax: meta.fax.clone(),
            email: meta.email.clone(),
            geo: meta.geo,
            hours: hours::rows(meta, &self.locale),
            holidays: hours::upcoming_holidays(meta, site.today, &self.locale),
            services,
            booking_url: meta
                .booking_url
                .clone()
                .or_else(|| site.config.brand.booking_url.clone()),
            directions_url: hours::directions_url(meta),
            parking: meta.parking.clone(),
            transit: meta.transit.clone(),
            accessibility: meta.accessibility.clone(),
            photo: page.photo.as_deref().map(|p| self.asset_url(p)),
            photo_permalink: page.photo.as_deref().map(|p| self.picture_permalink(p)),
            photo_alt: meta.photo_alt.clone(),
            insurance: meta.insurance.clone(),
            accepting_new_patients: meta.accepting_new_patients,
            area_served: meta.area_served.clone(),
        })
    }

    /// The authors a clinic lists as its clinicians.
    pub(super) fn clinician_indices(&self, meta: &LocationMeta) -> Vec<usize> {
        let site = self.site;
        meta.clinicians
            .iter()
            .filter_map(|slug| {
                site.authors.iter().copied().find(|&a| {
                    site.pages
                        .get(a)
                        .is_some_and(|p| &p.source.file_slug == slug)
                })
            })
            .collect()
    }

    /// The newest articles whose treatments include one of `services`.
    pub(super) fn articles_about(&self, services: &[String]) -> Vec<usize> {
        let wanted: Vec<String> = services.iter().map(slug::slugify).collect();
        self.site
            .articles
            .iter()
            .copied()
            .filter(|&i| {
                self.page(i).and_then(Page::article).is_some_and(|a| {
                    a.treatments
                        .iter()
                        .any(|t| wanted.contains(&slug::slugify(t)))
                })
            })
            .take(ARTICLES_SHOWN)
            .collect()
    }
}
