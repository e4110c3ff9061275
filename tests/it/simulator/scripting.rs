//! Typed scripting: succeed with a result, fail with one of the operation's
//! errors or with any code, a message as written, late, held or never, a
//! second callback.

use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use pims_runtime::{CallError, Client, Facade, Verb};
use pims_sdk::authentication::smscode::{
    PhoneNumberCertification, PhoneNumberCertificationError, ValidateEnrollmentCode,
    ValidateEnrollmentCodeError, ValidateEnrollmentCodeResult, ValidateEnrollmentCodeResultStatus,
};
use pims_sdk::{Error, errors};
use serde_json::json;

use super::{json, run};

fn certify() -> PhoneNumberCertification {
    PhoneNumberCertification::new("0612345678")
}

#[test]
fn a_call_succeeds_with_the_scripted_result() {
    let sim = pims_sdk::simulator();
    // until the generated constructors land, results are built from JSON
    let result: ValidateEnrollmentCodeResult =
        serde_json::from_value(json!({"status": "NotEnrolled"})).unwrap();
    sim.on::<ValidateEnrollmentCode>().succeed(result.clone());
    let client = Client::new(sim.clone());
    let got = run(client.call(&ValidateEnrollmentCode::new("123456"))).unwrap();
    assert_eq!(got, result);
    assert_eq!(got.status, ValidateEnrollmentCodeResultStatus::NotEnrolled);
    // once: the next call gets the default answer again (the field's example)
    let again = run(client.call(&ValidateEnrollmentCode::new("123456"))).unwrap();
    assert_eq!(
        again.status,
        ValidateEnrollmentCodeResultStatus::AlreadyEnrolled
    );
}

#[test]
fn a_call_fails_with_each_of_its_declared_errors() {
    let sim = pims_sdk::simulator();
    let client = Client::new(sim.clone());
    let declared = [
        PhoneNumberCertificationError::FacadeNotInitialized,
        PhoneNumberCertificationError::CoreNotConfigured,
        PhoneNumberCertificationError::MissingParameter(
            errors::MissingParameter::default().with_parameter("phoneNumber"),
        ),
        PhoneNumberCertificationError::InvalidParameter(errors::InvalidParameter::default()),
        PhoneNumberCertificationError::Timeout,
        PhoneNumberCertificationError::NoInternet,
        PhoneNumberCertificationError::ServerError(
            errors::ServerError::default().with_sub_codes(vec![json!(12)]),
        ),
    ];
    for error in &declared {
        sim.on::<PhoneNumberCertification>().fail(error.clone());
    }
    for error in declared {
        let got = run(client.call(&certify()));
        assert_eq!(got, Err(CallError::Failed(error.clone())));
    }
    // on the wire, as the catalogue has them
    let answers: Vec<_> = sim
        .calls()
        .into_iter()
        .map(|c| json(&c.answer[0]))
        .collect();
    assert_eq!(
        answers[2]["error"],
        json!({"code": 2101, "label": "Missing phoneNumber parameter"})
    );
    assert_eq!(
        answers[3]["error"],
        json!({"code": 2102, "label": "Invalid [PARAMETER] parameter"})
    );
    assert_eq!(
        answers[6]["error"],
        json!({"code": 2204, "label": "Server Error", "subCode": [12]})
    );
}

#[test]
fn a_call_fails_with_an_undeclared_code() {
    let sim = pims_sdk::simulator();
    sim.on::<PhoneNumberCertification>()
        .fail_code(2305, "The sms code is invalid");
    sim.on::<PhoneNumberCertification>()
        .fail_code(2999, "Something new");
    let client = Client::new(sim.clone());
    assert_eq!(
        run(client.call(&certify())),
        Err(CallError::Failed(PhoneNumberCertificationError::Unlisted(
            Error::SmsCodeInvalid
        )))
    );
    assert_eq!(
        run(client.call(&certify())),
        Err(CallError::Failed(PhoneNumberCertificationError::Unlisted(
            Error::Unlisted {
                code: 2999,
                label: "Something new".into()
            }
        )))
    );
}

