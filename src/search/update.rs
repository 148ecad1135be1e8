//! One page's edit taken into a live index (`handout serve`), so a save
//! rewrites only the index files that hold what changed: the page's terms'
//! postings, the word lists whose entries moved, its metadata file and the
//! manifest. The files are always those a whole build would write.

use super::index::{page_terms, Index};
use super::language::Language;
use super::pages::{filters_of, order_key, read};
use crate::site::Site;

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
        new_terms.sort_unstable_by_key(|&(term, _)| term);
        let doc = d as u32;
        let changed = self.replace_postings(doc, &new_terms, edits.stems.texts());
        // Which words the pages use now.
        let words = page.words();
        let old = edits.doc_words.get(d).cloned().unwrap_or_default();
        let total = lexicon.words();
        edits.word_docs.resize(total.len(), 0);
        // The word list changes only when a word comes into use or goes
        // out of it, or a term's page count goes to or from zero.
        let mut words_moved = changed
            .iter()
            .any(|&t| self.terms.get(t).is_some_and(|t| t.postings.len() <= 1));
        for &w in &old {
            if let Some(n) = edits.word_docs.get_mut(w as usize) {
                *n = n.saturating_sub(1);
                words_moved |= *n == 0;
            }
        }
        for &w in &words {
            if let Some(n) = edits.word_docs.get_mut(w as usize) {
                words_moved |= *n == 0;
                *n += 1;
            }
        }
        if let Some(slot) = edits.doc_words.get_mut(d) {
            *slot = words;
        }
        if let Some(slot) = self.docs.get_mut(d) {
            *slot = page.doc;
        }
        if words_moved {
            self.words = super::index::vocabulary(
                self,
                &total,
                &edits.word_docs,
                &edits.stems,
                &edits.extra,
                language,
            );
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

    /// The paths (under the output folder) of every file of the index as
    /// last made by [`Index::files`] or [`Index::update`] (editable only).
    pub fn paths(&self) -> Vec<String> {
        let folder = super::folder_of(&self.language);
        let files = self.edits.as_ref().and_then(|e| e.files.as_ref());
        files
            .map(|f| f.paths().map(|p| format!("{folder}{p}")).collect())
            .unwrap_or_default()
    }

    /// Puts doc `doc`'s new terms in the postings; returns the terms whose
    /// postings changed.
    fn replace_postings(&mut self, doc: u32, new: &[(u32, u8)], texts: &[String]) -> Vec<usize> {
        // Terms new since the build (a word never seen before).
        for text in texts.iter().skip(self.terms.len()) {
            self.terms.push(super::index::Term {
                text: text.clone(),
                postings: Vec::new(),
            });
        }
        let mut changed = Vec::new();
        let mut new = new.iter().peekable();
        for (t, term) in self.terms.iter_mut().enumerate() {
            let want = match new.peek() {
                Some(&&(n, impact)) if n as usize == t => {
                    new.next();
                    Some(super::index::pack(doc, impact))
                }
                _ => None,
            };
            let at = term.postings.binary_search_by_key(&doc, |p| p >> 8);
            match (at, want) {
                (Ok(i), Some(posting)) => {
                    if let Some(slot) = term.postings.get_mut(i) {
                        if *slot != posting {
                            *slot = posting;
                            changed.push(t);
                        }
                    }
                }
                (Ok(i), None) => {
                    term.postings.remove(i);
                    changed.push(t);
                }
                (Err(i), Some(posting)) => {
                    term.postings.insert(i, posting);
                    changed.push(t);
                }
                (Err(_), None) => {}
            }
        }
        changed
    }
}
