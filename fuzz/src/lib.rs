//! pims-fuzz: fuzz targets for pims-codegen that run on stable Rust.
//!
//! - `spec`: a spec folder (from `spec/`, `tests/specs/good/` or a case of
//!   `tests/specs/bad/`) with one or more files mutated, through load,
//!   check, lower, every emitter and every diagnostic format
//!   ([`targets::spec`] lists what must hold).
//! - `message`: a message or the parameters of one operation of `spec/`,
//!   mutated, through the decoders of its generated types in `pims-sdk`
//!   ([`decode`] lists what must hold).
//!
//! Mutations know the grammar ([`mutate`]); every input depends on the run's
//! seed and its index only ([`rng`]); failures are minimised ([`minimize`])
//! and written to `fuzz/artifacts/<target>/<hash>/` with the command that
//! replays them ([`engine`]).

pub mod decode;
pub mod engine;
pub mod guard;
pub mod input;
pub mod minimize;
pub mod mutate;
pub mod rng;
pub mod rustdoc;
pub mod seeds;
pub mod targets;

use std::path::{Path, PathBuf};

/// The workspace root (the folder that holds `spec/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
