//! Counting a page's words by their lexicon numbers, for the search index:
//! a body's prose and headings as it renders, a page's other fields when
//! the index reads them. Each thread keeps one table of the words it has
//! met, by their packed bytes; a word's slot also says which page last
//! counted it and where in that page's counts it is, so counting a word
//! is one probe of one cache line, with no string hashing, no map of the
//! page's own and nothing cleared between pages.

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

/// A thread's table of words, lent to one [`Counter`] at a time.
#[derive(Default)]
struct Table {
    /// The lexicon whose words `keys` numbers.
    lexicon: u64,
    /// Words of up to 16 ASCII letters and digits (nearly all), by
    /// [`pack`]ed bytes.
    keys: Keys,
    /// The other words (longer, or with letters beyond ASCII), by lexicon
    /// number: the page that last counted each and its row there.
    others: Vec<Mark>,
    /// The number of the page being counted; a [`Mark`] of another page
    /// is stale.
    page: u32,
    /// The rows of the counter that finished last, for the next with as
    /// many parts: a page's rows take a few KiB, and new ones each page
    /// cost a page fault or two (keeping them saves about 2,200 of a 10k
    /// build's).
    spare: Option<Box<dyn std::any::Any>>,
}

/// Which page last counted a word, and what that page keeps there: with
/// two parts or fewer, the word's counts themselves (16 bits a part), so
/// counting it is one read and one write of its own slot; with more, its
/// row in the page's counts.
#[derive(Clone, Copy, Default)]
struct Mark {
    page: u32,
    data: u32,
}

/// Marks a row's word as one of the table's `others` (by lexicon number),
/// not a packed word's slot.
const OTHER: u32 = 1 << 31;

thread_local! {
    static TABLE: RefCell<Table> = RefCell::new(Table::default());
}

/// Counts a page's words into parts (`N` of them), by lexicon number.
pub struct Counter<'a, const N: usize> {
    lexicon: &'a Lexicon,
    table: Table,
    rows: Rows<N>,
    /// The bytes of text added so far.
    bytes: usize,
}

