//! The classic editor's HTML has no `<p>`: WordPress makes paragraphs from
//! blank lines, and line breaks from single newlines, as it shows a post
//! (its `wpautop`). This does the same before conversion, from a small
//! tokenizer that also finds tags that are opened and never closed.

/// A piece of HTML as the tokenizer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Text(&'a str),
    /// `<name ...>` (or `<name/>`), with its text.
    Open(&'a str, &'a str),
    /// `</name>`, with its text.
    Close(&'a str, &'a str),
    /// `<!-- -->`, `<!DOCTYPE>`, `<?...>`: kept as written.
    Other(&'a str),
}

impl Token<'_> {
    fn text(&self) -> &str {
        match self {
            Token::Text(t) | Token::Open(_, t) | Token::Close(_, t) | Token::Other(t) => t,
        }
    }
}

/// Elements whose content is text to the end tag, not HTML.
const RAW_TEXT: [&str; 4] = ["script", "style", "textarea", "title"];

/// Elements with no end tag.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose end tag HTML lets a writer leave out.
const OPTIONAL_END: [&str; 14] = [
    "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "colgroup",
    "html", "body",
];

/// WordPress's block elements: paragraphs end before them and after them.
const BLOCKS: [&str; 42] = [
    "table",
    "thead",
    "tfoot",
    "caption",
    "col",
    "colgroup",
    "tbody",
    "tr",
    "td",
    "th",
    "div",
    "dl",
    "dd",
    "dt",
    "ul",
    "ol",
    "li",
    "pre",
    "form",
    "map",
    "area",
    "blockquote",
    "address",
    "math",
    "style",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "fieldset",
    "legend",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "nav",
    "figure",
];

fn is_block(name: &str) -> bool {
    BLOCKS.contains(&name) || matches!(name, "figcaption" | "details" | "summary" | "menu")
}

/// Splits HTML into tokens. Never fails: a `<` that starts no tag is text.
fn tokenize(html: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut rest = html;
    let mut raw_until: Option<String> = None;
    while !rest.is_empty() {
        if let Some(close) = raw_until.take() {
            let at = find_ignore_case(rest, &close).unwrap_or(rest.len());
            if at > 0 {
                tokens.push(Token::Text(&rest[..at]));
            }
            rest = &rest[at..];
            continue;
        }
        let Some(lt) = rest.find('<') else {
            tokens.push(Token::Text(rest));
            break;
        };
        if lt > 0 {
            tokens.push(Token::Text(&rest[..lt]));
            rest = &rest[lt..];
        }
        let (token, len) = tag(rest);
        if let Token::Open(name, text) = token {
            let name = name_of(name);
            if RAW_TEXT.contains(&name.as_str()) && !text.ends_with("/>") {
                raw_until = Some(format!("</{name}"));
            }
        }
        tokens.push(token);
        rest = &rest[len..];
    }
    tokens
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let lower = haystack.to_ascii_lowercase();
    lower.find(needle)
}

/// The token at the start of `text` (which starts with `<`), and its length.
fn tag(text: &str) -> (Token<'_>, usize) {
    let as_text = (Token::Text(&text[..1]), 1);
    if text.starts_with("<!--") {
        let len = text.find("-->").map_or(text.len(), |i| i + 3);
        return (Token::Other(&text[..len]), len);
    }
    if text.starts_with("<!") || text.starts_with("<?") {
        let len = text.find('>').map_or(text.len(), |i| i + 1);
        return (Token::Other(&text[..len]), len);
    }
    let closing = text.starts_with("</");
    let name_start = if closing { 2 } else { 1 };
    let after = &text[name_start..];
    let name_len = after
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(after.len());
    if name_len == 0 || !after.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return as_text;
    }
    // The tag ends at the first `>` outside quotes.
    let mut quote = None;
    let mut end = None;
    for (i, c) in text.char_indices().skip(name_start + name_len) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => {
                end = Some(i + 1);
                break;
            }
            _ => {}
        }
    }
    let Some(len) = end else {
        return as_text;
    };
    let name = &after[..name_len];
    let raw = &text[..len];
    if closing {
        (Token::Close(name, raw), len)
    } else {
        (Token::Open(name, raw), len)
    }
}

/// Lower-case tag names, whatever the writer typed.
fn name_of(name: &str) -> String {
    name.to_ascii_lowercase()
}

