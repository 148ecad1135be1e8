//! A site in two languages (tests/sites/bilingual): translations beside
//! their originals, Spanish pages under /es/, alternates, the language
//! switcher, links to translations, clinic facts from the original, and
//! every mistake in a translation refused with its file and line.

mod common;

use common::TestSite;

fn built() -> TestSite {
    let site = TestSite::fixture("bilingual");
    site.build().assert_ok();
    site
}

#[test]
fn each_language_has_its_pages_lists_feed_and_search() {
    let site = built();
    for path in [
        "index.html",
        "articles/massage/index.html",
        "es/index.html",
        "es/articles/index.html",
        "es/articles/masaje/index.html",
        "es/articles/knee/index.html",
        "es/quienes-somos/index.html",
        "es/locations/index.html",
        "es/locations/elm-street/index.html",
        "es/authors/ann-lee/index.html",
        "es/tags/musculos/index.html",
        "es/treatments/masaje/index.html",
        "es/404.html",
        "es/feed.xml",
        "es/search/index.html",
        "search/es/index.json",
    ] {
        assert!(
            site.path("public").join(path).is_file(),
            "missing public/{path}"
        );
    }
    // No translation: no Spanish page, and no copy of the English one.
    assert!(!site.path("public/es/articles/dry-needling").exists());
    assert!(!site.path("public/es/locations/oak-avenue").exists());
    let feed = site.read("public/es/feed.xml");
    assert!(feed.contains("Masaje terapéutico"), "{feed}");
    assert!(!feed.contains("Dry Needling"), "{feed}");
    assert!(!site.read("public/feed.xml").contains("Masaje"));
    let list = site.read("public/es/articles/index.html");
    assert!(list.contains("Masaje terapéutico") && !list.contains("Dry Needling"));
}

