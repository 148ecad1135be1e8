//! The engine on pictures made here: a phone photo with GPS and a turned
//! orientation, CMYK, 16-bit, animated, cut short, and a header that lies.

use std::io::Cursor;

use image::{ImageDecoder, ImageEncoder, Rgb, RgbImage};

use super::*;
use crate::config::Images as Settings;

fn settings() -> Settings {
    Settings::default()
}

/// A `width` x `height` picture, red on the left half and blue on the right.
fn halves(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    })
}

fn jpeg(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

/// What a phone writes: an EXIF block (APP1) with orientation 6 (turn 90
/// degrees clockwise to show), a description and a GPS position.
const SECRET: &[u8] = b"Patient home 12 Elm St";

fn exif_app1() -> Vec<u8> {
    // Big-endian TIFF: header, IFD0 with three entries, then the GPS IFD.
    let mut tiff: Vec<u8> = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    let entry = |tiff: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        tiff.extend_from_slice(&tag.to_be_bytes());
        tiff.extend_from_slice(&kind.to_be_bytes());
        tiff.extend_from_slice(&count.to_be_bytes());
        tiff.extend_from_slice(&value);
    };
    // IFD0 at 8: 2 bytes count + 3 * 12 + 4 next = 42 bytes, ends at 50.
    let description_at: u32 = 50;
    let gps_at = description_at + SECRET.len() as u32 + 1;
    tiff.extend_from_slice(&3u16.to_be_bytes());
    let desc_count = SECRET.len() as u32 + 1;
    entry(
        &mut tiff,
        0x010e,
        2,
        desc_count,
        description_at.to_be_bytes(),
    );
    entry(&mut tiff, 0x0112, 3, 1, [0, 6, 0, 0]);
    entry(&mut tiff, 0x8825, 4, 1, gps_at.to_be_bytes());
    tiff.extend_from_slice(&0u32.to_be_bytes());
    tiff.extend_from_slice(SECRET);
    tiff.push(0);
    // GPS IFD: latitude ref and latitude (three rationals after it).
    let rationals_at = gps_at + 2 + 2 * 12 + 4;
    tiff.extend_from_slice(&2u16.to_be_bytes());
    entry(&mut tiff, 0x0001, 2, 2, *b"N\0\0\0");
    entry(&mut tiff, 0x0002, 5, 3, rationals_at.to_be_bytes());
    tiff.extend_from_slice(&0u32.to_be_bytes());
    for (n, d) in [(41u32, 1u32), (52, 1), (3000, 100)] {
        tiff.extend_from_slice(&n.to_be_bytes());
        tiff.extend_from_slice(&d.to_be_bytes());
    }
    let mut app1 = vec![0xff, 0xe1];
    let len = (2 + 6 + tiff.len()) as u16;
    app1.extend_from_slice(&len.to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(&tiff);
    app1
}

/// A JPEG as a phone writes it: 64 x 32 stored, to be shown turned.
fn phone_photo() -> Vec<u8> {
    let plain = jpeg(&halves(64, 32));
    let mut out = plain[..2].to_vec();
    out.extend(exif_app1());
    out.extend_from_slice(&plain[2..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn phone_photo_fixture_has_its_gps_and_orientation() {
    let photo = phone_photo();
    assert!(contains(&photo, SECRET));
    let mut decoder = image::ImageReader::new(Cursor::new(&photo))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    assert_eq!(
        decoder.orientation().unwrap(),
        image::metadata::Orientation::Rotate90
    );
}

#[test]
fn phone_photo_is_turned_upright_and_loses_every_tag() {
    let encoded = engine::encode(&phone_photo(), &settings()).unwrap();
    // 64 x 32 turned a quarter: 32 wide, 64 tall; never upscaled.
    assert_eq!((encoded.width, encoded.height), (32, 64));
    assert_eq!(encoded.own, Format::Jpeg);
    let formats: Vec<(Format, u32)> = encoded.files.iter().map(|f| (f.format, f.width)).collect();
    assert_eq!(formats, [(Format::Webp, 32), (Format::Jpeg, 32)]);
    for file in &encoded.files {
        for tag in [
            SECRET,
            b"Exif".as_slice(),
            b"GPS".as_slice(),
            b"XMP".as_slice(),
        ] {
            assert!(
                !contains(&file.bytes, tag),
                "{:?} kept {tag:?}",
                file.format
            );
        }
        let back = image::load_from_memory(&file.bytes).unwrap().into_rgb8();
        assert_eq!(back.dimensions(), (32, 64));
        // The left (red) half was turned to the top.
        let top = back.get_pixel(16, 4);
        let bottom = back.get_pixel(16, 60);
        assert!(top[0] > 150 && top[2] < 100, "top is {top:?}");
        assert!(bottom[2] > 150 && bottom[0] < 100, "bottom is {bottom:?}");
    }
    let jpeg = encoded
        .files
        .iter()
        .find(|f| f.format == Format::Jpeg)
        .unwrap();
    // No APP1 (EXIF, XMP) segment at all.
    assert!(!contains(&jpeg.bytes, &[0xff, 0xe1]));
}

#[test]
fn widths_are_never_upscaled() {
    let configured = [480, 800, 1200, 1600];
    assert_eq!(
        engine::widths_for(4032, &configured),
        [480, 800, 1200, 1600]
    );
    assert_eq!(engine::widths_for(1000, &configured), [480, 800, 1000]);
    assert_eq!(
        engine::widths_for(1600, &configured),
        [480, 800, 1200, 1600]
    );
    assert_eq!(engine::widths_for(300, &configured), [300]);
    assert_eq!(engine::scaled_height(4032, 3024, 480), 360);
}

#[test]
fn a_large_photo_gets_every_width_in_both_formats() {
    let photo = jpeg(&halves(1680, 1260));
    let encoded = engine::encode(&photo, &settings()).unwrap();
    assert_eq!((encoded.width, encoded.height), (1600, 1200));
    let made: Vec<(Format, u32, u32)> = encoded
        .files
        .iter()
        .map(|f| (f.format, f.width, f.height))
        .collect();
    let mut expected = Vec::new();
    for format in [Format::Webp, Format::Jpeg] {
        for (w, h) in [(480, 360), (800, 600), (1200, 900), (1600, 1200)] {
            expected.push((format, w, h));
        }
    }
    assert_eq!(made, expected);
    for file in &encoded.files {
        let back = image::load_from_memory(&file.bytes).unwrap();
        assert_eq!((back.width(), back.height()), (file.width, file.height));
    }
}

#[test]
fn cmyk_jpeg_comes_out_as_rgb() {
    let (w, h) = (40u16, 20u16);
    // Cyan ink only: a blue-green picture.
    let pixels: Vec<u8> = (0..usize::from(w) * usize::from(h))
        .flat_map(|_| [255u8, 0, 0, 0])
        .collect();
    let mut cmyk = Vec::new();
    jpeg_encoder::Encoder::new(&mut cmyk, 90)
        .encode(&pixels, w, h, jpeg_encoder::ColorType::Cmyk)
        .unwrap();
    let encoded = engine::encode(&cmyk, &settings()).unwrap();
    assert_eq!((encoded.width, encoded.height), (40, 20));
    let jpeg = encoded
        .files
        .iter()
        .find(|f| f.format == Format::Jpeg)
        .unwrap();
    let back = image::load_from_memory(&jpeg.bytes).unwrap();
    assert_eq!(back.color(), image::ColorType::Rgb8);
}

#[test]
fn sixteen_bit_png_becomes_an_eight_bit_png() {
    let image = image::ImageBuffer::<Rgb<u16>, Vec<u16>>::from_fn(30, 10, |x, _| {
        Rgb([(x * 2000) as u16, 40000, 65535])
    });
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb16(image)
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let encoded = engine::encode(&png, &settings()).unwrap();
    assert_eq!(encoded.own, Format::Png);
    let own = encoded
        .files
        .iter()
        .find(|f| f.format == Format::Png)
        .unwrap();
    let back = image::load_from_memory(&own.bytes).unwrap();
    assert_eq!(back.color(), image::ColorType::Rgb8);
    assert_eq!((back.width(), back.height()), (30, 10));
}

fn animated_gif() -> Vec<u8> {
    let mut gif = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut gif);
        let frames = [[255u8, 0, 0, 255], [0, 0, 255, 255]].map(|colour| {
            image::Frame::new(image::RgbaImage::from_pixel(8, 8, image::Rgba(colour)))
        });
        encoder.encode_frames(frames).unwrap();
    }
    gif
}

#[test]
fn animated_gif_is_refused_and_a_still_gif_is_not() {
    let error = engine::encode(&animated_gif(), &settings()).unwrap_err();
    assert!(error.contains("animated"), "{error}");
    let mut still = Vec::new();
    image::DynamicImage::ImageRgb8(halves(8, 8))
        .write_to(&mut Cursor::new(&mut still), image::ImageFormat::Gif)
        .unwrap();
    let encoded = engine::encode(&still, &settings()).unwrap();
    assert_eq!(encoded.own, Format::Png);
}

#[test]
fn truncated_files_are_refused() {
    let photo = jpeg(&halves(200, 100));
    let error = engine::encode(&photo[..photo.len() / 2], &settings()).unwrap_err();
    assert!(error.contains("cut short"), "{error}");
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(halves(200, 100))
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let error = engine::encode(&png[..png.len() / 2], &settings()).unwrap_err();
    assert!(error.contains("cut short"), "{error}");
}

/// CRC-32 (IEEE) of PNG chunks.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    png.extend_from_slice(&body);
    png.extend_from_slice(&crc32(&body).to_be_bytes());
}

/// A PNG whose header says 100000 x 100000 pixels (30 GB decoded).
fn bomb() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &[0x78, 0x9c, 0x03, 0x00]);
    chunk(&mut png, b"IEND", &[]);
    png
}

