//! The typed front matter of each page kind. Every struct is strict: an
//! unknown key is an error, which `yaml` turns into "did you mean".

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// `content/index.md`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeMeta {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Old addresses of this page (`/2019/05/knee-pain/`); each redirects here.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// `content/articles/<slug>.md` or `content/articles/<slug>/index.md`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    pub title: String,
    pub description: String,
    pub date: Date,
    pub updated: Option<Date>,
    pub author: Option<String>,
    pub reviewed_by: Option<String>,
    pub last_reviewed: Option<Date>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub conditions: Vec<String>,
    #[serde(default)]
    pub treatments: Vec<String>,
    /// Location slugs, or the single word `all`.
    #[serde(default, deserialize_with = "one_or_many")]
    pub locations: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<String>,
    pub comparison: Option<Comparison>,
    pub comparisons: Option<BTreeMap<String, Comparison>>,
    /// Other names patients use for the topic, for search.
    #[serde(default)]
    pub also_known_as: Vec<String>,
    /// The lead picture, above the body: beside the file or from `content/`.
    pub image: Option<String>,
    /// What the lead picture shows, for readers who cannot see it.
    pub image_alt: Option<String>,
    /// Old addresses of this page (`/2019/05/knee-pain/`); each redirects here.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A "which one should I choose?" table, as data.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comparison {
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<ComparisonRow>,
    pub intro: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparisonRow {
    pub label: String,
    pub values: Vec<String>,
}

/// `content/locations/<slug>.md` (or `<slug>/index.md`): one clinic.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocationMeta {
    pub name: String,
    pub city: String,
    pub address: Address,
    pub phone: String,
    pub fax: Option<String>,
    pub email: Option<String>,
    pub geo: Option<Geo>,
    #[serde(default)]
    pub hours: Vec<Hours>,
    #[serde(default)]
    pub holiday_hours: Vec<HolidayHours>,
    #[serde(default)]
    pub services: Vec<String>,
    pub booking_url: Option<String>,
    pub parking: Option<String>,
    pub transit: Option<String>,
    pub accessibility: Option<Accessibility>,
    /// A picture of the clinic, beside the file or from `content/`.
    pub photo: Option<String>,
    pub photo_alt: Option<String>,
    /// Author slugs of the clinicians who work there.
    #[serde(default)]
    pub clinicians: Vec<String>,
    #[serde(default)]
    pub insurance: Vec<String>,
    pub accepting_new_patients: Option<bool>,
    /// Towns the clinic serves.
    #[serde(default)]
    pub area_served: Vec<String>,
    /// Old addresses of this page (`/2019/05/knee-pain/`); each redirects here.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// How to get in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accessibility {
    pub entrance: Option<String>,
    pub elevator: Option<bool>,
    pub wheelchair: Option<bool>,
}

/// A day with other hours than usual.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayHours {
    pub date: Date,
    #[serde(default)]
    pub closed: bool,
    pub opens: Option<Time>,
    pub closes: Option<Time>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub street: String,
    pub locality: String,
    pub region: String,
    pub postal_code: String,
}

#[derive(Debug, Clone, PartialEq, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Geo {
    pub lat: f64,
    pub lng: f64,
}

/// Opening hours for a group of days: `opens`/`closes`, or `shifts` for a
/// day with a break (`[{opens: "07:00", closes: "12:00"}, {...}]`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    pub days: Vec<Day>,
    pub opens: Option<Time>,
    pub closes: Option<Time>,
    #[serde(default)]
    pub shifts: Vec<Shift>,
}

/// One stretch of open time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shift {
    pub opens: Time,
    pub closes: Time,
}

impl Hours {
    /// The group's open stretches, whichever way they were written.
    pub fn all_shifts(&self) -> Vec<Shift> {
        match (self.opens, self.closes) {
            (Some(opens), Some(closes)) => std::iter::once(Shift { opens, closes })
                .chain(self.shifts.iter().copied())
                .collect(),
            _ => self.shifts.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Day {
    Mo,
    Tu,
    We,
    Th,
    Fr,
    Sa,
    Su,
}

impl Day {
    pub const ALL: [Day; 7] = [
        Day::Mo,
        Day::Tu,
        Day::We,
        Day::Th,
        Day::Fr,
        Day::Sa,
        Day::Su,
    ];

    /// The schema.org name: `Monday`.
    pub fn full_name(self) -> &'static str {
        match self {
            Day::Mo => "Monday",
            Day::Tu => "Tuesday",
            Day::We => "Wednesday",
            Day::Th => "Thursday",
            Day::Fr => "Friday",
            Day::Sa => "Saturday",
            Day::Su => "Sunday",
        }
    }

    pub fn short_name(self) -> &'static str {
        match self {
            Day::Mo => "Mon",
            Day::Tu => "Tue",
            Day::We => "Wed",
            Day::Th => "Thu",
            Day::Fr => "Fri",
            Day::Sa => "Sat",
            Day::Su => "Sun",
        }
    }
}

/// `content/authors/<slug>.md`: a clinician.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorMeta {
    pub name: String,
    #[serde(default)]
    pub credentials: Vec<String>,
    pub role: Option<String>,
    pub photo: Option<String>,
    /// Old addresses of this page (`/2019/05/knee-pain/`); each redirects here.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// Any other `content/<name>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlainMeta {
    pub title: String,
    pub description: Option<String>,
    pub updated: Option<Date>,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<String>,
    /// Old addresses of this page (`/2019/05/knee-pain/`); each redirects here.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A list of words, or one word on its own (`locations: all`).
fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    struct Words;
    impl<'de> Visitor<'de> for Words {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list like [hinsdale, orland-park], or the word all")
        }
        fn visit_str<E: de::Error>(self, value: &str) -> Result<Vec<String>, E> {
            Ok(vec![value.to_string()])
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut words = Vec::new();
            while let Some(word) = seq.next_element::<String>()? {
                words.push(word);
            }
            Ok(words)
        }
    }
    deserializer.deserialize_any(Words)
}

