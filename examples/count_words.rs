//! Word counting for the search index on its own: the prose of every
//! article of a generated site, counted the way a build counts each body
//! as it renders (`handout::words::Counter`), on one thread, three times
//! over. Prints nanoseconds a word, the figure to compare before and
//! after a change to `src/words/count.rs`.
//!
//! ```sh
//! cargo build --release --examples
//! target/release/examples/count_words target/bench/corpus-10000/content/articles
//! ```
//!
//! The prose is each file's Markdown less its front matter, as text
//! events (no markup, code or raw HTML), close to what the renderer
//! hands the counter.

use std::time::Instant;

use handout::words::{Counter, Lexicon};
use pulldown_cmark::{Event, Parser};

fn main() -> std::io::Result<()> {
    let Some(folder) = std::env::args().nth(1) else {
        eprintln!("usage: count_words FOLDER (of Markdown files)");
        std::process::exit(2);
    };
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(&folder)? {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let file = std::fs::read_to_string(&path)?;
        // After the closing `---` of the front matter.
        let body = file.splitn(3, "---\n").nth(2).unwrap_or(&file);
        texts.push(prose(body));
    }
    let lexicon = Lexicon::new();
    let mut words = 0u64;
    let started = Instant::now();
    for _ in 0..3 {
        for text in &texts {
            let mut counter = Counter::<2>::new(&lexicon);
            counter.add(0, text);
            words += u64::from(counter.finish().lengths[0]);
        }
    }
    let elapsed = started.elapsed();
    println!(
        "{} files, {words} words counted in {elapsed:.2?}: {:.1} ns a word",
        texts.len(),
        elapsed.as_nanos() as f64 / words.max(1) as f64
    );
    // Then as a body is: counted, then packed to wait for the index.
    let mut elapsed = std::time::Duration::ZERO;
    for _ in 0..3 {
        let owned = texts.clone();
        let started = Instant::now();
        for text in owned {
            std::hint::black_box(handout::words::body_words(&lexicon, text, []));
        }
        elapsed += started.elapsed();
    }
    println!(
        "counted and packed in {elapsed:.2?}: {:.1} ns a word",
        elapsed.as_nanos() as f64 / words.max(1) as f64
    );
    Ok(())
}

/// The text of a Markdown body, a space at each line break and a new
/// line at the end of each block.
fn prose(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(_) => text.push('\n'),
            _ => {}
        }
    }
    text
}
