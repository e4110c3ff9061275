//! The decoders of the message target, generic over an operation's generated
//! types; `build.rs` instantiates them for every operation of `spec/`
//! (`OPERATIONS`).
//!
//! What must hold, for any text:
//! - decoding never panics, and neither do `Debug` and `Display` of what it gives;
//! - a decoded result or event encodes and decodes back to itself;
//! - a decoded error keeps the code the message carried (`code()`);
//! - parameters that decode into a request and pass its checks encode back
//!   to parameters that decode into the same request.

use std::fmt::Debug;

use pims_runtime::serde::Serialize;
use pims_runtime::serde::de::DeserializeOwned;
use pims_runtime::{Operation as Op, Subscription, decode_event, decode_reply, encode_parameters};
use serde_json::Value;

use crate::guard::{Failure, Kind};

/// A decoder of one operation's messages.
pub type Decoder = fn(&str) -> Result<Decoded, Failure>;

/// One operation of `spec/`, with its decoders.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// Its api.
    pub api: &'static str,
    /// Its verb.
    pub verb: &'static str,
    /// Its name in the spec.
    pub name: &'static str,
    /// Decodes an answer to a call.
    pub reply: Decoder,
    /// Decodes an event, for a subscription.
    pub event: Option<Decoder>,
    /// Decodes parameters into the request, and encodes them back.
    pub parameters: Decoder,
}

/// How a decoding ended, for the statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoded {
    /// A result, an event, or a request that passed its checks.
    Data,
    /// A typed error of the operation.
    Error,
    /// Refused: a `DecodeError`, a request that does not decode or fails its checks.
    Refused,
}

include!(concat!(env!("OUT_DIR"), "/dispatch.rs"));

/// The operation `verb name` of `api`.
pub fn find(api: &str, verb: &str, name: &str) -> Option<&'static Operation> {
    OPERATIONS
        .iter()
        .find(|o| o.api == api && o.verb == verb && o.name == name)
}

fn invariant(name: &str, message: impl Into<String>) -> Failure {
    Failure::new(Kind::Invariant, name, message)
}

/// The `error.code` the message carried.
fn wire_code(text: &str) -> Option<i64> {
    let value: Value = serde_json::from_str(text).ok()?;
    value.get("error")?.get("code")?.as_i64()
}

/// Re-encodes `data` as the `result` of a message with `status`, and decodes it again.
fn round_trip<T, E>(
    data: &T,
    status: &str,
    decode: impl Fn(&str) -> Result<pims_runtime::Reply<T, E>, pims_runtime::DecodeError>,
) -> Result<(), Failure>
where
    T: Serialize + PartialEq + Debug,
    E: Debug,
{
    const NAME: &str = "a decoded result encodes and decodes back to itself";
    let value =
        serde_json::to_value(data).map_err(|e| invariant(NAME, format!("does not encode: {e}")))?;
    let message = serde_json::json!({"transactionId": "t", "status": status, "result": value});
    match decode(&message.to_string()) {
        Ok(reply) => match reply.outcome {
            Ok(again) if again == *data => Ok(()),
            Ok(again) => Err(invariant(
                NAME,
                format!("{data:?} encodes to {value} and decodes to {again:?}"),
            )),
            Err(e) => Err(invariant(
                NAME,
                format!("{data:?} encodes to {value}, which decodes to the error {e:?}"),
            )),
        },
        Err(e) => Err(invariant(
            NAME,
            format!("{data:?} encodes to {value}, which does not decode: {e}"),
        )),
    }
}

fn check_error<E: std::error::Error>(
    error: &E,
    code: fn(&E) -> i64,
    text: &str,
) -> Result<(), Failure> {
    let _ = format!("{error} {error:?}");
    let got = code(error);
    match wire_code(text) {
        Some(sent) if sent != got => Err(invariant(
            "a decoded error keeps its code",
            format!("the message carried code {sent}, the error says {got}"),
        )),
        _ => Ok(()),
    }
}

/// Decodes `text` as the answer to a call of `O`.
pub fn reply<O>(text: &str, code: fn(&O::Error) -> i64) -> Result<Decoded, Failure>
where
    O: Op,
    O::Result: Serialize + PartialEq + Debug,
{
    let reply = match decode_reply::<O>(text) {
        Ok(reply) => reply,
        Err(e) => {
            let _ = e.to_string();
            return Ok(Decoded::Refused);
        }
    };
    let _ = format!("{:?}", reply.outcome.as_ref().err());
    match &reply.outcome {
        Ok(result) => {
            round_trip(result, "SUCCEEDED", decode_reply::<O>)?;
            Ok(Decoded::Data)
        }
        Err(error) => {
            check_error(error, code, text)?;
            Ok(Decoded::Error)
        }
    }
}

