//! The generator through its public API and its command line: the same
//! arguments give the same bytes, and the site has what the tests and
//! benchmarks rely on (article lengths, tables, terms, people, places,
//! links that resolve). `hugo` builds the converted site when it is
//! installed (SKIPPED otherwise, a failure under HANDOUT_REQUIRE_HUGO=1).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::process::Command;

use handout_corpus::{files, generate, to_hugo, Corpus, Error, File, Hugo};

fn site(corpus: &Corpus) -> BTreeMap<String, String> {
    let (files, _) = files(corpus).expect("generate");
    files
        .into_iter()
        .map(|File { path, text }| (path, text))
        .collect()
}

/// The front matter's top-level `key: value` lines, and the body.
fn split(text: &str) -> (BTreeMap<&str, &str>, &str) {
    let rest = text.strip_prefix("---\n").expect("front matter");
    let (front, body) = rest.split_once("\n---\n").expect("end of front matter");
    let fields = front
        .lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k, v.trim()))
        .collect();
    (fields, body)
}

fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|t| t.chars().any(|c| c.is_ascii_alphanumeric()))
        .count()
}

fn under<'a>(
    site: &'a BTreeMap<String, String>,
    folder: &'a str,
) -> impl Iterator<Item = (&'a String, &'a String)> {
    site.iter().filter(move |(p, _)| p.starts_with(folder))
}

#[test]
fn the_same_arguments_give_the_same_bytes() {
    let corpus = Corpus::new(120);
    assert_eq!(site(&corpus), site(&corpus));
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    for dir in &dirs {
        generate(&corpus, dir.path(), false).expect("generate");
    }
    let on_disk: Vec<BTreeMap<String, Vec<u8>>> = dirs.iter().map(|d| read_all(d.path())).collect();
    assert_eq!(on_disk[0], on_disk[1]);
    assert_eq!(on_disk[0].len(), site(&corpus).len());
}

#[test]
fn another_seed_gives_another_site_and_more_articles_keep_the_first_ones() {
    let one = site(&Corpus::new(40));
    let two = site(&Corpus {
        seed: 2,
        ..Corpus::new(40)
    });
    assert_ne!(one, two);
    // Each article has its own random stream: adding articles leaves the
    // earlier ones' subjects and people as they were.
    let more = site(&Corpus::new(60));
    let titles = |s: &BTreeMap<String, String>| -> HashSet<String> {
        under(s, "content/articles/")
            .map(|(_, t)| split(t).0["title"].to_string())
            .collect()
    };
    assert!(titles(&one).is_subset(&titles(&more)));
}

#[test]
fn articles_have_what_the_benchmarks_need() {
    let corpus = Corpus::new(300);
    let site = site(&corpus);
    let articles: Vec<(&String, &String)> = under(&site, "content/articles/").collect();
    assert_eq!(articles.len(), 300);
    let slugs: HashSet<&str> = articles
        .iter()
        .map(|(p, _)| &p["content/articles/".len()..])
        .collect();
    let mut tables = 0;
    let mut reviewed = 0;
    let mut drafts = HashSet::new();
    for (path, text) in &articles {
        let (front, body) = split(text);
        let n = words(body);
        assert!((500..=1200).contains(&n), "{path}: {n} words");
        for key in [
            "title",
            "description",
            "date",
            "author",
            "tags",
            "conditions",
            "treatments",
            "locations",
        ] {
            assert!(front.contains_key(key), "{path}: no {key}");
        }
        let description = front["description"].trim_matches('"');
        assert!(
            (110..=160).contains(&description.len()),
            "{path}: {description:?}"
        );
        tables += usize::from(front.contains_key("comparison"));
        reviewed += usize::from(front.contains_key("reviewed_by"));
        if front["draft"] == "true" {
            drafts.insert(&path["content/articles/".len()..]);
        }
        assert!(body.contains("\n## "), "{path}: no headings");
        assert!(
            body.contains("\n- ") && body.contains("\n1. "),
            "{path}: lists"
        );
        assert!(body.contains("](https://www.example.org/"), "{path}");
        // Every link to a source file names a published article.
        for link in body.split("](").skip(1) {
            let target = link.split(')').next().unwrap_or("");
            if target.ends_with(".md") {
                assert!(slugs.contains(target), "{path}: link to {target}");
                assert!(!drafts.contains(target), "{path}: link to a draft");
            }
        }
    }
    assert!((140..=220).contains(&tables), "{tables} comparison tables");
    assert!((100..=200).contains(&reviewed), "{reviewed} reviewed");
    assert!(drafts.len() < 20, "{} drafts", drafts.len());
}

