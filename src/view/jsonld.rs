//! Structured data (schema.org JSON-LD) that search engines read: each
//! clinic as a `MedicalClinic`, the brand as a `MedicalOrganization`.
//! Built with serde_json and made safe to place inside `<script>`.

use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{json, Map, Value};

use super::{ArticleView, AuthorSummary, AuthorView, LocationView, Views};
use crate::site::Page;

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&`
/// escaped, so no text in it can end the script element.
pub fn script(value: &impl Serialize) -> String {
    let mut json = Vec::with_capacity(2048);
    // Writing JSON values into memory cannot fail.
    let _ = serde_json::to_writer(&mut json, value);
    // Outside its strings JSON has none of the three bytes, so escaping
    // them in one pass over the whole is escaping them in every string
    // (a pass per string was 1% of a build).
    let mut out = Vec::with_capacity(json.len() + 64);
    let mut rest = json.as_slice();
    while let Some(i) = memchr::memchr3(b'<', b'>', b'&', rest) {
        let (before, after) = rest.split_at(i);
        out.extend_from_slice(before);
        out.extend_from_slice(match after.first() {
            Some(b'<') => b"\\u003c",
            Some(b'>') => b"\\u003e",
            _ => b"\\u0026",
        });
        rest = after.get(1..).unwrap_or_default();
    }
    out.extend_from_slice(rest);
    String::from_utf8(out).unwrap_or_default()
}

/// The brand, with every clinic as a department (on the home page).
pub fn organization(views: &Views, with_departments: bool) -> Value {
    let config = &views.site.config;
    let mut org = Map::new();
    org.insert("@type".into(), json!("MedicalOrganization"));
    org.insert(
        "@id".into(),
        json!(format!("{}#organization", views.permalink(""))),
    );
    org.insert("name".into(), json!(config.brand_name()));
    org.insert("url".into(), json!(views.permalink("")));
    if let Some(tel) = config
        .brand
        .phone
        .as_deref()
        .and_then(|p| crate::phone::e164(p).ok())
    {
        org.insert("telephone".into(), json!(tel));
    }
    if let Some(logo) = config.brand.logo.as_deref() {
        org.insert("logo".into(), json!(views.asset_permalink(logo)));
    }
    if with_departments {
        let departments: Vec<Value> = views
            .site
            .locations
            .iter()
            .filter_map(|&i| views.location_summary(i))
            .map(|loc| {
                json!({
                    "@type": "MedicalClinic",
                    "@id": format!("{}#clinic", loc.permalink),
                    "name": loc.name,
                    "url": loc.permalink,
                    "telephone": loc.phone_tel,
                })
            })
            .collect();
        org.insert("department".into(), Value::Array(departments));
    }
    Value::Object(org)
}

/// The brand as every article's publisher, written once for a site: its
/// phone parsed and its JSON made once, not on every article.
pub struct Publisher {
    id: String,
    json: Box<RawValue>,
}

impl Publisher {
    pub fn new(views: &Views) -> Publisher {
        let organization = organization(views, false);
        let id = organization
            .get("@id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        // A JSON value always writes as JSON.
        let json = serde_json::value::to_raw_value(&organization)
            .unwrap_or_else(|_| RawValue::NULL.to_owned());
        Publisher { id, json }
    }
}

/// The home page's graph.
pub fn home(views: &Views) -> Value {
    let mut org = organization(views, true);
    if let Value::Object(map) = &mut org {
        map.insert("@context".into(), json!("https://schema.org"));
    }
    org
}

/// A clinic page's `MedicalClinic`.
pub fn clinic(views: &Views, permalink: &str, view: &LocationView) -> Value {
    let mut clinic = Map::new();
    let mut put = |key: &str, value: Value| {
        clinic.insert(key.to_string(), value);
    };
    put("@context", json!("https://schema.org"));
    put("@type", json!("MedicalClinic"));
    put("@id", json!(format!("{permalink}#clinic")));
    put("name", json!(view.name));
    put("url", json!(permalink));
    put(
        "medicalSpecialty",
        json!("https://schema.org/Physiotherapy"),
    );
    put("telephone", json!(view.phone_tel));
    if let Some(fax) = view.fax.as_deref().and_then(|f| crate::phone::e164(f).ok()) {
        put("faxNumber", json!(fax));
    }
    if let Some(email) = &view.email {
        put("email", json!(email));
    }
    put(
        "address",
        json!({
            "@type": "PostalAddress",
            "streetAddress": view.address.street,
            "addressLocality": view.address.locality,
            "addressRegion": view.address.region,
            "postalCode": view.address.postal_code,
            "addressCountry": "US",
        }),
    );
    if let Some(geo) = view.geo {
        put(
            "geo",
            json!({"@type": "GeoCoordinates", "latitude": geo.lat, "longitude": geo.lng}),
        );
    }
    let (hours, special) = opening_hours(view);
    if !hours.is_empty() {
        put("openingHoursSpecification", Value::Array(hours));
    }
    if !special.is_empty() {
        put("specialOpeningHoursSpecification", Value::Array(special));
    }
    if view.photo.is_some() {
        if let Some(photo) = &view.photo_permalink {
            put("image", json!(photo));
        }
    }
    put("parentOrganization", organization(views, false));
    let services: Vec<Value> = view
        .services
        .iter()
        .map(|s| json!({"@type": "MedicalTherapy", "name": s.name}))
        .collect();
    if !services.is_empty() {
        put("availableService", Value::Array(services));
    }
    if !view.area_served.is_empty() {
        let towns: Vec<Value> = view
            .area_served
            .iter()
            .map(|t| json!({"@type": "City", "name": t}))
            .collect();
        put("areaServed", Value::Array(towns));
    }
    if let Some(accepting) = view.accepting_new_patients {
        put("isAcceptingNewPatients", json!(accepting));
    }
    Value::Object(clinic)
}

/// A clinic's weekly hours and its holiday hours as schema.org
/// `OpeningHoursSpecification`s.
fn opening_hours(view: &LocationView) -> (Vec<Value>, Vec<Value>) {
    let weekly: Vec<Value> = view
        .hours
        .iter()
        .flat_map(|row| {
            let days: Vec<&str> = row.days.iter().map(|d| d.full_name()).collect();
            row.shifts.iter().map(move |shift| {
                json!({
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": days,
                    "opens": shift.opens,
                    "closes": shift.closes,
                })
            })
        })
        .collect();
    let special: Vec<Value> = view
        .holidays
        .iter()
        .map(|day| {
            // schema.org marks a closed day as opening and closing at 00:00.
            json!({
                "@type": "OpeningHoursSpecification",
                "validFrom": day.date.iso,
                "validThrough": day.date.iso,
                "opens": day.opens.as_deref().unwrap_or("00:00"),
                "closes": day.closes.as_deref().unwrap_or("00:00"),
            })
        })
        .collect();
    (weekly, special)
}

/// A clinician as a schema.org `Person`.
fn person(author: &AuthorSummary) -> Value {
    serde_json::to_value(Person::of(author)).unwrap_or(Value::Null)
}

// The article graph is made on every article page, so it is written from
// typed structs (no map of owned keys per page). Fields are declared in
// byte order of their keys: the JSON reads as a serde_json map would.

/// `{"@id": ...}`
#[derive(Serialize)]
struct IdRef<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
}

#[derive(Serialize)]
struct Person<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "honorificSuffix", skip_serializing_if = "str::is_empty")]
    honorific_suffix: &'a str,
    #[serde(rename = "jobTitle", skip_serializing_if = "Option::is_none")]
    job_title: Option<&'a str>,
    name: &'a str,
    url: &'a str,
}

impl<'a> Person<'a> {
    fn of(author: &'a AuthorSummary) -> Self {
        Person {
            id: [author.permalink.as_str(), "#person"].concat(),
            kind: "Person",
            honorific_suffix: &author.credentials_text,
            job_title: author.role.as_deref(),
            name: &author.name,
            url: &author.permalink,
        }
    }
}

/// `{"@type": ...}`
#[derive(Serialize)]
struct Kind {
    #[serde(rename = "@type")]
    kind: &'static str,
}

/// `{"@type": ..., "name": ...}`
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct MedicalWebPage<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    about: Vec<Named<'a>>,
    breadcrumb: IdRef<'a>,
    description: &'a str,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "lastReviewed", skip_serializing_if = "Option::is_none")]
    last_reviewed: Option<&'a str>,
    #[serde(rename = "mainEntity")]
    main_entity: IdRef<'a>,
    #[serde(rename = "medicalAudience")]
    medical_audience: Kind,
    name: &'a str,
    #[serde(rename = "reviewedBy", skip_serializing_if = "Option::is_none")]
    reviewed_by: Option<Person<'a>>,
    url: &'a str,
}

#[derive(Serialize)]
struct Article<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Person<'a>>,
    #[serde(rename = "dateModified")]
    date_modified: &'a str,
    #[serde(rename = "datePublished")]
    date_published: &'a str,
    description: &'a str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(rename = "inLanguage", skip_serializing_if = "Option::is_none")]
    in_language: Option<&'a str>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: IdRef<'a>,
    publisher: IdRef<'a>,
    /// A translation's original article.
    #[serde(rename = "translationOfWork", skip_serializing_if = "Option::is_none")]
    translation_of_work: Option<IdRef<'a>>,
    /// An original's translations.
    #[serde(rename = "workTranslation", skip_serializing_if = "Vec::is_empty")]
    work_translation: Vec<IdRef<'a>>,
}

#[derive(Serialize)]
struct BreadcrumbList<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "itemListElement")]
    items: [ListItem<'a>; 3],
}

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    item: &'a str,
    name: &'a str,
    position: u8,
}

/// An article's JSON-LD document.
#[derive(Serialize)]
pub struct ArticleGraph<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: (
        MedicalWebPage<'a>,
        Article<'a>,
        BreadcrumbList<'a>,
        &'a RawValue,
    ),
}

/// Owned strings the article graph borrows.
pub struct ArticleIds {
    permalink: String,
    article: String,
    breadcrumb: String,
    home: String,
    articles: String,
    /// A translation's original (`#article` id), in a site of several
    /// languages.
    original: Option<String>,
    /// An original's translations (`#article` ids).
    translations: Vec<String>,
}

