//! Words out of text for the search index, the same way here and in the
//! search script (`themes/default/scripts/search.js`): runs of
//! letters and digits, apostrophes inside a word dropped (`don't` ->
//! `dont`), lowercased; accents folded (`café` -> `cafe`) where a word is
//! looked up. Every distinct word gets a number in a [`Lexicon`] shared by
//! all threads, so a page's words are kept as numbers, not strings.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use rustc_hash::FxHashMap;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

mod count;
pub mod varint;

pub use count::{whitespace_words, Counter, Counts};

/// Longer runs of letters (a pasted link, a long number) are not words
/// anyone searches for; the script drops them too.
pub const MAX_WORD: usize = 40;

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// An ASCII byte `split_whitespace` splits at: the space, and tab to
/// carriage return (the vertical tab among them).
fn is_ascii_space(b: u8) -> bool {
    b == b' ' || (b'\t'..=b'\r').contains(&b)
}

/// The character at byte `i` of `text` (a char boundary), if any.
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|rest| rest.chars().next())
}

/// Calls `f` with each word of `text`, lowercased, in order. Words that
/// are already lowercase ASCII letters and digits (nearly all) are passed
/// as slices of `text`, without a copy.
pub fn words<'t>(text: &'t str, mut f: impl FnMut(Cow<'t, str>)) {
    let bytes = text.as_bytes();
    let mut buf = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let mut plain = true;
        loop {
            // Runs of lowercase ASCII letters and digits (nearly all of a
            // word) in a tight loop; anything else is looked at once.
            while bytes.get(i).is_some_and(|&b| class_of_ascii(b) == PLAIN) {
                i += 1;
            }
            let Some((class, len)) = class_at(text, i) else {
                break;
            };
            let joins = match class {
                UPPER => true,
                APOSTROPHE => {
                    i > start && char_at(text, i + len).is_some_and(char::is_alphanumeric)
                }
                _ => false,
            };
            if !joins {
                break;
            }
            plain = false;
            i += len;
        }
        if i > start {
            let token = text.get(start..i).unwrap_or("");
            emit(token, plain, &mut buf, &mut f);
        } else {
            // A separator: step over it, whole.
            i += class_at(text, i).map_or(1, |(_, len)| len);
        }
    }
}

fn class_of_ascii(b: u8) -> u8 {
    ASCII.get(usize::from(b)).copied().unwrap_or(OTHER)
}

/// What the character at byte `i` is to [`words`], and its length.
fn class_at(text: &str, i: usize) -> Option<(u8, usize)> {
    let &b = text.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((class_of_ascii(b), 1));
    }
    let c = char_at(text, i)?;
    let class = match c {
        c if c.is_alphanumeric() => UPPER,
        '\u{2019}' => APOSTROPHE,
        _ => OTHER,
    };
    Some((class, c.len_utf8()))
}

fn emit<'t>(token: &'t str, plain: bool, buf: &mut String, f: &mut impl FnMut(Cow<'t, str>)) {
    if plain {
        if token.len() <= MAX_WORD {
            f(Cow::Borrowed(token));
        }
        return;
    }
    buf.clear();
    for c in token.chars().filter(|&c| !is_apostrophe(c)) {
        buf.extend(c.to_lowercase());
    }
    if buf.chars().count() <= MAX_WORD {
        f(Cow::Owned(buf.clone()));
    }
}

/// What a byte or character is to [`words`]: part of a word as it is
/// (lowercase ASCII letter, digit), part of a word to lowercase or fold
/// (anything else alphanumeric), an apostrophe, or a separator.
const PLAIN: u8 = 0;
const UPPER: u8 = 1;
const APOSTROPHE: u8 = 2;
const OTHER: u8 = 3;

const ASCII: [u8; 128] = {
    let mut table = [OTHER; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'a'..=b'z' | b'0'..=b'9' => PLAIN,
            b'A'..=b'Z' => UPPER,
            b'\'' => APOSTROPHE,
            _ => OTHER,
        };
        b += 1;
    }
    table
};