#[test]
fn pages_say_their_language_and_name_their_translations() {
    let site = built();
    let es = site.read("public/es/articles/masaje/index.html");
    common::assert_contains_all(
        &es,
        &[
            r#"<html lang="es""#,
            r#"<meta property="og:locale" content="es">"#,
            r#"<link rel="alternate" type="application/atom+xml" title="Clínica de Prueba: artículos" href="https://example.org/es/feed.xml">"#,
            r#"<link rel="alternate" hreflang="en-US" href="https://example.org/articles/massage/">"#,
            r#"<link rel="alternate" hreflang="es" href="https://example.org/es/articles/masaje/">"#,
            r#"<link rel="alternate" hreflang="x-default" href="https://example.org/articles/massage/">"#,
            r#"<a href="/articles/massage/" hreflang="en-US" lang="en-US">"#,
            r#""inLanguage":"es""#,
            r#""translationOfWork":{"@id":"https://example.org/articles/massage/#article"}"#,
        ],
    );
    let en = site.read("public/articles/massage/index.html");
    common::assert_contains_all(
        &en,
        &[
            r#"<html lang="en-US""#,
            r#"<meta property="og:locale" content="en_US">"#,
            r#"<link rel="alternate" type="application/atom+xml" title="Test Clinic: articles" href="https://example.org/feed.xml">"#,
            r#"<a href="/es/articles/masaje/" hreflang="es" lang="es">"#,
            r#""workTranslation":[{"@id":"https://example.org/es/articles/masaje/#article"}]"#,
        ],
    );
    // No translation: the switcher goes to the Spanish home page and says
    // so; no alternates.
    let untranslated = site.read("public/articles/dry-needling/index.html");
    assert!(untranslated.contains(r#"<a href="/es/" hreflang="es" lang="es">"#));
    assert!(!untranslated.contains("hreflang=\"x-default\""));
    let switcher = untranslated
        .split("language-switcher")
        .nth(1)
        .and_then(|s| s.split("</nav>").next())
        .unwrap_or_default();
    assert!(
        switcher.contains("<span"),
        "the switcher says there is no translation: {switcher}"
    );
    // Lists have alternates in every language.
    let list = site.read("public/es/locations/index.html");
    assert!(list.contains(r#"hreflang="en-US" href="https://example.org/locations/">"#));
    assert!(list.contains(r#"<a class="brand" href="/es/">"#));
}

#[test]
fn links_go_to_the_translation_or_else_the_original() {
    let site = built();
    let es = site.read("public/es/articles/masaje/index.html");
    // massage.es.md links dry-needling.md (no translation) and knee/index.md
    // (translated).
    assert!(
        es.contains(r#"href="/articles/dry-needling/#what-it-is""#),
        "{es}"
    );
    assert!(es.contains(r#"href="/es/articles/knee/""#));
    let home = site.read("public/es/index.html");
    assert!(home.contains(r#"href="/es/articles/masaje/""#));
    assert!(home.contains(r#"href="/articles/dry-needling/""#));
    // A picture beside the original is shared by the translation.
    let knee = site.read("public/es/articles/knee/index.html");
    assert!(knee.contains(r#"src="/articles/knee/knee.svg""#));
}

#[test]
fn a_clinic_translation_has_the_original_facts_and_its_own_words() {
    let site = built();
    let es = site.read("public/es/locations/elm-street/index.html");
    common::assert_contains_all(
        &es,
        &[
            "Clínica de Prueba - Elm Street",
            "Estacionamiento gratis",
            "(555) 555-0101",
            "1 Elm Street",
            "Cerca del parque",
        ],
    );
    // A clinic with no translation is still listed, at its English page.
    let list = site.read("public/es/locations/index.html");
    assert!(list.contains(r#"href="/locations/oak-avenue/""#), "{list}");
    let author = site.read("public/es/authors/ann-lee/index.html");
    assert!(author.contains("Fisioterapeuta") && author.contains("PT, DPT"));
}

#[test]
fn the_sitemap_lists_every_language_with_alternates() {
    let site = built();
    let sitemap = site.read("public/sitemap.xml");
    common::assert_contains_all(
        &sitemap,
        &[
            r#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#,
            "<loc>https://example.org/es/articles/masaje/</loc>",
            "<loc>https://example.org/es/quienes-somos/</loc>",
            r#"<xhtml:link rel="alternate" hreflang="es" href="https://example.org/es/quienes-somos/"/>"#,
            r#"<xhtml:link rel="alternate" hreflang="en-US" href="https://example.org/about/"/>"#,
        ],
    );
    assert!(!sitemap.contains("es/locations/oak-avenue"));
    assert!(!site.path("public/es/sitemap.xml").exists());
}

#[test]
fn a_base_url_path_comes_before_the_language() {
    let site = TestSite::fixture("bilingual");
    site.handout(&["build", "--base-url", "https://example.org/clinic/"])
        .assert_ok();
    let es = site.read("public/es/articles/masaje/index.html");
    assert!(es.contains(r#"href="https://example.org/clinic/es/articles/masaje/""#));
    assert!(es.contains(r#"href="/clinic/es/articles/""#));
    assert!(es.contains(r#"href="/clinic/articles/dry-needling/#what-it-is""#));
}

#[test]
fn a_single_language_site_has_no_alternates() {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let page = site.read("public/articles/back-pain/index.html");
    assert!(!page.contains("hreflang") && !page.contains("language-switcher"));
    assert!(!site.read("public/sitemap.xml").contains("xhtml"));
}

#[test]
fn a_translation_with_no_original_names_the_nearest() {
    let (run, _) = TestSite::fails_in(
        "bilingual",
        "content/articles/masage.es.md",
        "---\ntitle: A\ndescription: B\ndate: 2025-01-01\n---\nHola.\n",
        1,
        "translation (`.es.md`) of content/articles/masage.md, which does not exist",
    );
    assert!(
        run.stderr.contains("content/articles/massage.es.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_language_not_in_site_yaml_is_refused() {
    let (run, _) = TestSite::fails_in(
        "bilingual",
        "content/about.fr.md",
        "---\ntitle: À propos\n---\nBonjour.\n",
        1,
        "which is not one of the site's languages",
    );
    assert!(
        run.stderr.contains("add `fr:` under `languages:`"),
        "{}",
        run.stderr
    );
}

#[test]
fn two_translations_into_one_language_are_refused() {
    TestSite::fails_in(
        "bilingual",
        "content/articles/knee.es.md",
        "---\ntitle: A\ndescription: B\ndate: 2025-01-01\n---\nHola.\n",
        1,
        "has two translations into `es`",
    );
}

#[test]
fn a_fact_in_a_clinic_translation_is_refused() {
    let (run, _) = TestSite::fails_in(
        "bilingual",
        "content/locations/elm-street.es.md",
        "---\nname: Elm\nphone: \"(555) 555-0199\"\n---\nHola.\n",
        3,
        "`phone` is a fact about the clinic, and facts come from content/locations/elm-street.md",
    );
    assert!(!run.stderr.contains("panicked"));
    TestSite::fails_in(
        "bilingual",
        "content/authors/ann-lee.es.md",
        "---\nname: Ann\ncredentials: [PT]\n---\nHola.\n",
        3,
        "`credentials` is a fact about the clinician",
    );
}

#[test]
fn a_bad_language_code_is_refused_at_its_line() {
    let (_, site) = TestSite::fails_in(
        "bilingual",
        "site.yaml",
        "title: T\nbase_url: https://example.org/\nlanguages:\n  sp:\n    title: T\n    disclaimer: D\n",
        4,
        "`sp` is not a language code",
    );
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org/\nlanguage: en\nlanguages:\n  en:\n    title: T\n    disclaimer: D\n",
    );
    site.build().assert_error("is the site's default language");
}

// serve: an edit of either language reaches every page that shows it.

use common::serve::Server;

#[test]
fn serve_updates_both_languages_after_an_edit_of_either() {
    let site = TestSite::fixture("bilingual");
    let server = Server::start(&site);
    let mut events = server.events();
    // The original's facts show on the Spanish clinic page.
    site.edit(
        "content/locations/elm-street.md",
        "(555) 555-0101",
        "(555) 555-0177",
    );
    server.await_event(&mut events, "reload");
    assert!(server
        .text("/es/locations/elm-street/")
        .contains("(555) 555-0177"));
    assert!(server.text("/locations/").contains("(555) 555-0177"));
    // A translation's new title shows on the Spanish lists, and in the
    // English page's alternates and switcher nothing else changes.
    site.edit(
        "content/articles/massage.es.md",
        "title: Masaje terapéutico",
        "title: El masaje",
    );
    server.await_event(&mut events, "reload");
    assert!(server.text("/es/articles/").contains("El masaje"));
    assert!(
        server.text("/es/").contains("El masaje")
            || server.text("/es/articles/masaje/").contains("El masaje")
    );
    // A new translation appears, and the original's switcher now goes to it.
    site.write(
        "content/articles/dry-needling.es.md",
        // A heading keeps the original's id, so links to it still work.
        "---\ntitle: Punción seca\ndescription: Agujas finas.\ndate: 2025-11-02\nslug: puncion-seca\n---\nAgujas finas.\n\n## Qué es {#what-it-is}\n\nUna aguja fina.\n",
    );
    server.await_event(&mut events, "reload");
    assert!(server
        .text("/es/articles/puncion-seca/")
        .contains("Punción seca"));
    assert!(server
        .text("/articles/dry-needling/")
        .contains(r#"<a href="/es/articles/puncion-seca/" hreflang="es""#));
    let masaje = server.text("/es/articles/masaje/");
    assert!(
        masaje.contains(r#"href="/es/articles/puncion-seca/#what-it-is""#),
        "{masaje}"
    );
}

// Theme strings, dates and hours in each language.

#[test]
fn spanish_pages_print_spanish_words_dates_and_hours() {
    let site = built();
    let article = site.read("public/es/articles/masaje/index.html");
    common::assert_contains_all(
        &article,
        &[
            "Publicado el <time datetime=\"2025-12-18\">18 de diciembre de 2025</time>",
            ">Temas relacionados<",
            ">Ir al contenido principal<",
            "<strong>Importante:</strong> Este sitio le ayuda a aprender.",
        ],
    );
    let clinic = site.read("public/es/locations/elm-street/index.html");
    common::assert_contains_all(
        &clinic,
        &[
            "<th scope=\"row\">lun.–jue.</th>",
            "<time datetime=\"07:00\">7:00</time>–<time datetime=\"19:00\">19:00</time>",
            ">Cómo llegar<",
            "<h2 id=\"hours-heading\">Horario</h2>",
            "Cerrado",
        ],
    );
    // English stays as it was.
    let english = site.read("public/locations/elm-street/index.html");
    assert!(english.contains("<th scope=\"row\">Mon–Thu</th>"));
    assert!(english.contains("7:00 AM</time> – <time"));
    let list = site.read("public/es/articles/index.html");
    assert!(list.contains("<h1>Artículos</h1>"), "{list}");
    assert!(site
        .read("public/es/404.html")
        .contains("No encontramos la página"));
}

#[test]
fn a_site_can_replace_a_theme_string() {
    let site = TestSite::fixture("bilingual");
    site.write("i18n/es.yaml", "opening_hours: Horas de atención\n");
    site.build().assert_ok();
    let clinic = site.read("public/es/locations/elm-street/index.html");
    assert!(clinic.contains(">Horas de atención</h2>"), "{clinic}");
    assert!(site
        .read("public/locations/elm-street/index.html")
        .contains(">Opening hours</h2>"));
}

#[test]
fn a_string_missing_in_one_language_is_an_error_naming_key_and_file() {
    let site = TestSite::fixture("bilingual");
    site.build().assert_ok();
    let before = site.snapshot("public");
    site.write("i18n/en.yaml", "parking_note: Park behind the clinic.\n");
    let run = site.build();
    run.assert_error("the string `parking_note` is missing for `es`");
    assert!(
        run.stderr.contains("(built-in default theme)/i18n/es.yaml"),
        "{}",
        run.stderr
    );
    assert!(site.snapshot("public") == before, "public/ changed");
    site.write(
        "i18n/es.yaml",
        "parking_note: Estacione detrás de la clínica.\n",
    );
    site.build().assert_ok();
}

#[test]
fn a_language_without_strings_is_an_error_at_its_line() {
    let site = TestSite::fixture("bilingual");
    site.append(
        "site.yaml",
        "  fr:\n    title: Clinique\n    disclaimer: Ce site ne remplace pas un avis médical.\n",
    );
    let run = site.build();
    run.assert_error("the theme has no strings file for `fr`");
    let line = site.line_of("site.yaml", "  fr:");
    assert!(
        run.stderr.contains(&format!("site.yaml:{line}:")),
        "{}",
        run.stderr
    );
}

// check: translations that fall behind, need review, are missing or link
// to the original; the status of every page in JSON.

#[test]
fn check_warns_when_the_original_was_revised_after_its_translation() {
    let site = TestSite::fixture("bilingual");
    site.edit(
        "content/articles/massage.md",
        "updated: 2025-12-20",
        "updated: 2026-01-05",
    );
    let run = site.handout(&["check"]);
    let line = site.line_of("content/articles/massage.es.md", "updated:");
    let expected = format!(
        "warning: content/articles/massage.es.md:{line}: translation-stale: this translation was last updated on 2025-12-21, but its original content/articles/massage.md was revised on 2026-01-05 (`updated`)"
    );
    assert!(run.stdout.contains(&expected), "{}", run.stdout);
    // A clinical review counts as a revision too.
    site.edit(
        "content/articles/massage.md",
        "updated: 2026-01-05",
        "updated: 2025-12-20",
    );
    site.edit(
        "content/articles/massage.md",
        "last_reviewed: 2025-12-18",
        "last_reviewed: 2026-02-01",
    );
    let run = site.handout(&["check"]);
    assert!(
        run.stdout
            .contains("was revised on 2026-02-01 (`last_reviewed`)"),
        "{}",
        run.stdout
    );
    let strict = site.handout(&["check", "--strict"]);
    assert_eq!(strict.code, 1);
}

#[test]
fn check_asks_for_a_review_of_the_translation_itself() {
    let site = TestSite::fixture("bilingual");
    site.edit(
        "content/articles/knee/index.es.md",
        "reviewed_by: ann-lee\nlast_reviewed: 2025-10-01\n",
        "",
    );
    let run = site.handout(&["check"]);
    assert!(
        run.stdout.contains("warning: content/articles/knee/index.es.md:2: review-due: this translation has not been clinically reviewed: the `es` text needs its own review"),
        "{}",
        run.stdout
    );
}

#[test]
fn check_notes_missing_translations_and_links_to_originals() {
    let site = TestSite::fixture("bilingual");
    let run = site.handout(&["check", "--notes"]);
    common::assert_contains_all(
        &run.stdout,
        &[
            "note: content/articles/dry-needling.md:2: translation-missing: this article has no `es` translation yet",
            "hint: start one with: handout new article --lang es --translation-of dry-needling",
            "note: content/articles/massage.es.md:19: translation-link: the link to dry-needling.md#what-it-is goes to the original",
        ],
    );
    assert!(!run.stdout.contains("translation-stale"), "{}", run.stdout);
}

#[test]
fn check_json_lists_every_page_translation_status() {
    let site = TestSite::fixture("bilingual");
    site.edit(
        "content/about.md",
        "description: Who we are.",
        "description: Who we are.\nupdated: 2026-01-02",
    );
    let run = site.handout(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let statuses = json["translations"].as_array().expect("translations");
    let of = |file: &str| {
        statuses
            .iter()
            .find(|s| s["file"] == file)
            .unwrap_or_else(|| panic!("no status of {file}: {statuses:?}"))
            .clone()
    };
    assert_eq!(of("content/about.es.md")["status"], "stale");
    assert_eq!(of("content/about.es.md")["original"], "content/about.md");
    assert_eq!(of("content/articles/massage.es.md")["status"], "current");
    assert_eq!(of("content/articles/dry-needling.md")["status"], "original");
    assert_eq!(
        of("content/articles/dry-needling.md")["missing"],
        serde_json::json!(["es"])
    );
    assert_eq!(of("content/locations/elm-street.es.md")["language"], "es");
    // One status per page of every language.
    assert_eq!(statuses.len(), 14);
    // A site in one language has no such list.
    let basic = TestSite::fixture("basic");
    let json = basic.handout(&["check", "--format", "json"]).stdout;
    assert!(!json.contains("\"translations\""));
}

#[test]
fn a_clinic_translation_words_the_holiday_notes_of_its_original() {
    let site = TestSite::fixture("bilingual");
    site.edit(
        "content/locations/elm-street.md",
        "services:",
        "holiday_hours:\n  - {date: 2099-12-25, closed: true, note: Christmas Day}\nservices:",
    );
    site.edit(
        "content/locations/elm-street.es.md",
        "services:",
        "holiday_notes: {2099-12-25: Navidad}\nservices:",
    );
    site.build().assert_ok();
    let es = site.read("public/es/locations/elm-street/index.html");
    assert!(
        es.contains("25 de diciembre de 2099</time>: Cerrado (Navidad)"),
        "{es}"
    );
    let en = site.read("public/locations/elm-street/index.html");
    assert!(en.contains("December 25, 2099</time>: Closed (Christmas Day)"));
    site.edit(
        "content/locations/elm-street.es.md",
        "{2099-12-25: Navidad}",
        "{2099-12-26: Navidad}",
    );
    site.build()
        .assert_error("`holiday_notes` has a note for 2099-12-26, which is not one of the holidays in content/locations/elm-street.md");
}

#[test]
fn the_example_site_has_its_spanish_pages_and_passes_check() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("temp dir");
    let out_dir = out.path().join("public");
    let run = common::run(
        &["build", "--output", out_dir.to_str().expect("utf-8 path")],
        root,
    );
    run.assert_ok();
    for path in [
        "es/index.html",
        "es/quienes-somos/index.html",
        "es/articles/puncion-seca-o-masaje/index.html",
        "es/locations/hinsdale/index.html",
        "es/locations/orland-park/index.html",
        "es/locations/south-loop/index.html",
        "es/authors/tim-rylander/index.html",
    ] {
        assert!(out_dir.join(path).is_file(), "missing {path}");
    }
    let article =
        std::fs::read_to_string(out_dir.join("es/articles/puncion-seca-o-masaje/index.html"))
            .expect("the Spanish article");
    assert!(article.contains(r#"hreflang="en-US" href="https://impact-pt.example.com/articles/dry-needling-vs-massage-therapy/""#));
    let checked = common::run(&["check", "--strict"], root);
    checked.assert_ok();
}

/// The benchmark's translated corpus (`--translated 10`) builds: a tenth of
/// the articles in Spanish too, with lists and feed of their own.
#[test]
fn a_corpus_with_a_tenth_translated_builds_both_languages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = handout_corpus::Corpus {
        translated: 10,
        ..handout_corpus::Corpus::new(100)
    };
    handout_corpus::generate(&corpus, dir.path(), false).expect("generate");
    let mut options = handout::BuildOptions::new(dir.path());
    options.today = handout::frontmatter::Date::parse(common::corpus::TODAY);
    let report = handout::build(&options).expect("builds");
    let spanish = common::files_under(&dir.path().join("public/es/articles"))
        .into_keys()
        .filter(|p| {
            p.ends_with("/index.html") && !p.starts_with("page/") && p.matches('/').count() == 1
        })
        .count();
    // Ten translations, drafts left out.
    assert!((7..=10).contains(&spanish), "{spanish} Spanish articles");
    assert!(dir.path().join("public/es/feed.xml").is_file());
    assert!(report.pages > 100);
}

#[test]
fn a_language_without_its_own_home_text_still_has_its_home_page() {
    let site = TestSite::fixture("bilingual");
    std::fs::remove_file(site.path("content/index.es.md")).expect("rm");
    site.build().assert_ok();
    let home = site.read("public/es/index.html");
    assert!(
        home.contains(r#"<link rel="canonical" href="https://example.org/es/">"#),
        "{home}"
    );
    assert!(home.contains(r#"<html lang="es""#));
    assert!(home.contains("Clínica de Prueba"));
}

/// Adds `aliases: [...]` after the first front matter line of `rel`.
fn alias(site: &TestSite, rel: &str, aliases: &str) {
    let text = site.read(rel);
    let text = text.replacen("---\n", &format!("---\naliases: [{aliases}]\n"), 1);
    site.write(rel, &text);
}

#[test]
fn aliases_of_every_language_get_redirect_pages_and_redirects_lines() {
    let site = TestSite::fixture("bilingual");
    // Only translations have aliases: `_redirects` is still written.
    alias(&site, "content/articles/massage.es.md", "/es/masaje-viejo/");
    alias(&site, "content/locations/elm-street.es.md", "/es/elm/");
    site.build().assert_ok();
    let redirects = site.read("public/_redirects");
    assert!(
        redirects.contains("/es/masaje-viejo/ /es/articles/masaje/ 301\n")
            && redirects.contains("/es/elm/ /es/locations/elm-street/ 301\n"),
        "{redirects}"
    );
    let page = site.read("public/es/masaje-viejo/index.html");
    common::assert_contains_all(
        &page,
        &[
            r#"<html lang="es">"#,
            r#"<meta http-equiv="refresh" content="0; url=/es/articles/masaje/">"#,
            "<title>Esta página cambió de dirección</title>",
            r#"<p>Esta página cambió de dirección. <a href="/es/articles/masaje/">Ir a su nueva dirección</a>.</p>"#,
        ],
    );

    // With the originals' aliases: each language's lines, the default's
    // first; a clinic with no translation is not redirected twice.
    alias(&site, "content/articles/massage.md", "/old-massage/");
    alias(&site, "content/locations/oak-avenue.md", "/oak/");
    site.build().assert_ok();
    let redirects = site.read("public/_redirects");
    let lines: Vec<&str> = redirects.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        lines,
        [
            "/old-massage/ /articles/massage/ 301",
            "/oak/ /locations/oak-avenue/ 301",
            "/es/masaje-viejo/ /es/articles/masaje/ 301",
            "/es/elm/ /es/locations/elm-street/ 301",
        ],
        "{redirects}"
    );
    let oak = site.read("public/oak/index.html");
    assert!(oak.contains(r#"<html lang="en-US">"#), "{oak}");
    assert!(oak.contains("<p>This page has moved. <a"), "{oak}");
}

#[test]
fn an_alias_of_a_translation_may_not_take_another_languages_file() {
    let site = TestSite::fixture("bilingual");
    alias(
        &site,
        "content/articles/massage.es.md",
        "/articles/massage/",
    );
    site.build().assert_error(
        "content/articles/massage.es.md:2:1: alias `/articles/massage/` is the address of content/articles/massage.md",
    );
    assert!(!site.path("public").exists(), "nothing written");
    let site = TestSite::fixture("bilingual");
    alias(&site, "content/articles/massage.md", "/old/");
    alias(&site, "content/about.es.md", "/old/");
    site.build()
        .assert_error("alias `/old/` is an alias of content/articles/massage.md too");
    let site = TestSite::fixture("bilingual");
    alias(&site, "content/about.es.md", "/es/feed.xml");
    site.build()
        .assert_error("alias `/es/feed.xml` is a page handout makes itself");
    // `_redirects` made for a translation's alias alone.
    let site = TestSite::fixture("bilingual");
    alias(&site, "content/about.es.md", "/sobre/");
    site.write("content/_redirects", "/x /y 301\n");
    site.build().assert_error(
        "content/_redirects: this file would replace /_redirects, which handout makes",
    );
}

fn search_manifest(site: &TestSite, language: &str) -> serde_json::Value {
    serde_json::from_str(&site.read(&format!("public/search/{language}/index.json")))
        .expect("index.json is JSON")
}

#[test]
fn each_language_has_its_own_search_synonyms() {
    let site = TestSite::fixture("bilingual");
    site.write(
        "content/search-synonyms.es.yaml",
        "# palabras de los pacientes\nmasaje: [masajito, sobada]\n",
    );
    site.write("content/search-synonyms.yaml", "massage: [rubdown]\n");
    site.build().assert_ok();
    let es = search_manifest(&site, "es")["synonyms"].to_string();
    assert!(es.contains(r#"[["masajit"],[["masaj","#), "{es}");
    assert!(!es.contains("rubdown"), "{es}");
    let en = search_manifest(&site, "en")["synonyms"].to_string();
    assert!(
        en.contains(r#"[["rubdown"]"#) && !en.contains("masajit"),
        "{en}"
    );
    // Read by search, never published.
    assert!(!site.path("public/search-synonyms.es.yaml").exists());
    // The Spanish file's words are checked against the Spanish pages.
    let needle = "`sciatica` is on no page of the site";
    let (_, site) = TestSite::fails_in(
        "bilingual",
        "content/search-synonyms.es.yaml",
        "masaje: [sobada]\nsciatica: [leg pain]\n",
        2,
        needle,
    );
    site.handout(&["check"]).assert_error(needle);
}

#[test]
fn search_synonyms_for_a_language_the_site_does_not_have_are_an_error() {
    let site = built();
    let before = site.snapshot("public");
    site.write("content/search-synonyms.fr.yaml", "massage: [massage]\n");
    let run = site.build();
    run.assert_error("error: content/search-synonyms.fr.yaml: these search synonyms are for `fr`, which is not one of the site's languages");
    assert!(
        run.stderr.contains("the site's other languages are es"),
        "{}",
        run.stderr
    );
    assert!(site.snapshot("public") == before, "public/ changed");
}
