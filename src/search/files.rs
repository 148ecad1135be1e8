//! The index as files the browser loads a few at a time (the format is
//! docs/search.md): a small manifest, word lists by first letter, postings
//! in shards by a hash of the term (a big term in a file of its own), and
//! what results show in files of a few pages each.

use rayon::prelude::*;
use serde::Serialize;

use super::index::{Index, Kind};
use super::postings::Postings;
use crate::json::Json;
use crate::words::varint;

/// Format version, in the manifest; the script refuses another.
pub const FORMAT: u32 = 3;
/// Pages per metadata file. A page of ten results seldom finds two in one
/// file, so a file's other pages are bytes the browser loads for nothing,
/// while each file costs the build a file to write (about 12 µs of a
/// core on a tmpfs, most of what writing the index costs). At 10k four
/// write 2,454 files, three 3,271, two 4,907; the bytes a query loads
/// with each are in docs/performance.md.
pub const CHUNK: usize = 4;
/// A term whose postings take this many bytes or more gets a file of its own.
pub const BIG: usize = 1024;
/// About this many bytes of small terms' postings per shard.
const SHARD_TARGET: usize = 4096;
/// A word list with this many words ends before the next word whose hash
/// is a multiple of it: lists of about twice as many, so that a query
/// reads a few KB of a large site's vocabulary (one word, one list), and
/// an edit moves few boundaries. (Lists of 512 words and more were 12 to
/// 15 KB each at 39,000 words: docs/performance.md.)
const WORDS_SPLIT: usize = 32;
/// More word lists than this are found through groups: the manifest gives
/// each group's first word, a group's file its lists' (on a site of 39,000
/// words the lists' first words were 9 KB of a manifest every query loads).
const GROUPED_OVER: usize = 64;
/// A group of lists ends, once it has this many, before the next list
/// whose first word's hash (bits 8 and up: the low ones split the lists)
/// is a multiple of it: about twice as many lists a group.
const GROUP_SPLIT: usize = 8;

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

/// One entry of a shard: the term, then its postings (see
/// [`Postings::encode`]), each after its length.
fn entry(out: &mut Vec<u8>, term: &str, postings: &Postings) {
    varint::push(out, term.len() as u64);
    out.extend_from_slice(term.as_bytes());
    varint::push(out, postings.encoded_len() as u64);
    postings.encode(out);
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
    /// Each word list's first word (its file is named after it: see
    /// [`file_name`]), when the lists are few.
    #[serde(skip_serializing_if = "Option::is_none")]
    words: Option<Vec<First<'a>>>,
    /// Else each group's first word: its file gives its lists'.
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<First<'a>>>,
    /// Patients' phrases (as terms) and the name's terms with what the
    /// script needs to load them: `[[terms], [[term, df, big]]]`.
    synonyms: Vec<Synonym<'a>>,
}

/// A patient's phrase (terms) and the name's `[term, df, big]`.
type Synonym<'a> = (Vec<&'a str>, Vec<(&'a str, usize, u8)>);

/// A word list's or group's first word, and the `-k` its file name takes
/// when an earlier one's first word has the same hash: `"knee"`, or
/// `["knee", 1]` (hardly ever).
#[derive(Serialize)]
#[serde(untagged)]
enum First<'a> {
    Plain(&'a str),
    Numbered(&'a str, usize),
}

/// A word list (a range of `Index::words`) or a group of lists (a range of
/// the lists): its file, and the `-k` its name took (0 for none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub file: String,
    pub k: usize,
    pub range: std::ops::Range<usize>,
}

/// Where each part of an index goes: which file holds each term's
/// postings, and the word lists. Cheap to make, so an edit can compare the
/// layouts before and after it and write only the files that differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub shards: u32,
    /// Each term's postings file (none when no page has it), by term number.
    pub term_files: Vec<Option<String>>,
    /// Whether a term has a file of its own, by term number.
    pub big: Vec<bool>,
    /// Each word list.
    pub lists: Vec<Part>,
    /// The groups of lists, when there are more than [`GROUPED_OVER`];
    /// else none.
    pub groups: Vec<Part>,
    /// Bytes of each term's postings, by term number.
    lengths: Vec<usize>,
}

impl Layout {
    pub fn of(index: &Index) -> Layout {
        let lengths: Vec<usize> = index
            .terms
            .par_iter()
            .map(|t| t.postings.encoded_len())
            .collect();
        Layout::with_lengths(index, lengths)
    }

