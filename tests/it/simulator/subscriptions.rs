//! Subscriptions end to end: the acknowledgement, then scripted events and
//! errors, as a `Stream` and through the callback; events emitted later;
//! `unsubscribe`, which ends them.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use pims_runtime::{CallError, Client, Facade, FacadeError, Verb};
use pims_sdk::vehicle::connection::{
    SubscribeConnection, SubscribeConnectionError, SubscribeConnectionEvent,
    SubscribeConnectionEventStatus,
};
use serde_json::json;

use super::{json, run};

fn event(vin: &str, status: &str) -> SubscribeConnectionEvent {
    // until the generated constructors land, events are built from JSON
    serde_json::from_value(json!({"vin": vin, "status": status, "protocol": "CEA"})).unwrap()
}

#[test]
fn a_stream_gets_the_acknowledgement_then_three_events_and_an_error() {
    let sim = pims_sdk::simulator();
    let events = [
        event("VIN1", "Connected"),
        event("VIN1", "Disconnected"),
        event("VIN2", "Connected"),
    ];
    sim.on::<SubscribeConnection>()
        .answer()
        .event(events[0].clone())
        .event(events[1].clone())
        .event(events[2].clone())
        .event_error(SubscribeConnectionError::FacadeNotInitialized);
    let client = Client::new(sim.clone());
    run(async {
        let answer = client.events_answer(&SubscribeConnection::new()).await;
        let ack_id = answer.transaction_id.clone().expect("acknowledged");
        let mut stream = answer.into_result().expect("acknowledged");
        assert_eq!(stream.transaction_id(), ack_id);
        for expected in &events {
            let reply = stream.next().await.expect("an event").expect("decodes");
            assert_eq!(reply.transaction_id, ack_id);
            assert_eq!(reply.outcome.as_ref(), Ok(expected));
        }
        let failed = stream.next().await.expect("the error").expect("decodes");
        assert_eq!(
            failed.outcome,
            Err(SubscribeConnectionError::FacadeNotInitialized)
        );
        // nothing more until something is emitted
        assert!(stream.try_next().is_none());
        assert!(!stream.is_ended());
        assert_eq!(sim.on::<SubscribeConnection>().subscribers(), 1);
        assert_eq!(
            sim.on::<SubscribeConnection>()
                .emit(event("VIN3", "Connected")),
            1
        );
        let later = stream.next().await.expect("emitted").expect("decodes");
        assert_eq!(
            later.outcome.unwrap().status,
            Some(SubscribeConnectionEventStatus::Connected)
        );
        // unsubscribe: answered, recorded, and the stream ends
        let unsubscribed = client.unsubscribe_answer::<SubscribeConnection>().await;
        assert_eq!(unsubscribed.outcome, Ok(()));
        assert!(unsubscribed.transaction_id.is_some());
        assert!(stream.next().await.is_none(), "the stream ends");
        assert!(stream.is_ended());
        assert_eq!(sim.on::<SubscribeConnection>().subscribers(), 0);
        assert_eq!(
            sim.on::<SubscribeConnection>()
                .emit(event("VIN4", "Connected")),
            0
        );
    });
    let calls = sim.calls();
    let verbs: Vec<(Verb, &str)> = calls.iter().map(|c| (c.verb, c.api.as_str())).collect();
    assert_eq!(
        verbs,
        [
            (Verb::Subscribe, "pims.vehicle.connection"),
            (Verb::Unsubscribe, "pims.vehicle.connection")
        ]
    );
    assert_eq!(
        calls[0].answer.len(),
        5,
        "the acknowledgement, three events, the error"
    );
    assert_eq!(json(&calls[0].answer[4])["status"], "RESULT");
    assert_eq!(json(&calls[1].answer[0])["result"], json!(null));
}

