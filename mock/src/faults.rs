//! Seeded, reproducible fault injection, per route prefix.
//!
//! One rule applies to a request: the one with the longest `route` that prefixes its path. The
//! fractions of that rule share one random draw, in the order of the fields below (so they add
//! up: `server_error: 0.2, rate_limit: 0.1` fails 30% of requests), and the draws come from a
//! generator seeded by the simulator's seed: the same seed and the same requests in the same
//! order give the same faults. `fail_streak` is decided apart, from the seed and the event's
//! dedup key alone, so it does not depend on the order of requests.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::rng::Rng;

/// Faults for the routes that start with `route` ("" = every route but `/_mock/`).
/// Fractions are probabilities per request, from 0 to 1. Every field is optional in JSON;
/// unknown fields are refused.
///
/// Unless said otherwise, a fault answers *instead of* processing the request: nothing is
/// recorded in the simulator's state.
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
    /// A redirect (empty body) whose `Location` is the same path and query on the stray
    /// listener (`http://127.0.0.2:PORT/path?query`, see `GET /_mock/stray`): a client that
    /// follows it hands its request, key included, to another host.
    pub redirect: f64,
    /// The redirect's status: 301, 302, 307 or 308; 0 (or anything else) rotates through the
    /// four, in that order.
    pub redirect_status: u16,
    /// A 400 whose JSON error quotes the credential back, as careless servers do. REST:
    /// `{"error":{"message":"Invalid credential <Authorization value>","code":2006,
    /// "errors":["<token>","Authorization: <Authorization value>"]}}`; Events v2 and change
    /// events: `{"status":"invalid event","message":"routing key <KEY> is not valid",
    /// "errors":["<KEY>"]}`; v1 the same with `service key`. The `x-request-id` header carries
    /// the credential too (REST: the Authorization value; events: the key).
    pub echo_key: f64,
    /// The request is read, then never answered: the connection stays open until the client
    /// closes it (or 5 minutes pass, or the simulator stops).
    pub stall: f64,
    /// A 200 whose headers come at once and whose body (64 bytes of JSON) comes 1 byte per
    /// second.
    pub drip: f64,
    /// A 200 with `content-type: application/json` and a valid JSON body of `huge_body_mb` MiB
    /// exactly, streamed in chunks (no `content-length`):
    /// `{"incidents":[{"id":"P0000000","padding":"xx…"},…],"more":false}`.
    pub huge_body: f64,
    /// Size of the `huge_body` answer in MiB (1 MiB = 1,048,576 bytes); 0 means 16.
    pub huge_body_mb: u64,
    /// Events only: an event picked (see `fail_streak_fraction`) fails its first
    /// `fail_streak` deliveries, alternating 502 and 429 without headers (403 on Events v1,
    /// PagerDuty's throttle status there), then is processed normally. Events are told apart by
    /// their `dedup_key` (v2) or `incident_key` (v1); an event without one (a trigger the
    /// simulator gives a key to, a change event) is never picked.
    pub fail_streak: u32,
    /// The probability that a dedup key is picked for a streak. Decided from the seed and the
    /// key alone: the same keys are picked on every run with the same seed.
    pub fail_streak_fraction: f64,
}

impl Fault {
    /// What is wrong with a rule that parsed.
    pub fn validate(&self) -> Result<(), String> {
        if !matches!(self.redirect_status, 0 | 301 | 302 | 307 | 308) {
            return Err(format!(
                "redirect_status {} for route {:?}: must be 301, 302, 307, 308 or 0 (rotate)",
                self.redirect_status, self.route
            ));
        }
        Ok(())
    }
}

/// The statuses `redirect_status: 0` rotates through.
const REDIRECTS: [u16; 4] = [301, 302, 307, 308];

/// The size of a huge body when `huge_body_mb` is 0: twice the bindings' default cap.
const DEFAULT_HUGE_MB: u64 = 16;

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Process it; then maybe drop the connection, or cut the answer's body.
    Proceed { drop_after: bool, truncate: bool },
    /// Answer with a fault instead.
    Fail(Failure),
}

/// A fault answered instead of processing the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    DropBefore,
    ServerError(u16),
    RateLimit {
        headers: bool,
    },
    Html502,
    /// A redirect with this status to the stray listener.
    Redirect(u16),
    EchoKey,
    Stall,
    Drip,
    /// A streamed JSON body of this many MiB.
    HugeBody {
        mb: u64,
    },
    /// A delivery of an event in its failure streak: 502, or 429 without headers.
    FailStreak {
        rate_limited: bool,
    },
}