#[test]
fn a_bomb_is_refused_before_its_pixels() {
    let error = engine::encode(&bomb(), &settings()).unwrap_err();
    assert!(
        error.contains("larger than handout reads") || error.contains("100000 x 100000"),
        "{error}"
    );
}

#[test]
fn not_a_picture_is_refused() {
    let error = engine::encode(b"GIF? no, a text file", &settings()).unwrap_err();
    assert!(error.contains("not a JPEG, PNG, GIF or WebP"), "{error}");
}

#[test]
fn process_caches_pictures_and_writes_nothing_for_bad_ones() {
    let site = tempfile::tempdir().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(cache_dir.path());
    let files: [(&str, Vec<u8>); 3] = [
        ("articles/a/photo.jpg", phone_photo()),
        ("articles/a/bomb.png", bomb()),
        ("articles/a/notes.pdf", b"%PDF-1.4".to_vec()),
    ];
    let mut assets = Vec::new();
    for (rel, bytes) in &files {
        let path = site.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        assets.push(Asset {
            source: path,
            rel: rel.to_string(),
            cached: false,
        });
    }
    let (out, images, errors) = process(assets.clone(), &settings(), &cache);
    assert!(errors.is_empty());
    let rels: Vec<&str> = out.iter().map(|a| a.rel.as_str()).collect();
    assert_eq!(
        rels,
        [
            "articles/a/notes.pdf",
            "articles/a/photo-32.jpg",
            "articles/a/photo-32.webp",
            "articles/a/photo.jpg"
        ]
    );
    // The original's address holds the cleaned picture, not the upload.
    let original = out
        .iter()
        .find(|a| a.rel == "articles/a/photo.jpg")
        .unwrap();
    assert!(!contains(&std::fs::read(&original.source).unwrap(), SECRET));
    assert!(original.source.starts_with(cache_dir.path()));
    assert!(images.failed["articles/a/bomb.png"].contains("larger"));
    assert_eq!(images.pictures["articles/a/photo.jpg"].width, 32);
    let entries = || {
        std::fs::read_dir(cache_dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != "stat")
            .count()
    };
    // One entry: the bomb left nothing behind.
    assert_eq!(entries(), 1);
    // Again: the same files, from the cache, and still one entry.
    let (again, _, _) = process(assets, &settings(), &cache);
    let sources = |list: &[Asset]| list.iter().map(|a| a.source.clone()).collect::<Vec<_>>();
    assert_eq!(sources(&again), sources(&out));
    assert_eq!(entries(), 1);
}

