//! One page's edit taken into a live index (`handout serve`), so a save
//! rewrites only the index files that hold what changed: the page's terms'
//! postings, the word lists whose entries moved, its metadata file and the
//! manifest. The files are always those a whole build would write.

use rayon::prelude::*;

use super::index::{pack, page_terms, unpack, Edits, Index, Kind, Term, MAX_DOCS};
use super::language::Language;
use super::pages::{filters_of, order_key, read};
use super::postings::Postings;
use crate::content::Meta;
use crate::site::Site;
use crate::words::Lexicon;

impl Index {
    /// Every file of the index, by path under `search/<language>/`; an
    /// editable index remembers them, to tell what an edit changes.
    pub fn files(&mut self) -> Vec<(String, Vec<u8>)> {
        let (files, state) = super::files::files(self);
        if let Some(edits) = self.edits.as_mut() {
            edits.files = Some(state);
        }
        files
    }

    /// Hands every file of the index to `put` as it is made, by path under
    /// the output folder, the manifest last; returns how many. An editable
    /// index remembers them, as [`Index::files`] does.
    pub fn write<E: Send>(&mut self, put: &super::files::Put<E>) -> Result<usize, E> {
        let folder = super::folder_of(&self.language);
        let in_folder = |path: &str, bytes: &[u8]| put(&format!("{folder}{path}"), bytes);
        let (count, state) = super::files::write(self, &in_folder)?;
        if let Some(edits) = self.edits.as_mut() {
            edits.files = Some(state);
        }
        Ok(count)
    }

    /// Takes the edit of page `rel` (already in `site`: its new body's
    /// words and front matter), which kept its kind, URL and filters.
    /// Returns the files to write again (paths under the output folder),
    /// or `None` when the index cannot take it alone (not editable, the
    /// page is new, its filters changed, its first condition or treatment
    /// moved it in the doc order): build it again then.
    pub fn update(
        &mut self,
        site: &Site,
        language: &Language,
        rel: &str,
    ) -> Option<Vec<(String, Vec<u8>)>> {
        let i = site.by_rel.get(rel).copied()?;
        let Some(d) = self.docs.iter().position(|doc| doc.rel == rel) else {
            // The home page is not a result: nothing to do.
            let home = site.home == Some(i);
            return home.then(Vec::new);
        };
        let kind = self.docs.get(d)?.kind;
        // Its first condition or treatment may have moved it in the doc
        // order, and every page after it with it.
        let key_of = |d: usize| {
            let j = *site.by_rel.get(&self.docs.get(d)?.rel)?;
            order_key(site.pages.get(j)?)
        };
        let key = order_key(site.pages.get(i)?)?;
        let after_previous = d == 0 || key_of(d - 1).is_some_and(|previous| previous < key);
        if !after_previous || key_of(d + 1).is_some_and(|next| next <= key) {
            return None;
        }
        let lexicon = &site.lexicon;
        // A filter no page had before means a build.
        let stems = &self.edits.as_ref()?.stems;
        let filters: Vec<u32> = filters_of(site, i)
            .iter()
            .map(|f| stems.id(f))
            .collect::<Option<_>>()?;
        let body = site.pages.get(i)?.words.clone();
        // Reading the page puts its new words in the lexicon; they are
        // stemmed before its terms are made.
        let page = read(site, i, kind, filters, body)?;
        let mut edits = self.edits.take()?;
        edits.stems.update(lexicon, language);
        if self.docs.get(d).is_none_or(|doc| doc.path != page.doc.path) {
            self.edits = Some(edits);
            return None;
        }
        let mut new_terms = page_terms(&page, &edits.stems, None);
        // By term: a term is in the high bits, and each is there once.
        new_terms.sort_unstable();
        let doc = d as u32;
        let changed = self.replace_postings(doc, &new_terms, edits.stems.texts());
        // Which words the pages use now.
        let words = page.words();
        let old = edits.doc_words.get(d).cloned().unwrap_or_default();
        let words_moved =
            self.terms_emptied_or_first(&changed) | recount(&mut edits, lexicon, &old, &words);
        if let Some(slot) = edits.doc_words.get_mut(d) {
            *slot = words;
        }
        if let Some(slot) = self.docs.get_mut(d) {
            *slot = page.doc;
        }
        if words_moved {
            self.words = self.vocabulary(&edits, lexicon, language);
        }
        let files = match edits.files.as_mut() {
            Some(files) => files.update(self, &changed, d),
            None => {
                let (all, state) = super::files::files(self);
                edits.files = Some(state);
                all
            }
        };
        self.edits = Some(edits);
        Some(super::in_folder(&self.language, files))
    }

