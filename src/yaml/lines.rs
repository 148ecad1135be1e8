//! Where a key or list item is written in a YAML text, for messages about
//! values the parser accepted but a later check refused.

/// The 1-based line of `text` on which a top-level `key:` is written
/// (1 when it is not written).
pub fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|line| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(1, |i| i + 1)
}

/// The file line of a top-level `key:` of front matter (which starts on
/// line 2 of its file, after `---`).
pub fn front_matter_key_line(fm: &str, key: &str) -> usize {
    key_line(fm, key) + 1
}

/// File lines of the items of the top-level list `key` (block style); a
/// flow list (`key: [a, b]`) gives the key's line for every item.
pub fn front_matter_item_lines(fm: &str, key: &str) -> Vec<usize> {
    let lines: Vec<&str> = fm.lines().collect();
    let Some(start) = lines.iter().position(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    }) else {
        return Vec::new();
    };
    let after_colon = lines
        .get(start)
        .and_then(|l| l.split_once(':'))
        .map_or("", |(_, v)| v.trim());
    if after_colon.starts_with('[') {
        return vec![start + 2; after_colon.matches(',').count() + 1];
    }
    let mut items = Vec::new();
    let mut item_indent = None;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if indent == 0 && !trimmed.starts_with('-') {
            break;
        }
        if trimmed.starts_with('-') && item_indent.is_none_or(|first| first == indent) {
            item_indent = Some(indent);
            items.push(i + 2);
        }
    }
    items
}

/// Every place (line, column) where `key:` is written inside the top-level
/// map `parent:`, in block or flow style.
pub fn nested_key_places(text: &str, parent: &str, key: &str) -> Vec<(usize, usize)> {
    let mut places = Vec::new();
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        let top_level = !line.starts_with([' ', '\t']) && !line.trim().is_empty();
        if top_level {
            inside = line
                .strip_prefix(parent)
                .is_some_and(|rest| rest.trim_start().starts_with(':'));
        }
        if !inside {
            continue;
        }
        let body = if top_level {
            &line[parent.len()..]
        } else {
            line
        };
        let offset = line.len() - body.len();
        for (at, _) in body.match_indices(key) {
            let before = body[..at].chars().next_back();
            let after = body[at + key.len()..].trim_start();
            if matches!(before, None | Some(' ' | '{' | ',' | '\t')) && after.starts_with(':') {
                places.push((i + 1, offset + at + 1));
            }
        }
    }
    places
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_front_matter_item_lines() {
        let fm = "name: x\nhours:\n  - {days: [Mo]}\n  # note\n  - days: [Tu]\n    opens: a\nclinicians: [a, b]\n";
        assert_eq!(front_matter_item_lines(fm, "hours"), vec![4, 6]);
        assert_eq!(front_matter_item_lines(fm, "clinicians"), vec![8, 8]);
        assert_eq!(front_matter_item_lines(fm, "missing"), Vec::<usize>::new());
    }

    #[test]
    fn nested_key_places_in_block_and_flow_style() {
        let text =
            "title: x\nreadability:\n  es:\n    min: 1\n  es: {}\nes: 2\nb: {es: 1, fes: 2}\n";
        assert_eq!(
            nested_key_places(text, "readability", "es"),
            vec![(3, 3), (5, 3)]
        );
        assert_eq!(nested_key_places(text, "readability", "min"), vec![(4, 5)]);
        assert_eq!(nested_key_places(text, "b", "es"), vec![(7, 5)]);
        assert_eq!(
            nested_key_places(text, "none", "es"),
            Vec::<(usize, usize)>::new()
        );
    }
}
