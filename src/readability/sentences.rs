//! Splitting prose into sentences without breaking on "Dr.", "vs.",
//! "e.g.", "U.S.", credentials lists, or the Spanish "Sra.", "pág." and
//! "EE. UU.". One splitter serves both languages: a Spanish page quotes
//! "Dr." as an English one does, and no abbreviation in the lists is an
//! ordinary word in the other language.

use super::*;

// ---------------------------------------------------------------------------
// Sentences.

/// The sentences of a block, each with its file line. A sentence ends at
/// `.`, `!`, `?` or `…` (runs like `?!` or `...` count as one), optionally
/// followed by closing quotes or brackets, then white space and a capital
/// letter, digit, opening quote or bracket, or the Spanish `¿` and `¡`;
/// and at the end of the block. A
/// lone `.` after an abbreviation that goes on (`Dr.`, `vs.`, `e.g.`, an
/// initial) does not end one. Stretches without a word are dropped.
pub fn split_sentences(block: Block<'_>) -> Vec<Sentence<'_>> {
    let text = block.text;
    let mut out = Vec::new();
    let mut line = block.line;
    let mut counted = 0;
    for (start, end) in sentence_ranges(text) {
        let Some(sentence) = text.get(start..end) else {
            continue;
        };
        if !sentence.chars().any(char::is_alphanumeric) {
            continue;
        }
        line += text
            .get(counted..start)
            .map_or(0, |s| s.matches('\n').count());
        counted = start;
        out.push(Sentence {
            text: sentence,
            line,
        });
    }
    out
}

pub(super) fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

pub(super) fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»')
}

pub(super) fn opens_sentence(c: char) -> bool {
    c.is_uppercase()
        || c.is_numeric()
        || matches!(c, '"' | '\'' | '“' | '‘' | '«' | '(' | '[' | '¿' | '¡')
}

/// Byte ranges of the sentences, trimmed. One pass; each candidate end looks
/// at most [`TOKEN_LIMIT`] characters around it, so the split is linear.
pub(super) fn sentence_ranges(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let pos = |i: usize| chars.get(i).map_or(text.len(), |&(p, _)| p);
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        if !at(i).is_some_and(is_terminator) {
            i += 1;
            continue;
        }
        let mut j = i;
        while at(j).is_some_and(is_terminator) {
            j += 1;
        }
        let lone_dot = j == i + 1 && at(i) == Some('.');
        while at(j).is_some_and(is_closer) {
            j += 1;
        }
        let mut k = j;
        while at(k).is_some_and(char::is_whitespace) {
            k += 1;
        }
        let ends =
            k > j && at(k).is_some_and(opens_sentence) && !(lone_dot && goes_on(&chars, i, k));
        if ends {
            push_trimmed(&mut out, text, pos(start), pos(j));
            start = k;
        }
        i = k.max(i + 1);
    }
    push_trimmed(&mut out, text, pos(start), text.len());
    out
}

pub(super) fn push_trimmed(out: &mut Vec<(usize, usize)>, text: &str, start: usize, end: usize) {
    let Some(s) = text.get(start..end) else {
        return;
    };
    let lead = s.len() - s.trim_start().len();
    let kept = s.trim().len();
    if kept > 0 {
        out.push((start + lead, start + lead + kept));
    }
}

/// Abbreviations are short: a token longer than this is a word.
pub(super) const TOKEN_LIMIT: usize = 24;

/// Abbreviations that are always followed by more of the sentence: titles
/// before a name, Latin "for example", "versus", country initials, and
/// their Spanish kin (Sra., Dra., Lic., Av., pág., núm., p. ej.). "etc."
/// is not here: before a capital it usually does end the sentence (in both
/// languages). Sorted, for binary search.
pub(super) const GOES_ON: &[&str] = &[
    "approx", "av", "avda", "cf", "dept", "dpto", "dr", "dra", "dres", "e.g", "eg", "ej", "fig",
    "gral", "i.e", "ie", "ing", "lic", "mr", "mrs", "ms", "mt", "núm", "prof", "profa", "pág",
    "págs", "sr", "sra", "sras", "sres", "srta", "st", "sta", "sto", "tel", "u.k", "u.s", "u.s.a",
    "v", "viz", "vs",
];

/// Words a capital letter follows as a name, not as an initial: "vitamin D."
/// (or "vitamina D.") may end a sentence, "J." in "J. Smith" does not.
pub(super) const LETTER_NAMES: &[&str] = &[
    "clase",
    "class",
    "etapa",
    "fase",
    "grade",
    "grado",
    "group",
    "grupo",
    "hepatitis",
    "level",
    "nivel",
    "phase",
    "plan",
    "stage",
    "tipo",
    "type",
    "vitamin",
    "vitamina",
];