    /// Takes article `rel`, new in `site` or gone from it since the index
    /// was made, when no other page changed (`serve`, after a save that
    /// added or deleted one article): the pages after it in the doc order
    /// move by one, so every file is made again, but the index is not
    /// built again (about 100 ms at 10k). `None`, with the index as it
    /// was, when it cannot take it alone: not editable, another lexicon,
    /// not an article, a filter no page had, a synonym's word no page has
    /// any more, or other pages came or went. Build it again then.
    pub fn take_new_or_gone(&mut self, site: &Site, language: &Language, rel: &str) -> Option<()> {
        // Word numbers are those of the lexicon the site shares with the
        // last one (`serve` keeps it); each doc has its words.
        let edits = self.edits.as_ref()?;
        if edits.lexicon != site.lexicon.identity() || edits.doc_words.len() != self.docs.len() {
            return None;
        }
        // Every page but the home page is a result.
        let indexed = site
            .pages
            .iter()
            .filter(|p| !matches!(*p.source.meta, Meta::Home(_)))
            .count();
        match site.by_rel.get(rel) {
            Some(&i) if indexed == self.docs.len() + 1 => self.insert(site, language, i),
            None if indexed + 1 == self.docs.len() => self.remove(site, language, rel),
            _ => None,
        }
    }

