//! A crate with nothing but the macro's expansion: `cargo clippy --workspace
//! -- -D warnings` fails if the expansion warns in a crate that declares no
//! feature of its own.

pims_macros::sdk!("../specs/good");
