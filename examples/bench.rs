//! Build benchmark on generated sites, handout beside Hugo, all measured
//! in one run: wall time, CPU and peak memory of each whole process.
//!
//! ```sh
//! cargo build --release --bins --examples && target/release/examples/bench 1000 10000
//! ```
//!
//! Corpora are made once by the generator in `tools/corpus` (8 locations,
//! 12 authors, seed 1) under `target/bench/` (`$CARGO_TARGET_DIR/bench/`).
//! Outputs go beside each site, on the disk of `target/`; with
//! `HANDOUT_BENCH_OUT=/dev/shm` (a tmpfs) they go there instead, so the
//! disk's speed is out of the figures. The first line says which.
//! Every row is the median of HANDOUT_BENCH_RUNS runs (default 5), after
//! one run of each that is not counted (it warms the caches);
//! `HANDOUT_BENCH_ONLY=build` runs only the first row (and generates only
//! its site), for large sizes. Rows:
//! - `build`: cold build into a fresh folder (pagination on, the default);
//! - `cp -r of the output`: copying what `build` wrote into a fresh folder,
//!   the disk's floor for writing those files; measured in turn with
//!   `build` (each round copies what the round's build has just written),
//!   as its ratio to it is a target;
//! - `build, no pagination`: the same site generated with `paginate: 0`,
//!   which writes the same pages as the Hugo site below;
//! - `rebuild, no change`: `build` again over its own output;
//! - `check`: `handout check` (renders each template once, writes
//!   nothing), measured in turn with `build`, as its ratio to it is a
//!   target;
//! - `build, 10% translated`: the same site with a tenth of its articles
//!   also in Spanish (`--translated 10`: `<slug>.es.md` and
//!   `languages: {es}`), against `build` for what a second language costs;
//! - `build, full-featured`: the 10% translated site with a 3000 x 2000
//!   photo in every tenth article (as `images_bench corpus` makes it),
//!   built with a warm picture cache of its own
//!   (`<target>/bench/picture-cache-N`, filled by a first, uncounted
//!   build), measured in turn with `cp -r` of its own output;
//! - `build, no search`: the same site with `search: false`, measured in
//!   turn with `build` (a run of one, then of the other), so that a slow
//!   stretch of the machine does not fall on one of them only (under the
//!   table: what search adds and what `check` takes, as the median of
//!   each round's own ratio, with every round's; what search adds also in
//!   CPU time, user and system, which a core taken away by the machine's
//!   other work moves less than the wall time; and the build's time over
//!   that of `cp -r` and of Hugo, the same way); then, per
//!   size, the search index on disk and the bytes a search transfers in
//!   Chromium for five fixed queries (`examples/search_bytes.mjs`, with
//!   node over `python3 -m http.server`; needs `npm ci` and Chromium);
//! - `build, 40,000-word vocabulary` and its `no search` twin, measured in
//!   turn: the same site with a third of the articles' nouns drawn from
//!   40,000 made-up words, most of them rare (`--vocabulary 40000`), as
//!   a real site's vocabulary runs to tens of thousands of words where
//!   the built-in lists give about a thousand (under the table: what
//!   search adds to it);
//! - `hugo`: Hugo on the equivalent site (`handout_corpus::to_hugo`: tags,
//!   conditions and treatments), when `hugo` is installed, measured in
//!   turn with `build`; without it the row is left out and the benchmark
//!   says so, on stderr and under the table.
//!
//! Every run starts after `sync`, so none pays for writing back the one
//! before it, and with its inputs just read (the site, the binary, the
//! picture and card cache; see `warm`): this machine's host drops clean
//! page cache within seconds, so a run would otherwise read its site from
//! the disk or not, by chance. Before each cold run the earlier output is
//! moved aside, not deleted;
//! everything moved aside is deleted when the benchmark ends. On ext4
//! without a journal (this machine's disk) a new inode skips, one by one,
//! every inode freed in the last minutes: building just after deleting the
//! previous output (27,000 files at 10k) took twice as long, for handout
//! and Hugo alike. See docs/performance.md.

