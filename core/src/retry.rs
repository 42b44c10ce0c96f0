//! Retries as a state machine the binding drives: [`Step::Send`] a request, [`Step::Wait`] a
//! while, or [`Step::Done`] with the outcome: the final response, whatever its status (read it
//! with the operation's parser, which turns a 4xx or 5xx into the right [`Error`]), or the
//! transport's error when no response came. The core never sleeps, reads the clock or draws a
//! random number: `now` (any monotonic clock) and `random` (any `u64` source) are arguments.
//!
//! The rules:
//! - **429** is always retried (PagerDuty's own advice) until the total deadline; so is Events
//!   API v1's 403, which means the same. Retries are bounded by time, not by a small count (an
//!   attempt cap is available, off by default): an event that meets six faults in a row with
//!   40 s of its deadline left is sent a seventh time, not given up.
//! - **5xx and transport failures** are retried for idempotent requests: GET, PUT, DELETE, and
//!   every event (a dedup_key makes a resent event harmless). A POST to REST is not resent after
//!   it may have reached the server, unless the caller marks it idempotent; a failure to
//!   *connect* is always retried, as nothing was sent.
//! - **Never** 400, 401, 403, 404 or any other 4xx, nor a 3xx (PagerDuty does not redirect:
//!   a redirect is not followed, and is never taken for an accepted event), nor a failure that
//!   will not heal by waiting ([`TransportError::Fatal`]: an untrusted certificate, an unknown
//!   host) or an answer over the size cap ([`TransportError::TooLarge`]).
//! - Each attempt has its own timeout (the request's, else the transport's); the deadline only
//!   bounds when a new attempt may start.
//! - Whatever the server said is scrubbed of the request's secrets ([`Request::secrets`])
//!   before it is handed back: an error text that quotes the key never reaches a log.
//! - The wait is `ratelimit-reset` or `Retry-After` when the response has one, else capped
//!   exponential backoff with full jitter: uniform in `[0, min(max_delay, base × 2^n))`.
//! - Every attempt sends the same request, body included.
//!
//! The loop a binding writes:
//!
//! ```
//! use std::time::Duration;
//! use pagerduty_core::retry::{Retry, RetryPolicy, Step};
//! use pagerduty_core::response_error::Api;
//! use pagerduty_core::http::{Method, Request, Response};
//!
//! let request = Request { method: Method::Get, url: "https://api.pagerduty.com/users/me".into(),
//!                         headers: vec![], body: None, timeout: None };
//! let mut answers = vec![Response::new(200, vec![], "{}"), Response::new(503, vec![], "")];
//! let mut clock = Duration::ZERO;                       // a real binding reads a monotonic clock
//! let mut retry = Retry::new(request, Api::Rest, RetryPolicy::default());
//! let mut step = retry.start(clock);
//! let response = loop {
//!     step = match step {
//!         Step::Send(req) => {
//!             let response = answers.pop().unwrap();    // send `req` over HTTP here
//!             retry.handle_response(response, clock, 0x9e37_79b9_7f4a_7c15)
//!         }
//!         Step::Wait(d) => { clock += d; retry.resume(clock) }  // sleep(d)
//!         Step::Done(result) => break result,
//!     };
//! };
//! assert_eq!(response.unwrap().status, 200);
//! assert_eq!(retry.attempts(), 2);
//! ```

use std::time::Duration;

use crate::error::Error;
use crate::http::{Request, Response};
use crate::response_error::Api;

/// How hard to try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry; the default, `u32::MAX`, leaves
    /// the deadline alone to bound the retries).
    pub max_attempts: u32,
    /// No attempt starts, and no wait ends, later than this after the first attempt.
    pub deadline: Duration,
    /// First backoff ceiling.
    pub base_delay: Duration,
    /// Largest backoff ceiling.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: u32::MAX,
            deadline: Duration::from_secs(60),
            base_delay: Duration::from_millis(500),
            // 10 s, not more: with full jitter an event that meets 8 faults in a row still
            // lands well inside the 60 s deadline (mean ~23 s, at worst ~46 s of waiting).
            max_delay: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The backoff ceiling before attempt `n + 1` (after `n` failures, `n ≥ 1`).
    pub(crate) fn ceiling(&self, failures: u32) -> Duration {
        let exp = failures.saturating_sub(1).min(30);
        self.base_delay
            .checked_mul(1u32 << exp)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }
}

