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

/// Decoding in one pass, straight from the text into the types.
///
/// The rest of this module is the reference: the message parsed into a
/// `serde_json::Value`, then each part typed with the path of what is wrong.
/// Building the tree costs several times the typing itself, so messages are
/// first decoded straight from the text, the envelope's keys read as they
/// come and `result` typed where it stands. This gives up (and the reference
/// decodes, and names what is wrong) at anything it is not sure to decode as
/// the reference would: a key twice (the tree keeps the last), a status or
/// an `error` that is not what the message needs, a `result` that does not
/// type where it stands (`{}` for no data), any invalid JSON. Everything is
/// read through [`Strict`](crate::strict::Strict), so what the types ignore
/// is read as strictly as the tree reads it (nesting limit, escapes, the
/// range of numbers): a message the tree refuses is never accepted here.
mod fast {
    use std::fmt;
    use std::marker::PhantomData;

    use serde::Deserialize;
    use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};

    use super::{Reply, Status, WireError};
    use crate::operation::FromWire;
    use crate::strict::{Skip, Strict};

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) enum Expect {
        /// `SUCCEEDED` or `FAILED`.
        Reply,
        /// `RESULT`.
        Event,
    }

    pub(super) fn decode<T: DeserializeOwned, E: FromWire>(
        text: &str,
        expect: Expect,
    ) -> Option<Reply<T, E>> {
        let mut de = serde_json::Deserializer::from_str(text);
        let parts = Strict(&mut de)
            .deserialize_map(Envelope::<T> {
                expect,
                result: PhantomData,
            })
            .ok()?;
        de.end().ok()?;
        let transaction_id = parts.transaction_id?;
        let outcome = match (expect, parts.status?) {
            (Expect::Reply, Status::Succeeded) => Ok(result(parts.result)?),
            (Expect::Reply, Status::Failed) => Err(E::from_wire(parts.error?)),
            (Expect::Event, Status::Result) => match parts.error {
                Some(error) => Err(E::from_wire(error)),
                None => Ok(result(parts.result)?),
            },
            _ => return None,
        };
        Some(Reply {
            transaction_id,
            outcome,
        })
    }

    /// A `result` as it was typed, or, when absent, what the type makes of
    /// `null` (no data, `None`), as the reference does.
    fn result<T: DeserializeOwned>(typed: Option<T>) -> Option<T> {
        match typed {
            Some(t) => Some(t),
            None => T::deserialize(serde_json::Value::Null).ok(),
        }
    }

    struct Parts<T> {
        transaction_id: Option<String>,
        status: Option<Status>,
        result: Option<T>,
        error: Option<WireError>,
    }

    struct Envelope<T> {
        expect: Expect,
        result: PhantomData<fn() -> T>,
    }

    /// Any error: the reference decodes, and says what is wrong.
    fn give_up<E: de::Error>() -> E {
        E::custom("decoded by the reference")
    }

    impl<'de, T: DeserializeOwned> Visitor<'de> for Envelope<T> {
        type Value = Parts<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a message")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parts<T>, A::Error> {
            let mut parts = Parts {
                transaction_id: None,
                status: None,
                result: None,
                error: None,
            };
            let (mut has_result, mut has_error) = (false, false);
            while let Some(key) = map.next_key::<Key>()? {
                match key {
                    Key::TransactionId => {
                        if parts.transaction_id.is_some() {
                            return Err(give_up());
                        }
                        parts.transaction_id = Some(map.next_value()?);
                    }
                    Key::Status => {
                        if parts.status.is_some() {
                            return Err(give_up());
                        }
                        let status: StatusText = map.next_value()?;
                        parts.status = Some(status.0);
                    }
                    Key::Result => {
                        if std::mem::replace(&mut has_result, true) {
                            return Err(give_up());
                        }
                        // a `result` the outcome cannot use is not typed
                        let unused = match self.expect {
                            Expect::Reply => parts.status.is_some_and(|s| s != Status::Succeeded),
                            Expect::Event => has_error,
                        };
                        if unused {
                            map.next_value::<Skip>()?;
                        } else {
                            parts.result = Some(map.next_value()?);
                        }
                    }
                    Key::Error => {
                        if std::mem::replace(&mut has_error, true) {
                            return Err(give_up());
                        }
                        let unused = self.expect == Expect::Reply
                            && parts.status.is_some_and(|s| s != Status::Failed);
                        if unused {
                            map.next_value::<Skip>()?;
                        } else {
                            parts.error = Some(map.next_value()?);
                            // a `result` before the error is not used
                            if self.expect == Expect::Event {
                                parts.result = None;
                            }
                        }
                    }
                    Key::Other => {
                        map.next_value::<Skip>()?;
                    }
                }
            }
            if self.expect == Expect::Reply && parts.status != Some(Status::Succeeded) {
                parts.result = None;
            }
            Ok(parts)
        }
    }

    enum Key {
        TransactionId,
        Status,
        Result,
        Error,
        Other,
    }

    impl<'de> Deserialize<'de> for Key {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = Key;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a key")
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                    Ok(match v {
                        "transactionId" => Key::TransactionId,
                        "status" => Key::Status,
                        "result" => Key::Result,
                        "error" => Key::Error,
                        _ => Key::Other,
                    })
                }
            }
            deserializer.deserialize_str(V)
        }
    }

    struct StatusText(Status);

    impl<'de> Deserialize<'de> for StatusText {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StatusText, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = StatusText;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a status")
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<StatusText, E> {
                    Status::parse(v).map(StatusText).ok_or_else(give_up)
                }
            }
            deserializer.deserialize_str(V)
        }
    }
}

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

