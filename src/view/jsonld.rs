//! Structured data (schema.org JSON-LD) that search engines read: each
//! clinic as a `MedicalClinic`, the brand as a `MedicalOrganization`.
//! Built with serde_json and made safe to place inside `<script>`; an
//! article's graph, on every article page, is written by hand
//! ([`article_script`]).

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::{ArticleView, AuthorSummary, AuthorView, LocationView, Views};
use crate::json::Json;
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
    /// Its JSON as [`script`] writes it.
    json: String,
}

impl Publisher {
    pub fn new(views: &Views) -> Publisher {
        let organization = organization(views, false);
        let id = organization
            .get("@id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let json = script(&organization);
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
fn person_value(author: &AuthorSummary) -> Value {
    serde_json::to_value(Person::of(author)).unwrap_or(Value::Null)
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

/// An article's graph as [`script`] would write it: the `MedicalWebPage`
/// (review, audience, topics), its `Article`, the `BreadcrumbList` and
/// the publisher. Written by hand ([`crate::json`]), in the order of keys
/// a serde_json map has.
pub fn article_script(
    views: &Views,
    ids: &ArticleIds,
    publisher: &Publisher,
    page: &Page,
    view: &ArticleView,
    image: Option<&str>,
) -> String {
    let title = page.title();
    let description = page.article().map_or("", |a| a.description.as_str());
    let permalink = ids.permalink.as_str();
    let mut j = Json::for_script(4096);
    j.raw(r#"{"@context":"https://schema.org","@graph":["#);

    j.raw(r#"{"@id":"#);
    j.string(permalink);
    j.raw(r#","@type":"MedicalWebPage""#);
    let about = view
        .treatments
        .iter()
        .map(|t| ("MedicalTherapy", &t.name))
        .chain(
            view.conditions
                .iter()
                .map(|c| ("MedicalCondition", &c.name)),
        );
    list_field(&mut j, r#","about":["#, about, |j, (kind, name)| {
        j.raw(r#"{"@type":""#);
        j.raw(kind);
        j.raw(r#"","name":"#);
        j.string(name);
        j.raw("}");
    });
    j.raw(r#","breadcrumb":"#);
    id_ref(&mut j, &ids.breadcrumb);
    j.raw(r#","description":"#);
    j.string(description);
    j.raw(r#","inLanguage":"#);
    j.string(&views.site.config.language);
    if let Some(reviewed) = &view.last_reviewed {
        j.raw(r#","lastReviewed":"#);
        j.string(&reviewed.iso);
    }
    j.raw(r#","mainEntity":"#);
    id_ref(&mut j, &ids.article);
    j.raw(r#","medicalAudience":{"@type":"Patient"},"name":"#);
    j.string(title);
    if let Some(reviewer) = &view.reviewed_by {
        j.raw(r#","reviewedBy":"#);
        person(&mut j, reviewer);
    }
    j.raw(r#","url":"#);
    j.string(permalink);
    j.raw("},");

    j.raw(r#"{"@id":"#);
    j.string(&ids.article);
    j.raw(r#","@type":"Article""#);
    if let Some(author) = &view.author {
        j.raw(r#","author":"#);
        person(&mut j, author);
    }
    j.raw(r#","dateModified":"#);
    j.string(&view.updated.as_ref().unwrap_or(&view.date).iso);
    j.raw(r#","datePublished":"#);
    j.string(&view.date.iso);
    j.raw(r#","description":"#);
    j.string(description);
    j.raw(r#","headline":"#);
    j.string(title);
    if let Some(image) = image {
        j.raw(r#","image":"#);
        j.string(image);
    }
    if views.site.translations.is_multilingual() {
        j.raw(r#","inLanguage":"#);
        j.string(&views.site.config.language);
    }
    j.raw(r#","mainEntityOfPage":"#);
    id_ref(&mut j, permalink);
    j.raw(r#","publisher":"#);
    id_ref(&mut j, &publisher.id);
    if let Some(original) = &ids.original {
        j.raw(r#","translationOfWork":"#);
        id_ref(&mut j, original);
    }
    list_field(
        &mut j,
        r#","workTranslation":["#,
        &ids.translations,
        |j, id| id_ref(j, id),
    );
    j.raw("},");

    j.raw(r#"{"@id":"#);
    j.string(&ids.breadcrumb);
    j.raw(r#","@type":"BreadcrumbList","itemListElement":["#);
    let crumbs = [
        ("Home", ids.home.as_str()),
        ("Articles", ids.articles.as_str()),
        (title, permalink),
    ];
    for (n, ((name, item), position)) in crumbs.into_iter().zip(["1", "2", "3"]).enumerate() {
        j.raw(if n == 0 { "" } else { "," });
        j.raw(r#"{"@type":"ListItem","item":"#);
        j.string(item);
        j.raw(r#","name":"#);
        j.string(name);
        j.raw(r#","position":"#);
        j.raw(position);
        j.raw("}");
    }
    j.raw("]},");

    j.raw(&publisher.json);
    j.raw("]}");
    j.finish()
}

/// `open` (`,"key":[`), `items` each written by `write` and separated by
/// commas, and `]`; nothing at all when there are none, as serde's
/// `skip_serializing_if = "Vec::is_empty"`.
fn list_field<T>(
    j: &mut Json,
    open: &str,
    items: impl IntoIterator<Item = T>,
    mut write: impl FnMut(&mut Json, T),
) {
    let mut any = false;
    for item in items {
        j.raw(if any { "," } else { open });
        any = true;
        write(j, item);
    }
    if any {
        j.raw("]");
    }
}

/// `{"@id":id}`
fn id_ref(j: &mut Json, id: &str) {
    j.raw(r#"{"@id":"#);
    j.string(id);
    j.raw("}");
}

/// A clinician as a schema.org `Person`, as [`Person`] serializes.
fn person(j: &mut Json, author: &AuthorSummary) {
    j.raw(r#"{"@id":""#);
    j.unquoted(&author.permalink);
    j.raw(r##"#person","@type":"Person""##);
    if !author.credentials_text.is_empty() {
        j.raw(r#","honorificSuffix":"#);
        j.string(&author.credentials_text);
    }
    if let Some(role) = &author.role {
        j.raw(r#","jobTitle":"#);
        j.string(role);
    }
    j.raw(r#","name":"#);
    j.string(&author.name);
    j.raw(r#","url":"#);
    j.string(&author.permalink);
    j.raw("}");
}

/// An author page: a `ProfilePage` about the `Person`.
pub fn author(views: &Views, page: &Page, view: &AuthorView) -> Value {
    let permalink = views.permalink(&page.path);
    let organization = organization(views, false);
    let org_id = organization.get("@id").cloned().unwrap_or(Value::Null);
    let mut person = person_value(&AuthorSummary {
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

    /// An article's author and reviewer are written by hand; an author's
    /// page writes the same `Person` through serde.
    #[test]
    fn a_person_is_written_by_hand_as_serde_writes_it() {
        for (credentials, role) in [("", None), ("PT, DPT <&>", Some("Lead \"PT\""))] {
            let author = AuthorSummary {
                name: "Ann </script> Lee".into(),
                url: "/authors/ann-lee/".into(),
                permalink: "https://example.org/authors/ann-lee/?a=1&b=2".into(),
                credentials: Vec::new(),
                credentials_text: credentials.into(),
                role: role.map(String::from),
            };
            let mut json = Json::for_script(0);
            person(&mut json, &author);
            assert_eq!(json.finish(), script(&person_value(&author)));
        }
    }

    #[test]
    fn script_text_cannot_close_the_element() {
        let value = json!({"name": "</script><b>&"});
        let text = script(&value);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