/// A calendar date written `YYYY-MM-DD`; a full RFC 3339 time is accepted
/// and its date kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

impl Date {
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        if text.len() > 10 {
            text.parse::<jiff::Timestamp>().ok()?;
        }
        let day = text.get(..10)?;
        if day.len() != 10 || day.as_bytes().get(4) != Some(&b'-') {
            return None;
        }
        day.parse::<jiff::civil::Date>().ok().map(Date)
    }

    /// `2025-12-18`
    pub fn iso(&self) -> String {
        self.0.to_string()
    }

    /// `December 18, 2025`
    pub fn display(&self) -> String {
        self.0.strftime("%B %-d, %Y").to_string()
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date like 2025-12-18")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Date, E> {
                Date::parse(value).ok_or_else(|| {
                    E::custom(format!(
                        "`{value}` is not a date: write it as YYYY-MM-DD, like 2025-12-18"
                    ))
                })
            }
        }
        deserializer.deserialize_str(DateVisitor)
    }
}

/// A time of day written `HH:MM` (24-hour).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time {
    pub hour: u8,
    pub minute: u8,
}

impl Time {
    pub fn parse(text: &str) -> Option<Time> {
        let (h, m) = text.trim().split_once(':')?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return None;
        }
        let hour: u8 = h.parse().ok()?;
        let minute: u8 = m.parse().ok()?;
        (hour < 24 && minute < 60).then_some(Time { hour, minute })
    }

    /// `07:00`
    pub fn written(&self) -> String {
        format!("{:02}:{:02}", self.hour, self.minute)
    }

    /// `7:00 AM`
    pub fn display(&self) -> String {
        let (hour, half) = match self.hour {
            0 => (12, "AM"),
            h @ 1..=11 => (h, "AM"),
            12 => (12, "PM"),
            h => (h - 12, "PM"),
        };
        format!("{hour}:{:02} {half}", self.minute)
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimeVisitor;
        impl Visitor<'_> for TimeVisitor {
            type Value = Time;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a time like \"07:30\" (quoted)")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Time, E> {
                Time::parse(value).ok_or_else(|| {
                    E::custom(format!(
                        "`{value}` is not a time: write it as \"HH:MM\" in 24-hour form, like \"07:30\" or \"19:00\""
                    ))
                })
            }
        }
        deserializer.deserialize_str(TimeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2025-12-18").unwrap().iso(), "2025-12-18");
        assert_eq!(
            Date::parse("2025-12-18T10:00:00-06:00").unwrap().iso(),
            "2025-12-18"
        );
        assert_eq!(
            Date::parse("2025-12-18").unwrap().display(),
            "December 18, 2025"
        );
        assert!(Date::parse("yesterday").is_none());
        assert!(Date::parse("2025-13-01").is_none());
        assert!(Date::parse("2025-12-18Tnonsense").is_none());
        assert!(Date::parse("").is_none());
    }

    #[test]
    fn times() {
        assert_eq!(Time::parse("07:00").unwrap().display(), "7:00 AM");
        assert_eq!(Time::parse("19:30").unwrap().display(), "7:30 PM");
        assert_eq!(Time::parse("00:15").unwrap().display(), "12:15 AM");
        assert_eq!(Time::parse("12:00").unwrap().display(), "12:00 PM");
        assert!(Time::parse("24:00").is_none());
        assert!(Time::parse("7").is_none());
        assert!(Time::parse("07:5").is_none());
    }

    #[test]
    fn locations_take_one_word_or_a_list() {
        let one: ArticleMeta = crate::yaml::parse(
            "title: a\ndescription: b\ndate: 2025-01-01\nlocations: all\n",
            2,
        )
        .unwrap();
        assert_eq!(one.locations, ["all"]);
        let many: ArticleMeta = crate::yaml::parse(
            "title: a\ndescription: b\ndate: 2025-01-01\nlocations: [a, b]\n",
            2,
        )
        .unwrap();
        assert_eq!(many.locations, ["a", "b"]);
    }

    #[test]
    fn wrong_date_type_names_the_fix() {
        let err =
            crate::yaml::parse::<ArticleMeta>("title: a\ndescription: b\ndate: yesterday\n", 2)
                .unwrap_err();
        assert_eq!(err.line, 4);
        assert!(
            err.message.contains("`yesterday` is not a date"),
            "{}",
            err.message
        );
    }
}
