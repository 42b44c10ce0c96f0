//! The demo's transport, shared with its tests: a blocking HTTP client driving the core.

pub mod transport;
