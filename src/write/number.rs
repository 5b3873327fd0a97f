//! Numbers the Vietnamese way, for every output people read: thousands
//! grouped with a dot (`2.169`), a decimal comma (`8,1%`). JSON and CSV
//! keep plain numbers; this is for text, HTML and XLSX labels.

/// An integer with its thousands grouped by dots: `2169` → `2.169`.
pub fn int(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// `value` with `places` decimals, a decimal comma and grouped thousands:
/// `1234.56` → `1.234,56`.
pub fn decimal(value: f64, places: usize) -> String {
    let s = format!("{:.*}", places, value.abs());
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut out = String::new();
    if value < 0.0 && s.chars().any(|c| c != '0' && c != '.') {
        out.push('-');
    }
    out.push_str(&int(whole.parse().unwrap_or(0)));
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

/// `part` of `whole` as a percentage with one decimal: `8,1%`; `0%` of nothing.
pub fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "0%".into();
    }
    format!("{}%", decimal(100.0 * part as f64 / whole as f64, 1))
}

/// A share (0..1) as a percentage without trailing zeros: `0.4673` → `46,73`
/// (no `%` sign, for sentences that add it).
pub fn share(v: f64) -> String {
    let s = decimal(v * 100.0, 2);
    let s = s.trim_end_matches('0').trim_end_matches(',');
    s.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_with_dots() {
        assert_eq!(int(0), "0");
        assert_eq!(int(786), "786");
        assert_eq!(int(2169), "2.169");
        assert_eq!(int(1234567), "1.234.567");
    }

    #[test]
    fn decimal_comma_and_percentages() {
        assert_eq!(decimal(1234.56, 2), "1.234,56");
        assert_eq!(decimal(-0.04, 1), "0,0");
        assert_eq!(percent(786, 9750), "8,1%");
        assert_eq!(percent(1, 0), "0%");
        assert_eq!(percent(3, 3), "100,0%");
        assert_eq!(share(0.4673), "46,73");
        assert_eq!(share(0.9), "90");
        assert_eq!(share(0.985), "98,5");
    }
}
