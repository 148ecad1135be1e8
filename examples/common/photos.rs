//! The picture corpus both benchmarks build: the generated site with a
//! phone-size photo in every tenth article.

use std::path::{Path, PathBuf};
use std::process::Command;

use image::{ImageEncoder, Rgb, RgbImage};

/// A photo-like picture: gradients, shapes and grain.
pub fn photo_jpeg(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let image = RgbImage::from_fn(width, height, |x, y| {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let grain = (state >> 27) as i32 - 16;
        let (fx, fy) = (x as f32 / width as f32, y as f32 / height as f32);
        let wave = ((fx * 23.0 + seed as f32).sin() * (fy * 17.0).cos() * 40.0) as i32;
        let base = [
            90 + (fx * 120.0) as i32 + wave,
            110 + (fy * 90.0) as i32,
            150 - (fx * fy * 100.0) as i32 - wave,
        ];
        Rgb(base.map(|c| (c + grain).clamp(0, 255) as u8))
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92)
        .write_image(
            image.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .expect("encode");
    out
}

/// Copies `from` to `to` (files only), for a site with photos beside the
/// generated one.
fn copy_site(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .args(["-r", &from.to_string_lossy(), &to.to_string_lossy()])
        .status()
        .expect("cp");
    assert!(status.success(), "cp -r failed");
}

/// A copy of the generated site `plain` with a 3000 x 2000 photo in every
/// tenth article (each file's bytes different, so none is shared in the
/// cache), made once as `<target>/bench/<name>`.
pub fn with_photos(plain: &Path, name: &str) -> PathBuf {
    let dir = super::corpus::target_dir().join("bench").join(name);
    if dir.join("site.yaml").is_file() {
        return dir;
    }
    let temp = dir.with_extension("partial");
    let _ = std::fs::remove_dir_all(&temp);
    copy_site(plain, &temp);
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(temp.join("content/articles"))
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    let base = photo_jpeg(3000, 2000, 7);
    std::fs::create_dir_all(temp.join("content/photos")).expect("mkdir");
    for (n, page) in pages.iter().step_by(10).enumerate() {
        // The same pixels, other bytes: a comment segment after the start.
        let mut bytes = base[..2].to_vec();
        let note = format!("photo {n}");
        bytes.extend_from_slice(&[0xff, 0xfe]);
        bytes.extend_from_slice(&((note.len() + 2) as u16).to_be_bytes());
        bytes.extend_from_slice(note.as_bytes());
        bytes.extend_from_slice(&base[2..]);
        std::fs::write(temp.join(format!("content/photos/{n}.jpg")), &bytes).expect("photo");
        let mut text = std::fs::read_to_string(page).expect("page");
        text.push_str(&format!(
            "\n![A therapist helps a patient stretch](/photos/{n}.jpg)\n"
        ));
        std::fs::write(page, text).expect("page");
    }
    std::fs::rename(&temp, &dir).expect("rename");
    super::corpus::give_back_memory();
    eprintln!(
        "made {} with {} photos",
        dir.display(),
        pages.len().div_ceil(10)
    );
    dir
}
