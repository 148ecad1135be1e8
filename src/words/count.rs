//! Counting a page's words by their lexicon numbers, for the search index:
//! a body's prose and headings as it renders, a page's other fields when
//! the index reads them. Each thread keeps one table of counts, a row per
//! lexicon word, marked with the page it was last counted for, so a page
//! is counted without hashing its words into a map of its own, and
//! nothing is cleared between pages.

use std::cell::RefCell;

use super::{words, Lexicon, CACHE_LIMIT, MAX_WORD};

/// How often each word occurs in each part of a text, and how many words
/// each part has.
#[derive(Debug, Clone, PartialEq)]
pub struct Counts<const N: usize> {
    /// Word number and its count in each part, each word once, in the
    /// order first met in the text.
    pub words: Vec<(u32, [u16; N])>,
    pub lengths: [u32; N],
}

impl<const N: usize> Default for Counts<N> {
    fn default() -> Self {
        Counts {
            words: Vec::new(),
            lengths: [0; N],
        }
    }
}

/// A thread's table of counts, lent to one [`Counter`] at a time.
#[derive(Default)]
struct Table {
    /// The lexicon whose words `keys` numbers.
    lexicon: u64,
    /// Words of up to 16 bytes (nearly all), by [`pack`]ed bytes: their
    /// numbers without string hashing or compares.
    keys: Keys,
    /// Row `w` (a count per part, `N` parts from `w * N`) belongs to the
    /// page being counted when `stamps[w]` is its `page`; an older row is
    /// zeroed when the page first meets its word.
    stamps: Vec<u32>,
    counts: Vec<u16>,
    page: u32,
    /// The words the page has, in the order met.
    touched: Vec<u32>,
    /// A field's text, lowercased.
    lower: String,
}

thread_local! {
    static TABLE: RefCell<Table> = RefCell::new(Table::default());
}

/// Counts a page's words into parts (`N` of them), by lexicon number.
pub struct Counter<'a, const N: usize> {
    lexicon: &'a Lexicon,
    table: Table,
    lengths: [u32; N],
}

impl<'a, const N: usize> Counter<'a, N> {
    pub fn new(lexicon: &'a Lexicon) -> Self {
        // Taken from the thread, and given back by `finish` (a counter
        // made while another is counting on the same thread gets a new,
        // empty table).
        let mut table = TABLE.with(|t| std::mem::take(&mut *t.borrow_mut()));
        if table.lexicon != lexicon.id || table.keys.len() >= CACHE_LIMIT {
            table.lexicon = lexicon.id;
            table.keys.clear();
        }
        if table.page == u32::MAX {
            table.stamps.fill(0);
            table.page = 0;
        }
        table.page += 1;
        table.touched.clear();
        // Rows of `N` for every word the table has room for (the last
        // counter may have had fewer parts).
        let cells = table.stamps.len() * N;
        if table.counts.len() < cells {
            table.counts.resize(cells, 0);
        }
        Counter {
            lexicon,
            table,
            lengths: [0; N],
        }
    }

    /// Counts the words of `text` into part `part`.
    pub fn add(&mut self, part: usize, text: &str) {
        let mut lower = std::mem::take(&mut self.table.lower);
        lower.clear();
        lower.push_str(text);
        lower.make_ascii_lowercase();
        self.add_lowercase(part, &lower);
        self.table.lower = lower;
    }

    /// [`Counter::add`] of a text with no ASCII capitals: every word made
    /// only of lowercase ASCII letters and digits (nearly all) is counted
    /// by its bytes, without a copy or a string compare.
    pub fn add_lowercase(&mut self, part: usize, text: &str) {
        let bytes = text.as_bytes();
        runs(bytes, |start, end, plain| {
            let run = || text.get(start..end).unwrap_or_default();
            if plain {
                let len = end - start;
                if len <= MAX_WORD {
                    let key = bytes.get(start..).and_then(|rest| pack(rest, len));
                    let id = match key {
                        Some(key) => match self.table.keys.get(key) {
                            Some(id) => id,
                            None => self.first_seen(key, run()),
                        },
                        None => self.id(run()),
                    };
                    self.count(id, part);
                }
                return;
            }
            // Apostrophes, letters beyond ASCII: the whole rule, on the
            // run alone (it holds no separator, so it splits the same).
            words(run(), |word| {
                let id = self.id(&word);
                self.count(id, part);
            });
        });
    }

    /// The number of a word this thread has not met under `key`.
    fn first_seen(&mut self, key: u128, word: &str) -> u32 {
        let id = self.lexicon.id_locked(word);
        self.fit(id);
        self.table.keys.insert(key, id);
        id
    }

    /// The number of a word not packed (long, or not plain).
    fn id(&mut self, word: &str) -> u32 {
        let id = self.lexicon.id(word);
        self.fit(id);
        id
    }

    /// Makes room in the table for word `id`.
    fn fit(&mut self, id: u32) {
        let Table { stamps, counts, .. } = &mut self.table;
        let w = id as usize;
        if stamps.len() <= w {
            stamps.resize((w + 1).max(stamps.len() * 2), 0);
        }
        let cells = stamps.len() * N;
        if counts.len() < cells {
            counts.resize(cells, 0);
        }
    }