/// A lowercase word with its accents taken off: `café` -> `cafe`. What the
/// browser's lookups are made with (`normalize('NFD')` less marks).
pub fn fold(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        return Cow::Borrowed(word);
    }
    Cow::Owned(word.nfd().filter(|&c| !is_combining_mark(c)).collect())
}

/// Every distinct word seen, by number. Shared by the threads that read
/// pages; each keeps its own cache of it, so the lock is taken only for a
/// word that thread has not seen yet.
#[derive(Debug)]
pub struct Lexicon {
    /// Tells the caches of two lexicons apart.
    id: u64,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    ids: FxHashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
}

/// A thread's cache holds at most this many words before it starts over.
const CACHE_LIMIT: usize = 200_000;

thread_local! {
    static CACHE: RefCell<(u64, FxHashMap<Box<str>, u32>)> = RefCell::new((0, FxHashMap::default()));
}

/// The number under `key` in a thread's cache of lexicon `lexicon`, or
/// `miss`'s, which is then kept under the key it returns. The cache starts
/// over for another lexicon, or when full.
fn cached<K, Q>(
    cache: &RefCell<(u64, FxHashMap<K, u32>)>,
    lexicon: u64,
    key: &Q,
    miss: impl FnOnce() -> (K, u32),
) -> u32
where
    K: std::hash::Hash + Eq + std::borrow::Borrow<Q>,
    Q: std::hash::Hash + Eq + ?Sized,
{
    let mut cache = cache.borrow_mut();
    if cache.0 != lexicon || cache.1.len() >= CACHE_LIMIT {
        cache.0 = lexicon;
        cache.1.clear();
    }
    if let Some(&id) = cache.1.get(key) {
        return id;
    }
    let (key, id) = miss();
    cache.1.insert(key, id);
    id
}

impl Default for Lexicon {
    fn default() -> Self {
        Lexicon::new()
    }
}

impl Lexicon {
    pub fn new() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Lexicon {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            inner: Mutex::new(Inner::default()),
        }
    }

    /// The number of `word` (lowercase), given it on first sight.
    pub fn id(&self, word: &str) -> u32 {
        CACHE.with(|cache| cached(cache, self.id, word, || (word.into(), self.id_locked(word))))
    }

    fn id_locked(&self, word: &str) -> u32 {
        let mut inner = match self.inner.lock() {
            Ok(inner) => inner,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(&id) = inner.ids.get(word) {
            return id;
        }
        let id = u32::try_from(inner.words.len()).unwrap_or(u32::MAX);
        inner.words.push(word.into());
        inner.ids.insert(word.into(), id);
        id
    }

    /// Tells this lexicon from every other made in the process.
    pub fn identity(&self) -> u64 {
        self.id
    }

    /// How many words it has.
    pub fn count(&self) -> usize {
        match self.inner.lock() {
            Ok(inner) => inner.words.len(),
            Err(poisoned) => poisoned.into_inner().words.len(),
        }
    }

    /// Every word so far, by number.
    pub fn words(&self) -> Vec<Box<str>> {
        self.words_from(0)
    }

    /// The words numbered `start` and up, by number.
    pub fn words_from(&self, start: usize) -> Vec<Box<str>> {
        let inner = match self.inner.lock() {
            Ok(inner) => inner,
            Err(poisoned) => poisoned.into_inner(),
        };
        inner.words.get(start..).unwrap_or_default().to_vec()
    }
}