impl<'a, const N: usize> Counter<'a, N> {
    const IN_MARK: bool = Rows::<N>::IN_MARK;

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
            table.keys.unmark();
            table.others.fill(Mark::default());
            table.page = 0;
        }
        table.page += 1;
        let spare = table.spare.take().and_then(|rows| rows.downcast().ok());
        Counter {
            lexicon,
            table,
            rows: Rows::new(spare.map(|rows| *rows).unwrap_or_default()),
            bytes: 0,
        }
    }

    /// Counts the words of `text` into part `part`. A word made only of
    /// ASCII letters and digits (nearly all) is counted by its bytes,
    /// lowercased as they are packed, without a copy or a string compare.
    pub fn add(&mut self, part: usize, text: &str) {
        if part >= N {
            return;
        }
        // Each word takes a byte at least, so while the page's text is
        // under 64 KiB no count can pass 16 bits: nearly every body is
        // counted without the test for it.
        self.bytes = self.bytes.saturating_add(text.len());
        if self.bytes <= usize::from(u16::MAX) {
            self.add_text::<false>(part, text);
        } else {
            self.add_text::<true>(part, text);
        }
    }

    /// [`Counter::add`]: with `SATURATE`, each count stops at its
    /// greatest; without, the caller knows none can reach it.
    #[inline(always)]
    fn add_text<const SATURATE: bool>(&mut self, part: usize, text: &str) {
        // The runs between ASCII separators, found 64 bytes at a time
        // from a bit per byte: a run starts where a bit of `run` follows
        // a clear one, and ends at the next clear one. Nearly every run is
        // plain, only ASCII letters and digits, so one word as it is; a
        // run that holds anything else (an apostrophe, a letter beyond
        // ASCII) goes to the whole rule. Runs end at ASCII bytes, so each
        // is whole characters.
        let bytes = text.as_bytes();
        // The run still open at the end of the last block: where it
        // started, and whether it holds anything but letters and digits.
        let mut open: Option<(usize, bool)> = None;
        // Words counted, added to the part's length once at the end.
        let mut counted = 0;
        let page = self.table.page;
        let mut hot = Hot::new(&mut self.table.keys, &mut self.rows, page);
        // Counts the run `start..end`: a plain word the table has (nearly
        // every one) by `hot`; any other by the counter itself, after
        // which `hot` is taken again (the table or the rows may have
        // grown).
        macro_rules! run {
            ($start:expr, $end:expr, $odd:expr) => {{
                let (start, end, odd): (usize, usize, bool) = ($start, $end, $odd);
                let key = match odd {
                    true => None,
                    false => key_at(bytes, start, end),
                };
                if key.is_some_and(|key| hot.count::<SATURATE>(key, part)) {
                    counted += 1;
                } else {
                    self.rows.used = hot.used;
                    counted += self.run::<SATURATE>(part, text, start, end, odd);
                    self.rows.make_room(ROOM);
                    hot = Hot::new(&mut self.table.keys, &mut self.rows, page);
                }
            }};
        }
        for (base, block) in (0..).step_by(BLOCK).zip(bytes.chunks(BLOCK)) {
            // Room for the block's rows made once, not tested each word.
            if hot.used + ROOM > hot.rows.len() {
                self.rows.used = hot.used;
                self.rows.make_room(ROOM);
                hot = Hot::new(&mut self.table.keys, &mut self.rows, page);
            }
            let Lanes { word, other } = block_lanes(block);
            let run = word | other;
            let before = run << 1 | u64::from(open.is_some());
            let mut starts = run & !before;
            let mut ends = !run & before;
            if let Some((start, odd)) = open.take() {
                if ends == 0 {
                    open = Some((start, odd || other != 0));
                    continue;
                }
                let end = ends.trailing_zeros();
                ends &= ends - 1;
                let odd = odd || other & below(end) != 0;
                run!(start, base + end as usize, odd);
            }
            while starts != 0 {
                let start = starts.trailing_zeros();
                starts &= starts - 1;
                let from = base + start as usize;
                if ends == 0 {
                    open = Some((from, other >> start != 0));
                    break;
                }
                let end = ends.trailing_zeros();
                ends &= ends - 1;
                // Most blocks hold no other byte: no run of theirs is odd.
                let odd = other != 0 && other & below(end) & !below(start) != 0;
                run!(from, base + end as usize, odd);
            }
        }
        if let Some((start, odd)) = open {
            run!(start, bytes.len(), odd);
        }
        self.rows.used = hot.used;
        if let Some(length) = self.rows.lengths.get_mut(part) {
            *length += counted;
        }
    }

    /// Counts the run `text[start..end]`: one plain word, or (`odd`) a
    /// run with other characters, by the whole rule. Returns how many
    /// words it had.
    #[inline(always)]
    fn run<const SATURATE: bool>(
        &mut self,
        part: usize,
        text: &str,
        start: usize,
        end: usize,
        odd: bool,
    ) -> u32 {
        if odd {
            self.add_run(part, text.get(start..end).unwrap_or_default())
        } else {
            self.plain::<SATURATE>(part, text, start, end)
        }
    }

    /// Counts `text[start..end]`, a run of ASCII letters and digits only
    /// between separators: one word.
    #[inline(always)]
    fn plain<const SATURATE: bool>(
        &mut self,
        part: usize,
        text: &str,
        start: usize,
        end: usize,
    ) -> u32 {
        let key = text
            .as_bytes()
            .get(start..)
            .and_then(|rest| pack(rest, end - start));
        match key {
            Some(key) => {
                self.count_key::<SATURATE>(key, part, || text.get(start..end));
                1
            }
            None => self.count_long(part, text.get(start..end).unwrap_or_default()),
        }
    }

    /// Counts a plain word too long to pack (none past [`MAX_WORD`]).
    #[cold]
    #[inline(never)]
    fn count_long(&mut self, part: usize, word: &str) -> u32 {
        if word.len() > MAX_WORD {
            return 0;
        }
        self.count_other(&word.to_ascii_lowercase(), part);
        1
    }

    /// Counts the words of a run that is not all ASCII letters and digits.
    #[cold]
    #[inline(never)]
    fn add_run(&mut self, part: usize, run: &str) -> u32 {
        let mut counted = 0;
        words(run, |word| {
            counted += 1;
            // A word of ASCII (so of letters and digits) packs like a
            // plain run: one word, one way of counting it.
            let key = word.is_ascii().then(|| pack(word.as_bytes(), word.len()));
            match key.flatten() {
                Some(key) => self.count_key::<true>(key, part, || Some(&*word)),
                None => self.count_other(&word, part),
            }
        });
        counted
    }

    /// Counts one occurrence of the packed word `key` in part `part`;
    /// `word` gives its text if this thread has not met it.
    #[inline(always)]
    fn count_key<'w, const SATURATE: bool>(
        &mut self,
        key: u128,
        part: usize,
        word: impl FnOnce() -> Option<&'w str>,
    ) {
        let slot = match self.table.keys.find(key) {
            Ok(slot) => slot,
            Err(_) => self.first_seen(key, word().unwrap_or_default()),
        };
        let Some(entry) = self.table.keys.slots.get_mut(slot) else {
            return;
        };
        let word = if Self::IN_MARK { slot as u32 } else { entry.id };
        self.rows
            .tally::<SATURATE>(&mut entry.mark, word, self.table.page, part);
    }

    /// The slot of a word this thread has not met under `key`.
    #[cold]
    #[inline(never)]
    fn first_seen(&mut self, key: u128, word: &str) -> usize {
        let id = self.lexicon.id_locked(&word.to_ascii_lowercase());
        let (slot, moved) = self.table.keys.insert(key, id);
        // The table grew, and its words moved: the rows that name a slot
        // follow theirs.
        if let Some(old) = moved.filter(|_| Self::IN_MARK) {
            for (word, _) in self.rows.rows.iter_mut().take(self.rows.used) {
                if *word & OTHER == 0 {
                    let key = old.get(*word as usize).map_or(0, |s| s.key);
                    *word = self.table.keys.find(key).map_or(0, |s| s as u32);
                }
            }
        }
        slot
    }

    /// Counts one occurrence of a word that does not pack.
    #[cold]
    #[inline(never)]
    fn count_other(&mut self, word: &str, part: usize) {
        let id = self.lexicon.id(word);
        let others = &mut self.table.others;
        let w = id as usize;
        if others.len() <= w {
            others.resize((w + 1).max(others.len() * 2), Mark::default());
        }
        let Some(mark) = others.get_mut(w) else {
            return;
        };
        let word = if Self::IN_MARK { id | OTHER } else { id };
        self.rows.tally::<true>(mark, word, self.table.page, part);
    }

    pub fn finish(self) -> Counts<N> {
        let mut words = Vec::with_capacity(self.words());
        let lengths = self.finish_each(|word, counts| words.push((word, counts)));
        Counts { words, lengths }
    }

    /// How many different words are counted so far.
    pub fn words(&self) -> usize {
        self.rows.used
    }

    /// Hands each word counted to `f` (its number and counts, in the
    /// order first met) instead of listing them, and returns each part's
    /// length: for a caller that keeps them its own way, so no list is
    /// made, trimmed and read again.
    pub fn finish_each(self, mut f: impl FnMut(u32, [u16; N])) -> [u32; N] {
        let Counter {
            mut table, rows, ..
        } = self;
        for &(word, counts) in rows.rows.iter().take(rows.used) {
            let (word, counts) = match Self::IN_MARK {
                true => resolved(&table, word, counts),
                false => (word, counts),
            };
            f(word, counts);
        }
        table.spare = Some(Box::new(rows.rows));
        TABLE.with(|t| *t.borrow_mut() = table);
        rows.lengths
    }
}

/// A row's word number and counts, where (counts in the mark) the row
/// names its word's slot, or its number with [`OTHER`], and the counts
/// are read from its mark.
#[inline(always)]
fn resolved<const N: usize>(table: &Table, word: u32, mut counts: [u16; N]) -> (u32, [u16; N]) {
    let slot = if word & OTHER == 0 {
        table.keys.slots.get(word as usize).map(|s| (s.id, s.mark))
    } else {
        let id = word & !OTHER;
        table.others.get(id as usize).map(|&mark| (id, mark))
    };
    let (id, mark) = slot.unwrap_or_default();
    for (k, count) in counts.iter_mut().enumerate() {
        *count = (mark.data >> (16 * k)) as u16;
    }
    (id, counts)
}