    /// Counts one occurrence of word `id` (which [`Counter::fit`] made
    /// room for) in part `part`.
    #[inline]
    fn count(&mut self, id: u32, part: usize) {
        let Table {
            stamps,
            counts,
            page,
            touched,
            ..
        } = &mut self.table;
        let w = id as usize;
        let row = w * N;
        match stamps.get_mut(w) {
            Some(stamp) if *stamp == *page => {}
            Some(stamp) => {
                *stamp = *page;
                touched.push(id);
                if let Some(cells) = counts.get_mut(row..row + N) {
                    cells.fill(0);
                }
            }
            None => return,
        }
        if let Some(cell) = counts.get_mut(row + part) {
            *cell = cell.saturating_add(1);
        }
        if let Some(length) = self.lengths.get_mut(part) {
            *length += 1;
        }
    }

    pub fn finish(self) -> Counts<N> {
        let Counter {
            mut table, lengths, ..
        } = self;
        let words = table
            .touched
            .iter()
            .map(|&id| {
                let row = id as usize * N;
                let mut out = [0u16; N];
                if let Some(cells) = table.counts.get(row..row + N) {
                    out.copy_from_slice(cells);
                }
                (id, out)
            })
            .collect();
        table.touched.clear();
        TABLE.with(|t| *t.borrow_mut() = table);
        Counts { words, lengths }
    }
}

/// Packed words and their numbers: a table of open addressing, with the
/// hash a multiplication (a packed word is never 0, which marks an empty
/// slot). Looking a word up is a few instructions, against several tens
/// for a general map.
#[derive(Default)]
struct Keys {
    slots: Vec<(u128, u32)>,
    len: usize,
    /// 64 less the bits of the slot count.
    shift: u32,
}

