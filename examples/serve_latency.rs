//! Edit-to-reload latency of `handout serve` on generated sites: the time
//! from writing an article to receiving `event: reload` on the Server-Sent
//! Events stream, so the watcher's debounce and the rebuild are included.
//!
//! ```sh
//! cargo build --release --bins --examples
//! cargo run --release --example serve_latency -- 1000 10000
//! ```
//!
//! The binary is `target/release/handout` (beside this benchmark, so
//! `CARGO_TARGET_DIR` is followed), or the one env `HANDOUT_BIN`
//! names. Sizes are article counts (default 1000 and 10000). The corpora are the
//! ones `examples/bench.rs` makes under `target/bench/corpus-N` (made here
//! if missing, by the same `tools/corpus` generator); each is copied into a
//! temporary folder first, because this benchmark edits it. Per size:
//!
//! * body edits (env `HANDOUT_EDITS`, default 200): a sentence appended to
//!   the body of one article, a different article each time (drafts, which
//!   `serve` leaves out without `--drafts`, are not edited);
//! * title edits (env `HANDOUT_TITLE_EDITS`, default 5): the `title:` line
//!   changed, which changes every list the article is on;
//! * and `HANDOUT_KIND_EDITS` (default 10) of each other kind of edit: a
//!   tag added to an article's `tags:` (one another article has) and then
//!   removed again, its `date:` a year earlier, another `author:`, another
//!   `reviewed_by:`, a clinic's `phone:`, a new article (a copy of one
//!   under a new name and title) and then deleted again, and a line added
//!   to the `location.html` template (the site gets a copy of the default
//!   theme in `themes/default/` for it); env `HANDOUT_KINDS` picks some
//!   of them by words of their names (`author,clinic,template`);
//!
//! and at the largest size a soak of `HANDOUT_SOAK_EDITS` body edits
//! (default 1000) with the server's resident memory (VmRSS) before it and
//! after each quarter of it.
//!
//! Each row gives the time to the reload and, beside it, the time until
//! every file the edit changed is written: an edit that renders many files
//! renders the saved page (and pages open in a browser) first and reloads,
//! then renders the rest, which the server holds requests for until they
//! are written. Edits follow each other at once unless `HANDOUT_PAUSE_MS`
//! asks for a pause after each.
//!
//! With `HANDOUT_BENCH_OUT=/dev/shm` (a tmpfs) the site's copy and the
//! server's cache folder, where its preview is written, go there instead
//! of the disk, as the build benchmark's outputs do; the first line says
//! which. On this project's disk (ext4 without a journal) every new inode
//! skips the inodes freed in the last minutes, and each preview write
//! frees one, so an edit that writes thousands of files takes several
//! times as long there as on a tmpfs.

#[path = "common/corpus.rs"]
mod corpus;

use corpus::{corpus, env_count, handout_binary};
use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// Longest wait for one reload (a title edit re-rendered every page, and
/// took minutes at 10,000 articles when this was written).
const REBUILD_TIMEOUT: Duration = Duration::from_secs(600);
/// Longest wait for the server to build the site and print its URL (at
/// 10,000 articles on a cold cache it draws 10,000 share cards).
const START_TIMEOUT: Duration = Duration::from_secs(1200);
/// After a reload, this long without events means the change is done.
const SETTLE: Duration = Duration::from_millis(50);
/// From Ctrl-C to exit.
const STOP_TIMEOUT: Duration = Duration::from_secs(60);