/// [`decode_reply`]'s one pass alone: `None` where it gives the message to
/// the reference. Public for the runtime's tests only.
#[doc(hidden)]
pub fn fast_reply<O: Operation>(text: &str) -> Option<Reply<O::Result, O::Error>> {
    fast::decode::<O::Result, O::Error>(text, fast::Expect::Reply)
}

/// [`decode_event`]'s one pass alone, as [`fast_reply`].
#[doc(hidden)]
pub fn fast_event<S: Subscription>(text: &str) -> Option<Reply<S::Event, S::Error>> {
    fast::decode::<S::Event, S::Error>(text, fast::Expect::Event)
}

/// Decodes the answer to a call of `O`: a `SUCCEEDED` or `FAILED` message.
pub fn decode_reply<O: Operation>(text: &str) -> Result<Reply<O::Result, O::Error>, DecodeError> {
    match fast::decode::<O::Result, O::Error>(text, fast::Expect::Reply) {
        Some(reply) => Ok(reply),
        None => reference_reply::<O>(text),
    }
}

/// [`decode_reply`] through the `Value` tree: what the fast path must agree
/// with. Public for the runtime's tests only.
#[doc(hidden)]
pub fn reference_reply<O: Operation>(
    text: &str,
) -> Result<Reply<O::Result, O::Error>, DecodeError> {
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
    match fast::decode::<S::Event, S::Error>(text, fast::Expect::Event) {
        Some(reply) => Ok(reply),
        None => reference_event::<S>(text),
    }
}

