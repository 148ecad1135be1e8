//! Stage 2 of the build, beside `content`: the raster pictures under
//! `content/` (JPEG, PNG, GIF, WebP) become resized WebP and JPEG or PNG
//! files with no metadata, cached outside the output by their bytes and
//! the `images:` settings. Every raster file is processed, used or not:
//! none is ever copied as it is, so no GPS position or camera serial
//! reaches the site. The pages learn each picture's files and size from
//! the [`Images`] this returns.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::{ImageFormat, Images as Settings};
use crate::content::Asset;
use crate::error::{Diagnostic, Errors, Place};

mod cache;
pub mod engine;
mod html;

pub use cache::Cache;
pub use engine::{MAX_ALLOC, MAX_SIDE};
pub use html::{escape, picture_html, Attributes, SIZES};

/// A format handout writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Webp,
    Jpeg,
    Png,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Webp => "webp",
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Webp => "image/webp",
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
        }
    }

    fn from_extension(ext: &str) -> Option<Format> {
        [Format::Webp, Format::Jpeg, Format::Png]
            .into_iter()
            .find(|f| f.extension() == ext)
    }
}

/// A format of `images: formats:` for a picture whose own format is `own`.
pub fn resolve(format: ImageFormat, own: Format) -> Format {
    match format {
        ImageFormat::Webp => Format::Webp,
        ImageFormat::Original => own,
    }
}

/// Whether a file under `content/` is a raster picture handout processes.
pub fn is_raster(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".gif", ".webp"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// Whether a file or URL names an SVG, which sharing sites do not show.
pub fn is_svg(path: &str) -> bool {
    path.len()
        .checked_sub(4)
        .and_then(|start| path.get(start..))
        .is_some_and(|end| end.eq_ignore_ascii_case(".svg"))
}

/// One file written for a picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// From `content/` (and the output's root): `articles/a/photo-480.webp`.
    pub rel: String,
}

/// A processed picture: its size upright and its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// The size of the largest file written (the picture's own size, or
    /// the widest configured width when it is wider).
    pub width: u32,
    pub height: u32,
    /// JPEG for photos, PNG for PNG and GIF pictures.
    pub own: Format,
    /// By format, narrowest first.
    pub variants: Vec<Variant>,
}

impl Picture {
    /// The files of one format, narrowest first.
    pub fn of(&self, format: Format) -> impl Iterator<Item = &Variant> {
        self.variants.iter().filter(move |v| v.format == format)
    }

    /// The file every browser shows: the widest in the picture's own
    /// format (or in WebP when only WebP is written).
    pub fn fallback(&self) -> Option<&Variant> {
        self.of(self.own)
            .last()
            .or_else(|| self.variants.iter().max_by_key(|v| v.width))
    }

    /// The file closest to `width` px wide (not narrower when one is
    /// wider), in the picture's own format; for share cards (1200 px).
    pub fn near(&self, width: u32) -> Option<&Variant> {
        let own: Vec<&Variant> = self.of(self.own).collect();
        let list = if own.is_empty() {
            self.variants.iter().collect()
        } else {
            own
        };
        list.iter()
            .find(|v| v.width >= width)
            .or(list.last())
            .copied()
    }
}

/// What processing the site's pictures found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Images {
    /// By the picture's file from `content/`: `articles/a/photo.jpg`.
    pub pictures: FxHashMap<String, Picture>,
    /// Pictures that cannot be published, with why (a sentence starting
    /// with "it"); their pages report them where they are used.
    pub failed: FxHashMap<String, String>,
}

impl Images {
    /// The error for a use of picture `rel` written as `written`, if it failed.
    pub fn problem(&self, rel: &str, written: &str) -> Option<String> {
        self.failed
            .get(rel)
            .map(|why| format!("picture `{written}` cannot be published: {why}"))
    }
}

/// `photo.jpg` at `width` in `format`: `photo-480.webp`.
pub fn variant_rel(rel: &str, width: u32, format: Format) -> String {
    let stem = match rel.rsplit_once('.') {
        Some((stem, _)) if !stem.ends_with('/') => stem,
        _ => rel,
    };
    format!("{stem}-{width}.{}", format.extension())
}

/// Processes every raster picture in `assets` (in parallel, from the cache
/// when it can) and returns the assets to publish in their place: each
/// picture's files, and at the picture's own address its widest file in
/// its own format. Other assets are returned as they are. A picture that
/// fails is left out and listed in [`Images::failed`].
pub fn process(
    assets: Vec<Asset>,
    settings: &Settings,
    cache: &Cache,
) -> (Vec<Asset>, Images, Errors) {
    let (raster, mut out): (Vec<Asset>, Vec<Asset>) =
        assets.into_iter().partition(|a| is_raster(&a.rel));
    let taken: rustc_hash::FxHashSet<String> = out.iter().map(|a| a.rel.clone()).collect();
    let results: Vec<(Asset, Result<cache::Entry, Problem>)> = raster
        .into_par_iter()
        .map(|asset| {
            let result = cache.get_or_make(&asset.source, settings);
            (asset, result)
        })
        .collect();
    let mut images = Images::default();
    let mut errors = Errors::default();
    for (asset, result) in results {
        let entry = match result {
            Ok(entry) => entry,
            Err(Problem::Picture(why)) => {
                images.failed.insert(asset.rel, why);
                continue;
            }
            Err(Problem::Cache(error)) => {
                errors.push(error);
                continue;
            }
        };
        let picture = entry.picture(&asset.rel);
        for variant in &picture.variants {
            if taken.contains(&variant.rel) {
                errors.push(Diagnostic::new(
                    Place::file(Path::new(crate::content::CONTENT_DIR).join(&variant.rel)),
                    format!(
                        "this file has the name handout gives a smaller copy of {}: rename it",
                        asset.rel
                    ),
                ));
            }
            out.push(Asset {
                source: entry.path_of(variant),
                rel: variant.rel.clone(),
                cached: true,
            });
        }
        if let Some(fallback) = picture.fallback() {
            out.push(Asset {
                source: entry.path_of(fallback),
                rel: asset.rel.clone(),
                cached: true,
            });
        }
        images.pictures.insert(asset.rel, picture);
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    (out, images, errors)
}

/// Why a picture was not made.
#[derive(Debug)]
pub enum Problem {
    /// The picture itself: a sentence for its pages' errors.
    Picture(String),
    /// The cache folder: an error of its own.
    Cache(Diagnostic),
}

/// The folder pictures are cached in: `HANDOUT_CACHE_DIR` when set, else
/// `images/` under handout's folder in the user's cache folder
/// (`~/.cache/handout/images` on Linux).
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("HANDOUT_CACHE_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir).join("images");
    }
    crate::cache::folder().join("images")
}

#[cfg(test)]
mod tests;
