//! Kotlin names: neutral and wire names to Kotlin identifiers.
//!
//! Wire names never change (the generated `toParameters()` and decoders use
//! them as map keys); only the Kotlin side is adapted:
//!
//! - properties are lowerCamel (`phone_number` → `phoneNumber`), types and
//!   the members of enumerations and errors keep their neutral UpperCamel;
//! - a leading digit gets a `_` prefix (`1x` → `_1x`);
//! - keywords, hard, soft and modifier alike, are escaped with backticks
//!   (`` `object` ``, `` `when` ``, `` `value` ``), which Kotlin allows for
//!   any identifier;
//! - names the generated code itself uses, and that a declaration would
//!   shadow (`String`, `Any`, `Map`, `List`, `Long`, `Unit`, the client's own
//!   `PimsError`, `Facade`, `Outcome`, …), get a `_` suffix when a spec type or
//!   member would take them (`Map` → `Map_`);
//! - members the generated classes define themselves (`code`, `label`,
//!   `operation`, …) get a `_` suffix as properties.
//!
//! Neutral names have no `_`, so an escaped name never meets an unescaped one.

use heck::{ToLowerCamelCase, ToSnakeCase};

use super::{Names, ascii_words};

/// Kotlin's hard keywords (never identifiers without backticks).
const HARD: &[&str] = &[
    "as",
    "break",
    "class",
    "continue",
    "do",
    "else",
    "false",
    "for",
    "fun",
    "if",
    "in",
    "interface",
    "is",
    "null",
    "object",
    "package",
    "return",
    "super",
    "this",
    "throw",
    "true",
    "try",
    "typealias",
    "typeof",
    "val",
    "var",
    "when",
    "while",
];

/// Soft and modifier keywords: identifiers in most places, escaped anyway so
/// that no position of a generated declaration can misread them.
const SOFT: &[&str] = &[
    "by",
    "catch",
    "constructor",
    "delegate",
    "dynamic",
    "field",
    "file",
    "finally",
    "get",
    "import",
    "init",
    "param",
    "property",
    "receiver",
    "set",
    "setparam",
    "value",
    "where",
    "abstract",
    "actual",
    "annotation",
    "companion",
    "const",
    "crossinline",
    "data",
    "enum",
    "expect",
    "external",
    "final",
    "infix",
    "inline",
    "inner",
    "internal",
    "lateinit",
    "noinline",
    "open",
    "operator",
    "out",
    "override",
    "private",
    "protected",
    "public",
    "reified",
    "sealed",
    "suspend",
    "tailrec",
    "vararg",
];

/// Java's keywords: a package segment named so would not load on the JVM.
const JAVA: &[&str] = &[
    "abstract",
    "assert",
    "boolean",
    "break",
    "byte",
    "case",
    "catch",
    "char",
    "class",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extends",
    "final",
    "finally",
    "float",
    "for",
    "goto",
    "if",
    "implements",
    "import",
    "instanceof",
    "int",
    "interface",
    "long",
    "native",
    "new",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "short",
    "static",
    "strictfp",
    "super",
    "switch",
    "synchronized",
    "this",
    "throw",
    "throws",
    "transient",
    "try",
    "void",
    "volatile",
    "true",
    "false",
    "null",
    "var",
    "record",
    "yield",
];

/// Type names the generated Kotlin uses without qualification: the standard
/// library's, and the client's own runtime (`Runtime.kt`). A spec type or a
/// member class with one of these names would shadow it.
pub const RESERVED_TYPES: &[&str] = &[
    // kotlin.*
    "Any",
    "Array",
    "Boolean",
    "Byte",
    "Char",
    "Comparable",
    "Double",
    "Enum",
    "Error",
    "Exception",
    "Float",
    "Int",
    "LinkedHashMap",
    "List",
    "Long",
    "Map",
    "MutableList",
    "MutableMap",
    "Nothing",
    "Number",
    "Pair",
    "Result",
    "Self",
    "Set",
    "Short",
    "String",
    "Throwable",
    "Type",
    "Unit",
    // what a companion or a catch-all is called
    "Companion",
    "Operation",
    "Unlisted",
    // the client's runtime
    "CallOperation",
    "CallRequest",
    "Check",
    "Decode",
    "DecodeException",
    "Facade",
    "InvalidParameter",
    "InvalidParameterException",
    "Labels",
    "Outcome",
    "Pims",
    "PimsError",
    "Rule",
    "Seg",
    "SubscriptionOperation",
    "SubscriptionRequest",
    "Types",
    "Verb",
    "WireError",
];

