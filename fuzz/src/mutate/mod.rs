//! Grammar-aware mutation: [`yaml`] reads a spec file's structure and the
//! role of each key and scalar, [`text`] mutates one file with it, [`spec`]
//! mutates whole folders, [`json`] mutates messages, and [`bytes`] is the
//! fallback that knows nothing.

pub mod bytes;
pub mod dict;
pub mod json;
pub mod spec;
pub mod text;
pub mod yaml;