#[test]
fn picture_html_has_srcset_sizes_and_dimensions() {
    let picture = Picture {
        width: 800,
        height: 600,
        own: Format::Jpeg,
        variants: vec![
            Variant {
                width: 480,
                height: 360,
                format: Format::Webp,
                rel: "a/p-480.webp".into(),
            },
            Variant {
                width: 800,
                height: 600,
                format: Format::Webp,
                rel: "a/p-800.webp".into(),
            },
            Variant {
                width: 480,
                height: 360,
                format: Format::Jpeg,
                rel: "a/p-480.jpg".into(),
            },
            Variant {
                width: 800,
                height: 600,
                format: Format::Jpeg,
                rel: "a/p-800.jpg".into(),
            },
        ],
    };
    let url = |rel: &str| format!("/{rel}");
    let attrs = Attributes {
        alt: "A knee \"brace\"",
        title: None,
        sizes: html::SIZES,
        eager: false,
        priority: false,
    };
    assert_eq!(
        picture_html(&picture, &url, &attrs),
        "<picture><source type=\"image/webp\" srcset=\"/a/p-480.webp 480w, /a/p-800.webp 800w\" sizes=\"(min-width: 40rem) 38rem, 100vw\">\
<img src=\"/a/p-800.jpg\" srcset=\"/a/p-480.jpg 480w, /a/p-800.jpg 800w\" sizes=\"(min-width: 40rem) 38rem, 100vw\" width=\"800\" height=\"600\" alt=\"A knee &quot;brace&quot;\" loading=\"lazy\" decoding=\"async\"></picture>"
    );
    let lead = Attributes {
        eager: true,
        priority: true,
        ..attrs
    };
    let html = picture_html(&picture, &url, &lead);
    assert!(html.contains("fetchpriority=\"high\">"));
    assert!(!html.contains("loading="));
}
