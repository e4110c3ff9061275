//! The validating facade reports where what goes through a facade disagrees
//! with the contract (operation, path, expected, found), and changes nothing
//! the app receives.

use pims_runtime::validating::{Direction, Validating, Violation, Violations};
use pims_runtime::{Client, Facade, Verb};
use pims_sdk::authentication::smscode::{
    PhoneNumberCertification, PhoneNumberCertificationError, ValidateEnrollmentCode,
    ValidateEnrollmentCodeResultStatus,
};
use pims_sdk::simulator::CONTRACT;
use pims_sdk::vehicle::connection::SubscribeConnection;

use super::run;

fn wrapped(
    sim: &pims_sdk::simulator::Simulator,
) -> (Validating<pims_sdk::simulator::Simulator>, Violations) {
    let violations = Violations::default();
    (
        pims_sdk::simulator::validating(sim.clone(), violations.handler()),
        violations,
    )
}

#[test]
fn what_the_simulator_sends_meets_the_contract() {
    let sim = pims_sdk::simulator().with_seed(9);
    let (facade, violations) = wrapped(&sim);
    for op in CONTRACT.operations {
        let parameters = op.examples.first().map_or("{}", |e| e.parameters);
        if op.is_subscription() {
            run(facade.subscribe(op.api, parameters, Box::new(|_| {}))).unwrap();
            let _ = run(facade.send(Verb::Unsubscribe, op.api, "{}")).unwrap();
        } else {
            let _ = run(facade.send(op.verb, op.api, parameters)).unwrap();
        }
    }
    assert!(violations.is_empty(), "{:#?}", violations.take());
}

#[test]
fn a_drifting_message_is_reported_with_its_path_and_the_app_gets_it_unchanged() {
    let drift =
        r#"{"transactionId":"t1","status":"SUCCEEDED","result":{"status":"Enrolled","since":3}}"#;
    let sim = pims_sdk::simulator();
    sim.on::<ValidateEnrollmentCode>().message(drift).always();
    let (facade, violations) = wrapped(&sim);
    let plain = run(Client::new(sim.clone()).call_answer(&ValidateEnrollmentCode::new("1")));
    let checked = run(Client::new(facade).call_answer(&ValidateEnrollmentCode::new("1")));
    // what the app gets: the same, an unlisted status in its catch-all
    assert_eq!(plain, checked);
    let status = checked.outcome.unwrap().status;
    assert!(
        matches!(status, ValidateEnrollmentCodeResultStatus::Unlisted(_)),
        "{status:?}"
    );
    let found = violations.take();
    assert_eq!(
        found,
        vec![
            Violation {
                direction: Direction::Received,
                operation: "pims.authentication.smscode#validateEnrollmentCode".into(),
                path: "result.status".into(),
                expected: r#"one of "NotEnrolled", "AlreadyEnrolled""#.into(),
                found: r#""Enrolled""#.into(),
            },
            Violation {
                direction: Direction::Received,
                operation: "pims.authentication.smscode#validateEnrollmentCode".into(),
                path: "result.since".into(),
                expected: "one of the keys status".into(),
                found: "3".into(),
            },
        ]
    );
    assert_eq!(
        found[0].to_string(),
        r#"pims.authentication.smscode#validateEnrollmentCode: received `result.status`: expected one of "NotEnrolled", "AlreadyEnrolled", found "Enrolled""#
    );
}

#[test]
fn undeclared_codes_and_labels_off_the_catalogue_are_reported() {
    let sim = pims_sdk::simulator();
    sim.on::<PhoneNumberCertification>()
        .fail_code(2305, "The sms code is invalid");
    sim.on::<PhoneNumberCertification>()
        .fail_code(2202, "No network");
    let (facade, violations) = wrapped(&sim);
    let client = Client::new(facade);
    let request = PhoneNumberCertification::new("0612345678");
    let _ = run(client.call(&request));
    let _ = run(client.call(&request));
    let found: Vec<(String, String, String)> = violations
        .take()
        .into_iter()
        .map(|v| (v.path, v.expected, v.found))
        .collect();
    assert_eq!(
        found,
        [
            (
                "error.code".to_owned(),
                "one of the codes it lists: 2001, 2006, 2101, 2102, 2201, 2202, 2204".to_owned(),
                "2305".to_owned()
            ),
            (
                "error.label".to_owned(),
                r#"the catalogue's label for 2202: "Network problem : No internet""#.to_owned(),
                r#""No network""#.to_owned()
            ),
        ]
    );
    // the app still decodes what came
    sim.on::<PhoneNumberCertification>()
        .fail(PhoneNumberCertificationError::Timeout);
    let _ = run(client.call(&request));
    assert!(
        violations.is_empty(),
        "a declared code with its label is fine"
    );
}

#[test]
fn sent_parameters_are_checked_too() {
    let sim = pims_sdk::simulator();
    let (facade, violations) = wrapped(&sim);
    let answer = run(facade.send(
        Verb::Get,
        "pims.authentication.smscode",
        r#"{"type":"phoneNumberCertification","phoneNumber":"06 12","extra":true}"#,
    ))
    .unwrap();
    // the simulator refused it, as the SDK would; the facade passed it on unchanged
    assert!(answer.contains(r#""code":2102"#), "{answer}");
    let found = violations.take();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].direction, Direction::Sent);
    assert_eq!(found[0].path, "phoneNumber");
    assert_eq!(found[0].expected, r"a string matching `^\+?[0-9]{6,15}$`");
    assert_eq!(found[1].path, "extra");
    let _ = run(facade.send(Verb::Get, "pims.no.such.api", "{}"));
    let unknown = violations.take();
    assert_eq!(unknown[0].operation, "pims.no.such.api (get)");
    assert_eq!(unknown[0].expected, "an api of the contract");
}

#[test]
fn drifting_events_are_reported_as_they_pass() {
    let sim = pims_sdk::simulator();
    let (facade, violations) = wrapped(&sim);
    let client = Client::new(facade);
    run(async {
        let mut events = client.events(&SubscribeConnection::new()).await.unwrap();
        assert!(violations.is_empty());
        sim.on::<SubscribeConnection>().emit_message(
            r#"{"transactionId":"e","status":"RESULT","result":{"status":"Connected"}}"#,
        );
        let got = events.next().await.unwrap();
        // the app's decoding refuses it too (serde names the object the
        // field is missing from; the report names the field)
        let refused = got.unwrap_err();
        assert_eq!(refused.path, "result");
        assert!(refused.reason.contains("`vin`"), "{refused}");
    });
    let found = violations.take();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].path, "result.vin");
    assert_eq!(found[0].expected, "a string");
    assert_eq!(found[0].found, "nothing");
    assert_eq!(
        found[0].operation,
        "pims.vehicle.connection#subscribeConnection"
    );
}