#[path = "common/corpus.rs"]
mod corpus;
#[path = "common/photos.rs"]
mod photos;
#[path = "common/search.rs"]
mod search;

use corpus::{corpus, env_count, generated, handout_binary, target_dir};
use handout_corpus::{Corpus, Hugo};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One whole process: wall time, user and system CPU, peak RSS, the first
/// line of its stdout.
struct Measured {
    wall: Duration,
    user: Duration,
    system: Duration,
    peak_kib: i64,
    /// This process's own resident size when it spawned the run: a peak
    /// at or under it is this process's, not the run's.
    floor_kib: i64,
    /// Only the first line (the build's report): `handout check` prints
    /// about 10 MB of notes at 10k, and kept whole for each run they made
    /// this process 50 MiB by the end of the first rows.
    stdout: String,
}

/// The made-up words of the vocabulary rows (`--vocabulary` of
/// `tools/corpus`): about 39,000 distinct words at 10k, as a real site of
/// that size may have.
const VOCABULARY: usize = 40_000;

fn main() {
    let sizes = corpus::sizes();
    let runs = env_count("HANDOUT_BENCH_RUNS", 5);
    let handout = handout_binary();
    let hugo = Command::new("hugo")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    let no_hugo = "hugo is not installed: the Hugo row is LEFT OUT (apt-get install hugo)";
    if !hugo {
        eprintln!("\n*** {no_hugo} ***\n");
    }
    // `HANDOUT_BENCH_ONLY=build`: the `handout build` row alone, for sizes
    // (100,000 articles) where the other rows and their sites cost too much.
    let only_build = std::env::var("HANDOUT_BENCH_ONLY").is_ok_and(|v| v == "build");
    let outputs = Outputs::from_env();
    println!("{}\n", outputs.describe());
    println!(
        "| articles | what | pages | median wall | pages/s | user CPU | system CPU | peak memory, median (largest) |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|");
    let trash = outputs.place("trash");
    let mut search_rows = Vec::new();
    // Ratios of rows measured in turn, printed under the table.
    let mut notes: Vec<String> = Vec::new();
    for articles in sizes {
        let site = corpus(articles);
        let out = outputs.of(&site);
        let fresh = |dir: &Path| outputs.fresh(dir, &trash);
        // Before a handout run on `root`: its inputs read (see `warm`).
        let warm_site = |root: &Path| warm([root, handout.as_path()]);
        // Before a cold build of `root` with the picture and card cache
        // `cache` (whose cached files it copies into its output): its
        // inputs read, and its output out of the way.
        let cold_with = |root: &Path, cache: &Path| {
            fresh(&outputs.of(root));
            warm([root, handout.as_path(), cache]);
        };
        let cards = handout::images::cache_dir();
        let cold = |root: &Path| cold_with(root, &cards);
        let build = |root: &Path| {
            let mut c = Command::new(&handout);
            c.arg("build").arg("--root").arg(root);
            c.arg("--output").arg(outputs.of(root));
            c
        };
        if only_build {
            row(
                articles,
                "handout build",
                runs,
                || cold(&site),
                || build(&site),
            );
            continue;
        }
        // The same site with `search: false`: the difference is search's
        // cost. It and `check` are read as ratios to the build, so the
        // three are measured in turn.
        let unsearched = generated(
            &format!("corpus-{articles}-nosearch"),
            &Corpus::new(articles),
        );
        search::turn_off(&unsearched);
        let check = || {
            let mut c = Command::new(&handout);
            c.arg("check").arg("--root").arg(&site);
            c
        };
        // `cp -r` copies the output the round's build has just written.
        let copy = outputs.place(&format!("copy-of-output-{articles}"));
        let copy_output = || copy_command(&out, &copy);
        // Hugo's site and output, when it is installed.
        let hugo_run = hugo.then(|| {
            let hugo_site = hugo_site(&site, articles);
            let hugo_out = outputs.of(&hugo_site);
            (hugo_site, hugo_out)
        });
        let hugo_binary = on_path("hugo");
        let fresh_hugo = || {
            if let Some((site, out)) = &hugo_run {
                fresh(out);
                warm([site.as_path()].into_iter().chain(hugo_binary.as_deref()));
            }
        };
        let hugo_build = || {
            let mut c = Command::new("hugo");
            if let Some((site, out)) = &hugo_run {
                c.arg("--quiet").arg("-s").arg(site);
                c.arg("--destination").arg(out);
            }
            c
        };
        let (fresh_out, build_site) = (|| cold(&site), || build(&site));
        let fresh_unsearched = || cold(&unsearched);
        let build_unsearched = || build(&unsearched);
        let fresh_copy = || fresh(&copy);
        let before_check = || warm_site(&site);
        let mut rows: Vec<Row> = vec![
            ("handout build", &fresh_out, &build_site),
            (
                "handout build, no search",
                &fresh_unsearched,
                &build_unsearched,
            ),
            ("handout check", &before_check, &check),
            ("cp -r of the output", &fresh_copy, &copy_output),
        ];
        if hugo_run.is_some() {
            rows.push((
                "hugo (tags, conditions, treatments)",
                &fresh_hugo,
                &hugo_build,
            ));
        }
        let turn = in_turn(articles, runs, &rows);
        fresh(&copy);
        if let [built, unsearched, checked, copied, rest @ ..] = &turn[..] {
            notes.extend(search_adds(&articles.to_string(), built, unsearched));
            let (ratio, _) = paired(checked, built, |m| m.wall);
            notes.push(format!(
                "{articles}: `check` takes **{ratio:.2}** of a build, the median of each round's own ratio"
            ));
            notes.push(times_of(
                articles,
                "the build",
                "`cp -r` of its output",
                built,
                copied,
            ));
            if let [hugo_runs] = rest {
                notes.push(times_of(articles, "the build", "Hugo", built, hugo_runs));
            }
        }
        let unpaged = generated(
            &format!("corpus-{articles}-nopage"),
            &Corpus {
                paginate: Some(0),
                ..Corpus::new(articles)
            },
        );
        let translated = generated(
            &format!("corpus-{articles}-translated"),
            &Corpus {
                translated: 10,
                ..Corpus::new(articles)
            },
        );
        row(
            articles,
            "handout build, 10% translated (es)",
            runs,
            || cold(&translated),
            || build(&translated),
        );
        // A vocabulary as large as a real site's: search's work for each
        // distinct word (stemming, the word list, the counter's table) is
        // out of sight on the built-in lists' thousand words.
        let worded = Corpus {
            vocabulary: VOCABULARY,
            ..Corpus::new(articles)
        };
        let wordy = generated(&format!("corpus-{articles}-vocabulary"), &worded);
        let wordy_unsearched =
            generated(&format!("corpus-{articles}-vocabulary-nosearch"), &worded);
        search::turn_off(&wordy_unsearched);
        let turn = in_turn(
            articles,
            runs,
            &[
                (
                    "handout build, 40,000-word vocabulary",
                    &|| cold(&wordy),
                    &|| build(&wordy),
                ),
                (
                    "handout build, 40,000-word vocabulary, no search",
                    &|| cold(&wordy_unsearched),
                    &|| build(&wordy_unsearched),
                ),
            ],
        );
        let what = format!("{articles}, 40,000-word vocabulary");
        if let [built, unsearched] = &turn[..] {
            notes.extend(search_adds(&what, built, unsearched));
        }
        // Its last build's output is still there.
        search_rows.extend(search::rows(
            Path::new(env!("CARGO_MANIFEST_DIR")),
            &what,
            &outputs.of(&wordy),
        ));
        // Everything on at once: search, a tenth of the articles in
        // Spanish, a photo in every tenth article. The pictures have a
        // cache of their own under `<target>/bench/`, filled by a first
        // build that is not counted (a cold one at 10k encodes 1,000 photos
        // and draws every card: a quarter of an hour on 2 cores) and kept
        // for the next run of the benchmark.
        let full = photos::with_photos(&translated, &format!("corpus-{articles}-full"));
        let full_cache = target_dir()
            .join("bench")
            .join(format!("picture-cache-{articles}"));
        let full_out = outputs.of(&full);
        let full_build = || {
            let mut c = build(&full);
            c.env("HANDOUT_CACHE_DIR", &full_cache);
            c
        };
        let full_copy = outputs.place(&format!("copy-of-full-output-{articles}"));
        let copy_full = || copy_command(&full_out, &full_copy);
        // in_turn's first round, not counted, fills the cache.
        let turn = in_turn(
            articles,
            runs,
            &[
                (
                    "handout build, full-featured (search, 10% translated, photos, warm cache)",
                    &|| cold_with(&full, &full_cache),
                    &full_build,
                ),
                (
                    "cp -r of the full-featured output",
                    &|| fresh(&full_copy),
                    &copy_full,
                ),
            ],
        );
        fresh(&full_copy);
        if let [built, copied] = &turn[..] {
            let what = "the full-featured build";
            notes.push(times_of(
                articles,
                what,
                "`cp -r` of its output",
                built,
                copied,
            ));
        }
        // The output of the last `handout build` run is still there.
        search_rows.extend(search::rows(
            Path::new(env!("CARGO_MANIFEST_DIR")),
            &articles.to_string(),
            &out,
        ));
        row(
            articles,
            "handout build, no pagination",
            runs,
            || cold(&unpaged),
            || build(&unpaged),
        );
        row(
            articles,
            "handout rebuild, no change",
            runs,
            || warm_site(&site),
            || build(&site),
        );
    }
    let _ = std::fs::remove_dir_all(&trash);
    outputs.clean();
    if !hugo {
        println!("\n**{no_hugo}.**");
    }
    if !notes.is_empty() {
        println!();
    }
    for note in &notes {
        println!("- {note}");
    }
    search::print(&search_rows);
}

