//! `handout check` (issue 7): one clean site that must be silent, and for
//! every rule a change that makes it fire, at the right line.

mod common;

use common::{Run, TestSite};
use serde_json::Value;

const ARTICLE: &str = "content/articles/walking.md";

fn clean() -> TestSite {
    TestSite::fixture("clean")
}

fn check(site: &TestSite, args: &[&str]) -> Run {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    site.handout(&all)
}

/// The JSON findings of a check, notes left out.
fn findings(site: &TestSite) -> Vec<Value> {
    let run = check(site, &["--format", "json"]);
    let doc: Value = serde_json::from_str(&run.stdout).expect("JSON output");
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] != "note")
        .cloned()
        .collect()
}

/// Asserts exactly one finding of `rule`, at `file:line`, with `severity`
/// and `needle` in its message.
fn fires(site: &TestSite, rule: &str, file: &str, line: usize, severity: &str, needle: &str) {
    let all = findings(site);
    let of_rule: Vec<&Value> = all.iter().filter(|f| f["rule"] == rule).collect();
    assert_eq!(of_rule.len(), 1, "one `{rule}` finding expected: {all:#?}");
    let f = of_rule[0];
    assert_eq!(f["file"], file, "{f:#?}");
    assert_eq!(f["line"], line as u64, "{f:#?}");
    assert_eq!(f["severity"], severity, "{f:#?}");
    assert!(
        f["message"].as_str().unwrap_or("").contains(needle),
        "{f:#?}"
    );
    assert!(
        !f["hint"].as_str().unwrap_or("").is_empty(),
        "every finding has a hint: {f:#?}"
    );
    // The text form names the same place and rule.
    let text = check(site, &[]).stdout;
    let expected = format!("{severity}: {file}:{line}: {rule}: ");
    assert!(text.contains(&expected), "{expected}\n{text}");
}

#[test]
fn clean_site_is_silent_and_passes_strict() {
    let site = clean();
    let run = check(&site, &["--strict"]);
    run.assert_ok();
    assert_eq!(run.stdout.trim(), "Checked 3 pages: 0 errors, 0 warnings.");
    assert!(findings(&site).is_empty());
    assert!(!site.path("public").exists(), "check writes nothing");
}

#[test]
fn json_schema_is_stable() {
    let site = clean();
    site.edit(
        ARTICLE,
        "title: Walking After a Knee Injury",
        "title: Walking After a Knee Injury, Sprain, Strain, Surgery or Some Other Problem",
    );
    let run = check(&site, &["--format", "json"]);
    run.assert_ok();
    let doc: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["summary"]["pages"], 3);
    assert_eq!(doc["summary"]["errors"], 0);
    assert_eq!(doc["summary"]["warnings"], 1);
    assert!(doc["summary"]["notes"].as_u64().is_some());
    let keys = [
        "file", "line", "rule", "severity", "message", "hint", "figures",
    ];
    for finding in doc["findings"].as_array().expect("findings") {
        let object = finding.as_object().expect("object");
        let mut found: Vec<&str> = object.keys().map(String::as_str).collect();
        found.sort_unstable();
        let mut wanted = keys.to_vec();
        wanted.sort_unstable();
        assert_eq!(found, wanted);
        assert!(finding["line"].is_u64() || finding["line"].is_null());
        assert!(["note", "warning", "error"].contains(&finding["severity"].as_str().unwrap_or("")));
    }
    let figures = doc["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["rule"] == "readability"))
        .map(|f| f["figures"].clone())
        .expect("readability figures");
    for key in [
        "words",
        "sentences",
        "syllables",
        "polysyllables",
        "flesch_kincaid_grade",
        "flesch_reading_ease",
        "smog",
        "hardest",
    ] {
        assert!(!figures[key].is_null(), "figures.{key}");
    }
}

