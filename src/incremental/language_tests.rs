//! `Live` on a site in two languages: an edit of an original or of a
//! translation renders only the pages of that source in each language
//! (and the feeds and sitemap), and the output always equals what a full
//! `handout build` of the same files writes.

use std::path::PathBuf;

use super::tests::{differ_from_a_build, options, snapshot};
use super::{Live, Outcome};

const KNEE: &str = "articles/a-knee.md";
const KNEE_ES: &str = "articles/a-knee.es.md";
const ELM: &str = "locations/elm.md";

struct Bilingual {
    dir: tempfile::TempDir,
    live: Live,
}

impl Bilingual {
    fn new() -> Bilingual {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = [
            (
                "site.yaml",
                "title: Test Clinic\nbase_url: https://example.org/\nlanguage: en-US\npaginate: 2\nlanguages:\n  es:\n    title: Clínica de Prueba\n    description: Un sitio de prueba.\n    disclaimer: No es un consejo médico.\n",
            ),
            ("content/index.md", "---\ntitle: Welcome\n---\n\nHello.\n"),
            ("content/index.es.md", "---\ntitle: Bienvenidos\n---\n\nHola.\n"),
            (
                "content/authors/ann.md",
                "---\nname: Ann Lee\ncredentials: [PT]\n---\n\nAnn.\n",
            ),
            (
                "content/locations/elm.md",
                "---\nname: Elm Street\ncity: Springfield\naddress: {street: 1 Elm Street, locality: Springfield, region: IL, postal_code: \"62701\"}\nphone: \"(555) 555-0101\"\nhours:\n  - {days: [Mo, Tu], opens: \"07:00\", closes: \"19:00\"}\nservices: [massage]\nclinicians: [ann]\n---\n\nNear the park.\n",
            ),
            (
                "content/locations/elm.es.md",
                "---\nname: Calle Elm\nservices: [masaje]\n---\n\nCerca del parque.\n",
            ),
            (
                "content/articles/a-knee.md",
                "---\ntitle: Knee Care\ndescription: About knees.\ndate: 2026-01-05\nauthor: ann\ntags: [pain]\nlocations: [elm]\n---\n\nBend gently. See [the back](b-back.md).\n",
            ),
            (
                "content/articles/a-knee.es.md",
                "---\ntitle: Cuidado de la rodilla\ndescription: Sobre las rodillas.\ndate: 2026-01-05\nupdated: 2026-01-06\nauthor: ann\ntags: [dolor]\nlocations: [elm]\n---\n\nDoble con cuidado. Vea [la espalda](b-back.md).\n",
            ),
            (
                "content/articles/b-back.md",
                "---\ntitle: Back Basics\ndescription: About backs.\ndate: 2026-01-04\nauthor: ann\ntags: [pain]\n---\n\nMove a little.\n",
            ),
        ];
        for (rel, text) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        let mut live = Live::new(options(dir.path(), None), dir.path().join("live"));
        let first = live
            .full()
            .unwrap_or_else(|e| panic!("the fixture builds: {e}"));
        assert!(first.full);
        Bilingual { dir, live }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join("content").join(rel)
    }

    /// Writes `text` over `rel`, or replaces `from` with `to` in it, and
    /// applies the change as the watcher would.
    fn edit(&mut self, rel: &str, from: &str, to: &str) -> Outcome {
        let path = self.path(rel);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(text.contains(from), "{rel} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
        self.apply(rel)
    }

    fn apply(&mut self, rel: &str) -> Outcome {
        self.live
            .apply(&[(self.path(rel), false)])
            .unwrap_or_else(|e| panic!("{e}"))
            .expect("a change")
    }

    fn output(&self, rel: &str) -> String {
        std::fs::read_to_string(self.live.output().join(rel)).unwrap_or_default()
    }

    fn assert_equals_a_build(&self) {
        let differ = differ_from_a_build(self.dir.path(), self.live.output());
        assert!(differ.is_empty(), "differ from a build: {differ:?}");
    }
}

#[test]
fn a_body_edit_of_an_original_renders_its_pages_in_each_language() {
    let mut site = Bilingual::new();
    let files = snapshot(site.live.output()).len();
    let outcome = site.edit(KNEE, "Bend gently.", "Bend gently, twice a day.");
    assert!(!outcome.full, "{outcome:?}");
    assert_eq!(outcome.changed, [KNEE]);
    // The page and its translation (each with its share card), both
    // feeds and the sitemap.
    assert!(outcome.rendered <= 7, "{outcome:?} of {files}");
    assert!(site
        .output("articles/a-knee/index.html")
        .contains("twice a day"));
    site.assert_equals_a_build();
}

#[test]
fn a_body_edit_of_a_translation_renders_it_and_equals_a_build() {
    let mut site = Bilingual::new();
    let outcome = site.edit(
        KNEE_ES,
        "Doble con cuidado.",
        "Doble con cuidado, dos veces al día.",
    );
    assert!(!outcome.full, "{outcome:?}");
    assert_eq!(outcome.changed, [KNEE_ES]);
    assert!(outcome.rendered <= 7, "{outcome:?}");
    assert!(site
        .output("es/articles/a-knee/index.html")
        .contains("dos veces al día"));
    assert!(site.output("es/feed.xml").contains("dos veces al día"));
    site.assert_equals_a_build();
}

#[test]
fn a_clinics_fact_reaches_its_translation_and_equals_a_build() {
    let mut site = Bilingual::new();
    site.edit(ELM, "(555) 555-0101", "(555) 555-0199");
    for page in ["locations/elm/index.html", "es/locations/elm/index.html"] {
        assert!(site.output(page).contains("555-0199"), "{page}");
    }
    site.assert_equals_a_build();
    // Its words in Spanish.
    let outcome = site.edit(
        "locations/elm.es.md",
        "Cerca del parque.",
        "Junto al parque.",
    );
    assert!(!outcome.full, "{outcome:?}");
    assert!(site
        .output("es/locations/elm/index.html")
        .contains("Junto al parque."));
    site.assert_equals_a_build();
}

#[test]
fn titles_and_new_or_deleted_translations_equal_a_build() {
    let mut site = Bilingual::new();
    site.edit(
        KNEE_ES,
        "title: Cuidado de la rodilla",
        "title: Rodillas sanas",
    );
    assert!(site.output("es/index.html").contains("Rodillas sanas"));
    site.assert_equals_a_build();
    site.edit(KNEE, "title: Knee Care", "title: Healthy Knees");
    site.assert_equals_a_build();
    // A new translation: a new page, and the switcher of its original.
    std::fs::write(
        site.path("articles/b-back.es.md"),
        "---\ntitle: La espalda\ndescription: Sobre la espalda.\ndate: 2026-01-04\nauthor: ann\n---\n\nMuévase un poco.\n",
    )
    .expect("write");
    let outcome = site.apply("articles/b-back.es.md");
    assert!(outcome.full, "{outcome:?}");
    assert!(site
        .output("es/articles/b-back/index.html")
        .contains("Muévase"));
    site.assert_equals_a_build();
    std::fs::remove_file(site.path("articles/b-back.es.md")).expect("remove");
    site.apply("articles/b-back.es.md");
    assert!(site.output("es/articles/b-back/index.html").is_empty());
    site.assert_equals_a_build();
}
