//! `handout-corpus`: the generator and the Hugo converter on the command
//! line (`cargo run -p handout-corpus -- generate --articles 1000 --out DIR`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use handout_corpus::{generate, to_hugo, Corpus, Hugo};

/// Synthetic patient-education sites for handout's tests and benchmarks.
#[derive(Parser)]
#[command(name = "handout-corpus")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a site (site.yaml, content/{articles,locations,authors}/*.md);
    /// the same arguments always give the same bytes.
    Generate {
        /// Number of articles.
        #[arg(long, value_name = "N")]
        articles: usize,
        /// Number of clinic locations (at least 1).
        #[arg(long, value_name = "M", default_value_t = 8)]
        locations: usize,
        /// Number of clinician profiles (at least 1).
        #[arg(long, value_name = "K", default_value_t = 12)]
        authors: usize,
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
        /// `paginate:` in site.yaml; 0 turns pagination off. Without it,
        /// handout's default.
        #[arg(long, value_name = "N")]
        paginate: Option<usize>,
        /// Percent of articles that also get a Spanish translation
        /// (`<slug>.es.md`, with `languages: {es}` in site.yaml).
        #[arg(long, value_name = "PERCENT", default_value_t = 0)]
        translated: usize,
        /// Made-up words, most of them rare, that about a third of the
        /// articles' nouns are drawn from, for a vocabulary as large as a
        /// real site's (try 40000); 0 keeps the built-in word lists.
        #[arg(long, value_name = "WORDS", default_value_t = 0)]
        vocabulary: usize,
        /// The site folder.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace DIR/content and DIR/site.yaml if they are there.
        #[arg(long)]
        force: bool,
    },
    /// Turn a generated site into the equivalent Hugo site.
    Hugo {
        /// The generated site.
        corpus: PathBuf,
        /// The Hugo site folder to write.
        site: PathBuf,
        /// Taxonomies to build, separated by commas.
        #[arg(long, value_delimiter = ',', default_value = "tags")]
        taxonomies: Vec<String>,
        /// Replace SITE if it exists.
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Generate {
            articles,
            locations,
            authors,
            seed,
            paginate,
            translated,
            vocabulary,
            out,
            force,
        } => {
            let corpus = Corpus {
                articles,
                locations,
                authors,
                seed,
                paginate,
                translated,
                vocabulary,
            };
            generate(&corpus, &out, force)
                .map(|summary| format!("handout-corpus: {summary} -> {}", out.display()))
        }
        Command::Hugo {
            corpus,
            site,
            taxonomies,
            force,
        } => {
            let taxonomies = taxonomies
                .into_iter()
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect();
            to_hugo(&corpus, &site, &Hugo { taxonomies, force }).map(|n| {
                format!(
                    "handout-corpus: {n} content files -> {} (Hugo)",
                    site.display()
                )
            })
        }
    };
    match result {
        Ok(line) => {
            eprintln!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
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
}
