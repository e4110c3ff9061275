//! The runtime against raw serde_json, on generated types (`pims-sdk`):
//!
//! - `decode_reply` against `serde_json::from_str` into the same result type
//!   (and the raw `WireError` for a failure): the documented SUCCEEDED reply
//!   of `pims.vehicle.informations getVehicleStatus` (1,166 bytes), and a
//!   FAILED one;
//! - parameters encoded and checked as the facade sends them
//!   (`encode_parameters_text`) against `serde_json::to_string` of the same
//!   request: without a pattern
//!   (`getVehicleStatus`: a selector and an enumeration checked) and with one
//!   (`pims.authentication.smscode phoneNumberCertification`).
//!
//! Criterion measures each side; then the ratios are measured side by side:
//! rounds of ours and serde_json alternate (ours first in even rounds), and
//! each round gives one ratio; min / median / max over the rounds are printed.
//!
//! `cargo bench -p pims-runtime --bench wire` (docs/performance.md).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use pims_runtime::serde::Deserialize;
use pims_runtime::{WireError, decode_reply, encode_parameters, encode_parameters_text};
use pims_sdk::authentication::smscode::PhoneNumberCertification;
use pims_sdk::vehicle::informations::{
    GetVehicleStatus, GetVehicleStatusAction, GetVehicleStatusError, GetVehicleStatusResult,
};

/// The documented example of `getVehicleStatus`, as the facade sends it.
const SUCCEEDED: &str = r#"{"transactionId":"953cfefb-bc72-4a5c-9f3e-1b2d3c4e5f60","status":"SUCCEEDED","result":{"vehicle":{"ressources":{"status":{"lastUpdate":"2021-07-29T22:25:09.898Z","fuelInformation":{"autonomy":130.0,"chargingLevel":100,"lastUpdate":"2021-07-29T22:25:09.898Z","consumption":23.0,"type":"fuel"},"doorStateInformation":{"isDriverDoorOpened":true,"isPassengerDoorOpened":false,"isRearLeftDoorOpened":false,"isRearRightDoorOpened":false,"isRearWindowOpened":false,"isRoofWindowOpened":false,"isTrunkDoorOpened":true,"state":["Unlocked","CargoDoorsLocked"]},"precondInformation":{"lastUpdate":"2021-07-29T22:25:09.898Z","PrecondScheduling":{"hour":16,"isEnabled":true,"recurrence":"Daily","occurrence":["Mon","Fri","Sat"],"slot":1,"minute":25},"status":"Enabled"},"electricInformation":{"autonomy":22,"ChargingInfo":{"chargingMode":"QUICK","chargingRate":90.0,"isPlugged":true,"nextDeferredChargingDate":"PT22H30M","chargingState":"DISCONNECTED","remainingTime":"PT0S"},"chargingLevel":100,"lastUpdate":"2021-07-29T22:25:09.898Z","type":"electric"},"vehicleType":"hybrid","vin":"VR1AB12C3D4567890"}},"attributes":{"engine":"BEV","vin":"VR1AB12C3D4567890","brand":"opel"}}}}"#;

/// A failure with a filled-in placeholder.
const FAILED: &str = r#"{"transactionId":"953cfefb-bc72-4a5c-9f3e-1b2d3c4e5f60","status":"FAILED","error":{"code":2101,"label":"Missing vin parameter"}}"#;

/// The message as raw serde_json decodes it: the same result type, the
/// error as it is on the wire.
#[derive(Debug, Deserialize)]
#[serde(crate = "pims_runtime::serde")]
struct Raw<T> {
    #[serde(rename = "transactionId")]
    transaction_id: String,
    status: String,
    #[serde(default = "none")]
    result: Option<T>,
    #[serde(default)]
    error: Option<WireError>,
}

fn none<T>() -> Option<T> {
    None
}

fn ours_succeeded() -> GetVehicleStatusResult {
    match decode_reply::<GetVehicleStatus>(black_box(SUCCEEDED)) {
        Ok(reply) => reply.outcome.expect("SUCCEEDED"),
        Err(e) => panic!("{e}"),
    }
}

fn raw_succeeded() -> Raw<GetVehicleStatusResult> {
    serde_json::from_str(black_box(SUCCEEDED)).expect("decodes")
}

fn ours_failed() -> GetVehicleStatusError {
    match decode_reply::<GetVehicleStatus>(black_box(FAILED)) {
        Ok(reply) => reply.outcome.expect_err("FAILED"),
        Err(e) => panic!("{e}"),
    }
}

fn raw_failed() -> Raw<GetVehicleStatusResult> {
    serde_json::from_str(black_box(FAILED)).expect("decodes")
}

fn plain_request() -> GetVehicleStatus {
    GetVehicleStatus::new(GetVehicleStatusAction::RefreshWithWakeUp)
}

fn pattern_request() -> PhoneNumberCertification {
    PhoneNumberCertification::new("+33612345678")
}

fn ours_encode<O: pims_runtime::Operation>(op: &O) -> String {
    match encode_parameters_text(black_box(op)) {
        Ok(text) => text,
        Err(e) => panic!("{e}"),
    }
}

/// The parameters as a map (`encode_parameters`), then the text: the first
/// version's way, kept as the reference.
fn map_encode<O: pims_runtime::Operation>(op: &O) -> String {
    match encode_parameters(black_box(op)) {
        Ok(parameters) => serde_json::Value::Object(parameters).to_string(),
        Err(e) => panic!("{e}"),
    }
}

