//! The IR: what is generated, decided once, before any output.
//!
//! Lowering ([`lower`]) resolves names (through `crate::naming`), references,
//! defaults and examples, and turns inline objects and enumerations into type
//! definitions of their own. Emitters read only this: never the spec model.
//! Everything is in a fixed order (catalogue by code, types by name, apis by
//! name, fields as written), so output never follows hash or file-system order.

mod examples;
mod lower;

use std::path::PathBuf;

pub use lower::lower;

use crate::source::Loc;
use crate::spec::{Connectivity, Platform, Scalar, Verb, Version};

/// Everything to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Ir {
    /// The SDK's name.
    pub sdk_name: String,
    /// The SDK release.
    pub sdk_version: Version,
    /// The catalogue, by code.
    pub errors: Vec<ErrorVariant>,
    /// Named types (`pims_sdk::types`), by name.
    pub types: Vec<TypeDef>,
    /// One module per api, by api name.
    pub modules: Vec<Module>,
    /// Securities, as declared.
    pub securities: Vec<SecurityIr>,
    /// Components, as declared.
    pub components: Vec<ComponentIr>,
}

/// A named security requirement.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityIr {
    /// Its name.
    pub name: String,
    /// What it requires.
    pub description: Option<String>,
}

/// A component.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentIr {
    /// Its tag.
    pub name: String,
    /// Its title.
    pub title: Option<String>,
    /// What it is for.
    pub description: Option<String>,
    /// Default securities.
    pub security: Vec<String>,
    /// Default platforms.
    pub compatibility: Vec<String>,
    /// How it reaches the vehicle.
    pub connectivity: Option<Connectivity>,
    /// Introduced in.
    pub since: Version,
    /// Last changed in.
    pub updated: Option<Version>,
    /// Where it is declared, in `pims.yaml`.
    pub loc: Loc,
}

/// One entry of the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorVariant {
    /// The code.
    pub code: i64,
    /// Its neutral name (`MissingParameter`).
    pub name: String,
    /// Its category.
    pub category: String,
    /// The label template.
    pub label: String,
    /// Placeholders, as written (`[PARAMETER]`), in order.
    pub placeholders: Vec<String>,
    /// Whether it may carry sub-codes.
    pub sub_codes: bool,
    /// What it means.
    pub description: Option<String>,
    /// Where it is declared, in `pims.yaml`.
    pub loc: Loc,
}

/// One api: its operations and the types they need.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// The api name.
    pub api: String,
    /// The spec file it comes from, relative to the spec folder.
    pub source: PathBuf,
    /// What the api is for.
    pub description: Option<String>,
    /// Its component.
    pub component: String,
    /// Operations, as written.
    pub operations: Vec<OperationIr>,
    /// Types the operations need (request, result, event and nested types), in order.
    pub types: Vec<TypeDef>,
}

/// How `deprecated` reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Deprecation {
    /// Deprecated, no reason given.
    Yes,
    /// Deprecated, for this reason.
    Because(String),
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationIr {
    /// The name in the spec.
    pub name: String,
    /// The name the SDK's docs use.
    pub title: String,
    /// The request type's neutral name.
    pub type_name: String,
    /// The verb.
    pub verb: Verb,
    /// Introduced in.
    pub since: Version,
    /// Last changed in.
    pub updated: Option<Version>,
    /// Deprecated?
    pub deprecated: Option<Deprecation>,
    /// Its component: its own, or the api's.
    pub component: String,
    /// Securities (resolved against the component).
    pub security: Vec<String>,
    /// Platforms (resolved against the component).
    pub compatibility: Vec<String>,
    /// Android or iOS only.
    pub platforms: Vec<Platform>,
    /// What it does.
    pub description: Option<String>,
    /// Related apis and operations, as written.
    pub related: Vec<String>,
    /// The selector, in wire order.
    pub selector: Vec<(String, Scalar)>,
    /// The request's fields (not the selector): the one place they are stored.
    pub params: Vec<FieldIr>,
    /// What `SUCCEEDED` carries; `None` for no data.
    pub result: Option<Ty>,
    /// Subscriptions: what each event carries (`Some(None)`: events without data).
    pub event: Option<Option<Ty>>,
    /// The error type's neutral name.
    pub error_type: String,
    /// Listed codes, as written.
    pub errors: Vec<i64>,
    /// Constraints checked before sending.
    pub checks: Vec<CheckIr>,
    /// Examples, complete (selector included).
    pub examples: Vec<ExampleIr>,
    /// Where the operation is defined, in `Module::source`.
    pub loc: Loc,
}

