//! The message envelope the facade's callback receives, decoded defensively.
//!
//! ```json
//! {"transactionId": "953cfefb-bc72", "status": "SUCCEEDED", "result": {}}
//! {"transactionId": "953cfefb-bc72", "status": "FAILED", "error": {"code": 2101, "label": "Missing [PARAMETER] parameter"}}
//! ```
//!
//! Nothing a facade sends can make decoding panic: unknown statuses, wrong
//! kinds, missing keys, numbers out of range and nesting deeper than
//! `serde_json`'s recursion limit all give a [`DecodeError`].

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::operation::{FromWire, Operation, Subscription};

/// The `status` of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// `SUCCEEDED`: the call's answer (or a subscription's acknowledgement).
    Succeeded,
    /// `FAILED`: the call failed with an `error`.
    Failed,
    /// `RESULT`: an event of a subscription, carrying a `result` or an `error`.
    Result,
}

impl Status {
    /// The status as sent on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::Result => "RESULT",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "SUCCEEDED" => Some(Status::Succeeded),
            "FAILED" => Some(Status::Failed),
            "RESULT" => Some(Status::Result),
            _ => None,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `error` object of a `FAILED` message or of a failed `RESULT` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireError {
    /// The catalogue code, e.g. `2101`.
    pub code: i64,
    /// The label, possibly with its placeholders filled in.
    pub label: String,
    /// Sub-codes, sent with some codes (`2204 Server Error`, …).
    #[serde(rename = "subCode", default, skip_serializing_if = "Option::is_none")]
    pub sub_code: Option<Vec<Value>>,
}

/// A decoded message: its transaction and either the typed result or the typed error.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply<T, E> {
    /// The opaque `transactionId` of the message.
    pub transaction_id: String,
    /// `Ok` for `SUCCEEDED` (or a `RESULT` event with a `result`), `Err` for an `error`.
    pub outcome: Result<T, E>,
}

/// A message that could not be decoded: it names what was wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Where in the message, as a dotted path (`result.status`), empty for the whole message.
    pub path: String,
    /// What was wrong.
    pub reason: String,
}

impl DecodeError {
    fn new(path: impl Into<String>, reason: impl Into<String>) -> Self {
        DecodeError {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "invalid message: {}", self.reason)
        } else {
            write!(f, "invalid message at `{}`: {}", self.path, self.reason)
        }
    }
}

impl std::error::Error for DecodeError {}

/// The envelope, before the payload is typed.
#[derive(Debug)]
struct Envelope {
    transaction_id: String,
    status: Status,
    result: Option<Value>,
    error: Option<Value>,
}

fn envelope(text: &str) -> Result<Envelope, DecodeError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| DecodeError::new("", format!("not valid JSON: {e}")))?;
    let Value::Object(mut object) = value else {
        return Err(DecodeError::new(
            "",
            format!("expected a JSON object, found {}", kind(&value)),
        ));
    };
    let transaction_id = match object.remove("transactionId") {
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(DecodeError::new(
                "transactionId",
                format!("expected a string, found {}", kind(&other)),
            ));
        }
        None => return Err(DecodeError::new("transactionId", "missing")),
    };
    let status = match object.remove("status") {
        Some(Value::String(s)) => Status::parse(&s).ok_or_else(|| {
            DecodeError::new(
                "status",
                format!("unknown status {s:?}: expected SUCCEEDED, FAILED or RESULT"),
            )
        })?,
        Some(other) => {
            return Err(DecodeError::new(
                "status",
                format!("expected a string, found {}", kind(&other)),
            ));
        }
        None => return Err(DecodeError::new("status", "missing")),
    };
    Ok(Envelope {
        transaction_id,
        status,
        result: object.remove("result"),
        error: object.remove("error"),
    })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Decodes `value` (at `path` in the message) into `T`, naming the inner path on failure.
fn typed<T: DeserializeOwned>(path: &str, value: Value) -> Result<T, DecodeError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let inner = e.path().to_string();
        let at = if inner == "." || inner.is_empty() {
            path.to_owned()
        } else {
            format!("{path}.{inner}")
        };
        DecodeError::new(at, e.into_inner().to_string())
    })
}

/// Decodes a `result` (`what` names the message, for errors).
///
/// What a missing `result` means depends on the type: for an operation with
/// no data (`()`) it is the no data it announces, as are `null` and `{}`; for
/// a nullable result (`Option<T>`) it is `None`, as is `null`; for anything
/// else (an object, a list, a value) the message lacks what the spec says it
/// carries, and decoding fails rather than invent a value (an object with
/// every field absent).
fn result<T: DeserializeOwned>(value: Option<Value>, what: &str) -> Result<T, DecodeError> {
    let Some(value) = value else {
        return typed::<T>("result", Value::Null)
            .map_err(|_| DecodeError::new("result", format!("missing: {what} carries a result")));
    };
    let empty = matches!(&value, Value::Object(o) if o.is_empty());
    match typed("result", value) {
        Ok(t) => Ok(t),
        // `{}` for "no data"
        Err(first) if empty => typed("result", Value::Null).map_err(|_| first),
        Err(first) => Err(first),
    }
}

fn error<E: FromWire>(value: Option<Value>) -> Result<E, DecodeError> {
    let value = value.ok_or_else(|| DecodeError::new("error", "missing"))?;
    let wire: WireError = typed("error", value)?;
    Ok(E::from_wire(wire))
}

/// Decodes the answer to a call of `O`: a `SUCCEEDED` or `FAILED` message.
pub fn decode_reply<O: Operation>(text: &str) -> Result<Reply<O::Result, O::Error>, DecodeError> {
    let env = envelope(text)?;
    let outcome = match env.status {
        Status::Succeeded => Ok(result::<O::Result>(
            env.result,
            &format!("a SUCCEEDED answer to {} {}", O::API, O::NAME),
        )?),
        Status::Failed => Err(error::<O::Error>(env.error)?),
        Status::Result => {
            return Err(DecodeError::new(
                "status",
                format!(
                    "RESULT is an event, but {} {} is answered with SUCCEEDED or FAILED",
                    O::API,
                    O::NAME
                ),
            ));
        }
    };
    Ok(Reply {
        transaction_id: env.transaction_id,
        outcome,
    })
}

/// Decodes an event of subscription `S`: a `RESULT` message with a `result` or an `error`.
pub fn decode_event<S: Subscription>(text: &str) -> Result<Reply<S::Event, S::Error>, DecodeError> {
    let env = envelope(text)?;
    if env.status != Status::Result {
        return Err(DecodeError::new(
            "status",
            format!(
                "expected RESULT for an event of {} {}, found {}",
                S::API,
                S::NAME,
                env.status
            ),
        ));
    }
    let outcome = match (env.result, env.error) {
        (_, Some(error)) => Err(self::error::<S::Error>(Some(error))?),
        (result, None) => Ok(self::result::<S::Event>(
            result,
            &format!("a RESULT event of {} {}", S::API, S::NAME),
        )?),
    };
    Ok(Reply {
        transaction_id: env.transaction_id,
        outcome,
    })
}
