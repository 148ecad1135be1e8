//! Counting Spanish syllables: one for each vowel nucleus, with the
//! diphthongs, triphthongs and hiatus of the Real Academia's spelling rules
//! (Ortografía de la lengua española, 2010). Spanish spelling shows its
//! sounds, so rules alone do the work; the exception list holds only
//! abbreviations read as whole words (Dr. = doc-tor).

use super::sentences::is_all_caps;
use super::syllables::{by_parts, digit_groups, read_as_letters};

/// The syllables of one Spanish word from [`super::words`], at least 1.
///
/// - A hyphenated word is the sum of its parts (`físico-químico` = 3 + 3).
/// - A number counts one syllable per group of digits, as in English
///   (`2,5` = 2, `10.000` = 2).
/// - Abbreviations read as words count as read (`Dr.` = doc-tor, `Sra.` =
///   se-ño-ra, `etc.` = et-cé-te-ra); those read letter by letter count the
///   syllables of each letter's name (`ADN` = a-de-e-ne, `TC` = te-ce).
/// - Other words count their vowel nuclei (see [`nuclei`]).
pub fn syllables(word: &str) -> u32 {
    by_parts(word, part_syllables)
}

fn part_syllables(part: &str) -> u32 {
    if part.chars().any(char::is_numeric) {
        return digit_groups(part);
    }
    let key = fold(part);
    if key.is_empty() {
        return 0;
    }
    if let Some(n) = exception(&key) {
        return n;
    }
    if part.contains('.') || read_as_letters(part, key.iter().any(|&b| is_vowel(b) || b == b'y')) {
        return spelled(part);
    }
    if let Some(acronym) = part.strip_suffix('s').filter(|a| is_all_caps(a)) {
        // ONGs, TACs: the acronym, read out.
        return part_syllables(acronym);
    }
    match nuclei(&key) {
        0 => spelled(part),
        n => n,
    }
}

// Letters as the counter sees them, one byte each. Plain vowels stay
// `a e i o u`; an accented strong vowel loses its accent (it is a nucleus
// either way); an accented í or ú, which always stands alone against a
// strong vowel, is `I` or `U`; ü (sounded after g) is `W`; the ordinal
// signs º and ª are `#`; every other letter is itself or, outside the Latin
// alphabet, a consonant.
const ACUTE_I: u8 = b'I';
const ACUTE_U: u8 = b'U';
const DIAERESIS_U: u8 = b'W';
const ORDINAL: u8 = b'#';

/// Lower-case letters in the counter's alphabet (see above); dots,
/// apostrophes and other marks are dropped.
pub(super) fn fold(part: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(part.len());
    for c in part.chars().flat_map(char::to_lowercase) {
        let b = match c {
            'a'..='z' => c as u8,
            'á' | 'à' | 'â' | 'ä' | 'ã' => b'a',
            'é' | 'è' | 'ê' | 'ë' => b'e',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => b'o',
            'í' | 'ì' | 'î' | 'ï' => ACUTE_I,
            'ú' | 'ù' | 'û' => ACUTE_U,
            'ü' => DIAERESIS_U,
            'ñ' => b'n',
            'ç' => b'c',
            'º' | 'ª' => ORDINAL,
            c if c.is_alphabetic() => b'k',
            _ => continue,
        };
        out.push(b);
    }
    out
}

/// What a letter is worth to a syllable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sound {
    /// a, e, o (accented or not), and an accented í or ú: always a nucleus.
    Strong(u8),
    /// i, u, ü, and y as a vowel: a nucleus only with no strong vowel
    /// beside it.
    Weak(u8),
    /// An h between vowels: it does not part them (prohi-bir, ahu-mar).
    Between,
    /// The u of que, qui, gue, gui: written, not sounded.
    Silent,
    Consonant,
}

fn is_vowel(b: u8) -> bool {
    matches!(
        b,
        b'a' | b'e' | b'i' | b'o' | b'u' | ACUTE_I | ACUTE_U | DIAERESIS_U
    )
}

fn sound(w: &[u8], i: usize) -> Sound {
    let at = |j: usize| w.get(j).copied().unwrap_or(0);
    let prev = i.checked_sub(1).map_or(0, at);
    let next = at(i + 1);
    match at(i) {
        c @ (b'a' | b'e' | b'o' | ACUTE_I | ACUTE_U) => Sound::Strong(c),
        b'u' if matches!(prev, b'q' | b'g') && matches!(next, b'e' | b'i' | ACUTE_I) => {
            Sound::Silent
        }
        c @ (b'i' | b'u' | DIAERESIS_U) => Sound::Weak(c),
        // y is a vowel unless a vowel follows it: y, hoy, muy, rey, Uruguay;
        // but yo, mayo, leyes.
        b'y' if !is_vowel(next) => Sound::Weak(b'y'),
        b'h' if i > 0 && is_vowel(prev) && is_vowel(next) => Sound::Between,
        _ => Sound::Consonant,
    }
}

