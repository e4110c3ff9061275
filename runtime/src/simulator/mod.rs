//! A simulated SDK: a [`Facade`] that answers as the SDK would, from its
//! [`Contract`] alone, for testing apps on a desktop.
//!
//! A generated crate built with its `simulator` feature gives one that knows
//! every operation (`pims_sdk::simulator()`). Unless scripted, it answers:
//!
//! - a call: `SUCCEEDED` with the operation's written example result, or a
//!   result made up from its types (the fields' examples where the spec has
//!   them), the same for a given seed;
//! - a subscription: the acknowledgement, then the events of its written
//!   example, if any; later events are [`emit`](Script::emit)ted by the test;
//! - `unsubscribe`: `SUCCEEDED`, and the api's subscriptions end (their
//!   callbacks are dropped, which ends an [`Events`](crate::Events) stream).
//!
//! Every answer has a fresh `transactionId`. Parameters are checked as the
//! SDK checks them, before any script: an api, verb or selector the contract
//! does not have is `FAILED` with `2002` (`API not supported`), `2101`
//! (`Missing [PARAMETER] parameter`) or `2102` (`Invalid [PARAMETER]
//! parameter`), the placeholder filled with the selector key; a required
//! parameter missing is `2101`, a parameter of the wrong kind, unknown to the
//! operation, or outside its constraints or format is `2102`, the
//! placeholder filled with the parameter's path (`destination.latitude`).
//! Nothing a caller sends makes it panic.
//!
//! [`on`](Simulator::on) scripts an operation, typed: the next call of it
//! succeeds with a given result, fails with one of its errors (its error
//! enum), fails with any code, or gets a message as written (a malformed one,
//! say); the answer can come [`after`](Planned::after) a delay, when a
//! [`Gate`] opens, or [`never`](Planned::never), and be followed by more
//! messages (a second callback, a subscription's events and errors).
//!
//! It records every call ([`calls`](Simulator::calls)). Two simulators with
//! the same contract and seed, called the same way, answer byte for byte the
//! same: transaction ids and made-up values come from the seed, never from
//! the clock or a hash.

mod values;

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::contract::{Contract, ExampleOutcome, IssueKind, OperationEntry, Unmatched};
use crate::facade::{Facade, FacadeError};
use crate::message::WireError;
use crate::operation::{Operation, Subscription, Verb};

/// `API not supported`: an api or verb the contract does not have.
pub const API_NOT_SUPPORTED: i64 = 2002;
/// `Missing [PARAMETER] parameter`.
pub const MISSING_PARAMETER: i64 = 2101;
/// `Invalid [PARAMETER] parameter`.
pub const INVALID_PARAMETER: i64 = 2102;

/// The error catalogue of a generated crate (its `Error`), as the simulator
/// sends it: implemented by the generated code, behind its `simulator` feature.
pub trait Catalogue: 'static {
    /// The `error` object of a `FAILED` message for this error: its code,
    /// its label with the placeholders it knows filled in, its sub-codes.
    fn to_wire(&self) -> WireError;
}

/// A call the simulator received.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// How it was called.
    pub verb: Verb,
    /// The api, as given.
    pub api: String,
    /// The parameters, parsed (`null` when they were not JSON).
    pub parameters: Value,
    /// The parameters, as given.
    pub raw_parameters: String,
    /// The operation it was taken for: `None` when the contract has none for
    /// its api, verb and selector (or its parameters were not a JSON object);
    /// set when only its parameters were refused.
    pub operation: Option<&'static str>,
    /// The `transactionId` of its answer.
    pub transaction_id: String,
    /// The messages it was answered with, in order, as planned: sent at
    /// once, later or never, as scripted. A `get` or `set` that gets two
    /// (a second callback) has both here; a [`Facade`] passes on the first.
    pub answer: Vec<String>,
}

/// A simulated SDK. Cloning it gives another handle on the same simulator.
pub struct Simulator<C> {
    shared: Arc<Shared>,
    catalogue: PhantomData<fn() -> C>,
}

struct Shared {
    contract: &'static Contract,
    state: Mutex<State>,
}

type Callback = Box<dyn FnMut(String) + Send + 'static>;

