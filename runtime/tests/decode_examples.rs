//! The one-pass decoding of `decode_reply` and `decode_event` against the
//! reference (the message parsed into a `serde_json::Value`, then typed with
//! paths), over every documented example message of `spec/` (the doctests of
//! the generated crate) and over hostile variants of each: values of the
//! wrong kind, unknown keys holding what a `Value` parse refuses (a lone
//! surrogate, a number out of range, nesting past the recursion limit), keys
//! twice, text after the message. Wherever the reference decodes, the fast
//! path gives the same value or gives the message to the reference; wherever
//! the reference fails, the fast path does too; and `decode_*` always answers
//! as the reference does, error path included.

use std::path::{Path, PathBuf};

use pims_runtime::message::{fast_event, fast_reply, reference_event, reference_reply};
use pims_runtime::{decode_event, decode_reply};

/// How a message must compare; `documented` messages must take the fast path.
fn agree<T: PartialEq + std::fmt::Debug, E: PartialEq + std::fmt::Debug>(
    what: &str,
    text: &str,
    documented: bool,
    reference: Result<pims_runtime::Reply<T, E>, pims_runtime::DecodeError>,
    fast: Option<pims_runtime::Reply<T, E>>,
    decoded: Result<pims_runtime::Reply<T, E>, pims_runtime::DecodeError>,
) -> bool {
    match (&reference, &fast) {
        (Ok(r), Some(f)) => assert_eq!(f, r, "{what}: {text}"),
        (Ok(_), None) => assert!(
            !documented,
            "{what}: a documented message left the fast path: {text}"
        ),
        (Err(e), Some(f)) => {
            panic!("{what}: the reference refuses ({e}) what the fast path decodes ({f:?}): {text}")
        }
        (Err(_), None) => {}
    }
    assert_eq!(decoded, reference, "{what}: {text}");
    fast.is_some()
}

macro_rules! operations {
    ($($kind:ident $($seg:ident)::+;)*) => {
        /// Compares both paths for the operation named `name` (`module::Type`);
        /// `None` when the list below lacks it. `Some(true)` when the fast path decoded.
        fn compare(name: &str, kind: &str, text: &str, documented: bool) -> Option<bool> {
            $(
                if name == stringify!($($seg)::+).replace(' ', "") && kind == stringify!($kind) {
                    return Some(operations!(@ $kind pims_sdk::$($seg)::+, name, text, documented));
                }
            )*
            None
        }
    };
    (@ reply $ty:path, $name:expr, $text:expr, $doc:expr) => {
        agree($name, $text, $doc, reference_reply::<$ty>($text), fast_reply::<$ty>($text), decode_reply::<$ty>($text))
    };
    (@ event $ty:path, $name:expr, $text:expr, $doc:expr) => {
        agree($name, $text, $doc, reference_event::<$ty>($text), fast_event::<$ty>($text), decode_event::<$ty>($text))
    };
}