/// [`decode_event`] through the `Value` tree: what the fast path must agree
/// with. Public for the runtime's tests only.
#[doc(hidden)]
pub fn reference_event<S: Subscription>(
    text: &str,
) -> Result<Reply<S::Event, S::Error>, DecodeError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{Call, Check, Const, Verb};

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    enum Kind {
        #[serde(rename = "a")]
        A,
        #[serde(untagged)]
        Unlisted(crate::Unknown),
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Data {
        id: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        level: Option<f64>,
        kinds: Vec<Kind>,
        free: Option<Value>,
        #[serde(flatten)]
        additional: serde_json::Map<String, Value>,
    }

    #[derive(Debug, Clone, PartialEq)]
    enum Failure {
        Missing(Option<String>),
        Other(i64, String),
    }

    impl FromWire for Failure {
        fn from_wire(error: WireError) -> Self {
            match error.code {
                2101 => {
                    let [p] = crate::label::captures("Missing [P] parameter", &error.label);
                    Failure::Missing(p)
                }
                code => Failure::Other(code, error.label),
            }
        }
    }

    impl fmt::Display for Failure {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{self:?}")
        }
    }

    impl std::error::Error for Failure {}

    macro_rules! operation {
        ($name:ident, $result:ty) => {
            #[derive(Debug, Serialize, Deserialize)]
            struct $name;
            impl Operation for $name {
                const API: &'static str = "pims.test";
                const NAME: &'static str = stringify!($name);
                const VERB: Verb = Verb::Subscribe;
                const SELECTOR: &'static [(&'static str, Const)] = &[];
                const CHECKS: &'static [Check] = &[];
                type Result = $result;
                type Error = Failure;
            }
            impl Call for $name {}
            impl Subscription for $name {
                type Event = $result;
            }
        };
    }

    /// Unknown keys are ignored (`IgnoredAny`), not kept.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Plain {
        id: i64,
    }

    operation!(WithData, Data);
    operation!(WithPlain, Plain);
    operation!(NoData, ());
    operation!(Nullable, Option<Data>);

    fn messages() -> Vec<String> {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let data =
            r#"{"id":1,"level":0.5,"kinds":["a","b"],"free":{"x":[1,2.5e3,"é"]},"extra":true}"#;
        let mut out: Vec<String> = [
            format!(r#"{{"transactionId":"t","status":"SUCCEEDED","result":{data}}}"#),
            format!(r#"{{"result":{data},"status":"SUCCEEDED","transactionId":"t"}}"#),
            format!(r#"{{"result":{data},"status":"FAILED","transactionId":"t","error":{{"code":2101,"label":"Missing vin parameter"}}}}"#),
            format!(r#"{{"transactionId":"t","status":"RESULT","result":{data}}}"#),
            format!(r#"{{"transactionId":"t","status":"RESULT","result":{data},"error":{{"code":1,"label":"x"}}}}"#),
            format!(r#"{{"transactionId":"t","status":"RESULT","error":{{"code":1,"label":"x"}},"result":{data}}}"#),
            r#"{"transactionId":"t","status":"RESULT","error":{"code":1,"label":"x"},"result":{"id":"bad"}}"#.to_owned(),
            format!(r#"{{"transactionId":"t","status":"SUCCEEDED","result":{data},"error":{{"code":"bad"}}}}"#),
            format!(r#"{{"transactionId":"t","status":"SUCCEEDED","error":{{"code":"bad"}},"result":{data}}}"#),
            format!(r#"{{"transactionId":"t","status":"SUCCEEDED","result":{data},"other":{deep}}}"#),
            format!(r#"{{"transactionId":"t","status":"FAILED","result":{deep},"error":{{"code":2,"label":"y"}}}}"#),
            format!(r#"{{"transactionId":"t","transactionId":"u","status":"SUCCEEDED","result":{data}}}"#),
            format!(r#"{{"transactionId":"t","status":"SUCCEEDED","status":"FAILED","result":{data}}}"#),
            r#"{"transactionId":"t","status":"SUCCEEDED","result":{"id":1,"id":2,"kinds":[]}}"#.to_owned(),
            r#"{"transactionId":"t","status":"SUCCEEDED","result":{"id":1,"kinds":[],"x":1,"x":2}}"#.to_owned(),
            format!(r#"{{"transactionId":"t","status":"SUCCEEDED","result":{data}}} x"#),
            format!(r#"{{"transactionId":"t","status":"SUCCEEDED","result":{data}}}  "#),
            r#"{"transactionId":"t","status":"SUCCEEDED","result":{}}"#.to_owned(),
            r#"{"transactionId":"t","status":"SUCCEEDED","result":null}"#.to_owned(),
            r#"{"transactionId":"t","status":"SUCCEEDED"}"#.to_owned(),
            r#"{"transactionId":"t","status":"RESULT"}"#.to_owned(),
            r#"{"transactionId":"t","status":"RESULT","result":{}}"#.to_owned(),
            r#"{"transactionId":"t","status":"FAILED","error":{"code":2101,"label":"Missing [P] parameter","subCode":[1]}}"#.to_owned(),
            r#"{"transactionId":"t","status":"FAILED","error":{"code":2101,"label":"x","label":"Missing a parameter"}}"#.to_owned(),
            r#"{"transactionId":"t","status":"FAILED"}"#.to_owned(),
            r#"{"transactionId":"t","status":"failed","error":{"code":1,"label":"x"}}"#.to_owned(),
            r#"{"transactionId":7,"status":"SUCCEEDED"}"#.to_owned(),
            r#"{"status":"SUCCEEDED"}"#.to_owned(),
            r#"{"transactionId":"t\u00e9\ud83d\ude00","status":"SUCCEEDED","result":null}"#.to_owned(),
            r#"{"transactionId":"t","status":"SUCCEEDED","result":null,"x":"\ud800"}"#.to_owned(),
            r#"{"transactionId":"t","status":"SUCCEEDED","result":null,"x":1e400}"#.to_owned(),
            // what a `Value` parse refuses, where the types ignore it
            r#"{"transactionId":"t","status":"SUCCEEDED","result":{"id":1,"kinds":[],"zz":"\ud800"}}"#.to_owned(),
            r#"{"transactionId":"t","status":"SUCCEEDED","result":{"id":1,"kinds":[],"zz":1e400}}"#.to_owned(),
            format!(r#"{{"transactionId":"t","status":"SUCCEEDED","result":{{"id":1,"kinds":[],"zz":{deep}}}}}"#),
            r#"{"transactionId":"t","status":"FAILED","error":{"code":1,"label":"x","zz":"\udc00"}}"#.to_owned(),
            r#"{"transactionId":"t","status":"RESULT","error":{"code":1,"label":"x","zz":-1e999}}"#.to_owned(),
            r#"[1]"#.to_owned(),
            r#""#.to_owned(),
            r#"{"#.to_owned(),
        ]
        .to_vec();
        // every prefix of a message is invalid JSON, or a valid other message
        let whole = out[2].clone();
        out.extend(
            (0..whole.len())
                .filter(|i| whole.is_char_boundary(*i))
                .map(|i| whole[..i].to_owned()),
        );
        out
    }

    fn agree<O: Call + Subscription<Error = Failure>>()
    where
        O::Result: PartialEq + fmt::Debug,
        O::Event: PartialEq + fmt::Debug,
    {
        for m in messages() {
            let reference = reference_reply::<O>(&m);
            let fast = fast::decode::<O::Result, Failure>(&m, fast::Expect::Reply);
            match &reference {
                Ok(r) => assert_eq!(fast.as_ref().unwrap_or(r), r, "{m}"),
                Err(_) => assert!(fast.is_none(), "{m}"),
            }
            assert_eq!(decode_reply::<O>(&m), reference, "{m}");
            let reference = reference_event::<O>(&m);
            let fast = fast::decode::<O::Event, Failure>(&m, fast::Expect::Event);
            match &reference {
                Ok(r) => assert_eq!(fast.as_ref().unwrap_or(r), r, "{m}"),
                Err(_) => assert!(fast.is_none(), "{m}"),
            }
            assert_eq!(decode_event::<O>(&m), reference, "{m}");
        }
    }

    #[test]
    fn the_fast_path_decodes_as_the_reference() {
        agree::<WithData>();
        agree::<WithPlain>();
        agree::<NoData>();
        agree::<Nullable>();
        // and it is the path taken for ordinary messages
        let m = &messages()[0];
        assert!(fast::decode::<Data, Failure>(m, fast::Expect::Reply).is_some());
    }
}