pub(super) const WEEKDAYS: &[&str] = &[
    "friday",
    "monday",
    "saturday",
    "sunday",
    "thursday",
    "tuesday",
    "wednesday",
];

/// Whether the lone `.` at `dot` belongs to an abbreviation and the
/// sentence goes on with the word at `next`.
pub(super) fn goes_on(chars: &[(usize, char)], dot: usize, next: usize) -> bool {
    let before = token_before(chars, dot);
    // Most sentences end in a plain word, longer than any abbreviation here.
    if before.is_empty() || (before.len() > 6 && !before.contains('.')) {
        return false;
    }
    let after = || token_after(chars, next);
    let lower = before.to_lowercase();
    if GOES_ON.binary_search(&lower.as_str()).is_ok() {
        return true;
    }
    if lower == "no" {
        // "No. 5" goes on; "Does it hurt? No. It..." does not.
        return after().starts_with(|c: char| c.is_numeric());
    }
    let mut letters = before.chars();
    if let (Some(only), None) = (letters.next(), letters.next()) {
        if !only.is_uppercase() {
            return false;
        }
        let start = dot.saturating_sub(1);
        let name = token_before(chars, skip_space_back(chars, start)).to_lowercase();
        return LETTER_NAMES.binary_search(&name.as_str()).is_err();
    }
    if lower == "a.m" || lower == "p.m" {
        return WEEKDAYS
            .binary_search(&after().to_lowercase().as_str())
            .is_ok();
    }
    if before.contains('.') {
        let start = dot.saturating_sub(before.chars().count());
        let after_comma = skip_space_back(chars, start)
            .checked_sub(1)
            .and_then(|i| chars.get(i))
            .is_some_and(|&(_, c)| c == ',');
        if is_initials(&before) && !after_comma {
            // "J.R. Smith"
            return true;
        }
        // A dotted credential ends the sentence unless more follow:
        // "Jane Doe, M.D. Ph.D. reviewed it."
        let after = after();
        return after.contains('.') || is_all_caps(&after);
    }
    // Spanish plurals of initials double the letters: "EE. UU.", "RR. HH.".
    is_doubled_initials(&before) && is_doubled_initials(&after())
}

/// `EE`, `UU`, `RRHH`: pairs of the same capital letter.
pub(super) fn is_doubled_initials(token: &str) -> bool {
    let bytes = token.as_bytes();
    !bytes.is_empty()
        && bytes.len().is_multiple_of(2)
        && bytes
            .chunks(2)
            .all(|pair| matches!(pair, [a, b] if a == b && a.is_ascii_uppercase()))
}

/// `J.R`, `J.R.R`: single capitals between dots.
pub(super) fn is_initials(token: &str) -> bool {
    token.split('.').all(|part| {
        let mut letters = part.chars();
        matches!((letters.next(), letters.next()), (Some(c), None) if c.is_uppercase())
    })
}

/// The token (letters, digits, inner dots) ending just before char `end`.
pub(super) fn token_before(chars: &[(usize, char)], end: usize) -> String {
    let mut token = Vec::new();
    let mut i = end;
    while i > 0 && token.len() <= TOKEN_LIMIT {
        i -= 1;
        match chars.get(i) {
            Some(&(_, c)) if c.is_alphanumeric() || c == '.' => token.push(c),
            _ => break,
        }
    }
    token
        .iter()
        .rev()
        .collect::<String>()
        .trim_matches('.')
        .to_string()
}

/// The index just past the white space that ends before char `end`.
pub(super) fn skip_space_back(chars: &[(usize, char)], end: usize) -> usize {
    let mut i = end;
    while i > 0 && chars.get(i - 1).is_some_and(|&(_, c)| c.is_whitespace()) {
        i -= 1;
    }
    i
}

/// The token (letters, digits, dots) starting at char `start`.
pub(super) fn token_after(chars: &[(usize, char)], start: usize) -> String {
    chars
        .iter()
        .skip(start)
        .take(TOKEN_LIMIT)
        .map(|&(_, c)| c)
        .take_while(|&c| c.is_alphanumeric() || c == '.')
        .collect::<String>()
        .trim_end_matches('.')
        .to_string()
}

pub(super) fn is_all_caps(token: &str) -> bool {
    token.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && token.chars().all(|c| !c.is_lowercase())
}
