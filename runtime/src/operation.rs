//! The traits generated operations implement, and the data they carry.

#[cfg(feature = "schemars")]
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

#[cfg(feature = "schemars")]
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::message::WireError;
pub use crate::pattern::Pattern;
use crate::validate::View;

/// How an operation is called: `pims.get`, `pims.set`, `pims.subscribe` or
/// `pims.unsubscribe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verb {
    /// `pims.get`
    Get,
    /// `pims.set`
    Set,
    /// `pims.subscribe`: an acknowledgement, then any number of `RESULT` events.
    Subscribe,
    /// `pims.unsubscribe`: takes the api name only.
    Unsubscribe,
}

impl Verb {
    /// The verb as the facade's method name: `get`, `set`, `subscribe`, `unsubscribe`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::Set => "set",
            Verb::Subscribe => "subscribe",
            Verb::Unsubscribe => "unsubscribe",
        }
    }
}

impl fmt::Display for Verb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A constant scalar in generated data: a selector value, an enumeration member.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Const {
    /// A string.
    Str(&'static str),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Num(f64),
    /// A boolean.
    Bool(bool),
}

impl Const {
    /// The constant as JSON.
    pub fn to_json(self) -> Value {
        match self {
            Const::Str(s) => Value::from(s),
            Const::Int(i) => Value::from(i),
            Const::Num(n) => Value::from(n),
            Const::Bool(b) => Value::from(b),
        }
    }

    /// Whether `value` is this constant (numbers compare by value: `1` is `1.0`).
    pub fn matches(self, value: &Value) -> bool {
        match value {
            Value::String(s) => self.matches_view(&View::Str(s)),
            Value::Bool(b) => self.matches_view(&View::Bool(*b)),
            Value::Number(n) => self.matches_view(&View::Number(n.clone())),
            _ => false,
        }
    }

    pub(crate) fn matches_view(self, value: &View<'_>) -> bool {
        match (self, value) {
            (Const::Str(s), View::Str(v)) => s == *v,
            (Const::Bool(b), View::Bool(v)) => b == *v,
            (Const::Int(i), View::Number(n)) => {
                n.as_i64() == Some(i) || n.as_f64().is_some_and(|f| f == i as f64)
            }
            (Const::Num(x), View::Number(n)) => n.as_f64() == Some(x),
            _ => false,
        }
    }
}

impl fmt::Display for Const {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Const::Str(s) => write!(f, "{s:?}"),
            Const::Int(i) => write!(f, "{i}"),
            Const::Num(n) => write!(f, "{n}"),
            Const::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// One operation of the SDK: a request type that serializes to the exact wire
/// parameters, with what the call needs to know about it.
///
/// Implemented by generated code only; the impl is data.
pub trait Operation: Serialize + 'static {
    /// The api name, e.g. `pims.authentication.smscode`.
    const API: &'static str;
    /// The operation's name in the spec, e.g. `phoneNumberCertification`.
    const NAME: &'static str;
    /// How it is called.
    const VERB: Verb;
    /// The constant parameters that select this operation among the api's
    /// others, in wire order.
    const SELECTOR: &'static [(&'static str, Const)];
    /// The constraints its parameters must meet before anything is sent.
    const CHECKS: &'static [Check];
    /// What a `SUCCEEDED` message carries (`()` when the operation returns no data).
    type Result: DeserializeOwned;
    /// The errors the operation can fail with.
    type Error: FromWire + std::error::Error;
}

/// An operation answered once: `get` and `set`.
pub trait Call: Operation {}

/// An operation that answers with an acknowledgement, then `RESULT` events.
pub trait Subscription: Operation {
    /// What each `RESULT` event carries.
    type Event: DeserializeOwned;
}

/// Builds a typed error from the `error` object of a `FAILED` message.
pub trait FromWire: Sized {
    /// Never fails: codes the type does not know land in its catch-all.
    fn from_wire(error: WireError) -> Self;
}

/// The `I`-th selector constant of operation `O`, as a field of `O`.
///
/// It serializes to `O::SELECTOR[I]` and refuses to deserialize from anything
/// else, so parameters that carry another operation's selector do not decode
/// into `O`. It has no state, and every value of it is equal.
pub struct Selector<O, const I: usize>(PhantomData<fn() -> O>);

impl<O: Operation, const I: usize> Selector<O, I> {
    /// The selector value.
    pub const fn new() -> Self {
        Selector(PhantomData)
    }

    fn entry() -> Option<&'static (&'static str, Const)> {
        O::SELECTOR.get(I)
    }
}