/// How a transport failed to get an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// The connection was never made (refused, DNS, TLS handshake): nothing was sent.
    Connect(String),
    /// No answer in time: the request may or may not have been processed.
    Timeout(String),
    /// The connection broke after the request may have been sent.
    Other(String),
    /// A failure that waiting will not heal (an untrusted certificate, an unknown host, a
    /// redirect a browser hides): never retried. The message names the cause.
    Fatal(String),
    /// The answer was larger than the transport's size cap and was not read further.
    TooLarge {
        /// The answer's status.
        status: u16,
        /// The cap, in bytes.
        limit: u64,
    },
}

impl TransportError {
    fn into_error(self) -> Error {
        match self {
            TransportError::Connect(m) | TransportError::Other(m) | TransportError::Fatal(m) => {
                Error::Transport(m)
            }
            TransportError::Timeout(m) => Error::Timeout(m),
            TransportError::TooLarge { status, limit } => Error::decoding(
                Some(status),
                b"",
                None,
                format!(
                    "the answer is larger than the {limit}-byte cap (option max_response_bytes) \
                     and was not read further"
                ),
            ),
        }
    }
}

/// What the binding must do next.
#[derive(Debug)]
#[must_use]
pub enum Step {
    /// Send this request and report what happened.
    Send(Request),
    /// Sleep this long, then call [`Retry::resume`].
    Wait(Duration),
    /// Finished: the final response (any status: parse it), or the error when the last
    /// attempt got no response at all.
    Done(Result<Response, Error>),
}

/// One request, retried by the rules in the module docs.
#[derive(Debug)]
pub struct Retry {
    request: Request,
    api: Api,
    policy: RetryPolicy,
    idempotent: bool,
    attempts: u32,
    started: Option<Duration>,
    last: Option<Result<Response, Error>>,
    secrets: Vec<String>,
    phase: Phase,
}

/// Where a [`Retry`] is: each method is valid in one phase only (as [`crate::pagination::Pager`]
/// is strict about its order), so a binding's bug shows as an error instead of a resent body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before [`Retry::start`].
    New,
    /// A request is out: waiting for its response or transport error.
    Sent,
    /// Told to wait: waiting for [`Retry::resume`].
    Waiting,
    /// Finished.
    Done,
}

impl Retry {
    /// Retries `request`, answered by `api`, under `policy`. Events are idempotent; REST
    /// requests are idempotent unless they are POST or PATCH.
    pub fn new(request: Request, api: Api, policy: RetryPolicy) -> Self {
        let idempotent = match api {
            Api::EventsV2 | Api::EventsV1 => true,
            Api::Rest => request.method.is_idempotent(),
        };
        Retry {
            secrets: request.secrets(),
            request,
            api,
            policy,
            idempotent,
            attempts: 0,
            started: None,
            last: None,
            phase: Phase::New,
        }
    }

    /// Overrides whether resending after a 5xx or a lost answer is safe.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// Attempts made so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The first attempt.
    pub fn start(&mut self, now: Duration) -> Step {
        if let Some(misuse) = self.expect(Phase::New, "start") {
            return misuse;
        }
        self.started = Some(now);
        self.send()
    }

    /// After a [`Step::Wait`]: the next attempt, unless the deadline has passed.
    pub fn resume(&mut self, now: Duration) -> Step {
        if let Some(misuse) = self.expect(Phase::Waiting, "resume") {
            return misuse;
        }
        if self.remaining(now).is_zero() {
            return self.give_up();
        }
        self.send()
    }

    /// The transport's answer to the last [`Step::Send`].
    pub fn handle_response(&mut self, response: Response, now: Duration, random: u64) -> Step {
        if let Some(misuse) = self.expect(Phase::Sent, "handle_response") {
            return misuse;
        }
        let retryable = match response.status {
            429 => true,
            403 if self.api == Api::EventsV1 => true,
            500..=599 => self.idempotent,
            _ => false,
        };
        if !retryable {
            return self.finish(Ok(response));
        }
        let hinted = response.retry_after();
        self.last = Some(Ok(response));
        self.wait(now, random, hinted)
    }

