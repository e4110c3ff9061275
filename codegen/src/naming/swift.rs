//! Swift names: neutral and wire names to Swift identifiers.
//!
//! Wire names never change (they are the dictionary keys of `toParameters()`
//! and of the decoders); only the Swift side is adapted:
//!
//! - properties and enumeration cases are lowerCamel (`phone_number` →
//!   `phoneNumber`, `AlreadyEnrolled` → `alreadyEnrolled`), types UpperCamel;
//!   each api is a namespace (`Authentication.Smscode`);
//! - a leading digit gets a `_` prefix (`1x` → `_1x`);
//! - keywords are escaped with backticks (`` `func` ``, `` `default` ``),
//!   except those Swift does not accept escaped as a member (`self`, `Self`,
//!   `Type`, `Protocol`, `init`, `deinit`, `subscript`), which get a `_` suffix;
//! - names the generated code uses unqualified (`String`, `Int64`, `Any`,
//!   `Error`, `Result`, the client's own `PimsError`, `Types`, …) get a `_`
//!   suffix when a spec type or namespace would take them;
//! - members the generated types define (`toParameters`, `operation`,
//!   `code`, `label`, `wire`, …) get a `_` suffix as properties and cases:
//!   Swift does not let a property share a method's or a case's name.

use heck::{ToLowerCamelCase, ToUpperCamelCase};

use super::{Names, ascii_words};

/// Swift's keywords (declarations, statements, expressions, types) and the
/// contextual ones that a declaration could misread.
const KEYWORDS: &[&str] = &[
    "associatedtype",
    "class",
    "deinit",
    "enum",
    "extension",
    "fileprivate",
    "func",
    "import",
    "init",
    "inout",
    "internal",
    "let",
    "open",
    "operator",
    "private",
    "precedencegroup",
    "protocol",
    "public",
    "rethrows",
    "static",
    "struct",
    "subscript",
    "typealias",
    "var",
    "break",
    "case",
    "catch",
    "continue",
    "default",
    "defer",
    "do",
    "else",
    "fallthrough",
    "for",
    "guard",
    "if",
    "in",
    "repeat",
    "return",
    "throw",
    "switch",
    "where",
    "while",
    "Any",
    "as",
    "await",
    "false",
    "is",
    "nil",
    "self",
    "Self",
    "super",
    "throws",
    "true",
    "try",
    "async",
    "_",
    // contextual
    "Protocol",
    "Type",
    "actor",
    "any",
    "convenience",
    "dynamic",
    "final",
    "get",
    "indirect",
    "lazy",
    "mutating",
    "nonisolated",
    "nonmutating",
    "optional",
    "override",
    "required",
    "set",
    "some",
    "unowned",
    "weak",
    "willSet",
    "didSet",
];

/// Keywords that backticks do not make a usable member name.
const NOT_ESCAPABLE: &[&str] = &[
    "self",
    "Self",
    "Type",
    "Protocol",
    "init",
    "deinit",
    "subscript",
    "_",
];

/// Type names the generated Swift uses unqualified: the standard library's,
/// Foundation's, and the client's own runtime (`PimsRuntime.swift`).
pub const RESERVED_TYPES: &[&str] = &[
    "Any",
    "AnyObject",
    "Array",
    "Bool",
    "Character",
    "Codable",
    "Dictionary",
    "Double",
    "Equatable",
    "Error",
    "Float",
    "Foundation",
    "Hashable",
    "Int",
    "Int64",
    "NSNull",
    "NSNumber",
    "NSRange",
    "NSRegularExpression",
    "Never",
    "Optional",
    "Protocol",
    "Result",
    "Self",
    "Set",
    "String",
    "Type",
    "Void",
    // the catch-all, and where named types live
    "Unlisted",
    "Types",
    // the client's runtime
    "Pims",
    "PimsCall",
    "PimsCheck",
    "PimsDecode",
    "PimsDecodeError",
    "PimsError",
    "PimsFacade",
    "PimsInvalidParameter",
    "PimsLabel",
    "PimsNoData",
    "PimsOperation",
    "PimsOutcome",
    "PimsRequest",
    "PimsRule",
    "PimsSeg",
    "PimsSubscription",
    "PimsValue",
    "PimsVerb",
    "PimsWireError",
];

/// Members the generated types define: a request's `toParameters()` and
/// `operation`, the decoders' `decode`, an error's `code`, `label`,
/// `category`, `template` and `catalogue`, an enumeration's `wire`, a
/// struct's `additional` keys, `description`.
pub const RESERVED_MEMBERS: &[&str] = &[
    "additional",
    "catalogue",
    "category",
    "code",
    "decode",
    "description",
    "label",
    "members",
    "operation",
    "template",
    "toMap",
    "toParameters",
    "wire",
];

/// Swift's names, for the checker.
#[derive(Debug, Clone, Copy)]
pub struct Swift;

impl Names for Swift {
    fn language(&self) -> &'static str {
        "Swift"
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

/// Whether `word` is a Swift keyword (or a contextual one escaped anyway).
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

fn no_leading_digit(ident: String) -> String {
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{ident}")
    } else {
        ident
    }
}

