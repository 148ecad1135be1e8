//! Pictures on a built site: body pictures become `<picture>` with
//! `srcset`, `sizes`, `width` and `height`; no file keeps its metadata;
//! `images:` in site.yaml sets what is written; a picture that cannot be
//! published is an error where it is used, and the last output stays.

mod common;

use common::pictures::{self, contains, SECRET};
use common::{json_ld, node, TestSite};

const BUNDLE: &str = "content/articles/knee-bundle";

/// The basic fixture with a phone photo and a PNG in the knee article,
/// after its SVG.
fn site_with_photos() -> TestSite {
    let site = TestSite::fixture("basic");
    // Stored 2400 x 1200, shown turned: 1200 x 2400.
    site.write_bytes(
        &format!("{BUNDLE}/photo.jpg"),
        &pictures::phone_photo(2400, 1200),
    );
    site.write_bytes(&format!("{BUNDLE}/chart.png"), &pictures::png(600, 300));
    site.append(
        &format!("{BUNDLE}/index.md"),
        "\n![A person bending one knee](photo.jpg \"At home\")\n\n![A chart of pain by week](chart.png)\n",
    );
    site
}

#[test]
fn body_pictures_get_every_width_in_webp_and_their_own_format() {
    let site = site_with_photos();
    site.build().assert_ok();
    let page = site.read("public/articles/knee-bundle/index.html");
    let out = "public/articles/knee-bundle";
    assert!(
        page.contains(
            "<picture><source type=\"image/webp\" srcset=\"/articles/knee-bundle/photo-480.webp 480w, \
/articles/knee-bundle/photo-800.webp 800w, /articles/knee-bundle/photo-1200.webp 1200w\" \
sizes=\"(min-width: 40rem) 38rem, 100vw\"><img src=\"/articles/knee-bundle/photo-1200.jpg\" \
srcset=\"/articles/knee-bundle/photo-480.jpg 480w, /articles/knee-bundle/photo-800.jpg 800w, \
/articles/knee-bundle/photo-1200.jpg 1200w\" sizes=\"(min-width: 40rem) 38rem, 100vw\" \
width=\"1200\" height=\"2400\" alt=\"A person bending one knee\" title=\"At home\" \
loading=\"lazy\" decoding=\"async\"></picture>"
        ),
        "{page}"
    );
    // A PNG stays a PNG beside its WebP, and is never made wider.
    assert!(page.contains("<img src=\"/articles/knee-bundle/chart-600.png\" srcset=\"/articles/knee-bundle/chart-480.png 480w, /articles/knee-bundle/chart-600.png 600w\""), "{page}");
    // The SVG is the page's first image: it is not made lazy.
    assert!(
        page.contains("<img src=\"/articles/knee-bundle/knee.svg\""),
        "{page}"
    );
    for width in [480, 800, 1200] {
        for ext in ["webp", "jpg"] {
            let rel = format!("{out}/photo-{width}.{ext}");
            let bytes = std::fs::read(site.path(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let shown = image::load_from_memory(&bytes).unwrap();
            assert_eq!(shown.width(), width, "{rel}");
            assert!(!contains(&bytes, SECRET), "{rel} kept the EXIF text");
            assert!(!contains(&bytes, b"Exif"), "{rel} kept an EXIF block");
        }
    }
    assert!(
        !site.path(&format!("{out}/photo-1600.jpg")).exists(),
        "upscaled"
    );
    // The photo's own address holds the cleaned picture, not the upload.
    let original = std::fs::read(site.path(&format!("{out}/photo.jpg"))).unwrap();
    assert!(!contains(&original, SECRET));
    assert_eq!(image::load_from_memory(&original).unwrap().width(), 1200);
}

#[test]
fn the_first_picture_of_a_page_loads_at_once() {
    let site = TestSite::fixture("basic");
    site.write_bytes("content/articles/a/one.jpg", &pictures::jpeg(900, 600));
    site.write_bytes("content/articles/a/two.jpg", &pictures::jpeg(900, 600));
    site.write(
        "content/articles/a/index.md",
        "---\ntitle: Two photos\ndescription: Two photos of a knee.\ndate: 2026-01-05\n---\n\n![First photo](one.jpg)\n\nText.\n\n![Second photo](two.jpg)\n",
    );
    site.build().assert_ok();
    let page = site.read("public/articles/a/index.html");
    let first = page.find("alt=\"First photo\"").expect("first");
    let second = page.find("alt=\"Second photo\"").expect("second");
    let tag_end = |at: usize| &page[at..at + page[at..].find('>').unwrap()];
    assert!(!tag_end(first).contains("loading"), "{}", tag_end(first));
    assert!(tag_end(second).contains("loading=\"lazy\" decoding=\"async\""));
}

#[test]
fn images_settings_choose_widths_and_formats() {
    let site = site_with_photos();
    site.append(
        "site.yaml",
        "images:\n  widths: [300, 700]\n  formats: [original]\n  quality: 60\n",
    );
    site.build().assert_ok();
    let page = site.read("public/articles/knee-bundle/index.html");
    assert!(page.contains("<img src=\"/articles/knee-bundle/photo-700.jpg\" srcset=\"/articles/knee-bundle/photo-300.jpg 300w, /articles/knee-bundle/photo-700.jpg 700w\""), "{page}");
    assert!(!page.contains(".webp"), "{page}");
    assert!(!site
        .path("public/articles/knee-bundle/photo-300.webp")
        .exists());
}

#[test]
fn a_bad_images_setting_is_an_error_at_its_line() {
    TestSite::fails_at(
        "site.yaml",
        "title: Test Clinic\nbase_url: https://example.org/\nimages:\n  quality: 0\n",
        4,
        "image quality 0 is out of range: use 1 to 100",
    );
}

/// Builds the basic site, then adds `bytes` as `picture` and `text` as
/// `page`, builds again and expects an error at `page:line`; public/ must
/// be as it was.
fn refused(picture: &str, bytes: &[u8], page: &str, text: &str, line: Option<usize>, needle: &str) {
    let site = TestSite::fixture("basic");
    site.build().assert_ok();
    let before = site.snapshot("public");
    site.write_bytes(picture, bytes);
    if !text.is_empty() {
        site.write(page, text);
    }
    let run = site.build();
    run.assert_error(needle);
    let place = match line {
        Some(line) => format!("error: {page}:{line}:"),
        None => format!("error: {page}: "),
    };
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with(&place) && l.contains(needle)),
        "expected {needle:?} at {place}\n{}",
        run.stderr
    );
    assert!(site.snapshot("public") == before, "public/ changed");
}

