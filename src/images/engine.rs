//! One picture from bytes to files: decoded within hard limits, turned
//! upright by its EXIF orientation, resized to the configured widths
//! (never larger than it is), and encoded again from its pixels, which
//! leaves every piece of metadata behind (EXIF, GPS, XMP, comments, ICC).

use std::io::Cursor;

use fast_image_resize as fr;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader, Limits};

use super::Format;
use crate::config::Images as Settings;

/// The widest or tallest picture handout reads, in pixels. A phone photo
/// is 4032 or 4624 px wide; a 50-megapixel camera about 8700.
pub const MAX_SIDE: u32 = 12_000;

/// The most memory one decoded picture may take: 12000 x 8000 pixels of
/// 8-bit RGBA is 384 MB, so a 48-megapixel photo fits with room to spare.
/// A header claiming more (a "decompression bomb") is refused before any
/// pixel is read.
pub const MAX_ALLOC: u64 = 400 * 1024 * 1024;

/// How large a picture the engine reads: at most `side` pixels wide or
/// tall, and `alloc` bytes decoded.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub side: u32,
    pub alloc: u64,
}

impl Bounds {
    /// A picture past these bounds, as the writer is told: `what` it is
    /// (`it is larger than`), the bounds, and what to do.
    fn told(self, what: &str) -> String {
        format!(
            "{what} handout reads ({} px a side, {} MB decoded): make it smaller (2000 to 4000 px wide is plenty)",
            self.side,
            self.alloc / 1024 / 1024
        )
    }
}

/// What a build reads: [`MAX_SIDE`] and [`MAX_ALLOC`].
pub const PUBLISHED: Bounds = Bounds {
    side: MAX_SIDE,
    alloc: MAX_ALLOC,
};

/// What a picture became: its size upright, and each file, narrowest first
/// within each format.
#[derive(Debug)]
pub struct Encoded {
    pub width: u32,
    pub height: u32,
    /// The format the picture is also written in beside WebP.
    pub own: Format,
    pub files: Vec<EncodedFile>,
}

/// One output file.
#[derive(Debug)]
pub struct EncodedFile {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub bytes: Vec<u8>,
}

