//! The spec model: what `spec/` says, as plain data with locations.
//!
//! Architecture invariant: no syn, quote or IO here. The model is filled by
//! [`decode`] from YAML nodes, checked by `crate::check`, and lowered into the
//! IR by `crate::ir`. Its `JsonSchema` derives are the meta-schemas, one per
//! kind of file (`spec/schema/pims-manifest.schema.json`,
//! `spec/schema/pims-api.schema.json`), so editors complete and check spec
//! files against exactly what the loader accepts.

pub mod decode;
mod schema;

use std::fmt;

use schemars::JsonSchema;

use crate::source::{FileId, Loc};
use crate::yaml::Node;

pub use schema::{FileKind, meta_schema};

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Sp<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub loc: Loc,
}

impl<T> Sp<T> {
    /// `value` at `loc`.
    pub fn new(value: T, loc: Loc) -> Self {
        Sp { value, loc }
    }
}

impl<T> std::ops::Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// An entry of a map whose keys are names (parameters, fields, types, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Named<T> {
    /// The key.
    pub name: Sp<String>,
    /// The value.
    pub value: T,
}

/// A map whose keys are names, in the order written. Keys are unique: the
/// decoder reports a repeated key and keeps the first.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedMap<T>(pub Vec<Named<T>>);

impl<T> Default for NamedMap<T> {
    fn default() -> Self {
        NamedMap(Vec::new())
    }
}

impl<T> NamedMap<T> {
    /// The entry named `name`.
    pub fn get(&self, name: &str) -> Option<&Named<T>> {
        self.0.iter().find(|e| *e.name == name)
    }

    /// Entries in the order written.
    pub fn iter(&self) -> std::slice::Iter<'_, Named<T>> {
        self.0.iter()
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|e| e.name.as_str())
    }
}

impl<'a, T> IntoIterator for &'a NamedMap<T> {
    type Item = &'a Named<T>;
    type IntoIter = std::slice::Iter<'a, Named<T>>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// A release number: `2.0`, `2.3`, `2.3.1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Major.
    pub major: u32,
    /// Minor.
    pub minor: u32,
    /// Patch, 0 when not written.
    pub patch: u32,
    /// Whether the patch was written.
    pub has_patch: bool,
}

impl Version {
    /// Parses `MAJOR.MINOR` or `MAJOR.MINOR.PATCH`.
    pub fn parse(s: &str) -> Option<Version> {
        let mut parts = s.split('.');
        let number = |p: Option<&str>| -> Option<u32> {
            let p = p?;
            if p.is_empty() || p.len() > 6 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            p.parse().ok()
        };
        let major = number(parts.next())?;
        let minor = number(parts.next())?;
        let (patch, has_patch) = match parts.next() {
            None => (0, false),
            p => (number(p)?, true),
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Version {
            major,
            minor,
            patch,
            has_patch,
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)?;
        if self.has_patch {
            write!(f, ".{}", self.patch)?;
        }
        Ok(())
    }
}

/// The whole spec folder, loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// `pims.yaml`.
    pub manifest: Manifest,
    /// Every api file, sorted by api name.
    pub apis: Vec<ApiFile>,
}

/// `pims.yaml`: the SDK, its securities, components, error catalogue and shared types.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The SDK this spec describes.
    pub sdk: Sdk,
    /// Named security requirements.
    #[serde(default)]
    pub securities: NamedMap<Security>,
    /// Groups of apis, as the SDK documents them; keyed by UpperCamel tag.
    #[serde(default)]
    pub components: NamedMap<Component>,
    /// The one error catalogue; operations refer to codes.
    #[serde(default)]
    pub errors: Vec<ErrorDef>,
    /// Shared named types, keyed by UpperCamel name.
    #[serde(default)]
    pub types: NamedMap<Type>,
    /// The manifest file.
    #[schemars(skip)]
    pub file: FileId,
}

/// `sdk:` in `pims.yaml`.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sdk {
    /// The SDK's name.
    pub name: Sp<String>,
    /// The SDK release the spec describes, e.g. `"2.3"`.
    pub version: Sp<Version>,
}

/// A named security requirement.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Security {
    /// What it requires of the caller.
    pub description: Option<Sp<String>>,
}

/// How a component reaches the vehicle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Connectivity {
    /// Through the internet.
    Internet,
    /// Through Bluetooth.
    Bluetooth,
}

/// A group of apis, as the SDK documents them.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// The title the SDK's docs give it.
    pub title: Option<Sp<String>>,
    /// What it is for.
    pub description: Option<Sp<String>>,
    /// Securities its operations require, by default.
    #[serde(default)]
    pub security: Vec<Sp<String>>,
    /// Platforms its operations are available on, by default (PSA, FCA, O2X, …).
    #[serde(default)]
    pub compatibility: Vec<Sp<String>>,
    /// How it reaches the vehicle.
    pub connectivity: Option<Sp<Connectivity>>,
    /// The release that introduced it.
    pub since: Sp<Version>,
    /// The release that last changed it.
    pub updated: Option<Sp<Version>>,
}