    /// Puts page `i` (an article no doc is) in its place in the doc order.
    fn insert(&mut self, site: &Site, language: &Language, i: usize) -> Option<()> {
        let page = site.pages.get(i)?;
        let key = order_key(page)?;
        if key.0 != Kind::Article
            || self.docs.len() >= MAX_DOCS
            || self.docs.iter().any(|doc| doc.rel == page.source.rel)
        {
            return None;
        }
        let key_of = |d: usize| {
            let j = *site.by_rel.get(&self.docs.get(d)?.rel)?;
            order_key(site.pages.get(j)?)
        };
        // Its doc number: the first doc that sorts after it.
        let (mut low, mut high) = (0, self.docs.len());
        while low < high {
            let middle = low + (high - low) / 2;
            if key_of(middle)? < key {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        let d = low;
        let stems = &self.edits.as_ref()?.stems;
        let filters: Vec<u32> = filters_of(site, i)
            .iter()
            .map(|f| stems.id(f))
            .collect::<Option<_>>()?;
        let page = read(site, i, Kind::Article, filters, page.words.clone())?;
        let mut edits = self.edits.take()?;
        edits.stems.update(&site.lexicon, language);
        self.add_terms(edits.stems.texts());
        let mut terms = page_terms(&page, &edits.stems, None);
        terms.sort_unstable();
        let doc = d as u32;
        self.terms.par_iter_mut().for_each(|term| {
            term.postings.edit(|list| {
                let at = list.partition_point(|&p| unpack(p).0 < doc);
                for posting in list.iter_mut().skip(at) {
                    *posting += 1 << 8;
                }
            });
        });
        let mut changed = Vec::with_capacity(terms.len());
        for (t, impact) in terms.into_iter().map(unpack) {
            if let Some(term) = self.terms.get_mut(t as usize) {
                term.postings.edit(|list| {
                    let at = list.partition_point(|&p| unpack(p).0 < doc);
                    list.insert(at, pack(doc, impact));
                });
                changed.push(t as usize);
            }
        }
        let words = page.words();
        let words_moved =
            self.terms_emptied_or_first(&changed) | recount(&mut edits, &site.lexicon, &[], &words);
        edits.doc_words.insert(d, words);
        self.docs.insert(d, page.doc);
        self.finish_move(edits, words_moved, site, language);
        Some(())
    }

    /// Takes out the article at `rel`, gone from `site`.
    fn remove(&mut self, site: &Site, language: &Language, rel: &str) -> Option<()> {
        let d = self.docs.iter().position(|doc| doc.rel == rel)?;
        if self.docs.get(d)?.kind != Kind::Article || self.edits.is_none() {
            return None;
        }
        let doc = d as u32;
        // A term only it had leaves the site's words; a synonym naming
        // one is an error a build reports.
        let emptied = |t: &u32| {
            self.terms
                .get(*t as usize)
                .is_some_and(|term| term.postings.len() == 1 && term.postings.find(doc).is_ok())
        };
        if self
            .synonyms
            .iter()
            .any(|(phrase, name)| phrase.iter().chain(name).any(emptied))
        {
            return None;
        }
        let mut edits = self.edits.take()?;
        let changed: Vec<usize> = self
            .terms
            .par_iter_mut()
            .enumerate()
            .filter_map(|(t, term)| {
                let found = term.postings.find(doc);
                term.postings.edit(|list| {
                    let at = found.unwrap_or_else(|at| at);
                    if found.is_ok() {
                        list.remove(at);
                    }
                    for posting in list.iter_mut().skip(at) {
                        *posting -= 1 << 8;
                    }
                });
                found.ok().map(|_| t)
            })
            .collect();
        let old = edits.doc_words.remove(d);
        let words_moved =
            self.terms_emptied_or_first(&changed) | recount(&mut edits, &site.lexicon, &old, &[]);
        self.docs.remove(d);
        self.finish_move(edits, words_moved, site, language);
        Some(())
    }

    /// After a page came or went: the word list made again if it changed,
    /// and the files as last written forgotten (most of them moved).
    fn finish_move(
        &mut self,
        mut edits: Box<Edits>,
        words_moved: bool,
        site: &Site,
        language: &Language,
    ) {
        if words_moved {
            self.words = self.vocabulary(&edits, &site.lexicon, language);
        }
        edits.files = None;
        self.edits = Some(edits);
    }

    /// Empty terms for those new since the build (a word never seen
    /// before), so every term number has one.
    fn add_terms(&mut self, texts: &[String]) {
        for text in texts.iter().skip(self.terms.len()) {
            self.terms.push(Term {
                text: text.clone(),
                postings: Postings::default(),
            });
        }
    }

    /// Whether any of the `changed` terms has no page or one: the word
    /// list changes when a term's page count goes to or from zero.
    fn terms_emptied_or_first(&self, changed: &[usize]) -> bool {
        changed
            .iter()
            .any(|&t| self.terms.get(t).is_some_and(|t| t.postings.len() <= 1))
    }

    /// The word list made from every word some page uses.
    fn vocabulary(
        &self,
        edits: &Edits,
        lexicon: &Lexicon,
        language: &Language,
    ) -> Vec<(String, Option<u32>)> {
        super::index::vocabulary(
            self,
            &lexicon.words(),
            &edits.word_docs,
            &edits.stems,
            &edits.extra,
            language,
        )
    }

    /// The paths (under the output folder) of every file of the index as
    /// last made by [`Index::files`] or [`Index::update`] (editable only).
    pub fn paths(&self) -> Vec<String> {
        let folder = super::folder_of(&self.language);
        let files = self.edits.as_ref().and_then(|e| e.files.as_ref());
        files
            .map(|f| f.paths().map(|p| format!("{folder}{p}")).collect())
            .unwrap_or_default()
    }

    /// Puts doc `doc`'s new terms (`term << 8 | impact` each, in order) in
    /// the postings; returns the terms whose postings changed.
    fn replace_postings(&mut self, doc: u32, new: &[u32], texts: &[String]) -> Vec<usize> {
        self.add_terms(texts);
        let mut changed = Vec::new();
        let mut new = new.iter().map(|&p| unpack(p)).peekable();
        for (t, term) in self.terms.iter_mut().enumerate() {
            let want = match new.peek() {
                Some(&(n, impact)) if n as usize == t => {
                    new.next();
                    Some(super::index::pack(doc, impact))
                }
                _ => None,
            };
            let at = term.postings.find(doc);
            let edited = match (at, want) {
                (Ok(i), Some(posting)) => term.postings.edit(|list| match list.get_mut(i) {
                    Some(slot) if *slot != posting => {
                        *slot = posting;
                        true
                    }
                    _ => false,
                }),
                (Ok(i), None) => term.postings.edit(|list| {
                    list.remove(i);
                    true
                }),
                (Err(i), Some(posting)) => term.postings.edit(|list| {
                    list.insert(i, posting);
                    true
                }),
                (Err(_), None) => false,
            };
            if edited {
                changed.push(t);
            }
        }
        changed
    }
}

/// Moves one page's words from `old` to `new` in how many pages use each
/// word; returns whether a word came into use or went out of it (the
/// word list changes only then).
fn recount(edits: &mut Edits, lexicon: &Lexicon, old: &[u32], new: &[u32]) -> bool {
    edits.word_docs.resize(lexicon.count(), 0);
    let mut moved = false;
    for &w in old {
        if let Some(n) = edits.word_docs.get_mut(w as usize) {
            *n = n.saturating_sub(1);
            moved |= *n == 0;
        }
    }
    for &w in new {
        if let Some(n) = edits.word_docs.get_mut(w as usize) {
            moved |= *n == 0;
            *n += 1;
        }
    }
    moved
}