    /// The layout after the postings of `changed` terms changed (and terms
    /// were added), from this one: only their lengths are counted again.
    pub fn after(&self, index: &Index, changed: &[usize]) -> Layout {
        let mut lengths = self.lengths.clone();
        lengths.resize(index.terms.len(), 0);
        for &t in changed {
            if let (Some(slot), Some(term)) = (lengths.get_mut(t), index.terms.get(t)) {
                *slot = term.postings.encoded_len();
            }
        }
        Layout::with_lengths(index, lengths)
    }

    fn with_lengths(index: &Index, lengths: Vec<usize>) -> Layout {
        let big: Vec<bool> = lengths.iter().map(|&l| l >= BIG).collect();
        let small_bytes: usize = index
            .terms
            .iter()
            .zip(&lengths)
            .filter(|(t, &l)| !t.postings.is_empty() && l < BIG)
            .map(|(t, l)| l + t.text.len() + 2)
            .sum();
        let shards = small_bytes
            .div_ceil(SHARD_TARGET)
            .max(1)
            .next_power_of_two() as u32;
        let term_files = index
            .terms
            .iter()
            .zip(&big)
            .map(|(term, &big)| {
                if term.postings.is_empty() {
                    return None;
                }
                let hash = fnv(&term.text);
                Some(match big {
                    true => format!("t/{hash:08x}.bin"),
                    false => format!("s/{}.bin", hash & (shards - 1)),
                })
            })
            .collect();
        let lists = word_lists(index);
        let groups = list_groups(index, &lists);
        Layout {
            shards,
            term_files,
            big,
            lists,
            groups,
            lengths,
        }
    }

    /// Every postings file and its terms.
    fn postings_files(&self) -> std::collections::BTreeMap<&str, Vec<usize>> {
        let mut by_file: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
        for (t, file) in self.term_files.iter().enumerate() {
            if let Some(file) = file {
                by_file.entry(file).or_default().push(t);
            }
        }
        by_file
    }
}

/// A postings file: its terms' entries, sorted by term, so the file is the
/// same whatever order the terms were numbered in.
fn postings_file(index: &Index, mut terms: Vec<usize>) -> Vec<u8> {
    let text = |t: &usize| index.terms.get(*t).map_or("", |t| t.text.as_str());
    terms.sort_unstable_by(|a, b| text(a).cmp(text(b)));
    let mut bytes = Vec::new();
    for t in terms {
        if let Some(term) = index.terms.get(t) {
            entry(&mut bytes, &term.text, &term.postings);
        }
    }
    bytes
}

/// Metadata file `n`: `[path, title, description, excerpt]` per page.
/// Written by hand: serde_json's escaping was half its cost.
fn chunk_file(index: &Index, n: usize) -> Vec<u8> {
    let mut json = Json::new(2048);
    json.raw("[");
    let docs = index.docs.iter().skip(n * CHUNK).take(CHUNK);
    for (k, d) in docs.enumerate() {
        json.raw(if k == 0 { "[" } else { ",[" });
        for (f, field) in [&d.path, &d.title, &d.description, &d.excerpt]
            .into_iter()
            .enumerate()
        {
            if f > 0 {
                json.raw(",");
            }
            json.string(field);
        }
        json.raw("]");
    }
    json.raw("]");
    json.finish().into_bytes()
}

/// The metadata file of doc `d`.
pub fn chunk_name(d: usize) -> String {
    format!("d/{}.json", d / CHUNK)
}

/// The stamp of a set of files, from each file's path and hash, in path
/// order.
fn stamp<'a>(hashes: impl IntoIterator<Item = (&'a String, &'a u64)>) -> String {
    let mut stamp = xxhash_rust::xxh3::Xxh3::new();
    for (path, hash) in hashes {
        stamp.update(path.as_bytes());
        stamp.update(&hash.to_le_bytes());
    }
    format!("{:08x}", stamp.digest() as u32)
}

fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Makes every file of the index but the manifest (by path under
/// `search/<language>/`, with the layout it follows) and hands each to
/// `each` as soon as it is made, so that not every file's bytes are held
/// at once; returns what `each` returned for each file.
fn data_files<T: Send, E: Send>(
    index: &Index,
    layout: &Layout,
    each: &(dyn Fn(String, Vec<u8>) -> Result<T, E> + Sync),
) -> Result<Vec<T>, E> {
    let mut out: Vec<T> = layout
        .postings_files()
        .into_par_iter()
        .map(|(name, terms)| each(name.to_string(), postings_file(index, terms)))
        .collect::<Result<_, E>>()?;
    let lists: Vec<T> = layout
        .lists
        .par_iter()
        .map(|list| {
            each(
                list.file.clone(),
                word_list(index, layout, list.range.clone()),
            )
        })
        .collect::<Result<_, E>>()?;
    out.extend(lists);
    for group in &layout.groups {
        out.push(each(group.file.clone(), group_file(index, layout, group))?);
    }
    // Half the files at 10k: made one after another, they kept a core idle.
    let chunks: Vec<T> = (0..index.docs.len().div_ceil(CHUNK))
        .into_par_iter()
        .map(|n| each(chunk_name(n * CHUNK), chunk_file(index, n)))
        .collect::<Result<_, E>>()?;
    out.extend(chunks);
    Ok(out)
}

/// Every file of the index but the manifest, in memory.
fn all_data_files(index: &Index, layout: &Layout) -> Vec<(String, Vec<u8>)> {
    let kept: Result<_, std::convert::Infallible> =
        data_files(index, layout, &|path, bytes| Ok((path, bytes)));
    kept.unwrap_or_else(|never| match never {})
}

/// Makes every file of the index and hands each to `each` as it is made
/// (by path under `search/<language>/`); returns what `each` returned for
/// each, then the manifest's bytes, and what [`Files::update`] needs. The
/// manifest's stamp comes from every other file, so it is made last.
fn made<T: Send, E: Send>(
    index: &Index,
    each: &(dyn Fn(String, Vec<u8>) -> Result<T, E> + Sync),
) -> Result<(Vec<T>, Vec<u8>, Files), E> {
    let layout = Layout::of(index);
    let made = data_files(index, &layout, &|path, bytes| {
        let hashed = (path.clone(), hash(&bytes));
        Ok((hashed, each(path, bytes)?))
    })?;
    let (hashes, out): (std::collections::BTreeMap<String, u64>, Vec<T>) = made.into_iter().unzip();
    let manifest = manifest(index, &layout, stamp(&hashes));
    Ok((out, manifest, Files { layout, hashes }))
}

/// Every file of the index, by path under `search/<language>/`, and each
/// file's hash (for [`Files::update`]).
pub fn files(index: &Index) -> (Vec<(String, Vec<u8>)>, Files) {
    let kept: Result<_, std::convert::Infallible> = made(index, &|path, bytes| Ok((path, bytes)));
    let (mut out, manifest, state) = kept.unwrap_or_else(|never| match never {});
    out.push(("index.json".into(), manifest));
    (out, state)
}

/// Writes one file (its path, its bytes) where it goes.
pub type Put<'a, E> = dyn Fn(&str, &[u8]) -> Result<(), E> + Sync + 'a;

/// Hands every file of the index to `put` (by path under
/// `search/<language>/`) as it is made, the manifest last; returns how
/// many there were and what [`files`] returns beside them. What a build
/// does: at 10k the files are 11 MB, and held all at once they were part
/// of the build's peak memory.
pub fn write<E: Send>(index: &Index, put: &Put<E>) -> Result<(usize, Files), E> {
    let (written, manifest, state) = made(index, &|path, bytes| put(&path, &bytes))?;
    put("index.json", &manifest)?;
    Ok((written.len() + 1, state))
}

/// What the files written last look like, so an edit can tell which to
/// write again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Files {
    pub layout: Layout,
    hashes: std::collections::BTreeMap<String, u64>,
}