/// Type names the bodies of generated enumerations and error classes use:
/// a member (a nested object or class) must not take them.
pub const RESERVED_MEMBER_TYPES: &[&str] = &[
    "Any",
    "Boolean",
    "Companion",
    "Decode",
    "Double",
    "Int",
    "Labels",
    "List",
    "Long",
    "Map",
    "Nothing",
    "PimsError",
    "String",
    "Unit",
    "Unlisted",
    "WireError",
];

/// Properties the generated classes define themselves: a request's
/// `operation`, an error's `code`, `label`, `category` and `template`, an
/// enumeration's `wire`, a struct's `additional` keys.
pub const RESERVED_MEMBERS: &[&str] = &[
    "additional",
    "category",
    "code",
    "label",
    "operation",
    "template",
    "wire",
];

/// Kotlin's names, for the checker.
#[derive(Debug, Clone, Copy)]
pub struct Kotlin;

impl Names for Kotlin {
    fn language(&self) -> &'static str {
        "Kotlin"
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
    fn field_word(&self) -> &'static str {
        "property"
    }
}

/// Whether `word` is a Kotlin keyword of any kind.
pub fn is_keyword(word: &str) -> bool {
    HARD.contains(&word) || SOFT.contains(&word)
}

fn no_leading_digit(ident: String) -> String {
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{ident}")
    } else {
        ident
    }
}

fn backticked(ident: String) -> String {
    if is_keyword(&ident) {
        format!("`{ident}`")
    } else {
        ident
    }
}

/// A property, from its wire name: `phone_number` → `phoneNumber`,
/// `object` → `` `object` ``, `code` → `code_`, `1x` → `_1x`.
pub fn field(wire: &str) -> String {
    let camel = ascii_words(wire).to_lower_camel_case();
    let camel = if camel.is_empty() {
        "unnamed".to_owned()
    } else {
        camel
    };
    let camel = no_leading_digit(camel);
    if RESERVED_MEMBERS.contains(&camel.as_str()) {
        format!("{camel}_")
    } else {
        backticked(camel)
    }
}

/// A type, from its neutral name: `Trip` → `Trip`, `Map` → `Map_`, `1x` → `_1x`.
pub fn type_name(neutral: &str) -> String {
    let name = no_leading_digit(neutral.to_owned());
    if RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        backticked(name)
    }
}

/// A member of an enumeration or an error (a nested object or class), from
/// its neutral name: `Daily`, `0` → `_0`, `String` → `String_`.
pub fn variant(neutral: &str) -> String {
    let name = no_leading_digit(neutral.to_owned());
    if RESERVED_MEMBER_TYPES.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        backticked(name)
    }
}

/// A placeholder of an error label, as a property: `[PARAMETER]` →
/// `parameter`, `[Table name]` → `tableName`, `[CODE]` → `code_`.
pub fn placeholder(hole: &str) -> String {
    field(&super::placeholder_words(hole))
}

