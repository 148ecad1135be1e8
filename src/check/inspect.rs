//! What `check` needs to know about a page body, from one pass over its
//! Markdown: the prose (for readability), images, links, headings and
//! tables, each with its line.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::markdown::{heading_level, options};

/// A run of prose and the body line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prose {
    pub text: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub alt: String,
    pub dest: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    pub text: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub line: usize,
}

/// A table and whether its header row has any text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub has_header: bool,
    pub line: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub prose: Vec<Prose>,
    pub images: Vec<Image>,
    pub links: Vec<Link>,
    pub headings: Vec<Heading>,
    pub tables: Vec<Table>,
}

/// Body lines are 1-based and counted in the body.
pub fn inspect(body: &str) -> Facts {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line = |offset: usize| starts.partition_point(|&s| s <= offset).max(1);
    let mut facts = Facts::default();
    let mut walker = Walker::default();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        walker.event(event, range, body, &line, &mut facts);
    }
    facts
}

/// Where the walk is inside the body.
#[derive(Default)]
struct Walker {
    code: bool,
    heading: bool,
    table: Option<usize>,
    header_text: bool,
    in_header: bool,
    image: Option<Image>,
    link: Option<Link>,
    prose: Option<Prose>,
}

impl Walker {
    fn event(
        &mut self,
        event: Event,
        range: Range<usize>,
        body: &str,
        line: &dyn Fn(usize) -> usize,
        facts: &mut Facts,
    ) {
        match event {
            Event::Start(tag) => self.start(tag, range, body, line, facts),
            Event::End(tag) => self.end(tag, facts),
            Event::Text(text) => self.text(&text, line(range.start)),
            Event::Code(code) => {
                // Code is not prose, but it is link text.
                if let Some(link) = self.link.as_mut() {
                    link.text.push_str(&code);
                }
            }
            // Prose keeps its line breaks, so that each sentence knows the
            // line it starts on; link and alt text read them as spaces.
            Event::SoftBreak | Event::HardBreak => self.add(" ", "\n", line(range.start)),
            _ => {}
        }
    }

    fn start(
        &mut self,
        tag: Tag,
        range: Range<usize>,
        body: &str,
        line: &dyn Fn(usize) -> usize,
        facts: &mut Facts,
    ) {
        match tag {
            Tag::CodeBlock(_) => self.code = true,
            Tag::Heading { level, .. } => {
                self.flush(facts);
                self.heading = true;
                facts.headings.push(Heading {
                    level: heading_level(level),
                    line: line(range.start),
                });
            }
            Tag::Table(_) => {
                self.flush(facts);
                self.table = Some(line(range.start));
                self.header_text = false;
            }
            Tag::TableHead => self.in_header = true,
            Tag::Image { dest_url, .. } => {
                self.image = Some(Image {
                    alt: String::new(),
                    dest: dest_url.to_string(),
                    line: line(range.start),
                });
            }
            Tag::Link { dest_url, .. } => {
                self.link = Some(Link {
                    dest: dest_url.to_string(),
                    text: String::new(),
                    line: line(range.start),
                });
            }
            Tag::Paragraph => {
                let source = body.get(range).unwrap_or("");
                if crate::shortcode::looks_like_call(source) {
                    self.code = true;
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, facts: &mut Facts) {
        match tag {
            TagEnd::CodeBlock => self.code = false,
            TagEnd::Heading(_) => self.heading = false,
            TagEnd::Table => {
                if let Some(at) = self.table.take() {
                    facts.tables.push(Table {
                        has_header: self.header_text,
                        line: at,
                    });
                }
            }
            TagEnd::TableHead => self.in_header = false,
            TagEnd::Image => {
                if let Some(image) = self.image.take() {
                    facts.images.push(image);
                }
            }
            TagEnd::Link => {
                if let Some(link) = self.link.take() {
                    facts.links.push(link);
                }
            }
            TagEnd::Paragraph => {
                self.code = false;
                self.flush(facts);
            }
            TagEnd::Item => self.flush(facts),
            _ => {}
        }
    }

    fn text(&mut self, text: &str, at: usize) {
        self.add(text, text, at);
    }

    /// Adds `text` to the link or alt text being read, and `prose` to the
    /// prose.
    fn add(&mut self, text: &str, prose: &str, at: usize) {
        if self.in_header && !text.trim().is_empty() {
            self.header_text = true;
        }
        if let Some(image) = self.image.as_mut() {
            image.alt.push_str(text);
            return;
        }
        if let Some(link) = self.link.as_mut() {
            link.text.push_str(text);
        }
        if self.code || self.heading || self.table.is_some() {
            return;
        }
        let run = self.prose.get_or_insert_with(|| Prose {
            text: String::new(),
            line: at,
        });
        run.text.push_str(prose);
    }

    fn flush(&mut self, facts: &mut Facts) {
        if let Some(prose) = self.prose.take() {
            if !prose.text.trim().is_empty() {
                facts.prose.push(prose);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_leaves_out_code_headings_tables_and_urls() {
        let body = "# Title\n\nOne *two* [three](https://x.org/four) `five`.\n\n```\nsix\n```\n\n| a | b |\n|---|---|\n| seven | eight |\n\n- nine\n- ten\n\n{{ cta }}\n";
        let facts = inspect(body);
        let texts: Vec<&str> = facts.prose.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["One two three .", "nine", "ten"]);
        assert_eq!(facts.prose[0].line, 3);
        assert_eq!(facts.prose[1].line, 13);
    }

    #[test]
    fn prose_keeps_line_breaks_and_link_text_does_not() {
        let facts = inspect("One line.\nTwo [link\ntext](a.md) here.\n");
        assert_eq!(facts.prose[0].text, "One line.\nTwo link\ntext here.");
        assert_eq!(facts.links[0].text, "link text");
    }

    #[test]
    fn images_links_headings_tables() {
        let body = "## A\n\n#### B\n\n![knee.jpg](knee.jpg) [click here](a.md) <https://x.org>\n\n|   |   |\n|---|---|\n| 1 | 2 |\n";
        let facts = inspect(body);
        assert_eq!(
            facts.images,
            [Image {
                alt: "knee.jpg".into(),
                dest: "knee.jpg".into(),
                line: 5
            }]
        );
        assert_eq!(facts.links.len(), 2);
        assert_eq!(facts.links[0].text, "click here");
        assert_eq!(facts.links[1].text, "https://x.org");
        let levels: Vec<u8> = facts.headings.iter().map(|h| h.level).collect();
        assert_eq!(levels, [2, 4]);
        assert_eq!(
            facts.tables,
            [Table {
                has_header: false,
                line: 7
            }]
        );
    }
}
