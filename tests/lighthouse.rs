//! Lighthouse (mobile, performance only) on an article with three phone
//! photos of 4032 x 3024 pixels (a lead picture and two in the text): the
//! score must be 95 or more. The photos are made here, with grain, so they
//! weigh what a phone's do (several MB each). The test starts Chromium
//! itself, headless in a fresh profile, and gives Lighthouse its port.
//!
//! Needs `/usr/bin/chromium` (`apt-get install chromium`), `python3` (the
//! static file server) and `node_modules/` (`npm ci --ignore-scripts`, which
//! installs the pinned `lighthouse`). Without them the test says SKIPPED on
//! stderr and passes, unless `HANDOUT_REQUIRE_BROWSER=1` (as in CI), where
//! it fails.

mod common;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use image::{ImageEncoder, Rgb, RgbImage};

use common::TestSite;

const CHROMIUM: &str = "/usr/bin/chromium";
const LIGHTHOUSE: &str = "node_modules/.bin/lighthouse";

/// A 4032 x 3024 photo-like JPEG: gradients and strong grain.
fn phone_photo(seed: u32) -> Vec<u8> {
    let (width, height) = (4032, 3024);
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let image = RgbImage::from_fn(width, height, |x, y| {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let grain = (state >> 26) as i32 - 32;
        let (fx, fy) = (x as f32 / width as f32, y as f32 / height as f32);
        let base = [
            90 + (fx * 120.0) as i32,
            110 + (fy * 90.0) as i32,
            150 - (fx * fy * 100.0) as i32,
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

/// True (and SKIPPED on stderr) when something it needs is missing and
/// `HANDOUT_REQUIRE_BROWSER` is not set; a failure when it is.
fn skipped() -> bool {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = Vec::new();
    for path in [Path::new(CHROMIUM).to_path_buf(), root.join(LIGHTHOUSE)] {
        if !path.exists() {
            missing.push(path.display().to_string());
        }
    }
    let python = Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !python {
        missing.push("`python3` on PATH".into());
    }
    if missing.is_empty() {
        return false;
    }
    let message = format!("lighthouse test: missing {}", missing.join(", "));
    assert!(
        std::env::var_os("HANDOUT_REQUIRE_BROWSER").is_none(),
        "{message}"
    );
    eprintln!("SKIPPED {message}");
    true
}

/// Stops a child process (the file server, Chromium) when the test ends,
/// however it ends.
struct Stopped(std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// How long Chromium may take to open its debugging port. Lighthouse's own
/// launcher gives up after 25 s, which a loaded CI machine once exceeded
/// ("Unable to connect to Chrome"), so the test starts Chromium itself.
const CHROMIUM_START: Duration = Duration::from_secs(120);

/// Chromium, headless, in a fresh profile under `dir`, with the flags
/// Lighthouse's launcher would give it; returns it and its debugging port.
fn start_chromium(dir: &Path) -> (Stopped, u16) {
    let profile = dir.join("chromium-profile");
    let log = dir.join("chromium.log");
    let child = Command::new(CHROMIUM)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--remote-debugging-port=0",
            "--disable-extensions",
            "--disable-component-extensions-with-background-pages",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-client-side-phishing-detection",
            "--disable-sync",
            "--metrics-recording-only",
            "--disable-default-apps",
            "--mute-audio",
            "--no-default-browser-check",
            "--no-first-run",
            "--disable-backgrounding-occluded-windows",
            "--disable-renderer-backgrounding",
            "--disable-background-timer-throttling",
            "--disable-ipc-flooding-protection",
            "--password-store=basic",
            "--disable-hang-monitor",
            "--disable-prompt-on-repost",
            "--disable-domain-reliability",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("about:blank")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("chromium log"))
        .spawn()
        .expect("start chromium");
    let mut chromium = Stopped(child);
    // Chromium writes the port it chose to this file once it listens.
    let active = profile.join("DevToolsActivePort");
    let started = Instant::now();
    loop {
        let port = std::fs::read_to_string(&active)
            .ok()
            .and_then(|text| text.lines().next()?.parse::<u16>().ok());
        if let Some(port) = port {
            return (chromium, port);
        }
        let exited = chromium.0.try_wait().expect("chromium status");
        if exited.is_some() || started.elapsed() > CHROMIUM_START {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            panic!(
                "chromium did not open its debugging port within {:?} (exit: {exited:?}); its log:\n{log}",
                started.elapsed()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn an_article_with_three_phone_photos_scores_95_or_more_on_mobile() {
    if skipped() {
        return;
    }
    let site = TestSite::fixture("basic");
    for n in 1..=3 {
        site.write_bytes(&format!("content/articles/hips/p{n}.jpg"), &phone_photo(n));
    }
    site.write(
        "content/articles/hips/index.md",
        "---\ntitle: Three Stretches for Tight Hips\ndescription: Three gentle hip stretches to do at home, with a photo of each, and when to call your physical therapist.\ndate: 2026-01-20\nimage: p1.jpg\nimage_alt: A person kneeling with one foot forward to stretch the front of the hip\n---\n\nTight hips make it hard to walk, sit or climb stairs. These stretches are gentle.\n\n## Kneeling stretch\n\nKneel on one knee and push your hips forward. Hold for 30 seconds.\n\n![A person on their back pulling one knee to the chest](p2.jpg)\n\n## Knee to chest\n\nLie on your back and pull one knee in. Hold for 30 seconds.\n\n![A person sitting cross-legged and leaning forward](p3.jpg)\n\n## Seated lean\n\nSit with your legs crossed and lean forward slowly.\n",
    );
    site.build().assert_ok();

    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let _server = Stopped(
        Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
            ])
            .current_dir(site.path("public"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m http.server"),
    );
    let url = format!("http://127.0.0.1:{port}/articles/hips/");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let report = site.path("lighthouse.json");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_chromium, devtools) = start_chromium(&site.path(""));
    let status = Command::new(root.join(LIGHTHOUSE))
        .arg(&url)
        .args([
            "--only-categories=performance",
            "--form-factor=mobile",
            "--output=json",
            "--quiet",
        ])
        .arg(format!("--port={devtools}"))
        .arg(format!("--output-path={}", report.display()))
        .status()
        .expect("run lighthouse");
    assert!(status.success(), "lighthouse failed: {status}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report")).expect("JSON");
    let score = json["categories"]["performance"]["score"]
        .as_f64()
        .expect("a performance score");
    let shown = |audit: &str| {
        json["audits"][audit]["displayValue"]
            .as_str()
            .unwrap_or("?")
            .to_string()
    };
    eprintln!(
        "lighthouse (mobile): performance {:.0}, LCP {}, CLS {}, TBT {}, bytes: {}",
        score * 100.0,
        shown("largest-contentful-paint"),
        shown("cumulative-layout-shift"),
        shown("total-blocking-time"),
        shown("total-byte-weight")
    );
    assert!(score >= 0.95, "performance score {score} is under 0.95");
}
