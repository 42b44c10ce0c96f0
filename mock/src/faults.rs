//! Seeded, reproducible fault injection, per route prefix.

use serde::{Deserialize, Serialize};

use crate::rng::Rng;

/// Faults for the routes that start with `route` ("" = every route but `/_mock/`).
/// Fractions are probabilities per request, from 0 to 1.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Fault {
    pub route: String,
    /// 500, 502 or 503 with a JSON error body, before processing.
    pub server_error: f64,
    /// 429 with `ratelimit-*` and `retry-after` headers, before processing.
    pub rate_limit: f64,
    /// 429 without any header saying when to retry.
    pub rate_limit_no_headers: f64,
    /// The connection is closed before the request is processed.
    pub drop_before: f64,
    /// The request is processed, then the connection is closed without an answer: the case
    /// that makes naive clients send an event twice.
    pub drop_after: f64,
    /// A proxy's HTML 502 page, before processing.
    pub html_502: f64,
    /// The request is processed and the answer's body cut in half.
    pub truncated_json: f64,
    /// Added latency, milliseconds.
    pub latency_ms: u64,
}

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Proceed { drop_after: bool, truncate: bool },
    DropBefore,
    ServerError(u16),
    RateLimit { headers: bool },
    Html502,
}

#[derive(Debug)]
pub struct Faults {
    pub rules: Vec<Fault>,
    rng: Rng,
}

impl Faults {
    pub fn new(rules: Vec<Fault>, seed: u64) -> Faults {
        Faults {
            rules,
            rng: Rng::new(seed ^ 0xFA17),
        }
    }

    pub fn set(&mut self, rules: Vec<Fault>, seed: u64) {
        *self = Faults::new(rules, seed);
    }

    /// The decision for a request on `path`, and the latency to add.
    pub fn decide(&mut self, path: &str) -> (Decision, u64) {
        let Some(rule) = self
            .rules
            .iter()
            .filter(|r| path.starts_with(&r.route))
            .max_by_key(|r| r.route.len())
            .cloned()
        else {
            return (
                Decision::Proceed {
                    drop_after: false,
                    truncate: false,
                },
                0,
            );
        };
        let mut x = self.rng.unit();
        let mut pick = |p: f64| {
            if x < p {
                true
            } else {
                x -= p;
                false
            }
        };
        let decision = if pick(rule.drop_before) {
            Decision::DropBefore
        } else if pick(rule.rate_limit) {
            Decision::RateLimit { headers: true }
        } else if pick(rule.rate_limit_no_headers) {
            Decision::RateLimit { headers: false }
        } else if pick(rule.server_error) {
            Decision::ServerError([500, 502, 503][(self.rng.next_u64() % 3) as usize])
        } else if pick(rule.html_502) {
            Decision::Html502
        } else {
            let drop_after = self.rng.unit() < rule.drop_after;
            let truncate = !drop_after && self.rng.unit() < rule.truncated_json;
            Decision::Proceed {
                drop_after,
                truncate,
            }
        };
        (decision, rule.latency_ms)
    }
}