fn raw_encode<O: serde::Serialize>(op: &O) -> String {
    serde_json::to_string(black_box(op)).expect("serializes")
}

/// Both sides do the same work: the same values, the same text.
fn same_work() {
    assert_eq!(
        SUCCEEDED.len(),
        1166,
        "the size the docs and the output name"
    );
    let raw = raw_succeeded();
    assert_eq!(
        (raw.transaction_id.len(), raw.status.as_str()),
        (36, "SUCCEEDED")
    );
    assert_eq!(Some(ours_succeeded()), raw.result);
    assert!(matches!(
        ours_failed(),
        GetVehicleStatusError::MissingParameter(details) if details.parameter.as_deref() == Some("vin")
    ));
    assert_eq!(raw_failed().error.map(|e| e.code), Some(2101));
    let plain = plain_request();
    assert_eq!(ours_encode(&plain), raw_encode(&plain));
    assert_eq!(map_encode(&plain), raw_encode(&plain));
    let pattern = pattern_request();
    assert_eq!(ours_encode(&pattern), raw_encode(&pattern));
    assert_eq!(map_encode(&pattern), raw_encode(&pattern));
}

fn criterion_benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("decode SUCCEEDED (1.2 KB)");
    g.bench_function("decode_reply", |b| b.iter(ours_succeeded));
    g.bench_function("serde_json::from_str", |b| b.iter(raw_succeeded));
    g.finish();
    let mut g = c.benchmark_group("decode FAILED");
    g.bench_function("decode_reply", |b| b.iter(ours_failed));
    g.bench_function("serde_json::from_str", |b| b.iter(raw_failed));
    g.finish();
    let plain = plain_request();
    let mut g = c.benchmark_group("encode, no pattern");
    g.bench_function("encode_parameters_text", |b| b.iter(|| ours_encode(&plain)));
    g.bench_function("encode_parameters + text", |b| {
        b.iter(|| map_encode(&plain))
    });
    g.bench_function("serde_json::to_string", |b| b.iter(|| raw_encode(&plain)));
    g.finish();
    let pattern = pattern_request();
    let mut g = c.benchmark_group("encode, pattern");
    g.bench_function("encode_parameters_text", |b| {
        b.iter(|| ours_encode(&pattern))
    });
    g.bench_function("encode_parameters + text", |b| {
        b.iter(|| map_encode(&pattern))
    });
    g.bench_function("serde_json::to_string", |b| b.iter(|| raw_encode(&pattern)));
    g.finish();
}

/// Time of `n` calls of `f`.
fn time<T>(n: u32, f: &mut impl FnMut() -> T) -> Duration {
    let start = Instant::now();
    for _ in 0..n {
        black_box(f());
    }
    start.elapsed()
}

/// Rounds of `ours` and `raw` side by side: per-call times and ratios.
fn paired<A, B>(
    name: &str,
    rounds: usize,
    mut ours: impl FnMut() -> A,
    mut raw: impl FnMut() -> B,
) {
    // about 20 ms per side and round
    let probe = time(200, &mut raw).max(Duration::from_micros(1));
    let n =
        ((Duration::from_millis(20).as_secs_f64() / probe.as_secs_f64()) * 200.0).max(10.0) as u32;
    time(n, &mut ours);
    time(n, &mut raw);
    let (mut o, mut r, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (a, b) = if round % 2 == 0 {
            let a = time(n, &mut ours);
            (a, time(n, &mut raw))
        } else {
            let b = time(n, &mut raw);
            (time(n, &mut ours), b)
        };
        let per = |d: Duration| d.as_secs_f64() * 1e6 / f64::from(n);
        o.push(per(a));
        r.push(per(b));
        ratios.push(a.as_secs_f64() / b.as_secs_f64());
    }
    let stats = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[0], v[v.len() / 2], v[v.len() - 1])
    };
    let (o, r, q) = (stats(&mut o), stats(&mut r), stats(&mut ratios));
    println!(
        "{name:<34} ours {:>6.2} / {:>6.2} / {:>6.2} µs   serde_json {:>6.2} / {:>6.2} / {:>6.2} µs   ours/serde_json {:>5.2} / {:>5.2} / {:>5.2}×",
        o.0, o.1, o.2, r.0, r.1, r.2, q.0, q.1, q.2
    );
}

fn main() {
    same_work();
    let args: Vec<String> = std::env::args().collect();
    // `cargo test --benches` runs each bench once: the checks above are the test
    let test = args.iter().any(|a| a == "--test" || a == "--list");
    let mut c = Criterion::default().configure_from_args();
    criterion_benches(&mut c);
    c.final_summary();
    if test {
        return;
    }
    let rounds = 31;
    println!(
        "\nside by side: {rounds} rounds, ours and serde_json alternating; min / median / max per call, and of the per-round ratios"
    );
    paired(
        "decode SUCCEEDED (1.2 KB)",
        rounds,
        ours_succeeded,
        raw_succeeded,
    );
    paired("decode FAILED", rounds, ours_failed, raw_failed);
    let plain = plain_request();
    paired(
        "encode + check, no pattern",
        rounds,
        || ours_encode(&plain),
        || raw_encode(&plain),
    );
    let pattern = pattern_request();
    paired(
        "encode + check, pattern",
        rounds,
        || ours_encode(&pattern),
        || raw_encode(&pattern),
    );
}
