//! WebAssembly bindings (issue 6): not built yet. This crate only proves the core compiles into it.
pub use pagerduty_core as core;