/// A page body as the index needs it, made while the page is rendered:
/// word counts of its prose and headings, and its opening words. Every
/// body's are held until the index is made: at 10k they were a fifth of a
/// build's peak heap (21.6 MB of 97) as `(number, [u16; 2])` rows, so a
/// word met only in the prose takes four bytes. Packed tighter (in number
/// order, as gaps) they took about half that, for 8% of the instructions
/// search adds, while the peaks at 10k and 50k did not move: they are not
/// held at either (docs/performance.md, "2026-12-07 (morning)").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BodyWords {
    /// The words met only in the prose, under 256 times and numbered
    /// under 2^24 (nearly all), in the order met: `number << 8 | count`.
    prose: Box<[u32]>,
    /// The others (in a heading, or met more often): number, count in the
    /// prose and in the headings.
    others: Box<[(u32, [u16; 2])]>,
    /// How many words the prose and the headings have.
    pub lengths: [u32; 2],
    /// The first words of the prose, for the result's snippet.
    pub excerpt: Box<str>,
}

/// A prose word's number and count as one of [`BodyWords::prose`], if
/// they fit.
fn pack_prose(word: u32, [prose, headings]: [u16; 2]) -> Option<u32> {
    let count = u8::try_from(prose).ok().filter(|_| headings == 0)?;
    (word < 1 << 24).then_some(word << 8 | u32::from(count))
}

/// A body's words as they are told apart into [`BodyWords`]' two lists.
struct Split {
    prose: Vec<u32>,
    others: Vec<(u32, [u16; 2])>,
}

impl Split {
    fn with_capacity(words: usize) -> Split {
        Split {
            prose: Vec::with_capacity(words),
            others: Vec::new(),
        }
    }

    fn push(&mut self, word: u32, counts: [u16; 2]) {
        match pack_prose(word, counts) {
            Some(packed) => self.prose.push(packed),
            None => self.others.push((word, counts)),
        }
    }

    fn into_body(self, lengths: [u32; 2], excerpt: Box<str>) -> BodyWords {
        BodyWords {
            prose: self.prose.into_boxed_slice(),
            others: self.others.into_boxed_slice(),
            lengths,
            excerpt,
        }
    }
}

impl BodyWords {
    #[cfg(test)]
    fn new(counts: Counts<2>, excerpt: Box<str>) -> BodyWords {
        let mut split = Split::with_capacity(counts.words.len());
        for &(word, c) in &counts.words {
            split.push(word, c);
        }
        split.into_body(counts.lengths, excerpt)
    }

    /// How many words [`BodyWords::prose`] has.
    pub fn prose_len(&self) -> usize {
        self.prose.len()
    }

    /// The words met only in the prose, with their counts.
    pub fn prose(&self) -> impl Iterator<Item = (u32, u16)> + '_ {
        self.prose.iter().map(|&p| (p >> 8, (p & 0xff) as u16))
    }

    /// The words [`BodyWords::prose`] leaves out (in a heading, or met
    /// 256 times or more), with their counts in the prose and in the
    /// headings.
    pub fn others(&self) -> &[(u32, [u16; 2])] {
        &self.others
    }

    /// Each word (lexicon number) once, with its count in the prose and
    /// in the headings.
    pub fn words(&self) -> impl Iterator<Item = (u32, [u16; 2])> + '_ {
        let prose = self.prose().map(|(word, count)| (word, [count, 0]));
        prose.chain(self.others.iter().copied())
    }

    /// How many different words.
    pub fn len(&self) -> usize {
        self.prose.len() + self.others.len()
    }

    pub fn is_empty(&self) -> bool {
        self.prose.is_empty() && self.others.is_empty()
    }
}

thread_local! {
    /// The headings of the body being counted, joined (see [`body_words`]).
    static HEADINGS: RefCell<String> = const { RefCell::new(String::new()) };
}

/// About this many characters of a body are kept for its snippet.
pub const EXCERPT_CHARS: usize = 240;

