//! One error type for every API and every failure.
//!
//! Each variant has a stable string code ([`Error::code`]) and a stable number
//! ([`ErrorCode`]): JavaScript sees the string as `err.code`, C sees the number as a
//! `pd_status`. Messages never contain a secret: credentials are not passed to anything that
//! builds an error, and response bodies are cut to [`EXCERPT_LEN`] bytes.

use std::fmt;
use std::time::Duration;

use crate::http::Response;

/// Longest excerpt of a body kept in an error.
pub const EXCERPT_LEN: usize = 256;

/// The stable number of every error kind (and 0 for success), shared by all bindings.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// Not an error.
    Ok = 0,
    /// A field given by the caller is invalid; nothing was sent.
    InvalidInput = 1,
    /// A key of one kind was given where another is needed; nothing was sent.
    WrongKeyKind = 2,
    /// 401: the key is wrong, revoked, or for another region.
    Unauthorized = 3,
    /// 403: a read-only key or a user token without the permission.
    Forbidden = 4,
    /// 404.
    NotFound = 5,
    /// 429 (or Events API v1's 403): retry later.
    RateLimited = 6,
    /// Events API 400: PagerDuty refused the event and said why.
    InvalidEvent = 7,
    /// Any other HTTP error status.
    HttpError = 8,
    /// The request never got an answer: connection, TLS, DNS.
    Transport = 9,
    /// No answer in time.
    Timeout = 10,
    /// The answer could not be understood.
    Decode = 11,
    /// A webhook's signature did not verify.
    InvalidSignature = 12,
    /// The caller cancelled (a binding's AbortSignal and the like).
    Cancelled = 13,
    /// A bug in this library (a panic caught at a binding's boundary). Please report it.
    Internal = 14,
    /// A list walk reached PagerDuty's 10,000-record offset cap with records left over: narrow
    /// the filters (a shorter `since`/`until` window) to see the rest.
    Truncated = 15,
    /// REST 400: the resource already exists (a `POST /incidents` whose `incident_key` an open
    /// incident on the service already has).
    AlreadyExists = 16,
    /// An OAuth token was issued without scopes that were asked for (PagerDuty drops invalid
    /// scopes silently): the message names them.
    ScopeNotGranted = 17,
}

impl ErrorCode {
    /// Every code, in numeric order.
    ///
    /// cbindgen:ignore
    pub const ALL: [ErrorCode; 18] = [
        ErrorCode::Ok,
        ErrorCode::InvalidInput,
        ErrorCode::WrongKeyKind,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::RateLimited,
        ErrorCode::InvalidEvent,
        ErrorCode::HttpError,
        ErrorCode::Transport,
        ErrorCode::Timeout,
        ErrorCode::Decode,
        ErrorCode::InvalidSignature,
        ErrorCode::Cancelled,
        ErrorCode::Internal,
        ErrorCode::Truncated,
        ErrorCode::AlreadyExists,
        ErrorCode::ScopeNotGranted,
    ];

    /// The stable string form (`"rate_limited"`).
    pub fn as_str(self) -> &'static str {
        Self::INFO[self as usize].0
    }

    /// One line saying what the code means (the bindings' error class docs); empty in wasm32
    /// builds, which only the generated declarations would read it from.
    pub fn doc(self) -> &'static str {
        Self::INFO[self as usize].1
    }

    /// Every code's string form and meaning, in numeric order: the one list the bindings'
    /// error classes and status names are generated from.
    const INFO: [(&'static str, &'static str); 18] = [
        ("ok", crate::doc("Not an error.")),
        ("invalid_input", crate::doc("A field given by the caller is invalid; nothing was sent.")),
        ("wrong_key_kind", crate::doc("A key of one kind was given where another is needed; nothing was sent.")),
        ("unauthorized", crate::doc("401: the key is wrong, revoked, or for another region.")),
        ("forbidden", crate::doc("403: a read-only key, or a user token without the permission.")),
        ("not_found", crate::doc("404: no such resource.")),
        ("rate_limited", crate::doc("429 (or Events API v1's 403): retry later.")),
        ("invalid_event", crate::doc("Events API 400: PagerDuty refused the event and said why.")),
        ("http_error", crate::doc("Any other HTTP error status (a redirect included: never followed).")),
        ("transport", crate::doc("No answer: connection, TLS or DNS failure.")),
        ("timeout", crate::doc("No answer in time.")),
        ("decode", crate::doc("The answer could not be understood (or was larger than the size cap).")),
        ("invalid_signature", crate::doc("A webhook's signature did not verify.")),
        ("cancelled", crate::doc("The caller cancelled, or closed the client.")),
        ("internal", crate::doc("A bug in this library (a panic caught at the boundary): please report it.")),
        ("truncated", crate::doc("A list walk reached PagerDuty's 10,000-record offset cap with records left over.")),
        ("already_exists", crate::doc("400: it already exists (an open incident has this incident_key): nothing was created.")),
        ("scope_not_granted", crate::doc("An OAuth token came without scopes that were asked for (PagerDuty drops invalid scopes).")),
    ];
}

