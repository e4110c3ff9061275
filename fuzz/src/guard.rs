//! Running one input under guard: panics are caught (and the panic hook kept
//! quiet while fuzzing), a panic that the code under test catches itself still
//! counts, and an input that runs too long is a hang.

use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::Duration;

/// What kind of failure an input found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A panic.
    Panic,
    /// An emitter returned an error for a spec that checks clean.
    Emitter,
    /// Generated Rust (a file, the macro's expansion, a doctest) does not parse.
    Unparseable,
    /// A property that must hold did not (see the target for the list).
    Invariant,
    /// The input ran longer than the time limit.
    Hang,
    /// The process died (stack overflow, abort, out of memory).
    Crash,
}

impl Kind {
    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Panic => "panic",
            Kind::Emitter => "emitter-error",
            Kind::Unparseable => "does-not-parse",
            Kind::Invariant => "invariant",
            Kind::Hang => "hang",
            Kind::Crash => "crash",
        }
    }
}

/// A failure: what, where, and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What kind.
    pub kind: Kind,
    /// Where: a panic's source location, the generated file that does not
    /// parse (by role: `error.rs`, `api module`, …), the invariant's name.
    pub place: String,
    /// The message, as found.
    pub message: String,
}

impl Failure {
    /// A failure of `kind` at `place`.
    pub fn new(kind: Kind, place: impl Into<String>, message: impl Into<String>) -> Self {
        Failure {
            kind,
            place: place.into(),
            message: message.into(),
        }
    }

    /// What stays the same while an input is minimised, and tells two
    /// findings apart: the kind, the place and the message, their numbers
    /// (line numbers too: editing the file does not make a known failure
    /// new) and long quotations blurred.
    pub fn signature(&self) -> String {
        format!(
            "{} | {} | {}",
            self.kind.name(),
            normalize(&self.place),
            normalize(&self.message)
        )
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} in {}: {}",
            self.kind.name(),
            self.place,
            self.message
        )
    }
}

/// The first line of `message`, numbers as `N` (not those that end a word,
/// such as a diagnostic code `E204`), long quotations shortened.
pub fn normalize(message: &str) -> String {
    let line = message.lines().next().unwrap_or("");
    let mut out = String::new();
    let mut in_number = false;
    let mut after_letter = false;
    for c in line.chars() {
        if c.is_ascii_digit() && !after_letter {
            if !in_number {
                out.push('N');
            }
            in_number = true;
        } else {
            in_number = false;
            after_letter = c.is_ascii_alphanumeric() && (after_letter || c.is_ascii_alphabetic());
            out.push(c);
        }
    }
    let mut short = String::new();
    for (i, part) in out.split('`').enumerate() {
        if i > 0 {
            short.push('`');
        }
        if i % 2 == 1 && part.chars().count() > 24 {
            short.push('…');
        } else {
            short.push_str(part);
        }
    }
    short.chars().take(240).collect()
}

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Installs the panic hook: it records the first panic of each input (its
/// location and message) and prints nothing, unless `loud`, when the
/// standard hook prints it too.
pub fn install_hook(loud: bool) {
    let standard = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let message = if let Some(s) = info.payload().downcast_ref::<&str>() {
            (*s).to_owned()
        } else if let Some(s) = info.payload().downcast_ref::<String>() {
            s.clone()
        } else {
            "a panic without a message".to_owned()
        };
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "<unknown>".to_owned());
        if let Ok(mut last) = LAST_PANIC.lock()
            && last.is_none()
        {
            *last = Some(format!("{place}\n{message}"));
        }
        if loud {
            standard(info);
        }
    }));
}

fn take_panic() -> Option<(String, String)> {
    let taken = LAST_PANIC.lock().ok()?.take()?;
    let (place, message) = taken.split_once('\n')?;
    Some((place.to_owned(), message.to_owned()))
}

