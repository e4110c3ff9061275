//! Every documented message of the seed page (`pims.authentication.smscode`
//! phoneNumberCertification, read through `crate::seed`) replayed through the
//! simulator decodes into its typed outcome; and the simulator, scripted with
//! that outcome, sends the documented message. So does every example of
//! the api's operations, and a `FAILED` message for each code they list.

use pims_runtime::contract::ExampleOutcome;
use pims_runtime::{CallError, Client, FromWire, Operation, WireError, same_json};
use pims_sdk::Error;
use pims_sdk::authentication::smscode::{PhoneNumberCertification, PhoneNumberCertificationError};
use pims_sdk::simulator::CONTRACT;
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

/// Replays every documented message of operation `O` through the simulator
/// and decodes it with the typed client: its example (parameters and
/// result), and a `FAILED` message for each code it lists, with the
/// catalogue's label. Gives how many were replayed.
fn replay_every_example_and_error<O>() -> usize
where
    O: pims_runtime::Call + pims_runtime::serde::de::DeserializeOwned,
    O::Result: pims_runtime::serde::Serialize + std::fmt::Debug,
    O::Error: Into<Error> + Clone + std::fmt::Debug,
{
    let op = CONTRACT
        .operation(O::API, O::NAME)
        .expect("in the contract");
    let sim = pims_sdk::simulator();
    let client = Client::new(sim.clone());
    let mut replayed = 0;
    assert!(!op.examples.is_empty(), "{}", op.id());
    for example in op.examples {
        // the example's parameters are a valid request of the operation
        let request: O = serde_json::from_str(example.parameters)
            .unwrap_or_else(|e| panic!("{}: {}: {e}", op.id(), example.parameters));
        let ExampleOutcome::Succeeded(result) = example.outcome else {
            continue;
        };
        let message = format!(
            r#"{{"transactionId":"953cfefb-bc72","status":"SUCCEEDED","result":{result}}}"#
        );
        sim.on::<O>().message(message);
        let answer = run(client.call_answer(&request));
        let got = answer
            .outcome
            .unwrap_or_else(|e| panic!("{}: {e:?}", op.id()));
        assert_eq!(answer.transaction_id.as_deref(), Some("953cfefb-bc72"));
        let got = serde_json::to_value(&got).unwrap();
        assert!(
            same_json(&got, &json(result)),
            "{}: {got} for {result}",
            op.id()
        );
        // the default answer, unscripted, decodes too
        assert!(run(client.call(&request)).is_ok(), "{}", op.id());
        replayed += 1;
        for &code in op.errors {
            let label = CONTRACT.error(code).expect("in the catalogue").label;
            let error = serde_json::json!({"code": code, "label": label});
            let message = serde_json::json!({
                "transactionId": "953cfefb-bc72", "status": "FAILED", "error": error
            });
            sim.on::<O>().message(message.to_string());
            match run(client.call(&request)) {
                Err(CallError::Failed(typed)) => {
                    assert!(
                        !format!("{typed:?}").starts_with("Unlisted"),
                        "{}: {code} is listed: its own variant, not {typed:?}",
                        op.id()
                    );
                    let catalogue: Error = typed.into();
                    assert_eq!(catalogue.code(), code);
                    assert_eq!(catalogue.label_template(), label);
                }
                other => panic!("{}: {code}: {other:?}", op.id()),
            }
            replayed += 1;
        }
    }
    replayed
}

#[test]
fn every_example_and_listed_error_of_smscode_decodes_into_its_typed_outcome() {
    use pims_sdk::authentication::smscode::{
        AddPhoneNumber, ModifyPhoneNumber, RequestEnrollmentCode, RequestPinResetCode,
        ValidateEnrollmentCode,
    };
    let counts = [
        replay_every_example_and_error::<PhoneNumberCertification>(),
        replay_every_example_and_error::<RequestEnrollmentCode>(),
        replay_every_example_and_error::<RequestPinResetCode>(),
        replay_every_example_and_error::<AddPhoneNumber>(),
        replay_every_example_and_error::<ValidateEnrollmentCode>(),
        replay_every_example_and_error::<ModifyPhoneNumber>(),
    ];
    // every operation of the api, each with its example and every code it lists
    let api = CONTRACT
        .operations_of(PhoneNumberCertification::API)
        .collect::<Vec<_>>();
    assert_eq!(
        api.len(),
        counts.len(),
        "every smscode operation is replayed"
    );
    let expected: Vec<usize> = api.iter().map(|o| 1 + o.errors.len()).collect();
    assert_eq!(counts.to_vec(), expected);
}
