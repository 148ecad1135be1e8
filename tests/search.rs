//! Site search as `handout build` writes it (issue 13): the index files of
//! the fixture `tests/sites/search`, `search: false`, and the synonyms
//! file's errors (a file that does not parse, a name no page uses, a loop),
//! each named with its file and line, leaving the last output as it was.
//! What the browser does with the index is tests/browser/search.test.mjs.

mod common;

use common::TestSite;

const SYNONYMS: &str = "content/search-synonyms.yaml";

fn manifest(site: &TestSite) -> serde_json::Value {
    serde_json::from_str(&site.read("public/search/en/index.json")).expect("index.json is JSON")
}

/// The files named by a manifest's or group file's first words, as the
/// script names them: `"knee"`, or `["knee", 1]` for `-1` after the hash.
fn files_of(folder: &str, firsts: &serde_json::Value) -> Vec<String> {
    let firsts = firsts.as_array().expect("an array of first words");
    firsts
        .iter()
        .map(|first| match first.as_str() {
            Some(word) => handout::search::file_name(folder, word, 0),
            None => {
                let word = first[0].as_str().expect("a first word");
                let k = first[1].as_u64().expect("its number");
                handout::search::file_name(folder, word, k as usize)
            }
        })
        .collect()
}

/// Each word list's file: from the manifest's first words, or (a large
/// site) from those of each group's file.
fn list_files(site: &TestSite, m: &serde_json::Value) -> Vec<String> {
    if m.get("words").is_some() {
        assert!(m.get("groups").is_none(), "lists or groups, not both");
        return files_of("w/", &m["words"]);
    }
    files_of("g/", &m["groups"])
        .iter()
        .flat_map(|group| {
            let text = site.read(&format!("public/search/en/{group}"));
            files_of("w/", &serde_json::from_str(&text).expect("a group is JSON"))
        })
        .collect()
}

