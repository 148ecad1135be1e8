//! Clinic locations: the checks a clinic file must pass (phones, hours,
//! coordinates, clinicians), its weekly hours grouped for display, and
//! phone numbers in E.164 for `tel:` links and structured data.

use serde::Serialize;

use crate::content::SourcePage;
use crate::error::{Diagnostic, Errors, Place};
use crate::frontmatter::{Date, Day, LocationMeta, Shift, Time};

/// `(630) 555-0101` -> `+16305550101`. US numbers may be written with or
/// without the leading 1; others need their `+` country code.
pub fn e164(phone: &str) -> Result<String, String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let international = phone.trim_start().starts_with('+');
    match (international, digits.len()) {
        (_, n) if n < 10 => Err(format!(
            "phone `{phone}` has {n} digits: write the whole number with its area code, like (630) 555-0101"
        )),
        (true, n) if n <= 15 => Ok(format!("+{digits}")),
        (false, 10) => Ok(format!("+1{digits}")),
        (false, 11) if digits.starts_with('1') => Ok(format!("+{digits}")),
        _ => Err(format!(
            "phone `{phone}` is not a US number: start a number from another country with + and its country code"
        )),
    }
}

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

impl From<Shift> for ShiftView {
    fn from(shift: Shift) -> Self {
        ShiftView {
            opens: shift.opens.written(),
            closes: shift.closes.written(),
            opens_display: shift.opens.display(),
            closes_display: shift.closes.display(),
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
pub fn rows(meta: &LocationMeta) -> Vec<HoursRow> {
    if meta.hours.is_empty() {
        return Vec::new();
    }
    let week = week(meta);
    let mut rows: Vec<HoursRow> = Vec::new();
    for (day, shifts) in Day::ALL.into_iter().zip(week.iter()) {
        if let Some(last) = rows.last_mut() {
            let same: Vec<ShiftView> = shifts.iter().copied().map(ShiftView::from).collect();
            if last.shifts == same {
                last.days.push(day);
                last.days_label = crate::view::days_label(&last.days);
                continue;
            }
        }
        rows.push(HoursRow {
            days: vec![day],
            days_label: day.short_name().to_string(),
            shifts: shifts.iter().copied().map(ShiftView::from).collect(),
            hours_label: hours_label(shifts),
        });
    }
    rows
}

fn hours_label(shifts: &[Shift]) -> String {
    if shifts.is_empty() {
        return "Closed".to_string();
    }
    shifts
        .iter()
        .map(|s| format!("{} – {}", s.opens.display(), s.closes.display()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A holiday's hours for display.
#[derive(Debug, Clone, Serialize)]
pub struct HolidayView {
    pub date: crate::view::DateView,
    pub closed: bool,
    /// `Closed` or `9:00 AM – 1:00 PM`.
    pub hours_label: String,
    pub opens: Option<String>,
    pub closes: Option<String>,
    pub note: Option<String>,
}

/// Holidays on or after `today`, soonest first.
pub fn upcoming_holidays(meta: &LocationMeta, today: Date) -> Vec<HolidayView> {
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
                date: h.date.into(),
                closed: shift.is_none(),
                hours_label: hours_label(shift.as_slice()),
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

/// Checks a clinic file; `authors` are the known author slugs.
pub fn check(page: &SourcePage, meta: &LocationMeta, authors: &[&str], errors: &mut Errors) {
    let fm = &page.front_matter;
    let at = |line: usize| Place::at(&page.path, line, Some(1));
    let mut fail = |line: usize, message: String| errors.push(Diagnostic::new(at(line), message));
    for (key, phone) in [("phone", Some(&meta.phone)), ("fax", meta.fax.as_ref())] {
        if let Some(Err(message)) = phone.map(|p| e164(p)) {
            fail(key_line(fm, key), message);
        }
    }
    if let Some(geo) = meta.geo {
        if !(-90.0..=90.0).contains(&geo.lat) || !geo.lat.is_finite() {
            fail(
                key_line(fm, "geo"),
                format!("latitude {} is outside -90 to 90: check `geo.lat`", geo.lat),
            );
        }
        if !(-180.0..=180.0).contains(&geo.lng) || !geo.lng.is_finite() {
            fail(
                key_line(fm, "geo"),
                format!(
                    "longitude {} is outside -180 to 180: check `geo.lng`",
                    geo.lng
                ),
            );
        }
    }
    let groups = item_lines(fm, "hours");
    let mut seen: [Option<usize>; 7] = [None; 7];
    for (i, group) in meta.hours.iter().enumerate() {
        let line = groups
            .get(i)
            .copied()
            .unwrap_or_else(|| key_line(fm, "hours"));
        if let Err(message) = check_group(group) {
            fail(line, message);
        }
        for day in &group.days {
            if let Some(slot) = seen.get_mut(*day as usize) {
                match slot {
                    Some(first) => fail(
                        line,
                        format!(
                            "{} is in two hour groups (also line {first}): list each day once; for a break use `shifts`",
                            day.full_name()
                        ),
                    ),
                    None => *slot = Some(line),
                }
            }
        }
    }
    let holidays = item_lines(fm, "holiday_hours");
    for (i, day) in meta.holiday_hours.iter().enumerate() {
        let line = holidays
            .get(i)
            .copied()
            .unwrap_or_else(|| key_line(fm, "holiday_hours"));
        let problem = match (day.closed, day.opens, day.closes) {
            (true, None, None) => None,
            (true, _, _) => Some("a closed day has no `opens` or `closes`".to_string()),
            (false, Some(opens), Some(closes)) => order_problem(opens, closes),
            (false, _, _) => Some("give `opens` and `closes`, or `closed: true`".to_string()),
        };
        if let Some(message) = problem {
            fail(line, format!("holiday {}: {message}", day.date.iso()));
        }
    }
    if meta.photo.is_some()
        && meta
            .photo_alt
            .as_deref()
            .is_none_or(|a| a.trim().is_empty())
    {
        fail(
            key_line(fm, "photo"),
            "`photo` needs `photo_alt`: describe the picture for people who cannot see it".into(),
        );
    }
    let clinicians = item_lines(fm, "clinicians");
    for (i, slug) in meta.clinicians.iter().enumerate() {
        if !authors.contains(&slug.as_str()) {
            let hint = crate::suggest::did_you_mean(slug, authors.iter().copied());
            fail(
                clinicians
                    .get(i)
                    .copied()
                    .unwrap_or_else(|| key_line(fm, "clinicians")),
                format!("clinician `{slug}` does not match any file in content/authors/{hint}"),
            );
        }
    }
}

fn check_group(group: &crate::frontmatter::Hours) -> Result<(), String> {
    if group.days.is_empty() {
        return Err("an hours group needs `days`, like [Mo, Tu]".into());
    }
    let written_both = group.opens.is_some() && group.closes.is_some();
    if group.opens.is_some() != group.closes.is_some() {
        return Err("give both `opens` and `closes`".into());
    }
    if !written_both && group.shifts.is_empty() {
        return Err("give `opens` and `closes` (or `shifts` for a day with a break)".into());
    }
    let mut shifts = group.all_shifts();
    shifts.sort_by_key(|s| s.opens);
    for shift in &shifts {
        if let Some(message) = order_problem(shift.opens, shift.closes) {
            return Err(message);
        }
    }
    for pair in shifts.windows(2) {
        if let [a, b] = pair {
            if b.opens < a.closes {
                return Err(format!(
                    "the shifts {} – {} and {} – {} overlap",
                    a.opens.written(),
                    a.closes.written(),
                    b.opens.written(),
                    b.closes.written()
                ));
            }
        }
    }
    Ok(())
}

fn order_problem(opens: Time, closes: Time) -> Option<String> {
    (closes <= opens).then(|| {
        format!(
            "closes at {} but opens at {}: `closes` must be after `opens` (24-hour times, like \"19:00\")",
            closes.written(),
            opens.written()
        )
    })
}

/// The file line of a top-level `key:` (front matter starts at line 2).
fn key_line(fm: &str, key: &str) -> usize {
    crate::config::key_line(fm, key) + 1
}

/// File lines of the items of the top-level list `key` (block style); a
/// flow list (`key: [a, b]`) gives the key's line for every item.
fn item_lines(fm: &str, key: &str) -> Vec<usize> {
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
    fn phones() {
        assert_eq!(e164("(630) 555-0101").unwrap(), "+16305550101");
        assert_eq!(e164("1-630-555-0101").unwrap(), "+16305550101");
        assert_eq!(e164("+44 20 7946 0958").unwrap(), "+442079460958");
        assert!(e164("555-0101").unwrap_err().contains("has 7 digits"));
        assert!(e164("630 555 0101 22").is_err());
    }

    #[test]
    fn rows_merge_consecutive_equal_days() {
        let m = meta(
            "  - {days: [Mo, Tu, We, Th], opens: \"07:00\", closes: \"19:00\"}\n  - {days: [Fr], opens: \"07:00\", closes: \"17:00\"}\n  - {days: [Sa], opens: \"08:00\", closes: \"12:00\"}\n",
        );
        let labels: Vec<(String, String)> = rows(&m)
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
        let rows = rows(&m);
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
    fn group_problems() {
        let bad = |hours: &str| check_group(meta(hours).hours.first().unwrap()).unwrap_err();
        assert!(
            bad("  - {days: [Mo], opens: \"19:00\", closes: \"07:00\"}\n")
                .contains("must be after")
        );
        assert!(bad("  - {days: [Mo], opens: \"07:00\"}\n").contains("both"));
        assert!(
            bad("  - {days: [], opens: \"07:00\", closes: \"08:00\"}\n").contains("needs `days`")
        );
        assert!(bad("  - days: [Mo]\n    shifts: [{opens: \"07:00\", closes: \"12:00\"}, {opens: \"11:00\", closes: \"13:00\"}]\n").contains("overlap"));
    }

    #[test]
    fn list_item_lines() {
        let fm = "name: x\nhours:\n  - {days: [Mo]}\n  # note\n  - days: [Tu]\n    opens: a\nclinicians: [a, b]\n";
        assert_eq!(item_lines(fm, "hours"), vec![4, 6]);
        assert_eq!(item_lines(fm, "clinicians"), vec![8, 8]);
        assert_eq!(item_lines(fm, "missing"), Vec::<usize>::new());
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