#[derive(Default)]
struct State {
    seed: u64,
    /// Calls so far: the transaction ids' counter.
    count: u64,
    calls: Vec<Call>,
    /// Scripted answers by operation (`api`, `name`), first first.
    plans: HashMap<(&'static str, &'static str), VecDeque<Arc<Mutex<Plan>>>>,
    /// Scripted answers to `unsubscribe`, by api.
    unsubscribe_plans: HashMap<&'static str, VecDeque<Arc<Mutex<Plan>>>>,
    subscribers: Vec<Subscriber>,
    /// Answers that never come, kept as a real SDK keeps their callbacks.
    parked: Vec<Delivery>,
}

struct Subscriber {
    api: &'static str,
    name: &'static str,
    transaction_id: String,
    callback: Arc<Mutex<Callback>>,
}

/// A scripted answer.
#[derive(Debug, Clone)]
struct Plan {
    messages: Vec<Msg>,
    when: When,
    /// Answers every later call too, not only the next one.
    always: bool,
}

#[derive(Debug, Clone)]
enum Msg {
    /// The operation's default answer (and, for a subscription, its example's events).
    Default,
    Succeeded(Value),
    Failed(WireError),
    Event(Value),
    EventError(WireError),
    /// As written.
    Raw(String),
    /// The first message again.
    Again,
}

#[derive(Debug, Clone)]
enum When {
    Now,
    After(Duration),
    Held(Gate),
    Never,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl<C> Clone for Simulator<C> {
    fn clone(&self) -> Self {
        Simulator {
            shared: self.shared.clone(),
            catalogue: PhantomData,
        }
    }
}

impl<C> fmt::Debug for Simulator<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.shared.state);
        f.debug_struct("Simulator")
            .field("sdk", &self.shared.contract.sdk)
            .field("version", &self.shared.contract.version)
            .field("seed", &state.seed)
            .field("calls", &state.calls.len())
            .field("subscribers", &state.subscribers.len())
            .finish()
    }
}

impl<C: Catalogue> Simulator<C> {
    /// A simulator of `contract`, with seed `0`.
    pub fn new(contract: &'static Contract) -> Self {
        Simulator {
            shared: Arc::new(Shared {
                contract,
                state: Mutex::new(State::default()),
            }),
            catalogue: PhantomData,
        }
    }

    /// The same simulator with another seed: transaction ids and made-up
    /// values follow it. Set it before the first call.
    pub fn with_seed(self, seed: u64) -> Self {
        lock(&self.shared.state).seed = seed;
        self
    }

    /// Its seed.
    pub fn seed(&self) -> u64 {
        lock(&self.shared.state).seed
    }

    /// The contract it answers from.
    pub fn contract(&self) -> &'static Contract {
        self.shared.contract
    }

    /// Every call so far, first first.
    pub fn calls(&self) -> Vec<Call> {
        lock(&self.shared.state).calls.clone()
    }

    /// Every call so far, forgotten afterwards.
    pub fn take_calls(&self) -> Vec<Call> {
        std::mem::take(&mut lock(&self.shared.state).calls)
    }

    /// Scripts operation `O`.
    pub fn on<O: Operation>(&self) -> Script<'_, O, C> {
        Script {
            simulator: self,
            operation: PhantomData,
        }
    }

    /// Calls the simulated SDK as an app calls the platform SDK:
    /// `pims.<verb>(api, parameters, callback)`. `callback` gets every message
    /// of the answer (once for a call unless scripted otherwise; the
    /// acknowledgement and each event for a subscription), at once, later or
    /// never, as scripted. Bridges under test can be built on this.
    pub fn invoke(
        &self,
        verb: Verb,
        api: &str,
        parameters: &str,
        callback: impl FnMut(String) + Send + 'static,
    ) {
        let (delivery, ended) = {
            let mut state = lock(&self.shared.state);
            self.answer(&mut state, verb, api, parameters, Box::new(callback))
        };
        // the callbacks of ended subscriptions are dropped outside the lock
        drop(ended);
        schedule(delivery);
    }

    fn answer(
        &self,
        state: &mut State,
        verb: Verb,
        api: &str,
        parameters: &str,
        callback: Callback,
    ) -> (Scheduled, Vec<Subscriber>) {
        let contract = self.shared.contract;
        let transaction_id = transaction_id(state.seed, state.count);
        state.count += 1;
        let parsed = serde_json::from_str::<Value>(parameters).ok();
        let decision = decide(contract, state, verb, api, parsed.as_ref());
        let mut ended = Vec::new();
        let (operation, plan) = match decision {
            Ok((op, plan)) => (Some(op), plan),
            Err((op, wire)) => (
                op,
                Plan {
                    messages: vec![Msg::Failed(wire)],
                    when: When::Now,
                    always: false,
                },
            ),
        };
        let messages = render(contract, state.seed, operation, &plan, &transaction_id);
        let acknowledged = messages
            .first()
            .is_some_and(|m| status_of(m).as_deref() == Some("SUCCEEDED"));
        let mut subscriber = None;
        if let Some(op) = operation {
            if verb == Verb::Unsubscribe && acknowledged {
                let (gone, kept) = std::mem::take(&mut state.subscribers)
                    .into_iter()
                    .partition(|s| s.api == op.api);
                state.subscribers = kept;
                ended = gone;
            } else if verb == Verb::Subscribe && acknowledged {
                subscriber = Some((op.api, op.name, transaction_id.clone()));
            }
        }
        state.calls.push(Call {
            verb,
            api: api.to_owned(),
            parameters: parsed.unwrap_or(Value::Null),
            raw_parameters: parameters.to_owned(),
            operation: operation.map(|o| o.name),
            transaction_id,
            answer: messages.clone(),
        });
        let delivery = Delivery {
            messages,
            callback,
            subscriber,
            shared: self.shared.clone(),
        };
        let scheduled = match plan.when {
            When::Now => Scheduled::Now(delivery),
            When::After(d) => Scheduled::After(d, delivery),
            When::Held(gate) => Scheduled::Held(gate, delivery),
            When::Never => {
                state.parked.push(delivery);
                Scheduled::Nothing
            }
        };
        (scheduled, ended)
    }
}

