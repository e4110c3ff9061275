//! What the simulator answers unless scripted: every operation's default
//! answer meets its contract and its JSON Schema; refusals carry the
//! catalogue's codes and filled labels; hostile input never panics; every
//! call is recorded; the same seed answers byte for byte the same.

use pims_runtime::{CallError, Client, Facade, Operation, Verb, decode_reply};
use pims_sdk::authentication::smscode::{PhoneNumberCertification, PhoneNumberCertificationError};
use pims_sdk::authentication::trustedphonenumber::TrustedPhoneNumber;
use pims_sdk::simulator::CONTRACT;
use serde_json::{Value, json};

use super::{json, send};

/// Each operation's first example's parameters: what an app would send.
fn example_parameters(op: &pims_runtime::contract::OperationEntry) -> String {
    op.examples
        .first()
        .map(|e| e.parameters.to_owned())
        .unwrap_or_else(|| "{}".to_owned())
}

#[test]
fn every_operation_answers_its_default_within_its_contract_and_schema() {
    let sim = pims_sdk::simulator().with_seed(11);
    let mut problems = Vec::new();
    let mut subscriptions = 0;
    for op in CONTRACT.operations {
        let parameters = example_parameters(op);
        let answer = if op.is_subscription() {
            subscriptions += 1;
            crate::block_on(sim.subscribe(op.api, &parameters, Box::new(|_| {})))
                .expect("acknowledged")
        } else {
            send(&sim, op.verb, op.api, &parameters)
        };
        let message = json(&answer);
        if message["status"] != "SUCCEEDED" {
            problems.push(format!("{}: {answer}", op.id()));
            continue;
        }
        // checked as the operation it was taken for (see below)
        let taken = sim
            .calls()
            .pop()
            .and_then(|c| c.operation)
            .unwrap_or(op.name);
        let op = CONTRACT.operation(op.api, taken).unwrap();
        for issue in CONTRACT.check_reply(op, &answer) {
            problems.push(format!("{}: {issue:?}", op.id()));
        }
        // an independent check: the operation's JSON Schema, formats asserted
        let path = crate::root().join(format!(
            "generated-sdk/schemas/{}/{}.message.schema.json",
            op.api, op.name
        ));
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let validator = crate::strict(&schema).expect("the schema compiles");
        for e in validator.iter_errors(&message) {
            problems.push(format!("{}: schema: {e} at {}", op.id(), e.instance_path()));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(subscriptions >= 6, "the spec's subscriptions were answered");
    let calls = sim.calls();
    assert_eq!(calls.len(), CONTRACT.operations.len());
    // each call was taken for the operation whose example it sent, or for
    // one the wire cannot tell from it (the same call on another vehicle
    // line, or with fewer optional parameters): same verb and selector, and
    // the parameters sent meet it
    let mut alike = 0;
    for (call, op) in calls.iter().zip(CONTRACT.operations) {
        if call.operation == Some(op.name) {
            continue;
        }
        let taken = CONTRACT.operation(op.api, call.operation.unwrap()).unwrap();
        assert_eq!(
            (taken.verb, taken.selector),
            (op.verb, op.selector),
            "{} for {}",
            taken.id(),
            op.id()
        );
        let sent = call.parameters.as_object().unwrap();
        assert_eq!(
            CONTRACT.check_parameters(taken, sent),
            [],
            "{} for {}",
            taken.id(),
            op.id()
        );
        assert!(
            std::ptr::from_ref(taken) < std::ptr::from_ref(op),
            "the first of them"
        );
        alike += 1;
    }
    assert!(alike < 10, "{alike} operations the wire cannot tell apart");
}

#[test]
fn results_are_the_fields_examples_and_values_made_up_from_the_seed() {
    // trustedPhoneNumber's only field has an example: the answer is it
    let text = send(
        &pims_sdk::simulator().with_seed(5),
        Verb::Get,
        TrustedPhoneNumber::API,
        "{}",
    );
    let result = decode_reply::<TrustedPhoneNumber>(&text)
        .unwrap()
        .outcome
        .unwrap();
    assert_eq!(result.phone_number, "0612345678");
    // elsewhere, values the spec has no example for come from the seed
    let results = |seed: u64| -> Vec<Value> {
        let sim = pims_sdk::simulator().with_seed(seed);
        CONTRACT
            .operations
            .iter()
            .filter(|op| !op.is_subscription())
            .map(|op| json(&send(&sim, op.verb, op.api, &example_parameters(op)))["result"].clone())
            .collect()
    };
    let (a, b, c) = (results(5), results(5), results(6));
    assert_eq!(a, b);
    let differ = a.iter().zip(&c).filter(|(x, y)| x != y).count();
    assert!(differ > 0, "no result depends on the seed");
    assert!(
        differ < a.len(),
        "the fields' examples do not depend on the seed"
    );
}

#[test]
fn a_missing_or_invalid_parameter_gets_the_catalogue_code_with_its_label_filled() {
    let sim = pims_sdk::simulator();
    let api = PhoneNumberCertification::API;
    let cases = [
        // the selector
        (
            r#"{"phoneNumber":"0612345678"}"#,
            2101,
            "Missing type parameter",
        ),
        (
            r#"{"type":"nope","phoneNumber":"0612345678"}"#,
            2102,
            "Invalid type parameter",
        ),
        // a required parameter
        (
            r#"{"type":"phoneNumberCertification"}"#,
            2101,
            "Missing phoneNumber parameter",
        ),
        (
            r#"{"type":"phoneNumberCertification","phoneNumber":null}"#,
            2101,
            "Missing phoneNumber parameter",
        ),
        // its pattern, its kind, a key it does not take
        (
            r#"{"type":"phoneNumberCertification","phoneNumber":"06 12"}"#,
            2102,
            "Invalid phoneNumber parameter",
        ),
        (
            r#"{"type":"phoneNumberCertification","phoneNumber":612345678}"#,
            2102,
            "Invalid phoneNumber parameter",
        ),
        (
            r#"{"type":"phoneNumberCertification","phoneNumber":"0612345678","pin":"1"}"#,
            2102,
            "Invalid pin parameter",
        ),
        // not an object: the placeholder stays as written
        (r#"["type"]"#, 2102, "Invalid [PARAMETER] parameter"),
        ("not json", 2102, "Invalid [PARAMETER] parameter"),
    ];
    for (parameters, code, label) in cases {
        let answer = json(&send(&sim, Verb::Get, api, parameters));
        assert_eq!(answer["status"], "FAILED", "{parameters}: {answer}");
        assert_eq!(
            answer["error"],
            json!({"code": code, "label": label}),
            "{parameters}"
        );
    }
    // a refusal of the parameters is recorded for the operation they were for
    let op = Some("phoneNumberCertification");
    let taken: Vec<Option<&str>> = sim.calls().iter().map(|c| c.operation).collect();
    assert_eq!(taken, [None, None, op, op, op, op, op, None, None]);
    // and the typed client reads the filled label back
    let text = send(
        &sim,
        Verb::Get,
        api,
        r#"{"type":"phoneNumberCertification"}"#,
    );
    let reply = decode_reply::<PhoneNumberCertification>(&text).unwrap();
    assert_eq!(
        reply.outcome,
        Err(PhoneNumberCertificationError::MissingParameter(
            pims_sdk::errors::MissingParameter::default().with_parameter("phoneNumber")
        ))
    );
    // a refused call takes no scripted answer
    sim.on::<PhoneNumberCertification>()
        .fail(PhoneNumberCertificationError::NoInternet);
    let _ = send(&sim, Verb::Get, api, "{}");
    assert_eq!(sim.on::<PhoneNumberCertification>().queued(), 1);
}

#[test]
fn an_api_or_verb_the_spec_lacks_is_refused_not_a_panic() {
    let sim = pims_sdk::simulator();
    for (verb, api) in [
        (Verb::Get, "pims.no.such.api"),
        (Verb::Get, ""),
        (Verb::Set, TrustedPhoneNumber::API),
        (Verb::Subscribe, TrustedPhoneNumber::API),
        (Verb::Unsubscribe, TrustedPhoneNumber::API),
    ] {
        let answer = if verb == Verb::Subscribe {
            crate::block_on(sim.subscribe(api, "{}", Box::new(|_| {}))).unwrap()
        } else {
            send(&sim, verb, api, "{}")
        };
        let answer = json(&answer);
        assert_eq!(
            answer["error"],
            json!({"code": 2002, "label": "API not supported"}),
            "{verb} {api}"
        );
        assert!(answer["transactionId"].is_string());
    }
    assert!(sim.calls().iter().all(|c| c.operation.is_none()));
}

#[test]
fn hostile_parameters_never_make_it_panic() {
    let sim = pims_sdk::simulator();
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let long = format!(
        r#"{{"type":"phoneNumberCertification","phoneNumber":"{}"}}"#,
        "9".repeat(1 << 20)
    );
    let inputs = [
        deep.as_str(),
        long.as_str(),
        r#"{"type":{"type":{"type":[]}}}"#,
        r#"{"type":"phoneNumberCertification","phoneNumber":"\u0000"}"#,
        r#"{"type":1e999}"#,
        "",
        "{",
        "\u{feff}{}",
    ];
    for op in CONTRACT.operations {
        for parameters in inputs {
            let answer = send(&sim, op.verb, op.api, parameters);
            let message = json(&answer);
            assert!(
                message["status"] == "FAILED" || message["status"] == "SUCCEEDED",
                "{}: {answer}",
                op.id()
            );
        }
        // every parameter of its example replaced by values of every kind
        let Value::Object(example) = json(&example_parameters(op)) else {
            continue;
        };
        for key in example.keys() {
            for wrong in [
                json!(null),
                json!(true),
                json!(-1.5),
                json!("x"),
                json!([]),
                json!({}),
            ] {
                let mut mutated = example.clone();
                mutated.insert(key.clone(), wrong);
                let answer = json(&send(
                    &sim,
                    op.verb,
                    op.api,
                    &Value::Object(mutated).to_string(),
                ));
                assert!(answer["status"].is_string(), "{}: {answer}", op.id());
            }
        }
    }
}

#[test]
fn every_call_is_recorded_with_a_fresh_transaction_id() {
    let sim = pims_sdk::simulator();
    let client = Client::new(sim.clone());
    let first = crate::block_on(client.call_answer(&PhoneNumberCertification::new("0612345678")));
    let second = crate::block_on(client.call_answer(&TrustedPhoneNumber::new()));
    let refused = send(&sim, Verb::Set, "pims.no.such.api", r#"{"a":1}"#);
    let calls = sim.calls();
    assert_eq!(calls.len(), 3);
    assert_eq!(
        (calls[0].verb, calls[0].api.as_str(), &calls[0].parameters),
        (
            Verb::Get,
            "pims.authentication.smscode",
            &json!({"type": "phoneNumberCertification", "phoneNumber": "0612345678"})
        )
    );
    assert_eq!(calls[0].operation, Some("phoneNumberCertification"));
    assert_eq!(calls[1].api, "pims.authentication.trustedphonenumber");
    assert_eq!(calls[2].operation, None);
    assert_eq!(calls[2].parameters, json!({"a": 1}));
    assert_eq!(calls[2].answer, vec![refused]);
    // the transaction id reaches the app, and is fresh for every call
    assert_eq!(
        first.transaction_id.as_deref(),
        Some(calls[0].transaction_id.as_str())
    );
    assert_eq!(
        second.transaction_id.as_deref(),
        Some(calls[1].transaction_id.as_str())
    );
    let mut ids: Vec<&str> = calls.iter().map(|c| c.transaction_id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 3);
    assert_eq!(sim.take_calls().len(), 3);
    assert!(sim.calls().is_empty());
}

#[test]
fn a_refused_call_has_no_transaction_an_undecodable_one_keeps_its_own() {
    let sim = pims_sdk::simulator();
    let client = Client::new(sim.clone());
    let refused = crate::block_on(client.call_answer(&PhoneNumberCertification::new("06 12")));
    assert_eq!(refused.transaction_id, None);
    assert!(matches!(refused.outcome, Err(CallError::Invalid(_))));
    assert!(sim.calls().is_empty(), "nothing was sent");
    sim.on::<TrustedPhoneNumber>()
        .message(r#"{"transactionId":"t-42","status":"SUCCEEDED","result":{"phoneNumber":7}}"#);
    let broken = crate::block_on(client.call_answer(&TrustedPhoneNumber::new()));
    assert_eq!(broken.transaction_id.as_deref(), Some("t-42"));
    match broken.into_result() {
        Err(CallError::Decode(e)) => assert_eq!(e.path, "result.phoneNumber"),
        other => panic!("{other:?}"),
    }
}

/// The same calls, scripts and seed: the same bytes, in the same order.
fn session(seed: u64) -> Vec<String> {
    use pims_sdk::vehicle::connection::{SubscribeConnection, SubscribeConnectionEvent};
    let sim = pims_sdk::simulator().with_seed(seed);
    let event: SubscribeConnectionEvent =
        serde_json::from_value(json!({"vin": "VR1AB12C3D4567890", "status": "Connected"})).unwrap();
    sim.on::<SubscribeConnection>()
        .answer()
        .event(event.clone());
    sim.on::<PhoneNumberCertification>()
        .fail(PhoneNumberCertificationError::Timeout);
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let keep = received.clone();
    let client = Client::new(sim.clone());
    crate::block_on(async {
        let _ = client
            .call(&PhoneNumberCertification::new("0612345678"))
            .await;
        let _ = client
            .call(&PhoneNumberCertification::new("0612345678"))
            .await;
        for op in CONTRACT.operations.iter().filter(|o| !o.is_subscription()) {
            let _ = sim.send(op.verb, op.api, &example_parameters(op)).await;
        }
        let _ = sim
            .send(Verb::Get, TrustedPhoneNumber::API, r#"{"x":1}"#)
            .await;
        let _ = sim
            .subscribe(
                SubscribeConnection::API,
                "{}",
                Box::new(move |m| keep.lock().unwrap().push(m)),
            )
            .await;
        sim.on::<SubscribeConnection>().emit(event);
        let _ = client.unsubscribe::<SubscribeConnection>().await;
    });
    let mut out: Vec<String> = sim.calls().into_iter().flat_map(|c| c.answer).collect();
    out.extend(received.lock().unwrap().iter().cloned());
    out
}

#[test]
fn two_simulators_with_the_same_seed_answer_byte_for_byte_the_same() {
    let a = session(42);
    let b = session(42);
    let calls = CONTRACT
        .operations
        .iter()
        .filter(|o| !o.is_subscription())
        .count();
    assert!(a.len() > calls + 3, "{}", a.len());
    assert_eq!(a, b);
    let c = session(43);
    assert_eq!(a.len(), c.len());
    assert_ne!(a, c, "the seed changes transaction ids and made-up values");
    // the example results are the spec's whatever the seed; the ids differ
    let ids = |s: &[String]| -> Vec<Value> {
        s.iter().map(|m| json(m)["transactionId"].clone()).collect()
    };
    assert!(ids(&a).iter().zip(ids(&c)).all(|(x, y)| *x != y));
}
