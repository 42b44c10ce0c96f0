//! libpagerduty for the Python wheel: links pagerduty-ffi, whose `pd_*` functions this cdylib
//! exports (see Cargo.toml for why this crate exists).
pub use pagerduty;