/// Decodes `text` as an event of `S`.
pub fn event<S>(text: &str, code: fn(&S::Error) -> i64) -> Result<Decoded, Failure>
where
    S: Subscription,
    S::Event: Serialize + PartialEq + Debug,
{
    let reply = match decode_event::<S>(text) {
        Ok(reply) => reply,
        Err(e) => {
            let _ = e.to_string();
            return Ok(Decoded::Refused);
        }
    };
    match &reply.outcome {
        Ok(event) => {
            round_trip(event, "RESULT", decode_event::<S>)?;
            Ok(Decoded::Data)
        }
        Err(error) => {
            check_error(error, code, text)?;
            Ok(Decoded::Error)
        }
    }
}

/// Decodes `text` as the parameters of `O`, checks them, and encodes them back.
pub fn parameters<O>(text: &str) -> Result<Decoded, Failure>
where
    O: Op + DeserializeOwned + PartialEq + Debug,
{
    const NAME: &str = "parameters that pass their checks encode back to the same request";
    let Ok(request) = serde_json::from_str::<O>(text) else {
        return Ok(Decoded::Refused);
    };
    let _ = format!("{request:?}");
    let encoded = match encode_parameters(&request) {
        Ok(encoded) => encoded,
        Err(e) => {
            let _ = e.to_string();
            return Ok(Decoded::Refused);
        }
    };
    let value = Value::Object(encoded);
    match serde_json::from_value::<O>(value.clone()) {
        Ok(again) if again == request => Ok(Decoded::Data),
        Ok(again) => Err(invariant(
            NAME,
            format!("{request:?} encodes to {value} and decodes to {again:?}"),
        )),
        Err(e) => Err(invariant(
            NAME,
            format!("{request:?} encodes to {value}, which does not decode: {e}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pims_runtime::serde::{Deserialize, Serialize};
    use pims_runtime::{Check, Const, FromWire, Verb, WireError};

    /// An operation whose types break what must hold: its result loses a
    /// field when encoded, its error forgets its code.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(crate = "pims_runtime::serde")]
    struct Fake {}

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(crate = "pims_runtime::serde")]
    struct Lossy {
        #[serde(default, skip_serializing)]
        a: i64,
    }

    #[derive(Debug)]
    struct Forgetful;

    impl FromWire for Forgetful {
        fn from_wire(_: WireError) -> Self {
            Forgetful
        }
    }

    impl std::fmt::Display for Forgetful {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("forgetful")
        }
    }

    impl std::error::Error for Forgetful {}

    impl Op for Fake {
        const API: &'static str = "pims.fake";
        const NAME: &'static str = "fake";
        const VERB: Verb = Verb::Get;
        const SELECTOR: &'static [(&'static str, Const)] = &[];
        const CHECKS: &'static [Check] = &[];
        type Result = Lossy;
        type Error = Forgetful;
    }

    #[test]
    fn broken_types_are_found() {
        let code = |_: &Forgetful| 0;
        let lossy = reply::<Fake>(
            r#"{"transactionId":"t","status":"SUCCEEDED","result":{"a":1}}"#,
            code,
        )
        .expect_err("the result does not encode back");
        assert!(lossy.place.contains("encodes and decodes back"), "{lossy}");
        let fine = reply::<Fake>(
            r#"{"transactionId":"t","status":"SUCCEEDED","result":{"a":0}}"#,
            code,
        );
        assert_eq!(fine, Ok(Decoded::Data));
        let forgot = reply::<Fake>(
            r#"{"transactionId":"t","status":"FAILED","error":{"code":7,"label":"x"}}"#,
            code,
        )
        .expect_err("the code is lost");
        assert!(forgot.place.contains("keeps its code"), "{forgot}");
        assert_eq!(reply::<Fake>("nul", code), Ok(Decoded::Refused));
        assert_eq!(parameters::<Fake>("{}"), Ok(Decoded::Data));
        assert_eq!(parameters::<Fake>("5"), Ok(Decoded::Refused));
    }

    #[test]
    fn every_operation_of_the_spec_is_in_the_dispatch() {
        let ir = pims_codegen::analyze(&crate::root().join("spec"))
            .into_ir()
            .expect("spec/ checks clean");
        let mut n = 0;
        for module in &ir.modules {
            for op in &module.operations {
                let found = find(&module.api, op.verb.as_str(), &op.name).expect("in the dispatch");
                assert_eq!(
                    found.event.is_some(),
                    op.event.is_some(),
                    "{} {}",
                    module.api,
                    op.name
                );
                n += 1;
            }
        }
        assert_eq!(n, OPERATIONS.len());
    }
}
