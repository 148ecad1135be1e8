//! The index of one language, built from the site model: which pages hold
//! each term and how strongly (BM25F, see docs/search.md), the words that
//! lead to each term, and what a result shows.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::language::Language;
use super::pages::{doc_order, filters, read, Read};
use super::postings::Postings;
use super::synonyms::Synonyms;
use crate::site::Site;
use crate::words::{fold, BodyWords, Lexicon};

/// The parts of a page the index tells apart, each with its own weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The title, and an article's `also_known_as`.
    Title = 0,
    /// Conditions, treatments and tags; a clinic's services.
    Terms = 1,
    Description = 2,
    Headings = 3,
    Body = 4,
    /// Comparison tables.
    Tables = 5,
    /// Author, reviewer, a clinic's clinicians.
    People = 6,
    /// A clinic's city, address, ZIP code and the towns it serves.
    Place = 7,
}

pub(super) const FIELDS: usize = 8;

/// How much one occurrence in each field counts against one in the body.
pub const WEIGHTS: [f32; FIELDS] = [8.0, 5.0, 3.0, 2.5, 1.0, 1.5, 2.0, 6.0];
/// Length normalisation (BM25's `b`) of each field.
pub const B: [f32; FIELDS] = [0.5, 0.3, 0.5, 0.5, 0.75, 0.5, 0.3, 0.3];
/// The typical length of each field in words. BM25 divides by the average
/// length; a fixed one keeps a page's scores its own, so an edit changes
/// only the index files holding that page's words.
pub const TYPICAL_LENGTH: [f32; FIELDS] = [6.0, 8.0, 25.0, 40.0, 800.0, 80.0, 4.0, 12.0];
/// BM25's saturation: how fast more occurrences stop adding.
pub const K1: f32 = 1.2;

/// What a result is; the order of doc numbers (clinics first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Location,
    Author,
    Page,
    Article,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Location => "location",
            Kind::Author => "author",
            Kind::Page => "page",
            Kind::Article => "article",
        }
    }
}

/// One page in the index.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub kind: Kind,
    /// Its source file from `content/`, to find it again after an edit.
    pub rel: String,
    /// Site path: `articles/a/`.
    pub path: String,
    pub title: String,
    pub description: String,
    pub excerpt: String,
}

/// A term: a stem, or a filter (`#c:sciatica`, `#t:dry-needling`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Term {
    pub text: String,
    /// Each page holding it, by doc number.
    pub postings: Postings,
}

/// Doc number and impact of a packed posting.
pub fn unpack(posting: u32) -> (u32, u8) {
    (posting >> 8, (posting & 0xff) as u8)
}

/// A doc (or term) number and an impact in one `u32`, as [`unpack`]
/// reads them back.
pub fn pack(number: u32, impact: u8) -> u32 {
    number << 8 | u32::from(impact)
}

/// Doc numbers must fit in 24 bits: 16 million pages.
pub const MAX_DOCS: usize = 1 << 24;

/// Term numbers too, packed with an impact while the index is made.
const MAX_TERMS: usize = 1 << 24;

/// Pages read at a time (see [`build`]).
const BLOCK: usize = 2048;

#[cfg(test)]
thread_local! {
    /// A smaller block for tests, so that a small site spans several.
    pub(crate) static TEST_BLOCK: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

fn block_size() -> usize {
    #[cfg(test)]
    if let Some(block) = TEST_BLOCK.with(std::cell::Cell::get) {
        return block;
    }
    BLOCK
}

/// An index of `count` terms is one this format can make.
fn fits_terms(count: usize) -> Result<(), crate::error::Errors> {
    if count <= MAX_TERMS {
        return Ok(());
    }
    let place = crate::error::Place::file(crate::config::CONFIG_FILE);
    let message = format!(
        "the pages have {count} different words for the search index, more than the {MAX_TERMS} it can hold"
    );
    Err(crate::error::Diagnostic::new(place, message)
        .hint("turn search off with `search: false` in site.yaml")
        .into())
}

/// The whole index of one language, ready to be written as files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Index {
    pub language: String,
    pub docs: Vec<Doc>,
    pub terms: Vec<Term>,
    /// Every word (folded) of the indexed pages and the synonyms, with its
    /// term, or `None` for a stop word; sorted.
    pub words: Vec<(String, Option<u32>)>,
    /// Patients' phrases (as terms) and the names they lead to.
    pub synonyms: Vec<(Vec<u32>, Vec<u32>)>,
    /// What taking one page's edit needs (`serve`); none for `build`.
    pub edits: Option<Box<Edits>>,
}