#[test]
fn a_cut_short_photo_is_an_error_at_the_line_that_shows_it() {
    let photo = pictures::jpeg(400, 300);
    refused(
        "content/articles/a/cut.jpg",
        &photo[..photo.len() / 2],
        "content/articles/a/index.md",
        "---\ntitle: A\ndescription: A page.\ndate: 2026-01-05\n---\n\nIntro.\n\n![A knee](cut.jpg)\n",
        Some(9),
        "picture `cut.jpg` cannot be published: it is damaged or cut short",
    );
}

#[test]
fn a_bomb_as_a_photo_is_an_error_at_its_key() {
    refused(
        "content/authors/ann.png",
        &pictures::bomb(),
        "content/authors/ann-lee.md",
        "---\nname: Ann Lee\nphoto: ann.png\n---\n\nAnn treats knees.\n",
        Some(3),
        "picture `ann.png` cannot be published: it is larger than handout reads (12000 px a side",
    );
}

#[test]
fn a_picture_no_page_uses_is_an_error_at_its_file() {
    refused(
        "content/articles/stray.png",
        b"\x89PNG\r\n\x1a\nnot really",
        "content/articles/stray.png",
        "",
        None,
        "this picture cannot be published: it is damaged or cut short",
    );
}

/// An article with a lead picture and one body picture.
fn site_with_lead_picture() -> TestSite {
    let site = TestSite::fixture("basic");
    site.write_bytes("content/articles/a/lead.jpg", &pictures::jpeg(2000, 1500));
    site.write_bytes("content/articles/a/body.jpg", &pictures::jpeg(900, 600));
    site.write(
        "content/articles/a/index.md",
        "---\ntitle: Knee exercises\ndescription: Three knee exercises.\ndate: 2026-01-05\nimage: lead.jpg\nimage_alt: A woman bending her knee on a mat\n---\n\nIntro.\n\n![A knee brace](body.jpg)\n",
    );
    site
}

