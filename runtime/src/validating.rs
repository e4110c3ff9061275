//! A facade that checks everything going through it against the contract.
//!
//! [`Validating`] wraps any [`Facade`] (the bridge to the real SDK, say) and
//! checks every parameters object the app sends and every message that
//! comes back (answers, acknowledgements, events) against the operation's
//! contract: the checks of its JSON Schemas, the codes it lists and the
//! catalogue's labels. Each disagreement goes to a handler as a [`Violation`]
//! (operation, path, expected, found); what the app receives is never
//! changed, held or reordered. Maintainers run an app against the real SDK
//! with it to find where the SDK and the spec disagree.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{Map, Value};

use crate::contract::{Contract, Issue, OperationEntry, Unmatched};
use crate::facade::{Facade, FacadeError};
use crate::operation::Verb;

/// Which way the value was going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Parameters the app sent.
    Sent,
    /// A message the SDK answered with.
    Received,
}

/// One place where what went through the facade disagrees with the contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Sent parameters, or a received message.
    pub direction: Direction,
    /// The operation, as `api#name` (`pims.authentication.smscode#phoneNumberCertification`),
    /// or `api (verb)` when the contract has no operation for the call.
    pub operation: String,
    /// Where: a dotted path with indexes from the parameters object or the
    /// message (`phoneNumber`, `result.status`, `error.code`); empty for the whole.
    pub path: String,
    /// What the contract says.
    pub expected: String,
    /// What was there (JSON, shortened), or `nothing`.
    pub found: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.direction {
            Direction::Sent => "sent",
            Direction::Received => "received",
        };
        let at = if self.path.is_empty() {
            String::from("the message")
        } else {
            format!("`{}`", self.path)
        };
        write!(
            f,
            "{}: {what} {at}: expected {}, found {}",
            self.operation, self.expected, self.found
        )
    }
}

type Handler = Arc<dyn Fn(Violation) + Send + Sync + 'static>;

/// A [`Facade`] that checks what goes through `F` and reports each violation.
pub struct Validating<F> {
    inner: F,
    contract: &'static Contract,
    report: Handler,
}

impl<F: fmt::Debug> fmt::Debug for Validating<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Validating")
            .field("inner", &self.inner)
            .field("sdk", &self.contract.sdk)
            .field("version", &self.contract.version)
            .finish()
    }
}

impl<F: Clone> Clone for Validating<F> {
    fn clone(&self) -> Self {
        Validating {
            inner: self.inner.clone(),
            contract: self.contract,
            report: self.report.clone(),
        }
    }
}

impl<F> Validating<F> {
    /// Wraps `inner`; each violation of `contract` goes to `on_violation`,
    /// from the thread that made the call or delivered the message.
    pub fn new(
        inner: F,
        contract: &'static Contract,
        on_violation: impl Fn(Violation) + Send + Sync + 'static,
    ) -> Self {
        Validating {
            inner,
            contract,
            report: Arc::new(on_violation),
        }
    }

    /// The facade it wraps.
    pub fn inner(&self) -> &F {
        &self.inner
    }

    /// The facade it wraps, unwrapped.
    pub fn into_inner(self) -> F {
        self.inner
    }

