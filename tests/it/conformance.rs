//! The generated client against the documented examples of the seed page
//! (`../shared/seed/`, or the fixture of its facts when `../shared` is absent).

use pims_runtime::{Operation, decode_reply, encode_parameters};
use pims_sdk::Error;
use pims_sdk::authentication::smscode::{PhoneNumberCertification, PhoneNumberCertificationError};
use pims_sdk::errors;
use serde_json::{Map, Value, json};

use crate::seed::{SEED, facts_of_page, fixture};

#[test]
fn the_fixture_holds_the_facts_of_the_seed_page() {
    // without ../shared the fixture stands in for the seed page
    let Some(shared) = crate::shared_or_skip("the_fixture_holds_the_facts_of_the_seed_page") else {
        return;
    };
    let text = std::fs::read_to_string(shared.join(SEED)).expect("the seed page");
    let page = facts_of_page(&text);
    let fixture = fixture();
    for key in [
        "kotlin_parameters",
        "swift_parameters",
        "error_rows",
        "messages",
    ] {
        assert_eq!(
            page[key], fixture[key],
            "{key} differs between the seed page and the fixture"
        );
    }
    assert_eq!(fixture["messages"].as_array().map(Vec::len), Some(8));
}

fn as_parameters(pairs: &Value) -> Map<String, Value> {
    pairs
        .as_array()
        .expect("pairs")
        .iter()
        .map(|p| (p[0].as_str().unwrap().to_owned(), p[1].clone()))
        .collect()
}

#[test]
fn the_samples_send_what_the_request_serializes_to() {
    let facts = fixture();
    let request = PhoneNumberCertification::new("0612345678");
    let wire = encode_parameters(&request).expect("valid parameters");
    for sample in ["kotlin_parameters", "swift_parameters"] {
        let expected = as_parameters(&facts[sample]);
        assert_eq!(wire, expected, "{sample}");
        // same keys, same order
        assert!(wire.keys().eq(expected.keys()), "{sample}: key order");
        // and the parameters decode back into the request
        let decoded: PhoneNumberCertification =
            serde_json::from_value(Value::Object(expected)).expect("decodes");
        assert_eq!(decoded, request);
    }
    assert_eq!(PhoneNumberCertification::API, facts["api"]);
    assert_eq!(PhoneNumberCertification::VERB.as_str(), facts["verb"]);
}

#[test]
fn parameters_of_another_operation_do_not_decode() {
    for other in [
        json!({"type": "resetPIN", "phoneNumber": "0612345678"}),
        json!({"phoneNumber": "0612345678"}),
        json!({"type": "phoneNumberCertification", "phoneNumber": "0612345678", "smsCode": "1"}),
        json!({"type": "phoneNumberCertification", "phoneNumber": 612345678}),
    ] {
        let decoded = serde_json::from_value::<PhoneNumberCertification>(other.clone());
        assert!(decoded.is_err(), "{other} decoded");
    }
}

#[test]
fn invalid_values_are_refused_before_sending() {
    let err = encode_parameters(&PhoneNumberCertification::new("06 12 34 56 78")).unwrap_err();
    assert_eq!(err.parameter, "phoneNumber");
    assert!(err.reason.contains("pattern"), "{err}");
}