/// Whether two vowels side by side are two syllables: two strong vowels
/// (le-er, ca-os, pa-ís, dí-a, re-ír), or the same vowel twice (chi-i-ta,
/// fri-í-si-mo). A weak vowel beside a strong one, or beside another weak
/// one, makes a diphthong (cie-lo, au-la, ciu-dad, cui-da-do, cuí-da-te).
fn hiatus(a: Sound, b: Sound) -> bool {
    let letter = |s: Sound| match s {
        Sound::Strong(c) | Sound::Weak(c) => match c {
            ACUTE_I => b'i',
            ACUTE_U | DIAERESIS_U => b'u',
            c => c,
        },
        _ => 0,
    };
    matches!((a, b), (Sound::Strong(_), Sound::Strong(_))) || letter(a) == letter(b)
}

/// The number of vowel nuclei in a folded word. Vowels side by side make
/// one syllable unless [`hiatus`] parts them; a weak vowel between two
/// strong ones joins one of them (so one syllable holds one strong vowel at
/// most). Triphthongs (buey, U-ru-guay, es-tu-diáis) fall out: a weak
/// vowel either side of a strong one.
pub(super) fn nuclei(w: &[u8]) -> u32 {
    let mut count = 0;
    // The last vowel of the current run, and whether the current syllable
    // has its strong vowel already.
    let mut prev: Option<Sound> = None;
    let mut has_strong = false;
    for i in 0..w.len() {
        let s = sound(w, i);
        match s {
            Sound::Strong(_) | Sound::Weak(_) => {
                let strong = matches!(s, Sound::Strong(_));
                let joins = prev.is_some_and(|p| !hiatus(p, s)) && !(strong && has_strong);
                if joins {
                    has_strong |= strong;
                } else {
                    count += 1;
                    has_strong = strong;
                }
                prev = Some(s);
            }
            Sound::Between | Sound::Silent => {}
            Sound::Consonant => prev = None,
        }
    }
    count
}

/// Read letter by letter: the syllables of each letter's Spanish name
/// (a, be, ce, de, e, e-fe, ge, ha-che, i, jo-ta, ka, e-le, e-me, e-ne,
/// e-ñe, o, pe, cu, e-rre, e-se, te, u, u-ve, u-ve do-ble, e-quis, ye,
/// ze-ta).
fn spelled(part: &str) -> u32 {
    part.chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'f' | 'h' | 'j' | 'l' | 'm' | 'n' | 'ñ' | 'r' | 's' | 'v' | 'x' | 'z' => 2,
            'w' => 4,
            _ => 1,
        })
        .sum()
}

/// Abbreviations read as whole words, by their folded letters (accents as
/// [`fold`] writes them), with the syllables of the word they stand for.
/// Sorted, for binary search (a test checks the order).
pub(super) const EXCEPTIONS: &[(&[u8], u32)] = &[
    (b"adn", 4),   // a-de-e-ne
    (b"aprox", 7), // a-pro-xi-ma-da-men-te
    (b"arn", 4),   // a-e-rre-e-ne
    (b"av", 4),    // a-ve-ni-da
    (b"avda", 4),  // a-ve-ni-da
    (b"cm", 4),    // cen-tí-me-tros
    (b"dr", 2),    // doc-tor
    (b"dra", 3),   // doc-to-ra
    (b"dres", 3),  // doc-to-res
    (b"ee", 3),    // (EE. UU.) Es-ta-dos
    (b"eeuu", 6),  // (EE.UU.) Es-ta-dos U-ni-dos
    (b"ej", 3),    // (p. ej.) e-jem-plo
    (b"etc", 4),   // et-cé-te-ra
    (b"kg", 4),    // ki-lo-gra-mos
    (b"km", 4),    // ki-ló-me-tros
    (b"mg", 4),    // mi-li-gra-mos
    (b"ml", 4),    // mi-li-li-tros
    (b"n#", 3),    // (n.º) nú-me-ro
    (b"nUm", 3),   // (núm.) nú-me-ro
    (b"pag", 3),   // (pág.) pá-gi-na
    (b"sr", 2),    // se-ñor
    (b"sra", 3),   // se-ño-ra
    (b"sres", 3),  // se-ño-res
    (b"srta", 4),  // se-ño-ri-ta
    (b"tel", 4),   // te-lé-fo-no
    (b"ud", 2),    // us-ted
    (b"uds", 3),   // us-te-des
    (b"uu", 3),    // (EE. UU.) U-ni-dos
    (b"vd", 2),    // us-ted
    (b"vds", 3),   // us-te-des
    (b"vih", 4),   // ve-i-ha-che
    (b"vs", 2),    // ver-sus
];

fn exception(key: &[u8]) -> Option<u32> {
    EXCEPTIONS
        .binary_search_by(|(k, _)| k.cmp(&key))
        .ok()
        .and_then(|i| EXCEPTIONS.get(i))
        .map(|&(_, n)| n)
}
