//! The host bridge and the typed calls made through it.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::message::{DecodeError, Reply, decode_event, decode_reply};
use crate::operation::{
    Call, InvalidParameter, Operation, Subscription, Verb, encode_parameters_text,
};
use crate::stream::Events;

/// What the host bridge could not do (the platform SDK is missing, the bridge
/// closed, …). Reported by the [`Facade`] implementation, never by the SDK's
/// own messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacadeError(pub String);

impl fmt::Display for FacadeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "facade error: {}", self.0)
    }
}

impl std::error::Error for FacadeError {}

/// The bridge to the platform SDK: `pims.get|set|subscribe|unsubscribe(api, parameters, callback)`.
///
/// Parameters go in as a JSON object's text; messages come out as JSON text,
/// exactly as the platform SDK produced them. Decoding is the runtime's job.
pub trait Facade {
    /// Calls `pims.<verb>(api, parameters)` and resolves with the one message
    /// the callback receives (`get`, `set`, `unsubscribe`).
    fn send(
        &self,
        verb: Verb,
        api: &str,
        parameters: &str,
    ) -> impl Future<Output = Result<String, FacadeError>> + Send;

    /// Calls `pims.subscribe(api, parameters)`, resolves with the first message
    /// (the acknowledgement) and hands every later message to `on_message`.
    fn subscribe(
        &self,
        api: &str,
        parameters: &str,
        on_message: Box<dyn FnMut(String) + Send + 'static>,
    ) -> impl Future<Output = Result<String, FacadeError>> + Send;
}

/// Why a typed call did not give a result.
#[derive(Debug, Clone, PartialEq)]
pub enum CallError<E> {
    /// The parameters were refused before anything was sent.
    Invalid(InvalidParameter),
    /// The SDK answered `FAILED` with this error.
    Failed(E),
    /// The bridge could not make the call.
    Facade(FacadeError),
    /// The SDK's answer was not a valid message for this operation.
    Decode(DecodeError),
}

impl<E: fmt::Display> fmt::Display for CallError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Invalid(e) => e.fmt(f),
            CallError::Failed(e) => e.fmt(f),
            CallError::Facade(e) => e.fmt(f),
            CallError::Decode(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for CallError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CallError::Invalid(e) => Some(e),
            CallError::Failed(e) => Some(e),
            CallError::Facade(e) => Some(e),
            CallError::Decode(e) => Some(e),
        }
    }
}

/// The answer to a typed call, with the `transactionId` of the SDK's message.
///
/// [`call`], [`subscribe`], [`events`] and [`unsubscribe`] give the outcome
/// alone; their `*_answer` forms give this, so that the transaction is known
/// whatever happened (to log it, or to tell the SDK's support which call it was).
#[derive(Debug, Clone, PartialEq)]
pub struct Answer<T, E> {
    /// The `transactionId` of the message that answered: `None` when nothing
    /// was sent (the parameters were refused), the bridge failed, or the
    /// message carried no readable `transactionId`.
    pub transaction_id: Option<String>,
    /// What the call gave.
    pub outcome: Result<T, CallError<E>>,
}

impl<T, E> Answer<T, E> {
    /// The outcome, without the transaction.
    pub fn into_result(self) -> Result<T, CallError<E>> {
        self.outcome
    }

    fn refused(error: CallError<E>) -> Self {
        Answer {
            transaction_id: None,
            outcome: Err(error),
        }
    }
}

fn parameters_text<O: Operation, E>(operation: &O) -> Result<String, CallError<E>> {
    encode_parameters_text(operation).map_err(CallError::Invalid)
}

/// The `transactionId` of a message that did not decode, if it has one.
fn transaction_of(text: &str) -> Option<String> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(mut o)) => match o.remove("transactionId") {
            Some(serde_json::Value::String(id)) => Some(id),
            _ => None,
        },
        _ => None,
    }
}

/// Decodes the answer `text` to a call of `O`, keeping its transaction.
fn answer_of<O: Operation>(text: &str) -> Answer<O::Result, O::Error> {
    match decode_reply::<O>(text) {
        Ok(reply) => Answer {
            transaction_id: Some(reply.transaction_id),
            outcome: reply.outcome.map_err(CallError::Failed),
        },
        Err(e) => Answer {
            transaction_id: transaction_of(text),
            outcome: Err(CallError::Decode(e)),
        },
    }
}

/// Checks `operation`'s parameters, sends it, and decodes the answer.
pub async fn call<F, O>(facade: &F, operation: &O) -> Result<O::Result, CallError<O::Error>>
where
    F: Facade + ?Sized,
    O: Call,
{
    call_answer(facade, operation).await.outcome
}