/// Which operation a call is and how it is answered, or the `error` of the
/// `FAILED` answer that refuses it (with the operation, when the refusal is
/// of its parameters).
fn decide(
    contract: &'static Contract,
    state: &mut State,
    verb: Verb,
    api: &str,
    parameters: Option<&Value>,
) -> Result<(&'static OperationEntry, Plan), (Option<&'static OperationEntry>, WireError)> {
    let empty = Map::new();
    let object = match (verb, parameters) {
        (Verb::Unsubscribe, Some(Value::Object(o))) => o,
        (Verb::Unsubscribe, _) => &empty,
        (_, Some(Value::Object(o))) => o,
        // not a JSON object: the placeholder stays as written
        (_, _) => return Err((None, catalogue_error(contract, INVALID_PARAMETER, None))),
    };
    let plans = &state.plans;
    let op = contract
        .resolve(verb, api, object, |o| {
            plans.get(&(o.api, o.name)).is_some_and(|q| !q.is_empty())
        })
        .map_err(|unmatched| {
            let refusal = match unmatched {
                Unmatched::UnknownApi | Unmatched::UnknownVerb => {
                    catalogue_error(contract, API_NOT_SUPPORTED, None)
                }
                Unmatched::MissingSelector(key) => {
                    catalogue_error(contract, MISSING_PARAMETER, Some(key))
                }
                Unmatched::InvalidSelector(key) => {
                    catalogue_error(contract, INVALID_PARAMETER, Some(key))
                }
            };
            (None, refusal)
        })?;
    if verb != Verb::Unsubscribe
        && let Some(issue) = contract.check_parameters(op, object).into_iter().next()
    {
        let code = match issue.kind {
            IssueKind::Missing => MISSING_PARAMETER,
            IssueKind::Invalid => INVALID_PARAMETER,
        };
        return Err((Some(op), catalogue_error(contract, code, Some(&issue.path))));
    }
    let queue = if verb == Verb::Unsubscribe {
        state.unsubscribe_plans.get_mut(op.api)
    } else {
        state.plans.get_mut(&(op.api, op.name))
    };
    let plan = match queue {
        Some(queue) => match queue.front().map(|p| lock(p).clone()) {
            Some(plan) => {
                if !plan.always {
                    queue.pop_front();
                }
                plan
            }
            None => Plan::default_answer(),
        },
        None => Plan::default_answer(),
    };
    Ok((op, plan))
}

impl Plan {
    fn default_answer() -> Self {
        Plan {
            messages: vec![Msg::Default],
            when: When::Now,
            always: false,
        }
    }
}