/// A page's counts as they are made: a row per word, in the order met.
/// Whether the page has met a word yet is as good as random, so it is
/// taken as data, not as a branch: a row is always written, and kept
/// only for a new word.
struct Rows<const N: usize> {
    /// Rows `..used` are the page's; the rest is room, at least one row.
    rows: Vec<(u32, [u16; N])>,
    used: usize,
    lengths: [u32; N],
}

impl<const N: usize> Rows<N> {
    /// Whether a word's counts fit in its [`Mark`].
    const IN_MARK: bool = N <= 2;

    /// Rows in `spare` (another page's, left as they were: a row is
    /// written whole before it is used), at least 64.
    fn new(mut spare: Vec<(u32, [u16; N])>) -> Self {
        if spare.len() < 64 {
            spare.resize(64, (0, [0; N]));
        }
        Rows {
            rows: spare,
            used: 0,
            lengths: [0; N],
        }
    }

    /// Counts one occurrence in part `part` of the word whose mark is
    /// `mark`, for page `page` (see [`tally`]), and makes room for the
    /// next row.
    #[inline(always)]
    fn tally<const SATURATE: bool>(&mut self, mark: &mut Mark, word: u32, page: u32, part: usize) {
        tally::<N, SATURATE>(&mut self.rows, &mut self.used, mark, word, page, part);
        if self.used == self.rows.len() {
            self.grow();
        }
    }

    /// Room for more rows: every row is used.
    #[cold]
    fn grow(&mut self) {
        self.rows.resize(self.rows.len().max(1) * 2, (0, [0; N]));
    }

    /// Room for `room` more rows at least.
    fn make_room(&mut self, room: usize) {
        while self.used + room > self.rows.len() {
            self.grow();
        }
    }
}

/// Counts one occurrence in part `part` of the word whose mark is `mark`,
/// for page `page`, in the page's rows (`..used` are its; at least one
/// more is room). A row names the word: by its lexicon number, or (counts
/// in the mark) by where its mark is, for [`Counter::finish`] to read
/// them. Whether the page has met the word yet is as good as random, so
/// it is taken as data, not as a branch: a row is always written, and
/// kept only for a new word.
#[inline(always)]
fn tally<const N: usize, const SATURATE: bool>(
    rows: &mut [(u32, [u16; N])],
    used: &mut usize,
    mark: &mut Mark,
    word: u32,
    page: u32,
    part: usize,
) {
    let fresh = mark.page != page;
    let at = *used;
    if let Some(spare) = rows.get_mut(at) {
        *spare = (word, [0; N]);
    }
    if Rows::<N>::IN_MARK {
        // Zero for a word new to the page: a select, as a branch here
        // would be mispredicted as often as not.
        let data = std::hint::select_unpredictable(fresh, 0, mark.data);
        // 16 bits a part, each stopping at its greatest.
        let shift = (16 * part as u32) & 31;
        let room = !SATURATE || (data >> shift) as u16 != u16::MAX;
        *mark = Mark {
            page,
            data: data + (u32::from(room) << shift),
        };
    } else {
        let row = if fresh { at } else { mark.data as usize };
        *mark = Mark {
            page,
            data: row as u32,
        };
        if let Some(cell) = rows.get_mut(row).and_then(|(_, c)| c.get_mut(part)) {
            *cell = cell.saturating_add(1);
        }
    }
    *used = at + usize::from(fresh);
}

/// The table's slots and the page's rows as slices, held in registers
/// while a text's plain words are counted: through the counter, each word
/// read them again (a row written might have moved them), about a fifth
/// of a word's instructions. A word the table lacks goes back to the
/// counter.
struct Hot<'c, const N: usize> {
    slots: &'c mut [Slot],
    /// The slot count less one.
    mask: usize,
    shift: u32,
    rows: &'c mut [(u32, [u16; N])],
    used: usize,
    page: u32,
}

impl<'c, const N: usize> Hot<'c, N> {
    fn new(keys: &'c mut Keys, rows: &'c mut Rows<N>, page: u32) -> Self {
        Hot {
            mask: keys.slots.len().wrapping_sub(1),
            shift: keys.shift,
            slots: &mut keys.slots,
            used: rows.used,
            rows: &mut rows.rows,
            page,
        }
    }

    /// Counts the packed word `key` in part `part`, if the table has it.
    #[inline(always)]
    fn count<const SATURATE: bool>(&mut self, key: u128, part: usize) -> bool {
        let Ok(i) = probe(self.slots, self.mask, self.shift, key) else {
            return false;
        };
        let Some(slot) = self.slots.get_mut(i) else {
            return false;
        };
        let word = if Rows::<N>::IN_MARK {
            i as u32
        } else {
            slot.id
        };
        tally::<N, SATURATE>(
            self.rows,
            &mut self.used,
            &mut slot.mark,
            word,
            self.page,
            part,
        );
        true
    }
}

/// The packed word of the plain run `bytes[start..end]`, where the text
/// goes on 16 bytes from its start and it has 16 bytes or fewer (nearly
/// every word; the others are packed by [`pack`]).
#[inline(always)]
fn key_at(bytes: &[u8], start: usize, end: usize) -> Option<u128> {
    // An empty run (never met) has no mask, so packs to no word: that
    // test is the bound's.
    let mask = *MASKS.get(end.wrapping_sub(start).wrapping_sub(1))?;
    let window = bytes.get(start..)?.first_chunk::<16>()?;
    Some((u128::from_le_bytes(*window) | LOWER) & mask)
}

/// A packed word in the table: its number, and the page that last
/// counted it (in what would be the slot's padding).
#[derive(Clone, Copy, Default)]
struct Slot {
    key: u128,
    id: u32,
    mark: Mark,
}

