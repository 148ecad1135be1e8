//! Dates, days and times in the page's language, from the theme's strings
//! (`i18n/<language>.yaml`): "December 18, 2025" and "Mon–Thu 7:00 AM –
//! 7:00 PM" in English, "18 de diciembre de 2025" and "lun.–jue.
//! 7:00–19:00" in Spanish.

use std::fmt::Write as _;

use crate::frontmatter::{Date, Day, Time};
use crate::placeholders::{self, Piece};
use crate::site::Strings;

use super::DateView;

/// A field of a date in its language's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Month,
    Day,
    Year,
}

const FIELDS: [(&str, Field); 3] = [
    ("{month}", Field::Month),
    ("{day}", Field::Day),
    ("{year}", Field::Year),
];

/// How one language writes dates and hours.
#[derive(Debug, Clone)]
pub struct Locale {
    /// `{month} {day}, {year}` cut at its fields once: each of the
    /// thousands of dates a build writes is its pieces in turn.
    date_format: Vec<Piece<Field>>,
    months: [String; 12],
    days: [String; 7],
    clock_24: bool,
    am: String,
    pm: String,
    time_range: String,
    closed: String,
}

impl Default for Locale {
    fn default() -> Self {
        Locale::new(&Strings::new())
    }
}

impl Locale {
    /// From a language's strings; a key not there is taken as English
    /// writes it (the build refuses a strings file that lacks a key, so
    /// that happens only without any file).
    pub fn new(strings: &Strings) -> Locale {
        let get = |key: &str, english: &str| {
            strings
                .get(key)
                .cloned()
                .unwrap_or_else(|| english.to_string())
        };
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        Locale {
            date_format: placeholders::cut(&get("date_format", "{month} {day}, {year}"), &FIELDS),
            months: std::array::from_fn(|i| {
                get(
                    &format!("month_{}", i + 1),
                    MONTHS.get(i).copied().unwrap_or(""),
                )
            }),
            days: std::array::from_fn(|i| {
                let day = Day::ALL.get(i).copied().unwrap_or(Day::Mo);
                let code = ["mo", "tu", "we", "th", "fr", "sa", "su"]
                    .get(i)
                    .copied()
                    .unwrap_or("mo");
                get(&format!("day_{code}"), day.short_name())
            }),
            clock_24: get("clock", "12") == "24",
            am: get("am", "AM"),
            pm: get("pm", "PM"),
            time_range: get("time_range", "{opens} – {closes}"),
            closed: get("closed", "Closed"),
        }
    }

    /// `December 18, 2025`, `18 de diciembre de 2025`.
    pub fn date(&self, date: Date) -> String {
        let d = date.0;
        let month = self
            .months
            .get(usize::try_from(d.month() - 1).unwrap_or(0))
            .map_or("", String::as_str);
        let mut out = String::with_capacity(32);
        for piece in &self.date_format {
            // Writing to a String cannot fail.
            let _ = match piece {
                Piece::Text(text) => out.write_str(text),
                Piece::Placeholder(Field::Month) => out.write_str(month),
                Piece::Placeholder(Field::Day) => write!(out, "{}", d.day()),
                Piece::Placeholder(Field::Year) => write!(out, "{}", d.year()),
            };
        }
        out
    }

    pub fn date_view(&self, date: Date) -> DateView {
        DateView {
            iso: date.iso(),
            display: self.date(date),
        }
    }

    /// `7:00 AM`, or `19:00` on a 24-hour clock.
    pub fn time(&self, time: Time) -> String {
        if self.clock_24 {
            return format!("{}:{:02}", time.hour, time.minute);
        }
        let (hour, half) = match time.hour {
            0 => (12, &self.am),
            h @ 1..=11 => (h, &self.am),
            12 => (12, &self.pm),
            h => (h - 12, &self.pm),
        };
        format!("{hour}:{:02} {half}", time.minute)
    }

    /// `7:00 AM – 7:00 PM`, `7:00–19:00`.
    pub fn range(&self, opens: Time, closes: Time) -> String {
        self.time_range
            .replace("{opens}", &self.time(opens))
            .replace("{closes}", &self.time(closes))
    }

    pub fn closed(&self) -> &str {
        &self.closed
    }

    /// `Mon`, `lun.`
    pub fn day(&self, day: Day) -> &str {
        self.days.get(day as usize).map_or("", String::as_str)
    }

    /// `[Mo, Tu, We, Th, Fr]` -> `Mon–Fri`; `[Mo, We]` -> `Mon, Wed`.
    pub fn days_label(&self, days: &[Day]) -> String {
        let mut sorted = days.to_vec();
        sorted.sort();
        sorted.dedup();
        let consecutive = sorted.windows(2).all(|w| match w {
            [a, b] => (*b as u8) == (*a as u8) + 1,
            _ => true,
        });
        match (sorted.first(), sorted.last()) {
            (Some(first), Some(last)) if consecutive && sorted.len() > 2 => {
                format!("{}–{}", self.day(*first), self.day(*last))
            }
            _ => sorted
                .iter()
                .map(|d| self.day(*d))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spanish() -> Locale {
        let text = include_str!("../../themes/default/i18n/es.yaml");
        Locale::new(&crate::yaml::parse(text, 1).unwrap())
    }

    #[test]
    fn english_as_before() {
        let en = Locale::default();
        assert_eq!(
            en.date(Date::parse("2025-12-18").unwrap()),
            "December 18, 2025"
        );
        let (seven, nineteen) = (Time::parse("07:00").unwrap(), Time::parse("19:00").unwrap());
        assert_eq!(en.range(seven, nineteen), "7:00 AM – 7:00 PM");
        assert_eq!(
            en.days_label(&[Day::Mo, Day::Tu, Day::We, Day::Th]),
            "Mon–Thu"
        );
    }

    #[test]
    fn spanish_dates_and_hours() {
        let es = spanish();
        assert_eq!(
            es.date(Date::parse("2025-12-18").unwrap()),
            "18 de diciembre de 2025"
        );
        let (seven, nineteen) = (Time::parse("07:00").unwrap(), Time::parse("19:00").unwrap());
        assert_eq!(
            format!(
                "{} {}",
                es.days_label(&[Day::Mo, Day::Tu, Day::We, Day::Th]),
                es.range(seven, nineteen)
            ),
            "lun.–jue. 7:00–19:00"
        );
        assert_eq!(es.closed(), "Cerrado");
    }
}
