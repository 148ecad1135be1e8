//! Search rows of the build benchmark: the index on disk, and the bytes a
//! search transfers in Chromium for five fixed queries
//! (`examples/search_bytes.mjs`), over the site `build` just wrote.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Two words each, but a typo and a ZIP code (the Naperville clinic's in
/// the generated corpus, at every size).
pub const QUERIES: [&str; 5] = [
    "knee pain",
    "plantar fasciitis",
    "dry needling",
    "sciatia",
    "60540",
];

/// The rows for one site (`site`, as the first column names it): its
/// index on disk, then one per query.
pub fn rows(manifest: &Path, site: &str, out: &Path) -> Vec<String> {
    let (bytes, files) = disk(&out.join("search"));
    let mut rows = vec![format!(
        "| {site} | index on disk | {:.1} MB in {files} files | | | |",
        bytes as f64 / 1e6
    )];
    let script = manifest.join("examples/search_bytes.mjs");
    if !manifest.join("node_modules/playwright-core").is_dir() {
        rows.push(format!(
            "| {site} | queries | skipped: run `npm ci --ignore-scripts` | | | |"
        ));
        return rows;
    }
    let Some(port) = TcpListener::bind("127.0.0.1:0")
        .ok()
        .and_then(|l| l.local_addr().ok())
        .map(|a| a.port())
    else {
        return rows;
    };
    let Ok(mut server) = Command::new("python3")
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--directory",
        ])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    else {
        return rows;
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    // The corpus is built for its own base_url; the pages link from the
    // host root, which is where the server serves them.
    let measured = Command::new("node")
        .arg(&script)
        .arg(format!("http://127.0.0.1:{port}/"))
        .args(QUERIES)
        .current_dir(manifest)
        .output();
    let _ = server.kill();
    let _ = server.wait();
    let Ok(measured) = measured else {
        return rows;
    };
    for line in String::from_utf8_lossy(&measured.stdout).lines() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let kb = |key: &str| value[key].as_f64().unwrap_or(0.0) / 1000.0;
        let ms = |key: &str| {
            value[key]
                .as_f64()
                .map_or_else(|| "-".to_string(), |t| format!("{t:.0} ms"))
        };
        rows.push(format!(
            "| {site} | `{}` | {:.1} KB | {:.1} KB | {} | {}, {} |",
            value["query"].as_str().unwrap_or(""),
            kb("index"),
            kb("index") + kb("page"),
            value["results"],
            ms("rank"),
            ms("draw"),
        ));
    }
    rows
}

/// Adds `search: false` to a site's `site.yaml` (once).
pub fn turn_off(site: &Path) {
    let path = site.join("site.yaml");
    let yaml = std::fs::read_to_string(&path).unwrap_or_default();
    if !yaml.contains("search: false") {
        let _ = std::fs::write(&path, format!("{yaml}\nsearch: false\n"));
    }
}

/// Bytes and files under `dir`.
fn disk(dir: &Path) -> (u64, usize) {
    let mut bytes = 0;
    let mut files = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(meta) = entry.metadata() {
                bytes += meta.len();
                files += 1;
            }
        }
    }
    (bytes, files)
}

pub fn print(rows: &[String]) {
    if rows.is_empty() {
        return;
    }
    println!();
    println!("| articles | search | index files (first page of results) | with the page, stylesheets and script | results shown | ranked, drawn after the last file |");
    println!("|---:|---|---:|---:|---:|---:|");
    for row in rows {
        println!("{row}");
    }
}