fn message_validator() -> jsonschema::Validator {
    let path = crate::root()
        .join("generated-sdk/schemas/pims.authentication.smscode/phoneNumberCertification.message.schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("JSON");
    jsonschema::validator_for(&schema).expect("a valid schema")
}

#[test]
fn every_documented_message_decodes_and_validates() {
    let facts = fixture();
    let validator = message_validator();
    let expected: Vec<Result<(), PhoneNumberCertificationError>> = vec![
        Ok(()),
        Err(PhoneNumberCertificationError::FacadeNotInitialized),
        Err(PhoneNumberCertificationError::CoreNotConfigured),
        Err(PhoneNumberCertificationError::MissingParameter(
            errors::MissingParameter::default(),
        )),
        Err(PhoneNumberCertificationError::InvalidParameter(
            errors::InvalidParameter::default(),
        )),
        Err(PhoneNumberCertificationError::Timeout),
        Err(PhoneNumberCertificationError::NoInternet),
        Err(PhoneNumberCertificationError::ServerError(
            errors::ServerError::default(),
        )),
    ];
    let messages = facts["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), expected.len());
    for (message, expected) in messages.iter().zip(expected) {
        let reply = decode_reply::<PhoneNumberCertification>(&message.to_string())
            .unwrap_or_else(|e| panic!("{message} does not decode: {e}"));
        assert_eq!(reply.transaction_id, "953cfefb-bc72");
        assert_eq!(reply.outcome, expected, "{message}");
        let errors: Vec<String> = validator
            .iter_errors(message)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{message} does not validate: {errors:?}");
        // the label round-trips through the typed error
        if let (Err(e), Some(label)) = (&reply.outcome, message["error"]["label"].as_str()) {
            assert_eq!(Error::from(e.clone()).label(), label);
            assert_eq!(e.code(), message["error"]["code"].as_i64().unwrap());
        }
    }
}

#[test]
fn the_error_table_is_what_the_operation_lists() {
    let facts = fixture();
    let ir = crate::project_ir();
    let op = ir
        .modules
        .iter()
        .flat_map(|m| &m.operations)
        .find(|o| o.name == "phoneNumberCertification")
        .expect("the operation");
    let rows: Vec<(i64, String)> = facts["error_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r[0].as_i64().unwrap(), r[1].as_str().unwrap().to_owned()))
        .collect();
    let listed: Vec<(i64, String)> = op
        .errors
        .iter()
        .map(|c| (*c, ir.error(*c).expect("in the catalogue").label.clone()))
        .collect();
    assert_eq!(listed, rows);
}

#[test]
fn an_undocumented_code_decodes_into_the_catch_all() {
    let validator = message_validator();
    // in the catalogue, not listed by the operation
    let m = json!({"transactionId": "t", "status": "FAILED", "error": {"code": 2305, "label": "The sms code is invalid"}});
    let reply = decode_reply::<PhoneNumberCertification>(&m.to_string()).expect("decodes");
    assert_eq!(
        reply.outcome,
        Err(PhoneNumberCertificationError::Unlisted(
            Error::SmsCodeInvalid
        ))
    );
    assert!(
        !validator.is_valid(&m),
        "the schema lists only the operation's codes"
    );
    // not in the catalogue at all
    let m = json!({"transactionId": "t", "status": "FAILED", "error": {"code": 9999, "label": "Brand new"}});
    let reply = decode_reply::<PhoneNumberCertification>(&m.to_string()).expect("decodes");
    let err = reply.outcome.unwrap_err();
    assert_eq!(
        err,
        PhoneNumberCertificationError::Unlisted(Error::Unlisted {
            code: 9999,
            label: "Brand new".into()
        })
    );
    assert_eq!(err.code(), 9999);
    assert_eq!(err.to_string(), "Brand new (9999)");
}

#[test]
fn a_filled_placeholder_is_captured() {
    let m = json!({"transactionId": "t", "status": "FAILED", "error": {"code": 2101, "label": "Missing phoneNumber parameter"}});
    let reply = decode_reply::<PhoneNumberCertification>(&m.to_string()).expect("decodes");
    let err = reply.outcome.unwrap_err();
    assert_eq!(
        err,
        PhoneNumberCertificationError::MissingParameter(
            errors::MissingParameter::default().with_parameter("phoneNumber")
        )
    );
    assert_eq!(err.to_string(), "Missing phoneNumber parameter (2101)");
    let m = json!({"transactionId": "t", "status": "FAILED", "error": {"code": 2204, "label": "Server Error", "subCode": [500, "x"]}});
    let reply = decode_reply::<PhoneNumberCertification>(&m.to_string()).expect("decodes");
    assert_eq!(
        reply.outcome,
        Err(PhoneNumberCertificationError::ServerError(
            errors::ServerError::default().with_sub_codes(vec![json!(500), json!("x")])
        ))
    );
    assert!(message_validator().is_valid(&m));
}

#[test]
fn a_result_of_empty_object_or_null_or_nothing_is_no_data() {
    for m in [
        json!({"transactionId": "t", "status": "SUCCEEDED", "result": {}}),
        json!({"transactionId": "t", "status": "SUCCEEDED", "result": null}),
        json!({"transactionId": "t", "status": "SUCCEEDED"}),
    ] {
        let reply = decode_reply::<PhoneNumberCertification>(&m.to_string()).expect("decodes");
        assert_eq!(reply.outcome, Ok(()));
        assert!(message_validator().is_valid(&m), "{m}");
    }
}