/// The widths a picture `width` px wide is written at: the configured
/// ones narrower than it, and its own width when a configured one is
/// wider (never upscaled).
pub fn widths_for(width: u32, configured: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = configured.iter().copied().filter(|&w| w < width).collect();
    if configured.iter().any(|&w| w >= width) || out.is_empty() {
        out.push(width);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The height of a picture `width` x `height` scaled to `to` px wide, at
/// least 1.
pub fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    let h = (u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width.max(1));
    u32::try_from(h).unwrap_or(u32::MAX).max(1)
}

/// Decodes, resizes and encodes one picture. `Err` is a plain sentence
/// for the writer, saying what is wrong with the file.
pub fn encode(bytes: &[u8], settings: &Settings) -> Result<Encoded, String> {
    encode_within(bytes, settings, PUBLISHED)
}

/// [`encode`] of a picture within `bounds` (the fuzz target reads smaller
/// pictures than a build, so that each input takes milliseconds).
pub fn encode_within(bytes: &[u8], settings: &Settings, bounds: Bounds) -> Result<Encoded, String> {
    let (image, source) = decode(bytes, bounds)?;
    let own = match source {
        ImageFormat::Jpeg => Format::Jpeg,
        ImageFormat::WebP if !image.color().has_alpha() => Format::Jpeg,
        _ => Format::Png,
    };
    let alpha = image.color().has_alpha();
    let (width, height) = (image.width(), image.height());
    let pixels = if alpha {
        image.into_rgba8().into_raw()
    } else {
        image.into_rgb8().into_raw()
    };
    let kind = if alpha {
        fr::PixelType::U8x4
    } else {
        fr::PixelType::U8x3
    };
    let full = fr::images::ImageRef::new(width, height, &pixels, kind)
        .map_err(|e| format!("cannot read its pixels ({e})"))?;
    let mut resizer = fr::Resizer::new();
    let options =
        fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
    let mut files = Vec::new();
    for to in widths_for(width, &settings.widths) {
        let to_height = scaled_height(width, height, to);
        let resized;
        let buffer: &[u8] = if to == width {
            &pixels
        } else {
            let mut dst = fr::images::Image::new(to, to_height, kind);
            resizer
                .resize(&full, &mut dst, &options)
                .map_err(|e| format!("cannot resize it ({e})"))?;
            resized = dst.into_vec();
            &resized
        };
        let (w, h) = (to, if to == width { height } else { to_height });
        for format in settings.formats.iter().map(|&f| super::resolve(f, own)) {
            let bytes = write(buffer, w, h, alpha, format, settings.quality)?;
            files.push(EncodedFile {
                width: w,
                height: h,
                format,
                bytes,
            });
        }
    }
    files.sort_by_key(|f| (f.format, f.width));
    let (width, height) = files
        .iter()
        .max_by_key(|f| f.width)
        .map_or((width, height), |f| (f.width, f.height));
    Ok(Encoded {
        width,
        height,
        own,
        files,
    })
}

/// The picture upright, and the format its bytes are in.
fn decode(bytes: &[u8], bounds: Bounds) -> Result<(DynamicImage, ImageFormat), String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot read it ({e})"))?;
    let format = match reader.format() {
        Some(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Gif | ImageFormat::WebP)) => f,
        _ => {
            return Err(
                "it is not a JPEG, PNG, GIF or WebP picture (its first bytes say so, whatever its name)"
                    .into(),
            )
        }
    };
    if format == ImageFormat::Jpeg && !jpeg_ends(bytes) {
        return Err(CUT_SHORT.into());
    }
    if is_animated(bytes, format) {
        return Err("it is animated, and moving pictures are not published: use one still frame as PNG or JPEG (or a video link)".into());
    }
    let mut reader = reader;
    reader.limits(limits(bounds));
    let mut decoder = reader.into_decoder().map_err(|e| plain(&e, bounds))?;
    let (w, h) = decoder.dimensions();
    let total = decoder.total_bytes();
    if total > bounds.alloc {
        return Err(too_big(w, h, bounds));
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| plain(&e, bounds))?;
    image.apply_orientation(orientation);
    Ok((image, format))
}

fn limits(bounds: Bounds) -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(bounds.side);
    limits.max_image_height = Some(bounds.side);
    limits.max_alloc = Some(bounds.alloc);
    limits
}

fn too_big(w: u32, h: u32, bounds: Bounds) -> String {
    bounds.told(&format!("it says it is {w} x {h} pixels, more than"))
}

/// A decoding error in words a writer can act on.
fn plain(error: &image::ImageError, bounds: Bounds) -> String {
    match error {
        image::ImageError::Limits(_) => bounds.told("it is larger than"),
        image::ImageError::Unsupported(e) => {
            format!(
                "it uses a kind of picture handout cannot read ({e}): save it again as JPEG or PNG"
            )
        }
        e => format!("it is damaged or cut short ({e}): copy or export it again from the original"),
    }
}

const CUT_SHORT: &str =
    "it is damaged or cut short (its data ends before the picture does): copy or export it again from the original";

