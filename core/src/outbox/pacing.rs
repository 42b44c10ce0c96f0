//! Proactive pacing per routing key: a burst is spread out instead of answered with 429s.
//!
//! A sliding-window log: an event may be sent when fewer than `limit` were sent in the last
//! window (PagerDuty's: a minute) plus 2% (at least 100 ms), the margin for the network's jitter. That is the
//! strictest reading of "N a minute": no window of a minute, wherever it starts (a fixed window
//! from the first request, a sliding one, or a token bucket of N refilled each minute), ever
//! sees more than N of our events — and a quiet key still sends a burst of up to N at once.

use std::collections::VecDeque;

/// The window counted over: `window_ms` plus 2% (at least 100 ms) for the network's jitter.
pub fn padded(window_ms: u64) -> u64 {
    window_ms + (window_ms / 50).max(100)
}

/// The sends of one key inside the window.
#[derive(Debug, Clone, Default)]
pub struct Pacer {
    sent: VecDeque<u64>,
}

impl Pacer {
    /// When the next send may start (`now_ms` or later), at `limit` per `window_ms`
    /// (`limit` 0: no pacing).
    pub fn ready_at(&mut self, now_ms: u64, limit: u32, window_ms: u64) -> u64 {
        let window = padded(window_ms);
        self.prune(now_ms, window);
        if limit == 0 || self.sent.len() < limit as usize {
            return now_ms;
        }
        // The oldest send that keeps the window full must leave it first.
        let blocking = self.sent[self.sent.len() - limit as usize];
        (blocking + window).max(now_ms)
    }

    /// Records a send at `now_ms`.
    pub fn record(&mut self, now_ms: u64) {
        self.sent.push_back(now_ms);
    }

    /// Sends in the window that ends now.
    pub fn in_window(&mut self, now_ms: u64, window_ms: u64) -> usize {
        self.prune(now_ms, padded(window_ms));
        self.sent.len()
    }

    fn prune(&mut self, now_ms: u64, window: u64) {
        while self.sent.front().is_some_and(|&t| t + window <= now_ms) {
            self.sent.pop_front();
        }
        // A clock that went back: forget sends "in the future" rather than stall for them.
        while self.sent.back().is_some_and(|&t| t > now_ms + window) {
            self.sent.pop_back();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drives a pacer as fast as it allows; returns the send times.
    fn run(events: usize, per_minute: u32) -> Vec<u64> {
        let mut p = Pacer::default();
        let mut now = 0;
        (0..events)
            .map(|_| {
                now = p.ready_at(now, per_minute, 60_000);
                p.record(now);
                now
            })
            .collect()
    }

    #[test]
    fn no_minute_anywhere_holds_more_than_the_limit() {
        let times = run(1000, 120);
        for (i, &t) in times.iter().enumerate() {
            let in_minute = times[i..].iter().take_while(|&&u| u < t + 60_000).count();
            assert!(in_minute <= 120, "{in_minute} sends in the minute from {t}");
        }
        // And it is not slower than it must be: 1,000 at 120 a minute is 8 full windows and
        // a part, each a minute and 2%.
        let last = *times.last().unwrap();
        assert_eq!(last, 8 * padded(60_000));
    }

    #[test]
    fn off_means_no_wait_and_a_quiet_key_bursts() {
        let times = run(500, 0);
        assert!(times.iter().all(|&t| t == 0));
        let times = run(120, 120);
        assert!(times.iter().all(|&t| t == 0));
    }

    #[test]
    fn a_clock_that_goes_back_does_not_stall_the_key() {
        let mut p = Pacer::default();
        for _ in 0..5 {
            p.record(10_000_000);
        }
        assert_eq!(p.ready_at(0, 5, 60_000), 0);
    }
}
