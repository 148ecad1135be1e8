//! Share cards: a 1200 x 630 PNG for each article, clinic and clinician
//! page that has no raster picture of its own, for social sites to show
//! when the page is shared. Drawn from the theme's `share/card.svg` with
//! the fonts in the theme's `share/` folder (never the machine's), so a
//! card looks the same on every machine; cached like processed pictures.
//!
//! The template is SVG with placeholders replaced by text (XML-escaped):
//! `{{title_1}}`, `{{title_2}}`, `{{title_3}}` (the title in up to three
//! lines), `{{site_name}}`, `{{colour}}` (the theme's `--color-accent`)
//! and `{{logo}}` (an `<image>` of `brand.logo`, or nothing).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use resvg::{tiny_skia, usvg};
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

use crate::content::Meta;
use crate::error::{Diagnostic, Place};
use crate::placeholders::{self, Piece};
use crate::site::{Page, Site};
use crate::theme::Theme;

/// The card's size: what sharing sites show.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// The card's file name in its page's folder.
pub const FILE: &str = "share-card.png";
/// The template, under the theme's `share/` folder.
pub const TEMPLATE: &str = "card.svg";
/// Characters a title line holds before it wraps.
const LINE: usize = 28;
/// The accent colour when the theme's CSS names none.
const DEFAULT_COLOUR: &str = "#0a58a8";

/// Whether `page` gets a share card: an article, clinic or clinician with
/// no processed picture of its own or in its body, and no photo given as
/// a full URL, on a site whose theme has a card template.
pub fn needs_card(site: &Site, page: &Page) -> bool {
    if !site.share_cards
        || !matches!(
            *page.source.meta,
            Meta::Article(_) | Meta::Location(_) | Meta::Author(_)
        )
    {
        return false;
    }
    let pictures = &site.targets.images.pictures;
    let own = page.photo.as_deref().is_some_and(|p| {
        pictures.contains_key(p) || (p.contains("://") && !crate::images::is_svg(p))
    });
    let root = site.config.base.root();
    let body = page
        .body
        .images
        .iter()
        .filter_map(|src| src.strip_prefix(root))
        .any(|rel| pictures.contains_key(rel));
    !(own || body)
}

/// The card's path in the output: `articles/a/share-card.png`.
pub fn card_path(page: &Page) -> String {
    [page.path.as_str(), FILE].concat()
}

/// A page's card as [`Cards::png`] gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Card {
    /// Its file in the cache, which is never changed in place.
    Cached(PathBuf),
    /// Drawn now (the cache could not keep it).
    Drawn(Vec<u8>),
}

/// What a placeholder of the card template stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// `{{title_1}}` to `{{title_3}}`: line 0 to 2 of the title.
    Title(usize),
    SiteName,
    Colour,
    Logo,
}

const SLOTS: [(&str, Slot); 6] = [
    ("{{title_1}}", Slot::Title(0)),
    ("{{title_2}}", Slot::Title(1)),
    ("{{title_3}}", Slot::Title(2)),
    ("{{site_name}}", Slot::SiteName),
    ("{{colour}}", Slot::Colour),
    ("{{logo}}", Slot::Logo),
];

/// Everything a card needs that is the same for every page.
pub struct Cards {
    /// Cut at its placeholders once: a card is then its pieces in turn,
    /// hashed for the cache as they come and written out only when it is
    /// drawn (a warm build draws none).
    template: Vec<Piece<Slot>>,
    /// The cache key's hash of what comes before the first line of the
    /// title (the version and fonts, the template's start), made once:
    /// hashed again for each card it was most of the key's cost (at 10k,
    /// 46 M instructions).
    key_start: Xxh3,
    /// The piece of `template` the key goes on from.
    key_rest: usize,
    options: usvg::Options<'static>,
    fonts_hash: u128,
    /// XML-escaped, as the card shows it.
    site_name: String,
    /// XML-escaped.
    colour: String,
    logo: String,
    cache: PathBuf,
    /// For errors: `themes/x/share/card.svg`.
    shown: PathBuf,
}