impl Keys {
    fn slot(&self, key: u128) -> usize {
        let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
        (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    fn get(&self, key: u128) -> Option<u32> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = self.slot(key);
        loop {
            let &(k, id) = self.slots.get(i)?;
            if k == key {
                return Some(id);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    fn insert(&mut self, key: u128, id: u32) {
        // At most half full.
        if (self.len + 1) * 2 > self.slots.len() {
            let old = std::mem::take(&mut self.slots);
            let size = (old.len() * 2).max(1024);
            self.slots = vec![(0, 0); size];
            self.shift = 64 - size.trailing_zeros();
            self.len = 0;
            for (k, id) in old.into_iter().filter(|&(k, _)| k != 0) {
                self.put(k, id);
            }
        }
        self.put(key, id);
    }

    fn put(&mut self, key: u128, id: u32) {
        let mask = self.slots.len() - 1;
        let mut i = self.slot(key);
        while let Some(slot) = self.slots.get_mut(i) {
            if slot.0 == 0 || slot.0 == key {
                if slot.0 == 0 {
                    self.len += 1;
                }
                *slot = (key, id);
                return;
            }
            i = (i + 1) & mask;
        }
    }

    fn len(&self) -> usize {
        self.len
    }

    fn clear(&mut self) {
        self.slots.fill((0, 0));
        self.len = 0;
    }
}

/// What a byte is to [`runs`]: a lowercase ASCII letter or digit, an
/// ASCII separator (never inside a word), or anything else (a
/// capital, an apostrophe, a byte of a longer character). Made from the
/// classes [`words`] gives ASCII, so the two split text the same way.
const LOWER: u8 = 0;
const SEPARATOR: u8 = 1;
const OTHER: u8 = 2;

const RUN: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = match super::ASCII[b] {
            super::PLAIN => LOWER,
            super::UPPER | super::APOSTROPHE => OTHER,
            _ => SEPARATOR,
        };
        b += 1;
    }
    table
};

/// Calls `f(start, end, plain)` with each run of `bytes` between ASCII
/// separators; `plain` when it holds only lowercase ASCII letters and
/// digits, so it is one word as it is. Runs end at ASCII bytes, so each
/// is whole characters of the text.
fn runs(bytes: &[u8], mut f: impl FnMut(usize, usize, bool)) {
    let mut start = 0;
    let mut plain = true;
    for (i, &b) in bytes.iter().enumerate() {
        match RUN.get(usize::from(b)).copied().unwrap_or(OTHER) {
            LOWER => {}
            SEPARATOR => {
                if i > start {
                    f(start, i, plain);
                }
                start = i + 1;
                plain = true;
            }
            _ => plain = false,
        }
    }
    if bytes.len() > start {
        f(start, bytes.len(), plain);
    }
}

/// Each mask keeps the first `n` bytes of 16.
const MASKS: [u128; 17] = {
    let mut masks = [0u128; 17];
    let mut n = 1;
    while n <= 16 {
        masks[n] = u128::MAX >> (128 - 8 * n);
        n += 1;
    }
    masks
};

/// The first `len` bytes (1 to 16) of `bytes` as a number, little end
/// first (a word is letters and digits, so no byte of it is zero and no
/// two words are the same number): read as 16 bytes at once where the
/// text goes on that far.
fn pack(bytes: &[u8], len: usize) -> Option<u128> {
    if len == 0 || len > 16 {
        return None;
    }
    match bytes.first_chunk::<16>() {
        Some(window) => Some(u128::from_le_bytes(*window) & MASKS.get(len)?),
        None => {
            let mut out = [0u8; 16];
            out.get_mut(..len)?.copy_from_slice(bytes.get(..len)?);
            Some(u128::from_le_bytes(out))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each word with its counts, by text.
    fn counted<const N: usize>(lexicon: &Lexicon, counts: &Counts<N>) -> Vec<(String, [u16; N])> {
        let words = lexicon.words();
        let mut out: Vec<(String, [u16; N])> = counts
            .words
            .iter()
            .map(|(id, c)| (words[*id as usize].to_string(), *c))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn counts_each_word_by_part() {
        let lexicon = Lexicon::new();
        let mut c = Counter::<3>::new(&lexicon);
        c.add(0, "Knee pain, knee PAIN; don't Café");
        c.add(2, "knee-high");
        let counts = c.finish();
        assert_eq!(
            counted(&lexicon, &counts),
            [
                ("café".to_string(), [1, 0, 0]),
                ("dont".to_string(), [1, 0, 0]),
                ("high".to_string(), [0, 0, 1]),
                ("knee".to_string(), [2, 0, 1]),
                ("pain".to_string(), [2, 0, 0]),
            ]
        );
        assert_eq!(counts.lengths, [6, 0, 2]);
        // In the order first met.
        let words = lexicon.words();
        let first: Vec<&str> = counts
            .words
            .iter()
            .map(|(id, _)| &*words[*id as usize])
            .collect();
        assert_eq!(first, ["knee", "pain", "dont", "café", "high"]);
    }

    #[test]
    fn a_page_starts_from_zero_and_the_table_is_reused() {
        let lexicon = Lexicon::new();
        let mut first = Counter::<2>::new(&lexicon);
        first.add(0, "one two two");
        assert_eq!(first.finish().words.len(), 2);
        let mut second = Counter::<2>::new(&lexicon);
        second.add(1, "two three");
        let counts = second.finish();
        assert_eq!(
            counted(&lexicon, &counts),
            [("three".to_string(), [0, 1]), ("two".to_string(), [0, 1])]
        );
        // Another lexicon numbers its words from zero again.
        let other = Lexicon::new();
        let mut c = Counter::<2>::new(&other);
        c.add(0, "three");
        assert_eq!(
            counted(&other, &c.finish()),
            [("three".to_string(), [1, 0])]
        );
    }

    #[test]
    fn counts_the_same_words_as_the_rule() {
        let texts = [
            "plain words only",
            "Heel-pain? Don’t worry: 60462, Café Ñandú. it's 'quoted' o'",
            "  ...!!! 🙂 <script> x",
            &"y".repeat(41),
            &"z".repeat(40),
            "abcdefghijklmnop abcdefghijklmnopq inflammations123",
            "end-of-text-word",
        ];
        for text in texts {
            let lexicon = Lexicon::new();
            let mut c = Counter::<1>::new(&lexicon);
            c.add(0, text);
            let counts = c.finish();
            let mut expected: Vec<(String, [u16; 1])> = Vec::new();
            words(text, |w| match expected.iter_mut().find(|(e, _)| *e == w) {
                Some((_, n)) => n[0] += 1,
                None => expected.push((w.into_owned(), [1])),
            });
            expected.sort();
            assert_eq!(counted(&lexicon, &counts), expected, "{text}");
            let total: u16 = expected.iter().map(|(_, n)| n[0]).sum();
            assert_eq!(counts.lengths, [u32::from(total)], "{text}");
        }
    }

    #[test]
    fn keys_find_what_was_put() {
        let mut keys = Keys::default();
        assert_eq!(keys.get(5), None);
        for k in 1..5000u128 {
            keys.insert(k << 64 | k, k as u32);
        }
        assert_eq!(keys.len(), 4999);
        assert!((1..5000u128).all(|k| keys.get(k << 64 | k) == Some(k as u32)));
        assert_eq!(keys.get(5000 << 64 | 5000), None);
        keys.insert(7 << 64 | 7, 1);
        assert_eq!((keys.len(), keys.get(7 << 64 | 7)), (4999, Some(1)));
        keys.clear();
        assert_eq!((keys.len(), keys.get(7 << 64 | 7)), (0, None));
    }

    #[test]
    fn words_pack_into_their_bytes() {
        let pack = |word: &str| {
            let mut out = [0u8; 16];
            out[..word.len()].copy_from_slice(word.as_bytes());
            u128::from_le_bytes(out)
        };
        let text = b"knee abcdefghijklmnop x";
        assert_eq!(super::pack(text, 4), Some(pack("knee")));
        assert_eq!(super::pack(&text[5..], 16), Some(pack("abcdefghijklmnop")));
        assert_eq!(super::pack(&text[22..], 1), Some(pack("x")));
        assert_eq!(super::pack(&text[5..], 17), None);
        assert_eq!(super::pack(text, 0), None);
    }
}
