//! PagerDuty-style rate limits: a fixed window per key, reported in `ratelimit-*` headers.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// `limit` requests per `window_secs` for each key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limit {
    pub limit: u64,
    pub window_secs: u64,
}

#[derive(Debug)]
pub struct RateLimiter {
    pub limit: Limit,
    windows: HashMap<String, (Instant, u64)>,
}

/// The outcome for one request.
#[derive(Debug, Clone, Copy)]
pub struct Verdict {
    pub allowed: bool,
    pub limit: u64,
    pub remaining: u64,
    pub reset_secs: u64,
}

impl RateLimiter {
    pub fn new(limit: Limit) -> Self {
        RateLimiter {
            limit,
            windows: HashMap::new(),
        }
    }

    pub fn check(&mut self, key: &str) -> Verdict {
        let now = Instant::now();
        let window = Duration::from_secs(self.limit.window_secs.max(1));
        let entry = self.windows.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        let reset = window
            .saturating_sub(now.duration_since(entry.0))
            .as_secs_f64()
            .ceil() as u64;
        Verdict {
            allowed: entry.1 <= self.limit.limit,
            limit: self.limit.limit,
            remaining: self.limit.limit.saturating_sub(entry.1),
            reset_secs: reset.max(1),
        }
    }

    pub fn headers(v: &Verdict) -> Vec<(String, String)> {
        vec![
            ("ratelimit-limit".into(), v.limit.to_string()),
            ("ratelimit-remaining".into(), v.remaining.to_string()),
            ("ratelimit-reset".into(), v.reset_secs.to_string()),
        ]
    }
}