impl<O: Operation, const I: usize> Default for Selector<O, I> {
    fn default() -> Self {
        Self::new()
    }
}

impl<O, const I: usize> Clone for Selector<O, I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O, const I: usize> Copy for Selector<O, I> {}

impl<O, const I: usize> PartialEq for Selector<O, I> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<O, const I: usize> Eq for Selector<O, I> {}

impl<O: Operation, const I: usize> fmt::Debug for Selector<O, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match Self::entry() {
            Some((key, value)) => write!(f, "{key}={value}"),
            None => f.write_str("<no selector>"),
        }
    }
}

impl<O: Operation, const I: usize> Serialize for Selector<O, I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match Self::entry() {
            Some((_, value)) => value.to_json().serialize(serializer),
            None => Err(serde::ser::Error::custom(format_args!(
                "{} has no selector #{I}",
                O::NAME
            ))),
        }
    }
}

impl<'de, O: Operation, const I: usize> Deserialize<'de> for Selector<O, I> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let found = Value::deserialize(deserializer)?;
        match Self::entry() {
            Some((_, expected)) if expected.matches(&found) => Ok(Self::new()),
            Some((key, expected)) => Err(D::Error::custom(format_args!(
                "`{key}` is {found}, but {} {} requires {expected}",
                O::API,
                O::NAME
            ))),
            None => Err(D::Error::custom(format_args!(
                "{} has no selector #{I}",
                O::NAME
            ))),
        }
    }
}

#[cfg(feature = "schemars")]
impl<O: Operation, const I: usize> JsonSchema for Selector<O, I> {
    fn schema_name() -> Cow<'static, str> {
        match Self::entry() {
            Some((key, value)) => Cow::Owned(format!("Selector_{key}_{value}")),
            None => Cow::Borrowed("Selector"),
        }
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut map = serde_json::Map::new();
        if let Some((_, value)) = Self::entry() {
            map.insert("const".into(), value.to_json());
        }
        Schema::from(map)
    }

    fn inline_schema() -> bool {
        true
    }
}

/// A step in the path from the parameters object to a checked value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Seg {
    /// An object key.
    Key(&'static str),
    /// Every item of an array.
    Each,
}

/// A constraint a parameter must meet. Absent values (an optional parameter
/// not given) and `null` meet every rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// The string matches this regular expression (`regex-lite` syntax),
    /// read when the crate compiles (`&Pattern::new("^[0-9]+$")`).
    Pattern(&'static Pattern),
    /// At least this many characters.
    MinLength(u64),
    /// At most this many characters.
    MaxLength(u64),
    /// The number is at least this.
    Minimum(f64),
    /// The number is at most this.
    Maximum(f64),
    /// At least this many items.
    MinItems(u64),
    /// At most this many items.
    MaxItems(u64),
    /// The value is one of these (an enumeration's members).
    OneOf(&'static [Const]),
}

/// One row of an operation's [`Operation::CHECKS`] table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Check {
    /// Where the value is, from the parameters object.
    pub path: &'static [Seg],
    /// What it must meet.
    pub rule: Rule,
}

/// Parameters refused before anything was sent.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidParameter {
    /// The parameter, as a dotted wire path (`destination.latitude`, `ids[2]`).
    pub parameter: String,
    /// What it had to be.
    pub reason: String,
}

impl fmt::Display for InvalidParameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid parameter `{}`: {}", self.parameter, self.reason)
    }
}

impl std::error::Error for InvalidParameter {}

/// The wire parameters of `operation` as JSON text (an object, selector
/// included), after checking every rule of [`Operation::CHECKS`]: what the
/// facade sends. The same text and the same errors as
/// [`encode_parameters`] then `to_string`, written in one pass.
pub fn encode_parameters_text<O: Operation>(operation: &O) -> Result<String, InvalidParameter> {
    crate::encode::text(operation)
}

/// Serializes `operation` to its wire parameters (a JSON object, selector
/// included) after checking every rule of [`Operation::CHECKS`].
pub fn encode_parameters<O: Operation>(
    operation: &O,
) -> Result<serde_json::Map<String, Value>, InvalidParameter> {
    let value = serde_json::to_value(operation).map_err(|e| InvalidParameter {
        parameter: O::NAME.to_owned(),
        reason: e.to_string(),
    })?;
    let Value::Object(parameters) = value else {
        return Err(InvalidParameter {
            parameter: O::NAME.to_owned(),
            reason: "parameters must serialize to a JSON object".to_owned(),
        });
    };
    crate::validate::check_all(O::CHECKS, &parameters)?;
    Ok(parameters)
}
