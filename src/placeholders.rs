//! Text with named placeholders (`{month}`, `{{title_1}}`) cut at them
//! once, for text filled in many times: each filling is then its pieces
//! in turn, with no search of the text and no copy of it per placeholder.

/// A piece of such text: its own words, or the placeholder written there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<T> {
    Text(String),
    Placeholder(T),
}

/// `text` cut at each of `placeholders` (its name as written, and what it
/// stands for), left to right. What only looks like a placeholder stays
/// text.
pub fn cut<T: Copy>(text: &str, placeholders: &[(&str, T)]) -> Vec<Piece<T>> {
    let mut pieces = Vec::new();
    let mut own = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let (before, at) = rest.split_at(start);
        own.push_str(before);
        match placeholders.iter().find(|(name, _)| at.starts_with(name)) {
            Some((name, stands_for)) => {
                if !own.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut own)));
                }
                pieces.push(Piece::Placeholder(*stands_for));
                rest = at.get(name.len()..).unwrap_or_default();
            }
            None => {
                own.push('{');
                rest = at.get(1..).unwrap_or_default();
            }
        }
    }
    own.push_str(rest);
    if !own.is_empty() {
        pieces.push(Piece::Text(own));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cut_at_its_placeholders_only() {
        let text = |t: &str| Piece::Text(t.to_string());
        let names = [("{{a}}", 'a'), ("{b}", 'b')];
        assert_eq!(
            cut("<t>{{a}}</t>{{other}} {b}{{{a}}{", &names),
            [
                text("<t>"),
                Piece::Placeholder('a'),
                text("</t>{{other}} "),
                Piece::Placeholder('b'),
                text("{"),
                Piece::Placeholder('a'),
                text("{"),
            ]
        );
        assert_eq!(cut("", &names), []);
        assert_eq!(cut("no placeholder", &names), [text("no placeholder")]);
    }
}