/// A whole example, as the wire has it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleIr {
    /// What it shows.
    pub summary: Option<String>,
    /// The parameters, selector included.
    pub parameters: serde_json::Value,
    /// The `SUCCEEDED` result, or the code of the `FAILED` message.
    pub outcome: Outcome,
    /// Subscriptions: the results of `RESULT` events.
    pub events: Vec<serde_json::Value>,
    /// Whether it was built from field examples rather than written whole.
    pub built: bool,
}

/// How an example ends.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// `SUCCEEDED` with this `result` (`null` for no data).
    Succeeded(serde_json::Value),
    /// `FAILED` with this code.
    Failed(i64),
}

/// A constraint row of the runtime's check table.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckIr {
    /// The path from the parameters object.
    pub path: Vec<PathSeg>,
    /// The rule.
    pub rule: RuleIr,
}

/// A step of a [`CheckIr`] path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSeg {
    /// An object key.
    Key(String),
    /// Each array item.
    Each,
}

/// A rule of a [`CheckIr`].
#[derive(Debug, Clone, PartialEq)]
pub enum RuleIr {
    /// Matches the regex.
    Pattern(String),
    /// Fewest characters.
    MinLength(u64),
    /// Most characters.
    MaxLength(u64),
    /// Smallest value.
    Minimum(f64),
    /// Largest value.
    Maximum(f64),
    /// Fewest items.
    MinItems(u64),
    /// Most items.
    MaxItems(u64),
    /// One of these.
    OneOf(Vec<Scalar>),
}

/// A generated type definition.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Its neutral name.
    pub name: String,
    /// Its documentation.
    pub doc: Option<String>,
    /// What it is.
    pub kind: TypeDefKind,
    /// Where its shape is written.
    pub loc: Loc,
}

/// The kinds of generated type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeDefKind {
    /// The request of the module's operation at this index: its fields are
    /// the operation's `params`, its selector the operation's.
    Request(usize),
    /// A struct.
    Struct(StructDef),
    /// An enumeration with a catch-all.
    Enum(EnumDef),
    /// Another name for a type (a named string with a pattern, an array, …).
    Alias(Ty),
}

/// A struct of data: an object inside parameters, received data, a named type.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    /// Whether decoding refuses unknown keys: the objects inside parameters
    /// (what is sent must be exact), not received data (a newer SDK may add keys).
    pub strict: bool,
    /// Fields, as written.
    pub fields: Vec<FieldIr>,
    /// Whether unknown keys are kept (in a map field `additional`).
    pub additional: bool,
}

/// An enumeration.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// Strings or integers on the wire.
    pub repr: EnumRepr,
    /// The members, as written.
    pub variants: Vec<VariantIr>,
}

/// The wire form of an enumeration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    /// Strings.
    Str,
    /// Integers.
    Int,
}

/// A member of an enumeration.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantIr {
    /// Its neutral name (`Daily`, `0`, `Minus1`).
    pub name: String,
    /// The wire value.
    pub value: Scalar,
    /// What it means.
    pub doc: Option<String>,
    /// Where it is written.
    pub loc: Loc,
}

/// A field of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldIr {
    /// The wire name (each target derives its own name from it).
    pub wire: String,
    /// Its type.
    pub ty: Ty,
    /// Whether it must be present.
    pub required: bool,
    /// Its documentation.
    pub doc: Option<String>,
    /// An example value.
    pub example: Option<serde_json::Value>,
    /// The value assumed when absent.
    pub default: Option<serde_json::Value>,
    /// Introduced in.
    pub since: Option<Version>,
    /// Android or iOS only.
    pub platforms: Vec<Platform>,
    /// Where it is written (its key).
    pub loc: Loc,
}

/// A type at a use site, with its constraints.
#[derive(Debug, Clone, PartialEq)]
pub struct Ty {
    /// What it is.
    pub kind: TyKind,
    /// Whether `null` is allowed.
    pub nullable: bool,
}

