//! "Did you mean": the nearest of a set of known names.

/// The candidate closest to `word`, when it is close enough to be a likely
/// typo (Jaro-Winkler similarity of 0.8 or more).
pub fn nearest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// `, did you mean `x`?` or nothing.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    match nearest(word, candidates) {
        Some(near) => format!(", did you mean `{near}`?"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos() {
        let keys = ["title", "description", "date"];
        assert_eq!(nearest("titel", keys), Some("title"));
        assert_eq!(nearest("descripton", keys), Some("description"));
        assert_eq!(nearest("zzzz", keys), None);
    }

    #[test]
    fn slug_typos() {
        let slugs = ["hinsdale", "orland-park", "south-loop"];
        assert_eq!(nearest("hinsdal", slugs), Some("hinsdale"));
        assert_eq!(nearest("orland", slugs), Some("orland-park"));
    }
}