/// The catalogue's error `code`, its first placeholder filled with `fill`.
fn catalogue_error(contract: &Contract, code: i64, fill: Option<&str>) -> WireError {
    let template = contract.error(code).map_or(
        match code {
            API_NOT_SUPPORTED => "API not supported",
            MISSING_PARAMETER => "Missing [PARAMETER] parameter",
            _ => "Invalid [PARAMETER] parameter",
        },
        |e| e.label,
    );
    WireError {
        code,
        label: crate::label::fill(template, &[fill]),
        sub_code: None,
    }
}

/// The `n`-th transaction id of `seed`: `8-4-4` hexadecimal digits, distinct
/// for every `n` (SplitMix64 is a bijection).
fn transaction_id(seed: u64, n: u64) -> String {
    let x = values::mix(values::mix(seed) ^ 0x7061_6D73_696D_u64.wrapping_add(n));
    format!(
        "{:08x}-{:04x}-{:04x}",
        x >> 32,
        (x >> 16) & 0xFFFF,
        x & 0xFFFF
    )
}

fn envelope(transaction_id: &str, status: &str, body: Option<(&str, Value)>) -> String {
    let mut message = Map::new();
    message.insert("transactionId".into(), Value::from(transaction_id));
    message.insert("status".into(), Value::from(status));
    if let Some((key, value)) = body {
        message.insert(key.into(), value);
    }
    Value::Object(message).to_string()
}

fn wire_json(error: &WireError) -> Value {
    let mut object = Map::new();
    object.insert("code".into(), Value::from(error.code));
    object.insert("label".into(), Value::from(error.label.as_str()));
    if let Some(sub) = &error.sub_code {
        object.insert("subCode".into(), Value::Array(sub.clone()));
    }
    Value::Object(object)
}

/// The `status` of a message, if it is a JSON object with one.
fn status_of(text: &str) -> Option<String> {
    match serde_json::from_str::<Value>(text).ok()? {
        Value::Object(mut o) => match o.remove("status")? {
            Value::String(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// The messages of `plan`, for a call answered with `transaction_id`.
fn render(
    contract: &Contract,
    seed: u64,
    op: Option<&OperationEntry>,
    plan: &Plan,
    transaction_id: &str,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for message in &plan.messages {
        match message {
            Msg::Default => {
                if let Some(op) = op {
                    out.extend(default_messages(contract, seed, op, transaction_id));
                }
            }
            Msg::Succeeded(result) => out.push(envelope(
                transaction_id,
                "SUCCEEDED",
                Some(("result", result.clone())),
            )),
            Msg::Failed(error) => out.push(envelope(
                transaction_id,
                "FAILED",
                Some(("error", wire_json(error))),
            )),
            Msg::Event(result) => out.push(envelope(
                transaction_id,
                "RESULT",
                Some(("result", result.clone())),
            )),
            Msg::EventError(error) => out.push(envelope(
                transaction_id,
                "RESULT",
                Some(("error", wire_json(error))),
            )),
            Msg::Raw(text) => out.push(text.clone()),
            Msg::Again => {
                if let Some(first) = out.first().cloned() {
                    out.push(first);
                }
            }
        }
    }
    out
}

/// What `op` answers unless scripted: its written example's result (and
/// events), or a result made up from its types.
fn default_messages(
    contract: &Contract,
    seed: u64,
    op: &OperationEntry,
    transaction_id: &str,
) -> Vec<String> {
    let written = op
        .examples
        .iter()
        .filter(|e| !e.built)
        .find_map(|e| match e.outcome {
            ExampleOutcome::Succeeded(text) => serde_json::from_str::<Value>(text)
                .ok()
                .map(|result| (result, e.events)),
            ExampleOutcome::Failed(_) => None,
        });
    let (result, events) = match written {
        Some((result, events)) => (result, events),
        None => {
            let mut rng = values::Rng::new(seed, &op.id());
            let result = match &op.result {
                Some(ty) => values::value(contract, ty, &mut rng, 0),
                None => Value::Null,
            };
            (result, &[][..])
        }
    };
    let mut out = vec![envelope(
        transaction_id,
        "SUCCEEDED",
        Some(("result", result)),
    )];
    if op.is_subscription() {
        for event in events {
            if let Ok(event) = serde_json::from_str::<Value>(event) {
                out.push(envelope(transaction_id, "RESULT", Some(("result", event))));
            }
        }
    }
    out
}

/// An answer on its way: its messages, the callback they go to, and the
/// subscription it opens.
struct Delivery {
    messages: Vec<String>,
    callback: Callback,
    /// `api`, operation and transaction of the subscription its acknowledgement opens.
    subscriber: Option<(&'static str, &'static str, String)>,
    shared: Arc<Shared>,
}

impl Delivery {
    fn run(self) {
        let Delivery {
            messages,
            callback,
            subscriber,
            shared,
        } = self;
        let callback = Arc::new(Mutex::new(callback));
        if let Some((api, name, transaction_id)) = subscriber {
            lock(&shared.state).subscribers.push(Subscriber {
                api,
                name,
                transaction_id,
                callback: callback.clone(),
            });
        }
        for message in messages {
            (lock(&callback))(message);
        }
    }
}

enum Scheduled {
    Now(Delivery),
    After(Duration, Delivery),
    Held(Gate, Delivery),
    Nothing,
}

fn schedule(scheduled: Scheduled) {
    match scheduled {
        Scheduled::Now(delivery) => delivery.run(),
        Scheduled::After(delay, delivery) => {
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                delivery.run();
            });
        }
        Scheduled::Held(gate, delivery) => gate.defer(Box::new(move || delivery.run())),
        Scheduled::Nothing => {}
    }
}

/// Holds scripted answers back until it is opened: [`Planned::held`] gives
/// one. Opening it sends, in the opener's thread, every answer it held, in
/// the order the calls came; answers that reach it once open go at once.
#[derive(Clone, Default)]
pub struct Gate(Arc<Mutex<GateState>>);

#[derive(Default)]
struct GateState {
    open: bool,
    waiting: Vec<Box<dyn FnOnce() + Send>>,
}

impl Gate {
    /// Sends the held answers; later ones go at once.
    pub fn open(&self) {
        let waiting = {
            let mut state = lock(&self.0);
            state.open = true;
            std::mem::take(&mut state.waiting)
        };
        for send in waiting {
            send();
        }
    }

    /// How many answers it holds.
    pub fn holding(&self) -> usize {
        lock(&self.0).waiting.len()
    }

    /// Whether it was opened.
    pub fn is_open(&self) -> bool {
        lock(&self.0).open
    }

    fn defer(&self, send: Box<dyn FnOnce() + Send>) {
        let mut state = lock(&self.0);
        if state.open {
            drop(state);
            send();
        } else {
            state.waiting.push(send);
        }
    }
}

impl fmt::Debug for Gate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.0);
        f.debug_struct("Gate")
            .field("open", &state.open)
            .field("holding", &state.waiting.len())
            .finish()
    }
}