#[test]
fn readability_names_the_hardest_sentences() {
    let site = clean();
    site.append(ARTICLE, "\nComprehensive multidisciplinary rehabilitation methodologies incorporating individualized therapeutic interventions demonstrate considerably improved functional outcomes, particularly regarding proprioceptive neuromuscular coordination, musculoskeletal stabilization, and cardiovascular conditioning throughout progressive ambulation protocols administered postoperatively.\n\nSophisticated biomechanical evaluations systematically characterize compensatory gait abnormalities, facilitating evidence-based individualized interventional prescriptions accommodating comorbidities.\n",
    );
    let site_yaml = site.read("site.yaml");
    site.write(
        "site.yaml",
        &format!("{site_yaml}readability: {{max_grade: 4}}\n"),
    );
    let all = findings(&site);
    let f = all
        .iter()
        .find(|f| f["rule"] == "readability")
        .expect("readability finding");
    assert_eq!(f["severity"], "warning");
    assert!(f["message"]
        .as_str()
        .unwrap_or("")
        .contains("above the site's limit of 4"));
    let hint = f["hint"].as_str().unwrap_or("");
    let long = site.line_of(ARTICLE, "Comprehensive multidisciplinary");
    assert!(hint.contains(&format!("line {long} ")), "{hint}");
    assert_eq!(f["figures"]["hardest"].as_array().map(Vec::len), Some(3));
}

#[test]
fn short_texts_are_reported_but_not_judged() {
    let site = clean();
    site.write("content/about.md", "---\ntitle: About Clean Clinic\ndescription: Who we are, where we work, and how we help people get better.\n---\n\nWe are a small clinic.\n");
    let run = check(&site, &["--format", "json"]);
    let doc: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let note = doc["findings"]
        .as_array()
        .and_then(|f| {
            f.iter()
                .find(|f| f["file"] == "content/about.md" && f["rule"] == "readability")
        })
        .expect("a note");
    assert_eq!(note["severity"], "note");
    assert!(note["message"]
        .as_str()
        .unwrap_or("")
        .contains("too short to judge"));
}

#[test]
fn review_due() {
    let site = clean();
    site.edit(
        ARTICLE,
        "last_reviewed: 2026-01-10",
        "last_reviewed: 2000-01-10",
    );
    site.write(
        "site.yaml",
        &site
            .read("site.yaml")
            .replace("interval_days: 36500", "interval_days: 365"),
    );
    fires(
        &site,
        "review-due",
        ARTICLE,
        7,
        "warning",
        "was due on 2001-01-09",
    );
}

#[test]
fn review_missing() {
    let site = clean();
    site.edit(
        ARTICLE,
        "reviewed_by: sam-park\nlast_reviewed: 2026-01-10\n",
        "",
    );
    fires(
        &site,
        "review-due",
        ARTICLE,
        2,
        "warning",
        "not been clinically reviewed",
    );
}

#[test]
fn reviewer_without_date_and_date_without_reviewer() {
    let site = clean();
    site.edit(ARTICLE, "last_reviewed: 2026-01-10\n", "");
    fires(
        &site,
        "review-pair",
        ARTICLE,
        6,
        "error",
        "`reviewed_by` is set but `last_reviewed` is not",
    );
    check(&site, &[]).assert_error_free_exit(1);
    let site = clean();
    site.edit(ARTICLE, "reviewed_by: sam-park\n", "");
    fires(
        &site,
        "review-pair",
        ARTICLE,
        6,
        "error",
        "`last_reviewed` is set but `reviewed_by` is not",
    );
}

#[test]
fn updated_before_date() {
    let site = clean();
    site.edit(
        ARTICLE,
        "date: 2026-01-10\n",
        "date: 2026-01-10\nupdated: 2025-12-01\n",
    );
    fires(
        &site,
        "dates-order",
        ARTICLE,
        5,
        "error",
        "`updated` (2025-12-01) is before `date` (2026-01-10)",
    );
}