#[test]
fn the_callback_gets_the_same_events_in_order() {
    let sim = pims_sdk::simulator();
    sim.on::<SubscribeConnection>()
        .answer()
        .event(event("VIN1", "Connected"))
        .then_message("not an event")
        .event(event("VIN1", "Disconnected"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let keep = seen.clone();
    let client = Client::new(sim.clone());
    let ack = run(client.subscribe(&SubscribeConnection::new(), move |e| {
        keep.lock().unwrap().push(e)
    }));
    assert_eq!(ack, Ok(()));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3);
    assert_eq!(
        seen[0].as_ref().unwrap().outcome.as_ref().unwrap().vin,
        "VIN1"
    );
    assert_eq!(seen[1].as_ref().unwrap_err().path, "");
    assert_eq!(
        seen[2].as_ref().unwrap().outcome.as_ref().unwrap().status,
        Some(SubscribeConnectionEventStatus::Disconnected)
    );
    assert_eq!(run(client.unsubscribe::<SubscribeConnection>()), Ok(()));
}

#[test]
fn a_failed_acknowledgement_opens_no_subscription() {
    let sim = pims_sdk::simulator();
    sim.on::<SubscribeConnection>()
        .fail(SubscribeConnectionError::FacadeNotInitialized);
    let client = Client::new(sim.clone());
    let got = run(client.events(&SubscribeConnection::new()));
    assert!(matches!(
        got,
        Err(CallError::Failed(
            SubscribeConnectionError::FacadeNotInitialized
        ))
    ));
    assert_eq!(sim.on::<SubscribeConnection>().subscribers(), 0);
    // a failed unsubscribe keeps the subscriptions open
    let _stream = run(client.events(&SubscribeConnection::new())).unwrap();
    sim.on::<SubscribeConnection>()
        .unsubscribe_fails(SubscribeConnectionError::FacadeNotInitialized);
    assert_eq!(
        run(client.unsubscribe::<SubscribeConnection>()),
        Err(CallError::Failed(
            SubscribeConnectionError::FacadeNotInitialized
        ))
    );
    assert_eq!(sim.on::<SubscribeConnection>().subscribers(), 1);
}

#[test]
fn a_late_acknowledgement_brings_its_events_with_it() {
    let sim = pims_sdk::simulator();
    sim.on::<SubscribeConnection>()
        .answer()
        .event(event("VIN1", "Connected"))
        .after(std::time::Duration::from_millis(30));
    let client = Client::new(sim.clone());
    run(async {
        let mut stream = client.events(&SubscribeConnection::new()).await.unwrap();
        let first = stream.next().await.unwrap().unwrap();
        assert_eq!(first.outcome.unwrap().vin, "VIN1");
    });
}

/// A bridge that calls back with an event before its acknowledgement
/// resolves, and resolves only on the second poll.
struct Early;

struct SecondPoll(bool);

impl Future for SecondPoll {
    type Output = Result<String, FacadeError>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.0 {
            Poll::Ready(Ok(
                r#"{"transactionId":"a","status":"SUCCEEDED","result":null}"#.into(),
            ))
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

impl Facade for Early {
    fn send(
        &self,
        _: Verb,
        _: &str,
        _: &str,
    ) -> impl Future<Output = Result<String, FacadeError>> + Send {
        std::future::ready(Err(FacadeError("no calls here".into())))
    }

    fn subscribe(
        &self,
        _: &str,
        _: &str,
        mut on_message: Box<dyn FnMut(String) + Send + 'static>,
    ) -> impl Future<Output = Result<String, FacadeError>> + Send {
        on_message(
            r#"{"transactionId":"e","status":"RESULT","result":{"vin":"EARLY"}}"#.to_owned(),
        );
        SecondPoll(false)
    }
}

#[test]
fn events_are_never_handed_over_before_the_acknowledgement() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let keep = seen.clone();
    let client = Client::new(Early);
    let operation = SubscribeConnection::new();
    let mut subscribing =
        Box::pin(client.subscribe(&operation, move |e| keep.lock().unwrap().push(e)));
    let mut cx = Context::from_waker(Waker::noop());
    assert!(subscribing.as_mut().poll(&mut cx).is_pending());
    assert!(
        seen.lock().unwrap().is_empty(),
        "held until the acknowledgement"
    );
    assert_eq!(subscribing.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].as_ref().unwrap().outcome.as_ref().unwrap().vin,
        "EARLY"
    );
}

#[test]
fn a_subscription_dropped_before_its_acknowledgement_still_hands_over_its_events() {
    let seen = Arc::new(Mutex::new(0));
    let keep = seen.clone();
    let client = Client::new(Early);
    let operation = SubscribeConnection::new();
    let mut subscribing =
        Box::pin(client.subscribe(&operation, move |_| *keep.lock().unwrap() += 1));
    let mut cx = Context::from_waker(Waker::noop());
    assert!(subscribing.as_mut().poll(&mut cx).is_pending());
    assert_eq!(*seen.lock().unwrap(), 0);
    drop(subscribing);
    assert_eq!(*seen.lock().unwrap(), 1);
}
