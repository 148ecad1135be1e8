//! Structured data (schema.org JSON-LD) that search engines read: each
//! clinic as a `MedicalClinic`, the brand as a `MedicalOrganization`.
//! Built with serde_json and made safe to place inside `<script>`.

use serde_json::{json, Map, Value};

use crate::view::{LocationView, Views};

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&`
/// escaped, so no text in it can end the script element.
pub fn script(value: &Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
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