impl Failure {
    /// The name the fault is counted under in `/_mock/counters`: its `Fault` field.
    pub fn name(&self) -> &'static str {
        match self {
            Failure::DropBefore => "drop_before",
            Failure::ServerError(_) => "server_error",
            Failure::RateLimit { headers: true } => "rate_limit",
            Failure::RateLimit { headers: false } => "rate_limit_no_headers",
            Failure::Html502 => "html_502",
            Failure::Redirect(_) => "redirect",
            Failure::EchoKey => "echo_key",
            Failure::Stall => "stall",
            Failure::Drip => "drip",
            Failure::HugeBody { .. } => "huge_body",
            Failure::FailStreak { .. } => "fail_streak",
        }
    }
}

const PROCEED: Decision = Decision::Proceed {
    drop_after: false,
    truncate: false,
};

#[derive(Debug)]
pub struct Faults {
    pub rules: Vec<Fault>,
    rng: Rng,
    seed: u64,
    /// Deliveries seen so far of each dedup key picked for a streak.
    streaks: HashMap<String, u32>,
    /// Redirects answered so far, for rotating their status.
    redirects: usize,
}

impl Faults {
    pub fn new(rules: Vec<Fault>, seed: u64) -> Faults {
        Faults {
            rules,
            rng: Rng::new(seed ^ 0xFA17),
            seed,
            streaks: HashMap::new(),
            redirects: 0,
        }
    }

    pub fn set(&mut self, rules: Vec<Fault>, seed: u64) {
        *self = Faults::new(rules, seed);
    }

    /// The decision for a request on `path` (carrying the event dedup key `dedup_key`, if
    /// any), and the latency to add.
    pub fn decide(&mut self, path: &str, dedup_key: Option<&str>) -> (Decision, u64) {
        let Some(rule) = self
            .rules
            .iter()
            .filter(|r| path.starts_with(&r.route))
            .max_by_key(|r| r.route.len())
            .cloned()
        else {
            return (PROCEED, 0);
        };
        // Before the shared draw, so that streaks leave the other faults' sequence alone.
        if let Some(decision) = dedup_key.and_then(|k| self.streak(&rule, k)) {
            return (decision, rule.latency_ms);
        }
        (self.draw(&rule), rule.latency_ms)
    }

    /// One draw of the random sequence, spent on the rule's fractions in order.
    fn draw(&mut self, rule: &Fault) -> Decision {
        let mut x = self.rng.unit();
        let mut pick = |p: f64| {
            if x < p {
                true
            } else {
                x -= p;
                false
            }
        };
        // The kinds added later come last: rules without them draw exactly as before.
        let failure = if pick(rule.drop_before) {
            Failure::DropBefore
        } else if pick(rule.rate_limit) {
            Failure::RateLimit { headers: true }
        } else if pick(rule.rate_limit_no_headers) {
            Failure::RateLimit { headers: false }
        } else if pick(rule.server_error) {
            Failure::ServerError([500, 502, 503][(self.rng.next_u64() % 3) as usize])
        } else if pick(rule.html_502) {
            Failure::Html502
        } else if pick(rule.redirect) {
            Failure::Redirect(self.redirect_status(rule.redirect_status))
        } else if pick(rule.echo_key) {
            Failure::EchoKey
        } else if pick(rule.stall) {
            Failure::Stall
        } else if pick(rule.drip) {
            Failure::Drip
        } else if pick(rule.huge_body) {
            Failure::HugeBody {
                mb: match rule.huge_body_mb {
                    0 => DEFAULT_HUGE_MB,
                    mb => mb,
                },
            }
        } else {
            let drop_after = self.rng.unit() < rule.drop_after;
            let truncate = !drop_after && self.rng.unit() < rule.truncated_json;
            return Decision::Proceed {
                drop_after,
                truncate,
            };
        };
        Decision::Fail(failure)
    }

    fn redirect_status(&mut self, wanted: u16) -> u16 {
        if REDIRECTS.contains(&wanted) {
            return wanted;
        }
        let status = REDIRECTS[self.redirects % REDIRECTS.len()];
        self.redirects += 1;
        status
    }

