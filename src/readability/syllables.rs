//! Counting English syllables: vowel-group rules, with an exception list
//! (`exceptions.rs`) for the words the rules get wrong.

use super::*;

// ---------------------------------------------------------------------------
// Syllables.

/// The syllables of one word from [`words`], at least 1.
///
/// - A hyphenated word is the sum of its parts (`well-being` = 1 + 2).
/// - A number counts one syllable per group of digits (`2.5` = 2,
///   `10,000` = 2, `1990` = 1): numbers are short to read, and should not
///   push a grade up or down.
/// - Abbreviations read letter by letter count one per letter, W three:
///   dotted ones (`e.g`, `U.S`), capitals without a vowel (`PT`, `DPT`), short
///   mixed-case ones (`PhD`, `EdD`), and those in the exception list (`ACL`).
/// - Words are looked up in [`EXCEPTIONS`], then split into compound parts
///   and suffixes, then counted by vowel groups with rules for silent and
///   sounded letters.
pub fn syllables(word: &str) -> u32 {
    by_parts(word, part_syllables)
}

/// The syllables of a word as the sum of its hyphenated parts, at least 1.
pub(super) fn by_parts(word: &str, part_syllables: impl Fn(&str) -> u32) -> u32 {
    let total: u32 = word
        .split(['-', '\u{2010}', '\u{2011}'])
        .filter(|part| !part.is_empty())
        .map(part_syllables)
        .sum();
    total.max(1)
}

pub(super) fn part_syllables(part: &str) -> u32 {
    if part.chars().any(char::is_numeric) {
        return digit_groups(part);
    }
    if part.contains('.') {
        return spelled(part);
    }
    if let Some(acronym) = part.strip_suffix('s').filter(|a| is_all_caps(a)) {
        // PTs, MRIs: the acronym, read out.
        return part_syllables(acronym);
    }
    let folded = fold(part);
    let key: Cow<[u8]> = if folded.contains(&b'\'') {
        Cow::Owned(folded.iter().copied().filter(|&b| b != b'\'').collect())
    } else {
        Cow::Borrowed(&folded)
    };
    if key.is_empty() {
        return 0;
    }
    if let Some(n) = lookup(&key) {
        return n;
    }
    if read_as_letters(part, key.iter().any(|&b| is_vowel_letter(b) || b == b'y')) {
        return spelled(part);
    }
    contraction(&folded).unwrap_or_else(|| rules(&key, 0))
}

pub(super) fn digit_groups(part: &str) -> u32 {
    let mut groups = 0;
    let mut in_digits = false;
    for c in part.chars() {
        let digit = c.is_numeric();
        if digit && !in_digits {
            groups += 1;
        }
        in_digits = digit;
    }
    groups
}

/// Read letter by letter: one syllable a letter, "double-u" three.
pub(super) fn spelled(part: &str) -> u32 {
    part.chars()
        .filter(|c| c.is_alphabetic())
        .map(|c| if c.eq_ignore_ascii_case(&'w') { 3 } else { 1 })
        .sum()
}

/// Read letter by letter: capitals with no vowel (`PT`), or a short word
/// with a capital inside (`PhD`). `vowel`: the word has a vowel letter.
pub(super) fn read_as_letters(part: &str, vowel: bool) -> bool {
    let letters = || part.chars().filter(|c| c.is_alphabetic());
    let n = letters().count();
    let all_caps = letters().all(char::is_uppercase);
    let inner_capital = letters().skip(1).any(char::is_uppercase);
    (n >= 2 && all_caps && !vowel) || ((2..=4).contains(&n) && !all_caps && inner_capital)
}

/// Lower-case ASCII letters and apostrophes. Accented Latin letters lose
/// their accent, except that a final é is sounded (café = ca-fee); letters
/// of other scripts become a consonant, so such a word counts one syllable.
pub(super) fn fold(part: &str) -> Vec<u8> {
    if part.bytes().all(|b| b.is_ascii_alphabetic() || b == b'\'') {
        return part.to_ascii_lowercase().into_bytes();
    }
    let mut out = Vec::with_capacity(part.len());
    let mut chars = part.chars().flat_map(char::to_lowercase).peekable();
    while let Some(c) = chars.next() {
        let last = chars.peek().is_none();
        let folded: &[u8] = match c {
            'a'..='z' => {
                out.push(c as u8);
                continue;
            }
            '\'' | '’' => b"'",
            'é' if last => b"ee",
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => b"a",
            'æ' => b"ae",
            'ç' => b"c",
            'è' | 'é' | 'ê' | 'ë' | 'ē' => b"e",
            'ì' | 'í' | 'î' | 'ï' | 'ī' => b"i",
            'ñ' => b"n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => b"o",
            'œ' => b"oe",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' => b"u",
            'ý' | 'ÿ' => b"y",
            'ß' => b"ss",
            c if c.is_alphabetic() => b"k",
            _ => b"",
        };
        out.extend_from_slice(folded);
    }
    out
}