/// A package segment, from one segment of an api name: lowercase words
/// joined by `_`, with a `_` suffix for Kotlin and Java keywords (which the
/// JVM refuses in package names).
pub fn package_segment(segment: &str) -> String {
    let snake = ascii_words(segment).to_snake_case();
    let snake = if snake.is_empty() {
        "api".to_owned()
    } else {
        snake
    };
    let snake = no_leading_digit(snake);
    if HARD.contains(&snake.as_str()) || JAVA.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// The package of an api below the base package: `pims.a.b` → `["a", "b"]`.
pub fn package_path(api: &str) -> Vec<String> {
    api.strip_prefix("pims.")
        .unwrap_or(api)
        .split('.')
        .map(package_segment)
        .collect()
}

/// The file name of an api's package: its last segment in UpperCamel (`Smscode.kt`).
pub fn api_file(api: &str) -> String {
    let last = api.rsplit('.').next().unwrap_or(api);
    let name = super::type_name(last);
    format!("{}.kt", no_leading_digit(name))
}

/// Whether `name` can be the base package: dot-separated segments, each a
/// lowercase ASCII letter followed by lowercase letters, digits or `_`, none
/// a Kotlin or Java keyword.
pub fn valid_package(name: &str) -> Result<(), String> {
    for segment in name.split('.') {
        let ok = segment.starts_with(|c: char| c.is_ascii_lowercase())
            && segment
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            return Err(format!(
                "`{segment}` is not a package segment: lowercase ASCII letters, digits and `_`, starting with a letter"
            ));
        }
        if HARD.contains(&segment) || JAVA.contains(&segment) || SOFT.contains(&segment) {
            return Err(format!("`{segment}` is a Kotlin or Java keyword"));
        }
        if RESERVED_MEMBERS.contains(&segment) {
            return Err(format!(
                "`{segment}` is a member of generated classes, which would hide the package"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        assert_eq!(field("phoneNumber"), "phoneNumber");
        assert_eq!(field("phone_number"), "phoneNumber");
        assert_eq!(field("PrecondScheduling"), "precondScheduling");
        assert_eq!(field("object"), "`object`");
        assert_eq!(field("fun"), "`fun`");
        assert_eq!(field("when"), "`when`");
        assert_eq!(field("is"), "`is`");
        assert_eq!(field("in"), "`in`");
        assert_eq!(field("val"), "`val`");
        assert_eq!(field("value"), "`value`");
        assert_eq!(field("default"), "default");
        assert_eq!(field("Type"), "type");
        assert_eq!(field("self"), "self");
        assert_eq!(field("Self"), "self");
        assert_eq!(field("code"), "code_");
        assert_eq!(field("operation"), "operation_");
        assert_eq!(field("1x"), "_1x");
        assert_eq!(field("_"), "unnamed");
        assert_eq!(field(""), "unnamed");
        assert_eq!(field("with space"), "withSpace");
    }

    #[test]
    fn types_and_variants() {
        assert_eq!(
            type_name("PhoneNumberCertification"),
            "PhoneNumberCertification"
        );
        assert_eq!(type_name("Map"), "Map_");
        assert_eq!(type_name("String"), "String_");
        assert_eq!(type_name("Type"), "Type_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(type_name("PimsError"), "PimsError_");
        assert_eq!(variant("0"), "_0");
        assert_eq!(variant("Daily"), "Daily");
        assert_eq!(variant("Unlisted"), "Unlisted_");
        assert_eq!(variant("Companion"), "Companion_");
        assert_eq!(variant("InvalidParameter"), "InvalidParameter");
        assert_eq!(variant("PimsError"), "PimsError_");
    }

    #[test]
    fn packages_and_placeholders() {
        assert_eq!(
            package_path("pims.authentication.smscode"),
            ["authentication", "smscode"]
        );
        assert_eq!(
            package_path("pims.vehicle.package"),
            ["vehicle", "package_"]
        );
        assert_eq!(package_path("pims.a.int"), ["a", "int_"]);
        assert_eq!(api_file("pims.authentication.smscode"), "Smscode.kt");
        assert_eq!(placeholder("[PARAMETER]"), "parameter");
        assert_eq!(placeholder("[Table name]"), "tableName");
        assert_eq!(placeholder("[CODE]"), "code_");
        assert!(valid_package("pims.sdk").is_ok());
        assert!(valid_package("com.example.pims_2").is_ok());
        assert!(valid_package("Pims.sdk").is_err());
        assert!(valid_package("pims.object").is_err());
        assert!(valid_package("pims..sdk").is_err());
        assert!(valid_package("code.sdk").is_err());
    }
}