impl ArticleIds {
    pub fn new(views: &Views, page: &Page) -> Self {
        let permalink = views.permalink(&page.path);
        ArticleIds {
            article: [permalink.as_str(), "#article"].concat(),
            breadcrumb: [permalink.as_str(), "#breadcrumb"].concat(),
            permalink,
            home: views.permalink(&views.site.config.prefix),
            articles: views.permalink(&views.site.lang_path("articles/")),
            original: None,
            translations: Vec::new(),
        }
        .with_translations(views, page)
    }

    fn with_translations(mut self, views: &Views, page: &Page) -> Self {
        let translations = &views.site.translations;
        let Some(paths) = translations.pages.get(page.source.key()) else {
            return self;
        };
        let id = |path: &String| views.permalink(path) + "#article";
        if page.source.lang.is_some() {
            self.original = paths.first().and_then(Option::as_ref).map(id);
        } else {
            self.translations = paths.iter().skip(1).flatten().map(id).collect();
        }
        self
    }
}

/// An article's graph: the `MedicalWebPage` (review, audience, topics),
/// its `Article`, the `BreadcrumbList` and the publisher.
pub fn article<'a>(
    views: &'a Views,
    ids: &'a ArticleIds,
    publisher: &'a Publisher,
    page: &'a Page,
    view: &'a ArticleView,
    image: Option<&'a str>,
) -> ArticleGraph<'a> {
    let title = page.title();
    let description = page.article().map_or("", |a| a.description.as_str());
    let org_id = publisher.id.as_str();
    let about = view
        .treatments
        .iter()
        .map(|t| Named {
            kind: "MedicalTherapy",
            name: &t.name,
        })
        .chain(view.conditions.iter().map(|c| Named {
            kind: "MedicalCondition",
            name: &c.name,
        }))
        .collect();
    let permalink = ids.permalink.as_str();
    let web_page = MedicalWebPage {
        id: permalink,
        kind: "MedicalWebPage",
        about,
        breadcrumb: IdRef {
            id: &ids.breadcrumb,
        },
        description,
        in_language: &views.site.config.language,
        last_reviewed: view.last_reviewed.as_ref().map(|d| d.iso.as_str()),
        main_entity: IdRef { id: &ids.article },
        medical_audience: Kind { kind: "Patient" },
        name: title,
        reviewed_by: view.reviewed_by.as_ref().map(Person::of),
        url: permalink,
    };
    let article = Article {
        id: &ids.article,
        kind: "Article",
        author: view.author.as_ref().map(Person::of),
        date_modified: &view.updated.as_ref().unwrap_or(&view.date).iso,
        date_published: &view.date.iso,
        description,
        headline: title,
        image,
        in_language: views
            .site
            .translations
            .is_multilingual()
            .then_some(views.site.config.language.as_str()),
        main_entity_of_page: IdRef { id: permalink },
        publisher: IdRef { id: org_id },
        translation_of_work: ids.original.as_deref().map(|id| IdRef { id }),
        work_translation: ids.translations.iter().map(|id| IdRef { id }).collect(),
    };
    let item = |position: u8, name: &'a str, item: &'a str| ListItem {
        kind: "ListItem",
        item,
        name,
        position,
    };
    let crumbs = BreadcrumbList {
        id: &ids.breadcrumb,
        kind: "BreadcrumbList",
        items: [
            item(1, "Home", &ids.home),
            item(2, "Articles", &ids.articles),
            item(3, title, permalink),
        ],
    };
    ArticleGraph {
        context: "https://schema.org",
        graph: (web_page, article, crumbs, &publisher.json),
    }
}

/// An author page: a `ProfilePage` about the `Person`.
pub fn author(views: &Views, page: &Page, view: &AuthorView) -> Value {
    let permalink = views.permalink(&page.path);
    let organization = organization(views, false);
    let org_id = organization.get("@id").cloned().unwrap_or(Value::Null);
    let mut person = person(&AuthorSummary {
        name: view.name.clone(),
        url: views.url(&page.path),
        permalink: permalink.clone(),
        credentials: view.credentials.clone(),
        credentials_text: view.credentials_text.clone(),
        role: view.role.clone(),
    });
    if let Value::Object(map) = &mut person {
        map.insert("worksFor".into(), json!({"@id": org_id}));
        if let Some(photo) = page.photo.as_deref() {
            map.insert("image".into(), json!(views.picture_permalink(photo)));
        }
    }
    let profile = json!({
        "@type": "ProfilePage",
        "@id": permalink,
        "url": permalink,
        "name": view.name,
        "mainEntity": {"@id": format!("{permalink}#person")},
    });
    json!({
        "@context": "https://schema.org",
        "@graph": [profile, person, organization],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_text_cannot_close_the_element() {
        let value = json!({"name": "</script><b>&"});
        let text = script(&value);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