/// Scripts one operation of a [`Simulator`]: what its next call is answered with.
///
/// Each method queues one answer; calls take them first first, then get the
/// default answer. A call the simulator refuses (its parameters are wrong)
/// takes none.
pub struct Script<'s, O, C> {
    simulator: &'s Simulator<C>,
    operation: PhantomData<fn() -> O>,
}

impl<O, C> fmt::Debug for Script<'_, O, C>
where
    O: Operation,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Script")
            .field("api", &O::API)
            .field("operation", &O::NAME)
            .finish()
    }
}

fn serialized(value: impl Serialize) -> Msg {
    match serde_json::to_value(value) {
        Ok(v) => Msg::Succeeded(v),
        Err(e) => Msg::Raw(format!("a value that does not serialize: {e}")),
    }
}

impl<O: Operation, C: Catalogue> Script<'_, O, C> {
    fn queue(&self, messages: Vec<Msg>, unsubscribe: bool) -> Planned<O, C> {
        let plan = Arc::new(Mutex::new(Plan {
            messages,
            when: When::Now,
            always: false,
        }));
        let mut state = lock(&self.simulator.shared.state);
        let queue = if unsubscribe {
            state.unsubscribe_plans.entry(O::API).or_default()
        } else {
            state.plans.entry((O::API, O::NAME)).or_default()
        };
        queue.push_back(plan.clone());
        Planned {
            plan,
            operation: PhantomData,
        }
    }

    /// The next call succeeds with `result` (a subscription: is acknowledged with it).
    pub fn succeed(&self, result: O::Result) -> Planned<O, C>
    where
        O::Result: Serialize,
    {
        self.queue(vec![serialized(result)], false)
    }

    /// The next call fails with `error`, one of the operation's errors.
    pub fn fail(&self, error: O::Error) -> Planned<O, C>
    where
        O::Error: Into<C>,
    {
        self.queue(vec![Msg::Failed(error.into().to_wire())], false)
    }

    /// The next call fails with `code` and `label`: any code, listed by the
    /// operation or not, in the catalogue or not.
    pub fn fail_code(&self, code: i64, label: impl Into<String>) -> Planned<O, C> {
        let error = WireError {
            code,
            label: label.into(),
            sub_code: None,
        };
        self.queue(vec![Msg::Failed(error)], false)
    }

    /// The next call is answered with `text`, as written: a malformed
    /// message, one from a real SDK, one with another `transactionId`.
    pub fn message(&self, text: impl Into<String>) -> Planned<O, C> {
        self.queue(vec![Msg::Raw(text.into())], false)
    }

    /// The next call gets the default answer: to delay it, hold it or add to it.
    pub fn answer(&self) -> Planned<O, C> {
        self.queue(vec![Msg::Default], false)
    }

    /// How many scripted answers wait for a call.
    pub fn queued(&self) -> usize {
        lock(&self.simulator.shared.state)
            .plans
            .get(&(O::API, O::NAME))
            .map_or(0, VecDeque::len)
    }
}