/// Possessives and "n't": `nurse's` adds a syllable after a hissing sound,
/// `didn't` adds one after a consonant (`don't` does not).
pub(super) fn contraction(w: &[u8]) -> Option<u32> {
    let plain = |s: &[u8]| -> Vec<u8> { s.iter().copied().filter(|&b| b != b'\'').collect() };
    if let Some(stem) = w.strip_suffix(b"'s") {
        let stem = plain(stem);
        return Some(core(&stem, 0) + u32::from(hisses(&stem)));
    }
    let stem = plain(w.strip_suffix(b"n't")?);
    if stem.last().is_some_and(|&b| is_vowel_letter(b)) {
        let mut joined = stem;
        joined.extend_from_slice(b"nt");
        return Some(core(&joined, 0));
    }
    Some(core(&stem, 0) + 1)
}

/// Whether an added `s` is sounded as a syllable after this stem.
pub(super) fn hisses(stem: &[u8]) -> bool {
    ["s", "x", "z", "ch", "sh", "ce", "ge", "se", "ze"]
        .iter()
        .any(|end| stem.ends_with(end.as_bytes()))
}

/// How deep compound and suffix splits go (`care|less|ly`); bounds the work
/// on any input.
pub(super) const MAX_SPLITS: u8 = 3;

pub(super) fn core(w: &[u8], depth: u8) -> u32 {
    if w.is_empty() {
        return 0;
    }
    if let Some(n) = lookup(w) {
        return n;
    }
    rules(w, depth)
}

/// The count by rules alone, without looking `w` itself up.
pub(super) fn rules(w: &[u8], depth: u8) -> u32 {
    if depth < MAX_SPLITS {
        if let Some((head, rest)) = split_compound(w) {
            // A head is one syllable (fire|works, as the dictionary has
            // it), unless listed as more (every).
            return lookup(head).unwrap_or(1) + core(rest, depth + 1);
        }
        if let Some((stem, suffix, n)) = split_suffix(w) {
            return stem_syllables(stem, suffix, depth + 1) + n;
        }
    }
    vowel_groups(w).max(1)
}

/// A stem that `-ing` took a silent e from gets it back (pre-ced|ing,
/// re-leas|ing), or it would read as a past tense or a plural.
fn stem_syllables(stem: &[u8], suffix: &str, depth: u8) -> u32 {
    let lost_e = suffix.starts_with("ing")
        && (stem.ends_with(b"ed") || stem.ends_with(b"es") || stem.ends_with(b"eas"));
    if lost_e {
        let mut whole = stem.to_vec();
        whole.push(b'e');
        return core(&whole, depth);
    }
    core(stem, depth)
}

/// First parts of compounds whose silent e (or, in ev-ry, silent middle
/// e) the vowel rules would sound: some|thing, life|style, safe|ty,
/// care|giver, peace|keep|ing, every|day.
pub(super) const COMPOUND_HEADS: &[&str] = &[
    "base", "care", "else", "every", "eye", "file", "fire", "frame", "game", "gate", "guide",
    "home", "horse", "house", "ice", "life", "like", "live", "make", "mile", "mine", "name",
    "nose", "peace", "pipe", "safe", "share", "shore", "side", "some", "space", "spoke", "state",
    "stone", "take", "there", "time", "trade", "ware", "waste", "where", "whole", "wide",
];

pub(super) fn split_compound(w: &[u8]) -> Option<(&[u8], &[u8])> {
    let first = w.first()?;
    COMPOUND_HEADS.iter().find_map(|head| {
        let head = head.as_bytes();
        // The first-letter test saves a memcmp call per head.
        if head.first() != Some(first) {
            return None;
        }
        let rest = w.strip_prefix(head)?;
        let first = *rest.first()?;
        let splits = (rest.len() >= 2
            && !is_vowel_letter(first)
            && !matches!(first, b'y' | b'r')
            && has_vowel(rest))
            || matches!(rest, b"one" | b"ones")
            // there|of, where|as, there|af-ter.
            || (matches!(head, b"there" | b"where") && rest.len() >= 2 && has_vowel(rest));
        if splits {
            w.split_at_checked(head.len())
        } else {
            None
        }
    })
}