/// Paragraphs and line breaks, as WordPress makes them for a classic post.
pub fn autop(html: &str) -> String {
    let html = html.replace("\r\n", "\n").replace('\r', "\n");
    if html.trim().is_empty() {
        return String::new();
    }
    let mut pieces: Vec<Vec<Token>> = vec![Vec::new()];
    let mut pre = 0usize;
    let mut raw = false;
    for token in tokenize(&html) {
        match token {
            Token::Open(name, text) => {
                let name = name_of(name);
                raw = RAW_TEXT.contains(&name.as_str()) && !text.ends_with("/>");
                if name == "pre" {
                    pre += 1;
                }
                if is_block(&name) && pre <= usize::from(name == "pre") {
                    pieces.push(Vec::new());
                }
                push(&mut pieces, token);
            }
            Token::Close(name, _) => {
                let name = name_of(name);
                raw = false;
                push(&mut pieces, token);
                if name == "pre" {
                    pre = pre.saturating_sub(1);
                }
                if is_block(&name) && pre == 0 {
                    pieces.push(Vec::new());
                }
            }
            Token::Text(text) if pre == 0 && !raw => {
                // A blank line ends a paragraph.
                let mut rest = text;
                while let Some((before, after)) = split_blank_line(rest) {
                    push(&mut pieces, Token::Text(before));
                    pieces.push(Vec::new());
                    rest = after;
                }
                push(&mut pieces, Token::Text(rest));
            }
            other => push(&mut pieces, other),
        }
    }
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    for piece in &pieces {
        paragraph(piece, &mut out);
    }
    out
}

fn push<'a>(pieces: &mut Vec<Vec<Token<'a>>>, token: Token<'a>) {
    if let Some(last) = pieces.last_mut() {
        last.push(token);
    }
}

/// `text` split around its first blank line (a newline, spaces, a newline).
fn split_blank_line(text: &str) -> Option<(&str, &str)> {
    let mut search = 0;
    while let Some(at) = text[search..].find('\n') {
        let first = search + at;
        let after = &text[first + 1..];
        let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
        if after[spaces..].starts_with('\n') {
            let mut end = first + 1 + spaces + 1;
            // The whole run of blank lines.
            while let Some(more) = text[end..].strip_prefix(|c: char| c.is_whitespace()) {
                end = text.len() - more.len();
            }
            return Some((&text[..first], &text[end..]));
        }
        search = first + 1;
    }
    None
}

/// One piece between blank lines and block tags: its inline part wrapped
/// in `<p>` unless a block tag (but `<blockquote>`) opens it.
fn paragraph(piece: &[Token], out: &mut String) {
    let is_edge = |t: &Token| match t {
        Token::Open(name, _) | Token::Close(name, _) => is_block(&name_of(name)),
        Token::Text(text) => text.trim().is_empty(),
        Token::Other(_) => false,
    };
    let lead = piece.iter().take_while(|t| is_edge(t)).count();
    let trail = piece[lead..]
        .iter()
        .rev()
        .take_while(|t| is_edge(t))
        .count();
    let middle = &piece[lead..piece.len() - trail];
    for token in &piece[..lead] {
        out.push_str(token.text());
    }
    if !middle.is_empty() {
        let opened_by = piece[..lead].iter().rev().find_map(|t| match t {
            Token::Open(name, _) => Some(name_of(name)),
            Token::Close(..) => Some(String::new()),
            _ => None,
        });
        let wrap = matches!(opened_by.as_deref(), None | Some("" | "blockquote"));
        if wrap {
            out.push_str("<p>");
        }
        let pre = piece[..lead]
            .iter()
            .map(|t| match t {
                Token::Open(name, _) if name_of(name) == "pre" => 1,
                Token::Close(name, _) if name_of(name) == "pre" => -1,
                _ => 0,
            })
            .sum::<isize>()
            .max(0) as usize;
        inline(middle, pre, out);
        if wrap {
            out.push_str("</p>\n");
        }
    }
    for token in &piece[piece.len() - trail..] {
        out.push_str(token.text());
    }
}

/// The inline part of a piece: text trimmed at its ends, newlines made
/// line breaks, but inside `<pre>` (`pre` deep at its start) and raw text.
fn inline(middle: &[Token], mut pre: usize, out: &mut String) {
    let mut raw = false;
    let last = middle.len().saturating_sub(1);
    for (i, token) in middle.iter().enumerate() {
        match token {
            Token::Text(text) if !raw && pre == 0 => {
                let mut text: &str = text;
                if i == 0 {
                    text = text.trim_start();
                }
                if i == last {
                    text = text.trim_end();
                }
                out.push_str(&text.replace('\n', "<br />"));
            }
            Token::Open(name, text) => {
                let name = name_of(name);
                raw = RAW_TEXT.contains(&name.as_str()) && !text.ends_with("/>");
                pre += usize::from(name == "pre");
                out.push_str(text);
            }
            Token::Close(name, text) => {
                raw = false;
                if name_of(name) == "pre" {
                    pre = pre.saturating_sub(1);
                }
                out.push_str(text);
            }
            other => out.push_str(other.text()),
        }
    }
}

