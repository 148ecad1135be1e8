//! The index as files the browser loads a few at a time (the format is
//! docs/search.md): a small manifest, word lists by first letter, postings
//! in shards by a hash of the term (a big term in a file of its own), and
//! what results show in files of a few pages each.

use rayon::prelude::*;
use serde::Serialize;

use super::index::{Index, Kind};

/// Format version, in the manifest; the script refuses another.
pub const FORMAT: u32 = 1;
/// Pages per metadata file.
pub const CHUNK: usize = 4;
/// A term whose postings take this many bytes or more gets a file of its own.
pub const BIG: usize = 1024;
/// About this many bytes of small terms' postings per shard.
const SHARD_TARGET: usize = 4096;
/// Word lists: a first letter with more words than this is split.
const WORDS_SPLIT: usize = 512;

/// FNV-1a (32 bits) of a term's UTF-8 bytes: which shard holds it. The
/// script computes the same.
pub fn fnv(text: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in text.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A postings list: its length, then each doc number as the gap from the
/// one before, and its impact byte.
fn postings(list: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(list.len() * 2 + 2);
    varint(&mut out, list.len() as u64);
    let mut last = 0u32;
    for &posting in list {
        let (doc, impact) = super::index::unpack(posting);
        varint(&mut out, u64::from(doc - last));
        out.push(impact);
        last = doc;
    }
    out
}

/// One entry of a shard: the term, then its postings, each after its length.
fn entry(out: &mut Vec<u8>, term: &str, list: &[u8]) {
    varint(out, term.len() as u64);
    out.extend_from_slice(term.as_bytes());
    varint(out, list.len() as u64);
    out.extend_from_slice(list);
}

#[derive(Serialize)]
struct Manifest<'a> {
    format: u32,
    language: &'a str,
    /// Changes whenever any index file does: the script asks for files
    /// with `?v=<stamp>`, so a browser never mixes two builds.
    stamp: String,
    docs: usize,
    chunk: usize,
    shards: u32,
    /// Doc number ranges of each kind: `[kind, first, end]`.
    kinds: Vec<(&'static str, usize, usize)>,
    /// Each word list's first word and file.
    words: Vec<(String, String)>,
    /// Patients' phrases (as terms) and the name's terms with what the
    /// script needs to load them: `[[terms], [[term, df, big]]]`.
    synonyms: Vec<(Vec<&'a str>, Vec<(&'a str, usize, u8)>)>,
}

/// Bytes of a varint.
fn varint_len(n: u64) -> usize {
    (64 - n.max(1).leading_zeros() as usize).div_ceil(7).max(1)
}

/// Bytes of `postings(list)`, without making them.
fn postings_len(list: &[u32]) -> usize {
    let mut len = varint_len(list.len() as u64);
    let mut last = 0u32;
    for &posting in list {
        let (doc, _) = super::index::unpack(posting);
        len += varint_len(u64::from(doc - last)) + 1;
        last = doc;
    }
    len
}