/// The slot of `slots` (a table of `64 - shift` bits of slots, `mask`
/// their count less one) holding `key`, or the empty one where it would
/// go: the table's one probe, for [`Keys`] and for [`Hot`], which holds
/// the slots apart from them (and their mask, made once).
#[inline(always)]
fn probe(slots: &[Slot], mask: usize, shift: u32, key: u128) -> Result<usize, usize> {
    let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
    let mut i = (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize;
    loop {
        let Some(slot) = slots.get(i) else {
            return Err(i);
        };
        if slot.key == key {
            return Ok(i);
        }
        if slot.key == 0 {
            return Err(i);
        }
        i = (i + 1) & mask;
    }
}

/// Packed words and their numbers: a table of open addressing, with the
/// hash a multiplication (a packed word is never 0, which marks an empty
/// slot). Looking a word up is a few instructions, against several tens
/// for a general map.
#[derive(Default)]
struct Keys {
    slots: Vec<Slot>,
    len: usize,
    /// 64 less the bits of the slot count.
    shift: u32,
}

impl Keys {
    /// The slot holding `key`, or the empty one where it would go.
    #[inline]
    fn find(&self, key: u128) -> Result<usize, usize> {
        let Some(mask) = self.slots.len().checked_sub(1) else {
            return Err(0);
        };
        probe(&self.slots, mask, self.shift, key)
    }

    /// Puts `key` with `id`, and returns its slot, and the slots as they
    /// were if the table grew (moving every word).
    fn insert(&mut self, key: u128, id: u32) -> (usize, Option<Vec<Slot>>) {
        // At most a quarter full: a word not at its own slot is a branch
        // mispredicted. Half full, `count_words` took 11.0 ns a word (10k
        // corpus); a quarter, 9.8.
        let mut moved = None;
        if (self.len + 1) * 4 > self.slots.len() {
            let old = std::mem::take(&mut self.slots);
            let size = (old.len() * 2).max(1024);
            self.slots = vec![Slot::default(); size];
            self.shift = 64 - size.trailing_zeros();
            self.len = 0;
            for slot in old.iter().filter(|s| s.key != 0) {
                self.put(*slot);
            }
            moved = Some(old);
        }
        let slot = self.put(Slot {
            key,
            id,
            mark: Mark::default(),
        });
        (slot, moved)
    }

    fn put(&mut self, new: Slot) -> usize {
        let at = match self.find(new.key) {
            Ok(at) => at,
            Err(at) => {
                self.len += 1;
                at
            }
        };
        if let Some(slot) = self.slots.get_mut(at) {
            *slot = new;
        }
        at
    }

    fn len(&self) -> usize {
        self.len
    }

    fn clear(&mut self) {
        self.slots.fill(Slot::default());
        self.len = 0;
    }

    /// Forgets which page counted each word.
    fn unmark(&mut self) {
        for slot in &mut self.slots {
            slot.mark = Mark::default();
        }
    }
}

/// The high bit of every byte.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Eight copies of `b`.
const fn splat(b: u8) -> u64 {
    u64::from_le_bytes([b; 8])
}

/// The bytes of `x` that are ASCII letters or digits, each marked by its
/// high bit: every byte compared at once, with sums that never carry from
/// one byte into the next (each is under 0x80 before the sum, under 0x100
/// after).
fn word_lanes(x: u64) -> u64 {
    let ascii = x & !HIGH;
    // Capitals made lowercase: a letter is then 0x61..=0x7a.
    let lower = ascii | splat(0x20);
    let letter = lower.wrapping_add(splat(0x80 - 0x61)) & !lower.wrapping_add(splat(0x80 - 0x7b));
    let digit = ascii.wrapping_add(splat(0x80 - 0x30)) & !ascii.wrapping_add(splat(0x80 - 0x3a));
    (letter | digit) & !x & HIGH
}

/// The bytes of `x` that are an apostrophe or not ASCII, each marked by
/// its high bit: the bytes that send a run to the whole rule.
fn other_lanes(x: u64) -> u64 {
    // A lane of `y` is zero just where `x` has an apostrophe; a lane's low
    // seven bits plus 0x7f set its high bit unless they are all zero,
    // without a carry into the next lane.
    let y = x ^ splat(b'\'');
    let zero = !((y & !HIGH).wrapping_add(!HIGH) | y) & HIGH;
    zero | x & HIGH
}

/// Words in `text` as `split_whitespace` counts them (for reading time,
/// not the index), 16 bytes at a time: a word starts at each byte that is
/// no space and follows one (a byte past ASCII is part of a word: no
/// character's later bytes ever follow a space). The word starts of up to
/// 64 bytes are counted at once (without a `popcnt` instruction, which
/// this build does not assume, a count is about 14 instructions). The last
/// bytes are read as the text's last 16, the ones read already shifted
/// out (or, in a text shorter than that, copied into 16). A text with a
/// space beyond ASCII (a no-break space) is counted by `split_whitespace`
/// itself; most have none, and curly quotes and dashes are found not to
/// be one without reading every character.
pub fn whitespace_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (blocks, after_blocks) = bytes.as_chunks::<64>();
    let (chunks, rest) = after_blocks.as_chunks::<16>();
    let mut words = 0;
    // 1 if the byte before the next one is a space; the text starts as if
    // after one.
    let mut after_space = 1;
    // The high bits of every byte read, all clear in ASCII.
    let mut high = 0;
    // Counts the word starts among `width` bytes whose spaces are `spaces`.
    let mut count = |spaces: u64, width: u32| {
        let starts = !spaces & (spaces << 1 | after_space) & (u64::MAX >> (64 - width));
        words += starts.count_ones() as usize;
        after_space = spaces >> (width - 1) & 1;
    };
    for block in blocks {
        let (quarters, _) = block.as_chunks::<16>();
        let mut spaces = 0u64;
        for (k, chunk) in quarters.iter().enumerate() {
            let (bits, highs) = space_bits(chunk);
            spaces |= u64::from(bits) << (16 * k);
            high |= highs;
        }
        count(spaces, 64);
    }
    for chunk in chunks {
        let (bits, highs) = space_bits(chunk);
        high |= highs;
        count(u64::from(bits), 16);
    }
    if !rest.is_empty() {
        // The bytes of `rest`, as the low bits of a chunk's.
        let (bits, highs) = match bytes.last_chunk::<16>() {
            Some(last) => {
                let (bits, highs) = space_bits(last);
                let read = 16 - rest.len() as u32;
                (bits >> read, highs >> read)
            }
            None => {
                let mut padded = [b' '; 16];
                if let Some(start) = padded.get_mut(..rest.len()) {
                    start.copy_from_slice(rest);
                }
                space_bits(&padded)
            }
        };
        high |= highs;
        count(u64::from(bits), rest.len() as u32);
    }
    if high != 0 && has_space_beyond_ascii(text) {
        return text.split_whitespace().count();
    }
    words
}

