//! Phone numbers in E.164 (`+16305550101`), for `tel:` links, structured
//! data, and the checks of `site.yaml` and clinic files.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert_eq!(e164("(630) 555-0101").unwrap(), "+16305550101");
        assert_eq!(e164("1-630-555-0101").unwrap(), "+16305550101");
        assert_eq!(e164("+44 20 7946 0958").unwrap(), "+442079460958");
        assert!(e164("555-0101").unwrap_err().contains("has 7 digits"));
        assert!(e164("630 555 0101 22").is_err());
    }
}