// Every operation with a documented message; the test fails, naming it,
// when the generated crate documents one that is not listed here.
operations! {
    reply authentication::account::GetUsername;
    reply authentication::account::IsAccountBlocked;
    reply authentication::account::IsDeviceActivated;
    reply authentication::account::IsDeviceActivatedFca;
    reply authentication::enrollment::Enroll;
    reply authentication::enrollment::EnrollWithPhoneNumber;
    reply authentication::enrollment::RemoveEnrollment;
    reply authentication::key::GetKeys;
    reply authentication::otp::OtpWithPin;
    reply authentication::otp::OtpWithoutPin;
    reply authentication::pincode::CreatePin;
    reply authentication::pincode::ResetPin;
    reply authentication::pincode::UpdatePin;
    reply authentication::pincode::UpdatePinFca;
    reply authentication::session::OpenSession;
    reply authentication::smscode::AddPhoneNumber;
    reply authentication::smscode::ModifyPhoneNumber;
    reply authentication::smscode::PhoneNumberCertification;
    reply authentication::smscode::RequestEnrollmentCode;
    reply authentication::smscode::RequestPinResetCode;
    reply authentication::smscode::ValidateEnrollmentCode;
    reply authentication::token::GetCustomerAtToken;
    reply authentication::token::GetCvsToken;
    reply authentication::token::GetFcaToken;
    reply authentication::token::GetIdToken;
    reply authentication::trustedphonenumber::TrustedPhoneNumber;
    reply authentication::user::CreateAccount;
    reply authentication::user::CreateAccountFca;
    reply authentication::user::CreateSocialAccount;
    reply authentication::user::ForcedLogin;
    reply authentication::user::ForgotPassword;
    reply authentication::user::GetProfile;
    reply authentication::user::IsLogged;
    reply authentication::user::Login;
    reply authentication::user::LoginFca;
    reply authentication::user::Logout;
    reply authentication::user::LogoutFca;
    reply authentication::user::SocialLogin;
    reply authentication::user::UpdateLogin;
    reply authentication::user::UpdatePassword;
    reply sdk::configuration::ConfigureSdk;
    reply sdk::device::GetDeviceInfo;
    reply sdk::event::DisableEventNotifications;
    reply sdk::event::EnableEventNotifications;
    reply sdk::event::GetEventNotifications;
    reply sdk::event::RemoveVehicleNotifications;
    reply sdk::log::GetLogFilePath;
    reply sdk::logs::ListLogFiles;
    reply sdk::notification::HandlePushNotification;
    reply sdk::token::RegisterPushToken;
    reply sdk::token::UnregisterPushToken;
    reply sdk::version::GetSdkVersion;
    reply subscription::services::ListVehicleServices;
    reply subscription::step::GetNextStep;
    reply subscription::steps::GetStepsByCarAssociationId;
    reply subscription::steps::GetStepsById;
    reply subscription::steps::GetStepsByVin;
    reply subscription::vehicle::RemoveVehicle;
    reply vehicle::carkey::ActivateCarKey;
    reply vehicle::carkey::GetCarKeyStatus;
    reply vehicle::cleardata::ClearO2xData;
    reply vehicle::command::FlashLights;
    reply vehicle::command::HonkHorn;
    reply vehicle::command::SetCharging;
    reply vehicle::command::SetDeferredCharging;
    reply vehicle::command::SetDoorLock;
    reply vehicle::command::SetPreconditioning;
    reply vehicle::configuration::SetO2xLogLevel;
    event vehicle::connection::SubscribeConnection;
    reply vehicle::connection::GetConnection;
    reply vehicle::connection::SubscribeConnection;
    reply vehicle::coordinate::GetCoordinatesFromLink;
    reply vehicle::destination::SendDestinationCoordinates;
    reply vehicle::destination::SendDestinationLink;
    reply vehicle::destinations::ListPendingDestinations;
    reply vehicle::device::SetDeviceConnectable;
    event vehicle::event::SubscribeChargeEnd;
    event vehicle::event::SubscribeMediaButtons;
    event vehicle::event::SubscribeO2xEvents;
    event vehicle::event::SubscribeSentDestinations;
    event vehicle::event::SubscribeTripNDriveEvents;
    reply vehicle::event::SubscribeChargeEnd;
    reply vehicle::event::SubscribeMediaButtons;
    reply vehicle::event::SubscribeO2xEvents;
    reply vehicle::event::SubscribeSentDestinations;
    reply vehicle::event::SubscribeTripNDriveEvents;
    event vehicle::informations::SubscribeO2xStatus;
    reply vehicle::informations::GetO2xStatus;
    reply vehicle::informations::GetVehicleStatus;
    reply vehicle::informations::SubscribeO2xStatus;
    event vehicle::media::SubscribeMediaInfo;
    event vehicle::media::SubscribeStationScan;
    reply vehicle::media::ClearPresetStation;
    reply vehicle::media::ListMediaSources;
    reply vehicle::media::ListPresetStations;
    reply vehicle::media::ListScannedStations;
    reply vehicle::media::PlayPresetStation;
    reply vehicle::media::SavePresetStation;
    reply vehicle::media::SelectMediaSource;
    reply vehicle::media::SetMute;
    reply vehicle::media::SetVolume;
    reply vehicle::media::SkipMedia;
    reply vehicle::media::StartStationScan;
    reply vehicle::media::StepFrequency;
    reply vehicle::media::StopStationScan;
    reply vehicle::media::SubscribeMediaInfo;
    reply vehicle::media::SubscribeStationScan;
    reply vehicle::media::TuneFrequency;
    reply vehicle::price::GetEnergyPrices;
    reply vehicle::price::SetEnergyPrices;
    reply vehicle::privacy::GetPrivacy;
    reply vehicle::service::SwitchBluetoothService;
    reply vehicle::services::GetServicesStatus;
    reply vehicle::settings::GetMediaSettings;
    reply vehicle::settings::SetMediaSettings;
    event vehicle::signal::SubscribeCommandResults;
    reply vehicle::signal::SubscribeCommandResults;
    reply vehicle::statistics::GetTotalConsumption;
    reply vehicle::statistics::GetTotalDistance;
    reply vehicle::statistics::GetTotalDuration;
    reply vehicle::timeout::SetO2xTimeouts;
    reply vehicle::trip::GetFirstOrLastTrip;
    reply vehicle::trip::GetTripById;
    event vehicle::trips::SubscribeTrips;
    reply vehicle::trips::CountTrips;
    reply vehicle::trips::EditTrips;
    reply vehicle::trips::ExportTrips;
    reply vehicle::trips::ImportTrips;
    reply vehicle::trips::ListTrips;
    reply vehicle::trips::MergeTrips;
    reply vehicle::trips::RemoveTrips;
    reply vehicle::trips::SubscribeTrips;
    reply vehicle::trips::UnmergeTrip;
    reply vehicle::vin::GetO2xVin;
    reply vehicle::vin::SelectRemoteVehicle;
    reply vehicle::vin::SelectVehicle;
    reply vehicle::vins::ListTripVins;
}