impl Cards {
    /// `None` when the theme has no card template.
    pub fn new(site: &Site, theme: &Theme) -> Result<Option<Cards>, Diagnostic> {
        let Some(file) = theme.share.get(TEMPLATE) else {
            return Ok(None);
        };
        let read = |file: &crate::theme::ThemeFile| {
            file.read()
                .map_err(|e| Diagnostic::io(Place::file(&file.shown), "cannot read", e))
        };
        let template = String::from_utf8(read(file)?).map_err(|_| {
            Diagnostic::new(
                Place::file(&file.shown),
                "the card template is not UTF-8 text",
            )
        })?;
        let mut db = usvg::fontdb::Database::new();
        let mut fonts_hash = 0u128;
        for (name, font) in &theme.share {
            let lower = name.to_ascii_lowercase();
            if lower.ends_with(".ttf") || lower.ends_with(".otf") {
                let bytes = read(font)?;
                fonts_hash ^= xxh3_128(&bytes);
                db.load_font_data(bytes);
            }
        }
        let mut options = usvg::Options::default();
        if let Some(family) = db.faces().next().and_then(|f| f.families.first()) {
            options.font_family = family.0.clone();
        }
        options.fontdb = Arc::new(db);
        let logo = match site.config.brand.logo.as_deref() {
            Some(logo) => logo_element(&site.config.root, logo),
            None => String::new(),
        };
        let template = placeholders::cut(&template, &SLOTS);
        let key_rest = template
            .iter()
            .position(|piece| matches!(piece, Piece::Placeholder(Slot::Title(_))))
            .unwrap_or(template.len());
        let mut cards = Cards {
            template,
            key_start: Xxh3::new(),
            key_rest,
            options,
            fonts_hash,
            site_name: escape(site.config.brand_name()),
            colour: escape(&accent(theme)),
            logo,
            cache: crate::images::cache_dir().join("cards"),
            shown: file.shown.clone(),
        };
        let mut start = Xxh3::new();
        start.update(cards.key_head().as_bytes());
        let no_lines: [String; 3] = Default::default();
        let before = cards.template.get(..key_rest).unwrap_or_default();
        cards.each_piece_of(before, &no_lines, |piece| start.update(piece.as_bytes()));
        cards.key_start = start;
        Ok(Some(cards))
    }

    /// The SVG of one page's card.
    pub fn svg(&self, title: &str) -> String {
        self.svg_of(&self.title_lines(title))
    }

    /// The SVG of a card whose title is in `lines`.
    fn svg_of(&self, lines: &[String; 3]) -> String {
        let mut svg = String::new();
        self.each_piece(lines, |piece| svg.push_str(piece));
        svg
    }

    /// The title in the card's lines, XML-escaped; lines it does not
    /// fill are empty.
    fn title_lines(&self, title: &str) -> [String; 3] {
        let mut lines = wrap(title, LINE, 3).into_iter().map(|line| escape(&line));
        std::array::from_fn(|_| lines.next().unwrap_or_default())
    }