#[test]
fn a_malformed_message_is_a_decode_error_not_a_panic() {
    let sim = pims_sdk::simulator();
    let client = Client::new(sim.clone());
    for (text, path) in [
        ("not json", ""),
        (r#"{"transactionId":"t","status":"DONE"}"#, "status"),
        (r#"{"status":"SUCCEEDED"}"#, "transactionId"),
        (
            r#"{"transactionId":"t","status":"FAILED","error":{"code":"x"}}"#,
            "error.code",
        ),
    ] {
        sim.on::<PhoneNumberCertification>().message(text);
        match run(client.call(&certify())) {
            Err(CallError::Decode(e)) => assert_eq!(e.path, path, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
    sim.on::<ValidateEnrollmentCode>()
        .message(r#"{"transactionId":"t","status":"SUCCEEDED","result":{"status":7}}"#);
    match run(client.call(&ValidateEnrollmentCode::new("1"))) {
        Err(CallError::Decode(e)) => assert_eq!(e.path, "result.status"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_answer_comes_late() {
    let sim = pims_sdk::simulator();
    sim.on::<PhoneNumberCertification>()
        .fail(PhoneNumberCertificationError::Timeout)
        .after(Duration::from_millis(60));
    let client = Client::new(sim.clone());
    let start = Instant::now();
    let got = run(client.call(&certify()));
    assert!(start.elapsed() >= Duration::from_millis(60));
    assert_eq!(
        got,
        Err(CallError::Failed(PhoneNumberCertificationError::Timeout))
    );
}

/// Polls `future` once, without an executor.
fn poll_once<F: std::future::Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    std::pin::Pin::new(future).poll(&mut Context::from_waker(Waker::noop()))
}

#[test]
fn an_answer_waits_for_its_gate_and_another_never_comes() {
    let sim = pims_sdk::simulator();
    let gate = sim.on::<PhoneNumberCertification>().answer().held();
    let mut held = Box::pin(sim.send(
        Verb::Get,
        "pims.authentication.smscode",
        r#"{"type":"phoneNumberCertification","phoneNumber":"0612345678"}"#,
    ));
    for _ in 0..3 {
        assert!(poll_once(&mut held).is_pending());
    }
    assert_eq!(gate.holding(), 1);
    gate.open();
    match poll_once(&mut held) {
        Poll::Ready(Ok(text)) => assert_eq!(json(&text)["status"], "SUCCEEDED"),
        other => panic!("{other:?}"),
    }
    // the call was recorded when it was made, answer included
    assert_eq!(sim.calls().len(), 1);

    sim.on::<PhoneNumberCertification>().answer().never();
    let client = Client::new(sim.clone());
    let operation = certify();
    let mut never = Box::pin(client.call(&operation));
    for _ in 0..100 {
        assert!(poll_once(&mut never).is_pending());
    }
    assert_eq!(sim.calls().len(), 2);
}

#[test]
fn a_second_callback_reaches_the_callback_and_the_facade_keeps_the_first() {
    let sim = pims_sdk::simulator();
    sim.on::<PhoneNumberCertification>()
        .fail(PhoneNumberCertificationError::NoInternet)
        .twice();
    sim.on::<PhoneNumberCertification>()
        .answer()
        .then_message(r#"{"transactionId":"other","status":"SUCCEEDED","result":null}"#);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let keep = seen.clone();
    sim.invoke(
        Verb::Get,
        "pims.authentication.smscode",
        r#"{"type":"phoneNumberCertification","phoneNumber":"0612345678"}"#,
        move |m| keep.lock().unwrap().push(m),
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "the callback is called twice");
    assert_eq!(seen[0], seen[1]);
    assert_eq!(json(&seen[0])["error"]["code"], 2202);
    // through a facade, the first message is the answer
    let client = Client::new(sim.clone());
    let answer = run(client.call_answer(&certify()));
    assert_eq!(answer.outcome, Ok(()));
    let call = sim.calls().pop().unwrap();
    assert_eq!(
        answer.transaction_id.as_deref(),
        Some(call.transaction_id.as_str())
    );
    assert_eq!(call.answer.len(), 2);
    assert_eq!(json(&call.answer[1])["transactionId"], "other");
}

#[test]
fn an_answer_given_always_answers_every_call() {
    let sim = pims_sdk::simulator();
    sim.on::<ValidateEnrollmentCode>()
        .fail(ValidateEnrollmentCodeError::InweboAccountBlocked)
        .always();
    let client = Client::new(sim.clone());
    for _ in 0..3 {
        assert_eq!(
            run(client.call(&ValidateEnrollmentCode::new("1"))),
            Err(CallError::Failed(
                ValidateEnrollmentCodeError::InweboAccountBlocked
            ))
        );
    }
    assert_eq!(sim.on::<ValidateEnrollmentCode>().queued(), 1);
}