/// Runs `f` on this thread, a panic turned into a [`Failure`]. A panic that
/// `f` caught itself (a thread of its own that it joined) counts too.
pub fn guarded<T>(f: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    let _ = take_panic();
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    let recorded = take_panic();
    match result {
        Ok(Ok(value)) => match recorded {
            None => Ok(value),
            Some((place, message)) => Err(Failure::new(
                Kind::Panic,
                place,
                format!("{message} (the panic was caught inside the code under test)"),
            )),
        },
        Ok(Err(failure)) => Err(failure),
        Err(payload) => {
            let (place, message) = recorded.unwrap_or_else(|| {
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic without a message".to_owned());
                ("<unknown>".to_owned(), message)
            });
            Err(Failure::new(Kind::Panic, place, message))
        }
    }
}

/// The stack of the thread that runs inputs: the main thread's on Linux,
/// which is where the command line runs the generator.
pub const STACK: usize = 8 * 1024 * 1024;

/// Runs `f` under [`guarded`] on a thread of its own, and gives up after
/// `limit` with a hang (the thread is left behind: it cannot be stopped).
pub fn with_time_limit<T: Send + 'static>(
    limit: Duration,
    f: impl FnOnce() -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    let (send, receive) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("pims-fuzz-input".into())
        .stack_size(STACK)
        .spawn(move || {
            let _ = send.send(guarded(f));
        });
    if let Err(e) = spawned {
        return Err(Failure::new(
            Kind::Crash,
            "thread",
            format!("cannot start a thread: {e}"),
        ));
    }
    match receive.recv_timeout(limit) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(hang(limit)),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(Failure::new(
            Kind::Crash,
            "thread",
            "the input's thread ended without an answer",
        )),
    }
}

/// The failure of an input that ran longer than `limit`.
pub fn hang(limit: Duration) -> Failure {
    Failure::new(
        Kind::Hang,
        "time limit",
        format!("the input ran longer than {} s", limit.as_secs_f64()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_hangs_and_caught_panics_are_failures() {
        install_hook(false);
        let ok = with_time_limit(Duration::from_secs(5), || Ok(3));
        assert_eq!(ok, Ok(3));
        let panicked = with_time_limit(Duration::from_secs(5), || -> Result<(), Failure> {
            let v: Vec<u8> = Vec::new();
            let i = v.len() + 2;
            Err(Failure::new(Kind::Invariant, "x", format!("{}", v[i])))
        })
        .expect_err("panics");
        assert_eq!(panicked.kind, Kind::Panic);
        assert!(panicked.place.contains("guard.rs"), "{panicked}");
        assert!(
            panicked.message.contains("index out of bounds"),
            "{panicked}"
        );
        let caught = guarded(|| {
            let _ = std::thread::spawn(|| panic!("inner {}", 1)).join();
            Ok(())
        })
        .expect_err("a caught panic still counts");
        assert!(caught.message.contains("inner 1"), "{caught}");
        let hung = with_time_limit(Duration::from_millis(50), || {
            std::thread::sleep(Duration::from_secs(2));
            Ok(())
        })
        .expect_err("hangs");
        assert_eq!(hung.kind, Kind::Hang);
    }

    #[test]
    fn signatures_blur_numbers_and_long_quotes() {
        let a = Failure::new(
            Kind::Panic,
            "a.rs:3",
            "index 12 out of `range for a very long name indeed`",
        );
        let b = Failure::new(
            Kind::Panic,
            "a.rs:3",
            "index 7 out of `range for another long name, too`",
        );
        assert_eq!(a.signature(), b.signature());
        let c = Failure::new(
            Kind::Panic,
            "b.rs:3",
            "index 7 out of `range for a very long name indeed`",
        );
        assert_ne!(a.signature(), c.signature());
        assert_eq!(
            normalize("found `Self` at 10:2\nmore"),
            "found `Self` at N:N"
        );
        assert_eq!(normalize("E204 at 60:22, x1y2"), "E204 at N:N, x1y2");
    }
}