/// Suffixes that are their own syllable and keep the stem's count:
/// move|ment (not mo-ve-ment), be|ing, com|plete|ly, mark|ed-ly.
pub(super) const SUFFIXES: &[(&str, u32)] = &[
    ("nesses", 2),
    ("ments", 1),
    ("ment", 1),
    ("ness", 1),
    ("less", 1),
    ("ings", 1),
    ("ing", 1),
    ("some", 1),
    ("ful", 1),
    // The e of -ed is sounded before -ly: al-leg-ed-ly, sup-pos-ed-ly.
    ("edly", 2),
    // Only after -ic: ba-sic-ally is ba-sic-ly, three (but fi-nal-ly).
    ("ally", 1),
    ("ly", 1),
];

pub(super) fn split_suffix(w: &[u8]) -> Option<(&[u8], &'static str, u32)> {
    let last = w.last()?;
    SUFFIXES.iter().find_map(|&(suffix, n)| {
        let bytes = suffix.as_bytes();
        if bytes.last() != Some(last) {
            return None;
        }
        let stem = w.strip_suffix(bytes)?;
        let fits = suffix != "ally" || stem.ends_with(b"ic");
        (fits && stem.len() >= 2 && has_vowel(stem)).then_some((stem, suffix, n))
    })
}

/// Prefixes whose first two vowels are two syllables: co-op, re-act.
pub(super) const HIATUS_PREFIXES: &[&str] = &[
    "coerc", "coex", "coinc", "cooperat", "coordin", "deact", "preamb", "preelect", "preempt",
    "preex", "proact", "react", "reaff", "reapp", "reass", "reawak", "reedu", "reelect", "reenact",
    "reent", "reestab", "reeval", "reex", "reimb", "reinf", "reinj", "reinst", "reinsur", "reint",
    "reiter", "retroact", "reun", "reus",
];

/// The heart of the count: vowel groups (a, e, i, o, u, and y as a vowel),
/// plus the pairs that are two syllables (i-de-a, qui-et), less a silent
/// final e (make, walked, features) but not a sounded one (ta-ble, want-ed,
/// nurs-es), plus one for -ism and -sm endings (spa-sm).
pub(super) fn vowel_groups(w: &[u8]) -> u32 {
    let vowels = classify(w);
    let is_v = |i: usize| vowels.get(i).copied().unwrap_or(false);
    let mut count = 0u32;
    let mut before_run = 0u32;
    for i in 0..w.len() {
        if !is_v(i) {
            continue;
        }
        if i == 0 || !is_v(i - 1) {
            before_run = count;
            count += 1;
        } else if hiatus(w, i - 1, before_run > 0) {
            count += 1;
        }
    }
    count -= u32::from(count > 1 && silent_ending(w, &is_v));
    count -= u32::from(count > 2 && elides_erage(w));
    let base = w
        .strip_suffix(b"s")
        .filter(|b| b.ends_with(b"m"))
        .unwrap_or(w);
    if base.ends_with(b"sm") || base.ends_with(b"thm") {
        count += 1;
    }
    // un-re-im-bursed, un-co-op-er-a-tive: the same after un-.
    let unprefixed = w.strip_prefix(b"un").unwrap_or(w);
    if HIATUS_PREFIXES
        .iter()
        .any(|p| p.as_bytes().first() == unprefixed.first() && unprefixed.starts_with(p.as_bytes()))
    {
        count += 1;
    }
    count
}