    /// The transport failed to get an answer to the last [`Step::Send`].
    pub fn handle_transport_error(
        &mut self,
        error: TransportError,
        now: Duration,
        random: u64,
    ) -> Step {
        if let Some(misuse) = self.expect(Phase::Sent, "handle_transport_error") {
            return misuse;
        }
        let retryable = match error {
            TransportError::Fatal(_) | TransportError::TooLarge { .. } => false,
            TransportError::Connect(_) => true,
            TransportError::Timeout(_) | TransportError::Other(_) => self.idempotent,
        };
        let error = error.into_error();
        if !retryable {
            return self.finish(Err(error));
        }
        self.last = Some(Err(error));
        self.wait(now, random, None)
    }

    /// `None` when `method` may be called now; otherwise the error that ends the exchange.
    fn expect(&mut self, phase: Phase, method: &str) -> Option<Step> {
        if self.phase == phase {
            return None;
        }
        let when = match self.phase {
            Phase::New => "before start",
            Phase::Sent => "while a request is out (expected handle_response)",
            Phase::Waiting => "during a wait (expected resume)",
            Phase::Done => "after the exchange finished",
        };
        self.phase = Phase::Done;
        Some(Step::Done(Err(Error::invalid(
            "retry",
            format!("{method} called {when}"),
        ))))
    }

    fn send(&mut self) -> Step {
        self.phase = Phase::Sent;
        self.attempts += 1;
        Step::Send(self.request.clone())
    }

    fn wait(&mut self, now: Duration, random: u64, hinted: Option<Duration>) -> Step {
        if self.attempts >= self.policy.max_attempts {
            return self.give_up();
        }
        let delay = hinted.unwrap_or_else(|| {
            let ceiling = self.policy.ceiling(self.attempts);
            // Full jitter: uniform in [0, ceiling).
            let fraction = (random >> 11) as f64 / (1u64 << 53) as f64;
            ceiling.mul_f64(fraction)
        });
        if delay >= self.remaining(now) {
            return self.give_up();
        }
        self.phase = Phase::Waiting;
        Step::Wait(delay)
    }

    fn remaining(&self, now: Duration) -> Duration {
        let started = self.started.unwrap_or(now);
        let end = started + self.policy.deadline;
        end.saturating_sub(now)
    }

    fn give_up(&mut self) -> Step {
        let last = self.last.take().unwrap_or_else(|| {
            Err(Error::Timeout(
                "the retry deadline passed before any attempt".into(),
            ))
        });
        self.finish(last)
    }