/// Where the benchmark's outputs go: beside each site (`public/`, on the
/// disk of `target/`), or under `HANDOUT_BENCH_OUT` (for example
/// `/dev/shm`, a tmpfs, so the disk's speed is out of the figures).
struct Outputs {
    root: Option<PathBuf>,
}

impl Outputs {
    fn from_env() -> Self {
        let root = std::env::var_os("HANDOUT_BENCH_OUT")
            .map(|dir| PathBuf::from(dir).join(format!("handout-bench-{}", std::process::id())));
        Outputs { root }
    }

    /// The output folder of the site at `site`.
    fn of(&self, site: &Path) -> PathBuf {
        match &self.root {
            Some(root) => root
                .join(site.file_name().unwrap_or_default())
                .join("public"),
            None => site.join("public"),
        }
    }

    /// A folder of the benchmark's own, on the outputs' file system.
    fn place(&self, name: &str) -> PathBuf {
        match &self.root {
            Some(root) => root.join(name),
            None => target_dir().join("bench").join(name),
        }
    }

    /// Makes way for a cold run into `dir`. On the disk the old output is
    /// set aside (see [`set_aside`]); on a tmpfs, where freeing costs
    /// nothing later and every file held is memory, it is deleted.
    fn fresh(&self, dir: &Path, trash: &Path) {
        if self.root.is_some() {
            let _ = std::fs::remove_dir_all(dir);
        } else {
            set_aside(dir, trash);
        }
    }

