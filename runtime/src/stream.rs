//! A subscription's events as a [`Stream`] (futures-core's).
//!
//! [`events`](crate::events) subscribes and, once the SDK acknowledged,
//! gives an [`Events`]: every later message of the subscription, decoded, in
//! the order the facade handed them over. It ends when the facade drops the
//! callback it was given (after `unsubscribe`, or when the bridge closes).

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use futures_core::Stream;

use crate::message::{DecodeError, Reply, decode_event};
use crate::operation::Subscription;

/// What one event of `S` decodes to.
pub type Event<S> =
    Result<Reply<<S as Subscription>::Event, <S as crate::Operation>::Error>, DecodeError>;

#[derive(Debug, Default)]
pub(crate) struct Queue {
    messages: VecDeque<String>,
    /// The facade dropped its callback: no message will come.
    closed: bool,
    /// The [`Events`] was dropped: messages are not kept.
    dropped: bool,
    waker: Option<Waker>,
}

fn lock(queue: &Mutex<Queue>) -> MutexGuard<'_, Queue> {
    queue
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The facade's side: the callback's end of the queue. Dropping it ends the stream.
pub(crate) struct Sender(Arc<Mutex<Queue>>);

impl Sender {
    pub(crate) fn push(&self, text: String) {
        let waker = {
            let mut queue = lock(&self.0);
            if queue.dropped {
                return;
            }
            queue.messages.push_back(text);
            queue.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl Drop for Sender {
    fn drop(&mut self) {
        let waker = {
            let mut queue = lock(&self.0);
            queue.closed = true;
            queue.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// The events of a subscription to `S`, decoded: a [`Stream`] (futures-core's)
/// with an inherent [`next`](Events::next), so no extension trait is needed to
/// read it.
///
/// Each item is a [`Reply`] (its `transactionId` and the event or the error
/// the SDK sent) or the [`DecodeError`] of a message that was not a valid
/// event. Dropping it does not unsubscribe: `pims.unsubscribe` takes the api
/// only, and ends every subscription to it ([`unsubscribe`](crate::unsubscribe)).
pub struct Events<S: Subscription> {
    queue: Arc<Mutex<Queue>>,
    transaction_id: String,
    subscription: PhantomData<fn() -> S>,
}

pub(crate) fn channel() -> (Sender, Arc<Mutex<Queue>>) {
    let queue = Arc::new(Mutex::new(Queue::default()));
    (Sender(queue.clone()), queue)
}

impl<S: Subscription> Events<S> {
    pub(crate) fn new(queue: Arc<Mutex<Queue>>, transaction_id: String) -> Self {
        Events {
            queue,
            transaction_id,
            subscription: PhantomData,
        }
    }

    /// The `transactionId` of the acknowledgement.
    pub fn transaction_id(&self) -> &str {
        &self.transaction_id
    }

    /// The next event; `None` once the facade dropped the subscription's callback.
    // an async `next`, as `StreamExt::next` is: not `Iterator::next`
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Next<'_, S> {
        Next(self)
    }

    /// The next event if one has arrived, without waiting.
    pub fn try_next(&mut self) -> Option<Event<S>> {
        let text = lock(&self.queue).messages.pop_front()?;
        Some(decode_event::<S>(&text))
    }

    /// Whether the stream has ended: the facade dropped the callback and
    /// every message it sent was read.
    pub fn is_ended(&self) -> bool {
        let queue = lock(&self.queue);
        queue.closed && queue.messages.is_empty()
    }
}

impl<S: Subscription> Stream for Events<S> {
    type Item = Event<S>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut queue = lock(&self.queue);
        if let Some(text) = queue.messages.pop_front() {
            drop(queue);
            return Poll::Ready(Some(decode_event::<S>(&text)));
        }
        if queue.closed {
            return Poll::Ready(None);
        }
        queue.waker = Some(cx.waker().clone());
        Poll::Pending
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let queue = lock(&self.queue);
        let n = queue.messages.len();
        (n, queue.closed.then_some(n))
    }
}

impl<S: Subscription> Drop for Events<S> {
    fn drop(&mut self) {
        let mut queue = lock(&self.queue);
        queue.dropped = true;
        queue.messages.clear();
    }
}

impl<S: Subscription> fmt::Debug for Events<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let queue = lock(&self.queue);
        f.debug_struct("Events")
            .field("api", &S::API)
            .field("operation", &S::NAME)
            .field("transaction_id", &self.transaction_id)
            .field("waiting", &queue.messages.len())
            .field("closed", &queue.closed)
            .finish()
    }
}

/// The future of [`Events::next`].
pub struct Next<'e, S: Subscription>(&'e mut Events<S>);

impl<S: Subscription> Future for Next<'_, S> {
    type Output = Option<Event<S>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut *self.0).poll_next(cx)
    }
}

impl<S: Subscription> fmt::Debug for Next<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Next").field(&self.0).finish()
    }
}
