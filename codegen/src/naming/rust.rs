//! Rust names: neutral and wire names to Rust identifiers.
//!
//! Wire names never change (serde renames keep them); only the Rust side is
//! adapted: snake_case fields and modules, a leading digit (`_0`), and
//! keywords: raw identifiers (`r#type`) where Rust allows them, a `_` suffix
//! where it does not (`self_`, `Self_`, `crate_`, `super_`).

use heck::ToSnakeCase;

use super::{Names, ascii_words};

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

/// Rust's names, for the checker.
#[derive(Debug, Clone, Copy)]
pub struct Rust;

impl Names for Rust {
    fn language(&self) -> &'static str {
        "Rust"
    }
    fn field(&self, wire: &str) -> String {
        field(wire)
    }
    fn variant(&self, neutral: &str) -> String {
        variant(neutral)
    }
    fn type_name(&self, neutral: &str) -> String {
        type_name(neutral)
    }
    fn placeholder(&self, hole: &str) -> String {
        placeholder(hole)
    }
}

/// Whether `word` is a Rust keyword.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
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

/// A type, from its neutral name: `Trip` → `Trip`, `Self` → `Self_`.
pub fn type_name(neutral: &str) -> String {
    unkeyword(no_leading_digit(neutral.to_owned()))
}

/// An enumeration's variant, from its neutral name: `Daily`, `0` → `_0`.
pub fn variant(neutral: &str) -> String {
    type_name(neutral)
}

/// A module, from one segment of an api name: `smscode` → `smscode`.
pub fn module(segment: &str) -> String {
    field(segment)
}

/// The file a module is written to (no raw prefix): `r#type` → `type`.
pub fn module_file(module: &str) -> &str {
    module.strip_prefix("r#").unwrap_or(module)
}

/// Modules the generator writes at the crate root: an api whose first
/// segment is one of them gets a `_` suffix there (`pims.types` →
/// `types_`), which no api segment can spell (they are alphanumeric).
pub const ROOT_MODULES: &[&str] = &["error", "errors", "simulator", "types"];

/// The module path of an api, below the crate root: `pims.a.b` → `["a", "b"]`.
pub fn module_path(api: &str) -> Vec<String> {
    let mut path: Vec<String> = api
        .strip_prefix("pims.")
        .unwrap_or(api)
        .split('.')
        .map(module)
        .collect();
    if let Some(first) = path.first_mut()
        && ROOT_MODULES.contains(&first.as_str())
    {
        first.push('_');
    }
    path
}

/// A placeholder of an error label, as a field: `[PARAMETER]` → `parameter`,
/// `[Table name]` → `table_name`.
pub fn placeholder(hole: &str) -> String {
    field(&super::placeholder_words(hole))
}

/// The hidden field of the `index`-th selector key.
pub fn selector_field(index: usize) -> String {
    format!("__selector_{index}")
}

/// The name without a raw prefix, for comparing names.
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apis_named_like_root_modules_step_aside() {
        assert_eq!(module_path("pims.types"), ["types_"]);
        assert_eq!(module_path("pims.errors.list"), ["errors_", "list"]);
        // below the root, the names are free
        assert_eq!(module_path("pims.vehicle.types"), ["vehicle", "types"]);
    }

    #[test]
    fn fields() {
        assert_eq!(field("phoneNumber"), "phone_number");
        assert_eq!(field("phone_number"), "phone_number");
        assert_eq!(field("type"), "r#type");
        assert_eq!(field("self"), "self_");
        assert_eq!(field("Self"), "self_");
        assert_eq!(field("crate"), "crate_");
        assert_eq!(field("super"), "super_");
        assert_eq!(field("_"), "field");
        assert_eq!(field("with space"), "with_space");
        assert_eq!(field("1st"), "_1st");
        assert_eq!(field("1x"), "_1x");
        assert_eq!(field("PrecondScheduling"), "precond_scheduling");
        assert_eq!(field("isRearLeftDoorOpened"), "is_rear_left_door_opened");
        assert_eq!(field(""), "field");
        assert_eq!(field("é"), "field");
    }

    #[test]
    fn types_and_variants() {
        assert_eq!(
            type_name("PhoneNumberCertification"),
            "PhoneNumberCertification"
        );
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(type_name("Error"), "Error");
        assert_eq!(variant("Daily"), "Daily");
        assert_eq!(variant("0"), "_0");
        assert_eq!(variant("Minus1"), "Minus1");
        assert_eq!(variant("Self"), "Self_");
        assert_eq!(variant("Crate"), "Crate");
        assert_eq!(
            module_path("pims.authentication.smscode"),
            ["authentication", "smscode"]
        );
        assert_eq!(module_path("pims.vehicle.type"), ["vehicle", "r#type"]);
    }

    #[test]
    fn placeholder_fields() {
        assert_eq!(placeholder("[PARAMETER]"), "parameter");
        assert_eq!(placeholder("[Table name]"), "table_name");
        assert_eq!(placeholder("[IDENTIFIERS LIST]"), "identifiers_list");
        assert_eq!(placeholder("[stepsID]"), "steps_id");
    }
}
