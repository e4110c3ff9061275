//! Names the importer has to make up: types, catalogue errors, operations.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToLowerCamelCase, ToUpperCamelCase};

use super::fields::Op;

/// An UpperCamel type or component name: `location` → `Location`,
/// `vehicleInfoFCA` → `VehicleInfoFca`.
pub(crate) fn type_name(raw: &str) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    // keep tags that are already UpperCamel (`FCABasicAuthentication`) as they are
    if crate::naming::is_upper_camel(raw) {
        return raw.to_owned();
    }
    let camel = cleaned.to_upper_camel_case();
    if camel.starts_with(|c: char| c.is_ascii_digit()) || camel.is_empty() {
        format!("T{camel}")
    } else {
        camel
    }
}

/// A catalogue category from the data's error type: `"PIMS specific error"` → `pims`.
pub(crate) fn category(raw: &str) -> String {
    let first = raw
        .split_whitespace()
        .next()
        .unwrap_or("generic")
        .to_lowercase();
    let first: String = first.chars().filter(char::is_ascii_alphanumeric).collect();
    if first.is_empty() {
        "generic".to_owned()
    } else {
        first
    }
}

/// A catalogue error's name, from its label: `Missing [PARAMETER] parameter` →
/// `MissingParameter`, `error.accountTemporarilyLockedOut` → `AccountTemporarilyLockedOut`.
pub(crate) fn error_name(label: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let spaced: String = label
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    for word in spaced.split_whitespace() {
        // `accountTemporarilyLockedOut` is several words already
        for part in split_camel(word) {
            let lower = part.to_lowercase();
            if words.last().is_some_and(|w| w.to_lowercase() == lower) {
                continue;
            }
            words.push(part);
        }
    }
    if words
        .first()
        .is_some_and(|w| w.eq_ignore_ascii_case("error"))
        && words.len() > 1
    {
        words.remove(0);
    }
    words.truncate(5);
    let joined = words.join(" ").to_upper_camel_case();
    if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("E{joined}")
    } else {
        joined
    }
}

fn split_camel(word: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = word.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let boundary = i > 0
            && c.is_uppercase()
            && (chars[i - 1].is_lowercase()
                || chars.get(i + 1).is_some_and(|n| n.is_lowercase())
                    && chars[i - 1].is_uppercase());
        if boundary && !current.is_empty() {
            parts.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

/// An operation name (lowerCamel) from a free-form name: `presetStation-save` →
/// `presetStationSave`.
pub(crate) fn operation_name(raw: &str) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    // keep the data's own casing where it is already camel (`isDeviceActivated`)
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i == 0 && !w.chars().any(|c| c.is_ascii_lowercase()) {
            // an acronym (`O2X`) is lowercased whole
            out.push_str(&w.to_ascii_lowercase());
        } else if i == 0 {
            let mut chars = w.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_lowercase());
                out.push_str(chars.as_str());
            }
        } else {
            let mut chars = w.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("op{}", out.to_lower_camel_case())
    } else {
        out
    }
}

/// Unique names for the operations of one api: the data's `subname` (or the
/// api's last segment); the verb when only the verb tells them apart; the
/// platforms when only those do; a number as the last resort.
pub(crate) fn operation_names(ops: &[Op], compat: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let base: Vec<String> = ops.iter().map(|o| operation_name(&o.base_name())).collect();
    let mut names = base.clone();
    let count = |names: &[String], n: &str| names.iter().filter(|x| *x == n).count();
    // the verb, for all but `get`
    for (i, op) in ops.iter().enumerate() {
        if count(&base, &base[i]) > 1 && op.verb != "get" {
            names[i] = format!("{}{}", op.verb, upper_first(&base[i]));
        }
    }
    // the platforms, for all but the first
    let snapshot = names.clone();
    for (i, op) in ops.iter().enumerate() {
        let first = snapshot.iter().position(|n| *n == snapshot[i]).unwrap_or(i);
        if count(&snapshot, &snapshot[i]) > 1 && first != i {
            let platforms = op
                .compatibility
                .clone()
                .or_else(|| compat.get(&op.component).cloned())
                .unwrap_or_default();
            let suffix: String = platforms
                .iter()
                .map(|p| upper_first(&p.to_lowercase()))
                .collect();
            if !suffix.is_empty() {
                names[i] = format!("{}{suffix}", snapshot[i]);
            }
        }
    }
    // a number, for what is still taken
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for name in &mut names {
        let mut candidate = name.clone();
        let mut n = 2;
        while !seen.insert(candidate.clone()) {
            candidate = format!("{name}{n}");
            n += 1;
        }
        *name = candidate;
    }
    names
}

fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_names() {
        assert_eq!(
            error_name("Missing [PARAMETER] parameter"),
            "MissingParameter"
        );
        assert_eq!(error_name("[PARAMETER] not set"), "ParameterNotSet");
        assert_eq!(
            error_name("error.accountTemporarilyLockedOut"),
            "AccountTemporarilyLockedOut"
        );
        assert_eq!(error_name("inwebo: access refused"), "InweboAccessRefused");
        assert_eq!(
            error_name("Network problem : No internet"),
            "NetworkProblemNoInternet"
        );
        assert_eq!(
            error_name("Invalid return [Parsing error] ou [No data] ou [invalid Data]"),
            "InvalidReturnParsingErrorOu"
        );
    }

    #[test]
    fn type_and_operation_names() {
        assert_eq!(type_name("location"), "Location");
        assert_eq!(type_name("TripEditableData"), "TripEditableData");
        assert_eq!(type_name("vehicleInfoFCA"), "VehicleInfoFca");
        assert_eq!(
            type_name("FCABasicAuthentication"),
            "FCABasicAuthentication"
        );
        assert_eq!(operation_name("presetStation-save"), "presetStationSave");
        assert_eq!(
            operation_name("nextMedia-previousMedia"),
            "nextMediaPreviousMedia"
        );
        assert_eq!(operation_name("isDeviceActivated"), "isDeviceActivated");
        assert_eq!(operation_name("O2X"), "o2x");
        assert_eq!(category("PIMS specific error"), "pims");
        assert_eq!(category("Output Error"), "output");
    }
}