    /// Checks parameters going out; gives the operation they are for.
    fn outgoing(&self, verb: Verb, api: &str, parameters: &str) -> Option<&'static OperationEntry> {
        let unmatched = |path: &str, expected: String, found: String| Violation {
            direction: Direction::Sent,
            operation: format!("{api} ({verb})"),
            path: path.to_owned(),
            expected,
            found,
        };
        let empty = Map::new();
        let parsed = serde_json::from_str::<Value>(parameters);
        let object = match (&parsed, verb) {
            (Ok(Value::Object(o)), _) => o,
            (_, Verb::Unsubscribe) => &empty,
            (Ok(other), _) => {
                (self.report)(unmatched(
                    "",
                    "a JSON object".into(),
                    shorten(&other.to_string()),
                ));
                return None;
            }
            (Err(e), _) => {
                (self.report)(unmatched(
                    "",
                    "a JSON object".into(),
                    format!("text that is not JSON ({e})"),
                ));
                return None;
            }
        };
        let op = match self.contract.resolve(verb, api, object, |_| false) {
            Ok(op) => op,
            Err(why) => {
                let (path, expected, found) = match why {
                    Unmatched::UnknownApi => (
                        "",
                        "an api of the contract".to_owned(),
                        Value::from(api).to_string(),
                    ),
                    Unmatched::UnknownVerb => {
                        let verbs: Vec<&str> = self
                            .contract
                            .operations_of(api)
                            .map(|o| o.verb.as_str())
                            .collect();
                        (
                            "",
                            format!("a verb of the api: {}", verbs.join(", ")),
                            verb.as_str().to_owned(),
                        )
                    }
                    Unmatched::MissingSelector(key) => (
                        key,
                        "the selector of one of the api's operations".to_owned(),
                        "nothing".to_owned(),
                    ),
                    Unmatched::InvalidSelector(key) => (
                        key,
                        "the selector of one of the api's operations".to_owned(),
                        object
                            .get(key)
                            .map_or_else(|| "nothing".to_owned(), |v| shorten(&v.to_string())),
                    ),
                };
                (self.report)(unmatched(path, expected, found));
                return None;
            }
        };
        if verb != Verb::Unsubscribe {
            for issue in self.contract.check_parameters(op, object) {
                (self.report)(violation(Direction::Sent, op, issue));
            }
        }
        Some(op)
    }
}

fn violation(direction: Direction, op: &OperationEntry, issue: Issue) -> Violation {
    Violation {
        direction,
        operation: op.id(),
        path: issue.path,
        expected: issue.expected,
        found: issue.found,
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= 120 {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(120).collect();
    short.push('…');
    short
}

impl<F: Facade> Facade for Validating<F> {
    fn send(
        &self,
        verb: Verb,
        api: &str,
        parameters: &str,
    ) -> impl Future<Output = Result<String, FacadeError>> + Send {
        let op = self.outgoing(verb, api, parameters);
        let report = self.report.clone();
        let contract = self.contract;
        let answer = self.inner.send(verb, api, parameters);
        async move {
            let answer = answer.await;
            if let (Ok(text), Some(op)) = (&answer, op) {
                let issues = if verb == Verb::Unsubscribe {
                    contract.check_unsubscribe_reply(op, text)
                } else {
                    contract.check_reply(op, text)
                };
                for issue in issues {
                    report(violation(Direction::Received, op, issue));
                }
            }
            answer
        }
    }

    fn subscribe(
        &self,
        api: &str,
        parameters: &str,
        mut on_message: Box<dyn FnMut(String) + Send + 'static>,
    ) -> impl Future<Output = Result<String, FacadeError>> + Send {
        let op = self.outgoing(Verb::Subscribe, api, parameters);
        let contract = self.contract;
        let checked: Box<dyn FnMut(String) + Send + 'static> = match op {
            Some(op) => {
                let report = self.report.clone();
                Box::new(move |text: String| {
                    for issue in contract.check_event(op, &text) {
                        report(violation(Direction::Received, op, issue));
                    }
                    on_message(text);
                })
            }
            None => on_message,
        };
        let report = self.report.clone();
        let ack = self.inner.subscribe(api, parameters, checked);
        async move {
            let ack = ack.await;
            if let (Ok(text), Some(op)) = (&ack, op) {
                for issue in contract.check_reply(op, text) {
                    report(violation(Direction::Received, op, issue));
                }
            }
            ack
        }
    }
}

/// A handler that keeps every violation, for tests and reports: give
/// [`handler`](Violations::handler) to [`Validating::new`], read them back with
/// [`take`](Violations::take).
#[derive(Debug, Clone, Default)]
pub struct Violations(Arc<Mutex<Vec<Violation>>>);

impl Violations {
    fn lock(&self) -> MutexGuard<'_, Vec<Violation>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The handler that keeps them here.
    pub fn handler(&self) -> impl Fn(Violation) + Send + Sync + 'static {
        let kept = self.clone();
        move |v| kept.lock().push(v)
    }

    /// Every violation so far, forgotten afterwards.
    pub fn take(&self) -> Vec<Violation> {
        std::mem::take(&mut *self.lock())
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }
}