/// One entry of the error catalogue.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorDef {
    /// The code the facade sends.
    pub code: Sp<i64>,
    /// UpperCamel name: the Rust variant.
    pub name: Sp<String>,
    /// `generic`, `input`, `output`, `pims`, `gigya`, …
    pub category: Sp<String>,
    /// The wire label, exactly as the SDK sends it; `[WORD]` is a placeholder.
    pub label: Sp<String>,
    /// Whether the error may carry `"subCode": [..]`.
    #[serde(default)]
    pub sub_codes: bool,
    /// What the error means, where the label does not say.
    pub description: Option<Sp<String>>,
}

/// An api file: one `pims.*` api name and its operations.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiFile {
    /// The api name, e.g. `pims.authentication.smscode`; it must match the file's path.
    pub api: Sp<String>,
    /// The component (declared in `pims.yaml`).
    pub component: Sp<String>,
    /// What the api is for.
    pub description: Option<Sp<String>>,
    /// Named types declared here (shared with the whole spec).
    #[serde(default)]
    pub types: NamedMap<Type>,
    /// The operations.
    pub operations: Vec<Operation>,
    /// The file.
    #[schemars(skip)]
    pub file: FileId,
    /// The file's path, relative to the spec folder.
    #[schemars(skip)]
    pub path: std::path::PathBuf,
}

/// How an operation is called. `unsubscribe` is implied by `subscribe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verb {
    /// `pims.get`
    Get,
    /// `pims.set`
    Set,
    /// `pims.subscribe`
    Subscribe,
}

impl Verb {
    /// As written.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::Set => "set",
            Verb::Subscribe => "subscribe",
        }
    }
}

/// The platforms of an operation or a field, where it exists on one only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// Android only.
    Android,
    /// iOS only.
    Ios,
}

impl Platform {
    /// As written.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Android => "android",
            Platform::Ios => "ios",
        }
    }
}

/// `deprecated:` `true`, or the reason.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(untagged)]
pub enum Deprecated {
    /// `true` or `false`.
    Flag(bool),
    /// Deprecated, for this reason.
    Reason(String),
}

/// One operation: an api name, a verb and a selector.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// Unique in its file; the Rust type's name.
    pub name: Sp<String>,
    /// The name the SDK's docs use, if different.
    pub title: Option<Sp<String>>,
    /// `get`, `set` or `subscribe`.
    pub verb: Sp<Verb>,
    /// The release that introduced it.
    pub since: Sp<Version>,
    /// The release that last changed it.
    pub updated: Option<Sp<Version>>,
    /// `true`, or why it is deprecated.
    pub deprecated: Option<Sp<Deprecated>>,
    /// The component, where it is not the api file's.
    pub component: Option<Sp<String>>,
    /// Securities required; overrides the component's.
    pub security: Option<Vec<Sp<String>>>,
    /// Platforms (PSA, FCA, O2X, …); overrides the component's.
    pub compatibility: Option<Vec<Sp<String>>>,
    /// `[android]` or `[ios]` where it exists on one only.
    pub platforms: Option<Vec<Sp<Platform>>>,
    /// What it does.
    pub description: Option<Sp<String>>,
    /// Related apis (`pims.a.b`) or operations (`pims.a.b#name`).
    #[serde(default)]
    pub related: Vec<Sp<String>>,
    /// Constant parameters that tell this operation apart; never fields of the request type.
    #[serde(default)]
    pub selector: NamedMap<Sp<Scalar>>,
    /// The parameters.
    #[serde(default)]
    pub parameters: NamedMap<Field>,
    /// What `SUCCEEDED` carries: `none` or a type.
    pub result: Option<Shape>,
    /// `subscribe` only: what each `RESULT` event carries.
    pub events: Option<Shape>,
    /// Catalogue codes it can fail with.
    #[serde(default)]
    pub errors: Vec<Sp<i64>>,
    /// Whole examples, checked against the schemas.
    #[serde(default)]
    pub examples: Vec<Example>,
    /// Where `name:` was written: the operation's place in the file.
    #[schemars(skip)]
    pub loc: Loc,
}

/// A constant: a selector value, an enumeration member.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(untagged)]
pub enum Scalar {
    /// A string.
    Str(String),
    /// An integer.
    Int(i64),
    /// A number.
    Num(f64),
    /// A boolean.
    Bool(bool),
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Str(s) => f.write_str(s),
            Scalar::Int(i) => write!(f, "{i}"),
            Scalar::Num(n) => write!(f, "{n}"),
            Scalar::Bool(b) => write!(f, "{b}"),
        }
    }
}

impl Scalar {
    /// As JSON.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Scalar::Str(s) => s.clone().into(),
            Scalar::Int(i) => (*i).into(),
            Scalar::Num(n) => serde_json::Number::from_f64(*n)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Scalar::Bool(b) => (*b).into(),
        }
    }
}

/// `result:` or `events:`: `none`, or a type.
#[allow(clippy::large_enum_variant)] // reason: a handful per operation; boxing buys nothing
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(untagged)]
pub enum Shape {
    /// `none`: no data (the facade sends `{}` or `null`).
    #[schemars(with = "NoneKeyword")]
    None(Loc),
    /// A type: usually an object, possibly a bare array.
    Type(Type),
}

