//! The companion app tested against the simulated SDK, with no phone: a
//! success, every declared error of the smscode operations it calls, a
//! parameter the SDK refuses with its code, a subscription with three
//! events and an error, the same answers for the same seed, and the
//! validating facade reporting a drifting message.

use companion_app::{App, CodeCheck, CodeRequest, ConnectionLog};
use pims_runtime::validating::{Direction, Violations};
use pims_runtime::{FromWire, Operation, WireError};
use pims_sdk::authentication::smscode::{
    PhoneNumberCertification, PhoneNumberCertificationError, ValidateEnrollmentCode,
    ValidateEnrollmentCodeError, ValidateEnrollmentCodeResult, ValidateEnrollmentCodeResultStatus,
};
use pims_sdk::simulator::{CONTRACT, Simulator};
use pims_sdk::vehicle::connection::{
    SubscribeConnection, SubscribeConnectionError, SubscribeConnectionEvent,
    SubscribeConnectionEventStatus,
};
use pollster::block_on;
use serde_json::{Value, json};

const PHONE: &str = "0612345678";

fn app(seed: u64) -> (App<Simulator>, Simulator) {
    let sim = pims_sdk::simulator().with_seed(seed);
    (App::new(sim.clone()), sim)
}

/// The error `code` as the SDK sends it: its catalogue label, the
/// placeholder filled with `phoneNumber` where it has one.
fn wire(code: i64) -> WireError {
    let template = CONTRACT.error(code).expect("in the catalogue").label;
    WireError {
        code,
        label: pims_runtime::label::fill(template, &[Some("phoneNumber")]),
        sub_code: None,
    }
}

/// The codes operation `O` declares, from the contract.
fn declared<O: Operation>() -> &'static [i64] {
    CONTRACT
        .operation(O::API, O::NAME)
        .expect("in the contract")
        .errors
}

#[test]
fn a_code_is_sent_and_checked() {
    let (app, sim) = app(1);
    let sent = block_on(app.request_code(PHONE));
    let calls = sim.calls();
    assert_eq!(
        sent,
        CodeRequest::Sent {
            transaction_id: calls[0].transaction_id.clone()
        }
    );
    assert_eq!(
        calls[0].parameters,
        json!({"type": "phoneNumberCertification", "phoneNumber": PHONE})
    );
    // the documented example of validateEnrollmentCode: already enrolled
    assert_eq!(
        block_on(app.check_code("123456")),
        CodeCheck::AlreadyEnrolled
    );
    // scripted with another result, built with the `simulator` feature's new()
    let enrolled =
        ValidateEnrollmentCodeResult::new(ValidateEnrollmentCodeResultStatus::NotEnrolled);
    sim.on::<ValidateEnrollmentCode>().succeed(enrolled);
    assert_eq!(block_on(app.check_code("123456")), CodeCheck::Enrolled);
}

#[test]
fn every_declared_error_of_a_code_request_has_its_screen() {
    let (app, sim) = app(2);
    let codes = declared::<PhoneNumberCertification>();
    assert_eq!(codes, [2001, 2006, 2101, 2102, 2201, 2202, 2204]);
    for &code in codes {
        let error = PhoneNumberCertificationError::from_wire(wire(code));
        assert!(
            !matches!(error, PhoneNumberCertificationError::Unlisted(_)),
            "{code} is declared: its own variant"
        );
        sim.on::<PhoneNumberCertification>().fail(error);
        let expected = match code {
            2202 => CodeRequest::Offline,
            2201 | 2204 => CodeRequest::TryLater,
            2101 | 2102 => CodeRequest::WrongNumber {
                parameter: Some("phoneNumber".into()),
            },
            other => CodeRequest::Unavailable { code: other },
        };
        assert_eq!(block_on(app.request_code(PHONE)), expected, "{code}");
    }
    // and one the operation does not declare: its code, shown
    sim.on::<PhoneNumberCertification>()
        .fail_code(2999, "Something new");
    assert_eq!(
        block_on(app.request_code(PHONE)),
        CodeRequest::Unavailable { code: 2999 }
    );
}

#[test]
fn every_declared_error_of_a_code_check_has_its_screen() {
    let (app, sim) = app(3);
    let codes = declared::<ValidateEnrollmentCode>();
    assert_eq!(codes.len(), 16);
    for &code in codes {
        let error = ValidateEnrollmentCodeError::from_wire(wire(code));
        assert!(
            !matches!(error, ValidateEnrollmentCodeError::Unlisted(_)),
            "{code} is declared: its own variant"
        );
        sim.on::<ValidateEnrollmentCode>().fail(error);
        let expected = match code {
            2310 => CodeCheck::Blocked,
            2308 | 2102 => CodeCheck::WrongCode,
            2202 => CodeCheck::Offline,
            2201 | 2204 => CodeCheck::TryLater,
            other => CodeCheck::Unavailable { code: other },
        };
        assert_eq!(block_on(app.check_code("123456")), expected, "{code}");
    }
    // the two operations declare every code the smscode api declares
    let mut api: Vec<i64> = CONTRACT
        .operations_of(PhoneNumberCertification::API)
        .flat_map(|o| o.errors.iter().copied())
        .collect();
    api.sort_unstable();
    api.dedup();
    let mut covered: Vec<i64> = [declared::<PhoneNumberCertification>(), codes].concat();
    covered.sort_unstable();
    covered.dedup();
    assert_eq!(covered, api);
}