impl<O: Subscription, C: Catalogue> Script<'_, O, C> {
    /// Sends `event` now to every open subscription of `O`; gives how many got it.
    pub fn emit(&self, event: O::Event) -> usize
    where
        O::Event: Serialize,
    {
        match serde_json::to_value(event) {
            Ok(v) => self.emit_with(|id| envelope(id, "RESULT", Some(("result", v.clone())))),
            Err(e) => self.emit_message(format!("an event that does not serialize: {e}")),
        }
    }

    /// Sends a `RESULT` event with `error` now to every open subscription of `O`.
    pub fn emit_error(&self, error: O::Error) -> usize
    where
        O::Error: Into<C>,
    {
        let error = wire_json(&error.into().to_wire());
        self.emit_with(|id| envelope(id, "RESULT", Some(("error", error.clone()))))
    }

    /// Sends `text`, as written, now to every open subscription of `O`.
    pub fn emit_message(&self, text: impl Into<String>) -> usize {
        let text = text.into();
        self.emit_with(|_| text.clone())
    }

    fn emit_with(&self, message: impl Fn(&str) -> String) -> usize {
        let targets: Vec<(String, Arc<Mutex<Callback>>)> = lock(&self.simulator.shared.state)
            .subscribers
            .iter()
            .filter(|s| s.api == O::API && s.name == O::NAME)
            .map(|s| (s.transaction_id.clone(), s.callback.clone()))
            .collect();
        for (id, callback) in &targets {
            (lock(callback))(message(id));
        }
        targets.len()
    }

    /// How many subscriptions of `O` are open (acknowledged, not unsubscribed).
    pub fn subscribers(&self) -> usize {
        lock(&self.simulator.shared.state)
            .subscribers
            .iter()
            .filter(|s| s.api == O::API && s.name == O::NAME)
            .count()
    }

    /// The next `unsubscribe` of `O`'s api fails with `error` (its
    /// subscriptions stay open).
    pub fn unsubscribe_fails(&self, error: O::Error) -> Planned<O, C>
    where
        O::Error: Into<C>,
    {
        self.queue(vec![Msg::Failed(error.into().to_wire())], true)
    }
}

/// A scripted answer, still to be shaped: when it comes, what follows it.
/// Changes apply to calls that have not taken it yet.
pub struct Planned<O, C> {
    plan: Arc<Mutex<Plan>>,
    operation: PhantomData<fn() -> (O, C)>,
}

impl<O: Operation, C> fmt::Debug for Planned<O, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Planned")
            .field("api", &O::API)
            .field("operation", &O::NAME)
            .field("plan", &*lock(&self.plan))
            .finish()
    }
}

impl<O: Operation, C: Catalogue> Planned<O, C> {
    fn edit(self, change: impl FnOnce(&mut Plan)) -> Self {
        change(&mut lock(&self.plan));
        self
    }

    /// The answer comes `delay` after the call (from a thread of its own).
    pub fn after(self, delay: Duration) -> Self {
        self.edit(|p| p.when = When::After(delay))
    }

    /// The answer never comes.
    pub fn never(self) -> Self {
        self.edit(|p| p.when = When::Never)
    }