#[test]
fn build_writes_the_index_page_and_header_box() {
    let site = TestSite::fixture("search");
    site.build().assert_ok();
    let m = manifest(&site);
    assert_eq!(m["format"], 3);
    assert_eq!(m["language"], "en");
    // 2 clinics, 1 clinician, 1 plain page, 6 articles (the home page is
    // not a result).
    assert_eq!(m["docs"], 10);
    assert_eq!(m["kinds"][0], serde_json::json!(["location", 0, 2]));
    assert_eq!(m["kinds"][3], serde_json::json!(["article", 4, 10]));
    // The synonyms, as terms: `heel pain` leads to `plantar fasciitis`.
    let synonyms = m["synonyms"].to_string();
    assert!(
        synonyms.contains(r#"[["heel","pain"],[["plantar","#),
        "{synonyms}"
    );
    assert!(
        synonyms.contains(r#"[["physio"],[["physic","#),
        "{synonyms}"
    );
    for file in list_files(&site, &m) {
        let path = format!("public/search/en/{file}");
        assert!(site.path(&path).is_file(), "{path}");
    }
    assert!(site.path("public/search/en/d/0.json").is_file());
    let page = site.read("public/search/index.html");
    assert!(page.contains(r#"id="search-results""#));
    assert!(page.contains(r#"data-index="/search/en/""#), "{page}");
    assert!(page.contains(r#"<script src="/search.js" defer>"#));
    assert!(
        page.contains(r#"<option value="plantar-fasciitis">plantar fasciitis</option>"#),
        "{page}"
    );
    let home = site.read("public/index.html");
    assert!(home.contains(r#"<form class="site-search" role="search""#));
    assert!(home.contains(r#"action="/search/""#));
    assert!(site.path("public/search.js").is_file());
    // Read by search, never published; not in the sitemap.
    assert!(!site.path("public/search-synonyms.yaml").exists());
    assert!(!site.read("public/sitemap.xml").contains("/search/"));
}

#[test]
fn the_index_files_hold_the_words_of_the_pages() {
    let site = TestSite::fixture("search");
    site.build().assert_ok();
    let m = manifest(&site);
    let words: Vec<serde_json::Value> = list_files(&site, &m)
        .iter()
        .flat_map(|file| {
            let text = site.read(&format!("public/search/en/{file}"));
            serde_json::from_str::<Vec<serde_json::Value>>(&text).expect("a word list is JSON")
        })
        .collect();
    let find = |word: &str| words.iter().find(|w| w[0] == word).cloned();
    // `[word, term or 0, df, big]`; stop words alone.
    assert_eq!(find("60462").expect("the ZIP code")[1], 0);
    assert_eq!(find("stretches").expect("stretches")[1], "stretch");
    assert_eq!(find("cafe").expect("café, folded")[2], 1);
    assert_eq!(
        find("the").expect("a stop word").as_array().map(Vec::len),
        Some(1)
    );
    assert!(
        find("physio").is_some(),
        "a synonym's word, though on no page"
    );
    assert!(find("#c:sciatica").is_some(), "a filter term");
    assert!(find("<script>").is_none());
}

#[test]
fn a_word_only_the_home_page_has_is_not_in_the_word_list() {
    // The home page is not a result, so its words lead nowhere; a build
    // learns which words the indexed pages use while it makes their terms.
    let site = TestSite::fixture("search");
    let home = site.read("content/index.md");
    site.write(
        "content/index.md",
        &format!("{home}\nOur zymurgy corner, and stretches.\n"),
    );
    site.build().assert_ok();
    let m = manifest(&site);
    let lists: Vec<String> = list_files(&site, &m)
        .iter()
        .map(|file| site.read(&format!("public/search/en/{file}")))
        .collect();
    assert!(lists.iter().all(|l| !l.contains("zymurgy")), "{lists:?}");
    assert!(
        lists.iter().any(|l| l.contains(r#""stretches""#)),
        "{lists:?}"
    );
}

/// Made-up words, `n` of them, spread over the alphabet: `aovela`,
/// `bovelb`... (a letter, `ovel`, the number in letters).
fn made_up_words(n: usize) -> Vec<String> {
    let letter = |k: usize| char::from(b'a' + (k % 26) as u8);
    (0..n)
        .map(|i| {
            let number: String = i
                .to_string()
                .bytes()
                .map(|d| letter(usize::from(d - b'0')))
                .collect();
            format!("{}ovel{number}", letter(i))
        })
        .collect()
}

/// The file of the word list that may hold `word`, found as the script
/// finds it: the last group (then list) whose first word is not after it.
fn list_of(site: &TestSite, m: &serde_json::Value, word: &str) -> String {
    let last_not_after = |firsts: &serde_json::Value| -> usize {
        let firsts = firsts.as_array().expect("first words");
        let text = |f: &serde_json::Value| f.as_str().or(f[0].as_str()).map(str::to_string);
        firsts
            .iter()
            .rposition(|f| text(f).is_some_and(|f| f.as_str() <= word))
            .unwrap_or(0)
    };
    let group = last_not_after(&m["groups"]);
    let file = &files_of("g/", &m["groups"])[group];
    let lists: serde_json::Value =
        serde_json::from_str(&site.read(&format!("public/search/en/{file}"))).expect("JSON");
    files_of("w/", &lists)[last_not_after(&lists)].clone()
}

#[test]
fn a_large_vocabulary_is_found_through_groups_of_word_lists() {
    // Thousands of words make a hundred lists and more: the manifest then
    // gives only each group's first word, and stays small.
    let site = TestSite::fixture("search");
    let words = made_up_words(6000);
    site.write(
        "content/articles/glossary.md",
        &format!(
            "---\ntitle: Glossary\ndescription: Many words.\ndate: 2024-01-01\n---\n\n{}\n",
            words.join(" ")
        ),
    );
    site.build().assert_ok();
    let m = manifest(&site);
    assert!(
        m.get("words").is_none(),
        "no list's first word in the manifest"
    );
    let groups = files_of("g/", &m["groups"]);
    assert!(groups.len() >= 4, "{groups:?}");
    let manifest_bytes = site.read("public/search/en/index.json").len();
    assert!(manifest_bytes < 2000, "{manifest_bytes} bytes");
    let lists = list_files(&site, &m);
    assert!(lists.len() > 64, "{} lists", lists.len());
    let mut seen = std::collections::HashSet::new();
    for file in &lists {
        assert!(seen.insert(file), "{file} twice");
    }
    // Every word is in the list the lookup leads to; one word in 40 read
    // (each list is read once).
    let mut read: std::collections::HashMap<String, String> = Default::default();
    for word in words
        .iter()
        .step_by(40)
        .chain(["stretches".to_string()].iter())
    {
        let file = list_of(&site, &m, word);
        let text = read
            .entry(file.clone())
            .or_insert_with(|| site.read(&format!("public/search/en/{file}")));
        assert!(
            text.contains(&format!("[\"{word}\"")),
            "{word} not in {file}"
        );
    }
}

#[test]
fn search_false_leaves_it_all_out() {
    let site = TestSite::fixture("search");
    let yaml = site.read("site.yaml");
    site.write("site.yaml", &format!("{yaml}search: false\n"));
    site.build().assert_ok();
    assert!(!site.path("public/search").exists());
    assert!(!site.read("public/index.html").contains("site-search"));
    // With search off, a page may take the URL /search/.
    site.write(
        "content/search.md",
        "---\ntitle: Search tips\n---\n\nTips.\n",
    );
    site.build().assert_ok();
    assert!(site
        .read("public/search/index.html")
        .contains("Search tips"));
}

#[test]
fn a_page_may_not_take_the_search_url() {
    let site = TestSite::fixture("search");
    site.write(
        "content/search.md",
        "---\ntitle: Search tips\n---\n\nTips.\n",
    );
    site.build()
        .assert_error("the URL /search/ is made by handout itself");
}

/// Writes a synonyms file into the built fixture and builds: an error at
/// `line` holding `needle`, and the output as it was; `check` says so too.
fn synonyms_fail(text: &str, line: usize, needle: &str) {
    let (_, site) = TestSite::fails_in("search", SYNONYMS, text, line, needle);
    site.handout(&["check"]).assert_error(needle);
}

#[test]
fn a_synonyms_file_that_does_not_parse_is_an_error_at_its_line() {
    synonyms_fail(
        "plantar fasciitis: [heel pain\nknee: [kneecap]\n",
        1,
        "is never closed",
    );
    synonyms_fail(
        "ok: [heel]\nknee:\n  nested: map\n",
        2,
        "must be followed by a list of words",
    );
}

#[test]
fn a_synonym_for_a_name_no_page_uses_is_an_error() {
    synonyms_fail(
        "# ours\nplantar fasciitis: [heel pain]\nplantr fascitis: [arch pain]\n",
        3,
        "`plantr fascitis` is on no page of the site",
    );
}

#[test]
fn synonyms_that_loop_are_an_error() {
    synonyms_fail(
        "sciatica: [leg pain]\nleg pain: [sciatica]\n",
        1,
        "leads back to itself",
    );
}

#[test]
fn the_index_is_the_same_every_build() {
    let site = TestSite::fixture("search");
    site.build().assert_ok();
    let first = site.snapshot("public/search");
    std::fs::remove_dir_all(site.path("public")).expect("remove public");
    site.build().assert_ok();
    assert!(
        first == site.snapshot("public/search"),
        "the index files changed between two builds"
    );
    assert!(first.keys().any(|p| p.starts_with("en/s")));
}

/// `check` counts words and makes the index only to check a synonyms
/// file against it; without one it skips both (a fifth of its work).
#[test]
fn check_makes_the_index_only_to_check_a_synonyms_file() {
    use handout::{prepare_for, BuildOptions, Purpose};
    let site = TestSite::fixture("search");
    let options = BuildOptions::new(site.root());
    let prepared = prepare_for(&options, Purpose::Check).expect("prepares");
    assert!(prepared.search.is_some(), "the fixture has a synonyms file");
    assert!(prepared.site.pages.iter().any(|p| p.words.is_some()));
    std::fs::remove_file(site.path(SYNONYMS)).expect("removes the synonyms file");
    let prepared = prepare_for(&options, Purpose::Check).expect("prepares");
    assert!(prepared.search.is_none());
    assert!(prepared.site.pages.iter().all(|p| p.words.is_none()));
    // A build still makes it.
    let prepared = prepare_for(&options, Purpose::Serve).expect("prepares");
    assert!(prepared.search.is_some());
    site.handout(&["check"]).assert_ok();
}