    fn describe(&self) -> String {
        let place = self.place("");
        let _ = std::fs::create_dir_all(&place);
        let kind = filesystem_of(&place);
        match &self.root {
            Some(root) => format!("Outputs on {kind} under {} (HANDOUT_BENCH_OUT).", root.display()),
            None => format!(
                "Outputs on {kind}, beside each site under {} (HANDOUT_BENCH_OUT=/dev/shm puts them on a tmpfs).",
                place.display()
            ),
        }
    }

    fn clean(&self) {
        if let Some(root) = &self.root {
            let _ = std::fs::remove_dir_all(root);
        }
    }
}

/// The type of the file system `path` is on (`tmpfs`, `ext4`...), from
/// the longest mount point in /proc/mounts that holds it.
fn filesystem_of(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split(' ');
            let (_, point, kind) = (fields.next()?, fields.next()?, fields.next()?);
            path.starts_with(point)
                .then(|| (point.len(), kind.to_string()))
        })
        .max_by_key(|(len, _)| *len)
        .map_or_else(|| "an unknown file system".to_string(), |(_, kind)| kind)
}

/// Moves `dir` (if there) into `trash`, so the next run writes into a
/// folder that does not exist without freeing inodes just before it.
fn set_aside(dir: &Path, trash: &Path) {
    static MOVED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    if !dir.exists() {
        return;
    }
    let _ = std::fs::create_dir_all(trash);
    let n = MOVED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let target = trash.join(format!("{}-{n}", std::process::id()));
    if std::fs::rename(dir, &target).is_err() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Runs `command` `runs` times (after `before` each time) and prints the
/// median row.
fn row(articles: usize, what: &str, runs: usize, before: impl Fn(), command: impl Fn() -> Command) {
    in_turn(articles, runs, &[(what, &before, &command)]);
}

/// The notes on what search adds to a build (`built` against its
/// `search: false` twin, measured in turn): of the wall time and of the
/// CPU time, each the median of the rounds' own ratios, with every round's.
fn search_adds(what: &str, built: &[Measured], unsearched: &[Measured]) -> Vec<String> {
    let rounds = |each: &[f64]| {
        each.iter()
            .map(|r| format!("{:+.0}%", (r - 1.0) * 100.0))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (wall, each_wall) = paired(built, unsearched, |m| m.wall);
    let (cpu, each_cpu) = paired(built, unsearched, |m| m.user + m.system);
    vec![
        format!(
            "{what}: search adds **{:+.1}%** of wall time, the median of each round's own ratio (a round runs the two builds back to back); the rounds: {}",
            (wall - 1.0) * 100.0,
            rounds(&each_wall)
        ),
        format!(
            "{what}: search adds {:+.1}% of CPU time (user and system), the median of each round's own ratio; the rounds: {}",
            (cpu - 1.0) * 100.0,
            rounds(&each_cpu)
        ),
    ]
}

/// The time (`time` of a run: its wall time, its CPU time) of each run of
/// `a` over that of the run of `b` in the same round, and the median of
/// those ratios: a slow stretch of the machine longer than a round moves
/// both runs of the round alike.
fn paired(a: &[Measured], b: &[Measured], time: impl Fn(&Measured) -> Duration) -> (f64, Vec<f64>) {
    let each: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(a, b)| time(a).as_secs_f64() / time(b).as_secs_f64().max(1e-9))
        .collect();
    let mut sorted = each.clone();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    // The middle one, or the mean of the middle two.
    let middle = sorted
        .get(n.saturating_sub(1) / 2..=n / 2)
        .unwrap_or_default();
    let median = middle.iter().sum::<f64>() / middle.len().max(1) as f64;
    (median, each)
}

/// A row to measure: what it is, what runs before each run, the command.
type Row<'a> = (&'a str, &'a dyn Fn(), &'a dyn Fn() -> Command);