/// What PagerDuty (or whatever answered) said in an error response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// PagerDuty's numeric error code (`error.code`), when given.
    pub code: Option<i64>,
    /// PagerDuty's message, or a description of what came back instead.
    pub message: String,
    /// PagerDuty's detailed reasons (`error.errors[]` or the events API's `errors[]`).
    pub errors: Vec<String>,
    /// The `x-request-id` header: quote it to PagerDuty support.
    pub request_id: Option<String>,
    /// The start of the body when it was not PagerDuty's JSON (an HTML page from a proxy).
    pub body_excerpt: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(code) = self.code {
            write!(f, " (code {code})")?;
        }
        if !self.errors.is_empty() {
            write!(f, ": {}", crate::join(&self.errors, "; "))?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

/// Every failure of every API.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A field given by the caller is invalid; nothing was sent.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The field, as named in PagerDuty's API (`payload.summary`).
        field: String,
        /// Why.
        reason: String,
    },
    /// A key of one kind was used where another is needed; nothing was sent.
    #[error("wrong kind of key: {message}")]
    WrongKeyKind {
        /// What was given and what is needed.
        message: String,
    },
    /// 401.
    #[error(
        "unauthorized: {0}. The key is wrong or revoked, or belongs to another region \
         (a US account's key fails on api.eu.pagerduty.com and an EU account's on api.pagerduty.com)"
    )]
    Unauthorized(Box<ApiError>),
    /// 403.
    #[error(
        "forbidden: {0}. The key may not do this: a read-only key cannot write, and a user token \
         can only do what its user's role allows"
    )]
    Forbidden(Box<ApiError>),
    /// 404.
    #[error("not found: {0}")]
    NotFound(Box<ApiError>),
    /// 429, or Events API v1's 403.
    #[error("rate limited: {api}{}", retry_after.map(|d| format!("; retry after {} s", seconds(d))).unwrap_or_default())]
    RateLimited {
        /// When PagerDuty said to try again (`ratelimit-reset` or `Retry-After`).
        retry_after: Option<Duration>,
        /// The response.
        api: Box<ApiError>,
    },
    /// Events API 400: PagerDuty refused the event.
    #[error("invalid event: {0}")]
    InvalidEvent(Box<ApiError>),
    /// Any other HTTP error status.
    #[error("{0}")]
    Http(Box<ApiError>),
    /// The request never got an answer.
    #[error("transport error: {0}")]
    Transport(String),
    /// No answer in time.
    #[error("timed out: {0}")]
    Timeout(String),
    /// The answer (or a webhook payload) could not be understood.
    #[error("could not decode {}: {reason}; body starts: {excerpt:?}",
            .status.map_or("the payload".to_owned(), |s| format!("the response (HTTP {s})")))]
    Decode {
        /// HTTP status of the response; `None` for a body that did not come as a response
        /// (a webhook payload).
        status: Option<u16>,
        /// What was wrong.
        reason: String,
        /// The start of the body, at most [`EXCERPT_LEN`] bytes.
        excerpt: String,
        /// The `x-request-id` header.
        request_id: Option<String>,
    },
    /// A webhook's signature did not verify.
    #[error("invalid webhook signature: {0}")]
    InvalidSignature(String),
    /// The caller cancelled.
    #[error("cancelled: {0}")]
    Cancelled(String),
    /// A list walk reached PagerDuty's 10,000-record offset cap with records left over.
    #[error("truncated: {0}")]
    Truncated(String),
    /// REST 400 saying the resource already exists: an open incident has the `incident_key`
    /// of a `POST /incidents`.
    #[error("already exists: {0}")]
    AlreadyExists(Box<ApiError>),
    /// An OAuth token was issued without some of the scopes asked for.
    #[error("scope not granted: PagerDuty issued the token without {}; check the app's scopes \
             (PagerDuty drops scopes it does not know or the app may not have)", crate::join(.missing, " "))]
    ScopeNotGranted {
        /// The scopes asked for and not granted.
        missing: Vec<String>,
    },
}