/// Every file of the index, by path under `search/<language>/`.
pub fn files(index: &Index) -> Vec<(String, Vec<u8>)> {
    let lengths: Vec<usize> = index.terms.par_iter().map(|t| postings_len(&t.postings)).collect();
    let big: Vec<bool> = lengths.iter().map(|&l| l >= BIG).collect();
    let small_bytes: usize = index
        .terms
        .iter()
        .zip(&lengths)
        .filter(|(t, &l)| !t.postings.is_empty() && l < BIG)
        .map(|(t, l)| l + t.text.len() + 2)
        .sum();
    let shards = small_bytes.div_ceil(SHARD_TARGET).max(1).next_power_of_two() as u32;
    // Terms by file, sorted by text in each, so the files are the same
    // whatever order the terms were numbered in.
    let mut by_file: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    for (t, term) in index.terms.iter().enumerate() {
        if term.postings.is_empty() {
            continue;
        }
        let hash = fnv(&term.text);
        let name = if big.get(t).copied().unwrap_or(false) {
            format!("t/{hash:08x}.bin")
        } else {
            format!("s/{}.bin", hash & (shards - 1))
        };
        by_file.entry(name).or_default().push(t);
    }
    let mut out: Vec<(String, Vec<u8>)> = by_file
        .into_par_iter()
        .map(|(name, mut terms)| {
            terms.sort_unstable_by(|&a, &b| index.terms[a].text.cmp(&index.terms[b].text));
            let mut bytes = Vec::new();
            for t in terms {
                let term = &index.terms[t];
                entry(&mut bytes, &term.text, &postings(&term.postings));
            }
            (name, bytes)
        })
        .collect();
    let df = |t: u32| index.terms.get(t as usize).map_or(0, |t| t.postings.len());
    let is_big = |t: u32| u8::from(big.get(t as usize).copied().unwrap_or(false));
    let text = |t: u32| index.terms.get(t as usize).map_or("", |t| t.text.as_str());
    let (word_files, lists) = word_lists(index, &df, &is_big, &text);
    out.extend(word_files);
    for (n, chunk) in index.docs.chunks(CHUNK).enumerate() {
        let rows: Vec<[&str; 4]> = chunk
            .iter()
            .map(|d| [d.path.as_str(), &d.title, &d.description, &d.excerpt])
            .collect();
        out.push((format!("d/{n}.json"), json(&rows)));
    }
    let mut kinds = Vec::new();
    for kind in [Kind::Location, Kind::Author, Kind::Page, Kind::Article] {
        let first = index.docs.iter().position(|d| d.kind == kind);
        let end = index.docs.iter().rposition(|d| d.kind == kind).map(|e| e + 1);
        if let (Some(first), Some(end)) = (first, end) {
            kinds.push((kind.name(), first, end));
        }
    }
    let synonyms = index
        .synonyms
        .iter()
        .map(|(phrase, name)| {
            (
                phrase.iter().map(|&t| text(t)).collect(),
                name.iter().map(|&t| (text(t), df(t), is_big(t))).collect(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    let mut stamp = xxhash_rust::xxh3::Xxh3::new();
    for (path, bytes) in &out {
        stamp.update(path.as_bytes());
        stamp.update(bytes);
    }
    let manifest = Manifest {
        format: FORMAT,
        language: &index.language,
        stamp: format!("{:08x}", stamp.digest() as u32),
        docs: index.docs.len(),
        chunk: CHUNK,
        shards,
        kinds,
        words: lists,
        synonyms,
    };
    out.push(("index.json".into(), json(&manifest)));
    out
}

fn json(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

/// One word list entry: `[word, term or 0 when the same, df, big]`, or
/// `[word]` for a stop word.
#[derive(Serialize)]
#[serde(untagged)]
enum WordEntry<'a> {
    Stop((&'a str,)),
    Word(&'a str, WordTerm<'a>, usize, u8),
}

#[derive(Serialize)]
#[serde(untagged)]
enum WordTerm<'a> {
    Same(u8),
    Other(&'a str),
}

/// Word lists, one per first letter and one for digits (split when long, where a word's hash
/// says, so an edit moves few boundaries), named by a hash of their first
/// word. Returns the files and `[first word, file]` for the manifest.
#[allow(clippy::type_complexity)]
fn word_lists<'a>(
    index: &'a Index,
    df: &dyn Fn(u32) -> usize,
    big: &dyn Fn(u32) -> u8,
    text: &dyn Fn(u32) -> &'a str,
) -> (Vec<(String, Vec<u8>)>, Vec<(String, String)>) {
    let mut groups: Vec<Vec<&(String, Option<u32>)>> = Vec::new();
    let mut first_char = None;
    let mut in_letter = 0usize;
    for word in &index.words {
        // Digits share one list: a ZIP code's first digit says little.
        let c = word.0.chars().next().map(|c| if c.is_ascii_digit() { '0' } else { c });
        let split = in_letter >= WORDS_SPLIT && fnv(&word.0) % 64 == 0;
        if c != first_char || split || groups.is_empty() {
            if c != first_char {
                in_letter = 0;
            }
            first_char = c;
            groups.push(Vec::new());
        }
        in_letter += 1;
        if let Some(group) = groups.last_mut() {
            group.push(word);
        }
    }
    let mut files = Vec::new();
    let mut lists: Vec<(String, String)> = Vec::new();
    for group in groups {
        let Some(first) = group.first() else { continue };
        let entries: Vec<WordEntry> = group
            .iter()
            .map(|(word, term)| match term {
                None => WordEntry::Stop((word.as_str(),)),
                Some(t) => {
                    let stem = text(*t);
                    let term = if stem == word { WordTerm::Same(0) } else { WordTerm::Other(stem) };
                    WordEntry::Word(word, term, df(*t), big(*t))
                }
            })
            .collect();
        let mut name = format!("w/{:08x}.json", fnv(&first.0));
        // Two first words of the same hash (hardly ever): another name.
        let mut n = 1;
        while lists.iter().any(|(_, taken)| *taken == name) {
            name = format!("w/{:08x}-{n}.json", fnv(&first.0));
            n += 1;
        }
        lists.push((first.0.clone(), name.clone()));
        files.push((name, json(&entries)));
    }
    (files, lists)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_reference() {
        // Reference values of FNV-1a 32.
        assert_eq!(fnv(""), 0x811c_9dc5);
        assert_eq!(fnv("a"), 0xe40c_292c);
        assert_eq!(fnv("foobar"), 0xbf9c_f968);
    }

    #[test]
    fn postings_are_gaps_and_impacts() {
        assert_eq!(postings(&[3 << 8 | 200, 130 << 8 | 7]), [2, 3, 200, 127, 7]);
        assert_eq!(postings(&[1, 200 << 8 | 2]), [2, 0, 1, 200, 1, 2]);
        let mut out = Vec::new();
        varint(&mut out, 300);
        assert_eq!(out, [0xac, 0x02]);
        for n in [0, 1, 127, 128, 300, 16_383, 16_384, u64::from(u32::MAX)] {
            let mut out = Vec::new();
            varint(&mut out, n);
            assert_eq!(varint_len(n), out.len(), "{n}");
        }
        let list = [3 << 8 | 200, 130 << 8 | 7, 100_000 << 8 | 1];
        assert_eq!(postings_len(&list), postings(&list).len());
    }
}