/// Rows measured in turn, one run of each a round, so that a slow
/// stretch of this shared machine falls on each of them alike: for rows
/// that are read against each other (a build with and without search).
/// Returns every run of each row, in the order run.
fn in_turn(articles: usize, runs: usize, rows: &[Row]) -> Vec<Vec<Measured>> {
    let mut all: Vec<Vec<Measured>> = rows.iter().map(|_| Vec::new()).collect();
    // A round first that is not counted: the first run after a site is
    // generated, or after another size's runs, may read its sources and
    // picture cache from the disk. Counted, such a round read as "-83%"
    // for what search adds at 10k, and moved that median.
    for (_, before, command) in rows {
        before();
        measure(command());
    }
    for _ in 0..runs.max(1) {
        for ((_, before, command), measured) in rows.iter().zip(&mut all) {
            before();
            // The last run's writes are flushed first, so no run pays for
            // the one before it.
            // SAFETY: sync takes no arguments and cannot fail.
            unsafe { libc::sync() };
            measured.push(measure(command()));
        }
    }
    for ((what, _, _), measured) in rows.iter().zip(&all) {
        print_row(articles, what, measured);
    }
    all
}

/// Prints a row: the median run's times, and the median and largest peak
/// (a run's peak varies by tens of MiB from run to run, the median is what
/// a target is held to).
fn print_row(articles: usize, what: &str, all: &[Measured]) {
    let mut peaks: Vec<i64> = all.iter().map(|m| m.peak_kib).collect();
    peaks.sort_unstable();
    let median_peak = peaks.get(peaks.len() / 2).copied().unwrap_or(0);
    let peak = peaks.last().copied().unwrap_or(0);
    // A peak within a MiB of this process's own size is that size.
    let floor = all.iter().map(|m| m.floor_kib).max().unwrap_or(0);
    let unknown = median_peak <= floor + 1024;
    if unknown {
        eprintln!(
            "{what}: peak memory not known: the runs' peaks are this benchmark's own {} MiB",
            floor / 1024
        );
    }
    let mut all: Vec<&Measured> = all.iter().collect();
    all.sort_by_key(|m| m.wall);
    let Some(m) = all.get(all.len() / 2) else {
        return;
    };
    let pages = m
        .stdout
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse::<usize>().ok());
    let per_second = pages.map_or_else(String::new, |n| {
        format!("{:.0}", n as f64 / m.wall.as_secs_f64())
    });
    let pages = pages.map_or_else(String::new, |n| n.to_string());
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    let peaks = if unknown {
        format!(
            "under {:.0} MiB (the benchmark's own)",
            floor as f64 / 1024.0
        )
    } else {
        format!(
            "{:.0} MiB ({:.0})",
            median_peak as f64 / 1024.0,
            peak as f64 / 1024.0
        )
    };
    println!(
        "| {articles} | {what} | {pages} | {} | {per_second} | {} | {} | {peaks} |",
        ms(m.wall),
        ms(m.user),
        ms(m.system),
    );
}