/// Counts the words of a rendered body (its prose text, which it takes,
/// and heading titles).
pub fn body_words<'h>(
    lexicon: &Lexicon,
    prose: String,
    headings: impl IntoIterator<Item = &'h str>,
) -> BodyWords {
    let excerpt = excerpt(&prose, EXCERPT_CHARS).into();
    let mut counter = Counter::<2>::new(lexicon);
    counter.add(0, &prose);
    // The headings joined by line breaks (no word spans one) and counted
    // at once: the counter reads a whole block of 64 bytes faster than
    // a short one.
    HEADINGS.with(|joined| {
        let mut joined = joined.borrow_mut();
        joined.clear();
        for heading in headings {
            joined.push_str(heading);
            joined.push('\n');
        }
        counter.add(1, &joined);
    });
    let mut split = Split::with_capacity(counter.words());
    let lengths = counter.finish_each(|word, counts| split.push(word, counts));
    split.into_body(lengths, excerpt)
}

/// The opening of `text` on one line, cut after a word near `chars`
/// characters (with an ellipsis when cut).
pub fn excerpt(text: &str, chars: usize) -> String {
    let mut out = String::with_capacity(chars + 4);
    let mut count = 0;
    // Words taken and not copied yet: `text[pending]`, one space apart
    // there as in the excerpt, so copied at once (nearly all of it).
    let mut pending = 0..0;
    // Words between ASCII whitespace, found a byte at a time and only as
    // far as the excerpt goes, each told ASCII or not in the same pass: a
    // test of the whole body for ASCII first read every byte of every
    // body. A word with bytes beyond ASCII is split again at Unicode's
    // whitespace and its characters counted, so the words are
    // `split_whitespace`'s. At 1k: 6.7 M instructions with a search for
    // each word's ends and a copy of each, 4.8 M this way.
    let bytes = text.as_bytes();
    let mut i = 0;
    let cut = 'words: loop {
        while bytes.get(i).copied().is_some_and(is_ascii_space) {
            i += 1;
        }
        if i >= bytes.len() {
            break false;
        }
        let start = i;
        let mut high = 0;
        while let Some(&b) = bytes.get(i).filter(|&&b| !is_ascii_space(b)) {
            high |= b;
            i += 1;
        }
        // Cut at ASCII bytes, each piece is whole characters.
        let piece = text.get(start..i).unwrap_or_default();
        if high >= 0x80 {
            out.push_str(text.get(pending.clone()).unwrap_or_default());
            pending = i..i;
            for word in piece.split_whitespace() {
                let Some(spaced) = take(&mut count, chars, word.chars().count()) else {
                    break 'words true;
                };
                if spaced {
                    out.push(' ');
                }
                out.push_str(word);
            }
            continue;
        }
        let Some(spaced) = take(&mut count, chars, piece.len()) else {
            break true;
        };
        // One space before it in `text` too: it joins the words pending.
        let joins = spaced
            && !pending.is_empty()
            && pending.end + 1 == start
            && bytes.get(pending.end) == Some(&b' ');
        if joins {
            pending.end = i;
            continue;
        }
        // Before the first word taken, none is pending.
        if spaced {
            out.push_str(text.get(pending.clone()).unwrap_or_default());
            out.push(' ');
        }
        pending = start..i;
    };
    out.push_str(text.get(pending).unwrap_or_default());
    if cut {
        out.push('…');
    }
    out
}

