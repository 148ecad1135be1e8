//! English words the syllable rules miscount, with their dictionary
//! counts: a short list, each entry tagged with why the rules miss it.

use super::syllables::hisses;

/// Words the rules miscount, with their dictionary count. Sorted, for
/// binary search (a test checks the order, and that the rules alone would
/// get each one wrong). The tag says why each is here:
/// - `letters`: an abbreviation read letter by letter (ACL, EKG) or in full
///   (Dr. = doc-tor, vs. = ver-sus, mg = mil-li-grams).
/// - `pair`: two vowels (or a vowel and y) side by side that the rules read
///   the wrong way (na-ive, peo-ple).
/// - `silent`: a silent letter or syllable the rules sound (busi-ness,
///   eve-ning).
/// - `sounded`: a final e or -es the rules silence (rec-i-pe, di-a-be-tes).
/// - `compound`: a compound the splitter does not see (some-one).
pub(super) const EXCEPTIONS: &[(&str, u8)] = &[
    ("achilles", 3),         // sounded
    ("acl", 3),              // letters
    ("acne", 2),             // sounded
    ("argue", 2),            // pair: gu-e
    ("bmi", 3),              // letters
    ("business", 2),         // silent
    ("cbis", 4),             // letters
    ("creature", 2),         // pair
    ("diabetes", 4),         // sounded
    ("dna", 3),              // letters
    ("dr", 2),               // letters
    ("ecg", 3),              // letters
    ("edd", 3),              // letters
    ("ekg", 3),              // letters
    ("element", 3),          // sounded
    ("emg", 3),              // letters
    ("emt", 3),              // letters
    ("er", 2),               // letters
    ("etc", 4),              // letters: et cet-er-a
    ("evening", 2),          // silent
    ("every", 2),            // silent: ev-ry, as in every|day
    ("gastrointestinal", 6), // pair: o-in
    ("gluteal", 3),          // pair: e-al
    ("herpes", 2),           // sounded
    ("icu", 3),              // letters
    ("kg", 3),               // letters
    ("maybe", 2),            // compound
    ("mg", 3),               // letters
    ("ml", 4),               // letters
    ("mr", 2),               // letters
    ("mri", 3),              // letters
    ("mrs", 2),              // letters
    ("naive", 2),            // pair
    ("nevertheless", 4),     // sounded
    ("ocs", 3),              // letters
    ("ok", 2),               // letters
    ("osteoarthritis", 6),   // pair: o-ar
    ("ot", 2),               // letters
    ("oz", 2),               // letters
    ("people", 2),           // pair
    ("phd", 3),              // letters
    ("recipe", 3),           // sounded
    ("sacroiliac", 5),       // pair: o-il
    ("usa", 3),              // letters
    ("uti", 3),              // letters
    ("vs", 2),               // letters
    ("wednesday", 2),        // silent
];

pub(super) fn exact(w: &[u8]) -> Option<u32> {
    // The first letter settles most comparisons without a call to memcmp.
    EXCEPTIONS
        .binary_search_by(|(k, _)| {
            let k = k.as_bytes();
            k.first().cmp(&w.first()).then_with(|| k.cmp(w))
        })
        .ok()
        .and_then(|i| EXCEPTIONS.get(i))
        .map(|&(_, n)| u32::from(n))
}

/// An exception or an inflection of one: sciences = science + 1,
/// argued = argue.
pub(super) fn lookup(w: &[u8]) -> Option<u32> {
    if let Some(n) = exact(w) {
        return Some(n);
    }
    let inflected = |suffix: &[u8], adds: &dyn Fn(&[u8]) -> bool| {
        let stem = w.strip_suffix(suffix)?;
        exact(stem).map(|n| n + u32::from(adds(stem)))
    };
    inflected(b"s", &|s| hisses(s) && s.ends_with(b"e"))
        .or_else(|| inflected(b"es", &|s| hisses(s) && !s.ends_with(b"e")))
        .or_else(|| inflected(b"d", &|s| s.ends_with(b"te") || s.ends_with(b"de")))
        .or_else(|| inflected(b"ed", &|s| s.ends_with(b"t") || s.ends_with(b"d")))
}