    /// The answer waits until the returned [`Gate`] is opened.
    pub fn held(self) -> Gate {
        let gate = Gate::default();
        let _ = self.edit(|p| p.when = When::Held(gate.clone()));
        gate
    }

    /// Every later call gets this answer too, not only the next one.
    pub fn always(self) -> Self {
        self.edit(|p| p.always = true)
    }

    /// Then `text` is sent too, as written, to the same callback: a second
    /// callback for a call, any message for a subscription.
    pub fn then_message(self, text: impl Into<String>) -> Self {
        let text = text.into();
        self.edit(|p| p.messages.push(Msg::Raw(text)))
    }

    /// Then the first message is sent again: the callback is called twice.
    pub fn twice(self) -> Self {
        self.edit(|p| p.messages.push(Msg::Again))
    }
}

impl<O: Subscription, C: Catalogue> Planned<O, C> {
    /// Then a `RESULT` event with `event`.
    pub fn event(self, event: O::Event) -> Self
    where
        O::Event: Serialize,
    {
        let message = match serialized(event) {
            Msg::Succeeded(v) => Msg::Event(v),
            other => other,
        };
        self.edit(|p| p.messages.push(message))
    }

    /// Then a `RESULT` event with `error`.
    pub fn event_error(self, error: O::Error) -> Self
    where
        O::Error: Into<C>,
    {
        let error = error.into().to_wire();
        self.edit(|p| p.messages.push(Msg::EventError(error)))
    }
}

/// The first message of an answer, as the future a [`Facade`] returns.
#[derive(Default)]
struct Slot {
    message: Option<String>,
    /// The message was taken: later ones are not the answer.
    filled: bool,
    waker: Option<Waker>,
}

fn slot() -> (Arc<Mutex<Slot>>, FirstMessage) {
    let slot = Arc::new(Mutex::new(Slot::default()));
    (slot.clone(), FirstMessage(slot))
}

fn fill(slot: &Mutex<Slot>, message: String) {
    let waker = {
        let mut slot = lock(slot);
        if slot.filled {
            return;
        }
        slot.filled = true;
        slot.message = Some(message);
        slot.waker.take()
    };
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// Resolves with the first message of the answer; stays pending while there is none.
struct FirstMessage(Arc<Mutex<Slot>>);

impl Future for FirstMessage {
    type Output = Result<String, FacadeError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = lock(&self.0);
        match slot.message.take() {
            Some(message) => Poll::Ready(Ok(message)),
            None if slot.filled => Poll::Ready(Err(FacadeError(
                "the simulator's answer was already taken".into(),
            ))),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl<C: Catalogue> Facade for Simulator<C> {
    fn send(
        &self,
        verb: Verb,
        api: &str,
        parameters: &str,
    ) -> impl Future<Output = Result<String, FacadeError>> + Send {
        let (slot, future) = slot();
        self.invoke(verb, api, parameters, move |message| fill(&slot, message));
        future
    }

    fn subscribe(
        &self,
        api: &str,
        parameters: &str,
        mut on_message: Box<dyn FnMut(String) + Send + 'static>,
    ) -> impl Future<Output = Result<String, FacadeError>> + Send {
        let (slot, future) = slot();
        let mut first = Some(slot);
        self.invoke(
            Verb::Subscribe,
            api,
            parameters,
            move |message| match first.take() {
                Some(slot) => fill(&slot, message),
                None => on_message(message),
            },
        );
        future
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transaction_ids_are_fresh_and_follow_the_seed() {
        let ids: Vec<String> = (0..1000).map(|n| transaction_id(3, n)).collect();
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len());
        assert_eq!(ids[0], transaction_id(3, 0));
        assert_ne!(ids[0], transaction_id(4, 0));
        assert!(
            crate::contract::matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}$", &ids[0]),
            "{}",
            ids[0]
        );
    }

    #[test]
    fn a_gate_sends_in_order_then_at_once() {
        let gate = Gate::default();
        let seen = Arc::new(Mutex::new(Vec::new()));
        for i in 0..3 {
            let seen = seen.clone();
            gate.defer(Box::new(move || lock(&seen).push(i)));
        }
        assert_eq!(gate.holding(), 3);
        assert!(lock(&seen).is_empty());
        gate.open();
        let seen2 = seen.clone();
        gate.defer(Box::new(move || lock(&seen2).push(9)));
        assert_eq!(*lock(&seen), vec![0, 1, 2, 9]);
        assert!(gate.is_open());
    }
}