#[test]
fn a_lead_picture_comes_first_with_high_priority_and_is_shared() {
    let site = site_with_lead_picture();
    site.build().assert_ok();
    let page = site.read("public/articles/a/index.html");
    let lead = page
        .find("<div class=\"lead-picture\"><picture>")
        .expect("lead picture");
    let lead_img = &page[lead..lead + page[lead..].find("</picture>").unwrap()];
    assert!(
        lead_img.contains("alt=\"A woman bending her knee on a mat\" fetchpriority=\"high\">"),
        "{lead_img}"
    );
    assert!(!lead_img.contains("loading="), "{lead_img}");
    // The lead is the page's first picture: every body picture is lazy.
    let body = page.find("alt=\"A knee brace\"").expect("body picture");
    assert!(page[body..].starts_with("alt=\"A knee brace\" loading=\"lazy\" decoding=\"async\">"));
    assert!(lead < body);

    let shared = "https://example.org/articles/a/lead-1200.jpg";
    for meta in [
        format!("<meta property=\"og:image\" content=\"{shared}\">"),
        "<meta property=\"og:image:width\" content=\"1200\">".to_string(),
        "<meta property=\"og:image:height\" content=\"900\">".to_string(),
        "<meta property=\"og:image:type\" content=\"image/jpeg\">".to_string(),
        "<meta property=\"og:image:alt\" content=\"A woman bending her knee on a mat\">"
            .to_string(),
        "<meta name=\"twitter:card\" content=\"summary_large_image\">".to_string(),
    ] {
        assert!(page.contains(&meta), "no {meta} in\n{page}");
    }
    let article = node(&json_ld(&page), "Article").clone();
    assert_eq!(article["image"], shared);
}