    /// Hands on the card's SVG piece by piece.
    fn each_piece<'a>(&'a self, lines: &'a [String; 3], each: impl FnMut(&'a str)) {
        self.each_piece_of(&self.template, lines, each);
    }

    /// Hands on the pieces `pieces` of the card's SVG.
    fn each_piece_of<'a>(
        &'a self,
        pieces: &'a [Piece<Slot>],
        lines: &'a [String; 3],
        mut each: impl FnMut(&'a str),
    ) {
        for piece in pieces {
            each(match piece {
                Piece::Text(text) => text,
                Piece::Placeholder(Slot::Title(line)) => {
                    lines.get(*line).map_or("", String::as_str)
                }
                Piece::Placeholder(Slot::SiteName) => &self.site_name,
                Piece::Placeholder(Slot::Colour) => &self.colour,
                Piece::Placeholder(Slot::Logo) => &self.logo,
            });
        }
    }

    /// The PNG of one page's card: its file in the cache when it was drawn
    /// before (or is now), else its bytes.
    pub fn png(&self, title: &str) -> Result<Card, Diagnostic> {
        let lines = self.title_lines(title);
        let cached = self.cache_file(&lines);
        if cached.is_file() {
            return Ok(Card::Cached(cached));
        }
        let png = self.draw(&self.svg_of(&lines))?;
        // Best effort: without it the next build draws it again.
        if std::fs::create_dir_all(&self.cache).is_ok() {
            let temp = cached.with_extension(format!(
                "{}.{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            if std::fs::write(&temp, &png).is_ok() && std::fs::rename(&temp, &cached).is_err() {
                let _ = std::fs::remove_file(&temp);
            }
        }
        Ok(Card::Drawn(png))
    }

    /// The card's file in the cache, if it was drawn before.
    pub fn cached(&self, title: &str) -> Option<PathBuf> {
        Some(self.cache_file(&self.title_lines(title))).filter(|file| file.is_file())
    }

    /// What a card's cache key hashes before its SVG: the version and the
    /// fonts. "card 3": cards kept from before they had a palette, or from
    /// before zlib-rs compressed them, are drawn again (the same pixels in
    /// other bytes would make a build's output depend on its cache).
    fn key_head(&self) -> String {
        format!("card 3 {:032x}\n", self.fonts_hash)
    }

    /// Where the card whose title is in `lines` is cached: named by the
    /// hash of its key's head and its SVG's text, made from its pieces
    /// without writing it out.
    fn cache_file(&self, lines: &[String; 3]) -> PathBuf {
        // The same key as one hash of the whole, from where `key_start`
        // stopped.
        let mut hasher = self.key_start.clone();
        let rest = self.template.get(self.key_rest..).unwrap_or_default();
        self.each_piece_of(rest, lines, |piece| hasher.update(piece.as_bytes()));
        let key = hasher.digest128();
        self.cache.join(format!("{key:032x}.png"))
    }

    /// The cache file of `title`'s card as its key is made, and as one
    /// hash of the whole card: for a test that they are the same.
    #[cfg(test)]
    pub(crate) fn cache_file_both_ways(&self, title: &str) -> (PathBuf, PathBuf) {
        assert!(self.key_rest > 0, "the template starts with text");
        let lines = self.title_lines(title);
        let mut whole = Xxh3::new();
        whole.update(self.key_head().as_bytes());
        self.each_piece(&lines, |piece| whole.update(piece.as_bytes()));
        let key = whole.digest128();
        let whole = self.cache.join(format!("{key:032x}.png"));
        (self.cache_file(&lines), whole)
    }

    fn draw(&self, svg: &str) -> Result<Vec<u8>, Diagnostic> {
        let failed = |what: String| {
            Diagnostic::new(
                Place::file(&self.shown),
                format!("cannot draw the share card: {what}"),
            )
        };
        let tree = usvg::Tree::from_str(svg, &self.options).map_err(|e| failed(e.to_string()))?;
        let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT)
            .ok_or_else(|| failed("no memory for the picture".into()))?;
        let size = tree.size();
        let transform = tiny_skia::Transform::from_scale(
            WIDTH as f32 / size.width(),
            HEIGHT as f32 / size.height(),
        );
        resvg::render(&tree, transform, &mut pixmap.as_mut());
        encode(&pixmap).map_err(failed)
    }
}

