//! The simulator (`pims_runtime::simulator`, `pims_sdk::simulator()`), the
//! validating facade, and the runtime's `Stream` of events and transaction
//! ids, end to end through the typed client.

mod answers;
mod macro_path;
mod scripting;
mod seed_replay;
mod subscriptions;
mod validating;

use pims_runtime::{Facade, Verb};
use serde_json::Value;

/// What `facade` (a simulator that answers at once) answers `parameters`
/// with, for `verb` on `api`.
pub fn send<F: Facade>(facade: &F, verb: Verb, api: &str, parameters: &str) -> String {
    crate::block_on(facade.send(verb, api, parameters)).expect("answered")
}

/// A message, parsed.
pub fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{text} is not JSON: {e}"))
}

/// Runs `future` to completion on pollster, the executor of the README
/// and the example app (late answers wake it from another thread).
pub fn run<F: std::future::Future>(future: F) -> F::Output {
    pollster::block_on(future)
}
