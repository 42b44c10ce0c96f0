//! libpagerduty, the C ABI (issue 5): not built yet. This crate only proves the core links into it.
pub use pagerduty_core as core;