/// Whether a JPEG's data reaches its end marker: the decoder would fill a
/// cut-short photo with grey and say nothing. Walks the segments (with
/// their lengths) and the compressed data between them (where a 0xFF byte
/// is followed by 0 or a restart marker) until the end marker; anything
/// after it (a phone's trailer) is not read.
fn jpeg_ends(bytes: &[u8]) -> bool {
    let mut i = 2;
    let mut in_scan = false;
    while i + 1 < bytes.len() {
        if bytes.get(i) != Some(&0xFF) {
            if !in_scan {
                return false;
            }
            i += 1;
            continue;
        }
        let Some(&marker) = bytes.get(i + 1) else {
            return false;
        };
        match marker {
            0xD9 => return true,
            // Padding, stuffed zero, restart markers: still in the data.
            0xFF => i += 1,
            0x00 | 0xD0..=0xD7 if in_scan => i += 2,
            0x01 | 0xD0..=0xD8 => i += 2,
            _ => {
                let len = bytes
                    .get(i + 2..i + 4)
                    .map_or(0, |b| usize::from(u16::from_be_bytes([b[0], b[1]])));
                if len < 2 {
                    return false;
                }
                i += 2 + len;
                in_scan = marker == 0xDA;
            }
        }
    }
    false
}

/// Whether a GIF or WebP has more than one frame.
fn is_animated(bytes: &[u8], format: ImageFormat) -> bool {
    match format {
        ImageFormat::WebP => image::codecs::webp::WebPDecoder::new(Cursor::new(bytes))
            .is_ok_and(|d| d.has_animation()),
        ImageFormat::Gif => gif_frames(bytes) > 1,
        _ => false,
    }
}

/// How many image descriptors a GIF has (stops at 2), walking its blocks
/// without decoding pixels.
fn gif_frames(bytes: &[u8]) -> usize {
    let byte = |i: usize| bytes.get(i).copied().map(usize::from);
    // Header (6) and logical screen descriptor (7), then the global table.
    let Some(flags) = byte(10) else { return 0 };
    let mut i = 13;
    if flags & 0x80 != 0 {
        i += 3 << ((flags & 7) + 1);
    }
    let skip_blocks = |mut i: usize| -> Option<usize> {
        loop {
            let len = byte(i)?;
            i += 1 + len;
            if len == 0 {
                return Some(i);
            }
        }
    };
    let mut frames = 0;
    while let Some(kind) = byte(i) {
        match kind {
            0x2C => {
                frames += 1;
                if frames > 1 {
                    break;
                }
                let Some(flags) = byte(i + 9) else { break };
                i += 10;
                if flags & 0x80 != 0 {
                    i += 3 << ((flags & 7) + 1);
                }
                // LZW minimum code size, then data blocks.
                match skip_blocks(i + 1) {
                    Some(next) => i = next,
                    None => break,
                }
            }
            0x21 => match skip_blocks(i + 2) {
                Some(next) => i = next,
                None => break,
            },
            _ => break,
        }
    }
    frames
}

/// Encodes `pixels` (RGB, or RGBA when `alpha`) as `format`.
fn write(
    pixels: &[u8],
    width: u32,
    height: u32,
    alpha: bool,
    format: Format,
    quality: u8,
) -> Result<Vec<u8>, String> {
    let color = if alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    let mut out = Vec::new();
    let failed = |e: image::ImageError| format!("cannot encode it ({e})");
    match format {
        Format::Webp => {
            let encoder = if alpha {
                webp::Encoder::from_rgba(pixels, width, height)
            } else {
                webp::Encoder::from_rgb(pixels, width, height)
            };
            let memory = encoder
                .encode_simple(false, f32::from(quality))
                .map_err(|e| format!("cannot encode it as WebP ({e:?})"))?;
            out.extend_from_slice(&memory);
        }
        Format::Jpeg => {
            // JPEG has no alpha; `encode` picks it only for opaque pictures.
            let (w, h) = (dimension(width)?, dimension(height)?);
            jpeg_encoder::Encoder::new(&mut out, quality)
                .encode(pixels, w, h, jpeg_encoder::ColorType::Rgb)
                .map_err(|e| format!("cannot encode it as JPEG ({e})"))?;
        }
        Format::Png => {
            image::codecs::png::PngEncoder::new(&mut out)
                .write_image(pixels, width, height, color)
                .map_err(failed)?;
        }
    }
    Ok(out)
}

fn dimension(n: u32) -> Result<u16, String> {
    u16::try_from(n).map_err(|_| too_big(n, n, PUBLISHED))
}