/// The card as a PNG, as small as it can be without changing a pixel. A
/// card is a few flat colours and the shades at the edges of its letters
/// (57 colours in the default theme's): with a palette of at most 256, a
/// pixel takes one byte before compression instead of four, and the file
/// about half the bytes (16 KB against 30 KB, most of a 10k site's
/// output). An opaque card of more colours drops the alpha channel; one
/// with transparent pixels keeps it.
fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, String> {
    // Each pixel's bytes, red, green, blue and alpha (premultiplied).
    let (pixels, _) = pixmap.data().as_chunks::<4>();
    // Every alpha ANDed together, with no early exit, so many pixels are
    // read at a time: 255 when the card is opaque.
    if pixels.iter().fold(255, |alpha, [.., a]| alpha & a) != 255 {
        return pixmap.encode_png().map_err(|e| e.to_string());
    }
    // Opaque, so the premultiplied colours are the colours, and a pixel's
    // four bytes as one number tell its colour.
    let rgb = |&[r, g, b, _]: &[u8; 4]| [r, g, b];
    let mut palette: Vec<[u8; 3]> = Vec::new();
    let mut index: rustc_hash::FxHashMap<u32, u8> = Default::default();
    // Written in place, not pushed: a push a pixel kept the length in
    // memory, a fifth of drawing a card.
    let mut indexed = vec![0u8; pixels.len()];
    let mut fits = true;
    // Most pixels are the colour of the one before (a card is mostly flat
    // colour): looked up only when the colour changes, as hashing every
    // pixel was a third of drawing a card. No opaque pixel is 0.
    let (mut last, mut n) = (0u32, 0u8);
    for (out, pixel) in indexed.iter_mut().zip(pixels) {
        let colour = u32::from_le_bytes(*pixel);
        if colour != last {
            n = match index.get(&colour) {
                Some(&n) => n,
                None => {
                    let Ok(n) = u8::try_from(palette.len()) else {
                        fits = false;
                        break;
                    };
                    palette.push(rgb(pixel));
                    index.insert(colour, n);
                    n
                }
            };
            last = colour;
        }
        *out = n;
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_depth(png::BitDepth::Eight);
    let data = if fits {
        encoder.set_color(png::ColorType::Indexed);
        encoder.set_palette(palette.concat());
        // The rows of a palette picture do not predict each other's bytes.
        encoder.set_filter(png::Filter::NoFilter);
        indexed
    } else {
        encoder.set_color(png::ColorType::Rgb);
        pixels.iter().flat_map(rgb).collect()
    };
    let written = encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(&data));
    written.map_err(|e| e.to_string())?;
    Ok(out)
}

/// `brand.logo` as an `<image>` in the card's top left, embedded as a
/// data URL; nothing when it cannot be read.
fn logo_element(root: &Path, logo: &str) -> String {
    if logo.contains("://") {
        return String::new();
    }
    let rel = logo.trim_start_matches('/');
    let bytes = std::fs::read(root.join(crate::content::CONTENT_DIR).join(rel))
        .or_else(|_| std::fs::read(root.join(rel)));
    let Ok(bytes) = bytes else {
        return String::new();
    };
    let lower = rel.to_ascii_lowercase();
    let mime = if lower.ends_with(".svg") {
        "image/svg+xml"
    } else if lower.ends_with(".png") {
        "image/png"
    } else if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        "image/jpeg"
    } else {
        return String::new();
    };
    format!(
        "<image x=\"80\" y=\"60\" width=\"240\" height=\"96\" preserveAspectRatio=\"xMinYMid meet\" href=\"data:{mime};base64,{}\"/>",
        base64(&bytes)
    )
}

/// The last `--color-accent: #xxxxxx` of the theme's `style.css` and then
/// `brand.css` (which a brand theme replaces).
fn accent(theme: &Theme) -> String {
    let mut colour = DEFAULT_COLOUR.to_string();
    for name in ["style.css", "brand.css"] {
        let Some(text) = theme
            .statics
            .get(name)
            .and_then(|f| f.read().ok())
            .and_then(|b| String::from_utf8(b).ok())
        else {
            continue;
        };
        let text = without_comments(&text);
        for part in text.split("--color-accent:").skip(1) {
            let value = part.trim_start();
            let hex: String = value
                .chars()
                .take_while(|c| *c == '#' || c.is_ascii_hexdigit())
                .collect();
            if hex.starts_with('#') && matches!(hex.len(), 4 | 7) {
                colour = hex;
            }
        }
    }
    colour
}