/// Reads every file under `paths` of at most [`WARM_LIMIT`] bytes, so
/// that the run after finds them in the page cache. This machine's host
/// drops clean page cache within seconds: reading the 10k corpus took
/// 0.2 s just after reading it, and 1.5 to 3.3 s after 15 to 30 s idle.
/// Without this, a run's time depended on how long ago its files were
/// last read (a Hugo run in between is 8 s), not on its own work.
fn warm<'a>(paths: impl IntoIterator<Item = &'a Path>) {
    let mut buffer = vec![0u8; 1 << 16];
    let mut stack: Vec<PathBuf> = paths.into_iter().map(Path::to_path_buf).collect();
    while let Some(path) = stack.pop() {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            let entries = std::fs::read_dir(&path).into_iter().flatten().flatten();
            stack.extend(entries.map(|e| e.path()));
        } else if meta.is_file() && meta.len() <= WARM_LIMIT {
            if let Ok(mut file) = std::fs::File::open(&path) {
                use std::io::Read;
                while file.read(&mut buffer).is_ok_and(|n| n > 0) {}
            }
        }
    }
}

/// The largest file [`warm`] reads: bigger than any page, binary or
/// cached picture, smaller than the full-featured site's source photos
/// (3000 x 2000, which a build with a warm picture cache never reads).
const WARM_LIMIT: u64 = 2 << 20;