    /// The failure for this delivery of `key`, while the key is in its streak.
    fn streak(&mut self, rule: &Fault, key: &str) -> Option<Decision> {
        if rule.fail_streak == 0 || key.is_empty() {
            return None;
        }
        let hash = Rng::new(self.seed ^ fnv1a(key)).next_u64();
        // The top 53 bits as a uniform number in [0, 1), as `Rng::unit` does.
        let picked = ((hash >> 11) as f64 / (1u64 << 53) as f64) < rule.fail_streak_fraction;
        if !picked {
            return None;
        }
        let seen = self.streaks.entry(key.to_owned()).or_insert(0);
        if *seen >= rule.fail_streak {
            return None;
        }
        *seen += 1;
        // Alternate the two statuses, starting with one chosen by the key.
        Some(Decision::Fail(Failure::FailStreak {
            rate_limited: (hash ^ u64::from(*seen)) & 1 == 0,
        }))
    }
}

/// FNV-1a: a stable hash (std's is randomized per process), so picks repeat across runs.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn streak_rule(n: u32, fraction: f64) -> Fault {
        Fault {
            fail_streak: n,
            fail_streak_fraction: fraction,
            ..Fault::default()
        }
    }

    #[test]
    fn rules_without_new_kinds_draw_as_before() {
        // The sequence of an old rule must not move when new kinds exist but are 0.
        let rule = Fault {
            server_error: 0.3,
            drop_after: 0.2,
            ..Fault::default()
        };
        let mut a = Faults::new(vec![rule.clone()], 9);
        let mut rng = Rng::new(9 ^ 0xFA17);
        for _ in 0..100 {
            let x = rng.unit();
            let expected = if x < 0.3 {
                Decision::Fail(Failure::ServerError(
                    [500, 502, 503][(rng.next_u64() % 3) as usize],
                ))
            } else {
                let drop_after = rng.unit() < 0.2;
                let truncate = !drop_after && rng.unit() < 0.0;
                Decision::Proceed {
                    drop_after,
                    truncate,
                }
            };
            assert_eq!(a.decide("/x", Some("k")).0, expected);
        }
    }

    #[test]
    fn a_streak_fails_n_times_then_proceeds() {
        let mut f = Faults::new(vec![streak_rule(3, 1.0)], 1);
        let got: Vec<_> = (0..5)
            .map(|_| f.decide("/v2/enqueue", Some("k")).0)
            .collect();
        assert!(got[..3]
            .iter()
            .all(|d| matches!(d, Decision::Fail(Failure::FailStreak { .. }))));
        assert_eq!(got[3..], [PROCEED, PROCEED]);
        // Both statuses show up, alternating.
        assert_ne!(got[0], got[1]);
        assert_eq!(got[0], got[2]);
        // Each key has its own streak; no key, no streak.
        assert!(matches!(
            f.decide("/v2/enqueue", Some("other")).0,
            Decision::Fail(Failure::FailStreak { .. })
        ));
        assert_eq!(f.decide("/v2/enqueue", None).0, PROCEED);
    }

    #[test]
    fn streak_picks_depend_on_seed_and_key_only() {
        let picked = |seed: u64, order: &[usize]| {
            let mut f = Faults::new(vec![streak_rule(1, 0.5)], seed);
            let mut keys: Vec<usize> = order
                .iter()
                .copied()
                .filter(|i| f.decide("/v2/enqueue", Some(&format!("key-{i}"))).0 != PROCEED)
                .collect();
            keys.sort();
            keys
        };
        let forward: Vec<usize> = (0..200).collect();
        let backward: Vec<usize> = (0..200).rev().collect();
        let a = picked(5, &forward);
        assert_eq!(a, picked(5, &backward));
        assert!(a.len() > 60 && a.len() < 140, "{}", a.len());
        assert_ne!(a, picked(6, &forward));
    }

    #[test]
    fn redirects_rotate_unless_a_status_is_given() {
        let rule = |status| Fault {
            redirect: 1.0,
            redirect_status: status,
            ..Fault::default()
        };
        let mut f = Faults::new(vec![rule(0)], 1);
        let got: Vec<_> = (0..5).map(|_| f.decide("/", None).0).collect();
        let want: Vec<_> = [301, 302, 307, 308, 301]
            .into_iter()
            .map(|s| Decision::Fail(Failure::Redirect(s)))
            .collect();
        assert_eq!(got, want);
        let mut f = Faults::new(vec![rule(307)], 1);
        assert_eq!(
            f.decide("/", None).0,
            Decision::Fail(Failure::Redirect(307))
        );
        assert!(rule(303).validate().is_err());
        assert!(rule(308).validate().is_ok());
    }
}