#[test]
fn a_clinic_photo_is_a_picture_and_its_structured_data_image() {
    let site = TestSite::fixture("basic");
    site.write_bytes(
        "content/locations/elm.jpg",
        &pictures::phone_photo(1600, 1200),
    );
    site.edit(
        "content/locations/elm-street.md",
        "services: [physical therapy]\n",
        "services: [physical therapy]\nphoto: elm.jpg\nphoto_alt: The clinic's front door on Elm Street\n",
    );
    site.build().assert_ok();
    let page = site.read("public/locations/elm-street/index.html");
    assert!(
        page.contains("<div class=\"clinic-photo\"><picture>"),
        "{page}"
    );
    assert!(
        page.contains(
            "width=\"1200\" height=\"1600\" alt=\"The clinic's front door on Elm Street\""
        ),
        "{page}"
    );
    let clinic = json_ld(&page);
    let image = clinic["image"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| {
            node(&clinic, "MedicalClinic")["image"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        });
    assert_eq!(image, "https://example.org/locations/elm-1200.jpg");
    assert!(page.contains(
        "<meta property=\"og:image\" content=\"https://example.org/locations/elm-1200.jpg\">"
    ));
}

#[test]
fn a_lead_picture_without_alt_text_is_a_check_error() {
    let site = site_with_lead_picture();
    site.edit(
        "content/articles/a/index.md",
        "image_alt: A woman bending her knee on a mat\n",
        "",
    );
    let run = site.handout(&["check"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.lines().chain(run.stderr.lines()).any(|l| {
            l.trim_start().starts_with(
            "error: content/articles/a/index.md:5: image-alt: the image `lead.jpg` has no alt text"
        )
        }),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn a_lead_picture_that_is_not_a_file_is_an_error_at_its_key() {
    let site = site_with_lead_picture();
    site.edit(
        "content/articles/a/index.md",
        "image: lead.jpg",
        "image: lead.jgp",
    );
    site.build()
        .assert_error("image `lead.jgp` is not a file under content/");
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    let picture = image::load_from_memory(bytes).expect("a PNG");
    (picture.width(), picture.height())
}

#[test]
fn an_svg_share_image_is_named_without_the_details_of_a_picture() {
    // Sharing sites show no SVG, so the page has no `page.share`: the
    // theme names the site's image alone, as it is.
    let site = TestSite::fixture("basic");
    site.append("site.yaml", "share_image: brand.svg\n");
    site.build().assert_ok();
    let page = site.read("public/about/index.html");
    common::assert_contains_all(
        &page,
        &[
            r#"<meta property="og:image" content="https://example.org/brand.svg">"#,
            r#"<meta name="twitter:card" content="summary_large_image">"#,
            r#"<meta name="twitter:image" content="https://example.org/brand.svg">"#,
        ],
    );
    assert!(!page.contains("og:image:alt"), "{page}");
    assert!(!page.contains("twitter:image:alt"), "{page}");
}

#[test]
fn a_page_without_a_photo_is_shared_with_a_drawn_card() {
    let site = site_with_lead_picture();
    site.build().assert_ok();
    let page = site.read("public/articles/back-pain/index.html");
    let card = "https://example.org/articles/back-pain/share-card.png";
    assert!(
        page.contains(&format!("<meta property=\"og:image\" content=\"{card}\">")),
        "{page}"
    );
    assert!(page.contains("<meta property=\"og:image:width\" content=\"1200\">"));
    assert!(page.contains("<meta property=\"og:image:height\" content=\"630\">"));
    assert!(page.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    assert_eq!(node(&json_ld(&page), "Article")["image"], card);
    let bytes = std::fs::read(site.path("public/articles/back-pain/share-card.png")).unwrap();
    assert_eq!(png_size(&bytes), (1200, 630));
    // Clinics and clinicians get one too; a page with its own photo does not.
    for path in ["locations/elm-street", "authors/ann-lee"] {
        assert!(
            site.path(&format!("public/{path}/share-card.png"))
                .is_file(),
            "{path}"
        );
    }
    assert!(!site.path("public/articles/a/share-card.png").exists());
    assert!(
        !site.path("public/about/share-card.png").exists(),
        "plain pages get none"
    );
}

#[test]
fn a_theme_replaces_the_card_template() {
    let site = TestSite::fixture("basic");
    site.append("site.yaml", "theme: brand\n");
    site.write("themes/brand/theme.yaml", "extends: default\n");
    site.write(
        "themes/brand/share/card.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\"><rect width=\"1200\" height=\"630\" fill=\"#22aa44\"/><text x=\"40\" y=\"300\" font-size=\"60\">{{title_1}}</text></svg>\n",
    );
    site.build().assert_ok();
    let bytes = std::fs::read(site.path("public/articles/back-pain/share-card.png")).unwrap();
    let card = image::load_from_memory(&bytes).unwrap().into_rgb8();
    assert_eq!(card.dimensions(), (1200, 630));
    assert_eq!(card.get_pixel(5, 5).0, [0x22, 0xaa, 0x44]);
}

/// `handout build --output OUT` in the site's folder, with its pictures
/// cached in `cache`; the build must succeed.
fn build_with_cache(site: &TestSite, cache: &std::path::Path, out: &std::path::Path) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_handout"))
        .args(["build", "--quiet", "--output"])
        .arg(out)
        .current_dir(site.root())
        .env("HANDOUT_CACHE_DIR", cache)
        .env("NO_COLOR", "1")
        .output()
        .expect("run handout");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// With the cache on one file system and the output on another (a
/// tmpfs), nothing can be linked: each cached picture and card is copied
/// whole, byte for byte, and the copy is the output's own file.
#[cfg(target_os = "linux")]
#[test]
fn pictures_and_cards_are_copied_whole_from_a_cache_on_another_file_system() {
    use std::os::unix::fs::MetadataExt;
    let site = site_with_photos();
    let cache = site.path("cache");
    let shm = tempfile::Builder::new()
        .prefix("handout-test-")
        .tempdir_in("/dev/shm")
        .expect("a folder on /dev/shm (Linux's tmpfs)");
    let device = |path: &std::path::Path| std::fs::metadata(path).expect("metadata").dev();
    assert_ne!(
        device(site.root()),
        device(shm.path()),
        "the test needs the site and /dev/shm on two file systems"
    );
    for out in ["first", "second"] {
        build_with_cache(&site, &cache, &shm.path().join(out));
    }
    let mut cached = std::collections::HashMap::new();
    for entry in walkdir::WalkDir::new(&cache).into_iter().flatten() {
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).expect("read the cache");
            cached.insert(bytes, entry.path().to_path_buf());
        }
    }
    for rel in [
        "articles/knee-bundle/photo-480.webp",
        "articles/knee-bundle/chart-600.png",
        "articles/back-pain/share-card.png",
        "articles/knee-bundle/photo.jpg",
    ] {
        let path = shm.path().join("second").join(rel);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert!(bytes.len() > 1000, "{rel}: {} bytes", bytes.len());
        assert!(
            cached.contains_key(&bytes),
            "{rel} is not a cached file's bytes"
        );
        let meta = std::fs::metadata(&path).expect("metadata");
        assert_eq!(meta.nlink(), 1, "{rel} is a copy");
    }
    // Cached files out of the page cache (a cold build) are copied by
    // threads of their own (`output::Copies`): the same site.
    for path in cached.values() {
        common::evict_from_page_cache(path);
    }
    build_with_cache(&site, &cache, &shm.path().join("cold"));
    let pages = |out: &str| {
        let mut files = common::files_under(&shm.path().join(out));
        files.remove(".handout");
        files
    };
    assert!(
        pages("cold") == pages("second"),
        "the build from an evicted cache wrote another site"
    );
}

/// Processed pictures and share cards are files of the cache, never
/// changed in place: a build links them into the output (no bytes copied)
/// when both are on one file system. A file of `content/` is copied, so
/// an edit to it reaches the site only through a build.
#[test]
fn pictures_and_cards_are_linked_from_the_cache_and_content_files_copied() {
    use std::os::unix::fs::MetadataExt;
    let site = site_with_photos();
    let cache = site.path("cache");
    let build = |out: &str| build_with_cache(&site, &cache, std::path::Path::new(out));
    // The first build fills the cache; the second finds everything there.
    build("first");
    build("second");
    let inode = |rel: &str| {
        let meta = std::fs::metadata(site.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        (meta.ino(), meta.nlink())
    };
    let cached: std::collections::HashSet<u64> = walkdir::WalkDir::new(&cache)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().expect("metadata").ino())
        .collect();
    for rel in [
        "second/articles/knee-bundle/photo-480.webp",
        "second/articles/knee-bundle/photo.jpg",
        "second/articles/knee-bundle/chart-600.png",
        "second/articles/back-pain/share-card.png",
    ] {
        let (ino, links) = inode(rel);
        assert!(cached.contains(&ino), "{rel} is not the cache's file");
        // The cache's and this output's (a picture processed by the first
        // build is linked into its output too; a card it drew is not).
        assert!(links >= 2, "{rel}: {links} links");
    }
    let (ino, links) = inode("second/articles/knee-bundle/knee.svg");
    assert!(!cached.contains(&ino));
    assert_eq!(links, 1, "a content file is copied");
    // Deleting the cache loses nothing published.
    std::fs::remove_dir_all(&cache).expect("remove the cache");
    let bytes = std::fs::read(site.path("second/articles/knee-bundle/photo-480.webp"))
        .expect("still there");
    assert!(image::load_from_memory(&bytes).is_ok());
}
