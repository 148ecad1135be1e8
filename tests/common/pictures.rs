//! Pictures made for tests: plain JPEGs and PNGs of two colours, a phone
//! photo with GPS and orientation tags, and files that must be refused.

use image::{ImageEncoder, Rgb, RgbImage};

/// The text a phone photo carries in its EXIF block; it must never reach
/// the output.
pub const SECRET: &[u8] = b"Patient home 12 Elm St";

/// `width` x `height`, red on the left half and blue on the right.
pub fn halves(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    })
}

pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = halves(width, height);
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(
            image.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .expect("encode JPEG");
    out
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = halves(width, height);
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            image.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .expect("encode PNG");
    out
}

/// A JPEG stored `width` x `height` with EXIF orientation 6 (show it
/// turned a quarter clockwise), a description holding [`SECRET`] and a
/// GPS latitude.
pub fn phone_photo(width: u32, height: u32) -> Vec<u8> {
    let plain = jpeg(width, height);
    let mut tiff: Vec<u8> = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    let entry = |tiff: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        tiff.extend_from_slice(&tag.to_be_bytes());
        tiff.extend_from_slice(&kind.to_be_bytes());
        tiff.extend_from_slice(&count.to_be_bytes());
        tiff.extend_from_slice(&value);
    };
    let description_at: u32 = 8 + 2 + 3 * 12 + 4;
    let gps_at = description_at + SECRET.len() as u32 + 1;
    tiff.extend_from_slice(&3u16.to_be_bytes());
    entry(
        &mut tiff,
        0x010e,
        2,
        SECRET.len() as u32 + 1,
        description_at.to_be_bytes(),
    );
    entry(&mut tiff, 0x0112, 3, 1, [0, 6, 0, 0]);
    entry(&mut tiff, 0x8825, 4, 1, gps_at.to_be_bytes());
    tiff.extend_from_slice(&0u32.to_be_bytes());
    tiff.extend_from_slice(SECRET);
    tiff.push(0);
    let rationals_at = gps_at + 2 + 2 * 12 + 4;
    tiff.extend_from_slice(&2u16.to_be_bytes());
    entry(&mut tiff, 0x0001, 2, 2, *b"N\0\0\0");
    entry(&mut tiff, 0x0002, 5, 3, rationals_at.to_be_bytes());
    tiff.extend_from_slice(&0u32.to_be_bytes());
    for (n, d) in [(41u32, 1u32), (52, 1), (3000, 100)] {
        tiff.extend_from_slice(&n.to_be_bytes());
        tiff.extend_from_slice(&d.to_be_bytes());
    }
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xff, 0xe1]);
    out.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&plain[2..]);
    out
}

/// A PNG whose header says 100000 x 100000 pixels.
pub fn bomb() -> Vec<u8> {
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
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8; 4], data: &[u8]| {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        png.extend_from_slice(&body);
        png.extend_from_slice(&crc32(&body).to_be_bytes());
    };
    let mut ihdr = 100_000u32.to_be_bytes().repeat(2);
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00]);
    chunk(b"IEND", &[]);
    png
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
