//! The generated API app code uses: requests built with `new` and chained
//! setters, enumerations compared, hashed and turned back into their wire value.

use std::collections::HashSet;

use pims_runtime::{encode_parameters, serde_json};
use pims_sdk::types::{FcaTokenType, StepOrder};
use pims_sdk::vehicle::informations::{SubscribeO2xStatus, SubscribeO2xStatusReception};

#[test]
fn setters_set_optional_parameters_and_new_leaves_them_out() {
    let bare = SubscribeO2xStatus::new(SubscribeO2xStatusReception::Status, true);
    let sent = encode_parameters(&bare).unwrap();
    assert!(!sent.contains_key("vin"), "{sent:?}");
    assert_eq!(sent["firstTime"], serde_json::json!(true));

    let with_vin = bare.clone().with_vin("VR3UPHNKSKT101603");
    assert_eq!(with_vin.vin.as_deref(), Some("VR3UPHNKSKT101603"));
    let sent = encode_parameters(&with_vin).unwrap();
    assert_eq!(sent["vin"], serde_json::json!("VR3UPHNKSKT101603"));
    assert_ne!(bare, with_vin);
}

#[test]
fn string_enumerations_give_their_wire_value_back() {
    assert_eq!(FcaTokenType::Cognito.as_str(), "cognito");
    assert_eq!(SubscribeO2xStatusReception::Status.as_str(), "status");
    // every member's as_str is what serde writes
    for member in [FcaTokenType::Cognito, FcaTokenType::Session] {
        let wire = serde_json::to_value(&member).unwrap();
        assert_eq!(wire, serde_json::json!(member.as_str()));
    }
    let unlisted: FcaTokenType = serde_json::from_str(r#""badge""#).unwrap();
    assert!(
        matches!(unlisted, FcaTokenType::Unlisted(_)),
        "{unlisted:?}"
    );
    assert_eq!(unlisted.as_str(), "badge");
}

#[test]
fn integer_enumerations_give_their_wire_value_back() {
    assert_eq!(StepOrder::Second.as_i64(), 2);
    let unlisted: StepOrder = serde_json::from_str("9").unwrap();
    assert!(matches!(unlisted, StepOrder::Unlisted(_)), "{unlisted:?}");
    assert_eq!(unlisted.as_i64(), 9);
    assert_eq!(i64::from(StepOrder::Third), 3);
}

#[test]
fn enumerations_are_eq_and_hash() {
    let set: HashSet<FcaTokenType> = [
        FcaTokenType::Cognito,
        FcaTokenType::Cognito,
        serde_json::from_str(r#""session""#).unwrap(),
        serde_json::from_str(r#""badge""#).unwrap(),
    ]
    .into_iter()
    .collect();
    assert_eq!(set.len(), 3, "{set:?}");
    assert!(set.contains(&FcaTokenType::Session));
}

/// With the `simulator` feature, received data is built like sent data, so
/// scripts can answer with typed results.
#[test]
fn results_are_built_with_the_simulator_feature() {
    use pims_sdk::authentication::account::GetUsernameResult;

    let built = GetUsernameResult::new().with_username("myname@mail.com");
    let decoded: GetUsernameResult =
        serde_json::from_str(r#"{"username":"myname@mail.com"}"#).unwrap();
    assert_eq!(built, decoded);
    assert_eq!(GetUsernameResult::default(), GetUsernameResult::new());
    assert_eq!(GetUsernameResult::new().username, None);
}
