//! The fuzz targets: what runs one input, and what must hold.

pub mod message;
pub mod spec;

use std::time::Duration;

use crate::guard::{self, Failure};
use crate::input::Input;

/// What one input did, for the statistics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ran {
    /// A spec input.
    Spec(spec::SpecStats),
    /// A message input.
    Message(crate::decode::Decoded),
}

/// Runs `input` on this thread, guarded (a panic is a failure).
pub fn run(input: &Input, deep: bool) -> Result<Ran, Failure> {
    guard::guarded(|| match input {
        Input::Spec(s) => spec::run(s, deep).map(Ran::Spec),
        Input::Message(m) => message::run(m).map(Ran::Message),
    })
}

/// Runs `input` on a thread of its own, guarded, with a time limit.
pub fn run_with_limit(input: &Input, deep: bool, limit: Duration) -> Result<Ran, Failure> {
    let input = input.clone();
    guard::with_time_limit(limit, move || match &input {
        Input::Spec(s) => spec::run(s, deep).map(Ran::Spec),
        Input::Message(m) => message::run(m).map(Ran::Message),
    })
}
