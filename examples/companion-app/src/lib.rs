//! The logic of a companion app on the generated SDK (`pims-sdk`): it
//! certifies the user's phone number by SMS, checks the code they type, and
//! keeps a log of the vehicle's connections. It is written against any
//! [`Facade`]: on a phone, the bridge to the platform SDK; in its tests
//! (`tests/simulated.rs`), `pims_sdk::simulator()`, so it is tested on a
//! desktop, deterministically, with no phone.
//!
//! This crate also compiles and runs the README's example, as a doctest.

use pims_runtime::{CallError, Client, Facade, Verb, decode_reply};
use pims_sdk::authentication::smscode::{
    PhoneNumberCertification, PhoneNumberCertificationError, ValidateEnrollmentCode,
    ValidateEnrollmentCodeError, ValidateEnrollmentCodeResultStatus,
};
use pims_sdk::vehicle::connection::{SubscribeConnection, SubscribeConnectionEventStatus};

/// What the app shows after asking for an SMS code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeRequest {
    /// The code is on its way; the transaction is shown to support.
    Sent {
        /// The SDK's `transactionId`.
        transaction_id: String,
    },
    /// The phone is offline: ask the user to connect.
    Offline,
    /// The SDK or its server took too long or failed: try again later.
    TryLater,
    /// The number was refused (by the app before sending, or by the SDK).
    WrongNumber {
        /// The parameter named, when it was.
        parameter: Option<String>,
    },
    /// The SDK is not ready or answered something else: shown with its code.
    Unavailable {
        /// The SDK's error code (`0` when the bridge or the message failed).
        code: i64,
    },
}

/// What the app shows after the user typed the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeCheck {
    /// Enrolled now.
    Enrolled,
    /// The device was already enrolled.
    AlreadyEnrolled,
    /// A status this version of the app does not know (kept as it came).
    UnknownStatus(String),
    /// The strong-authentication account is blocked: call support.
    Blocked,
    /// The code was refused.
    WrongCode,
    /// The phone is offline.
    Offline,
    /// Try again later.
    TryLater,
    /// Any other error, with its code.
    Unavailable {
        /// The SDK's error code (`0` when the bridge or the message failed).
        code: i64,
    },
}

/// The log of a vehicle's connections: one line per event, and why it stopped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConnectionLog {
    /// `VIN: status`, one per event, in order.
    pub lines: Vec<String>,
    /// The error that ended the subscription, if one did.
    pub stopped_by: Option<String>,
}

/// The app, on a facade.
#[derive(Debug, Clone)]
pub struct App<F> {
    client: Client<F>,
}

impl<F: Facade> App<F> {
    /// The app on `facade`.
    pub fn new(facade: F) -> Self {
        App {
            client: Client::new(facade),
        }
    }

    /// Asks the SDK to send an SMS code to `phone`.
    pub async fn request_code(&self, phone: &str) -> CodeRequest {
        let answer = self
            .client
            .call_answer(&PhoneNumberCertification::new(phone))
            .await;
        match answer.outcome {
            Ok(()) => CodeRequest::Sent {
                transaction_id: answer.transaction_id.unwrap_or_default(),
            },
            Err(e) => code_request_error(e),
        }
    }

    /// The same request, with parameters the app's web page built itself
    /// (a JSON object, as the page's script hands it over): sent as they
    /// are, so the SDK is the one to check them.
    pub async fn request_code_from_page(&self, parameters: &str) -> CodeRequest {
        let sent = self
            .client
            .facade()
            .send(Verb::Get, "pims.authentication.smscode", parameters)
            .await;
        let text = match sent {
            Ok(text) => text,
            Err(_) => return CodeRequest::Unavailable { code: 0 },
        };
        match decode_reply::<PhoneNumberCertification>(&text) {
            Ok(reply) => match reply.outcome {
                Ok(()) => CodeRequest::Sent {
                    transaction_id: reply.transaction_id,
                },
                Err(e) => code_request_error(CallError::Failed(e)),
            },
            Err(_) => CodeRequest::Unavailable { code: 0 },
        }
    }

    /// Checks the code the user typed.
    pub async fn check_code(&self, code: &str) -> CodeCheck {
        use ValidateEnrollmentCodeError as E;
        match self.client.call(&ValidateEnrollmentCode::new(code)).await {
            Ok(result) => match result.status {
                ValidateEnrollmentCodeResultStatus::NotEnrolled => CodeCheck::Enrolled,
                ValidateEnrollmentCodeResultStatus::AlreadyEnrolled => CodeCheck::AlreadyEnrolled,
                // kept as it came: its wire value
                other => CodeCheck::UnknownStatus(other.as_str().to_owned()),
            },
            Err(CallError::Failed(error)) => match error {
                E::InweboAccountBlocked => CodeCheck::Blocked,
                E::InweboAccessRefused | E::InvalidParameter(_) => CodeCheck::WrongCode,
                E::NoInternet => CodeCheck::Offline,
                E::Timeout | E::ServerError(_) => CodeCheck::TryLater,
                other => CodeCheck::Unavailable { code: other.code() },
            },
            Err(CallError::Invalid(_)) => CodeCheck::WrongCode,
            Err(_) => CodeCheck::Unavailable { code: 0 },
        }
    }

    /// Logs the vehicle's connections: subscribes, keeps up to `events`
    /// events or stops at the first error, then unsubscribes.
    pub async fn log_connections(&self, events: usize) -> ConnectionLog {
        let mut log = ConnectionLog::default();
        let mut stream = match self.client.events(&SubscribeConnection::new()).await {
            Ok(stream) => stream,
            Err(e) => {
                log.stopped_by = Some(e.to_string());
                return log;
            }
        };
        while log.lines.len() < events {
            match stream.next().await {
                Some(Ok(reply)) => match reply.outcome {
                    Ok(event) => {
                        let status = match event.status {
                            Some(SubscribeConnectionEventStatus::Connected) => "connected",
                            Some(SubscribeConnectionEventStatus::Disconnected) => "disconnected",
                            _ => "unknown",
                        };
                        log.lines.push(format!("{}: {status}", event.vin));
                    }
                    Err(error) => {
                        log.stopped_by = Some(error.to_string());
                        break;
                    }
                },
                Some(Err(unreadable)) => log.lines.push(format!("unreadable: {unreadable}")),
                None => break,
            }
        }
        if let Err(e) = self.client.unsubscribe::<SubscribeConnection>().await {
            log.stopped_by.get_or_insert(e.to_string());
        }
        log
    }
}

fn code_request_error(error: CallError<PhoneNumberCertificationError>) -> CodeRequest {
    use PhoneNumberCertificationError as E;
    match error {
        CallError::Failed(E::NoInternet) => CodeRequest::Offline,
        CallError::Failed(E::Timeout | E::ServerError(_)) => CodeRequest::TryLater,
        CallError::Failed(E::MissingParameter(details)) => CodeRequest::WrongNumber {
            parameter: details.parameter,
        },
        CallError::Failed(E::InvalidParameter(details)) => CodeRequest::WrongNumber {
            parameter: details.parameter,
        },
        CallError::Failed(other) => CodeRequest::Unavailable { code: other.code() },
        CallError::Invalid(refused) => CodeRequest::WrongNumber {
            parameter: Some(refused.parameter),
        },
        CallError::Facade(_) | CallError::Decode(_) => CodeRequest::Unavailable { code: 0 },
    }
}

/// The README's example, compiled and run by `cargo test` as a doctest.
#[doc = include_str!("../../../README.md")]
mod readme {}