impl Files {
    /// Every file, the manifest too.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.hashes
            .keys()
            .map(String::as_str)
            .chain(std::iter::once("index.json"))
    }

    /// The files that differ from those written last, after an edit that
    /// changed the postings of `terms` and the page `doc`; and remembers
    /// them. Every file when the number of shards changed.
    pub fn update(&mut self, index: &Index, terms: &[usize], doc: usize) -> Vec<(String, Vec<u8>)> {
        let layout = self.layout.after(index, terms);
        let mut out = if layout.shards != self.layout.shards {
            all_data_files(index, &layout)
        } else {
            self.changed(index, &layout, terms, doc)
        };
        for (path, bytes) in &out {
            self.hashes.insert(path.clone(), hash(bytes));
        }
        // Files no longer made (a word list merged into another, a term
        // gone) leave the stamp too.
        let now: std::collections::BTreeSet<&str> = layout
            .term_files
            .iter()
            .flatten()
            .map(String::as_str)
            .chain(
                layout
                    .lists
                    .iter()
                    .chain(&layout.groups)
                    .map(|p| p.file.as_str()),
            )
            .collect();
        self.hashes
            .retain(|path, _| path.starts_with("d/") || now.contains(path.as_str()));
        out.push((
            "index.json".into(),
            manifest(index, &layout, stamp(&self.hashes)),
        ));
        self.layout = layout;
        out
    }

    fn changed(
        &self,
        index: &Index,
        layout: &Layout,
        terms: &[usize],
        doc: usize,
    ) -> Vec<(String, Vec<u8>)> {
        let mut postings: std::collections::BTreeSet<&str> = Default::default();
        for &t in terms {
            for layout in [&self.layout, layout] {
                if let Some(Some(file)) = layout.term_files.get(t) {
                    postings.insert(file);
                }
            }
        }
        let by_file = layout.postings_files();
        let mut out: Vec<(String, Vec<u8>)> = postings
            .into_iter()
            .filter_map(|name| {
                let terms = by_file.get(name)?.clone();
                Some((name.to_string(), postings_file(index, terms)))
            })
            .collect();
        // Word lists and their groups: any whose words or entries may
        // differ. They are few; making them is cheap, writing them is what
        // costs.
        let lists = layout
            .lists
            .iter()
            .map(|list| (list, word_list(index, layout, list.range.clone())));
        let groups = layout
            .groups
            .iter()
            .map(|group| (group, group_file(index, layout, group)));
        for (part, bytes) in lists.chain(groups) {
            if self.hashes.get(&part.file) != Some(&hash(&bytes)) {
                out.push((part.file.clone(), bytes));
            }
        }
        out.push((chunk_name(doc), chunk_file(index, doc / CHUNK)));
        out
    }
}

fn manifest(index: &Index, layout: &Layout, stamp: String) -> Vec<u8> {
    let df = |t: u32| index.terms.get(t as usize).map_or(0, |t| t.postings.len());
    let is_big = |t: u32| u8::from(layout.big.get(t as usize).copied().unwrap_or(false));
    let text = |t: u32| index.terms.get(t as usize).map_or("", |t| t.text.as_str());
    let mut kinds = Vec::new();
    for kind in [Kind::Location, Kind::Author, Kind::Page, Kind::Article] {
        let first = index.docs.iter().position(|d| d.kind == kind);
        let end = index
            .docs
            .iter()
            .rposition(|d| d.kind == kind)
            .map(|e| e + 1);
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
    let (words, groups) = match layout.groups.is_empty() {
        true => (Some(list_firsts(index, &layout.lists)), None),
        false => (None, Some(group_firsts(index, layout))),
    };
    json(&Manifest {
        format: FORMAT,
        language: &index.language,
        stamp,
        docs: index.docs.len(),
        chunk: CHUNK,
        shards: layout.shards,
        kinds,
        words,
        groups,
        synonyms,
    })
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

/// Word lists: one per first letter and one for digits (split when long,
/// where a word's hash says, so an edit moves few boundaries), named by a
/// hash of their first word.
fn word_lists(index: &Index) -> Vec<Part> {
    let mut starts: Vec<usize> = Vec::new();
    let mut first_char = None;
    let mut in_list = 0usize;
    for (i, (word, _)) in index.words.iter().enumerate() {
        // Digits share one list: a ZIP code's first digit says little.
        let c = word
            .chars()
            .next()
            .map(|c| if c.is_ascii_digit() { '0' } else { c });
        let split = in_list >= WORDS_SPLIT && fnv(word).is_multiple_of(WORDS_SPLIT as u32);
        if c != first_char || split || starts.is_empty() {
            in_list = 0;
            first_char = c;
            starts.push(i);
        }
        in_list += 1;
    }
    let firsts = starts.iter().map(|&start| word_at(index, start)).collect();
    parts("w/", &starts, firsts, index.words.len())
}

/// The groups of `lists` when there are more than [`GROUPED_OVER`] (else
/// none): each ends, once it has [`GROUP_SPLIT`] lists, before a list
/// whose first word's hash says (so an edit moves few boundaries).
fn list_groups(index: &Index, lists: &[Part]) -> Vec<Part> {
    if lists.len() <= GROUPED_OVER {
        return Vec::new();
    }
    let mut starts: Vec<usize> = Vec::new();
    let mut firsts = Vec::new();
    let mut in_group = 0;
    for (n, list) in lists.iter().enumerate() {
        let word = word_at(index, list.range.start);
        let split = in_group >= GROUP_SPLIT && (fnv(word) >> 8).is_multiple_of(GROUP_SPLIT as u32);
        if split || starts.is_empty() {
            in_group = 0;
            starts.push(n);
            firsts.push(word);
        }
        in_group += 1;
    }
    parts("g/", &starts, firsts, lists.len())
}

/// The parts starting at each of `starts` (the last ending at `end`),
/// named in `folder` by their first words.
fn parts(folder: &str, starts: &[usize], firsts: Vec<&str>, end: usize) -> Vec<Part> {
    let ends = starts.iter().skip(1).copied().chain([end]);
    let ks = numbers(firsts.iter().copied());
    starts
        .iter()
        .zip(ends)
        .zip(firsts.into_iter().zip(ks))
        .map(|((&start, end), (first, k))| Part {
            file: file_name(folder, first, k),
            k,
            range: start..end,
        })
        .collect()
}

/// The `-k` of each name, from the first words in order: 0, or for a hash
/// an earlier one has (hardly ever) 1, 2...
fn numbers<'a>(firsts: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
    let mut taken: std::collections::HashMap<u32, usize> = Default::default();
    firsts
        .into_iter()
        .map(|first| {
            let count = taken.entry(fnv(first)).or_default();
            *count += 1;
            *count - 1
        })
        .collect()
}

/// The file of a word list (folder `w/`) or a group (`g/`) whose first
/// word is `first`: the FNV hash of `first`, and `-k` after it when `k`
/// is not 0. The script names them the same way.
pub fn file_name(folder: &str, first: &str, k: usize) -> String {
    let hash = fnv(first);
    match k {
        0 => format!("{folder}{hash:08x}.json"),
        k => format!("{folder}{hash:08x}-{k}.json"),
    }
}

/// Word `n` of the index's word list (a list's first word, at its start).
fn word_at(index: &Index, n: usize) -> &str {
    index.words.get(n).map_or("", |w| w.0.as_str())
}

impl<'a> First<'a> {
    fn new(word: &'a str, k: usize) -> Self {
        match k {
            0 => First::Plain(word),
            k => First::Numbered(word, k),
        }
    }
}

/// Each list's first word, as the manifest and the group files give it.
fn list_firsts<'a>(index: &'a Index, lists: &[Part]) -> Vec<First<'a>> {
    lists
        .iter()
        .map(|list| First::new(word_at(index, list.range.start), list.k))
        .collect()
}

