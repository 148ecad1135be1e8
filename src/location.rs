//! Clinic locations: the checks a clinic file must pass (phones, hours,
//! coordinates, clinicians). How their hours are shown is in
//! `view::hours`; phone numbers in `phone`.

use crate::content::SourcePage;
use crate::error::{Diagnostic, Errors, Place};
use crate::frontmatter::{LocationMeta, Time};
use crate::phone::e164;
use crate::yaml::lines::{
    front_matter_item_lines as item_lines, front_matter_key_line as key_line,
};

/// Checks a clinic file; `authors` are the known author slugs.
pub fn check(page: &SourcePage, meta: &LocationMeta, authors: &[&str], errors: &mut Errors) {
    let fm = &page.front_matter();
    let at = |line: usize| Place::at(&page.path, line, Some(1));
    let mut fail = |line: usize, message: String| errors.push(Diagnostic::new(at(line), message));
    check_contact(fm, meta, &mut fail);
    check_hours(fm, meta, &mut fail);
    check_holidays(fm, meta, &mut fail);
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

/// Phone and fax numbers, and the map position.
fn check_contact(fm: &str, meta: &LocationMeta, fail: &mut impl FnMut(usize, String)) {
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
}

/// Each hours group on its own, and no day in two groups.
fn check_hours(fm: &str, meta: &LocationMeta, fail: &mut impl FnMut(usize, String)) {
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
}

/// Each holiday is closed, or opens before it closes.
fn check_holidays(fm: &str, meta: &LocationMeta, fail: &mut impl FnMut(usize, String)) {
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
}