fn main() {
    let sizes = corpus::sizes();
    let edits = env_count("HANDOUT_EDITS", 200);
    let title_edits = env_count("HANDOUT_TITLE_EDITS", 5);
    let kind_edits = env_count("HANDOUT_KIND_EDITS", 10);
    let soak_edits = env_count("HANDOUT_SOAK_EDITS", 1000);
    let handout = handout_binary();
    let largest = sizes.iter().copied().max().unwrap_or(0);

    match bench_out() {
        Some(dir) => println!(
            "Site copies and previews under {} (HANDOUT_BENCH_OUT).",
            dir.display()
        ),
        None => println!(
            "Site copies in the temporary folder, previews under {} (HANDOUT_BENCH_OUT=/dev/shm puts both on a tmpfs).",
            cache_home().display()
        ),
    }
    println!();
    println!("| articles | edit | edits | p50 | p95 | max | all written p50 | p95 | rebuild p50 (server) | stray events |");
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut memory_rows = Vec::new();
    for articles in sizes {
        let site = copy_site(&corpus(articles));
        let template = copy_theme(site.path());
        let mut server = Server::start(&handout, site.path());
        let mut editor = Editor::new(site.path(), template);
        let mut events = server.events();
        let (rss_start, _) = server.rss_kib();

        let body = measure(&mut server, &mut events, edits, || editor.append_sentence());
        print_row(articles, "body", &body);
        let title = measure(&mut server, &mut events, title_edits, || {
            editor.change_title()
        });
        print_row(articles, "title", &title);
        let kinds: [(&str, EditFn); 9] = [
            ("tag added", Editor::add_tag),
            ("tag removed", Editor::remove_tag),
            ("date", Editor::change_date),
            ("author", Editor::change_author),
            ("reviewer", Editor::change_reviewer),
            ("clinic phone", Editor::change_phone),
            ("new article", Editor::new_article),
            ("deleted article", Editor::delete_article),
            ("template (location.html)", Editor::change_template),
        ];
        for (name, edit) in kinds {
            if !chosen(name) {
                continue;
            }
            let series = measure(&mut server, &mut events, kind_edits, || edit(&mut editor));
            print_row(articles, name, &series);
        }

        if articles == largest && soak_edits > 0 {
            let (before, _) = server.rss_kib();
            let (series, samples) = soak(&mut server, &mut events, &mut editor, soak_edits);
            print_row(articles, "body (soak)", &series);
            let (_, peak) = server.rss_kib();
            let samples: Vec<String> = samples.into_iter().map(mib).collect();
            memory_rows.push(format!(
                "| {articles} | {} | {} | {soak_edits} | {} | {} |",
                mib(rss_start),
                mib(before),
                samples.join(" | "),
                mib(peak)
            ));
        }
        drop(events);
        server.stop();
    }
    if !memory_rows.is_empty() {
        println!();
        println!(
            "| articles | RSS after start | RSS before soak | soak edits | RSS after 1/4 | 2/4 | 3/4 | all | peak RSS |"
        );
        println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for row in memory_rows {
            println!("{row}");
        }
    }
}

/// Whether the kind of edit `name` is to be measured: env `HANDOUT_KINDS`,
/// a comma-separated list of words of the kinds' names (`tag` is both tag
/// kinds, `article` the new and the deleted article), else every kind.
fn chosen(name: &str) -> bool {
    match std::env::var("HANDOUT_KINDS") {
        Ok(words) if !words.trim().is_empty() => words
            .split(',')
            .map(str::trim)
            .any(|word| !word.is_empty() && name.contains(word)),
        _ => true,
    }
}

