//! Every documented message of the seed page (`pims.authentication.smscode`
//! phoneNumberCertification, read through `crate::seed`) replayed through the
//! simulator decodes into its typed outcome; and the simulator, scripted with
//! that outcome, sends the documented message.

use pims_runtime::{CallError, Client, FromWire, WireError, same_json};
use pims_sdk::Error;
use pims_sdk::authentication::smscode::{PhoneNumberCertification, PhoneNumberCertificationError};
use serde_json::Value;

use super::{json, run};

fn documented() -> Vec<Value> {
    let messages = crate::seed::facts()["messages"]
        .as_array()
        .cloned()
        .expect("the seed's messages");
    assert_eq!(messages.len(), 8, "a success and seven failures");
    messages
}

fn certify() -> PhoneNumberCertification {
    PhoneNumberCertification::new("0612345678")
}

#[test]
fn every_documented_message_decodes_into_its_typed_outcome() {
    let sim = pims_sdk::simulator();
    let client = Client::new(sim.clone());
    for message in documented() {
        sim.on::<PhoneNumberCertification>()
            .message(message.to_string());
        let answer = run(client.call_answer(&certify()));
        assert_eq!(answer.transaction_id.as_deref(), Some("953cfefb-bc72"));
        match message["status"].as_str() {
            Some("SUCCEEDED") => assert_eq!(answer.outcome, Ok(()), "{message}"),
            Some("FAILED") => {
                let code = message["error"]["code"].as_i64().unwrap();
                let label = message["error"]["label"].as_str().unwrap();
                let Err(CallError::Failed(error)) = answer.outcome else {
                    panic!("{message}: {:?}", answer.outcome)
                };
                assert_eq!(error.code(), code, "{message}");
                assert!(
                    !matches!(error, PhoneNumberCertificationError::Unlisted(_)),
                    "{code} is declared: its own variant"
                );
                let catalogue = Error::from(error.clone());
                assert_eq!(catalogue.label_template(), label, "{message}");
                // the placeholders as written are no value filled in
                assert_eq!(catalogue.label(), label, "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(sim.calls().len(), 8);
}

#[test]
fn scripted_with_each_documented_outcome_the_simulator_sends_the_documented_message() {
    let sim = pims_sdk::simulator();
    let client = Client::new(sim.clone());
    for message in documented() {
        match message["status"].as_str() {
            Some("SUCCEEDED") => {
                sim.on::<PhoneNumberCertification>().succeed(());
            }
            _ => {
                let wire: WireError = serde_json::from_value(message["error"].clone()).unwrap();
                sim.on::<PhoneNumberCertification>()
                    .fail(PhoneNumberCertificationError::from_wire(wire));
            }
        }
        let _ = run(client.call(&certify()));
        let sent = json(&sim.calls().pop().unwrap().answer[0]);
        let mut expected = message.clone();
        expected["transactionId"] = sent["transactionId"].clone();
        assert!(
            same_json(&sent, &expected),
            "sent {sent}, documented {message}"
        );
        // the documented key order, too
        let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
        assert_eq!(keys(&sent), keys(&message));
    }
}