/// The kinds of [`Ty`].
#[derive(Debug, Clone, PartialEq)]
pub enum TyKind {
    /// A string.
    String(StringIr),
    /// An integer (`i64`).
    Integer(NumberIr),
    /// A number (`f64`).
    Number(NumberIr),
    /// A boolean.
    Boolean {
        /// What `true` and `false` mean.
        values: Vec<MemberIr>,
    },
    /// Free JSON.
    Any,
    /// An array.
    Array {
        /// The items' type.
        items: Box<Ty>,
        /// Fewest items.
        min_items: Option<u64>,
        /// Most items.
        max_items: Option<u64>,
    },
    /// A generated type.
    Ref(TypeRef),
}

/// Keys of a string at a use site.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StringIr {
    /// Format.
    pub format: Option<String>,
    /// Pattern.
    pub pattern: Option<String>,
    /// Fewest characters.
    pub min_length: Option<u64>,
    /// Most characters.
    pub max_length: Option<u64>,
    /// Unit, for docs.
    pub unit: Option<String>,
}

/// Keys of a number at a use site.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NumberIr {
    /// Smallest value.
    pub minimum: Option<f64>,
    /// Largest value.
    pub maximum: Option<f64>,
    /// Unit, for docs.
    pub unit: Option<String>,
    /// Members of a number enumeration (not a Rust enum: floats make poor variants).
    pub values: Vec<MemberIr>,
}

/// A member of a non-enum enumeration (numbers, booleans), for docs and checks.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberIr {
    /// The value.
    pub value: Scalar,
    /// What it means.
    pub doc: Option<String>,
}

/// A reference to a generated type, by neutral name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// A named type of `types`.
    Named(String),
    /// A type of the same module.
    Local(String),
}

impl TypeRef {
    /// The type's neutral name.
    pub fn name(&self) -> &str {
        match self {
            TypeRef::Named(n) | TypeRef::Local(n) => n,
        }
    }
}

impl Ir {
    /// The named type `name`.
    pub fn named(&self, name: &str) -> Option<&TypeDef> {
        self.types
            .binary_search_by(|t| t.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.types[i])
    }

    /// The catalogue entry for `code`.
    pub fn error(&self, code: i64) -> Option<&ErrorVariant> {
        self.errors
            .binary_search_by_key(&code, |e| e.code)
            .ok()
            .map(|i| &self.errors[i])
    }

    /// The operation whose request `def` is, if it is one.
    pub fn request_of<'a>(&self, module: &'a Module, def: &TypeDef) -> Option<&'a OperationIr> {
        match def.kind {
            TypeDefKind::Request(i) => module.operations.get(i),
            _ => None,
        }
    }

    /// Resolves `r` as seen from `module`.
    pub fn resolve<'a>(&'a self, module: &'a Module, r: &TypeRef) -> Option<&'a TypeDef> {
        match r {
            TypeRef::Named(n) => self.named(n),
            TypeRef::Local(n) => module.types.iter().find(|t| t.name == *n),
        }
    }

    /// The named types an app sends: those reachable from some operation's
    /// parameters (through fields, array items and aliases). Every other named
    /// type is only received. Local types tell it themselves
    /// ([`StructDef::strict`]).
    pub fn sent_named(&self) -> std::collections::BTreeSet<&str> {
        let mut sent = std::collections::BTreeSet::new();
        let mut todo: Vec<&Ty> = Vec::new();
        for module in &self.modules {
            for op in &module.operations {
                todo.extend(op.params.iter().map(|f| &f.ty));
            }
            // local objects inside parameters may hold named types
            for def in &module.types {
                if let TypeDefKind::Struct(s) = &def.kind
                    && s.strict
                {
                    todo.extend(s.fields.iter().map(|f| &f.ty));
                }
            }
        }
        while let Some(ty) = todo.pop() {
            match &ty.kind {
                TyKind::Array { items, .. } => todo.push(items),
                TyKind::Ref(TypeRef::Named(name)) => {
                    let Some(def) = self.named(name) else {
                        continue;
                    };
                    if !sent.insert(def.name.as_str()) {
                        continue;
                    }
                    match &def.kind {
                        TypeDefKind::Struct(s) => todo.extend(s.fields.iter().map(|f| &f.ty)),
                        TypeDefKind::Alias(ty) => todo.push(ty),
                        TypeDefKind::Enum(_) | TypeDefKind::Request(_) => {}
                    }
                }
                _ => {}
            }
        }
        sent
    }
}
