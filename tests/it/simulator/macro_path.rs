//! The macro path carries the same: `sdk!("…", simulator)` gives
//! `simulator()` for the spec written from the docs (operations told apart
//! by their required parameters, a recursive type, written examples with
//! events, a catalogue without 2002).

use pims_runtime::{Client, Facade, Operation, Verb};

use super::{json, run, send};

mod good {
    pims_macros::sdk!("specs/good", simulator);
}

use good::garage::door::{DoorEvents, DoorStatus};
use good::home::files::{FolderById, FolderByPath, RootFolders};

#[test]
fn the_expansion_carries_the_contract_and_a_simulator() {
    let sim = good::simulator();
    let names: Vec<String> = sim.contract().operations.iter().map(|o| o.id()).collect();
    for op in [
        "pims.garage.door#doorStatus",
        "pims.garage.door#doorEvents",
        "pims.home.files#folderById",
        "pims.home.files#folderByPath",
    ] {
        assert!(names.iter().any(|n| n == op), "{op} in {names:?}");
    }
    let client = Client::new(sim.clone());
    // the written example's result, recursion included
    let roots = run(client.call(&RootFolders::new())).unwrap();
    assert_eq!(roots.len(), 1);
    assert_eq!(roots[0].name, "Photos");
    assert_eq!(roots[0].children[0].name, "2024");
    // no selector: the required parameter present tells the operations apart
    let by_id = send(&sim, Verb::Get, FolderById::API, r#"{"folderId":12}"#);
    let by_path = send(&sim, Verb::Get, FolderByPath::API, r#"{"path":"/Nowhere"}"#);
    let calls = sim.calls();
    assert_eq!(calls[1].operation, Some("folderById"));
    assert_eq!(calls[2].operation, Some("folderByPath"));
    assert_eq!(
        json(&by_path)["result"],
        serde_json::json!(null),
        "its written example"
    );
    assert!(json(&by_id)["result"]["name"].is_string());
    // neither: the first one's required parameter is missing
    let neither = json(&send(&sim, Verb::Get, FolderById::API, "{}"));
    assert_eq!(neither["error"]["code"], 2101);
    assert_eq!(neither["error"]["label"], "Missing folderId parameter");
    // a catalogue without 2002 still names it
    let unknown = json(&send(&sim, Verb::Get, "pims.nowhere", "{}"));
    assert_eq!(unknown["error"]["label"], "API not supported");
}

#[test]
fn a_subscription_sends_its_written_events_and_made_up_values_meet_their_pattern() {
    let sim = good::simulator();
    let client = Client::new(sim.clone());
    run(async {
        let mut events = client.events(&DoorEvents::new()).await.unwrap();
        let first = events.next().await.unwrap().unwrap().outcome.unwrap();
        let second = events.next().await.unwrap().unwrap().outcome.unwrap();
        assert_eq!(first.at, "2024-05-02T08:15:00Z");
        assert_eq!(second.at, "2024-05-02T08:15:12Z");
        assert!(events.try_next().is_none());
    });
    // every operation's default answer meets its contract, seeds alike
    for seed in 0..20 {
        let sim = good::simulator().with_seed(seed);
        for op in good::simulator::CONTRACT.operations {
            let parameters = op.examples.first().map_or("{}", |e| e.parameters);
            let answer = if op.is_subscription() {
                run(sim.subscribe(op.api, parameters, Box::new(|_| {}))).unwrap()
            } else {
                send(&sim, op.verb, op.api, parameters)
            };
            // checked as the operation it was taken for: `firmwareAcme` and
            // `firmwareGlobex` are the same call, the first answers
            let taken = sim.calls().pop().unwrap().operation.unwrap();
            let taken = good::simulator::CONTRACT.operation(op.api, taken).unwrap();
            let issues = good::simulator::CONTRACT.check_reply(taken, &answer);
            assert!(
                issues.is_empty(),
                "seed {seed}, {}: {answer}: {issues:?}",
                op.id()
            );
        }
    }
    // the serial number of the door status follows `^[A-Z]{2}[0-9]{8}$` or is its example
    let status = run(Client::new(good::simulator()).call(&DoorStatus::new())).unwrap();
    assert_eq!(status.serial, "GD12345678");
}