/// How long to wait after each edit's events before the next edit (env
/// `HANDOUT_PAUSE_MS`, default 0: edits back to back, so an edit may also
/// wait for the work the server does after the last one's reload).
fn pause() -> Duration {
    let ms = std::env::var("HANDOUT_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Duration::from_millis(ms)
}

/// Where copies of the sites and the server's cache go instead of the
/// disk (env `HANDOUT_BENCH_OUT`, for example `/dev/shm`).
fn bench_out() -> Option<PathBuf> {
    std::env::var_os("HANDOUT_BENCH_OUT").map(PathBuf::from)
}

/// The server's cache folder. Not ~/.cache: one kept between runs, so
/// share cards are drawn once (the preview folder a run adds to it is
/// removed when the run's server stops).
fn cache_home() -> PathBuf {
    match bench_out() {
        Some(out) => out.join("handout-serve-cache"),
        None => corpus::target_dir().join("bench/serve-cache"),
    }
}

fn mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

/// One kind of edit: writes it and returns the path written.
type EditFn = fn(&mut Editor) -> PathBuf;

/// What one series of edits measured.
#[derive(Default)]
struct Series {
    latencies: Vec<Duration>,
    /// From the write to the server's line saying every file is written
    /// (after the reload, when it rendered the saved page first).
    written: Vec<Duration>,
    /// The rebuild times the server printed, in ms.
    rebuilds: Vec<u64>,
    /// Events beyond the one reload per edit (a second rebuild, an error).
    stray: usize,
}

/// Runs `count` edits one after another, each timed from the write to its
/// reload event.
fn measure(
    server: &mut Server,
    events: &mut Events,
    count: usize,
    mut edit: impl FnMut() -> PathBuf,
) -> Series {
    let mut series = Series::default();
    for i in 0..count {
        let written = Instant::now();
        let path = edit();
        let deadline = written + REBUILD_TIMEOUT;
        let reloaded = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match events.next(left) {
                Some((name, at)) if name == "reload" => break at,
                Some((name, _)) => {
                    eprintln!("unexpected `{name}` event:\n{}", server.output());
                    series.stray += 1;
                }
                None => panic!(
                    "edit {i} of {}: no reload within {REBUILD_TIMEOUT:?}\n{}",
                    path.display(),
                    server.output()
                ),
            }
        };
        series.latencies.push(reloaded.duration_since(written));
        let (printed, done) = server.rebuild_done().unwrap_or_else(|| {
            panic!(
                "edit {i} of {}: the server printed no rebuild\n{}",
                path.display(),
                server.output()
            )
        });
        series.rebuilds.push(printed);
        series
            .written
            .push(done.max(reloaded).duration_since(written));
        // A second rebuild of the same write would answer the next edit.
        while events.next(SETTLE).is_some() {
            series.stray += 1;
        }
        // A person pauses between saves; the server uses the pause for
        // the work that makes the next edit fast.
        std::thread::sleep(pause());
        series.rebuilds.extend(server.rebuild_times());
    }
    series
}

/// `edits` body edits in four parts, with the server's RSS (KiB) after each.
fn soak(
    server: &mut Server,
    events: &mut Events,
    editor: &mut Editor,
    edits: usize,
) -> (Series, Vec<u64>) {
    let mut all = Series::default();
    let mut samples = Vec::new();
    for part in 0..4 {
        let count = edits * (part + 1) / 4 - edits * part / 4;
        let series = measure(server, events, count, || editor.append_sentence());
        all.latencies.extend(series.latencies);
        all.written.extend(series.written);
        all.rebuilds.extend(series.rebuilds);
        all.stray += series.stray;
        samples.push(server.rss_kib().0);
    }
    (all, samples)
}

fn print_row(articles: usize, what: &str, series: &Series) {
    if series.latencies.is_empty() {
        return;
    }
    let mut sorted = series.latencies.clone();
    sorted.sort();
    let mut written = series.written.clone();
    written.sort();
    let mut rebuilds = series.rebuilds.clone();
    rebuilds.sort();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!(
        "| {articles} | {what} | {} | {} | {} | {} | {} | {} | {} ms | {} |",
        sorted.len(),
        ms(percentile(&sorted, 50)),
        ms(percentile(&sorted, 95)),
        ms(sorted.last().copied().unwrap_or_default()),
        ms(percentile(&written, 50)),
        ms(percentile(&written, 95)),
        percentile(&rebuilds, 50),
        series.stray
    );
}