/// Where `name` is on the `PATH`.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// `cp -r from to`.
fn copy_command(from: &Path, to: &Path) -> Command {
    let mut c = Command::new("cp");
    c.arg("-r").arg(from).arg(to);
    c
}

/// The note under the table for `what` (the runs `a`) against `against`
/// (`b`, measured in the same rounds): the median of each round's own
/// ratio of wall times, with every round's.
fn times_of(articles: usize, what: &str, against: &str, a: &[Measured], b: &[Measured]) -> String {
    let (ratio, each) = paired(a, b, |m| m.wall);
    let each: Vec<String> = each.iter().map(|r| format!("{r:.3}")).collect();
    format!(
        "{articles}: {what} takes **{ratio:.3}** of the time of {against}, the median of each round's own ratio; the rounds: {}",
        each.join(", ")
    )
}

/// The equivalent Hugo site, made once by `to_hugo`.
fn hugo_site(site: &Path, articles: usize) -> PathBuf {
    let dir = target_dir().join(format!("bench/hugo-{articles}"));
    if !dir.join("config.toml").is_file() {
        let options = Hugo {
            taxonomies: ["tags", "conditions", "treatments"]
                .map(String::from)
                .to_vec(),
            force: true,
        };
        if let Err(e) = handout_corpus::to_hugo(site, &dir, &options) {
            eprintln!("could not make the Hugo site {}: {e}", dir.display());
            std::process::exit(2);
        }
    }
    dir
}

/// Sets this process's peak resident size back to its current size.
/// A child's `ru_maxrss` starts from the size of the process that spawned
/// it, at its highest so far (Linux records the old memory's high-water
/// mark when the child execs): after the generator made a big site in
/// this process, `cp -r` of the 10k output "peaked" at 193 MiB. Writing `5`
/// to `clear_refs` resets the mark; where that cannot be done, figures
/// below this process's own peak are not the child's.
fn forget_own_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// This process's resident size now, in KiB (`VmRSS`), if known.
fn own_resident_kib() -> Option<i64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs a command to the end; its own rusage from wait4.
// The child is reaped by wait4 below, which std cannot see.
#[allow(clippy::zombie_processes)]
fn measure(mut command: Command) -> Measured {
    use std::io::Read;
    forget_own_peak();
    let floor_kib = own_resident_kib().unwrap_or(0);
    let started = Instant::now();
    // What it says on stderr, read only if it fails.
    let errors = std::env::temp_dir().join(format!("handout-bench-stderr-{}", std::process::id()));
    let errors_file = std::fs::File::create(&errors)
        .unwrap_or_else(|e| panic!("create {}: {e}", errors.display()));
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(errors_file)
        .spawn()
        .unwrap_or_else(|e| panic!("run {command:?}: {e}"));
    let mut stdout = String::new();
    if let Some(mut pipe) = child.stdout.take() {
        let _ = pipe.read_to_string(&mut stdout);
    }
    stdout.truncate(stdout.find('\n').unwrap_or(stdout.len()));
    stdout.shrink_to_fit();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills in; pid is our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    // A failed run is not a time: its figure would be a few milliseconds.
    let succeeded = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    let said = (!succeeded).then(|| std::fs::read_to_string(&errors).unwrap_or_default());
    let _ = std::fs::remove_file(&errors);
    if let Some(said) = said {
        panic!("{command:?} failed ({status:#x}):\n{said}");
    }
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    Measured {
        wall,
        user: time(usage.ru_utime),
        system: time(usage.ru_stime),
        peak_kib: usage.ru_maxrss,
        floor_kib,
        stdout,
    }
}