/// Counts a word of `len` characters into an excerpt of `count`
/// characters so far: whether a space goes before it, or `None` when it
/// would go past `chars`.
fn take(count: &mut usize, chars: usize, len: usize) -> Option<bool> {
    let spaced = *count > 0;
    if spaced && *count + len > chars {
        return None;
    }
    *count += usize::from(spaced) + len;
    Some(spaced)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        words(text, |w| out.push(w.into_owned()));
        out
    }

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        assert_eq!(
            all("Heel-pain? Don’t worry: 60462, Café Ñandú."),
            ["heel", "pain", "dont", "worry", "60462", "café", "ñandú"]
        );
        assert_eq!(all("it's 'quoted' o'"), ["its", "quoted", "o"]);
        assert_eq!(all("  ...!!! 🙂 <script>"), ["script"]);
        assert!(all(&"x".repeat(41)).is_empty());
        assert_eq!(all(&"x".repeat(40)).len(), 1);
    }

    #[test]
    fn fold_takes_accents_off() {
        assert_eq!(fold("café"), "cafe");
        assert_eq!(fold("ñandú"), "nandu");
        assert_eq!(fold("knee"), "knee");
        assert_eq!(fold("straße"), "straße");
    }

    #[test]
    fn lexicon_numbers_each_word_once() {
        let lexicon = Lexicon::new();
        let a = lexicon.id("knee");
        assert_eq!(lexicon.id("pain"), a + 1);
        assert_eq!(lexicon.id("knee"), a);
        let other = Lexicon::new();
        assert_eq!(other.id("pain"), 0, "caches of two lexicons stay apart");
        assert_eq!(lexicon.words().len(), 2);
    }

    #[test]
    fn body_words_count_prose_and_headings_apart() {
        let lexicon = Lexicon::new();
        let body = body_words(&lexicon, "Knee pain. Knee!".into(), ["Knee exercises"]);
        let knee = lexicon.id("knee");
        let found = body.words().find(|(id, _)| *id == knee);
        assert_eq!(found.map(|(_, c)| c), Some([2, 1]));
        let pain = lexicon.id("pain");
        assert_eq!(
            body.words().find(|(id, _)| *id == pain),
            Some((pain, [1, 0]))
        );
        assert_eq!(body.len(), 3, "knee, pain, exercises");
        assert_eq!(body.lengths, [3, 2]);
        assert_eq!(body.excerpt.as_ref(), "Knee pain. Knee!");
    }

    #[test]
    fn body_words_keep_what_does_not_pack() {
        let lexicon = Lexicon::new();
        let body = body_words(&lexicon, "knee ".repeat(300), []);
        let knee = lexicon.id("knee");
        assert_eq!(body.words().collect::<Vec<_>>(), [(knee, [300, 0])]);
        let far = 1 << 24;
        let counts = Counts {
            words: vec![(far, [1, 0]), (far - 1, [255, 0]), (7, [0, 2])],
            lengths: [256, 2],
        };
        let body = BodyWords::new(counts.clone(), "".into());
        let mut words: Vec<_> = body.words().collect();
        words.sort_unstable();
        let mut expected = counts.words;
        expected.sort_unstable();
        assert_eq!(words, expected);
        // Past 2^24, or in a heading: not in the prose's four bytes.
        assert_eq!((body.prose().count(), body.others.len()), (1, 2));
    }

    #[test]
    fn excerpt_cuts_after_a_word() {
        assert_eq!(excerpt("one two three", 7), "one two…");
        assert_eq!(excerpt("one\ntwo", 100), "one two");
        assert_eq!(excerpt("", 10), "");
        for text in ["a\u{b}b\tc\r\nd  e\x0c f", "caf\u{e9}\u{a0}au lait  x"] {
            let spaced = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(excerpt(text, 100), spaced, "{text:?}");
        }
    }

    proptest::proptest! {
        /// Any text, of ASCII and Unicode whitespace and letters beyond
        /// ASCII, is cut at the words `split_whitespace` finds.
        #[test]
        fn excerpt_takes_the_words_split_whitespace_finds(
            text in "[a-c\u{e9}\u{1F600} \t\n\u{b}\u{c}\r\u{a0}\u{2003}\u{85}]{0,40}",
            chars in 0usize..20,
        ) {
            let mut expected = String::new();
            let mut count = 0;
            for word in text.split_whitespace() {
                let len = word.chars().count();
                if count > 0 {
                    if count + len > chars {
                        expected.push('…');
                        break;
                    }
                    expected.push(' ');
                    count += 1;
                }
                expected.push_str(word);
                count += len;
            }
            proptest::prop_assert_eq!(excerpt(&text, chars), expected);
        }
    }
}
