//! Every naming decision, in two layers.
//!
//! - This module decides the *neutral* names the IR holds: type names in
//!   UpperCamel (`PhoneNumberCertification`, `PhoneNumberCertificationResult`,
//!   nested `TripPoint`), enumeration members (`Daily`, `0`, `Minus1`), and
//!   keeps wire names as they are. Neutral names are never escaped for a
//!   language: `Self` stays `Self`.
//! - Each target language has one module that turns neutral and wire names
//!   into its identifiers, with its own keywords: [`rust`], [`kotlin`],
//!   [`swift`]. Emitters never
//!   invent names, and the checker asks every target in [`TARGETS`] whether
//!   names collide, so a spec that checks clean generates code that compiles
//!   in every target.

pub mod kotlin;
pub mod rust;
pub mod swift;

use heck::ToUpperCamelCase;

/// Keeps ASCII letters, digits and `_`; anything else becomes `_` (so that
/// `with space` and `with-dash` split into words).
pub(crate) fn ascii_words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A type's neutral name: `phoneNumberCertification` → `PhoneNumberCertification`.
pub fn type_name(wire: &str) -> String {
    let camel = ascii_words(wire).to_upper_camel_case();
    if camel.is_empty() {
        "Type".to_owned()
    } else {
        camel
    }
}

/// An enumeration member's neutral name, from its value, unless the spec
/// names it: `daily` → `Daily`, `0` → `0`, `-1` → `Minus1`, `""` → `Empty`.
pub fn variant(value: &str) -> String {
    let (sign, rest) = match value.strip_prefix('-') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => ("Minus", rest),
        _ => ("", value),
    };
    let camel = ascii_words(rest).to_upper_camel_case();
    if camel.is_empty() {
        if value.is_empty() {
            "Empty".to_owned()
        } else {
            "Value".to_owned()
        }
    } else {
        format!("{sign}{camel}")
    }
}

/// The request type of an operation.
pub fn operation(name: &str) -> String {
    type_name(name)
}

/// The result type of operation type `op`.
pub fn result(op: &str) -> String {
    format!("{op}Result")
}

/// The event type of operation type `op`.
pub fn event(op: &str) -> String {
    format!("{op}Event")
}

/// The error type of operation type `op`.
pub fn error(op: &str) -> String {
    format!("{op}Error")
}

/// A type nested inside `parent`, for its field `field`.
pub fn nested(parent: &str, field: &str) -> String {
    format!("{parent}{}", type_name(field))
}

/// The items of an array type named `parent`.
pub fn items(parent: &str) -> String {
    format!("{parent}Item")
}

/// The placeholders of a label, as written (`[PARAMETER]`), in order: the
/// runtime's rule, so what is generated and what is matched agree.
pub fn placeholders(label: &str) -> Vec<&str> {
    pims_runtime::label::placeholders(label)
}

/// A placeholder's words: `[PARAMETER]` → `parameter`, `[Table name]` →
/// `Table name` (all-caps holes are read as lowercase words).
pub fn placeholder_words(hole: &str) -> String {
    let inner = hole.trim_start_matches('[').trim_end_matches(']');
    if inner.chars().all(|c| !c.is_ascii_lowercase()) {
        inner.to_ascii_lowercase()
    } else {
        inner.to_owned()
    }
}

/// Whether `name` is UpperCamel (`Location`, `FacadeNotInitialized`).
pub fn is_upper_camel(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// How one target language names things. The checker asks each target in
/// [`TARGETS`] for its names, and reports two spec names that become one.
pub trait Names: Sync {
    /// The language, for messages: `Rust`.
    fn language(&self) -> &'static str;
    /// A field or property, from its wire name.
    fn field(&self, wire: &str) -> String;
    /// An enumeration member, from its neutral name.
    fn variant(&self, neutral: &str) -> String;
    /// A type, from its neutral name.
    fn type_name(&self, neutral: &str) -> String;
    /// The field holding a label's placeholder.
    fn placeholder(&self, hole: &str) -> String;
    /// What the target calls a field, for messages: `field`, `property`.
    fn field_word(&self) -> &'static str {
        "field"
    }
}

/// Every target the generator writes: names must work in each.
pub const TARGETS: &[&dyn Names] = &[&rust::Rust, &kotlin::Kotlin, &swift::Swift];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutral_names() {
        assert_eq!(
            type_name("phoneNumberCertification"),
            "PhoneNumberCertification"
        );
        assert_eq!(type_name("Self"), "Self");
        assert_eq!(type_name(""), "Type");
        assert_eq!(variant("daily"), "Daily");
        assert_eq!(variant("AIO_NAC"), "AioNac");
        assert_eq!(variant("0"), "0");
        assert_eq!(variant("-1"), "Minus1");
        assert_eq!(variant("1"), "1");
        assert_eq!(variant("-"), "Value");
        assert_eq!(variant(""), "Empty");
        assert_eq!(variant("%"), "Value");
        assert_eq!(variant("self"), "Self");
        assert_eq!(
            nested("ConnectionResult", "protocol"),
            "ConnectionResultProtocol"
        );
        assert_eq!(nested("X", "type"), "XType");
        assert_eq!(nested("X", "1x"), "X1x");
    }

    #[test]
    fn placeholder_words_and_order() {
        assert_eq!(placeholder_words("[PARAMETER]"), "parameter");
        assert_eq!(placeholder_words("[Table name]"), "Table name");
        assert_eq!(
            placeholders("[Method] is deprecated since [version]"),
            ["[Method]", "[version]"]
        );
    }
}
