//! The message target: a message (or parameters) for one operation of
//! `spec/`, through the decoders of its generated types (`crate::decode`).

use crate::decode::{self, Decoded};
use crate::guard::{Failure, Kind};
use crate::input::{MessageInput, MessageKind};

/// Decodes `input` as its kind says, for its operation.
pub fn run(input: &MessageInput) -> Result<Decoded, Failure> {
    let Some(op) = decode::find(&input.api, &input.verb, &input.name) else {
        return Err(Failure::new(
            Kind::Invariant,
            "the operation exists",
            format!(
                "no operation {} {} {} in spec/ (as built into pims-fuzz)",
                input.verb, input.api, input.name
            ),
        ));
    };
    match input.kind {
        MessageKind::Reply => (op.reply)(&input.text),
        MessageKind::Parameters => (op.parameters)(&input.text),
        MessageKind::Event => match op.event {
            Some(event) => event(&input.text),
            None => Err(Failure::new(
                Kind::Invariant,
                "the operation exists",
                format!(
                    "{} {} is not a subscription: it has no events",
                    input.api, input.name
                ),
            )),
        },
    }
}