/// What [`Index::update`] needs beyond the index itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Edits {
    /// The lexicon (`Lexicon::identity`) its word numbers are of.
    pub(super) lexicon: u64,
    pub(super) stems: Stems,
    /// The synonyms' words and their terms.
    pub(super) extra: Vec<(String, u32)>,
    /// Each page's words (lexicon numbers), by doc number.
    pub(super) doc_words: Vec<Vec<u32>>,
    /// How many pages use each word, by lexicon number.
    pub(super) word_docs: Vec<u32>,
    /// The files as last written.
    pub(super) files: Option<super::files::Files>,
}

/// A field's length rounded to a step of 10%: adding a sentence to a page
/// leaves it as it was, so the impacts of the words that did not change
/// stay the same, and an edit rewrites fewer index files.
pub fn bucket(length: u32) -> f32 {
    if length == 0 {
        return 0.0;
    }
    let step = 1.1f32.ln();
    ((length as f32).ln() / step)
        .round()
        .mul_add(step, 0.0)
        .exp()
}

/// The impact of a term in a page: BM25's saturated frequency in 1-255
/// (the browser multiplies it by the term's idf).
pub fn impact(pseudo: f32) -> u8 {
    let saturated = pseudo / (K1 + pseudo);
    (saturated * 255.0).round().clamp(1.0, 255.0) as u8
}

/// Each lexicon word's term (or `None` for a stop word), made as needed.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Stems {
    /// Each word's [`Entry`], by lexicon number.
    of_word: Vec<u32>,
    /// The first word given each term (or [`Entry::STOP`] for a term no
    /// word has yet: a filter's, a synonym's).
    first_word: Vec<u32>,
    ids: FxHashMap<String, u32>,
    texts: Vec<String>,
}

/// A word's term, in a `u32`: the term's number, with [`Entry::SHARED`]
/// set when other words have that term too (`knee`, `knees`), or
/// [`Entry::STOP`] for a stop word. A page's word whose term is its own
/// alone needs no summing with the page's other words.
struct Entry;

impl Entry {
    const STOP: u32 = u32::MAX;
    const SHARED: u32 = 1 << 31;
}

impl Stems {
    fn term(&mut self, text: String) -> u32 {
        if let Some(&id) = self.ids.get(&text) {
            return id;
        }
        let id = self.texts.len() as u32;
        self.ids.insert(text.clone(), id);
        self.texts.push(text);
        self.first_word.push(Entry::STOP);
        id
    }

    /// Stems the words the lexicon gained since last time.
    pub(super) fn update(&mut self, lexicon: &Lexicon, language: &Language) {
        let new: Vec<Option<String>> = lexicon
            .words_from(self.of_word.len())
            .par_iter()
            .map(|w| (!language.is_stop(&fold(w))).then(|| language.stem(w)))
            .collect();
        for stem in new {
            let word = self.of_word.len() as u32;
            let Some(term) = stem.map(|s| self.term(s)) else {
                self.of_word.push(Entry::STOP);
                continue;
            };
            // A second word of the term marks both shared (a third finds
            // the first marked already). Shared is always safe: such a
            // word is summed.
            let entry = match self.first_word.get_mut(term as usize) {
                Some(first) if *first == Entry::STOP => {
                    *first = word;
                    term
                }
                Some(first) => {
                    let first = *first as usize;
                    if let Some(entry) = self.of_word.get_mut(first) {
                        *entry |= Entry::SHARED;
                    }
                    term | Entry::SHARED
                }
                None => term | Entry::SHARED,
            };
            self.of_word.push(entry);
        }
    }