impl Error {
    /// An `InvalidInput` error: `field` is at fault, nothing was sent. For bindings checking
    /// their own arguments.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn wrong_key_kind(message: impl Into<String>) -> Self {
        Error::WrongKeyKind {
            message: message.into(),
        }
    }

    pub(crate) fn decode(response: &Response, reason: impl fmt::Display) -> Self {
        Self::decoding(
            Some(response.status),
            &response.body,
            response.request_id(),
            reason,
        )
    }

    /// A decode error for a body (`status`: of the response it came in, if it did), keeping
    /// only a bounded excerpt of it.
    pub fn decoding(
        status: Option<u16>,
        body: &[u8],
        request_id: Option<&str>,
        reason: impl fmt::Display,
    ) -> Self {
        Error::Decode {
            status,
            reason: reason.to_string(),
            excerpt: excerpt(body),
            request_id: request_id.map(str::to_owned),
        }
    }

    /// The kind, as a number shared by all bindings.
    pub fn kind(&self) -> ErrorCode {
        match self {
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::WrongKeyKind { .. } => ErrorCode::WrongKeyKind,
            Error::Unauthorized(_) => ErrorCode::Unauthorized,
            Error::Forbidden(_) => ErrorCode::Forbidden,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::RateLimited { .. } => ErrorCode::RateLimited,
            Error::InvalidEvent(_) => ErrorCode::InvalidEvent,
            Error::Http(_) => ErrorCode::HttpError,
            Error::Transport(_) => ErrorCode::Transport,
            Error::Timeout(_) => ErrorCode::Timeout,
            Error::Decode { .. } => ErrorCode::Decode,
            Error::InvalidSignature(_) => ErrorCode::InvalidSignature,
            Error::Cancelled(_) => ErrorCode::Cancelled,
            Error::Truncated(_) => ErrorCode::Truncated,
            Error::AlreadyExists(_) => ErrorCode::AlreadyExists,
            Error::ScopeNotGranted { .. } => ErrorCode::ScopeNotGranted,
        }
    }

    /// The stable string code (`"rate_limited"`).
    pub fn code(&self) -> &'static str {
        self.kind().as_str()
    }

    /// What the server said, for the variants that come from an HTTP response.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Unauthorized(a)
            | Error::Forbidden(a)
            | Error::NotFound(a)
            | Error::InvalidEvent(a)
            | Error::Http(a)
            | Error::AlreadyExists(a)
            | Error::RateLimited { api: a, .. } => Some(a),
            _ => None,
        }
    }

    /// The HTTP status, when there was a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Decode { status, .. } => *status,
            _ => self.api().map(|a| a.status),
        }
    }

    /// The `x-request-id` of the response, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => self.api().and_then(|a| a.request_id.as_deref()),
        }
    }

    /// When to try again, for rate limits.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

