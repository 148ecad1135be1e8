//! The command line: definitions (clap) and printing. Behaviour lives in the
//! stages; this file only parses, calls and reports.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::{BuildOptions, BuildReport, Errors};

/// The version and the commit it was built from (see build.rs).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("HANDOUT_BUILD"), ")");

#[derive(Debug, Parser)]
#[command(
    name = "handout",
    version = VERSION,
    about = "A static site generator for patient-education websites"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site with the default theme and one example of each kind of page.
    Init {
        /// The folder to create (must be empty or missing).
        dir: PathBuf,
    },
    /// Create a new content file with its front matter filled in.
    New {
        /// What to create: an article, a clinic location, an author (a
        /// clinician's profile) or a plain page.
        kind: NewKind,
        /// The title (for a location, the town; for an author, their name);
        /// the file name is made from it. Not with --translation-of.
        #[arg(required_unless_present = "translation_of")]
        title: Option<String>,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// With --translation-of: the language of the translation (one of
        /// `languages:` in site.yaml), such as `es`.
        #[arg(long, requires = "translation_of")]
        lang: Option<String>,
        /// Start a translation of this page (its file name without .md),
        /// beside it: `dry-needling-vs-massage-therapy`.
        #[arg(long, requires = "lang", conflicts_with = "title")]
        translation_of: Option<String>,
    },
    /// Build the site into the output folder.
    Build {
        /// The site folder (holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: <root>/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Use this base URL instead of the one in site.yaml.
        #[arg(long)]
        base_url: Option<String>,
        /// Include drafts and future-dated articles.
        #[arg(long)]
        drafts: bool,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
        /// Print how long each stage took (wall time, and CPU time of all threads).
        #[arg(long)]
        timings: bool,
    },
    /// Check the content: readability, clinical review dates, accessibility, findability, links.
    Check {
        /// The site folder (holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print the findings.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Fail on warnings too, not only errors.
        #[arg(long)]
        strict: bool,
        /// List the links that leave the site (they are not fetched).
        #[arg(long)]
        external: bool,
        /// Also print notes: every page's readability figures.
        #[arg(long)]
        notes: bool,
        /// Include drafts and future-dated articles.
        #[arg(long)]
        drafts: bool,
    },
    /// Bring pages from another tool into a site.
    Import {
        #[command(subcommand)]
        from: ImportFrom,
    },
    /// Build the site, serve it, and rebuild and reload the browser on every save.
    Serve {
        /// The site folder (holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; the default keeps the preview on this machine.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// The port to listen on.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Include drafts and future-dated articles.
        #[arg(long)]
        drafts: bool,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
        /// Do not show check's findings in a panel on each page.
        #[arg(long)]
        no_check: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportFrom {
    /// Import a WordPress export (Tools > Export in WordPress): posts, pages, authors, images.
    Wordpress(WordpressArgs),
}

#[derive(Debug, clap::Args)]
pub struct WordpressArgs {
    /// The export file WordPress saved (.xml).
    export: PathBuf,
    /// The uploads folder (wp-content/uploads) copied from the old site.
    #[arg(long)]
    uploads: Option<PathBuf>,
    /// The site folder to import into (made when missing).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Where a category or tag goes: "Knee pain=conditions" (tags, conditions, treatments or skip).
    #[arg(long = "map", value_name = "TERM=KIND")]
    map: Vec<String>,
    /// A YAML file of `term: kind` lines, like `Knee pain: conditions`.
    #[arg(long)]
    map_file: Option<PathBuf>,
    /// Replace files changed since the last import.
    #[arg(long)]
    force: bool,
}

impl WordpressArgs {
    fn options(self) -> crate::import::ImportOptions {
        crate::import::ImportOptions {
            export: self.export,
            uploads: self.uploads,
            root: self.root,
            map: self.map,
            map_file: self.map_file,
            force: self.force,
            today: crate::today(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum NewKind {
    Article,
    Location,
    Author,
    Page,
}

impl From<NewKind> for crate::scaffold::NewKind {
    fn from(kind: NewKind) -> Self {
        match kind {
            NewKind::Article => crate::scaffold::NewKind::Article,
            NewKind::Location => crate::scaffold::NewKind::Location,
            NewKind::Author => crate::scaffold::NewKind::Author,
            NewKind::Page => crate::scaffold::NewKind::Page,
        }
    }
}

/// Runs the command line; exit code 0 success, 1 site errors, 2 usage.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    let output = match &cli.command {
        Command::Build { root, output, .. } => {
            Some(output.clone().unwrap_or_else(|| root.join("public")))
        }
        _ => None,
    };
    let import_root = match &cli.command {
        Command::Import {
            from: ImportFrom::Wordpress(args),
        } => Some(args.root.clone()),
        _ => None,
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(errors) if errors.is_empty() => ExitCode::from(1),
        Err(errors) => {
            print_errors(&errors);
            if let Some(output) = output {
                eprintln!(
                    "Build failed with {} error{}; {} was left as it was.",
                    errors.len(),
                    if errors.len() == 1 { "" } else { "s" },
                    output.display()
                );
            }
            if let Some(root) = import_root {
                eprintln!("Nothing was written into {}.", root.display());
            }
            ExitCode::from(1)
        }
    }
}

pub fn run(cli: Cli) -> Result<(), Errors> {
    match cli.command {
        Command::Init { dir } => init(&dir),
        Command::New {
            kind,
            title,
            root,
            lang,
            translation_of,
        } => match (translation_of, lang) {
            (Some(original), Some(lang)) => translate(kind.into(), &original, &lang, &root),
            _ => new(kind.into(), title.as_deref().unwrap_or_default(), &root),
        },
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            quiet,
            timings,
        } => {
            let options = BuildOptions {
                root,
                output,
                base_url,
                drafts,
                today: None,
            };
            let report = crate::build(&options)?;
            if !quiet {
                println!("{}", summary(&report));
            }
            if timings {
                println!("{}", crate::timings::table(&report.timings));
            }
            Ok(())
        }
        Command::Check {
            root,
            format,
            strict,
            external,
            notes,
            drafts,
        } => check(
            BuildOptions {
                drafts,
                ..BuildOptions::new(root)
            },
            format,
            strict,
            external,
            notes,
        ),
        Command::Import {
            from: ImportFrom::Wordpress(args),
        } => import(args.options()),
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            open,
            no_check,
        } => crate::serve::run(crate::serve::ServeOptions {
            root,
            bind,
            port,
            drafts,
            open,
            check: !no_check,
        }),
    }
}

fn import(options: crate::import::ImportOptions) -> Result<(), Errors> {
    let outcome = crate::import::wordpress(&options)?;
    print!("{}", outcome.report.text());
    println!("\n{}", import_summary(&options.root, &outcome));
    Ok(())
}

fn init(dir: &std::path::Path) -> Result<(), Errors> {
    crate::scaffold::init(dir, crate::today())?;
    let shown = crate::error::display_path(dir);
    println!("Created a new site in {shown}. Next: cd {shown} && handout serve");
    Ok(())
}

fn new(kind: crate::scaffold::NewKind, title: &str, root: &std::path::Path) -> Result<(), Errors> {
    let rel = crate::scaffold::new_page(root, kind, title, crate::today())?;
    let shown = crate::error::display_path(&root.join(&rel));
    let shown = shown.strip_prefix("./").unwrap_or(&shown);
    if kind.is_draft() {
        println!("Created {shown} (a draft: set `draft: false` to publish it)");
    } else {
        println!(
            "Created {shown}. Next: put in the details on the lines marked `# replace`, then run handout check"
        );
    }
    Ok(())
}

fn translate(
    kind: crate::scaffold::NewKind,
    original: &str,
    lang: &str,
    root: &std::path::Path,
) -> Result<(), Errors> {
    let rel = crate::scaffold::new_translation(root, kind, original, lang, crate::today())?;
    let shown = crate::error::display_path(&root.join(&rel));
    let shown = shown.strip_prefix("./").unwrap_or(&shown);
    if kind.is_draft() {
        println!(
            "Created {shown} (a draft): translate its words, have a clinician review it, add `reviewed_by:` and `last_reviewed:`, then set `draft: false`"
        );
    } else {
        println!("Created {shown}: translate its words, then run handout check");
    }
    Ok(())
}

fn check(
    options: BuildOptions,
    format: Format,
    strict: bool,
    external: bool,
    notes: bool,
) -> Result<(), Errors> {
    let report = crate::check::check(&options, external)?;
    match format {
        Format::Text => print!("{}", crate::check::text(&report, notes)),
        Format::Json => println!("{}", crate::check::json(&report)),
    }
    if report.passes(strict) {
        Ok(())
    } else {
        Err(Errors::default())
    }
}

/// "Built 14 pages in 38 ms" and what was left out.
pub fn summary(report: &BuildReport) -> String {
    let mut line = format!(
        "Built {} page{} in {} ms",
        report.pages,
        if report.pages == 1 { "" } else { "s" },
        report.elapsed.as_millis()
    );
    if report.changes == crate::output::Changes::default() {
        line.push_str(", no file changed");
    }
    let left = report.left_out;
    let mut parts = Vec::new();
    if left.drafts > 0 {
        parts.push(format!(
            "{} draft{}",
            left.drafts,
            if left.drafts == 1 { "" } else { "s" }
        ));
    }
    if left.future > 0 {
        parts.push(format!(
            "{} future-dated article{}",
            left.future,
            if left.future == 1 { "" } else { "s" }
        ));
    }
    if !parts.is_empty() {
        line.push_str(&format!(
            " ({} left out; --drafts includes them)",
            parts.join(" and ")
        ));
    }
    line
}

/// What an import wrote, and where to go next.
pub fn import_summary(root: &std::path::Path, outcome: &crate::import::Outcome) -> String {
    let root = crate::error::display_path(root);
    let written = outcome.written.len();
    let mut line = format!(
        "Imported into {root}: {written} file{} written",
        if written == 1 { "" } else { "s" }
    );
    if outcome.unchanged > 0 {
        line.push_str(&format!(", {} unchanged", outcome.unchanged));
    }
    let report = std::path::Path::new(&root).join(crate::import::REPORT_FILE);
    line.push_str(&format!(
        ". The report above is saved in {}.",
        crate::error::display_path(&report)
    ));
    if root == "." {
        line.push_str("\nNext: handout build");
    } else {
        line.push_str(&format!("\nNext: cd {root} && handout build"));
    }
    line
}

/// Colour only on a terminal and only without NO_COLOR (no-color.org).
fn use_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn print_errors(errors: &Errors) {
    let label = if use_color() {
        "\x1b[1;31merror\x1b[0m"
    } else {
        "error"
    };
    for error in errors.iter() {
        eprintln!("{label}: {error}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn summary_says_what_was_left_out() {
        let report = BuildReport {
            pages: 14,
            files: 20,
            left_out: crate::site::LeftOut {
                drafts: 2,
                future: 1,
            },
            changes: crate::output::Changes {
                written: 20,
                removed: 0,
            },
            elapsed: std::time::Duration::from_millis(38),
            timings: Vec::new(),
        };
        assert_eq!(
            summary(&report),
            "Built 14 pages in 38 ms (2 drafts and 1 future-dated article left out; --drafts includes them)"
        );
    }
}
