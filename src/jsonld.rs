//! Structured data (schema.org JSON-LD) that search engines read: each
//! clinic as a `MedicalClinic`, the brand as a `MedicalOrganization`.
//! Built with serde_json and made safe to place inside `<script>`.

use serde_json::{json, Map, Value};

use crate::site::Page;
use crate::view::{ArticleView, AuthorSummary, AuthorView, LocationView, Views};

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&`
/// escaped, so no text in it can end the script element.
pub fn script(value: &Value) -> String {
    let mut out = Vec::with_capacity(2048);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, ScriptSafe);
    // Writing JSON values into memory cannot fail.
    let _ = serde::Serialize::serialize(value, &mut serializer);
    String::from_utf8(out).unwrap_or_default()
}

/// Compact JSON whose strings escape `<`, `>` and `&` as they are
/// written, in one pass.
struct ScriptSafe;

impl serde_json::ser::Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some(i) = rest.bytes().position(|b| matches!(b, b'<' | b'>' | b'&')) {
            let (before, after) = rest.split_at(i);
            writer.write_all(before.as_bytes())?;
            let escaped: &[u8] = match after.as_bytes().first() {
                Some(b'<') => b"\\u003c",
                Some(b'>') => b"\\u003e",
                _ => b"\\u0026",
            };
            writer.write_all(escaped)?;
            rest = after.get(1..).unwrap_or_default();
        }
        writer.write_all(rest.as_bytes())
    }
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
        .and_then(|p| crate::location::e164(p).ok())
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
    if let Some(fax) = view
        .fax
        .as_deref()
        .and_then(|f| crate::location::e164(f).ok())
    {
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
    let hours: Vec<Value> = view
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
    if !hours.is_empty() {
        put("openingHoursSpecification", Value::Array(hours));
    }
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

/// A clinician as a schema.org `Person`.
fn person(author: &AuthorSummary) -> Value {
    let mut person = json!({
        "@type": "Person",
        "@id": format!("{}#person", author.permalink),
        "name": author.name,
        "url": author.permalink,
    });
    if let Value::Object(map) = &mut person {
        if !author.credentials_text.is_empty() {
            map.insert("honorificSuffix".into(), json!(author.credentials_text));
        }
        if let Some(role) = &author.role {
            map.insert("jobTitle".into(), json!(role));
        }
    }
    person
}

/// An article's graph: the `MedicalWebPage` (review, audience, topics),
/// its `Article`, the `BreadcrumbList` and the publisher.
pub fn article(views: &Views, page: &Page, view: &ArticleView, image: Option<&str>) -> Value {
    let permalink = views.permalink(&page.path);
    let title = page.title();
    let description = page
        .article()
        .map(|a| a.description.clone())
        .unwrap_or_default();
    let organization = organization(views, false);
    let org_id = organization.get("@id").cloned().unwrap_or(Value::Null);
    let mut web_page = Map::new();
    web_page.insert("@type".into(), json!("MedicalWebPage"));
    web_page.insert("@id".into(), json!(permalink));
    web_page.insert("url".into(), json!(permalink));
    web_page.insert("name".into(), json!(title));
    web_page.insert("description".into(), json!(description));
    web_page.insert("inLanguage".into(), json!(views.site.config.language));
    web_page.insert("medicalAudience".into(), json!({"@type": "Patient"}));
    web_page.insert(
        "breadcrumb".into(),
        json!({"@id": format!("{permalink}#breadcrumb")}),
    );
    web_page.insert(
        "mainEntity".into(),
        json!({"@id": format!("{permalink}#article")}),
    );
    if let Some(reviewed) = &view.last_reviewed {
        web_page.insert("lastReviewed".into(), json!(reviewed.iso));
    }
    if let Some(reviewer) = &view.reviewed_by {
        web_page.insert("reviewedBy".into(), person(reviewer));
    }
    let about: Vec<Value> = view
        .treatments
        .iter()
        .map(|t| json!({"@type": "MedicalTherapy", "name": t.name}))
        .chain(
            view.conditions
                .iter()
                .map(|c| json!({"@type": "MedicalCondition", "name": c.name})),
        )
        .collect();
    if !about.is_empty() {
        web_page.insert("about".into(), Value::Array(about));
    }
    let mut article = Map::new();
    article.insert("@type".into(), json!("Article"));
    article.insert("@id".into(), json!(format!("{permalink}#article")));
    article.insert("headline".into(), json!(title));
    article.insert("description".into(), json!(description));
    article.insert("datePublished".into(), json!(view.date.iso));
    let modified = view.updated.as_ref().unwrap_or(&view.date);
    article.insert("dateModified".into(), json!(modified.iso));
    article.insert("mainEntityOfPage".into(), json!({"@id": permalink}));
    article.insert("publisher".into(), json!({"@id": org_id}));
    if let Some(author) = &view.author {
        article.insert("author".into(), person(author));
    }
    if let Some(image) = image {
        article.insert("image".into(), json!(image));
    }
    let crumbs = json!({
        "@type": "BreadcrumbList",
        "@id": format!("{permalink}#breadcrumb"),
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": views.permalink("")},
            {"@type": "ListItem", "position": 2, "name": "Articles", "item": views.permalink("articles/")},
            {"@type": "ListItem", "position": 3, "name": title, "item": permalink},
        ],
    });
    json!({
        "@context": "https://schema.org",
        "@graph": [Value::Object(web_page), Value::Object(article), crumbs, organization],
    })
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
            map.insert("image".into(), json!(views.asset_permalink(photo)));
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