    /// Word `word`'s [`Entry`].
    fn entry(&self, word: u32) -> u32 {
        self.of_word
            .get(word as usize)
            .copied()
            .unwrap_or(Entry::STOP)
    }

    pub(super) fn of(&self, word: u32) -> Option<u32> {
        let entry = self.entry(word);
        (entry != Entry::STOP).then_some(entry & !Entry::SHARED)
    }

    /// The number of the term `text`, if it has one.
    pub(super) fn id(&self, text: &str) -> Option<u32> {
        self.ids.get(text).copied()
    }

    /// Every term's text, by number.
    pub(super) fn texts(&self) -> &[String] {
        &self.texts
    }
}

thread_local! {
    /// Each term's counts in the page being read (by term number), and
    /// which terms have any: a page's terms summed without hashing.
    static SUMS: std::cell::RefCell<(Vec<[u16; FIELDS]>, Vec<u32>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// The terms of a page with their impacts, each `term << 8 | impact`
/// ([`pack`]; half the bytes of a pair, and the index holds a block of
/// pages' at once), from its word counts (several words share one term:
/// `knee`, `knees`), each once, in no particular order. Each word the
/// page has is marked used (set to 1) in `used`, if given.
pub(super) fn page_terms(read: &Read, stems: &Stems, used: Option<&[AtomicU32]>) -> Vec<u32> {
    SUMS.with(|cell| {
        let mut guard = cell.borrow_mut();
        let (sums, touched) = &mut *guard;
        // A slot past every term's, for stop words (never written).
        let spare = stems.texts.len();
        if sums.len() <= spare {
            sums.resize(spare + 1, [0; FIELDS]);
        }
        touched.clear();
        let mark_used = |word: u32| {
            // Read before it is written, so that the cache lines of words
            // every page has are not taken from thread to thread.
            if let Some(flag) = used.and_then(|used| used.get(word as usize)) {
                if flag.load(Ordering::Relaxed) == 0 {
                    flag.store(1, Ordering::Relaxed);
                }
            }
        };
        // Adds a word's counts in each field to its term's, all fields at
        // once (most are 0: a test of each was a tenth of the making).
        let add = |sums: &mut Vec<[u16; FIELDS]>,
                   touched: &mut Vec<u32>,
                   term: u32,
                   counts: [u16; FIELDS]| {
            if counts == [0; FIELDS] {
                return;
            }
            if let Some(slot) = sums.get_mut(term as usize) {
                if *slot == [0; FIELDS] {
                    touched.push(term);
                }
                for (sum, count) in slot.iter_mut().zip(counts) {
                    *sum = sum.saturating_add(count);
                }
            }
        };
        // Counts in one field only.
        let one = |field: Field, count: u16| {
            let mut counts = [0; FIELDS];
            if let Some(c) = counts.get_mut(field as usize) {
                *c = count;
            }
            counts
        };
        for &(word, counts) in &read.counts.words {
            mark_used(word);
            let Some(term) = stems.of(word) else {
                continue;
            };
            add(sums, touched, term, counts);
        }
        let mut lengths = read.counts.lengths;
        if let Some(body) = read.body.as_deref() {
            lengths[Field::Body as usize] += body.lengths[0];
            lengths[Field::Headings as usize] += body.lengths[1];
        }
        let norms: [f32; FIELDS] = std::array::from_fn(|f| {
            let length = bucket(lengths[f]);
            let norm = 1.0 - B[f] + B[f] * length / TYPICAL_LENGTH[f];
            WEIGHTS[f] / norm.max(0.1)
        });
        let body = Field::Body as usize;
        // The impact of a term found only in the body (most), by count:
        // the same sum as below (the other fields add nothing), made once
        // a page for each count.
        let mut body_only = [0u8; 32];
        let mut body_impact = |count: u16| -> u8 {
            let known = body_only.get(usize::from(count)).copied();
            if let Some(known) = known.filter(|&k| k != 0) {
                return known;
            }
            let mut counts = [0; FIELDS];
            if let Some(c) = counts.get_mut(body) {
                *c = count;
            }
            let made = impact(pseudo(&counts, &norms));
            if let Some(slot) = body_only.get_mut(usize::from(count)) {
                *slot = made;
            }
            made
        };
        let body_len = read.body.as_deref().map_or(0, BodyWords::len);
        let mut out: Vec<u32> =
            Vec::with_capacity(read.counts.words.len() + body_len + read.filters.len());
        if let Some(words) = read.body.as_deref() {
            // Most words are the prose's alone, read in a loop of their
            // own; most of those are the only word of their term on the
            // page and in no other field, so their count is the term's.
            // Whether a word is a stop word, alone or summed is as good as
            // random from one word to the next, so it is taken as data,
            // not as branches: each word's term is written to `out` and
            // to `touched`, and kept or not. With branches the loop took
            // three times as long over a page as it did again over the
            // same page, its branches learnt (33 ms against 11 at 10k).
            let prose = words.prose_len();
            let mut kept = out.len();
            out.resize(kept + prose, 0);
            let mut new_terms = touched.len();
            touched.resize(new_terms + prose, 0);
            for (word, count) in words.prose() {
                mark_used(word);
                let entry = stems.entry(word);
                let stop = entry == Entry::STOP;
                let term =
                    std::hint::select_unpredictable(stop, spare, (entry & !Entry::SHARED) as usize);
                let Some(slot) = sums.get_mut(term) else {
                    continue;
                };
                let fresh = *slot == [0; FIELDS];
                // A stop word's entry has the shared bit: never alone.
                let alone = fresh & (entry & Entry::SHARED == 0);
                let summed = !alone & !stop;
                if let Some(at) = out.get_mut(kept) {
                    *at = pack(term as u32, body_impact(count));
                }
                kept += usize::from(alone);
                if let Some(sum) = slot.get_mut(body) {
                    *sum = sum.saturating_add(count & 0u16.wrapping_sub(u16::from(summed)));
                }
                if let Some(at) = touched.get_mut(new_terms) {
                    *at = term as u32;
                }
                new_terms += usize::from(fresh & summed);
            }
            out.truncate(kept);
            touched.truncate(new_terms);
            for &(word, [prose, headings]) in words.others() {
                mark_used(word);
                let Some(term) = stems.of(word) else { continue };
                let mut counts = one(Field::Body, prose);
                if let Some(c) = counts.get_mut(Field::Headings as usize) {
                    *c = headings;
                }
                add(sums, touched, term, counts);
            }
        }
        for &term in touched.iter() {
            let Some(slot) = sums.get_mut(term as usize) else {
                continue;
            };
            let counts = std::mem::replace(slot, [0; FIELDS]);
            // Its count, for a term in the body alone: the counts with the
            // body's taken out are all 0 (one compare of the whole array).
            let mut elsewhere = counts;
            let in_body = elsewhere.get_mut(body).map_or(0, std::mem::take);
            let impact = if elsewhere == [0; FIELDS] {
                body_impact(in_body)
            } else {
                impact(pseudo(&counts, &norms))
            };
            out.push(pack(term, impact));
        }
        // A filter term: only the page's own conditions and treatments
        // have one (a word's term never starts with `#`).
        let mut filters = read.filters.clone();
        filters.sort_unstable();
        filters.dedup();
        out.extend(filters.into_iter().map(|term| pack(term, 255)));
        out
    })
}

/// A term's weighted count on a page: its count in each field times the
/// field's weight over its length's norm.
fn pseudo(counts: &[u16; FIELDS], norms: &[f32; FIELDS]) -> f32 {
    counts
        .iter()
        .zip(norms)
        .map(|(&c, &n)| f32::from(c) * n)
        .sum()
}

/// A block of pages' docs, terms and (when editable) words, in doc order.
type Made = (Vec<Doc>, (Vec<Vec<u32>>, Vec<Vec<u32>>));

/// Appends the terms of pages numbered from `first` on to their postings.
fn append_postings(postings: &mut [Postings], first: usize, terms: Vec<Vec<u32>>) {
    for (d, terms) in (first..).zip(terms) {
        for (term, impact) in terms.into_iter().map(unpack) {
            if let Some(list) = postings.get_mut(term as usize) {
                list.push(d as u32, impact);
            }
        }
    }
}

/// Builds the index of `site`'s pages in `language`, with the site's
/// synonyms; a synonym that names no word of the pages, or loops, is an
/// error (the build's). `bodies` holds each page's body words (by page
/// number), counted as it rendered; each is let go once its page's terms
/// are made. With `editable`, it keeps what [`Index::update`] needs to
/// take one page's edit (each page's words).
pub fn build(
    site: &Site,
    mut bodies: Vec<Option<Arc<BodyWords>>>,
    language: &Language,
    synonyms: &Synonyms,
    editable: bool,
) -> Result<Index, crate::error::Errors> {
    let lexicon = &site.lexicon;
    let mut order = doc_order(site);
    order.truncate(MAX_DOCS);
    let mut stems = Stems::default();
    let mut filters = filters(site, |text| stems.term(text));
    let mut pages = order
        .iter()
        .map(|&(i, kind)| {
            let filters = filters.get_mut(i).map(std::mem::take).unwrap_or_default();
            let body = bodies.get_mut(i).and_then(Option::take);
            (i, kind, filters, body)
        })
        .collect::<Vec<_>>()
        .into_iter();
    drop(bodies);
    // How many pages use each word: for `serve`, each page's words and
    // the counts, to take edits; for `build`, only whether any page does
    // (1 or 0: the word list leaves out the words of pages not indexed).
    let mut word_docs: Vec<AtomicU32> = Vec::new();
    let mut docs: Vec<Doc> = Vec::with_capacity(order.len());
    // Each term's postings, by term number, appended a block at a time:
    // pages are numbered in order, so each list comes out sorted, and no
    // page's terms are held past its block.
    let mut postings: Vec<Postings> = Vec::new();
    let mut doc_words = Vec::new();
    // A block of pages at a time: their fields are read (their words
    // going into the lexicon), the words new to it stemmed, then their
    // terms made. Only a block's field counts are held at once, and each
    // field is read once. The last round, with no pages left, stems the
    // words only pages not indexed have (the home page's body).
    // A block's postings are appended (on one core: the lists are not
    // split) while the next block is read on the others.
    let mut made: Option<Made> = None;
    loop {
        let block: Vec<_> = pages.by_ref().take(block_size()).collect();
        let done = block.is_empty();
        let read_block = || -> Vec<Read> {
            block
                .into_par_iter()
                .filter_map(|(i, kind, filters, body)| read(site, i, kind, filters, body))
                .collect()
        };
        let reads = match made.take() {
            Some(made) => {
                let append = || {
                    let (block_docs, (block_terms, block_words)) = made;
                    append_postings(&mut postings, docs.len(), block_terms);
                    docs.extend(block_docs);
                    if editable {
                        doc_words.extend(block_words);
                    }
                };
                rayon::join(read_block, append).0
            }
            None => read_block(),
        };
        stems.update(lexicon, language);
        fits_terms(stems.texts.len())?;
        word_docs.resize_with(stems.of_word.len(), || AtomicU32::new(0));
        if done {
            break;
        }
        made = Some(
            reads
                .into_par_iter()
                .map(|read| {
                    if !editable {
                        let terms = page_terms(&read, &stems, Some(&word_docs));
                        return (read.doc, (terms, Vec::new()));
                    }
                    let words = read.words();
                    for w in &words {
                        if let Some(n) = word_docs.get(*w as usize) {
                            n.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    let terms = page_terms(&read, &stems, None);
                    (read.doc, (terms, words))
                })
                .unzip(),
        );
        postings.resize_with(stems.texts.len(), || Postings::new(editable));
    }
    let lexicon_words = lexicon.words();
    let word_docs: Vec<u32> = word_docs.into_iter().map(AtomicU32::into_inner).collect();
    let stem_of = |text: &str| {
        let mut out = Vec::new();
        crate::words::words(text, |w| {
            if !language.is_stop(&fold(&w)) {
                out.push(language.stem(&w));
            }
        });
        out
    };
    let known = |t: &str| {
        stems
            .ids
            .get(t)
            .and_then(|&id| postings.get(id as usize))
            .is_some_and(|list| !list.is_empty())
    };
    let resolved = super::synonyms::resolve(synonyms, stem_of, known)?;
    // The synonyms' words, found on the pages or not, so the browser can
    // tell which terms a patient's phrase is made of.
    let mut extra = Vec::new();
    for rule in &synonyms.rules {
        for other in &rule.others {
            crate::words::words(other, |w| {
                let folded = fold(&w).into_owned();
                if !language.is_stop(&folded) {
                    extra.push((folded, stems.term(language.stem(&w))));
                }
            });
        }
    }
    let mut ids =
        |phrase: &[String]| -> Vec<u32> { phrase.iter().map(|t| stems.term(t.clone())).collect() };
    let rules: Vec<(Vec<u32>, Vec<u32>)> = resolved
        .iter()
        .map(|r| (ids(&r.phrase), ids(&r.name)))
        .collect();
    // The synonyms may have added terms no page has.
    postings.resize_with(stems.texts.len(), || Postings::new(editable));
    let terms: Vec<Term> = stems
        .texts
        .iter()
        .zip(postings)
        .map(|(text, postings)| Term {
            text: text.clone(),
            postings,
        })
        .collect();
    let mut index = Index {
        language: language.code.clone(),
        docs,
        terms,
        words: Vec::new(),
        synonyms: rules,
        edits: None,
    };
    index.words = vocabulary(&index, &lexicon_words, &word_docs, &stems, &extra, language);
    if editable {
        index.edits = Some(Box::new(Edits {
            lexicon: lexicon.identity(),
            stems,
            extra,
            doc_words,
            word_docs,
            files: None,
        }));
    }
    Ok(index)
}

/// The word list: every word of the indexed pages (folded) with its term,
/// the synonyms' words, the stop words (with none) and the filters.
pub(super) fn vocabulary(
    index: &Index,
    lexicon_words: &[Box<str>],
    word_docs: &[u32],
    stems: &Stems,
    extra: &[(String, u32)],
    language: &Language,
) -> Vec<(String, Option<u32>)> {
    let text = |t: &Option<u32>| {
        t.and_then(|t| index.terms.get(t as usize))
            .map(|t| t.text.as_str())
    };
    let mut words: FxHashMap<String, Option<u32>> = FxHashMap::default();
    // Two words may fold alike (`café`, `cafe`): the smaller term wins,
    // whatever order the words were numbered in.
    let put =
        |words: &mut FxHashMap<String, Option<u32>>, word: String, term: Option<u32>| match words
            .get_mut(&word)
        {
            Some(slot) => {
                if text(&term) < text(slot) {
                    *slot = term;
                }
            }
            None => {
                words.insert(word, term);
            }
        };
    for (id, word) in lexicon_words.iter().enumerate() {
        if word_docs.get(id).is_some_and(|&n| n > 0) {
            put(&mut words, fold(word).into_owned(), stems.of(id as u32));
        }
    }
    for (word, term) in extra {
        if !words.contains_key(word) {
            put(&mut words, word.clone(), Some(*term));
        }
    }
    for stop in language.stop_words() {
        words.insert(stop.to_string(), None);
    }
    for (text, id) in stems.texts.iter().zip(0u32..) {
        if text.starts_with('#')
            && index
                .terms
                .get(id as usize)
                .is_some_and(|t| !t.postings.is_empty())
        {
            words.insert(text.clone(), Some(id));
        }
    }
    let mut words: Vec<(String, Option<u32>)> = words.into_iter().collect();
    words.sort_unstable();
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_past_what_packs_are_an_error_that_says_how_to_build() {
        assert!(fits_terms(MAX_TERMS).is_ok());
        let errors = fits_terms(MAX_TERMS + 1).expect_err("too many terms");
        let text = errors.to_string();
        assert!(text.contains("site.yaml"), "{text}");
        assert!(text.contains("16777217 different words"), "{text}");
        assert!(text.contains("search: false"), "{text}");
    }
}