#[test]
fn clinics_and_clinicians_are_complete_and_distinct() {
    let corpus = Corpus {
        locations: 35,
        authors: 12,
        ..Corpus::new(0)
    };
    let site = site(&corpus);
    let clinics: Vec<_> = under(&site, "content/locations/").collect();
    assert_eq!(clinics.len(), 35, "more clinics than towns get -2 slugs");
    for (path, text) in clinics {
        let (front, body) = split(text);
        for key in [
            "name",
            "city",
            "address",
            "phone",
            "email",
            "geo",
            "hours",
            "services",
            "booking_url",
        ] {
            assert!(front.contains_key(key), "{path}: no {key}");
        }
        assert!(front["phone"].contains("555-01"), "{path}");
        assert!(text.contains("  - {days: ["), "{path}: hours");
        assert!(words(body) >= 100, "{path}");
    }
    let people: Vec<_> = under(&site, "content/authors/").collect();
    assert_eq!(people.len(), 12);
    for (path, text) in people {
        let (front, _) = split(text);
        assert!(front["credentials"].starts_with("[PT"), "{path}");
        assert!(front.contains_key("role"), "{path}");
    }
    assert!(site["site.yaml"].contains("base_url: https://example.com"));
    assert!(!site["site.yaml"].contains("paginate"));
}

#[test]
fn pagination_can_be_turned_off() {
    let corpus = Corpus {
        paginate: Some(0),
        ..Corpus::new(3)
    };
    assert!(site(&corpus)["site.yaml"].ends_with("paginate: 0\n"));
}

#[test]
fn a_site_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    generate(&Corpus::new(5), dir.path(), false).unwrap();
    let again = generate(&Corpus::new(3), dir.path(), false);
    assert!(matches!(again, Err(Error::Exists(_))), "{again:?}");
    generate(&Corpus::new(3), dir.path(), true).unwrap();
    assert_eq!(read_all(&dir.path().join("content/articles")).len(), 3);
    let none = Corpus {
        authors: 0,
        ..Corpus::new(3)
    };
    assert!(matches!(files(&none), Err(Error::Invalid(_))));
}

