//! Site search, built with the site: an index of every article, clinic,
//! clinician and plain page made from the site model (the words were
//! counted while each body was rendered), written as small files the
//! browser's script loads only as a query needs them. Ranking (BM25F),
//! stemming, synonyms and the file format: docs/search.md.
//!
//! One index per language: [`build`] takes a [`Language`], so a site with
//! pages in two languages builds two, each under `search/<code>/`.

mod files;
mod index;
mod language;
mod pages;
mod postings;
pub mod synonyms;
mod update;

pub use files::{file_name, fnv, CHUNK, FORMAT};
#[cfg(test)]
pub(crate) use index::TEST_BLOCK;
pub use index::{build, impact, Doc, Field, Index, Kind, Term};
pub use language::Language;
pub use postings::Postings;
pub use synonyms::Synonyms;

/// The folder of the search page and of every index under the output.
pub const FOLDER: &str = "search/";

/// The folder of a language's index, from the site root: `search/en/`.
pub fn index_folder(language: &Language) -> String {
    folder_of(&language.code)
}

/// The folder of the index of the language with code `code`.
fn folder_of(code: &str) -> String {
    format!("{FOLDER}{code}/")
}

/// Every file of an index, by its path under the output folder.
pub fn output_files(index: &mut Index) -> Vec<(String, Vec<u8>)> {
    let files = index.files();
    in_folder(&index.language, files)
}

fn in_folder(language: &str, files: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    let folder = folder_of(language);
    files
        .into_iter()
        .map(|(path, bytes)| (format!("{folder}{path}"), bytes))
        .collect()
}