/// A documented message: the operation (`module::Type`), `reply` or `event`, the text.
struct Example {
    name: String,
    kind: &'static str,
    text: String,
}

fn generated() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated-sdk/src/generated")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("the generated crate")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `decode_reply::<T>(r#"…"#)` and `decode_event::<T>(r#"…"#)` of the
/// generated docs.
fn examples() -> Vec<Example> {
    let root = generated();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut out = Vec::new();
    for file in files {
        let module = file
            .strip_prefix(&root)
            .expect("under the root")
            .with_extension("")
            .to_string_lossy()
            .replace(['/', '\\'], "::");
        let source = std::fs::read_to_string(&file).expect("a generated file");
        for (kind, call) in [("reply", "decode_reply::<"), ("event", "decode_event::<")] {
            for (at, _) in source.match_indices(call) {
                let rest = &source[at + call.len()..];
                let Some((ty, rest)) = rest.split_once(">(r#\"") else {
                    continue;
                };
                let text = rest.split_once("\"#)").expect("a closed literal").0;
                out.push(Example {
                    name: format!("{module}::{ty}"),
                    kind,
                    text: text.to_owned(),
                });
            }
        }
    }
    out
}

/// Where the JSON value starting at `at` ends (the text is valid JSON).
fn value_end(text: &[u8], at: usize) -> usize {
    let mut i = at;
    let mut depth = 0usize;
    let mut in_string = false;
    while i < text.len() {
        let c = text[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => {
                    in_string = false;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
        } else {
            match c {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth == 0 => return i,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                b',' if depth == 0 => return i,
                _ => {}
            }
        }
        i += 1;
    }
    i
}

/// Hostile variants of a valid message.
fn variants(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let deep = format!("{}{}", "[".repeat(130), "]".repeat(130));
    let unknown = [
        r#""\ud800""#.to_owned(),
        "1e400".to_owned(),
        deep,
        r#"[1,{"a":null},"\u00e9"]"#.to_owned(),
    ];
    let replacements = [
        "null",
        "{}",
        "[]",
        r#""\ud83d\ude00""#,
        "-0",
        "1.5",
        "18446744073709551616",
        "true",
    ];
    let mut out = vec![format!("{text} x"), format!("{text}\n ")];
    let mut in_string = false;
    let mut escaped = false;
    for (i, &c) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_string = true,
            // an unknown key at the start of every object
            b'{' => {
                let comma = if bytes.get(i + 1) == Some(&b'}') {
                    ""
                } else {
                    ","
                };
                for u in &unknown {
                    out.push(format!(
                        "{}\"zz\":{u}{comma}{}",
                        &text[..=i],
                        &text[i + 1..]
                    ));
                }
            }
            // every value replaced, and every key given twice
            b':' => {
                let end = value_end(bytes, i + 1);
                for r in replacements {
                    out.push(format!("{}{r}{}", &text[..=i], &text[end..]));
                }
                let key_start = text[..i - 1].rfind('"').expect("a key");
                out.push(format!(
                    "{},{}{}",
                    &text[..end],
                    &text[key_start..end],
                    &text[end..]
                ));
            }
            _ => {}
        }
    }
    out
}

#[test]
fn the_fast_path_decodes_every_documented_message_as_the_reference() {
    let examples = examples();
    assert!(
        examples.len() > 200,
        "{} documented messages",
        examples.len()
    );
    let (mut fast, mut total) = (0, 0);
    for example in &examples {
        let Some(decoded) = compare(&example.name, example.kind, &example.text, true) else {
            panic!(
                "{} {}: not in this test's list of operations; add `{} {};`",
                example.kind, example.name, example.kind, example.name
            );
        };
        assert!(decoded, "{}: {}", example.name, example.text);
        for variant in variants(&example.text) {
            total += 1;
            if compare(&example.name, example.kind, &variant, false) == Some(true) {
                fast += 1;
            }
        }
    }
    // the variants exercise both paths
    assert!(
        fast > 0 && fast < total,
        "{fast} of {total} variants took the fast path"
    );
    println!(
        "{} documented messages, {total} variants, {fast} decoded in one pass",
        examples.len()
    );
}