/// The keyword `none`.
#[derive(JsonSchema)]
#[allow(dead_code)] // reason: exists for its schema only
enum NoneKeyword {
    #[serde(rename = "none")]
    None,
}

/// A type: `type` and the keys its kind allows.
#[derive(Debug, Clone, PartialEq)]
pub struct Type {
    /// The kind and its keys.
    pub kind: TypeKind,
    /// Where `type:` was written.
    pub kind_loc: Loc,
    /// Whether `null` is allowed too.
    pub nullable: bool,
    /// What it is.
    pub description: Option<Sp<String>>,
    /// Where the type's map starts.
    pub loc: Loc,
}

/// The kinds of type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// `string`
    String(StringType),
    /// `integer`
    Integer(NumberType),
    /// `number`
    Number(NumberType),
    /// `boolean`
    Boolean(BooleanType),
    /// `object`
    Object(ObjectType),
    /// `array`
    Array(ArrayType),
    /// `any`: free JSON.
    Any,
    /// An UpperCamel name from `types:`.
    Named(String),
}

impl TypeKind {
    /// The `type:` keyword.
    pub fn keyword(&self) -> &str {
        match self {
            TypeKind::String(_) => "string",
            TypeKind::Integer(_) => "integer",
            TypeKind::Number(_) => "number",
            TypeKind::Boolean(_) => "boolean",
            TypeKind::Object(_) => "object",
            TypeKind::Array(_) => "array",
            TypeKind::Any => "any",
            TypeKind::Named(name) => name,
        }
    }
}

/// Keys of a `string` type.
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StringType {
    /// `date-time`, `date`, `time`, `duration`, `email`, `uri`, `phone`, …
    pub format: Option<Sp<String>>,
    /// A regular expression the whole value must match (anchor it with `^…$`).
    pub pattern: Option<Sp<String>>,
    /// Fewest characters.
    pub min_length: Option<Sp<u64>>,
    /// Most characters.
    pub max_length: Option<Sp<u64>>,
    /// The members, if it is an enumeration.
    pub values: Option<Vec<EnumValue>>,
    /// A unit, for display.
    pub unit: Option<Sp<String>>,
}

/// Keys of an `integer` or `number` type.
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NumberType {
    /// Smallest value.
    pub minimum: Option<Sp<f64>>,
    /// Largest value.
    pub maximum: Option<Sp<f64>>,
    /// The members, if it is an enumeration.
    pub values: Option<Vec<EnumValue>>,
    /// `km`, `m`, `%`, `MHz`, `s`, `min`, …
    pub unit: Option<Sp<String>>,
}

/// Keys of a `boolean` type.
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BooleanType {
    /// What `true` and `false` mean.
    pub values: Option<Vec<EnumValue>>,
}

/// Keys of an `object` type.
#[derive(Debug, Clone, PartialEq, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectType {
    /// The fields, in order.
    #[serde(default)]
    pub fields: NamedMap<Field>,
    /// `true` to keep keys the spec does not list.
    #[serde(default)]
    pub additional: bool,
}

/// Keys of an `array` type.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArrayType {
    /// The type of each item.
    pub items: Box<Type>,
    /// Fewest items.
    pub min_items: Option<Sp<u64>>,
    /// Most items.
    pub max_items: Option<Sp<u64>>,
}

/// A member of an enumeration: a scalar, or `{value, description, name}`.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The wire value.
    pub value: Sp<Scalar>,
    /// What it means.
    pub description: Option<Sp<String>>,
    /// The Rust variant, where the value makes a poor one (`0`, `mon`).
    pub name: Option<Sp<String>>,
}

/// A parameter or an object's field: a type plus field keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Its type (with `description` and `nullable`).
    pub ty: Type,
    /// Whether it must be present.
    pub required: bool,
    /// A value, for docs and the built example; it must fit the type.
    pub example: Option<Node>,
    /// The value assumed when absent.
    pub default: Option<Node>,
    /// The release that introduced it.
    pub since: Option<Sp<Version>>,
    /// `[android]` or `[ios]` where it exists on one only.
    pub platforms: Option<Vec<Sp<Platform>>>,
}

/// A whole example of an operation.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// What it shows.
    pub summary: Option<Sp<String>>,
    /// The parameters, without the selector (it is added).
    #[schemars(with = "Option<serde_json::Map<String, serde_json::Value>>")]
    pub parameters: Option<Node>,
    /// The `result` of the `SUCCEEDED` message.
    #[schemars(with = "Option<serde_json::Value>")]
    pub result: Option<Node>,
    /// Subscriptions: the `result` of `RESULT` events.
    #[schemars(with = "Option<Vec<serde_json::Value>>")]
    pub events: Option<Vec<Node>>,
    /// The code of the `FAILED` message, instead of a result.
    pub error: Option<Sp<i64>>,
    /// Where the example starts.
    #[schemars(skip)]
    pub loc: Loc,
}