#[test]
fn a_parameter_the_sdk_refuses_gets_its_code() {
    let (app, sim) = app(4);
    // the app's web page forgets the number: the SDK's 2101, label filled
    let missing = block_on(app.request_code_from_page(r#"{"type":"phoneNumberCertification"}"#));
    assert_eq!(
        missing,
        CodeRequest::WrongNumber {
            parameter: Some("phoneNumber".into())
        }
    );
    // or sends one that breaks its pattern: 2102
    let invalid = block_on(
        app.request_code_from_page(r#"{"type":"phoneNumberCertification","phoneNumber":"06 12"}"#),
    );
    assert_eq!(
        invalid,
        CodeRequest::WrongNumber {
            parameter: Some("phoneNumber".into())
        }
    );
    let errors: Vec<Value> = sim
        .calls()
        .iter()
        .map(|c| serde_json::from_str::<Value>(&c.answer[0]).unwrap()["error"].clone())
        .collect();
    assert_eq!(
        errors,
        [
            json!({"code": 2101, "label": "Missing phoneNumber parameter"}),
            json!({"code": 2102, "label": "Invalid phoneNumber parameter"}),
        ]
    );
    // through the typed request, the same number is refused before sending
    assert_eq!(
        block_on(app.request_code("06 12")),
        CodeRequest::WrongNumber {
            parameter: Some("phoneNumber".into())
        }
    );
    assert_eq!(sim.calls().len(), 2, "nothing more was sent");
}

fn event(vin: &str, status: SubscribeConnectionEventStatus) -> SubscribeConnectionEvent {
    SubscribeConnectionEvent::new(vin).with_status(status)
}

#[test]
fn three_connection_events_then_an_error() {
    let (app, sim) = app(5);
    sim.on::<SubscribeConnection>()
        .answer()
        .event(event(
            "VR1AB12C3D4567890",
            SubscribeConnectionEventStatus::Connected,
        ))
        .event(event(
            "VR1AB12C3D4567890",
            SubscribeConnectionEventStatus::Disconnected,
        ))
        .event(event(
            "VR7CD34E5F6789012",
            SubscribeConnectionEventStatus::Connected,
        ))
        .event_error(SubscribeConnectionError::FacadeNotInitialized);
    let log = block_on(app.log_connections(10));
    assert_eq!(
        log,
        ConnectionLog {
            lines: vec![
                "VR1AB12C3D4567890: connected".into(),
                "VR1AB12C3D4567890: disconnected".into(),
                "VR7CD34E5F6789012: connected".into(),
            ],
            stopped_by: Some(SubscribeConnectionError::FacadeNotInitialized.to_string()),
        }
    );
    // subscribed, then unsubscribed: nothing left open
    let verbs: Vec<String> = sim.calls().iter().map(|c| c.verb.to_string()).collect();
    assert_eq!(verbs, ["subscribe", "unsubscribe"]);
    assert_eq!(sim.on::<SubscribeConnection>().subscribers(), 0);
}

/// A whole session of the app: what it showed, and every message the SDK sent.
fn session(seed: u64) -> (Vec<String>, Vec<String>) {
    let (app, sim) = app(seed);
    sim.on::<PhoneNumberCertification>()
        .fail(PhoneNumberCertificationError::NoInternet);
    sim.on::<SubscribeConnection>().answer().event(event(
        "VR1AB12C3D4567890",
        SubscribeConnectionEventStatus::Connected,
    ));
    let shown = block_on(async {
        vec![
            format!("{:?}", app.request_code(PHONE).await),
            format!("{:?}", app.request_code(PHONE).await),
            format!("{:?}", app.check_code("123456").await),
            format!("{:?}", app.request_code_from_page("{}").await),
            format!("{:?}", app.log_connections(1).await),
        ]
    });
    let sent = sim.calls().into_iter().flat_map(|c| c.answer).collect();
    (shown, sent)
}

#[test]
fn the_same_seed_gives_the_same_session_byte_for_byte() {
    let (shown, sent) = session(7);
    assert_eq!(session(7), (shown.clone(), sent.clone()));
    assert_eq!(sent.len(), 7, "{sent:#?}");
    assert!(
        shown[0].contains("Offline") && shown[1].contains("Sent"),
        "{shown:?}"
    );
    // another seed: other transaction ids
    let (other_shown, other_sent) = session(8);
    assert_ne!(other_sent, sent);
    assert_ne!(other_shown[1], shown[1]);
}

#[test]
fn the_validating_facade_reports_a_drifting_message_and_the_app_carries_on() {
    let sim = pims_sdk::simulator();
    // the SDK drifted: a status the spec does not list
    sim.on::<ValidateEnrollmentCode>()
        .message(r#"{"transactionId":"t-1","status":"SUCCEEDED","result":{"status":"Enrolled"}}"#);
    let violations = Violations::default();
    let app = App::new(pims_sdk::simulator::validating(
        sim.clone(),
        violations.handler(),
    ));
    assert_eq!(
        block_on(app.check_code("123456")),
        CodeCheck::UnknownStatus("Enrolled".into())
    );
    let found = violations.take();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].direction, Direction::Received);
    assert_eq!(
        found[0].operation,
        "pims.authentication.smscode#validateEnrollmentCode"
    );
    assert_eq!(found[0].path, "result.status");
    assert_eq!(
        found[0].expected,
        r#"one of "NotEnrolled", "AlreadyEnrolled""#
    );
    assert_eq!(found[0].found, r#""Enrolled""#);
}