pub(super) fn is_vowel_letter(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

pub(super) fn has_vowel(w: &[u8]) -> bool {
    w.iter().any(|&b| is_vowel_letter(b) || b == b'y')
}

pub(super) fn at(w: &[u8], i: usize) -> u8 {
    w.get(i).copied().unwrap_or(0)
}

pub(super) fn before(w: &[u8], i: usize, back: usize) -> u8 {
    i.checked_sub(back).map_or(0, |j| at(w, j))
}

/// Which letters sound as vowels. `u` after `q` (queue, quiet) and between
/// `g` and a vowel (guide, language) is a consonant; `y` is a consonant
/// first before a vowel (yes) and between vowels (beyond, player), else a
/// vowel (gym, day, my-o-fas-cial).
pub(super) fn classify(w: &[u8]) -> Vec<bool> {
    let mut vowels: Vec<bool> = Vec::with_capacity(w.len());
    for (i, &c) in w.iter().enumerate() {
        let prev = before(w, i, 1);
        let next = at(w, i + 1);
        let prev_vowel = vowels.last().copied().unwrap_or(false);
        let vowel = match c {
            b'a' | b'e' | b'i' | b'o' => true,
            // am-big-u-ous, con-tig-u-ous: -guous sounds its u.
            b'u' => {
                let guous = w.get(i + 1..).is_some_and(|r| r.starts_with(b"ous"));
                !(prev == b'q' || (prev == b'g' && is_vowel_letter(next) && !guous))
            }
            b'y' if i == 0 => !is_vowel_letter(next),
            b'y' => !(prev_vowel && is_vowel_letter(next)),
            _ => false,
        };
        vowels.push(vowel);
    }
    vowels
}

/// Whether the vowels at `j` and `j + 1` are two syllables. `earlier`: a
/// vowel group comes before this one.
pub(super) fn hiatus(w: &[u8], j: usize, earlier: bool) -> bool {
    let (a, b) = (at(w, j), at(w, j + 1));
    let p = before(w, j, 1);
    let pp = before(w, j, 2);
    let rest = w.get(j + 2..).unwrap_or_default();
    match (a, b) {
        // dy-e stays one: dye, dyed, dyes; dry-er is two.
        (b'y', b'e') => !matches!(rest, b"" | b"s" | b"d"),
        (b'y', _) | (b'i', b'i') | (b'u', b'o') => true,
        (b'i', b'e') => ie_splits(p, pp, rest, earlier),
        (b'i', _) => i_splits(p, pp, b, rest),
        (b'e', b'a') => {
            // i-de-a, i-de-as, ar-e-as; but in-creas-ing, over-seas.
            ((rest.is_empty() || (rest == b"s" && is_vowel_letter(pp))) && earlier)
                || (matches!(rest, b"n" | b"ns") && earlier && !matches!(p, b'c' | b'l' | b'm'))
                || rest.starts_with(b"li")
                || (p == b'r' && pp == b'c' && rest.first() == Some(&b't'))
        }
        (b'e', b'o') => !(p == b'g' && j >= 2),
        // nu-cle-us, mu-se-um, pe-tro-le-um; but neu-tral, feud.
        (b'e', b'u') => matches!(rest, b"s" | b"m" | b"ms") && earlier,
        (b'o', b'a') => rest.starts_with(b"gu"),
        // po-em, po-et, hy-dro-e-lec-tric; but toe, does, shoes.
        (b'o', b'e') => matches!(rest.first(), Some(b'm' | b't' | b'l')),
        // u-su-al, ac-tu-al; but per-suade, mar-i-jua-na.
        (b'u', b'a') => !((p == b's' && matches!(rest.first(), Some(b'd' | b's'))) || p == b'j'),
        (b'u', b'e') => matches!(rest.first(), Some(b'l' | b'n' | b't')),
        (b'u', b'i') => ui_splits(p, rest),
        _ => false,
    }
}

/// i-e: qui-et, cli-ent, sci-ence, eas-i-er; but die, tried, field,
/// friend, pa-tient, an-cient, con-ve-nient, pier.
pub(super) fn ie_splits(p: u8, pp: u8, rest: &[u8], earlier: bool) -> bool {
    match rest {
        b"" | b"s" | b"d" => false,
        _ if p == b'c' && pp == b's' => true,
        [b't', ..] => true,
        [b'r', ..] | [b's', b't', ..] => earlier,
        [b'n', b'd', ..] => false,
        [b'n', ..] => !matches!(p, b'c' | b't' | b'g' | b'n'),
        _ => false,
    }
}

/// i before a, o, u: ra-di-o, me-di-a, cal-ci-um, gi-ant; but -tion,
/// -cial, -gion, vi-sion, fash-ion, mil-lion, I-tal-ian, on-ion, pneu-mo-nia,
/// be-hav-ior, mar-riage.
pub(super) fn i_splits(p: u8, pp: u8, b: u8, rest: &[u8]) -> bool {
    if b == b'u' {
        return true;
    }
    let next = rest.first().copied().unwrap_or(0);
    match p {
        // ap-pre-ci-ate, sci-at-ic, ben-e-fi-ci-ar-y; spe-cial, ini-tia-tive.
        // ra-ti-o, pa-ti-os; con-fi-den-ti-al-i-ty.
        b't' | b'c' => {
            (b == b'a'
                && ((next == b't' && !rest.starts_with(b"tiv"))
                    || next == b'r'
                    || rest.starts_with(b"lit")))
                || (b == b'o' && matches!(rest, b"" | b"s"))
        }
        b'g' => pp == 0,
        b'x' => b != b'o',
        b's' => !((b == b'a' && matches!(rest, b"" | b"s" | b"n" | b"ns" | b"l")) || next == b'n'),
        b'h' if pp == b's' => false,
        // re-li-ance, com-pli-ant, from rely and comply; but bril-liant.
        b'l' if b == b'a' && next == b'n' && matches!(pp, b'p' | b'e') => true,
        // par-lia-ment.
        b'l' if b == b'a' && pp == b'r' => false,
        b'l' => !(pp == b'l' || (pp != 0 && matches!(next, b'n' | b'r'))),
        // pneu-mo-nia; but co-lo-ni-al.
        b'n' => {
            !((b == b'o' && matches!(next, b'n' | b'r'))
                || (b == b'a' && pp == b'o' && !rest.starts_with(b"l")))
        }
        // be-hav-ior, be-hav-iour; but pre-vi-ous.
        b'v' => !(b == b'o' && (next == b'r' || rest.starts_with(b"ur"))),
        b'r' => !(b == b'a' && rest.starts_with(b"ge")),
        _ => true,
    }
}

/// u-i: flu-id, ru-in, in-tu-i-tive; but build, juice, bruise, suit, fruit.
pub(super) fn ui_splits(p: u8, rest: &[u8]) -> bool {
    let one = matches!(p, b'b' | b'j')
        || matches!(
            rest,
            b"ce" | b"ces" | b"ced" | b"s" | b"se" | b"ses" | b"sed" | b"t" | b"ts"
        )
        || (rest.first() == Some(&b't') && matches!(p, b's' | b'r'))
        || rest.starts_with(b"sance");
    !one
}

/// av-rage, bev-rag-es, cov-rage: the e of -erage after a consonant is
/// not said (the dictionary gives only this form for -erages and -eraged,
/// and it beside the full one for -erage).
pub(super) fn elides_erage(w: &[u8]) -> bool {
    let Some(at) = memchr::memmem::find(w, b"erag") else {
        return false;
    };
    let rest = w.get(at + 4..).unwrap_or_default();
    at > 0 && !is_vowel_letter(before(w, at, 1)) && matches!(rest, b"e" | b"es" | b"ed")
}

/// Whether the word ends in a silent e: make, walked, features; but the
/// e of ta-ble, a-cre, han-dled, hun-dred, want-ed, nurs-es, chang-es,
/// fi-re, ti-red is sounded (and head-aches is not).
pub(super) fn silent_ending(w: &[u8], is_v: &dyn Fn(usize) -> bool) -> bool {
    let n = w.len();
    let e_at = match w {
        [.., b'e'] => n - 1,
        [.., b'e', b'd' | b's'] => n - 2,
        _ => return false,
    };
    // The e must be a vowel group of its own, after a consonant.
    if e_at == 0 || is_v(e_at - 1) {
        return false;
    }
    let p = at(w, e_at - 1);
    let pp = before(w, e_at, 2);
    let pp_consonant = e_at >= 2 && !is_v(e_at - 2);
    let syllabic = (p == b'l' || p == b'r')
        && pp_consonant
        && pp != p
        && pp != b'w'
        && !(p == b'l' && pp == b'r');
    // fi-er, ti-red, en-ti-er, ac-qui-er: a long i or y before r sounds
    // the e (but not in ques-tion-naire, where ai is one vowel).
    let ire =
        p == b'r' && matches!(pp, b'i' | b'y') && e_at >= 3 && is_v(e_at - 2) && !is_v(e_at - 3);
    let sounded = match at(w, n - 1) {
        b'd' => matches!(p, b't' | b'd'),
        b's' if e_at == n - 2 => {
            matches!(p, b's' | b'x' | b'z' | b'c' | b'g')
                || (p == b'h' && matches!(pp, b'c' | b's') && !is_aches(w))
        }
        _ => false,
    };
    !(sounded || syllabic || ire)
}

/// head-aches, back-aches (but reach-es, teach-es, coach-es).
pub(super) fn is_aches(w: &[u8]) -> bool {
    w.strip_suffix(b"aches")
        .is_some_and(|stem| !stem.last().is_some_and(|&b| has_vowel(&[b]) || b == b't'))
}
