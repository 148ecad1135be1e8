//! Structured data on article and author pages (issue 6): the JSON-LD
//! parses and carries the fields search engines read, and its dates agree
//! with the dates the page shows.

mod common;

use common::{json_ld, node, TestSite};

#[test]
fn article_graph_has_medical_web_page_article_and_breadcrumbs() {
    let site = TestSite::fixture("basic");
    let text = site.read("content/articles/back-pain.md").replace(
        "date: 2026-01-10\n",
        "date: 2026-01-10\nupdated: 2026-02-03\n",
    );
    site.write("content/articles/back-pain.md", &text);
    site.build().assert_ok();
    let html = site.read("public/articles/back-pain/index.html");
    let graph = json_ld(&html);
    assert_eq!(graph["@context"], "https://schema.org");

    let page = node(&graph, "MedicalWebPage");
    assert_eq!(page["url"], "https://example.org/articles/back-pain/");
    assert_eq!(page["lastReviewed"], "2026-01-10");
    assert_eq!(page["reviewedBy"]["@type"], "Person");
    assert_eq!(page["reviewedBy"]["name"], "Ann Lee");
    assert_eq!(page["reviewedBy"]["honorificSuffix"], "PT, DPT, OCS");
    assert_eq!(
        page["medicalAudience"],
        serde_json::json!({"@type": "Patient"})
    );
    let about = page["about"].as_array().expect("about");
    // Terms are named as their term page names them: the newest article's spelling.
    assert!(
        about.contains(&serde_json::json!({"@type": "MedicalTherapy", "name": "Physical Therapy"}))
    );
    assert!(about.contains(&serde_json::json!({"@type": "MedicalCondition", "name": "back pain"})));

    let article = node(&graph, "Article");
    assert_eq!(article["headline"], "Back Pain Basics");
    assert_eq!(article["datePublished"], "2026-01-10");
    assert_eq!(article["dateModified"], "2026-02-03");
    assert_eq!(article["author"]["@type"], "Person");
    assert_eq!(
        article["author"]["url"],
        "https://example.org/authors/ann-lee/"
    );
    assert_eq!(article["author"]["honorificSuffix"], "PT, DPT, OCS");
    let org = node(&graph, "MedicalOrganization");
    assert_eq!(article["publisher"]["@id"], org["@id"]);
    assert_eq!(
        article["image"], "https://example.org/articles/back-pain/share-card.png",
        "a page without a picture is shared with its drawn card"
    );

    let crumbs = node(&graph, "BreadcrumbList");
    let items = crumbs["itemListElement"].as_array().expect("items");
    let names: Vec<&str> = items.iter().filter_map(|i| i["name"].as_str()).collect();
    assert_eq!(names, ["Home", "Articles", "Back Pain Basics"]);
    assert_eq!(items[2]["item"], "https://example.org/articles/back-pain/");

    // The visible dates are the same dates.
    assert!(html.contains(r#"<time datetime="2026-01-10">"#));
    assert!(html.contains(r#"<time datetime="2026-02-03">"#));
}

#[test]
fn article_text_with_quotes_and_markup_is_kept_and_cannot_end_the_script() {
    let site = TestSite::fixture("basic");
    let title = r#"Back "Pain" & </script> Basics"#;
    let description = r#"Knees \ backs <b>bold</b> & "more"."#;
    let text = site
        .read("content/articles/back-pain.md")
        .replace("title: Back Pain Basics", &format!("title: '{title}'"))
        .replace(
            "description: What helps a sore back, in plain words.",
            &format!("description: '{description}'"),
        );
    site.write("content/articles/back-pain.md", &text);
    site.build().assert_ok();
    let html = site.read("public/articles/back-pain/index.html");
    let open = r#"<script type="application/ld+json">"#;
    let start = html.find(open).expect("JSON-LD") + open.len();
    let script = &html[start..start + html[start..].find("</script>").expect("end")];
    assert!(!script.contains(['<', '>', '&']), "{script}");
    let graph = json_ld(&html);
    let page = node(&graph, "MedicalWebPage");
    assert_eq!(page["name"], title);
    assert_eq!(page["description"], description);
    let article = node(&graph, "Article");
    assert_eq!(article["headline"], title);
    assert_eq!(article["description"], description);
    let crumbs = node(&graph, "BreadcrumbList");
    assert_eq!(crumbs["itemListElement"][2]["name"], title);
}

#[test]
fn article_image_is_the_first_body_image_that_is_not_svg() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let graph = json_ld(&site.read("public/articles/knee-bundle/index.html"));
    assert_eq!(
        node(&graph, "Article")["image"],
        "https://example.org/articles/knee-bundle/share-card.png",
        "sharing sites do not show SVG: the drawn card instead"
    );
    site.write_bytes(
        "content/articles/knee-bundle/knee.png",
        &common::pictures::png(600, 300),
    );
    let page = site.read("content/articles/knee-bundle/index.md");
    site.write(
        "content/articles/knee-bundle/index.md",
        &format!("{page}\n![A knee brace](knee.png)\n"),
    );
    site.build().assert_ok();
    let graph = json_ld(&site.read("public/articles/knee-bundle/index.html"));
    assert_eq!(
        node(&graph, "Article")["image"],
        "https://example.org/articles/knee-bundle/knee-600.png"
    );
}

#[test]
fn author_page_is_a_profile_page_about_a_person() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let graph = json_ld(&site.read("public/authors/ann-lee/index.html"));
    let profile = node(&graph, "ProfilePage");
    assert_eq!(profile["url"], "https://example.org/authors/ann-lee/");
    let person = node(&graph, "Person");
    assert_eq!(profile["mainEntity"]["@id"], person["@id"]);
    assert_eq!(person["name"], "Ann Lee");
    assert_eq!(person["honorificSuffix"], "PT, DPT, OCS");
    assert_eq!(person["jobTitle"], "Physical therapist");
    assert_eq!(person["url"], "https://example.org/authors/ann-lee/");
}

/// Builds `site` with a theme whose article pages print just the titles
/// of their related articles, `[A][B][C]`, so a test reads the contract.
fn build_showing_related(site: &TestSite) {
    site.write("themes/t/theme.yaml", "extends: default\n");
    site.write(
        "themes/t/templates/article.html",
        "{% for r in page.related %}[{{ r.title }}]{% endfor %}",
    );
    site.append("site.yaml", "theme: t\n");
    site.build().assert_ok();
}

#[test]
fn related_articles_share_conditions_and_treatments() {
    let site = TestSite::fixture("basic");
    let article = |slug: &str, title: &str, date: &str, conditions: &str| {
        site.write(
            &format!("content/articles/{slug}.md"),
            &format!("---\ntitle: {title}\ndescription: About {title}.\ndate: {date}\nconditions: [{conditions}]\ntreatments: [physical therapy]\n---\n\nText.\n"),
        );
    };
    article("a", "Shares Two", "2025-01-01", "back pain");
    article("b", "Shares One Newer", "2025-06-01", "neck pain");
    article("c", "Shares One Older", "2024-06-01", "hip pain");
    build_showing_related(&site);
    // Two shared beats one; among one, the newest first; best 3 only.
    assert_eq!(
        site.read("public/articles/back-pain/index.html"),
        "[Shares Two][Knee Care][Shares One Newer]"
    );
}

/// Related articles on a site where many articles share terms, against
/// the rule worked out here: most shared conditions and treatments first,
/// then the newest, never the article itself, best 3. Candidates come in
/// every order, so a better one often turns up after three worse ones.
#[test]
fn related_articles_are_the_best_three_among_many() {
    let site = TestSite::fixture("basic");
    std::fs::remove_file(site.path("content/articles/back-pain.md")).expect("remove");
    std::fs::remove_dir_all(site.path("content/articles/knee-bundle")).expect("remove");
    site.write("content/index.md", "---\ntitle: Home\n---\n\nWelcome.\n");
    let conditions = [
        "back pain",
        "neck pain",
        "hip pain",
        "knee pain",
        "sciatica",
    ];
    let treatments = ["dry needling", "massage", "exercise", "bracing"];
    // Each article's terms, picked by a fixed sequence: 1-3 conditions,
    // 1-2 treatments. Article `n` is `n` days newer than article 0.
    let mut seed: u32 = 7;
    let mut next = |below: usize| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (seed >> 16) as usize % below
    };
    let mut articles: Vec<Vec<&str>> = Vec::new();
    for n in 0..40 {
        let mut terms: Vec<&str> = Vec::new();
        for (list, most) in [(&conditions[..], 3), (&treatments[..], 2)] {
            for _ in 0..1 + next(most) {
                terms.push(list[next(list.len())]);
            }
        }
        terms.sort_unstable();
        terms.dedup();
        let (c, t): (Vec<&str>, Vec<&str>) = terms.iter().partition(|x| conditions.contains(x));
        let date = format!("2024-{:02}-{:02}", 1 + n / 28, 1 + n % 28);
        site.write(
            &format!("content/articles/a{n:02}.md"),
            &format!(
                "---\ntitle: A{n:02}\ndescription: Article {n}.\ndate: {date}\nconditions: [{}]\ntreatments: [{}]\n---\n\nText.\n",
                c.join(", "),
                t.join(", ")
            ),
        );
        articles.push(terms);
    }
    build_showing_related(&site);
    for (n, own) in articles.iter().enumerate() {
        let mut others: Vec<(usize, usize)> = articles
            .iter()
            .enumerate()
            .filter(|&(m, _)| m != n)
            .map(|(m, terms)| (terms.iter().filter(|t| own.contains(t)).count(), m))
            .filter(|&(shared, _)| shared > 0)
            .collect();
        // Most shared first, then the newest (the highest number).
        others.sort_unstable_by(|a, b| b.cmp(a));
        let expected: String = others
            .iter()
            .take(3)
            .map(|(_, m)| format!("[A{m:02}]"))
            .collect();
        let shown = site.read(&format!("public/articles/a{n:02}/index.html"));
        assert_eq!(shown, expected, "a{n:02}, terms {own:?}");
    }
}

/// What Google's Article rich result reads, on every article of the
/// example site: an `image` that is a file the build wrote, a raster one
/// (PNG, JPEG or WebP, not SVG); a `publisher` that is the organization
/// node of the same graph, with a `name` and a `logo` that is a file the
/// build wrote.
#[test]
fn every_example_article_has_an_image_and_a_publisher_with_name_and_logo() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = tempfile::tempdir().expect("temp");
    let public = out.path().join("public");
    common::run(
        &[
            "build",
            "--root",
            root,
            "--output",
            &public.to_string_lossy(),
        ],
        std::path::Path::new(root),
    )
    .assert_ok();
    let base = "https://impact-pt.example.com/";
    let file_of = |url: &str| {
        let rel = url
            .strip_prefix(base)
            .unwrap_or_else(|| panic!("{url} is not on the site"));
        public.join(rel)
    };
    let articles = std::fs::read_dir(public.join("articles")).expect("articles");
    let mut checked = 0;
    for entry in articles.flatten() {
        let page = entry.path().join("index.html");
        if !page.is_file() || entry.file_name() == "page" {
            continue;
        }
        let html = std::fs::read_to_string(&page).expect("page");
        if !html.contains("\"@type\":\"Article\"") {
            continue;
        }
        let graph = json_ld(&html);
        let article = node(&graph, "Article");
        let image = article["image"]
            .as_str()
            .unwrap_or_else(|| panic!("no image: {page:?}"));
        let lower = image.to_ascii_lowercase();
        assert!(
            [".png", ".jpg", ".jpeg", ".webp"]
                .iter()
                .any(|e| lower.ends_with(e)),
            "{image}"
        );
        let bytes = std::fs::read(file_of(image)).unwrap_or_else(|e| panic!("{image}: {e}"));
        let picture = image::load_from_memory(&bytes).expect("the image decodes");
        assert!(
            picture.width() >= 696,
            "Google asks for 696 px or more: {image}"
        );
        let publisher = &article["publisher"]["@id"];
        let organization = graph["@graph"]
            .as_array()
            .and_then(|nodes| nodes.iter().find(|n| &n["@id"] == publisher))
            .unwrap_or_else(|| panic!("publisher {publisher} is not in the graph"));
        assert!(
            organization["name"].as_str().is_some_and(|n| !n.is_empty()),
            "{organization}"
        );
        let logo = organization["logo"].as_str().expect("a publisher logo");
        assert!(file_of(logo).is_file(), "{logo}");
        checked += 1;
    }
    assert!(checked >= 2, "checked {checked} articles");
}
