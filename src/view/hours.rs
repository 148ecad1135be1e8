//! A clinic's opening hours and holidays as templates show them: days with
//! equal hours merged into rows, times in 12-hour form, and a directions link.

use serde::Serialize;

use super::Locale;
use crate::frontmatter::{Date, Day, LocationMeta, Shift};

/// One row of the hours table: consecutive days with the same hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HoursRow {
    pub days: Vec<Day>,
    /// `Mon–Thu`, `Sat`.
    pub days_label: String,
    /// Empty when closed.
    pub shifts: Vec<ShiftView>,
    /// `7:00 AM – 7:00 PM`, two shifts joined with `, `, or `Closed`.
    pub hours_label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShiftView {
    /// As written: `07:00`.
    pub opens: String,
    pub closes: String,
    /// `7:00 AM`.
    pub opens_display: String,
    pub closes_display: String,
}

impl ShiftView {
    fn new(shift: Shift, locale: &Locale) -> Self {
        ShiftView {
            opens: shift.opens.written(),
            closes: shift.closes.written(),
            opens_display: locale.time(shift.opens),
            closes_display: locale.time(shift.closes),
        }
    }
}

/// Each day's shifts, Monday first (empty: closed). Days named twice keep
/// their first group (a twice-named day is an error reported by `check`).
pub fn week(meta: &LocationMeta) -> [Vec<Shift>; 7] {
    let mut week: [Vec<Shift>; 7] = Default::default();
    let mut seen = [false; 7];
    for group in &meta.hours {
        let mut shifts = group.all_shifts();
        shifts.sort_by_key(|s| s.opens);
        for day in &group.days {
            let i = *day as usize;
            if let (Some(slot), Some(done)) = (week.get_mut(i), seen.get_mut(i)) {
                if !*done {
                    *slot = shifts.clone();
                    *done = true;
                }
            }
        }
    }
    week
}

/// The week as table rows, consecutive days with equal hours merged:
/// `Mon–Thu 7:00 AM – 7:00 PM`, `Fri 7:00 AM – 5:00 PM`, `Sun Closed`.
pub fn rows(meta: &LocationMeta, locale: &Locale) -> Vec<HoursRow> {
    if meta.hours.is_empty() {
        return Vec::new();
    }
    let week = week(meta);
    let mut rows: Vec<HoursRow> = Vec::new();
    for (day, shifts) in Day::ALL.into_iter().zip(week.iter()) {
        if let Some(last) = rows.last_mut() {
            let same: Vec<ShiftView> = shifts.iter().map(|s| ShiftView::new(*s, locale)).collect();
            if last.shifts == same {
                last.days.push(day);
                last.days_label = locale.days_label(&last.days);
                continue;
            }
        }
        rows.push(HoursRow {
            days: vec![day],
            days_label: locale.day(day).to_string(),
            shifts: shifts.iter().map(|s| ShiftView::new(*s, locale)).collect(),
            hours_label: hours_label(shifts, locale),
        });
    }
    rows
}

fn hours_label(shifts: &[Shift], locale: &Locale) -> String {
    if shifts.is_empty() {
        return locale.closed().to_string();
    }
    shifts
        .iter()
        .map(|s| locale.range(s.opens, s.closes))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A holiday's hours for display.
#[derive(Debug, Clone, Serialize)]
pub struct HolidayView {
    pub date: super::DateView,
    pub closed: bool,
    /// `Closed` or `9:00 AM – 1:00 PM`.
    pub hours_label: String,
    pub opens: Option<String>,
    pub closes: Option<String>,
    pub note: Option<String>,
}

/// Holidays on or after `today`, soonest first.
pub fn upcoming_holidays(meta: &LocationMeta, today: Date, locale: &Locale) -> Vec<HolidayView> {
    let mut days: Vec<_> = meta
        .holiday_hours
        .iter()
        .filter(|h| h.date >= today)
        .collect();
    days.sort_by_key(|h| h.date);
    days.into_iter()
        .map(|h| {
            let shift = match (h.closed, h.opens, h.closes) {
                (false, Some(opens), Some(closes)) => Some(Shift { opens, closes }),
                _ => None,
            };
            HolidayView {
                date: locale.date_view(h.date),
                closed: shift.is_none(),
                hours_label: hours_label(shift.as_slice(), locale),
                opens: shift.map(|s| s.opens.written()),
                closes: shift.map(|s| s.closes.written()),
                note: h.note.clone(),
            }
        })
        .collect()
}

/// A maps search for the address: a plain link, no API key, nothing
/// loaded until the reader follows it.
pub fn directions_url(meta: &LocationMeta) -> String {
    let a = &meta.address;
    let query = format!(
        "{}, {}, {} {}",
        a.street, a.locality, a.region, a.postal_code
    );
    let encoded = percent_encoding::utf8_percent_encode(&query, percent_encoding::NON_ALPHANUMERIC);
    format!("https://www.google.com/maps/search/?api=1&query={encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(hours: &str) -> LocationMeta {
        let yaml = format!(
            "name: N\ncity: C\naddress: {{street: S, locality: L, region: IL, postal_code: \"1\"}}\nphone: \"(630) 555-0101\"\nhours:\n{hours}"
        );
        crate::yaml::parse(&yaml, 2).unwrap()
    }

    #[test]
    fn rows_merge_consecutive_equal_days() {
        let m = meta(
            "  - {days: [Mo, Tu, We, Th], opens: \"07:00\", closes: \"19:00\"}\n  - {days: [Fr], opens: \"07:00\", closes: \"17:00\"}\n  - {days: [Sa], opens: \"08:00\", closes: \"12:00\"}\n",
        );
        let labels: Vec<(String, String)> = rows(&m, &Locale::default())
            .into_iter()
            .map(|r| (r.days_label, r.hours_label))
            .collect();
        assert_eq!(
            labels,
            [
                ("Mon–Thu".to_string(), "7:00 AM – 7:00 PM".to_string()),
                ("Fri".to_string(), "7:00 AM – 5:00 PM".to_string()),
                ("Sat".to_string(), "8:00 AM – 12:00 PM".to_string()),
                ("Sun".to_string(), "Closed".to_string()),
            ]
        );
    }

    #[test]
    fn split_shifts_and_closed_days_between() {
        let m = meta(
            "  - days: [Mo, We]\n    shifts: [{opens: \"13:00\", closes: \"19:00\"}, {opens: \"07:00\", closes: \"12:00\"}]\n",
        );
        let rows = rows(&m, &Locale::default());
        let labels: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.days_label.as_str(), r.hours_label.as_str()))
            .collect();
        assert_eq!(
            labels,
            [
                ("Mon", "7:00 AM – 12:00 PM, 1:00 PM – 7:00 PM"),
                ("Tue", "Closed"),
                ("Wed", "7:00 AM – 12:00 PM, 1:00 PM – 7:00 PM"),
                ("Thu–Sun", "Closed"),
            ]
        );
    }

    #[test]
    fn directions() {
        let m = meta("  []\n");
        assert_eq!(
            directions_url(&m),
            "https://www.google.com/maps/search/?api=1&query=S%2C%20L%2C%20IL%201"
        );
    }
}