#[test]
fn image_alt() {
    for alt in ["", "knee.svg", "photo"] {
        let site = clean();
        site.write(
            "content/articles/knee.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
        site.append(ARTICLE, &format!("\n![{alt}](knee.svg)\n"));
        let line = site.line_of(ARTICLE, "](knee.svg)");
        fires(
            &site,
            "image-alt",
            ARTICLE,
            line,
            "error",
            "the image `knee.svg`",
        );
    }
}

#[test]
fn vague_link_text_and_bare_urls() {
    for text in [
        "[click here](../index.md)",
        "[Read more](../index.md)",
        "<https://knees.example.net/>",
    ] {
        let site = clean();
        site.append(ARTICLE, &format!("\nSee {text} for more.\n"));
        let line = site.line_of(ARTICLE, "for more.");
        fires(
            &site,
            "link-text",
            ARTICLE,
            line,
            "warning",
            "does not say where it goes",
        );
    }
}

#[test]
fn heading_levels() {
    let site = clean();
    site.append(ARTICLE, "\n#### Too deep\n\nText.\n");
    fires(
        &site,
        "heading-order",
        ARTICLE,
        site.line_of(ARTICLE, "#### Too deep"),
        "warning",
        "from level 2 to level 4",
    );
    let site = clean();
    site.append(ARTICLE, "\n# Another title\n\nText.\n");
    fires(
        &site,
        "heading-order",
        ARTICLE,
        site.line_of(ARTICLE, "# Another title"),
        "warning",
        "level-1 heading",
    );
}

#[test]
fn table_without_header() {
    let site = clean();
    site.append(ARTICLE, "\n|   |   |\n|---|---|\n| a | b |\n");
    fires(
        &site,
        "table-header",
        ARTICLE,
        site.line_of(ARTICLE, "|   |   |"),
        "warning",
        "no header row",
    );
}

#[test]
fn title_and_description_length() {
    let site = clean();
    site.edit(
        ARTICLE,
        "title: Walking After a Knee Injury",
        "title: \"Walking After a Knee Injury: What to Expect in the First Six Weeks\"",
    );
    fires(
        &site,
        "title-length",
        ARTICLE,
        2,
        "warning",
        "66 characters",
    );
    let site = clean();
    site.edit(ARTICLE, "description: How to start walking again after you hurt your knee, one small step at a time.", "description: Walk again.");
    fires(
        &site,
        "description-length",
        ARTICLE,
        3,
        "warning",
        "11 characters",
    );
}

#[test]
fn duplicate_titles_and_descriptions() {
    let site = clean();
    site.write("content/about.md", "---\ntitle: Walking After a Knee Injury\ndescription: How to start walking again after you hurt your knee, one small step at a time.\n---\n\nAbout us.\n");
    let all = findings(&site);
    for rule in ["duplicate-title", "duplicate-description"] {
        let files: Vec<&str> = all
            .iter()
            .filter(|f| f["rule"] == rule)
            .filter_map(|f| f["file"].as_str())
            .collect();
        assert_eq!(files, ["content/about.md", ARTICLE], "{rule}");
    }
}

#[test]
fn tel_mailto_and_insecure_links() {
    let site = clean();
    site.append(ARTICLE, "\nCall [our desk](tel:555-01).\n");
    fires(
        &site,
        "tel-link",
        ARTICLE,
        site.line_of(ARTICLE, "our desk"),
        "error",
        "has 5 digits",
    );
    let site = clean();
    site.append(ARTICLE, "\nWrite to [our desk](mailto:).\n");
    fires(
        &site,
        "mailto-link",
        ARTICLE,
        site.line_of(ARTICLE, "Write to"),
        "error",
        "no email address",
    );
    let site = clean();
    site.append(
        ARTICLE,
        "\nSee [the knee society](http://knees.example.net/).\n",
    );
    fires(
        &site,
        "insecure-link",
        ARTICLE,
        site.line_of(ARTICLE, "knee society"),
        "warning",
        "not a secure link",
    );
}

#[test]
fn severities_can_be_changed_and_unknown_rules_are_errors() {
    let site = clean();
    site.edit(
        ARTICLE,
        "title: Walking After a Knee Injury",
        "title: \"Walking After a Knee Injury: What to Expect in the First Six Weeks\"",
    );
    let yaml = site.read("site.yaml");
    site.write(
        "site.yaml",
        &format!("{yaml}check: {{rules: {{title-length: error}}}}\n"),
    );
    let run = check(&site, &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run
        .stdout
        .contains("error: content/articles/walking.md:2: title-length:"));
    site.write(
        "site.yaml",
        &format!("{yaml}check: {{rules: {{title-length: off}}}}\n"),
    );
    assert!(findings(&site).is_empty());
    site.write(
        "site.yaml",
        &format!("{yaml}check: {{rules: {{title-lenght: off}}}}\n"),
    );
    check(&site, &[])
        .assert_error("there is no check rule `title-lenght`, did you mean `title-length`?");
}

#[test]
fn strict_fails_on_warnings() {
    let site = clean();
    site.edit(ARTICLE, "description: How to start walking again after you hurt your knee, one small step at a time.", "description: Walk again.");
    check(&site, &[]).assert_ok();
    assert_eq!(check(&site, &["--strict"]).code, 1);
}

#[test]
fn a_site_that_does_not_build_reports_build_errors() {
    let site = clean();
    site.edit(ARTICLE, "author: sam-park", "author: sam-prk");
    let run = check(&site, &[]);
    run.assert_error("author `sam-prk` does not match");
    assert!(!site.path("public").exists());
    assert_eq!(
        check(&site, &["--format", "yaml"]).code,
        2,
        "a bad command line exits 2"
    );
}

#[test]
fn external_links_are_listed_only_when_asked() {
    let site = clean();
    site.append(
        ARTICLE,
        "\nSee [the knee society](https://knees.example.net/).\n",
    );
    let line = site.line_of(ARTICLE, "knee society");
    assert!(!check(&site, &[]).stdout.contains("External links"));
    let run = check(&site, &["--external"]);
    assert!(
        run.stdout
            .contains(&format!("{ARTICLE}:{line}: https://knees.example.net/")),
        "{}",
        run.stdout
    );
}

trait ExitOnly {
    fn assert_error_free_exit(&self, code: i32);
}

impl ExitOnly for Run {
    /// The exit code, with findings (not `error:` build lines) on stdout.
    fn assert_error_free_exit(&self, code: i32) {
        assert_eq!(self.code, code, "{}", self.stdout);
        assert!(self.stderr.is_empty(), "{}", self.stderr);
    }
}

/// The clean article's body in plain Spanish, 100 words or more.
const SPANISH_BODY: &str = "Caminar es una de las mejores formas de cuidar una rodilla lastimada.
Mantiene la articulación en movimiento. También ayuda a que los músculos se
pongan fuertes otra vez. No necesita equipo especial. Solo necesita buenos
zapatos y un lugar seguro para caminar.

## Empiece poco a poco

Empiece con una caminata corta en un lugar plano. Diez minutos es un buen
comienzo. Camine despacio. Debe poder hablar mientras camina. ¿Le duele más
la rodilla al día siguiente? Descanse un día. Luego intente una caminata más
corta.

## Agregue unos minutos

Agregue unos minutos cada semana. Pare si siente un dolor fuerte. Un dolor
leve que se va en una hora es normal. La Dra. Park puede ayudarle con un plan
para su rodilla. ¡Llámenos si tiene dudas!
";

/// The clean site in Spanish: `language: es` and the article in Spanish.
fn spanish(readability: &str) -> TestSite {
    let site = clean();
    let yaml = site
        .read("site.yaml")
        .replace("language: en-US", "language: es-US");
    site.write("site.yaml", &format!("{yaml}{readability}"));
    let article = site.read(ARTICLE);
    let front = article.split("\n---\n").next().expect("front matter");
    site.write(ARTICLE, &format!("{front}\n---\n\n{SPANISH_BODY}"));
    site
}

fn readability_of(site: &TestSite) -> Value {
    let run = check(site, &["--format", "json"]);
    let doc: Value = serde_json::from_str(&run.stdout).expect("JSON");
    doc["findings"]
        .as_array()
        .and_then(|f| {
            f.iter()
                .find(|f| f["file"] == ARTICLE && f["rule"] == "readability")
        })
        .cloned()
        .expect("a readability finding")
}

#[test]
fn spanish_pages_are_scored_in_spanish() {
    let site = spanish("");
    check(&site, &["--strict"]).assert_ok();
    let f = readability_of(&site);
    assert_eq!(f["severity"], "note", "{f:#?}");
    let figures = &f["figures"];
    assert_eq!(figures["language"], "es");
    assert!(
        figures["words"].as_u64().is_some_and(|w| w >= 100),
        "{figures}"
    );
    let inflesz = figures["inflesz"].as_f64().expect("inflesz");
    assert!(
        inflesz >= 55.0,
        "plain Spanish reads as normal or easier: {inflesz}"
    );
    assert!(figures["fernandez_huerta"].is_number());
    assert!(figures["flesch_kincaid_grade"].is_null());
    assert!(figures["hardest"][0]["inflesz"].is_number());
    let message = f["message"].as_str().unwrap_or("");
    assert!(
        message.starts_with(&format!("reads at INFLESZ {inflesz:.0} (")),
        "{message}"
    );
    assert!(message.contains("(limit 55)"), "{message}");
    assert!(message.contains("Fernández-Huerta"), "{message}");
}

#[test]
fn spanish_limit_names_the_hardest_sentences() {
    let site = spanish("readability:\n  max_grade: 8\n  es:\n    min_inflesz: 95\n");
    let f = readability_of(&site);
    assert_eq!(f["severity"], "warning", "{f:#?}");
    let message = f["message"].as_str().unwrap_or("");
    assert!(
        message.contains("below the site's limit of 95"),
        "{message}"
    );
    let hint = f["hint"].as_str().unwrap_or("");
    let hardest = &f["figures"]["hardest"][0];
    let line = hardest["line"].as_u64().expect("line");
    let text = hardest["text"].as_str().expect("text");
    assert_eq!(site.line_of(ARTICLE, &text[..20]) as u64, line, "{hardest}");
    assert!(hint.contains(&format!("line {line} (INFLESZ ")), "{hint}");
    // The page's finding is at the first body line, after the closing ---.
    let body = site.line_of(ARTICLE, "Caminar es") - 1;
    let run = check(&site, &[]);
    assert!(
        run.stdout.contains(&format!(
            "warning: {ARTICLE}:{body}: readability: reads at INFLESZ"
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn a_language_without_formulas_is_noted_not_scored() {
    let site = clean();
    let yaml = site
        .read("site.yaml")
        .replace("language: en-US", "language: fr");
    site.write("site.yaml", &yaml);
    let f = readability_of(&site);
    assert_eq!(f["severity"], "note");
    assert!(f["figures"].is_null());
    assert!(
        f["message"]
            .as_str()
            .unwrap_or("")
            .contains("not scored: handout has readability formulas for English and Spanish"),
        "{f:#?}"
    );
}

#[test]
fn unknown_readability_language_is_an_error_at_its_line() {
    let site = clean();
    let yaml = site.read("site.yaml");
    let line = yaml.lines().count() + 3;
    site.write(
        "site.yaml",
        &format!("{yaml}readability:\n  max_grade: 8\n  fr:\n    min_inflesz: 55\n"),
    );
    for command in ["check", "build"] {
        let run = site.handout(&[command]);
        run.assert_error("no readability formulas for language `fr`");
        assert!(
            run.stderr.contains(&format!(
                "error: site.yaml:{line}:3: readability: handout has no"
            )),
            "{}",
            run.stderr
        );
    }
    assert!(!site.path("public").exists(), "nothing written");
}

/// `check` keeps readability scores between runs (in the user's cache
/// folder, by site), and the kept scores never hide a change.
#[test]
fn readability_scores_kept_between_runs_give_the_same_report_and_follow_edits() {
    let site = clean();
    let home = tempfile::tempdir().expect("a home folder");
    let check = |site: &TestSite| {
        let root = site.root().to_string_lossy().into_owned();
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_handout"))
            .args(["check", "--format", "json", "--root", &root])
            .current_dir(site.root())
            .env("HOME", home.path())
            .env_remove("XDG_CACHE_HOME")
            .output()
            .expect("run handout check");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let first = check(&site);
    let kept: Vec<_> = std::fs::read_dir(home.path().join(".cache/handout"))
        .expect("the cache folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("check-") && name.ends_with(".json"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(check(&site), first, "a second check reports the same");

    site.append(ARTICLE, "\nComprehensive multidisciplinary rehabilitation methodologies incorporating individualized therapeutic interventions demonstrate considerably improved functional outcomes.\n");
    let edited = check(&site);
    assert_ne!(edited, first);
    let grade = |report: &str| {
        let doc: Value = serde_json::from_str(report).expect("JSON");
        doc["findings"]
            .as_array()
            .and_then(|f| {
                f.iter()
                    .find(|f| f["file"] == ARTICLE && f["rule"] == "readability")
            })
            .map(|f| f["figures"]["flesch_kincaid_grade"].clone())
            .expect("a readability finding")
    };
    assert_ne!(grade(&edited), grade(&first), "the edit was scored");
    assert!(
        edited.contains("Comprehensive multidisciplinary"),
        "the new sentence is named among the hardest"
    );
}