/// The nearest-rank percentile of sorted values.
fn percentile<T: Copy + Default>(sorted: &[T], p: usize) -> T {
    if sorted.is_empty() {
        return T::default();
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

// ---------------------------------------------------------------------------
// The site

/// A temporary copy of a corpus's sources (not its `public/`).
fn copy_site(corpus: &Path) -> tempfile::TempDir {
    let mut builder = tempfile::Builder::new();
    builder.prefix("handout-latency-");
    let dir = match bench_out() {
        Some(out) => builder.tempdir_in(out),
        None => builder.tempdir(),
    }
    .expect("temp dir");
    for entry in walkdir::WalkDir::new(corpus)
        .into_iter()
        .filter_entry(|e| e.depth() != 1 || e.file_name() != "public")
    {
        let entry = entry.expect("walk the corpus");
        let rel = entry.path().strip_prefix(corpus).expect("prefix");
        let target = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    dir
}

/// Makes the edits, cycling through the published articles.
struct Editor {
    articles: Vec<PathBuf>,
    next: usize,
    count: usize,
    /// Author slugs, and the clinics' files.
    authors: Vec<String>,
    locations: Vec<PathBuf>,
    /// `location.html`'s path and first text.
    template: (PathBuf, String),
    /// Lines `add_tag` replaced, to put back; articles `new_article` wrote.
    undo: Vec<(PathBuf, String)>,
    created: Vec<PathBuf>,
    /// In every title this run writes: a title new to the server's cache
    /// has its share card drawn, as a writer's new title does.
    run: String,
}

impl Editor {
    fn new(site: &Path, template: (PathBuf, String)) -> Editor {
        let articles: Vec<PathBuf> = markdown_files(&site.join("content/articles"))
            .into_iter()
            .filter(|p| !is_draft(p))
            .collect();
        assert!(!articles.is_empty(), "no articles in {}", site.display());
        let authors = markdown_files(&site.join("content/authors"))
            .iter()
            .filter_map(|p| Some(p.file_stem()?.to_string_lossy().into_owned()))
            .filter(|s| s != "_index")
            .collect();
        let locations = markdown_files(&site.join("content/locations"))
            .into_iter()
            .filter(|p| p.file_stem().is_some_and(|s| s != "_index"))
            .collect();
        Editor {
            articles,
            next: 0,
            count: 0,
            authors,
            locations,
            template,
            undo: Vec::new(),
            created: Vec::new(),
            run: format!(
                "{:x}",
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_micros())
            ),
        }
    }

    /// The next article; a stride through the list spreads edits over it.
    fn pick(&mut self) -> PathBuf {
        self.count += 1;
        self.next = (self.next + 7919) % self.articles.len();
        self.articles[self.next].clone()
    }

    /// One `write` that appends a paragraph to the body, as a save would.
    fn append_sentence(&mut self) -> PathBuf {
        let path = self.pick();
        let sentence = format!(
            "\nEdit {}: walk a little every day, then rest.\n",
            self.count
        );
        let mut file = OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("open article");
        file.write_all(sentence.as_bytes()).expect("append");
        path
    }

    /// Rewrites the `title:` line of the front matter.
    fn change_title(&mut self) -> PathBuf {
        let path = self.pick();
        let text = std::fs::read_to_string(&path).expect("read article");
        let (count, run) = (self.count, &self.run);
        let edited: Vec<String> = text
            .lines()
            .map(|line| {
                if line.starts_with("title: ") {
                    format!("title: \"Edited title {run} number {count}\"")
                } else {
                    line.to_string()
                }
            })
            .collect();
        std::fs::write(&path, edited.join("\n") + "\n").expect("write article");
        path
    }

    /// Rewrites the first line of `path` starting with `key` as `edit`
    /// makes it (from the line's value); returns the old line.
    fn rewrite(path: &Path, key: &str, edit: impl FnOnce(&str) -> String) -> String {
        let text = std::fs::read_to_string(path).expect("read");
        let mut old = None;
        let mut edit = Some(edit);
        let edited: Vec<String> = text
            .lines()
            .map(|line| match (line.strip_prefix(key), old.is_none()) {
                (Some(value), true) => {
                    old = Some(line.to_string());
                    let edit = edit.take().expect("one edit");
                    format!("{key}{}", edit(value))
                }
                _ => line.to_string(),
            })
            .collect();
        let old = old.unwrap_or_else(|| panic!("no `{key}` in {}", path.display()));
        std::fs::write(path, edited.join("\n") + "\n").expect("write");
        old
    }

    /// The next article with a `key` line (all have `tags:`, `date:` and
    /// `author:`; half have `reviewed_by:`).
    fn pick_with(&mut self, key: &str) -> PathBuf {
        loop {
            let path = self.pick();
            let text = std::fs::read_to_string(&path).expect("read article");
            if text.lines().any(|l| l.starts_with(key)) {
                return path;
            }
        }
    }

    /// The value of the `key` line of `path`.
    fn value(path: &Path, key: &str) -> String {
        std::fs::read_to_string(path)
            .expect("read")
            .lines()
            .find_map(|l| l.strip_prefix(key).map(str::to_string))
            .unwrap_or_default()
    }

    /// Adds to an article's `tags: [...]` a tag the article before it in
    /// the stride has and it lacks; `remove_tag` undoes it.
    fn add_tag(&mut self) -> PathBuf {
        let donor = self.pick();
        let donor_tags = Self::value(&donor, "tags: ");
        let path = self.pick();
        let tags = Self::value(&path, "tags: ");
        let items = |list: &str| -> Vec<String> {
            list.trim_start_matches('[')
                .trim_end_matches(']')
                .split(", ")
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect()
        };
        let have = items(&tags);
        let extra = items(&donor_tags)
            .into_iter()
            .find(|t| !have.contains(t))
            .unwrap_or_else(|| "\"bench tag\"".to_string());
        let old = Self::rewrite(&path, "tags: ", |_| {
            let mut all = have.clone();
            all.push(extra);
            format!("[{}]", all.join(", "))
        });
        self.undo.push((path.clone(), old));
        path
    }

    /// Puts back the line the last `add_tag` changed.
    fn remove_tag(&mut self) -> PathBuf {
        let (path, old) = self.undo.pop().expect("a tag added before");
        let text = std::fs::read_to_string(&path).expect("read");
        let edited: Vec<&str> = text
            .lines()
            .map(|l| if l.starts_with("tags: ") { &old } else { l })
            .collect();
        std::fs::write(&path, edited.join("\n") + "\n").expect("write");
        path
    }

    /// Moves an article's `date:` a year earlier (its `updated` and
    /// `last_reviewed` stay after it), which moves it in every list.
    fn change_date(&mut self) -> PathBuf {
        let path = self.pick();
        Self::rewrite(&path, "date: ", |date| {
            let (year, rest) = date.split_once('-').expect("a YYYY-MM-DD date");
            let year: i32 = year.parse().expect("a year");
            format!("{}-{rest}", year - 1)
        });
        path
    }

    /// The author after `current` in the list of authors, skipping `not`.
    fn other_author(&self, current: &str, not: &str) -> String {
        let at = self.authors.iter().position(|a| a == current).unwrap_or(0);
        (1..=self.authors.len())
            .map(|k| &self.authors[(at + k) % self.authors.len()])
            .find(|a| a.as_str() != current && a.as_str() != not)
            .expect("three authors or more")
            .clone()
    }

    /// Gives an article another `author:` (not its reviewer).
    fn change_author(&mut self) -> PathBuf {
        let path = self.pick();
        let reviewer = Self::value(&path, "reviewed_by: ");
        let current = Self::value(&path, "author: ");
        let next = self.other_author(&current, &reviewer);
        Self::rewrite(&path, "author: ", |_| next);
        path
    }

    /// Gives a reviewed article another `reviewed_by:` (not its author).
    fn change_reviewer(&mut self) -> PathBuf {
        let path = self.pick_with("reviewed_by: ");
        let author = Self::value(&path, "author: ");
        let current = Self::value(&path, "reviewed_by: ");
        let next = self.other_author(&current, &author);
        Self::rewrite(&path, "reviewed_by: ", |_| next);
        path
    }

    /// Changes a clinic's phone number: `555-01NN` to `555-02NN` and back.
    fn change_phone(&mut self) -> PathBuf {
        self.count += 1;
        let path = self.locations[self.count % self.locations.len()].clone();
        Self::rewrite(&path, "phone: ", |phone| {
            if phone.contains("555-01") {
                phone.replace("555-01", "555-02")
            } else {
                phone.replace("555-02", "555-01")
            }
        });
        path
    }

    /// A new article: a copy of a published one under a new file name and
    /// title, written in one go; `delete_article` removes it.
    fn new_article(&mut self) -> PathBuf {
        let source = self.pick();
        let (count, run) = (self.count, &self.run);
        let text = std::fs::read_to_string(&source).expect("read article");
        let text: Vec<String> = text
            .lines()
            .map(|l| match l.starts_with("title: ") {
                true => format!("title: \"New article {run} number {count}\""),
                false => l.to_string(),
            })
            .collect();
        let path = source.with_file_name(format!("bench-new-{count}.md"));
        std::fs::write(&path, text.join("\n") + "\n").expect("write article");
        self.created.push(path.clone());
        path
    }

    /// Deletes the article the last `new_article` wrote.
    fn delete_article(&mut self) -> PathBuf {
        let path = self.created.pop().expect("an article written before");
        std::fs::remove_file(&path).expect("delete article");
        path
    }

    /// Writes `location.html` with a numbered comment at its top.
    fn change_template(&mut self) -> PathBuf {
        self.count += 1;
        let (path, original) = &self.template;
        let edited = original.replacen(
            "{% block content %}\n",
            &format!("{{% block content %}}\n<!-- edit {} -->\n", self.count),
            1,
        );
        assert_ne!(&edited, original, "no content block in location.html");
        std::fs::write(path, edited).expect("write template");
        path.clone()
    }
}

/// Copies handout's default theme into the site, so a template can be
/// edited; returns `location.html`'s path and text.
fn copy_theme(site: &Path) -> (PathBuf, String) {
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let into = site.join("themes/default");
    for entry in walkdir::WalkDir::new(&theme) {
        let entry = entry.expect("walk the theme");
        let target = into.join(entry.path().strip_prefix(&theme).expect("prefix"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    let path = into.join("templates/location.html");
    let text = std::fs::read_to_string(&path).expect("location.html");
    (path, text)
}

/// The Markdown files of `dir`, sorted.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    files
}

fn is_draft(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| text.lines().any(|l| l == "draft: true"))
}

// ---------------------------------------------------------------------------
// The server

/// `handout serve --port 0` on a site; Ctrl-C, then kill, when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    lines: Receiver<(String, Instant)>,
    stderr: Receiver<(String, Instant)>,
    /// What the cache folder held before this server started: the preview
    /// it adds is removed when it stops.
    cached_before: Vec<PathBuf>,
}

impl Server {
    fn start(handout: &Path, site: &Path) -> Server {
        let started = Instant::now();
        let cached_before = previews();
        let mut child = Command::new(handout)
            .args(["serve", "--port", "0", "--root"])
            .arg(site)
            .env("XDG_CACHE_HOME", cache_home())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("run {}: {e}", handout.display()));
        let lines = line_channel(child.stdout.take().expect("stdout"));
        let stderr = line_channel(child.stderr.take().expect("stderr"));
        let mut server = Server {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            lines,
            stderr,
            cached_before,
        };
        let url = loop {
            let left = START_TIMEOUT.saturating_sub(started.elapsed());
            match server.lines.recv_timeout(left) {
                Ok((line, _)) => match line.strip_prefix("Serving at ") {
                    Some(rest) => break rest.split_whitespace().next().unwrap_or("").to_string(),
                    None => eprintln!("{line}"),
                },
                Err(_) => panic!("serve printed no URL\n{}", server.output()),
            }
        };
        server.addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|_| panic!("not a local URL: {url}"));
        eprintln!(
            "serving {} at {url} after {:?}",
            site.display(),
            started.elapsed()
        );
        server
    }

    fn events(&self) -> Events {
        Events::connect(self.addr)
    }

    /// The `ms` of every `... in N ms` line printed since the last call.
    fn rebuild_times(&mut self) -> Vec<u64> {
        self.lines
            .try_iter()
            .filter_map(|(line, _)| printed_ms(&line))
            .collect()
    }

    /// Waits for the server's line about one rebuild: the time it printed,
    /// and when its last file was written. A save that renders many files
    /// renders the saved page first and says more follow; their line comes
    /// after the reload.
    fn rebuild_done(&mut self) -> Option<(u64, Instant)> {
        let deadline = Instant::now() + REBUILD_TIMEOUT;
        let mut first = None;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let (line, at) = self.lines.recv_timeout(left).ok()?;
            if line.contains(" after the reload in ") {
                return first.map(|ms| (ms, at));
            }
            let Some(ms) = printed_ms(&line) else {
                continue;
            };
            if !line.contains(" after the reload)") {
                return Some((ms, at));
            }
            first = Some(ms);
        }
    }

    /// What the server printed and nobody read yet.
    fn output(&self) -> String {
        let out: Vec<String> = self.lines.try_iter().map(|(line, _)| line).collect();
        let err: Vec<String> = self.stderr.try_iter().map(|(line, _)| line).collect();
        format!("stdout:\n{}\nstderr:\n{}", out.join("\n"), err.join("\n"))
    }

    /// Resident and peak resident memory, in KiB.
    fn rss_kib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// Ctrl-C; a kill if it has not stopped within `STOP_TIMEOUT`.
    fn stop(&mut self) {
        self.stop_server();
        // serve keeps a site's preview for its next start; every run here
        // serves a new copy of the site, so each would leave one behind
        // (460 MB at 10k).
        for path in previews() {
            if !self.cached_before.contains(&path) {
                let _ = std::fs::remove_dir_all(&path);
                let _ = std::fs::remove_file(&path);
            }
        }
    }

    fn stop_server(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        if let Ok(pid) = libc::pid_t::try_from(self.child.id()) {
            // SAFETY: kill has no memory effects; pid is our unreaped child.
            unsafe { libc::kill(pid, libc::SIGINT) };
        }
        let deadline = Instant::now() + STOP_TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        eprintln!("serve did not stop on Ctrl-C; killing it");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The preview folders (and their locks) in the server's cache folder.
fn previews() -> Vec<PathBuf> {
    std::fs::read_dir(cache_home().join("handout"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with("preview-"))
        })
        .collect()
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The `N` of a rebuild's line, `... in N ms` (and what may follow).
fn printed_ms(line: &str) -> Option<u64> {
    let (_, tail) = line.rsplit_once(" in ")?;
    tail.split_whitespace().next()?.parse().ok()
}

/// Each line of `pipe` and when it came, read on a thread.
fn line_channel(pipe: impl Read + Send + 'static) -> Receiver<(String, Instant)> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if tx.send((line, Instant::now())).is_err() {
                return;
            }
        }
    });
    rx
}

/// The `/__handout/events` stream: each event's name and when it arrived,
/// stamped on the reading thread. Only `event:` lines matter here, so the
/// chunked framing around them is simply skipped.
struct Events {
    events: Receiver<(String, Instant)>,
    stream: TcpStream,
}

impl Events {
    fn connect(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect to serve");
        write!(
            stream,
            "GET /__handout/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send request");
        let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
        let mut status = String::new();
        reader.read_line(&mut status).expect("status line");
        assert!(status.contains(" 200 "), "events answered {status:?}");
        // Subscribed once the headers are sent.
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 0) && !line.trim().is_empty() {
            line.clear();
        }
        let (tx, events) = mpsc::channel();
        std::thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                if let Some(name) = line.strip_prefix("event:") {
                    if tx.send((name.trim().to_string(), Instant::now())).is_err() {
                        return;
                    }
                }
            }
        });
        Events { events, stream }
    }

    fn next(&mut self, timeout: Duration) -> Option<(String, Instant)> {
        self.events.recv_timeout(timeout).ok()
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}