/// Whether `text` has a space that is not ASCII (`char::is_whitespace`):
/// each such character's first byte is one of four, found by `memchr`.
fn has_space_beyond_ascii(text: &str) -> bool {
    let bytes = text.as_bytes();
    let space_at = |i: usize| {
        text.get(i..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(char::is_whitespace)
    };
    memchr::memchr3_iter(0xc2, 0xe2, 0xe3, bytes)
        .chain(memchr::memchr_iter(0xe1, bytes))
        .any(space_at)
}

/// The ASCII spaces of 16 bytes (as [`space_lanes`] has them), byte `k`
/// as bit `k`, and beside them the bytes' high bits (any set: not ASCII).
fn space_bits(chunk: &[u8; 16]) -> (u32, u32) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        // SAFETY: the function needs SSE2, which this build targets (the
        // `cfg` above): every x86-64 processor has it.
        unsafe { sse2::space_bits(chunk) }
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    space_bits_in_words(chunk)
}

/// [`space_bits`] in two `u64`s: on any processor.
#[cfg_attr(
    all(target_arch = "x86_64", target_feature = "sse2", not(test)),
    allow(dead_code)
)]
fn space_bits_in_words(chunk: &[u8; 16]) -> (u32, u32) {
    let (halves, _) = chunk.as_chunks::<8>();
    halves.iter().rev().fold((0, 0), |(bits, highs), half| {
        let x = u64::from_le_bytes(*half);
        // A byte past ASCII is no ASCII space, and is read without its
        // high bit so that no lane carries into the next.
        let spaces = space_lanes(x & !HIGH) & !(x & HIGH);
        (
            bits << 8 | lane_bits(spaces) as u32,
            highs << 8 | lane_bits(x & HIGH) as u32,
        )
    })
}

/// The bytes of `x` (ASCII) that `char::is_whitespace` calls space, each
/// marked by its high bit: the space, and tab to carriage return (9 to
/// 13, vertical tab and form feed between).
fn space_lanes(x: u64) -> u64 {
    let control = x.wrapping_add(splat(0x80 - 0x09)) & !x.wrapping_add(splat(0x80 - 0x0e));
    let y = x ^ splat(b' ');
    let space = !((y & !HIGH).wrapping_add(!HIGH) | y);
    (control | space) & HIGH
}

/// The high bits of `lanes` (one a byte) as the low eight bits, byte `k`'s
/// as bit `k`: the multiplication moves each to bit 56 + k, with no two
/// products meeting.
fn lane_bits(lanes: u64) -> u64 {
    (lanes >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// The bytes in a block of [`Counter::add`]: one bit each in a `u64`.
const BLOCK: usize = 64;

/// The rows a block of text may add at most, and one spare: its runs
/// alternate with separators, so at most half its bytes end one, and the
/// run left open by the block before ends in it too.
const ROOM: usize = BLOCK / 2 + 2;

/// A block's bytes as bits, byte `i` as bit `i`: its ASCII letters and
/// digits, and the other bytes a run may hold (apostrophes, bytes beyond
/// ASCII). The rest are separators, as is every bit past a short block's
/// end.
struct Lanes {
    word: u64,
    other: u64,
}

fn block_lanes(block: &[u8]) -> Lanes {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    if let Some(full) = block.first_chunk::<BLOCK>() {
        // SAFETY: the function needs SSE2, which this build targets (the
        // `cfg` above): every x86-64 processor has it.
        return unsafe { sse2::full_block_lanes(full) };
    }
    block_lanes_in_words(block)
}

/// [`block_lanes`] eight bytes at a time, in `u64`s: any block, on any
/// processor.
fn block_lanes_in_words(block: &[u8]) -> Lanes {
    let (chunks, rest) = block.as_chunks::<8>();
    let mut lanes = Lanes { word: 0, other: 0 };
    let mut add = |k: usize, x: u64| {
        lanes.word |= lane_bits(word_lanes(x)) << (8 * k);
        lanes.other |= lane_bits(other_lanes(x)) << (8 * k);
    };
    for (k, chunk) in chunks.iter().enumerate().take(BLOCK / 8) {
        add(k, u64::from_le_bytes(*chunk));
    }
    if !rest.is_empty() && chunks.len() < BLOCK / 8 {
        // A short block's last bytes, with spaces after them, shifted in
        // one by one: short texts (titles, table cells) end in one, and a
        // copy into a padded block was a call to `memcpy` for each.
        let x = rest
            .iter()
            .rev()
            .fold(splat(b' '), |x, &b| x << 8 | u64::from(b));
        add(chunks.len(), x);
    }
    lanes
}

/// A whole block's lanes 16 bytes at a time (SSE2, which every x86-64
/// processor has): at 10k articles this was a quarter of the word
/// counter's instructions a byte at a time in `u64`s.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        _mm_set_epi64x, _mm_sub_epi8,
    };

    use super::{Lanes, BLOCK};

    /// Each byte of `x` that is `min` to `min + span` (unsigned), marked
    /// with all its bits: SSE2 compares bytes as signed, so the range is
    /// tested as "the distance from `min`, capped at `span`, is itself".
    #[target_feature(enable = "sse2")]
    fn within(x: __m128i, min: u8, span: u8) -> __m128i {
        let from = _mm_sub_epi8(x, _mm_set1_epi8(min as i8));
        _mm_cmpeq_epi8(_mm_min_epu8(from, _mm_set1_epi8(span as i8)), from)
    }

    /// 16 bytes in a register.
    #[target_feature(enable = "sse2")]
    fn load(chunk: &[u8; 16]) -> __m128i {
        let (low, high) = chunk.split_at(8);
        let half = |bytes: &[u8]| {
            bytes
                .first_chunk::<8>()
                .map_or(0, |b| i64::from_le_bytes(*b))
        };
        _mm_set_epi64x(half(high), half(low))
    }

    /// The spaces of 16 ASCII bytes (the space, and tab to carriage
    /// return), and the bytes' high bits.
    #[target_feature(enable = "sse2")]
    pub(super) fn space_bits(chunk: &[u8; 16]) -> (u32, u32) {
        let x = load(chunk);
        let space = _mm_or_si128(
            _mm_cmpeq_epi8(x, _mm_set1_epi8(b' ' as i8)),
            within(x, b'\t', b'\r' - b'\t'),
        );
        let mask = |v| u32::from(_mm_movemask_epi8(v) as u16);
        (mask(space), mask(x))
    }

    #[target_feature(enable = "sse2")]
    pub(super) fn full_block_lanes(block: &[u8; BLOCK]) -> Lanes {
        let mut lanes = Lanes { word: 0, other: 0 };
        for (k, chunk) in block.as_chunks::<16>().0.iter().enumerate() {
            let x = load(chunk);
            // Capitals made lowercase; bytes past ASCII stay past `z`.
            let lower = _mm_or_si128(x, _mm_set1_epi8(0x20));
            let word = _mm_or_si128(within(lower, b'a', 25), within(x, b'0', 9));
            // An apostrophe, or a byte with its high bit set.
            let other = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(b'\'' as i8)), x);
            let shift = 16 * k;
            lanes.word |= u64::from(_mm_movemask_epi8(word) as u16) << shift;
            lanes.other |= u64::from(_mm_movemask_epi8(other) as u16) << shift;
        }
        lanes
    }
}

