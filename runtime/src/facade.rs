//! The host bridge and the typed calls made through it.

use std::fmt;
use std::future::Future;

use crate::message::{DecodeError, Reply, decode_event, decode_reply};
use crate::operation::{
    Call, InvalidParameter, Operation, Subscription, Verb, encode_parameters_text,
};

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

fn parameters_text<O: Operation, E>(operation: &O) -> Result<String, CallError<E>> {
    encode_parameters_text(operation).map_err(CallError::Invalid)
}

/// Checks `operation`'s parameters, sends it, and decodes the answer.
pub async fn call<F, O>(facade: &F, operation: &O) -> Result<O::Result, CallError<O::Error>>
where
    F: Facade + ?Sized,
    O: Call,
{
    let parameters = parameters_text(operation)?;
    let text = facade
        .send(O::VERB, O::API, &parameters)
        .await
        .map_err(CallError::Facade)?;
    let reply = decode_reply::<O>(&text).map_err(CallError::Decode)?;
    reply.outcome.map_err(CallError::Failed)
}

/// Subscribes with `operation`'s parameters; resolves once the SDK
/// acknowledged, and hands each later event to `on_event`, decoded.
pub async fn subscribe<F, S, H>(
    facade: &F,
    operation: &S,
    mut on_event: H,
) -> Result<(), CallError<S::Error>>
where
    F: Facade + ?Sized,
    S: Subscription,
    H: FnMut(Result<Reply<S::Event, S::Error>, DecodeError>) + Send + 'static,
{
    let parameters = parameters_text(operation)?;
    let on_message = Box::new(move |text: String| on_event(decode_event::<S>(&text)));
    let ack = facade
        .subscribe(S::API, &parameters, on_message)
        .await
        .map_err(CallError::Facade)?;
    let reply = decode_reply::<S>(&ack).map_err(CallError::Decode)?;
    reply.outcome.map(|_| ()).map_err(CallError::Failed)
}

/// Ends the subscriptions to `S`'s api: `pims.unsubscribe(api)` takes the api name only.
pub async fn unsubscribe<F, S>(facade: &F) -> Result<(), CallError<S::Error>>
where
    F: Facade + ?Sized,
    S: Subscription,
{
    let text = facade
        .send(Verb::Unsubscribe, S::API, "{}")
        .await
        .map_err(CallError::Facade)?;
    let reply = decode_reply::<Unsubscribe<S>>(&text).map_err(CallError::Decode)?;
    reply.outcome.map_err(CallError::Failed)
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

    /// See [`unsubscribe`].
    pub async fn unsubscribe<S: Subscription>(&self) -> Result<(), CallError<S::Error>> {
        unsubscribe::<F, S>(&self.facade).await
    }
}
