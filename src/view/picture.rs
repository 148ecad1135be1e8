//! A page's own picture (an article's lead `image`, a clinic's or
//! clinician's `photo`) as HTML, and the picture a page is shared with,
//! with its size and alt text for `og:image`.

use serde::Serialize;

use super::Views;
use crate::content::Meta;
use crate::images::{is_svg, Attributes, Picture, SIZES};
use crate::site::Page;

/// The width of the file shared on social sites (they show 1200 x 630).
pub const SHARE_WIDTH: u32 = 1200;

/// `page.share`: the picture shown when the page is shared.
#[derive(Debug, Clone, Serialize)]
pub struct ShareView {
    /// Its absolute URL.
    pub url: String,
    /// Its size in pixels, when handout made or read it.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// `image/jpeg`, `image/png`, when known.
    #[serde(rename = "type")]
    pub mime: Option<&'static str>,
    pub alt: String,
}

impl Views<'_> {
    /// A processed picture by its file from `content/`.
    pub(crate) fn picture(&self, rel: &str) -> Option<&Picture> {
        self.site.targets.images.pictures.get(rel)
    }

    /// What a page's own picture shows.
    fn own_alt(&self, page: &Page) -> String {
        match &*page.source.meta {
            Meta::Article(meta) => meta.image_alt.clone().unwrap_or_default(),
            Meta::Location(meta) => meta.photo_alt.clone().unwrap_or_default(),
            Meta::Author(meta) => self
                .word("portrait_of", "Portrait of {name}")
                .replace("{name}", &meta.name),
            _ => String::new(),
        }
    }

    /// The page's own picture as `<picture>` HTML, when it is processed.
    pub(crate) fn own_picture_html(&self, page: &Page) -> Option<String> {
        let picture = self.picture(page.photo.as_deref()?)?;
        let alt = self.own_alt(page);
        let (sizes, priority) = match &*page.source.meta {
            // The profile photo shows at 8rem.
            Meta::Author(_) => ("8rem", false),
            Meta::Article(_) => (SIZES, true),
            _ => (SIZES, false),
        };
        let attrs = Attributes {
            alt: &alt,
            title: None,
            sizes,
            eager: true,
            priority,
        };
        let url = |rel: &str| self.url(rel);
        Some(crate::images::picture_html(picture, &url, &attrs))
    }

    /// The absolute URL of a picture's file for sharing (about 1200 px
    /// wide, in its own format), or of the file as it is.
    pub(crate) fn picture_permalink(&self, rel: &str) -> String {
        match self.picture(rel).and_then(|p| p.near(SHARE_WIDTH)) {
            Some(variant) => self.permalink(&variant.rel),
            None => self.asset_permalink(rel),
        }
    }

    fn share_of(&self, rel: &str, alt: String) -> ShareView {
        let variant = self.picture(rel).and_then(|p| p.near(SHARE_WIDTH));
        ShareView {
            url: self.picture_permalink(rel),
            width: variant.map(|v| v.width),
            height: variant.map(|v| v.height),
            mime: variant.map(|v| v.format.mime()),
            alt,
        }
    }

    /// The picture a page is shared with: its own picture, else its first
    /// processed body picture, else its share card (see `cards`), else its
    /// first other picture that is not an SVG (sharing sites show none),
    /// else `site.yaml`'s `share_image`.
    pub(crate) fn share(&self, page: &Page) -> Option<ShareView> {
        let alt = || match self.own_alt(page) {
            alt if alt.is_empty() => page.title().to_string(),
            alt => alt,
        };
        if let Some(rel) = page.photo.as_deref() {
            if self.picture(rel).is_some() || !is_svg(rel) {
                return Some(self.share_of(rel, alt()));
            }
        }
        let root = self.site.config.base.root();
        let body_rels = page
            .body
            .images
            .iter()
            .filter_map(|src| src.strip_prefix(root));
        if let Some(rel) = body_rels.clone().find(|rel| self.picture(rel).is_some()) {
            return Some(self.share_of(rel, page.title().to_string()));
        }
        if crate::cards::needs_card(self.site, page) {
            return Some(ShareView {
                url: self.permalink(&crate::cards::card_path(page)),
                width: Some(crate::cards::WIDTH),
                height: Some(crate::cards::HEIGHT),
                mime: Some("image/png"),
                alt: page.title().to_string(),
            });
        }
        if let Some(src) = page.body.images.iter().find(|src| !is_svg(src)) {
            return Some(ShareView {
                url: self.absolute(src),
                width: None,
                height: None,
                mime: None,
                alt: page.title().to_string(),
            });
        }
        let site_image = self.site.config.share_image.as_deref()?;
        Some(self.share_of(
            site_image.trim_start_matches('/'),
            self.site.config.title.clone(),
        ))
    }
}
