//! Pictures on a built site: body pictures become `<picture>` with
//! `srcset`, `sizes`, `width` and `height`; no file keeps its metadata;
//! `images:` in site.yaml sets what is written; a picture that cannot be
//! published is an error where it is used, and the last output stays.

mod common;

use common::pictures::{self, contains, SECRET};
use common::TestSite;

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
