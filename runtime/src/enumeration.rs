//! The catch-all of generated enumerations.
//!
//! Every generated enumeration ends with `Unlisted(pims_runtime::Unknown)`: a
//! value the facade sent that the spec does not list decodes into it, so an SDK
//! update that adds a member does not break old clients. Sending one is
//! refused: the operation's checks only accept the members the spec lists.

#[cfg(feature = "schemars")]
use std::borrow::Cow;
use std::fmt;

#[cfg(feature = "schemars")]
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A received enumeration value that the spec does not list: a string for a
/// string enumeration, an integer for an integer one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Unknown(Repr);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Repr {
    Str(String),
    Int(i64),
}

impl Unknown {
    /// The value, when it was a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.0 {
            Repr::Str(s) => Some(s),
            Repr::Int(_) => None,
        }
    }

    /// The value, when it was an integer.
    pub fn as_i64(&self) -> Option<i64> {
        match &self.0 {
            Repr::Str(_) => None,
            Repr::Int(i) => Some(*i),
        }
    }
}

/// For generated integer enumerations only: an integer the spec does not list.
#[doc(hidden)]
impl From<i64> for Unknown {
    fn from(value: i64) -> Self {
        Unknown(Repr::Int(value))
    }
}

/// For generated integer enumerations only.
#[doc(hidden)]
impl From<Unknown> for i64 {
    fn from(value: Unknown) -> Self {
        match value.0 {
            Repr::Int(i) => i,
            // an integer enumeration only ever receives integers
            Repr::Str(_) => i64::MIN,
        }
    }
}

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Str(s) => f.write_str(s),
            Repr::Int(i) => write!(f, "{i}"),
        }
    }
}

impl Serialize for Unknown {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Str(s) => serializer.serialize_str(s),
            Repr::Int(i) => serializer.serialize_i64(*i),
        }
    }
}

impl<'de> Deserialize<'de> for Unknown {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Unknown;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Unknown, E> {
                Ok(Unknown(Repr::Str(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Unknown, E> {
                Ok(Unknown(Repr::Str(v)))
            }
        }
        // integer enumerations decode through `From<i64>`, never here
        deserializer.deserialize_str(V)
    }
}

#[cfg(feature = "schemars")]
impl JsonSchema for Unknown {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Unknown")
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut map = serde_json::Map::new();
        map.insert("type".into(), "string".into());
        Schema::from(map)
    }

    fn inline_schema() -> bool {
        true
    }
}