impl Error {
    /// This error with every occurrence of each secret replaced by `<redacted>` in every text
    /// that came from a server (message, reasons, excerpts, request id): a server that quotes
    /// the key back must not put it into a log line. Empty secrets are ignored.
    pub fn redacted(mut self, secrets: &[&str]) -> Self {
        let secrets: Vec<&str> = secrets.iter().copied().filter(|s| !s.is_empty()).collect();
        if secrets.is_empty() {
            return self;
        }
        let scrub = |s: &mut String| {
            for secret in &secrets {
                if s.contains(secret) {
                    *s = s.replace(secret, REDACTED);
                }
            }
        };
        match &mut self {
            Error::Unauthorized(a)
            | Error::Forbidden(a)
            | Error::NotFound(a)
            | Error::InvalidEvent(a)
            | Error::Http(a)
            | Error::AlreadyExists(a)
            | Error::RateLimited { api: a, .. } => {
                scrub(&mut a.message);
                a.errors.iter_mut().for_each(scrub);
                a.request_id.iter_mut().for_each(scrub);
                a.body_excerpt.iter_mut().for_each(scrub);
            }
            Error::Decode {
                reason,
                excerpt,
                request_id,
                ..
            } => {
                scrub(reason);
                scrub(excerpt);
                request_id.iter_mut().for_each(scrub);
            }
            Error::InvalidInput { reason: m, .. }
            | Error::WrongKeyKind { message: m }
            | Error::Transport(m)
            | Error::Timeout(m)
            | Error::InvalidSignature(m)
            | Error::Cancelled(m)
            | Error::Truncated(m) => scrub(m),
            Error::ScopeNotGranted { missing } => missing.iter_mut().for_each(scrub),
        }
        self
    }
}

/// What a secret is replaced with in server text.
pub const REDACTED: &str = "<redacted>";

/// At most [`EXCERPT_LEN`] bytes of a body, cut on a character boundary, invalid UTF-8 replaced.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let head = &body[..body.len().min(EXCERPT_LEN)];
    let mut s = String::from_utf8_lossy(head).into_owned();
    // A multi-byte character cut in half by the limit shows as one replacement character.
    if body.len() > EXCERPT_LEN {
        s.push('…');
    }
    s
}

/// `d` in seconds with three decimals (`3.000`, `0.250`), to the nearest millisecond: as
/// `{:.3}` of `as_secs_f64` writes it, without Rust's float formatter (14 KB of the .wasm).
///
/// In u64s, not `as_nanos`' u128 (whose division and formatter are 2 KB more): the whole
/// seconds, plus one when the fraction rounds up to 1.000.
fn seconds(d: Duration) -> String {
    let ms = (d.subsec_nanos() + 500_000) / 1_000_000;
    if ms < 1000 {
        format!("{}.{ms:03}", d.as_secs())
    } else {
        match d.as_secs().checked_add(1) {
            Some(s) => format!("{s}.000"),
            // u64::MAX + 1
            None => "18446744073709551616.000".to_owned(),
        }
    }
}

/// The u128 arithmetic `seconds` replaced.
#[cfg(test)]
fn seconds_u128(d: Duration) -> String {
    let ms = d.as_nanos().saturating_add(500_000) / 1_000_000;
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    #[test]
    fn seconds_are_written_as_the_float_formatter_wrote_them() {
        for ms in [
            0u64, 1, 250, 999, 1000, 1500, 2999, 3000, 59_999, 86_400_000,
        ] {
            for extra_ns in [0u64, 1, 499_999, 500_001, 999_999] {
                let d = Duration::from_millis(ms) + Duration::from_nanos(extra_ns);
                assert_eq!(
                    super::seconds(d),
                    format!("{:.3}", d.as_secs_f64()),
                    "{d:?}"
                );
            }
        }
        for d in [
            Duration::ZERO,
            Duration::from_nanos(499_999),
            Duration::from_nanos(500_000),
            Duration::new(7, 999_499_999),
            Duration::new(7, 999_500_000),
            Duration::new(u64::MAX / 1000, 999_999_999),
            Duration::new(u64::MAX - 1, 999_500_000),
            Duration::new(u64::MAX, 999_499_999),
            Duration::MAX,
        ] {
            assert_eq!(super::seconds(d), super::seconds_u128(d), "{d:?}");
        }
    }
}