/// The command line, as the benchmark docs print it.
#[test]
fn the_command_line_writes_the_same_site() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let status = Command::new(env!("CARGO_BIN_EXE_handout-corpus"))
        .args(["generate", "--articles", "20", "--seed", "1", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let expected: BTreeMap<String, Vec<u8>> = site(&Corpus::new(20))
        .into_iter()
        .map(|(p, t)| (p, t.into_bytes()))
        .collect();
    assert_eq!(read_all(&out), expected);
    let hugo = dir.path().join("hugo");
    let status = Command::new(env!("CARGO_BIN_EXE_handout-corpus"))
        .arg("hugo")
        .args([&out, &hugo])
        .args(["--taxonomies", "tags,conditions,treatments"])
        .status()
        .unwrap();
    assert!(status.success());
    let config = std::fs::read_to_string(hugo.join("config.toml")).unwrap();
    assert!(config.contains("  treatment = \"treatments\""), "{config}");
    let article = std::fs::read_to_string(hugo.join("layouts/articles/single.html")).unwrap();
    assert!(article.contains(".GetTerms \"conditions\""));
}

#[test]
fn the_hugo_site_builds_with_hugo() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    generate(&Corpus::new(60), &corpus, false).unwrap();
    let site = dir.path().join("hugo");
    let options = Hugo {
        taxonomies: vec!["tags".into(), "conditions".into(), "treatments".into()],
        force: false,
    };
    assert_eq!(to_hugo(&corpus, &site, &options).unwrap(), 60 + 8 + 12);
    let Ok(output) = Command::new("hugo")
        .arg("--quiet")
        .arg("-s")
        .arg(&site)
        .output()
    else {
        let message = "`hugo` is not installed: the Hugo site was written but not built";
        assert!(
            std::env::var("HANDOUT_REQUIRE_HUGO").as_deref() != Ok("1"),
            "HANDOUT_REQUIRE_HUGO=1 but {message}"
        );
        eprintln!("\n*** SKIPPED: {message} ***\n");
        return;
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let public = site.join("public");
    for page in [
        "index.html",
        "articles/index.html",
        "locations/index.html",
        "authors/index.html",
        "tags/index.html",
        "conditions/index.html",
        "sitemap.xml",
        "index.xml",
    ] {
        assert!(public.join(page).is_file(), "hugo wrote no {page}");
    }
    let articles = read_all(&public.join("articles"));
    assert!(articles.len() > 50, "{} article files", articles.len());
}

fn read_all(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("under dir");
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

#[test]
fn a_share_of_articles_can_be_translated() {
    let corpus = Corpus {
        translated: 10,
        ..Corpus::new(200)
    };
    let site = site(&corpus);
    let translations: Vec<_> = under(&site, "content/articles/")
        .filter(|(path, _)| path.ends_with(".es.md"))
        .collect();
    assert_eq!(translations.len(), 20);
    for (path, text) in translations {
        let original = path.replace(".es.md", ".md");
        assert!(site.contains_key(&original), "{path} has no original");
        let title = split(text).0["title"].trim_start_matches('"').to_string();
        assert!(title.starts_with("(es) "), "{path}");
    }
    assert!(site["site.yaml"].contains("languages:\n  es:\n"));
    assert!(!self::site(&Corpus::new(20))["site.yaml"].contains("languages"));
}

/// Distinct lowercase words of the articles' bodies.
fn vocabulary_of(site: &BTreeMap<String, String>) -> HashSet<String> {
    under(site, "content/articles/")
        .flat_map(|(_, text)| split(text).1.split(|c: char| !c.is_ascii_alphabetic()))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// `--vocabulary`, as the benchmark's vocabulary rows use it: the same
/// articles (titles, people, lengths), many more distinct words, and
/// from the command line the same bytes as from the API.
#[test]
fn a_vocabulary_gives_the_same_articles_many_more_words() {
    let plain = site(&Corpus::new(200));
    let corpus = Corpus {
        vocabulary: 40_000,
        ..Corpus::new(200)
    };
    let worded = site(&corpus);
    assert_eq!(
        plain.keys().collect::<Vec<_>>(),
        worded.keys().collect::<Vec<_>>()
    );
    for (path, text) in under(&worded, "content/articles/") {
        let (front, body) = split(text);
        let (plain_front, _) = split(&plain[path]);
        assert_eq!(front["title"], plain_front["title"], "{path}");
        assert_eq!(front["author"], plain_front["author"], "{path}");
        assert!((500..=1200).contains(&words(body)), "{path}");
    }
    let (few, many) = (vocabulary_of(&plain).len(), vocabulary_of(&worded).len());
    assert!(few < 1500, "{few} distinct words without a vocabulary");
    assert!(
        many > few + 5000,
        "{many} distinct words with one, {few} without"
    );

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let status = Command::new(env!("CARGO_BIN_EXE_handout-corpus"))
        .args([
            "generate",
            "--articles",
            "200",
            "--vocabulary",
            "40000",
            "--out",
        ])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let expected: BTreeMap<String, Vec<u8>> = worded
        .into_iter()
        .map(|(p, t)| (p, t.into_bytes()))
        .collect();
    assert_eq!(read_all(&out), expected);
}