    /// The outcome, scrubbed of the request's secrets.
    fn finish(&mut self, outcome: Result<Response, Error>) -> Step {
        self.phase = Phase::Done;
        let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        Step::Done(match outcome {
            Ok(mut response) => {
                response.redact(&self.secrets);
                Ok(response)
            }
            Err(e) => Err(e.redacted(&secrets)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Method;

    fn req(method: Method) -> Request {
        Request {
            method,
            url: "https://api.pagerduty.com/x".into(),
            headers: vec![],
            body: Some("{\"a\":1}".into()),
            timeout: None,
        }
    }

    fn resp(status: u16, headers: &[(&str, &str)]) -> Response {
        Response::new(
            status,
            headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            "",
        )
    }

    fn sent(step: Step) -> Request {
        match step {
            Step::Send(r) => r,
            other => panic!("expected Send, got {other:?}"),
        }
    }

    fn waited(step: Step) -> Duration {
        match step {
            Step::Wait(d) => d,
            other => panic!("expected Wait, got {other:?}"),
        }
    }

    /// The error a finished step stands for, as a binding's parser would read it.
    fn failed(step: Step) -> Error {
        match done(step) {
            Ok(r) if !r.is_success() => crate::response_error::error_from_response(&r, Api::Rest),
            Ok(r) => panic!("expected a failure, got {}", r.status),
            Err(e) => e,
        }
    }

    fn done(step: Step) -> Result<Response, Error> {
        match step {
            Step::Done(r) => r,
            other => panic!("expected Done, got {other:?}"),
        }
    }

    #[test]
    fn rate_limits_wait_as_told_and_resend_the_same_body() {
        let mut r = Retry::new(req(Method::Post), Api::Rest, RetryPolicy::default());
        let first = sent(r.start(Duration::ZERO));
        let d =
            waited(r.handle_response(resp(429, &[("ratelimit-reset", "2")]), Duration::ZERO, 0));
        assert_eq!(d, Duration::from_secs(2));
        let second = sent(r.resume(d));
        assert_eq!(first.body, second.body);
        assert_eq!(first.url, second.url);
        assert_eq!(
            done(r.handle_response(resp(201, &[]), d, 0))
                .unwrap()
                .status,
            201
        );
        assert_eq!(r.attempts(), 2);
    }

    #[test]
    fn calls_out_of_order_are_refused() {
        let misuse = |step: Step| match done(step) {
            Err(Error::InvalidInput { field, reason }) => {
                assert_eq!(field, "retry");
                reason
            }
            other => panic!("{other:?}"),
        };
        let mut r = Retry::new(req(Method::Get), Api::Rest, RetryPolicy::default());
        assert_eq!(
            misuse(r.resume(Duration::ZERO)),
            "resume called before start"
        );
        let mut r = Retry::new(req(Method::Get), Api::Rest, RetryPolicy::default());
        let _ = sent(r.start(Duration::ZERO));
        assert!(misuse(r.start(Duration::ZERO)).starts_with("start called while a request is out"));
        let mut r = Retry::new(req(Method::Get), Api::Rest, RetryPolicy::default());
        let _ = sent(r.start(Duration::ZERO));
        let _ = waited(r.handle_response(resp(503, &[]), Duration::ZERO, 0));
        assert!(misuse(r.handle_response(resp(200, &[]), Duration::ZERO, 0))
            .starts_with("handle_response called during a wait"));
        let mut r = Retry::new(req(Method::Get), Api::Rest, RetryPolicy::default());
        let _ = sent(r.start(Duration::ZERO));
        let _ = done(r.handle_response(resp(200, &[]), Duration::ZERO, 0));
        assert_eq!(
            misuse(r.handle_response(resp(200, &[]), Duration::ZERO, 0)),
            "handle_response called after the exchange finished"
        );
        assert_eq!(r.attempts(), 1);
    }

    #[test]
    fn never_retries_client_errors() {
        for status in [400, 401, 403, 404, 409, 422] {
            let mut r = Retry::new(req(Method::Get), Api::Rest, RetryPolicy::default());
            let _ = sent(r.start(Duration::ZERO));
            let err = failed(r.handle_response(resp(status, &[]), Duration::ZERO, 0));
            assert_eq!(err.status(), Some(status));
            assert_eq!(r.attempts(), 1);
        }
    }

    #[test]
    fn server_errors_retry_only_when_idempotent() {
        let mut r = Retry::new(req(Method::Post), Api::Rest, RetryPolicy::default());
        let _ = sent(r.start(Duration::ZERO));
        assert_eq!(
            failed(r.handle_response(resp(503, &[]), Duration::ZERO, 0)).status(),
            Some(503)
        );

        let mut r = Retry::new(req(Method::Post), Api::EventsV2, RetryPolicy::default());
        let _ = sent(r.start(Duration::ZERO));
        let _ = waited(r.handle_response(resp(503, &[]), Duration::ZERO, 0));

        let mut r =
            Retry::new(req(Method::Post), Api::Rest, RetryPolicy::default()).idempotent(true);
        let _ = sent(r.start(Duration::ZERO));
        let _ = waited(r.handle_response(resp(502, &[]), Duration::ZERO, 0));
    }

    #[test]
    fn transport_failures() {
        let mut r = Retry::new(req(Method::Post), Api::Rest, RetryPolicy::default());
        let _ = sent(r.start(Duration::ZERO));
        // A POST that may have arrived is not resent...
        let err = done(r.handle_transport_error(
            TransportError::Other("reset".into()),
            Duration::ZERO,
            0,
        ));
        assert_eq!(err.unwrap_err().code(), "transport");
        // ...but one that never left is.
        let mut r = Retry::new(req(Method::Post), Api::Rest, RetryPolicy::default());
        let _ = sent(r.start(Duration::ZERO));
        let _ = waited(r.handle_transport_error(
            TransportError::Connect("refused".into()),
            Duration::ZERO,
            0,
        ));
        let mut r = Retry::new(req(Method::Get), Api::Rest, RetryPolicy::none());
        let _ = sent(r.start(Duration::ZERO));
        let err = done(r.handle_transport_error(
            TransportError::Timeout("10 s".into()),
            Duration::ZERO,
            0,
        ));
        assert_eq!(err.unwrap_err().code(), "timeout");
    }

    #[test]
    fn events_v1_403_is_a_rate_limit() {
        let mut r = Retry::new(req(Method::Post), Api::EventsV1, RetryPolicy::default());
        let _ = sent(r.start(Duration::ZERO));
        let _ = waited(r.handle_response(resp(403, &[]), Duration::ZERO, u64::MAX));
    }

    #[test]
    fn backoff_is_capped_exponential_with_full_jitter() {
        let policy = RetryPolicy {
            max_attempts: 10,
            deadline: Duration::from_secs(3600),
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
        };
        let mut r = Retry::new(req(Method::Get), Api::Rest, policy);
        let mut now = Duration::ZERO;
        let _ = sent(r.start(now));
        let mut waits = vec![];
        for _ in 0..6 {
            let d = waited(r.handle_response(resp(500, &[]), now, u64::MAX));
            waits.push(d.as_millis());
            now += d;
            let _ = sent(r.resume(now));
        }
        // With the largest random draw each wait is its ceiling (to the nanosecond).
        assert_eq!(waits, vec![100, 200, 400, 800, 1000, 1000]);
        let d = waited(r.handle_response(resp(500, &[]), now, 0));
        assert_eq!(d, Duration::ZERO);
        let _ = sent(r.resume(now));
        let d = waited(r.handle_response(resp(500, &[]), now, u64::MAX / 2));
        assert_eq!(d.as_millis(), 500);
    }

    #[test]
    fn bounded_by_attempts() {
        let policy = RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        };
        let mut r = Retry::new(req(Method::Get), Api::Rest, policy);
        let mut now = Duration::ZERO;
        let _ = sent(r.start(now));
        for _ in 0..2 {
            now += waited(r.handle_response(resp(429, &[]), now, 1));
            let _ = sent(r.resume(now));
        }
        let err = failed(r.handle_response(resp(429, &[("retry-after", "1")]), now, 1));
        assert_eq!(err.code(), "rate_limited");
        assert_eq!(err.retry_after(), Some(Duration::from_secs(1)));
        assert_eq!(r.attempts(), 3);
    }

    #[test]
    fn bounded_by_the_deadline_and_each_attempt_keeps_its_timeout() {
        let policy = RetryPolicy {
            deadline: Duration::from_secs(10),
            ..RetryPolicy::default()
        };
        let mut timed = req(Method::Get);
        timed.timeout = Some(Duration::from_secs(2));
        let mut r = Retry::new(timed, Api::Rest, policy);
        let first = sent(r.start(Duration::from_secs(100)));
        assert_eq!(first.timeout, Some(Duration::from_secs(2)));
        // The server asks for 30 s: past the deadline, so give up now with the 429.
        let err = failed(r.handle_response(
            resp(429, &[("ratelimit-reset", "30")]),
            Duration::from_secs(101),
            0,
        ));
        assert_eq!(err.code(), "rate_limited");
        // A wait that fits, then a resume after the deadline passed anyway (slow sleep).
        let mut r = Retry::new(
            req(Method::Get),
            Api::EventsV2,
            RetryPolicy {
                deadline: Duration::from_secs(10),
                ..RetryPolicy::default()
            },
        );
        let _ = sent(r.start(Duration::ZERO));
        let _ = waited(r.handle_response(
            resp(503, &[("retry-after", "4")]),
            Duration::from_secs(5),
            0,
        ));
        // An attempt that starts with 1 s of the deadline left keeps its own timeout (none
        // here: the transport's): the deadline bounds when attempts start, not how long one
        // may take (issue 11: events waited out the whole deadline on a stalled server).
        let next = sent(r.resume(Duration::from_secs(9)));
        assert_eq!(next.timeout, None);
        let _ = waited(r.handle_response(resp(503, &[]), Duration::from_secs(9), 0));
        assert_eq!(
            failed(r.resume(Duration::from_secs(11))).status(),
            Some(503)
        );
    }

    #[test]
    fn bounded_by_time_not_by_a_small_count() {
        // Six faults in a row (the sequence that lost an event in issue 11), then success.
        let mut r = Retry::new(req(Method::Post), Api::EventsV2, RetryPolicy::default());
        let mut now = Duration::ZERO;
        let _ = sent(r.start(now));
        for status in [429, 502, 429, 429, 503, 502, 500, 503] {
            now += waited(r.handle_response(resp(status, &[]), now, u64::MAX / 3));
            let _ = sent(r.resume(now));
        }
        assert_eq!(
            done(r.handle_response(resp(202, &[]), now, 0))
                .unwrap()
                .status,
            202
        );
        assert_eq!(r.attempts(), 9);
        assert!(now < Duration::from_secs(60));
    }

    #[test]
    fn redirects_fatal_failures_and_oversized_answers_are_never_retried() {
        for status in [301, 302, 303, 307, 308] {
            let mut r = Retry::new(req(Method::Post), Api::EventsV2, RetryPolicy::default());
            let _ = sent(r.start(Duration::ZERO));
            let e = failed(r.handle_response(
                resp(status, &[("location", "http://x/")]),
                Duration::ZERO,
                0,
            ));
            assert_eq!((e.code(), e.status()), ("http_error", Some(status)));
        }
        let mut r = Retry::new(req(Method::Get), Api::Rest, RetryPolicy::default());
        let _ = sent(r.start(Duration::ZERO));
        let e = done(r.handle_transport_error(
            TransportError::Fatal("certificate not trusted: UnknownIssuer".into()),
            Duration::ZERO,
            0,
        ))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "transport error: certificate not trusted: UnknownIssuer"
        );
        let mut r = Retry::new(req(Method::Get), Api::Rest, RetryPolicy::default());
        let _ = sent(r.start(Duration::ZERO));
        let e = done(r.handle_transport_error(
            TransportError::TooLarge {
                status: 200,
                limit: 1024,
            },
            Duration::ZERO,
            0,
        ))
        .unwrap_err();
        assert_eq!(e.code(), "decode");
        assert_eq!(e.status(), Some(200));
        assert!(
            e.to_string()
                .contains("1024-byte cap (option max_response_bytes)"),
            "{e}"
        );
        assert_eq!(r.attempts(), 1);
    }

    #[test]
    fn what_the_server_says_is_scrubbed_of_the_request_secrets() {
        let key = "R0UTINGKEY0000000000000000000042";
        let mut event = req(Method::Post);
        event.body = Some(format!(
            r#"{{"routing_key":"{key}","event_action":"trigger"}}"#
        ));
        let echo = Response::new(
            400,
            vec![("x-request-id".into(), format!("id-{key}"))],
            format!(
                r#"{{"status":"invalid event","message":"routing key {key} is bad","errors":["{key}"]}}"#
            ),
        );
        let mut r = Retry::new(event, Api::EventsV2, RetryPolicy::default());
        let _ = sent(r.start(Duration::ZERO));
        let answer = done(r.handle_response(echo, Duration::ZERO, 0)).unwrap();
        let text = String::from_utf8(answer.body.clone()).unwrap();
        assert!(!text.contains(key) && text.contains("<redacted>"), "{text}");
        assert_eq!(answer.request_id(), Some("id-<redacted>"));

        let token = "y_NbAkKc66ryYTWUXYEu";
        let mut rest = req(Method::Get);
        rest.headers = vec![("authorization".into(), format!("Token token={token}"))];
        let mut r = Retry::new(rest, Api::Rest, RetryPolicy::none());
        let _ = sent(r.start(Duration::ZERO));
        let e = done(r.handle_transport_error(
            TransportError::Other(format!("reset after {token}")),
            Duration::ZERO,
            0,
        ))
        .unwrap_err();
        assert_eq!(e.to_string(), "transport error: reset after <redacted>");
    }
}