/// The bits below bit `n` (under 64).
fn below(n: u32) -> u64 {
    (1u64 << n) - 1
}

/// Mask `n - 1` keeps the first `n` bytes of 16 (none is 0).
const MASKS: [u128; 16] = {
    let mut masks = [0u128; 16];
    let mut n = 1;
    while n <= 16 {
        masks[n - 1] = u128::MAX >> (128 - 8 * n);
        n += 1;
    }
    masks
};

/// Sets the bit that makes an ASCII capital lowercase, in every byte: on
/// letters and digits (which have it already) it lowercases and nothing
/// else.
const LOWER: u128 = u128::from_le_bytes([0x20; 16]);

/// The first `len` bytes (1 to 16) of `bytes`, ASCII letters and digits,
/// lowercased, as a number, little end first (no byte of a word is zero,
/// so no two words are the same number): read as 16 bytes at once where
/// the text goes on that far.
#[inline]
fn pack(bytes: &[u8], len: usize) -> Option<u128> {
    let mask = *MASKS.get(len.wrapping_sub(1))?;
    match bytes.first_chunk::<16>() {
        Some(window) => Some((u128::from_le_bytes(*window) | LOWER) & mask),
        // The last word of a text: its bytes shifted in one by one (a
        // copy of a length not known was a call to `memcpy`).
        None => {
            let word = bytes.get(..len)?;
            let packed = word
                .iter()
                .rev()
                .fold(0u128, |x, &b| x << 8 | u128::from(b));
            Some((packed | LOWER) & mask)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            " ",
            "one",
            " two  words ",
            "a\tb\nc\x0bd\x0ce\rf",
            "naïve café\u{a0}ok",
            "eight by eight bytes at a time, then the rest",
            "       x\x1f\x7f!       \t\n\x0b\x0c\rword\x08\x0e",
        ] {
            assert_eq!(
                whitespace_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    /// A letter, a curly quote, a dash or a space beyond ASCII at any
    /// place of a text of several 64-byte groups (in a whole 16-byte
    /// chunk, or in the last bytes): counted as `split_whitespace` counts.
    #[test]
    fn a_character_beyond_ascii_anywhere_counts_as_split_whitespace_counts_it() {
        let long = "one two  three\tfour five six seven eight nine ten eleven twelve ".repeat(4);
        // Lengths that end in a whole chunk, and with 5 and 11 bytes more.
        for ascii in [&long[..200], &long[..205], &long[..211]] {
            for odd in [
                "é", "\u{2019}", "\u{201c}", "\u{2014}", "\u{a0}", "\u{2003}", "\u{3000}",
            ] {
                for at in 0..=ascii.len() {
                    let text = format!("{}{odd}{}", &ascii[..at], &ascii[at..]);
                    assert_eq!(
                        whitespace_words(&text),
                        text.split_whitespace().count(),
                        "{odd:?} at {at} of {}",
                        ascii.len()
                    );
                }
            }
        }
    }

    /// Every space beyond ASCII starts with a byte the search for one
    /// looks for.
    #[test]
    fn every_space_beyond_ascii_is_found() {
        let spaces = (0x80..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace());
        for space in spaces {
            let text = format!("a{space}b");
            assert!(has_space_beyond_ascii(&text), "{space:?}");
            assert_eq!(whitespace_words(&text), 2, "{space:?}");
        }
        assert!(!has_space_beyond_ascii(
            "don\u{2019}t \u{201c}x\u{201d} \u{2014} caf\u{e9}"
        ));
    }

    proptest::proptest! {
        /// Every ASCII byte next to every other, across the eight-byte
        /// steps: the bytes around the spaces (8 and 14, 0x1f and 0x21)
        /// most often.
        #[test]
        fn whitespace_words_match_split_whitespace(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(b" \t\n\x0b\x0c\r\x08\x0e\x1f!a\x7f\x00".to_vec()),
                    0u8..0x80,
                ],
                0..80,
            )
        ) {
            let text = String::from_utf8(bytes).expect("ASCII");
            proptest::prop_assert_eq!(whitespace_words(&text), text.split_whitespace().count());
        }

        /// Any text of ASCII, of letters, punctuation and spaces beyond
        /// it, across the 16-byte chunks.
        #[test]
        fn any_text_counts_as_split_whitespace_counts_it(
            text in "[a-c \t\n\u{e9}\u{2019}\u{201c}\u{2014}\u{a0}\u{85}\u{2003}\u{3000}\u{1680}]{0,90}",
        ) {
            proptest::prop_assert_eq!(whitespace_words(&text), text.split_whitespace().count());
        }

        /// Texts of several 64-byte groups, of words and runs of spaces
        /// of any length, so that words and runs cross the 16-byte chunks,
        /// the groups and the padded last chunk at every place.
        #[test]
        fn long_texts_count_as_split_whitespace_counts_them(
            pieces in proptest::collection::vec(("[a-z]{1,20}", "[ \t\n]{1,20}"), 0..20),
            lead in "[ ]{0,3}",
        ) {
            let text: String = std::iter::once(lead)
                .chain(pieces.into_iter().flat_map(|(word, space)| [word, space]))
                .collect();
            proptest::prop_assert_eq!(whitespace_words(&text), text.split_whitespace().count());
        }

        /// The portable way finds the same spaces and high bits as the
        /// SSE2 one, in any bytes: a byte past ASCII is no space, and
        /// changes nothing in its neighbours.
        #[test]
        fn space_bits_are_the_same_in_words(chunk in proptest::array::uniform16(0u8..=0xff)) {
            let expected = (0..16).fold((0, 0), |(bits, highs), k| {
                let byte = chunk[k];
                let space = byte == b' ' || (b'\t'..=b'\r').contains(&byte);
                (bits | u32::from(space) << k, highs | u32::from(byte >> 7) << k)
            });
            proptest::prop_assert_eq!(space_bits(&chunk), expected);
            proptest::prop_assert_eq!(space_bits_in_words(&chunk), expected);
        }
    }

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
    fn a_word_marked_by_an_old_page_is_counted_anew_after_the_numbers_wrap() {
        let lexicon = Lexicon::new();
        // Page 1 of this thread's table marks both words.
        let mut c = Counter::<1>::new(&lexicon);
        c.add(0, "knee café");
        c.finish();
        // Then page u32::MAX counts other words, and the numbers start
        // over at 1: the old marks must not pass for the new page's.
        TABLE.with(|t| t.borrow_mut().page = u32::MAX - 1);
        let mut c = Counter::<1>::new(&lexicon);
        c.add(0, "other");
        c.finish();
        let mut c = Counter::<1>::new(&lexicon);
        c.add(0, "knee café knee");
        assert_eq!(
            counted(&lexicon, &c.finish()),
            [("café".to_string(), [1]), ("knee".to_string(), [2])]
        );
    }

    #[test]
    fn counts_kept_in_the_marks_follow_their_words_as_the_table_grows() {
        // A thread's first page with more words than the table's first
        // size holds: the table grows while the page's rows name slots.
        let lexicon = Lexicon::new();
        let text: String = (0..3000).map(|n| format!("w{n} w{n} ")).collect();
        std::thread::spawn(move || {
            let mut c = Counter::<2>::new(&lexicon);
            c.add(0, &text);
            c.add(1, "w0 w2999 new");
            let counts = c.finish();
            assert_eq!(counts.words.len(), 3001);
            assert_eq!(counts.lengths, [6000, 3]);
            let counted = counted(&lexicon, &counts);
            let of = |w: &str| counted.iter().find(|(t, _)| t == w).map(|(_, c)| *c);
            assert_eq!(of("w0"), Some([2, 1]));
            assert_eq!(of("w1234"), Some([2, 0]));
            assert_eq!(of("w2999"), Some([2, 1]));
            assert_eq!(of("new"), Some([0, 1]));
            // In the order first met.
            let words = lexicon.words();
            let first = counts.words.iter().map(|(id, _)| &*words[*id as usize]);
            assert!(first.take(3).eq(["w0", "w1", "w2"]));
        })
        .join()
        .expect("the counting thread");
    }

    #[test]
    fn a_count_stops_at_its_greatest_without_touching_the_other_part() {
        let lexicon = Lexicon::new();
        let many = "knee café ".repeat(70_000);
        let mut c = Counter::<2>::new(&lexicon);
        c.add(0, &many);
        c.add(1, "knee café");
        assert_eq!(
            counted(&lexicon, &c.finish()),
            [
                ("café".to_string(), [u16::MAX, 1]),
                ("knee".to_string(), [u16::MAX, 1]),
            ]
        );
    }

    /// The first piece is under 64 KiB, counted without the test for a
    /// count's greatest; the pieces after it pass that, and are tested.
    #[test]
    fn a_count_stops_at_its_greatest_when_the_text_comes_in_pieces() {
        let lexicon = Lexicon::new();
        let piece = "knee ".repeat(12_000);
        let mut c = Counter::<2>::new(&lexicon);
        for _ in 0..6 {
            c.add(0, &piece);
        }
        c.add(1, "knee");
        assert_eq!(
            counted(&lexicon, &c.finish()),
            [("knee".to_string(), [u16::MAX, 1])]
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
            "Knee KNEE knee kNeE DON'T Don’t ÉCOLE école",
            "ABCDEFGHIJKLMNOPQRS abcdefghijklmnopqrs Abcdefghijklmnop",
            "eightchr@nineteen[brackets]`tick`{brace}/slash:colon 12345678 ninechars",
            "longwordsthatrunpastsixteenbytes and'apostrophes'inside wordsendingin’",
            "x",
            "",
            "   ",
            "a1b2c3d4e5f6g7h8 Zürich-Straße señal",
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

    proptest::proptest! {
        /// Any text, cut into words at any byte: the counter's fast paths
        /// (64 bytes at a time, packed words, rows without a branch)
        /// count what the rule finds, with pieces that meet every case at
        /// every offset of a word and of a 64-byte block.
        #[test]
        fn counts_what_the_rule_finds_in_any_text(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Z", "7", "knee", "KNEES", "abcdefgh", "abcdefghijklmnopq", " ", "  ",
                    ".", ", ", "-", "\n", "'", "’", "é", "É", "ß", "🙂", "@", "[", "`", "{",
                ]),
                0..120,
            ),
        ) {
            let text: String = pieces.concat();
            let lexicon = Lexicon::new();
            let mut c = Counter::<2>::new(&lexicon);
            c.add(1, &text);
            let counts = c.finish();
            let mut expected: Vec<(String, [u16; 2])> = Vec::new();
            words(&text, |w| match expected.iter_mut().find(|(e, _)| *e == w) {
                Some((_, n)) => n[1] += 1,
                None => expected.push((w.into_owned(), [0, 1])),
            });
            expected.sort();
            proptest::prop_assert_eq!(counted(&lexicon, &counts), expected);
        }
    }

    /// What a byte is to [`Counter::add`]: an ASCII letter or digit, an
    /// ASCII separator (never inside a word), or anything else (an
    /// apostrophe, a byte of a longer character). Made from the classes
    /// [`words`] gives ASCII, so the lanes are checked against the rule.
    const WORD: u8 = 0;
    const SEPARATOR: u8 = 1;
    const OTHER: u8 = 2;

    fn class(b: u8) -> u8 {
        if b >= 0x80 {
            return OTHER;
        }
        match crate::words::ASCII[usize::from(b)] {
            crate::words::PLAIN | crate::words::UPPER => WORD,
            crate::words::APOSTROPHE => OTHER,
            _ => SEPARATOR,
        }
    }

    /// Whether `lanes` of `f` mark byte `b` in each lane, among
    /// neighbours that might carry into it, just where `class` says.
    fn lanes_mark(f: fn(u64) -> u64, class_of: u8) {
        for b in 0..=255u8 {
            for lane in 0..8 {
                for fill in [0u8, 0x7f, 0x80, 0xff, b'z', b'\'', b' '] {
                    let mut bytes = [fill; 8];
                    bytes[lane] = b;
                    let marked = f(u64::from_le_bytes(bytes)) >> (lane * 8) & 0x80 != 0;
                    assert_eq!(marked, class(b) == class_of, "{b:#x} in lane {lane}");
                }
            }
        }
    }

    #[test]
    fn word_lanes_mark_the_bytes_the_rule_calls_word() {
        lanes_mark(word_lanes, WORD);
    }

    #[test]
    fn other_lanes_mark_apostrophes_and_bytes_beyond_ascii() {
        lanes_mark(other_lanes, OTHER);
    }

    #[test]
    fn a_block_has_a_bit_per_byte_and_separators_past_its_end() {
        let text = b"Knee pain, don't caf\xc3\xa9 x".repeat(3);
        for len in [0, 1, 7, 8, 9, 21, 63, 64] {
            let block = &text[..len];
            let lanes = block_lanes(block);
            for i in 0..BLOCK {
                let c = block.get(i).map_or(SEPARATOR, |&b| class(b));
                assert_eq!(lanes.word >> i & 1 == 1, c == WORD, "byte {i} of {len}");
                assert_eq!(lanes.other >> i & 1 == 1, c == OTHER, "byte {i} of {len}");
            }
        }
    }

    #[test]
    fn whole_blocks_have_the_same_lanes_every_way() {
        // Every byte value at eight places across the four 16-byte parts,
        // among neighbours of each class, and pseudo-random blocks.
        let mut blocks = Vec::new();
        for b in 0..=255u8 {
            for fill in [0u8, b'a', b'Z', b'0', b'\'', 0x80, 0xff, b' '] {
                let mut block = [fill; BLOCK];
                for at in [0, 7, 8, 15, 16, 31, 32, 63] {
                    block[at] = b;
                }
                blocks.push(block);
            }
        }
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2000 {
            let mut block = [0u8; BLOCK];
            for byte in &mut block {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                *byte = seed as u8;
            }
            blocks.push(block);
        }
        for block in &blocks {
            let (fast, plain) = (block_lanes(block), block_lanes_in_words(block));
            assert_eq!(
                (fast.word, fast.other),
                (plain.word, plain.other),
                "{block:?}"
            );
            for (i, &b) in block.iter().enumerate() {
                assert_eq!(
                    fast.word >> i & 1 == 1,
                    class(b) == WORD,
                    "byte {i}: {b:#x}"
                );
                assert_eq!(
                    fast.other >> i & 1 == 1,
                    class(b) == OTHER,
                    "byte {i}: {b:#x}"
                );
            }
        }
    }

    #[test]
    fn keys_find_what_was_put() {
        let mut keys = Keys::default();
        let get = |keys: &Keys, key: u128| keys.find(key).ok().map(|slot| keys.slots[slot].id);
        assert_eq!(get(&keys, 5), None);
        for k in 1..5000u128 {
            keys.insert(k << 64 | k, k as u32);
        }
        assert_eq!(keys.len(), 4999);
        assert!((1..5000u128).all(|k| get(&keys, k << 64 | k) == Some(k as u32)));
        assert_eq!(get(&keys, 5000 << 64 | 5000), None);
        keys.insert(7 << 64 | 7, 1);
        assert_eq!((keys.len(), get(&keys, 7 << 64 | 7)), (4999, Some(1)));
        keys.clear();
        assert_eq!((keys.len(), get(&keys, 7 << 64 | 7)), (0, None));
    }

    #[test]
    fn rows_made_room_for_a_block_at_a_time_take_every_new_word() {
        // 676 words new to the page, 21 to a block: the rows grow from
        // 64 as the blocks come, never within one.
        let letters = b'a'..=b'z';
        let words: Vec<String> = letters
            .clone()
            .flat_map(|a| {
                letters
                    .clone()
                    .map(move |b| String::from_utf8(vec![a, b]).unwrap())
            })
            .collect();
        let lexicon = Lexicon::new();
        for part in [0, 1] {
            let mut c = Counter::<2>::new(&lexicon);
            c.add(part, &words.join(" "));
            c.add(part, "zz");
            let counts = c.finish();
            assert_eq!(counts.lengths[part], 677);
            let counted = counted(&lexicon, &counts);
            assert_eq!(counted.len(), 676);
            assert!(counted
                .iter()
                .all(|(w, c)| c[part] == 1 + u16::from(w == "zz")));
        }
    }

    #[test]
    fn a_page_counted_in_the_rows_another_left_counts_only_its_own() {
        // The first page's rows grow past 64 and are left as they were
        // for the next counter of as many parts on the thread.
        let many: Vec<String> = (0..300).map(|i| format!("w{i}")).collect();
        let lexicon = Lexicon::new();
        fn two<const N: usize>(lexicon: &Lexicon, many: &str) -> Vec<(String, [u16; N])> {
            let mut c = Counter::<N>::new(lexicon);
            c.add(0, many);
            assert_eq!(c.finish().words.len(), 300);
            let mut c = Counter::<N>::new(lexicon);
            c.add(0, "knee pain w7");
            c.add(N - 1, "knee");
            let counts = c.finish();
            assert_eq!(counts.lengths.iter().sum::<u32>(), 4);
            counted(lexicon, &counts)
        }
        let text = many.join(" ");
        let as_two = two::<2>(&lexicon, &text);
        assert_eq!(
            as_two,
            [
                ("knee".to_string(), [1, 1]),
                ("pain".to_string(), [1, 0]),
                ("w7".to_string(), [1, 0]),
            ]
        );
        // Counts in the rows themselves (more parts than a mark holds).
        let as_five = two::<5>(&lexicon, &text);
        let five: Vec<_> = as_five
            .iter()
            .map(|(w, c)| (w.as_str(), c[0], c[4]))
            .collect();
        assert_eq!(five, [("knee", 1, 1), ("pain", 1, 0), ("w7", 1, 0)]);
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