/// A lowerCamel member name made safe: reserved members and unescapable
/// keywords get `_`, other keywords backticks.
fn member(ident: String) -> String {
    if RESERVED_MEMBERS.contains(&ident.as_str()) || NOT_ESCAPABLE.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if is_keyword(&ident) {
        format!("`{ident}`")
    } else {
        ident
    }
}

/// A property, from its wire name: `phone_number` → `phoneNumber`,
/// `func` → `` `func` ``, `self` → `self_`, `code` → `code_`.
pub fn field(wire: &str) -> String {
    let camel = ascii_words(wire).to_lower_camel_case();
    let camel = if camel.is_empty() {
        "field".to_owned()
    } else {
        camel
    };
    member(no_leading_digit(camel))
}

/// A type, from its neutral name: `Trip` → `Trip`, `Type` → `Type_`.
pub fn type_name(neutral: &str) -> String {
    let name = no_leading_digit(neutral.to_owned());
    if RESERVED_TYPES.contains(&name.as_str()) || NOT_ESCAPABLE.contains(&name.as_str()) {
        format!("{name}_")
    } else if is_keyword(&name) {
        format!("`{name}`")
    } else {
        name
    }
}

/// An enumeration's or an error's case, from its neutral name:
/// `AlreadyEnrolled` → `alreadyEnrolled`, `0` → `_0`, `Self` → `self_`,
/// `Default` → `` `default` ``.
pub fn variant(neutral: &str) -> String {
    let camel = neutral.to_lower_camel_case();
    let camel = if camel.is_empty() {
        "value".to_owned()
    } else {
        camel
    };
    member(no_leading_digit(camel))
}

/// A placeholder of an error label, as an associated value's label.
pub fn placeholder(hole: &str) -> String {
    field(&super::placeholder_words(hole))
}

/// A namespace, from one segment of an api name: `smscode` → `Smscode`,
/// `types` → `Types_`.
pub fn namespace(segment: &str) -> String {
    let camel = ascii_words(segment).to_upper_camel_case();
    let camel = if camel.is_empty() {
        "Api".to_owned()
    } else {
        camel
    };
    type_name(&camel)
}

/// The namespaces of an api: `pims.authentication.smscode` → `["Authentication", "Smscode"]`.
pub fn namespace_path(api: &str) -> Vec<String> {
    api.strip_prefix("pims.")
        .unwrap_or(api)
        .split('.')
        .map(namespace)
        .collect()
}

/// Whether `name` can be the Swift package and module: an UpperCamel ASCII
/// identifier that is not a name the generated code uses.
pub fn valid_module(name: &str) -> Result<(), String> {
    if !super::is_upper_camel(name) {
        return Err(format!(
            "`{name}` is not a Swift module name: UpperCamel ASCII letters and digits"
        ));
    }
    if RESERVED_TYPES.contains(&name) {
        return Err(format!("`{name}` is a name the generated Swift uses"));
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
        assert_eq!(field("func"), "`func`");
        assert_eq!(field("let"), "`let`");
        assert_eq!(field("protocol"), "`protocol`");
        assert_eq!(field("default"), "`default`");
        assert_eq!(field("in"), "`in`");
        assert_eq!(field("is"), "`is`");
        assert_eq!(field("self"), "self_");
        assert_eq!(field("Self"), "self_");
        assert_eq!(field("Type"), "type");
        assert_eq!(field("init"), "init_");
        assert_eq!(field("code"), "code_");
        assert_eq!(field("toParameters"), "toParameters_");
        assert_eq!(field("1x"), "_1x");
        assert_eq!(field("_"), "field");
        assert_eq!(field("object"), "object");
    }

    #[test]
    fn types_and_cases() {
        assert_eq!(type_name("Trip"), "Trip");
        assert_eq!(type_name("Type"), "Type_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(type_name("Protocol"), "Protocol_");
        assert_eq!(type_name("Error"), "Error_");
        assert_eq!(type_name("1x"), "_1x");
        assert_eq!(variant("AlreadyEnrolled"), "alreadyEnrolled");
        assert_eq!(variant("0"), "_0");
        assert_eq!(variant("Minus1"), "minus1");
        assert_eq!(variant("Self"), "self_");
        assert_eq!(variant("Default"), "`default`");
        assert_eq!(variant("Code"), "code_");
        assert_eq!(variant("AIONac"), "aioNac");
    }

    #[test]
    fn namespaces_and_placeholders() {
        assert_eq!(
            namespace_path("pims.authentication.smscode"),
            ["Authentication", "Smscode"]
        );
        assert_eq!(namespace_path("pims.types.x"), ["Types_", "X"]);
        assert_eq!(placeholder("[PARAMETER]"), "parameter");
        assert_eq!(placeholder("[Table name]"), "tableName");
        assert!(valid_module("PimsSdk").is_ok());
        assert!(valid_module("pims").is_err());
        assert!(valid_module("String").is_err());
    }
}
