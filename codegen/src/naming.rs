//! Every naming decision: wire names to Rust names. Emitters never invent names;
//! the checker uses these same functions to find names that collide.
//!
//! Wire names never change (serde renames keep them); only the Rust side is
//! adapted: case conversion, characters Rust does not allow, a leading digit,
//! and keywords.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves (2024 edition, strict and reserved).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers: they get a `_` suffix instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Whether `word` is a Rust keyword.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// Keeps ASCII letters, digits and `_`; anything else becomes `_` (so that
/// `with space` and `with-dash` split into words).
fn ascii_words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// An identifier cannot start with a digit: prefix `_`.
fn no_leading_digit(ident: String) -> String {
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{ident}")
    } else {
        ident
    }
}

/// Keywords become raw identifiers (`r#type`), or get a `_` suffix where Rust
/// does not allow a raw one (`self_`).
fn unkeyword(ident: String) -> String {
    if NOT_RAW.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if is_keyword(&ident) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// A field or parameter: `phoneNumber` → `phone_number`, `type` → `r#type`.
pub fn field(wire: &str) -> String {
    let snake = ascii_words(wire).to_snake_case();
    let snake = if snake.is_empty() {
        "field".to_owned()
    } else {
        snake
    };
    unkeyword(no_leading_digit(snake))
}

/// A type: `phoneNumberCertification` → `PhoneNumberCertification`.
pub fn type_name(wire: &str) -> String {
    let camel = ascii_words(wire).to_upper_camel_case();
    let camel = if camel.is_empty() {
        "Type".to_owned()
    } else {
        camel
    };
    unkeyword(no_leading_digit(camel))
}

/// An enumeration's variant, from its value (`daily` → `Daily`, `0` → `_0`),
/// unless the spec names it.
pub fn variant(value: &str) -> String {
    let camel = ascii_words(value).to_upper_camel_case();
    let camel = if camel.is_empty() {
        if value.is_empty() {
            "Empty".to_owned()
        } else {
            "Value".to_owned()
        }
    } else {
        camel
    };
    unkeyword(no_leading_digit(camel))
}

/// A module, from one segment of an api name: `smscode` → `smscode`.
pub fn module(segment: &str) -> String {
    field(segment)
}

/// The file a module is written to (no raw prefix): `r#type` → `type`.
pub fn module_file(module: &str) -> &str {
    module.strip_prefix("r#").unwrap_or(module)
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

/// The error enum of operation type `op`.
pub fn error(op: &str) -> String {
    format!("{op}Error")
}

/// A type nested inside `parent`, for its field `field`.
pub fn nested(parent: &str, field: &str) -> String {
    format!(
        "{parent}{}",
        type_name(field)
            .trim_start_matches("r#")
            .trim_start_matches('_')
    )
}

/// The items of an array type named `parent`.
pub fn items(parent: &str) -> String {
    format!("{parent}Item")
}

/// A placeholder of an error label, as a field: `[PARAMETER]` → `parameter`,
/// `[Table name]` → `table_name`.
pub fn placeholder(hole: &str) -> String {
    let inner = hole.trim_start_matches('[').trim_end_matches(']');
    let lower = if inner.chars().all(|c| !c.is_ascii_lowercase()) {
        inner.to_ascii_lowercase()
    } else {
        inner.to_owned()
    };
    field(&lower)
}

/// The placeholders of a label, as written (`[PARAMETER]`), in order: the
/// runtime's rule, so what is generated and what is matched agree.
pub fn placeholders(label: &str) -> Vec<&str> {
    pims_runtime::label::placeholders(label)
}

/// The hidden field of the `index`-th selector key.
pub fn selector_field(index: usize) -> String {
    format!("__selector_{index}")
}

/// Whether `name` is UpperCamel (`Location`, `FacadeNotInitialized`).
pub fn is_upper_camel(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The name without a raw prefix, for comparing names.
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        assert_eq!(field("phoneNumber"), "phone_number");
        assert_eq!(field("phone_number"), "phone_number");
        assert_eq!(field("type"), "r#type");
        assert_eq!(field("self"), "self_");
        assert_eq!(field("Self"), "self_");
        assert_eq!(field("with space"), "with_space");
        assert_eq!(field("1st"), "_1st");
        assert_eq!(field("PrecondScheduling"), "precond_scheduling");
        assert_eq!(field("isRearLeftDoorOpened"), "is_rear_left_door_opened");
        assert_eq!(field(""), "field");
        assert_eq!(field("é"), "field");
    }

    #[test]
    fn types_and_variants() {
        assert_eq!(
            type_name("phoneNumberCertification"),
            "PhoneNumberCertification"
        );
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(variant("daily"), "Daily");
        assert_eq!(variant("Daily"), "Daily");
        assert_eq!(variant("AIO_NAC"), "AioNac");
        assert_eq!(variant("0"), "_0");
        assert_eq!(variant(""), "Empty");
        assert_eq!(variant("%"), "Value");
        assert_eq!(variant("self"), "Self_");
        assert_eq!(
            nested("ConnectionResult", "protocol"),
            "ConnectionResultProtocol"
        );
        assert_eq!(nested("X", "type"), "XType");
    }

    #[test]
    fn placeholder_fields() {
        assert_eq!(placeholder("[PARAMETER]"), "parameter");
        assert_eq!(placeholder("[Table name]"), "table_name");
        assert_eq!(placeholder("[IDENTIFIERS LIST]"), "identifiers_list");
        assert_eq!(placeholder("[stepsID]"), "steps_id");
        assert_eq!(
            placeholders("[Method] is deprecated since [version]"),
            ["[Method]", "[version]"]
        );
    }
}