/// [`call`], with the transaction of the answer.
pub async fn call_answer<F, O>(facade: &F, operation: &O) -> Answer<O::Result, O::Error>
where
    F: Facade + ?Sized,
    O: Call,
{
    let parameters = match parameters_text(operation) {
        Ok(p) => p,
        Err(e) => return Answer::refused(e),
    };
    match facade.send(O::VERB, O::API, &parameters).await {
        Ok(text) => answer_of::<O>(&text),
        Err(e) => Answer::refused(CallError::Facade(e)),
    }
}

/// Subscribes with `operation`'s parameters; resolves once the SDK
/// acknowledged, and hands each later event to `on_event`, decoded.
///
/// Events are handed over in the order the facade sent them, and never
/// before the acknowledgement was decoded: a bridge that calls back with an
/// event before the acknowledgement resolves has it held until then.
pub async fn subscribe<F, S, H>(
    facade: &F,
    operation: &S,
    on_event: H,
) -> Result<(), CallError<S::Error>>
where
    F: Facade + ?Sized,
    S: Subscription,
    H: FnMut(Result<Reply<S::Event, S::Error>, DecodeError>) + Send + 'static,
{
    subscribe_answer(facade, operation, on_event).await.outcome
}

/// [`subscribe`], with the transaction of the acknowledgement.
pub async fn subscribe_answer<F, S, H>(
    facade: &F,
    operation: &S,
    on_event: H,
) -> Answer<(), S::Error>
where
    F: Facade + ?Sized,
    S: Subscription,
    H: FnMut(Result<Reply<S::Event, S::Error>, DecodeError>) + Send + 'static,
{
    let parameters = match parameters_text(operation) {
        Ok(p) => p,
        Err(e) => return Answer::refused(e),
    };
    let relay = Arc::new(Mutex::new(Relay {
        handler: on_event,
        held: Some(Vec::new()),
    }));
    let to_relay = relay.clone();
    let on_message = Box::new(move |text: String| {
        let mut guard = lock(&to_relay);
        let relay = &mut *guard;
        match &mut relay.held {
            Some(held) => held.push(text),
            None => (relay.handler)(decode_event::<S>(&text)),
        }
    });
    // held events go to the handler once the acknowledgement is decoded, or
    // if this future is dropped first
    let release = Release::<S, H>(relay, std::marker::PhantomData);
    let answer = match facade.subscribe(S::API, &parameters, on_message).await {
        Ok(ack) => answer_of::<S>(&ack),
        Err(e) => Answer::refused(CallError::Facade(e)),
    };
    drop(release);
    Answer {
        transaction_id: answer.transaction_id,
        outcome: answer.outcome.map(|_| ()),
    }
}

/// Subscribes with `operation`'s parameters and, once the SDK acknowledged,
/// gives its events as a [`Stream`](futures_core::Stream).
pub async fn events<F, S>(facade: &F, operation: &S) -> Result<Events<S>, CallError<S::Error>>
where
    F: Facade + ?Sized,
    S: Subscription,
{
    events_answer(facade, operation).await.outcome
}

/// [`events`], with the transaction of the acknowledgement.
pub async fn events_answer<F, S>(facade: &F, operation: &S) -> Answer<Events<S>, S::Error>
where
    F: Facade + ?Sized,
    S: Subscription,
{
    let parameters = match parameters_text(operation) {
        Ok(p) => p,
        Err(e) => return Answer::refused(e),
    };
    let (sender, queue) = crate::stream::channel();
    let on_message = Box::new(move |text: String| sender.push(text));
    let answer = match facade.subscribe(S::API, &parameters, on_message).await {
        Ok(ack) => answer_of::<S>(&ack),
        Err(e) => Answer::refused(CallError::Facade(e)),
    };
    let id = answer.transaction_id.clone().unwrap_or_default();
    Answer {
        transaction_id: answer.transaction_id,
        outcome: answer.outcome.map(|_| Events::new(queue, id)),
    }
}

/// Ends the subscriptions to `S`'s api: `pims.unsubscribe(api)` takes the api name only.
pub async fn unsubscribe<F, S>(facade: &F) -> Result<(), CallError<S::Error>>
where
    F: Facade + ?Sized,
    S: Subscription,
{
    unsubscribe_answer::<F, S>(facade).await.outcome
}