/// Tags opened and never closed (or closed without being opened), as
/// `<strong>` / `</em>`: HTML the browser guessed at. Tags HTML lets a
/// writer leave open (`<p>`, `<li>`) are not counted.
pub fn unbalanced(html: &str) -> Vec<String> {
    let mut open: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    for token in tokenize(html) {
        match token {
            Token::Open(name, text) => {
                let name = name_of(name);
                if !VOID.contains(&name.as_str()) && !text.ends_with("/>") {
                    open.push(name);
                }
            }
            Token::Close(name, _) => {
                let name = name_of(name);
                match open.iter().rposition(|n| *n == name) {
                    Some(at) => {
                        for skipped in open.drain(at..).skip(1) {
                            if !OPTIONAL_END.contains(&skipped.as_str()) {
                                problems.push(format!("<{skipped}>"));
                            }
                        }
                    }
                    None if !OPTIONAL_END.contains(&name.as_str())
                        && !VOID.contains(&name.as_str()) =>
                    {
                        problems.push(format!("</{name}>"));
                    }
                    None => {}
                }
            }
            _ => {}
        }
    }
    problems.extend(
        open.into_iter()
            .filter(|n| !OPTIONAL_END.contains(&n.as_str()))
            .map(|n| format!("<{n}>")),
    );
    problems.sort();
    problems.dedup();
    problems
}

/// `<p>https://...</p>`: a paragraph that is only an address is an embed
/// in WordPress (a video, a post elsewhere). It becomes a link to it.
pub fn link_bare_urls(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<p>") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        rest = after;
        let Some(end) = rest.find("</p>") else {
            continue;
        };
        let inner = rest[..end].trim();
        let is_url = (inner.starts_with("https://") || inner.starts_with("http://"))
            && !inner.contains(|c: char| c.is_whitespace() || c == '<' || c == '"');
        if is_url {
            out.push_str(&format!("<a href=\"{inner}\">{inner}</a>"));
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_make_paragraphs_and_newlines_breaks() {
        assert_eq!(
            autop("Hello <strong>you</strong>\nsecond line\n\nPara two"),
            "<p>Hello <strong>you</strong><br />second line</p>\n<p>Para two</p>\n"
        );
    }

    #[test]
    fn blocks_are_not_wrapped() {
        let out = autop("Intro\n<ul>\n<li>One</li>\n<li>Two</li>\n</ul>\n\n<h2>Head</h2>\nText");
        assert_eq!(
            out,
            "<p>Intro</p>\n<ul>\n<li>One</li>\n<li>Two</li>\n</ul><h2>Head</h2><p>Text</p>\n"
        );
    }

    #[test]
    fn quotes_get_paragraphs_and_pre_is_kept() {
        assert_eq!(
            autop("<blockquote>One\n\nTwo</blockquote>"),
            "<blockquote><p>One</p>\n<p>Two</p>\n</blockquote>"
        );
        assert_eq!(
            autop("<pre>a\n\nb</pre>\n\nText"),
            "<pre>a\n\nb</pre><p>Text</p>\n"
        );
        assert_eq!(
            autop("<script>if (a < b)\n\n{}</script>"),
            "<p><script>if (a < b)\n\n{}</script></p>\n"
        );
    }

    #[test]
    fn unbalanced_tags_are_named() {
        assert_eq!(
            unbalanced("<p>a <strong>b</p><p>c</em>"),
            ["</em>", "<strong>"]
        );
        assert!(unbalanced("<p>a<br><img src=x><ul><li>b</ul>").is_empty());
        assert_eq!(unbalanced("<p>a</ul>"), ["</ul>"]);
        assert!(unbalanced("<script>if (a<b) {}</script>").is_empty());
        assert_eq!(unbalanced("<div><span>x</div>"), ["<span>"]);
    }

    #[test]
    fn bare_urls_become_links() {
        assert_eq!(
            link_bare_urls("<p>https://youtu.be/x?a=1</p><p>see https://a.org</p>"),
            "<p><a href=\"https://youtu.be/x?a=1\">https://youtu.be/x?a=1</a></p><p>see https://a.org</p>"
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for html in [
            "<",
            "<<>>",
            "</",
            "<a href='x>",
            "<!--",
            "<p\n",
            "é<é>",
            "\r\n\r\n",
            "<pre>",
        ] {
            let _ = autop(html);
            let _ = unbalanced(html);
        }
    }
}
