//! Clinicians (`content/authors/`) and clinics (`content/locations/`).

use crate::rng::{Rng, Stream};
use crate::text::{count_words, flow, quoted, slugify, Writer};
use crate::words::{
    Hours, FIRST_NAMES, HOURS, LAST_NAMES, NAME_SUFFIXES, ROLES, SERVICES, SPECIALTY_CREDENTIALS,
    STREETS, STREET_KINDS, TOWNS,
};

pub struct Author {
    pub slug: String,
    pub name: String,
    pub credentials: Vec<&'static str>,
    pub role: &'static str,
    /// Where the author's drawing stopped; the profile text goes on from it.
    rng: Rng,
}

pub struct Location {
    pub slug: String,
    pub name: String,
    pub city: &'static str,
    pub street: String,
    pub postal_code: &'static str,
    pub phone: String,
    pub lat: f64,
    pub lng: f64,
    pub hours: &'static [Hours],
    pub services: Vec<&'static str>,
    rng: Rng,
}

/// `base`, or `base-2`, `base-3`... whichever is not in `seen` yet.
pub fn unique(base: String, seen: &mut std::collections::HashSet<String>) -> String {
    let mut slug = base.clone();
    let mut n = 2;
    while seen.contains(&slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    seen.insert(slug.clone());
    slug
}

/// `count` clinicians with distinct names (as long as names last).
pub fn authors(seed: u64, count: usize) -> Vec<Author> {
    let mut order = Rng::new(seed, Stream::Authors, 0);
    let mut pairs: Vec<(&str, &str)> = FIRST_NAMES
        .iter()
        .flat_map(|f| LAST_NAMES.iter().map(move |l| (*f, *l)))
        .collect();
    order.shuffle(&mut pairs);
    let mut seen = std::collections::HashSet::new();
    (0..count)
        .map(|i| {
            let (first, last) = pairs[i % pairs.len()];
            let name = format!("{first} {last}");
            let slug = unique(slugify(&name), &mut seen);
            let mut rng = Rng::new(seed, Stream::Author, i as u64);
            let credentials = if rng.chance(0.15) {
                vec!["PTA"]
            } else {
                let n = rng.range(0, 2);
                let mut more = rng.sample(SPECIALTY_CREDENTIALS, n);
                more.sort_by_key(|c| SPECIALTY_CREDENTIALS.iter().position(|s| s == c));
                ["PT", "DPT"].into_iter().chain(more).collect()
            };
            let role = rng.pick(ROLES);
            Author {
                slug,
                name,
                credentials,
                role,
                rng,
            }
        })
        .collect()
}

/// `count` clinics, one town each until the towns run out, then a second
/// clinic in a town (`-2` slug, a suffix on the name).
pub fn locations(seed: u64, count: usize) -> Vec<Location> {
    let mut order_rng = Rng::new(seed, Stream::Locations, 0);
    let mut order: Vec<usize> = (0..TOWNS.len()).collect();
    order_rng.shuffle(&mut order);
    let mut seen = std::collections::HashSet::new();
    (0..count)
        .map(|i| {
            let town = &TOWNS[order[i % order.len()]];
            let mut rng = Rng::new(seed, Stream::Location, i as u64);
            let slug = unique(slugify(town.name), &mut seen);
            let mut name = format!("Example Physical Therapy - {}", town.name);
            if slug != slugify(town.name) {
                name = format!("{name} {}", rng.pick(NAME_SUFFIXES));
            }
            let mut street = format!(
                "{} {} {}",
                rng.range(10, 2999),
                rng.pick(STREETS),
                rng.pick(STREET_KINDS)
            );
            if rng.chance(0.3) {
                street = format!("{street}, Suite {}", rng.range(100, 450));
            }
            let lat = town.lat + rng.uniform(-0.012, 0.012);
            let lng = town.lng + rng.uniform(-0.012, 0.012);
            let hours = rng.pick(HOURS);
            let n = rng.range(3, 7);
            let services = rng.sample(SERVICES, n);
            Location {
                slug,
                name,
                city: town.city,
                street,
                postal_code: town.postal_code,
                // 555-0100 to 555-0199 are the numbers kept for fiction.
                phone: format!("({}) 555-01{:02}", town.area_code, i % 100),
                lat,
                lng,
                hours,
                services,
                rng,
            }
        })
        .collect()
}

/// Paragraphs (and, by `lists` chance, bullet lists) until about
/// `target` words, never past `most`.
fn body(
    writer: &mut Writer,
    (target, most): (usize, usize),
    lists: f64,
    mut blocks: Vec<String>,
) -> String {
    let words = |blocks: &[String]| count_words(&blocks.join("\n\n"));
    while words(&blocks) < target {
        let block = if writer.rng().chance(lists) {
            let n = writer.rng().range(2, 4);
            let items: Vec<String> = (0..n)
                .map(|_| format!("- {}", writer.phrase(3, 8)))
                .collect();
            items.join("\n")
        } else {
            writer.paragraph(2, 4)
        };
        let mut next = blocks.clone();
        next.push(block);
        if words(&next) > most && !blocks.is_empty() {
            break;
        }
        blocks = next;
    }
    blocks.join("\n\n") + "\n"
}

/// `content/authors/<slug>.md`.
pub fn author_file(author: &Author) -> String {
    let mut rng = author.rng.clone();
    let target = rng.range(60, 140);
    let mut writer = Writer::new(&mut rng);
    let front = [
        format!("name: {}", quoted(&author.name)),
        format!("credentials: {}", flow(&author.credentials)),
        format!("role: {}", quoted(author.role)),
    ];
    let text = body(&mut writer, (target, 150), 0.0, Vec::new());
    format!("---\n{}\n---\n\n{text}", front.join("\n"))
}

/// `content/locations/<slug>.md`.
pub fn location_file(location: &Location) -> String {
    let mut rng = location.rng.clone();
    let target = rng.range(110, 280);
    let mut writer = Writer::new(&mut rng);
    let mut front = vec![
        format!("name: {}", quoted(&location.name)),
        format!("city: {}", quoted(location.city)),
        format!(
            "address: {{street: {}, locality: {}, region: IL, postal_code: {}}}",
            quoted(&location.street),
            quoted(location.city),
            quoted(location.postal_code)
        ),
        format!("phone: {}", quoted(&location.phone)),
        format!("email: {}@example.com", location.slug),
        format!(
            "geo: {{lat: {:.4}, lng: {:.4}}}",
            location.lat, location.lng
        ),
        "hours:".to_string(),
    ];
    for (days, opens, closes) in location.hours {
        front.push(format!(
            "  - {{days: [{}], opens: \"{opens}\", closes: \"{closes}\"}}",
            days.join(", ")
        ));
    }
    front.push(format!("services: {}", flow(&location.services)));
    front.push(format!(
        "booking_url: https://example.com/book/{}",
        location.slug
    ));
    let intro = format!(
        "Our {} clinic is part of Example Physical Therapy. {}",
        location.city,
        writer.paragraph(1, 3)
    );
    let text = body(&mut writer, (target, 300), 0.25, vec![intro]);
    format!("---\n{}\n---\n\n{text}", front.join("\n"))
}