/// [`unsubscribe`], with the transaction of the answer.
pub async fn unsubscribe_answer<F, S>(facade: &F) -> Answer<(), S::Error>
where
    F: Facade + ?Sized,
    S: Subscription,
{
    match facade.send(Verb::Unsubscribe, S::API, "{}").await {
        Ok(text) => answer_of::<Unsubscribe<S>>(&text),
        Err(e) => Answer::refused(CallError::Facade(e)),
    }
}

/// The handler of a subscription, and the events held until its acknowledgement.
struct Relay<H> {
    handler: H,
    /// `Some` until the acknowledgement is decoded.
    held: Option<Vec<String>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Hands the held events to the handler when dropped.
struct Release<S: Subscription, H>(Arc<Mutex<Relay<H>>>, std::marker::PhantomData<fn() -> S>)
where
    H: FnMut(Result<Reply<S::Event, S::Error>, DecodeError>);

impl<S: Subscription, H> Drop for Release<S, H>
where
    H: FnMut(Result<Reply<S::Event, S::Error>, DecodeError>),
{
    fn drop(&mut self) {
        let mut guard = lock(&self.0);
        let relay = &mut *guard;
        for text in relay.held.take().unwrap_or_default() {
            (relay.handler)(decode_event::<S>(&text));
        }
    }
}

/// The answer to `unsubscribe` decodes like a call of `S` with no data.
struct Unsubscribe<S>(std::marker::PhantomData<S>);

impl<S> serde::Serialize for Unsubscribe<S> {
    fn serialize<Z: serde::Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        serializer.serialize_unit()
    }
}

impl<'de, S> serde::Deserialize<'de> for Unsubscribe<S> {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Ok(Unsubscribe(std::marker::PhantomData))
    }
}

impl<S: Subscription> Operation for Unsubscribe<S> {
    const API: &'static str = S::API;
    const NAME: &'static str = S::NAME;
    const VERB: Verb = Verb::Unsubscribe;
    const SELECTOR: &'static [(&'static str, crate::operation::Const)] = &[];
    const CHECKS: &'static [crate::operation::Check] = &[];
    type Result = ();
    type Error = S::Error;
}

/// A facade with the typed calls as methods.
#[derive(Debug, Clone)]
pub struct Client<F> {
    facade: F,
}

impl<F: Facade> Client<F> {
    /// Wraps a host bridge.
    pub fn new(facade: F) -> Self {
        Client { facade }
    }

    /// The host bridge.
    pub fn facade(&self) -> &F {
        &self.facade
    }

    /// See [`call`].
    pub async fn call<O: Call>(&self, operation: &O) -> Result<O::Result, CallError<O::Error>> {
        call(&self.facade, operation).await
    }

    /// See [`call_answer`]: the result with its transaction.
    pub async fn call_answer<O: Call>(&self, operation: &O) -> Answer<O::Result, O::Error> {
        call_answer(&self.facade, operation).await
    }

    /// See [`subscribe`].
    pub async fn subscribe<S, H>(
        &self,
        operation: &S,
        on_event: H,
    ) -> Result<(), CallError<S::Error>>
    where
        S: Subscription,
        H: FnMut(Result<Reply<S::Event, S::Error>, DecodeError>) + Send + 'static,
    {
        subscribe(&self.facade, operation, on_event).await
    }

    /// See [`subscribe_answer`].
    pub async fn subscribe_answer<S, H>(&self, operation: &S, on_event: H) -> Answer<(), S::Error>
    where
        S: Subscription,
        H: FnMut(Result<Reply<S::Event, S::Error>, DecodeError>) + Send + 'static,
    {
        subscribe_answer(&self.facade, operation, on_event).await
    }

    /// See [`events`]: the subscription's events as a `Stream`.
    pub async fn events<S: Subscription>(
        &self,
        operation: &S,
    ) -> Result<Events<S>, CallError<S::Error>> {
        events(&self.facade, operation).await
    }

    /// See [`events_answer`].
    pub async fn events_answer<S: Subscription>(
        &self,
        operation: &S,
    ) -> Answer<Events<S>, S::Error> {
        events_answer(&self.facade, operation).await
    }

    /// See [`unsubscribe`].
    pub async fn unsubscribe<S: Subscription>(&self) -> Result<(), CallError<S::Error>> {
        unsubscribe::<F, S>(&self.facade).await
    }

    /// See [`unsubscribe_answer`].
    pub async fn unsubscribe_answer<S: Subscription>(&self) -> Answer<(), S::Error> {
        unsubscribe_answer::<F, S>(&self.facade).await
    }
}
