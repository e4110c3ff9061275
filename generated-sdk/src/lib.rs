//! The typed Rust client of the pims mobile SDK facade.
//!
//! Everything below `src/generated/` is written by `cargo xtask codegen` from
//! `spec/`; this file is hand-written and only declares it. One module per api
//! (`pims_sdk::authentication::smscode`), the shared [`types`], and the error
//! catalogue [`Error`]. Calls go through [`pims_runtime::Client`] with a
//! [`pims_runtime::Facade`] for the host bridge:
//!
//! ```no_run
//! # async fn run(facade: impl pims_runtime::Facade) -> Result<(), Box<dyn std::error::Error>> {
//! use pims_sdk::authentication::smscode::PhoneNumberCertification;
//!
//! let client = pims_runtime::Client::new(facade);
//! client.call(&PhoneNumberCertification::new("0612345678")).await?;
//! # Ok(())
//! # }
//! ```

// generated code is formatted by the generator (prettyplease), not rustfmt
#[rustfmt::skip]
mod generated;

pub use generated::*;
pub use pims_runtime;