/// CSS without its `/* comments */`.
fn without_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .find("*/")
            .map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// `text` in lines of at most `width` characters, broken between words,
/// at most `lines` of them; the last ends in `…` when text is left over.
pub fn wrap(text: &str, width: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    // The characters in `current`, counted as its words go in.
    let mut current_chars = 0;
    for word in text.split_whitespace() {
        let word_chars = word.chars().count();
        let fits = current.is_empty() || current_chars + 1 + word_chars <= width;
        if !fits {
            out.push(std::mem::take(&mut current));
            current_chars = 0;
            if out.len() == lines {
                if let Some(last) = out.last_mut() {
                    let kept: String = last.chars().take(width.saturating_sub(1)).collect();
                    *last = format!("{}…", kept.trim_end());
                }
                return out;
            }
        }
        if !current.is_empty() {
            current.push(' ');
            current_chars += 1;
        }
        current.push_str(word);
        current_chars += word_chars;
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn escape(text: &str) -> String {
    crate::images::escape(text)
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let index = (n >> (18 - 6 * i)) & 63;
                out.push(char::from(ALPHABET[index as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_wrap_between_words_into_three_lines_at_most() {
        assert_eq!(wrap("Knee pain", 28, 3), ["Knee pain"]);
        assert_eq!(
            wrap("What to expect at your first physical therapy visit", 28, 3),
            ["What to expect at your first", "physical therapy visit"]
        );
        assert_eq!(
            wrap("One two three four five six seven eight nine ten", 10, 2),
            ["One two", "three fou…"]
        );
        let long = wrap(&"word ".repeat(40), 28, 3);
        assert_eq!(long.len(), 3);
        assert!(long[2].ends_with('…'), "{long:?}");
    }

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
    }

    /// `encode`'s PNG colour type (3 palette, 2 RGB, 6 RGBA) and whether
    /// it decodes to the pixmap's pixels.
    fn encoded(pixmap: &tiny_skia::Pixmap) -> (u8, bool) {
        let png = encode(pixmap).expect("encodes");
        let decoded = image::load_from_memory(&png).expect("decodes").to_rgba8();
        let want: Vec<u8> = pixmap
            .pixels()
            .iter()
            .flat_map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue(), c.alpha()]
            })
            .collect();
        (png[25], decoded.into_raw() == want)
    }

    #[test]
    fn a_card_is_encoded_with_a_palette_when_its_colours_fit_in_one() {
        let mut pixmap = tiny_skia::Pixmap::new(300, 2).expect("a pixmap");
        pixmap.fill(tiny_skia::Color::from_rgba8(10, 88, 168, 255));
        assert_eq!(encoded(&pixmap), (3, true));
        // 256 colours still fit; 300 do not.
        let shade = |pixmap: &mut tiny_skia::Pixmap, n: usize| {
            for (i, p) in pixmap.pixels_mut().iter_mut().enumerate() {
                let v = (i % n) as u8;
                let w = (i % n / 256) as u8;
                *p = tiny_skia::PremultipliedColorU8::from_rgba(v, w, 7, 255).expect("opaque");
            }
        };
        shade(&mut pixmap, 256);
        assert_eq!(encoded(&pixmap), (3, true));
        shade(&mut pixmap, 300);
        assert_eq!(encoded(&pixmap), (2, true));
        // A card with see-through pixels keeps its alpha channel.
        pixmap.fill(tiny_skia::Color::from_rgba8(200, 100, 50, 128));
        assert_eq!(encoded(&pixmap), (6, true));
    }
}
