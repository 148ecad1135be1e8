//! Clinic location pages (issue 4): hours, phone links, directions,
//! structured data, the clinic list, and every bad-input case with its line.

mod common;

use common::TestSite;
use serde_json::Value;

const CLINIC: &str = "content/locations/elm-street.md";

/// A clinic file: the required fields, then `extra` front matter lines.
fn clinic(extra: &str) -> String {
    format!(
        "---\nname: Test Clinic - Elm Street\ncity: Springfield\naddress: {{street: 1 Elm Street, locality: Springfield, region: IL, postal_code: \"62701\"}}\nphone: \"(555) 555-0101\"\n{extra}---\n\nNear the park.\n"
    )
}

fn built_with(extra: &str) -> TestSite {
    let site = TestSite::fixture("basic");
    site.write(CLINIC, &clinic(extra));
    site.build().assert_ok();
    site
}

fn page(site: &TestSite) -> String {
    site.read("public/locations/elm-street/index.html")
}

/// Every JSON-LD block of a page, parsed.
fn json_ld(html: &str) -> Vec<Value> {
    html.split(r#"<script type="application/ld+json">"#)
        .skip(1)
        .filter_map(|rest| rest.split("</script>").next())
        .map(|text| serde_json::from_str(text).expect("JSON-LD parses"))
        .collect()
}

/// The hours table as (days, hours) text pairs.
fn hours_rows(html: &str) -> Vec<(String, String)> {
    let table = &html[html.find(r#"<table class="hours">"#).expect("hours")..];
    let table = &table[..table.find("</table>").expect("end")];
    table
        .split("<tr>")
        .skip(2)
        .map(|row| {
            let days = between(row, "<th scope=\"row\">", "</th>");
            let cell = between(row, "<td>", "</td>");
            (days, strip_tags(&cell))
        })
        .collect()
}

fn between(text: &str, start: &str, end: &str) -> String {
    let from = text.find(start).map(|i| i + start.len()).unwrap_or(0);
    let rest = &text[from..];
    rest[..rest.find(end).unwrap_or(rest.len())].to_string()
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn hours_group_equal_consecutive_days_and_show_closed_days() {
    let site = built_with(
        "hours:\n  - {days: [Mo, Tu, We, Th], opens: \"07:00\", closes: \"19:00\"}\n  - {days: [Fr], opens: \"07:00\", closes: \"17:00\"}\n  - {days: [Sa], opens: \"08:00\", closes: \"12:00\"}\n",
    );
    let rows = hours_rows(&page(&site));
    let expected = [
        ("Mon–Thu", "7:00 AM – 7:00 PM"),
        ("Fri", "7:00 AM – 5:00 PM"),
        ("Sat", "8:00 AM – 12:00 PM"),
        ("Sun", "Closed"),
    ];
    let rows: Vec<(&str, &str)> = rows.iter().map(|(d, h)| (d.as_str(), h.as_str())).collect();
    assert_eq!(rows, expected);
}

#[test]
fn split_shifts_and_a_closed_day_between_open_days() {
    let site = built_with(
        "hours:\n  - days: [Mo, We]\n    shifts:\n      - {opens: \"07:00\", closes: \"12:00\"}\n      - {opens: \"13:00\", closes: \"19:00\"}\n  - {days: [Th, Fr], opens: \"07:00\", closes: \"12:00\"}\n",
    );
    let rows = hours_rows(&page(&site));
    let rows: Vec<(&str, &str)> = rows.iter().map(|(d, h)| (d.as_str(), h.as_str())).collect();
    assert_eq!(
        rows,
        [
            ("Mon", "7:00 AM – 12:00 PM, 1:00 PM – 7:00 PM"),
            ("Tue", "Closed"),
            ("Wed", "7:00 AM – 12:00 PM, 1:00 PM – 7:00 PM"),
            ("Thu, Fri", "7:00 AM – 12:00 PM"),
            ("Sat, Sun", "Closed"),
        ]
    );
}

#[test]
fn phone_is_an_e164_tel_link_shown_as_written() {
    let site = built_with("");
    let html = page(&site);
    assert!(
        html.contains(r#"<a href="tel:+15555550101">(555) 555-0101</a>"#),
        "{html}"
    );
    let list = site.read("public/locations/index.html");
    assert!(list.contains(r#"href="tel:+15555550101""#));
}

#[test]
fn directions_link_is_a_plain_maps_search() {
    let site = built_with("");
    let html = page(&site);
    assert!(html.contains(
        r#"href="https://www.google.com/maps/search/?api=1&amp;query=1%20Elm%20Street%2C%20Springfield%2C%20IL%2062701">Get directions</a>"#
    ));
    assert!(!html.contains("<iframe"), "no embedded map");
}

#[test]
fn clinic_page_shows_everything_a_patient_needs() {
    let site = built_with(
        "email: elm@example.org\nfax: \"555-555-0109\"\nhours:\n  - {days: [Mo], opens: \"07:00\", closes: \"19:00\"}\nholiday_hours:\n  - {date: 2999-12-25, closed: true, note: Christmas}\n  - {date: 2000-01-01, closed: true, note: Long ago}\nservices: [physical therapy, yoga]\nparking: Free lot behind the clinic.\ntransit: Bus 7 stops at the door.\naccessibility: {entrance: Ramp at the side door, elevator: true, wheelchair: true}\nclinicians: [ann-lee]\ninsurance: [Medicare]\naccepting_new_patients: true\narea_served: [Springfield, Chatham]\nbooking_url: https://example.org/book/elm\n",
    );
    let html = page(&site);
    assert_eq!(html.matches("<h1>").count(), 1);
    assert!(html.contains("<h1>Test Clinic - Elm Street</h1>"));
    assert!(html.contains("<address"));
    assert!(html.contains("mailto:elm@example.org"));
    assert!(html.contains("December 25, 2999"), "upcoming holiday shown");
    assert!(!html.contains("Long ago"), "past holiday hidden");
    assert!(
        html.contains(r#"<a href="/treatments/physical-therapy/">physical therapy</a>"#),
        "service linked to its treatment"
    );
    assert!(
        html.contains("<li>yoga</li>"),
        "a service with no treatment page is plain text"
    );
    assert!(html.contains(r#"href="/authors/ann-lee/""#) && html.contains("PT, DPT, OCS"));
    assert!(
        html.contains("Free lot behind the clinic.")
            && html.contains("Bus 7")
            && html.contains("Ramp at the side door")
    );
    assert!(html.contains(r#"href="https://example.org/book/elm""#));
    assert!(html.contains("Accepting new patients"));
    // Articles about the services offered here.
    assert!(html.contains("Back Pain Basics") && html.contains("Knee Care"));
}

#[test]
fn clinic_json_ld_carries_the_fields_search_engines_read() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/locations/elm.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write(CLINIC, &clinic(
        "geo: {lat: 39.799012, lng: -89.644021}\nhours:\n  - {days: [Mo, Tu], opens: \"07:00\", closes: \"19:00\"}\n  - {days: [Sa], opens: \"08:00\", closes: \"12:00\"}\nservices: [physical therapy, dry needling]\nphoto: elm.svg\nphoto_alt: The front door of the clinic\n",
    ));
    site.build().assert_ok();
    let blocks = json_ld(&page(&site));
    assert_eq!(blocks.len(), 1);
    let clinic = &blocks[0];
    assert_eq!(clinic["@context"], "https://schema.org");
    assert_eq!(clinic["@type"], "MedicalClinic");
    assert_eq!(
        clinic["@id"],
        "https://example.org/locations/elm-street/#clinic"
    );
    assert_eq!(
        clinic["medicalSpecialty"],
        "https://schema.org/Physiotherapy"
    );
    assert_eq!(clinic["name"], "Test Clinic - Elm Street");
    assert_eq!(clinic["url"], "https://example.org/locations/elm-street/");
    assert_eq!(clinic["telephone"], "+15555550101");
    assert_eq!(clinic["address"]["@type"], "PostalAddress");
    assert_eq!(clinic["address"]["streetAddress"], "1 Elm Street");
    assert_eq!(clinic["address"]["postalCode"], "62701");
    assert_eq!(clinic["address"]["addressCountry"], "US");
    assert_eq!(clinic["geo"]["@type"], "GeoCoordinates");
    assert_eq!(clinic["geo"]["latitude"].as_f64(), Some(39.799012));
    assert_eq!(clinic["geo"]["longitude"].as_f64(), Some(-89.644021));
    let hours = clinic["openingHoursSpecification"]
        .as_array()
        .expect("hours");
    assert_eq!(hours.len(), 2);
    assert_eq!(
        hours[0]["dayOfWeek"],
        serde_json::json!(["Monday", "Tuesday"])
    );
    assert_eq!(hours[0]["opens"], "07:00");
    assert_eq!(hours[1]["dayOfWeek"], serde_json::json!(["Saturday"]));
    assert_eq!(clinic["image"], "https://example.org/locations/elm.svg");
    assert_eq!(clinic["parentOrganization"]["@type"], "MedicalOrganization");
    assert_eq!(clinic["parentOrganization"]["name"], "Test Clinic");
    let services = clinic["availableService"].as_array().expect("services");
    assert_eq!(
        services[1],
        serde_json::json!({"@type": "MedicalTherapy", "name": "dry needling"})
    );
}

#[test]
fn json_ld_cannot_break_out_of_its_script() {
    let site = TestSite::fixture("basic");
    site.write(
        CLINIC,
        &clinic("").replace(
            "Test Clinic - Elm Street",
            "\"Elm </script><script>alert(1)</script>\"",
        ),
    );
    site.build().assert_ok();
    let html = page(&site);
    let script = between(&html, r#"<script type="application/ld+json">"#, "</script>");
    assert!(!script.contains('<'), "{script}");
    assert_eq!(
        json_ld(&html)[0]["name"],
        "Elm </script><script>alert(1)</script>"
    );
}

#[test]
fn home_page_carries_the_brand_with_every_clinic() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/locations/oak-street.md",
        &clinic("")
            .replace("Elm Street", "Oak Street")
            .replace("555-0101", "555-0102"),
    );
    site.build().assert_ok();
    let blocks = json_ld(&site.read("public/index.html"));
    let org = &blocks[0];
    assert_eq!(org["@type"], "MedicalOrganization");
    assert_eq!(org["name"], "Test Clinic");
    assert_eq!(org["telephone"], "+15555550100");
    let departments = org["department"].as_array().expect("departments");
    let names: Vec<&str> = departments
        .iter()
        .filter_map(|d| d["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["Test Clinic - Elm Street", "Test Clinic - Oak Street"]
    );
    assert!(departments.iter().all(|d| d["@type"] == "MedicalClinic"));
}

#[test]
fn clinic_list_is_sorted_by_name_with_hours_and_works_without_script() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/locations/aspen.md",
        &clinic("geo: {lat: 40.1, lng: -88.2}\n")
            .replace("Test Clinic - Elm Street", "Aspen Clinic"),
    );
    site.build().assert_ok();
    let list = site.read("public/locations/index.html");
    assert!(
        list.find("Aspen Clinic").expect("aspen")
            < list.find("Test Clinic - Elm Street").expect("elm")
    );
    assert!(list.contains("Hours: Mon–Fri 7:00 AM – 7:00 PM · Sat 8:00 AM – 12:00 PM"));
    assert!(list.contains(r#"data-lat="40.1" data-lng="-88.2""#));
    // The finder only appears when script runs.
    assert!(list.contains(r#"<div class="finder" hidden data-finding="#));
}

#[test]
fn articles_list_the_clinics_they_are_available_at() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let knee = site.read("public/articles/knee-bundle/index.html");
    let available = &knee[knee.find("Available at").expect("available at")..];
    assert!(available.contains(r#"<a href="/locations/elm-street/">Test Clinic - Elm Street</a>"#));
}

#[test]
fn every_template_sees_all_clinics() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    // The footer of an unrelated page lists the clinic.
    assert!(site
        .read("public/about/index.html")
        .contains("Test Clinic - Elm Street"));
}

// Bad input. In `clinic()` the extra lines start at file line 6.

fn fails_at(text: &str, line: usize, needle: &str) {
    TestSite::fails_at(CLINIC, text, line, needle);
}

#[test]
fn missing_required_fields() {
    for field in ["name", "address", "phone"] {
        let text: String = clinic("")
            .lines()
            .filter(|l| !l.starts_with(&format!("{field}:")))
            .map(|l| format!("{l}\n"))
            .collect();
        fails_at(&text, 2, &format!("missing required field `{field}`"));
    }
}

#[test]
fn phone_with_too_few_digits() {
    fails_at(
        &clinic("").replace("(555) 555-0101", "555-0101"),
        5,
        "phone `555-0101` has 7 digits",
    );
}

#[test]
fn times_must_be_24_hour_and_close_after_opening() {
    fails_at(
        &clinic("hours:\n  - {days: [Mo], opens: \"7am\", closes: \"19:00\"}\n"),
        7,
        "`7am` is not a time",
    );
    fails_at(
        &clinic("hours:\n  - {days: [Mo], opens: \"25:00\", closes: \"19:00\"}\n"),
        7,
        "`25:00` is not a time",
    );
    fails_at(
        &clinic("hours:\n  - {days: [Mo], opens: \"19:00\", closes: \"07:00\"}\n"),
        7,
        "`closes` must be after `opens`",
    );
}

#[test]
fn unknown_day() {
    fails_at(
        &clinic("hours:\n  - {days: [Mo, Xx], opens: \"07:00\", closes: \"19:00\"}\n"),
        7,
        "unknown variant `Xx`",
    );
}

#[test]
fn same_day_in_two_groups() {
    let text = clinic("hours:\n  - {days: [Mo, Tu], opens: \"07:00\", closes: \"12:00\"}\n  - {days: [Tu], opens: \"13:00\", closes: \"19:00\"}\n");
    fails_at(&text, 8, "Tuesday is in two hour groups (also line 7)");
}

#[test]
fn coordinates_out_of_range() {
    fails_at(
        &clinic("geo: {lat: 91.5, lng: -87.9}\n"),
        6,
        "latitude 91.5 is outside -90 to 90",
    );
    fails_at(
        &clinic("geo: {lat: 41.5, lng: -187.9}\n"),
        6,
        "longitude -187.9 is outside -180 to 180",
    );
}

#[test]
fn unknown_clinician_suggests_the_nearest() {
    fails_at(
        &clinic("clinicians:\n  - ann-lee\n  - ann-le\n"),
        8,
        "clinician `ann-le` does not match any file in content/authors/, did you mean `ann-lee`?",
    );
}

#[test]
fn holiday_date_that_is_not_a_date() {
    fails_at(
        &clinic("holiday_hours:\n  - {date: Christmas, closed: true}\n"),
        7,
        "`Christmas` is not a date",
    );
}

#[test]
fn two_clinics_with_the_same_slug() {
    let site = TestSite::fixture("basic");
    site.write("content/locations/elm-street/index.md", &clinic(""));
    let run = site.build();
    run.assert_error("both have the URL /locations/elm-street/");
}

#[test]
fn photo_needs_alt_text_and_must_exist() {
    fails_at(&clinic("photo: elm.svg\n"), 6, "`photo` needs `photo_alt`");
    fails_at(
        &clinic("photo: nope.jpg\nphoto_alt: Door\n"),
        6,
        "photo `nope.jpg` is not a file under content/",
    );
}

#[test]
fn unknown_location_in_an_article_keeps_its_suggestion() {
    let site = TestSite::fixture("basic");
    let text = site
        .read("content/articles/back-pain.md")
        .replace("locations: [elm-street]", "locations: [elm-stret]");
    site.write("content/articles/back-pain.md", &text);
    site.build().assert_error("location `elm-stret` does not match any file in content/locations/, did you mean `elm-street`?");
}