/// Each group's first word (its first list's), with the group's own `k`.
fn group_firsts<'a>(index: &'a Index, layout: &Layout) -> Vec<First<'a>> {
    let first_list = |group: &Part| layout.lists.get(group.range.start);
    layout
        .groups
        .iter()
        .map(|group| {
            let word = first_list(group).map_or("", |list| word_at(index, list.range.start));
            First::new(word, group.k)
        })
        .collect()
}

/// A group's file: the first words of its lists.
fn group_file(index: &Index, layout: &Layout, group: &Part) -> Vec<u8> {
    let lists = layout.lists.get(group.range.clone()).unwrap_or_default();
    json(&list_firsts(index, lists))
}

fn word_list(index: &Index, layout: &Layout, range: std::ops::Range<usize>) -> Vec<u8> {
    let entries: Vec<WordEntry> = index
        .words
        .get(range)
        .unwrap_or_default()
        .iter()
        .map(|(word, term)| match term {
            None => WordEntry::Stop((word.as_str(),)),
            Some(t) => {
                let found = index.terms.get(*t as usize);
                let stem = found.map_or("", |t| t.text.as_str());
                let term = if stem == word {
                    WordTerm::Same(0)
                } else {
                    WordTerm::Other(stem)
                };
                let big = u8::from(layout.big.get(*t as usize).copied().unwrap_or(false));
                WordEntry::Word(word, term, found.map_or(0, |t| t.postings.len()), big)
            }
        })
        .collect();
    json(&entries)
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
    fn a_name_takes_a_number_only_for_a_hash_met_before() {
        // `a` twice stands for two first words of one hash.
        assert_eq!(numbers(["a", "pain", "a", "a"]), [0, 0, 1, 2]);
        assert_eq!(file_name("w/", "a", 0), "w/e40c292c.json");
        assert_eq!(file_name("g/", "a", 2), "g/e40c292c-2.json");
    }

    #[test]
    fn an_entry_is_the_term_then_its_postings_as_gaps_and_impacts() {
        let mut out = Vec::new();
        entry(
            &mut out,
            "ab",
            &Postings::Open(vec![3 << 8 | 200, 130 << 8 | 7]),
        );
        assert_eq!(out, [2, b'a', b'b', 5, 2, 3, 200, 127, 7]);
        let mut out = Vec::new();
        entry(&mut out, "", &Postings::Open(vec![1, 200 << 8 | 2]));
        assert_eq!(out, [0, 6, 2, 0, 1, 200, 1, 2]);
    }
}
