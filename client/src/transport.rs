//! The transport: reqwest (rustls, the system's certificate store plus any CA the caller adds —
//! the store read once per process and only for HTTPS, see [`crate::tls`] — connection reuse,
//! proxies from the environment) and the one loop that drives the core's
//! [`Retry`] machine over it. The async [`Transport`] runs that loop on the caller's runtime;
//! the blocking one ([`crate::blocking::Transport`]) runs the same loop on a current-thread
//! runtime of the calling thread.
//!
//! At the boundary it keeps these promises: no redirect is followed (and no `Referer` sent), an
//! answer is read up to the size cap and no further, each attempt has its own timeout,
//! certificate and DNS failures are named and not retried, and [`Transport::cancel`] ends every
//! call in flight (retry waits included) with `cancelled`. Dropping a call's future ends it
//! too: the connection in flight is closed and nothing more is sent.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use tokio::sync::watch;
use tracing::field::Empty;
use tracing::Instrument;

use pagerduty_core::bindings::options::ClientOptions;
use pagerduty_core::http::{Method, Request, Response};
use pagerduty_core::oauth::{AuthorizedRetry, SharedTokenSource};
use pagerduty_core::ratelimit::RateLimit;
use pagerduty_core::response_error::Api;
use pagerduty_core::retry::{RetryPolicy, Step, TransportError};
use pagerduty_core::Error;

use crate::trace;

/// What the transport needs of the client options.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Per-attempt timeout.
    pub timeout: Duration,
    /// Retry policy for every request.
    pub retry: RetryPolicy,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// Largest answer read, in bytes.
    pub max_response_bytes: u64,
    /// Extra certificate authorities (PEM text) trusted beside the system's roots.
    pub ca_pem: Option<String>,
    /// A PEM file of extra certificate authorities.
    pub ca_file: Option<String>,
    /// Whether the client speaks HTTPS (its endpoints are `https://`): then making the transport
    /// reads the system's certificate store (once per process) rather than its first call, as
    /// before; a plain-http client (the simulator on loopback) never reads it.
    pub https: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings::from_options(&ClientOptions::default())
    }
}

impl Settings {
    /// The transport's part of the client options (`User-Agent`: the caller's, else
    /// `pagerduty-client/VERSION`).
    pub fn from_options(o: &ClientOptions) -> Settings {
        Settings {
            timeout: o.timeout,
            retry: o.retry.clone(),
            user_agent: o
                .user_agent
                .clone()
                .unwrap_or_else(|| format!("pagerduty-client/{}", env!("CARGO_PKG_VERSION"))),
            max_response_bytes: o.max_response_bytes,
            ca_pem: o.ca_pem.clone(),
            ca_file: o.ca_file.clone(),
            https: [o.endpoints.rest(), o.endpoints.events()]
                .iter()
                .any(|u| u.as_str().starts_with("https:")),
        }
    }
}

/// What every clone of a transport, async or blocking, on any thread, shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) settings: Settings,
    /// The TLS config, made once per transport (a bad CA file or PEM fails `Transport::new`):
    /// the process's shared one, or with extra CAs this transport's own. Every thread's HTTP
    /// client is built from a clone of it (clones share its verifier and session cache).
    pub(crate) tls: rustls::ClientConfig,
    epoch: Instant,
    /// `true` once `cancel` was called; calls watch it while they wait.
    cancelled: watch::Sender<bool>,
    /// The HTTP client built to check the settings, kept for the first thread that calls a
    /// blocking transport.
    pub(crate) spare: std::sync::Mutex<Option<reqwest::Client>>,
    /// Where REST requests get their OAuth token, when the client has client credentials.
    token_source: std::sync::OnceLock<SharedTokenSource>,
    /// The last rate-limit budget a REST answer reported.
    rate_limit: std::sync::Mutex<Option<RateLimit>>,
}

impl Shared {
    /// Checks the settings (a bad CA fails here, not at the first call).
    pub(crate) fn new(settings: &Settings) -> Result<(Arc<Shared>, reqwest::Client), Error> {
        let tls = crate::tls::client_config(&extra_roots(settings)?)?;
        if settings.https {
            crate::tls::load_system_roots();
        }
        let client = http_client(settings, &tls)?;
        let shared = Arc::new(Shared {
            settings: settings.clone(),
            tls,
            epoch: Instant::now(),
            cancelled: watch::Sender::new(false),
            spare: std::sync::Mutex::new(None),
            token_source: std::sync::OnceLock::new(),
            rate_limit: std::sync::Mutex::new(None),
        });
        Ok((shared, client))
    }

    pub(crate) fn cancel(&self) {
        self.cancelled.send_replace(true);
    }

    pub(crate) fn use_token_source(&self, source: SharedTokenSource) -> Result<(), Error> {
        self.token_source
            .set(source)
            .map_err(|_| Error::invalid("oauth", "this transport already has a token source"))
    }

    pub(crate) fn rate_limit(&self) -> Option<RateLimit> {
        *self.rate_limit.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn saw(&self, response: &Response) {
        if let Some(budget) = RateLimit::from_response(response) {
            *self.rate_limit.lock().unwrap_or_else(|e| e.into_inner()) = Some(budget);
        }
    }

    pub(crate) fn check_live(&self) -> Result<(), Error> {
        if *self.cancelled.borrow() {
            Err(cancelled_error())
        } else {
            Ok(())
        }
    }
}

fn cancelled_error() -> Error {
    Error::Cancelled("the client was cancelled or closed".into())
}

/// A reqwest client with the settings and the boundary's rules. Cheap: the TLS config comes
/// made (reqwest's own would read the system's root store again for every client).
pub(crate) fn http_client(
    settings: &Settings,
    tls: &rustls::ClientConfig,
) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .timeout(settings.timeout)
        .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
        .user_agent(settings.user_agent.clone())
        .tcp_nodelay(true)
        // PagerDuty's APIs do not redirect. Following one would turn an event POST into a GET
        // that "succeeds" elsewhere, or resend the key to another host (issue 11).
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .https_only(false) // the core already refuses plain http off loopback
        .tls_backend_preconfigured(tls.clone())
        .build()
        .map_err(|e| Error::Transport(format!("cannot start the HTTP client: {e}")))
}

/// The caller's extra certificate authorities, from `ca_pem` and `ca_file`.
fn extra_roots(settings: &Settings) -> Result<Vec<CertificateDer<'static>>, Error> {
    let mut roots = Vec::new();
    let mut add = |field: &str, pem: &[u8]| -> Result<(), Error> {
        let certs = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::invalid(field, format!("is not PEM certificates: {e}")))?;
        if certs.is_empty() {
            return Err(Error::invalid(field, "holds no PEM certificate"));
        }
        roots.extend(certs);
        Ok(())
    };
    if let Some(pem) = &settings.ca_pem {
        add("ca_pem", pem.as_bytes())?;
    }
    if let Some(path) = &settings.ca_file {
        let pem = std::fs::read(path)
            .map_err(|e| Error::invalid("ca_file", format!("cannot be read: {e}")))?;
        add("ca_file", &pem)?;
    }
    Ok(roots)
}

/// What failed, from reqwest's error and its causes, for the retry rules and for a message
/// that says what happened (never the URL: `without_url`, and the host only for DNS).
fn classify(e: reqwest::Error, url: &str) -> TransportError {
    let host = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    let (timeout, connect) = (e.is_timeout(), e.is_connect());
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        causes.push(s.to_string());
        source = s.source();
    }
    let top = e.without_url().to_string();
    let detail = causes.last().cloned().unwrap_or_default();
    let what = if detail.is_empty() {
        top
    } else {
        format!("{top}: {detail}")
    };
    let any = |needle: &str| causes.iter().any(|c| c.contains(needle));
    if any("certificate") || any("CertificateRequired") || any("UnknownIssuer") {
        let cause = causes
            .iter()
            .find(|c| c.contains("certificate"))
            .cloned()
            .unwrap_or(detail);
        TransportError::Fatal(format!(
            "{CERTIFICATE_NOT_TRUSTED}: {cause} (add the server's CA with the ca_file or ca_pem \
             option)"
        ))
    } else if any("Temporary failure in name resolution") {
        // EAI_AGAIN: the resolver could not answer now; worth another try (as in Node).
        TransportError::Connect(format!("could not resolve host {host} (for now): {detail}"))
    } else if any("dns error") || any("failed to lookup address") {
        TransportError::Fatal(format!("{UNKNOWN_HOST} {host}: {detail}"))
    } else if timeout {
        TransportError::Timeout(what)
    } else if connect {
        TransportError::Connect(what)
    } else {
        TransportError::Other(what)
    }
}

/// How the two failures that waiting does not heal start their message.
const CERTIFICATE_NOT_TRUSTED: &str = "certificate not trusted";
const UNKNOWN_HOST: &str = "could not resolve host";

/// Whether `e` is a failure the retry rules retry (429, a 5xx, a refused or lost connection,
/// a timeout) — so that, coming back from a call, it means the call gave up: its deadline or
/// attempt cap ran out, or (a POST to REST) resending was not safe. An untrusted certificate,
/// an unknown host, 4xx refusals and invalid input are not.
pub fn is_transient(e: &Error) -> bool {
    match e {
        Error::RateLimited { .. } | Error::Timeout(_) => true,
        Error::Http(api) => api.status >= 500,
        Error::Transport(m) => {
            !(m.starts_with(CERTIFICATE_NOT_TRUSTED)
                || (m.starts_with(UNKNOWN_HOST) && !m.contains("(for now)")))
        }
        _ => false,
    }
}

/// Reads the body up to `limit` bytes; `None` when it is larger (the rest is not read).
async fn read_capped(
    mut resp: reqwest::Response,
    limit: u64,
) -> Result<Option<Vec<u8>>, reqwest::Error> {
    if resp.content_length().is_some_and(|n| n > limit) {
        return Ok(None);
    }
    let mut body = Vec::with_capacity(resp.content_length().unwrap_or(0) as usize);
    while let Some(chunk) = resp.chunk().await? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

/// One attempt: the request sent, the answer read (up to the cap).
pub(crate) async fn attempt(
    client: &reqwest::Client,
    req: &Request,
    limit: u64,
) -> Result<Response, TransportError> {
    let method = match req.method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Delete => reqwest::Method::DELETE,
        Method::Patch => reqwest::Method::PATCH,
    };
    let mut builder = client.request(method, &req.url);
    for (k, v) in &req.headers {
        builder = builder.header(k, v);
    }
    if let Some(t) = req.timeout {
        builder = builder.timeout(t.max(Duration::from_millis(1)));
    }
    if let Some(b) = &req.body {
        builder = builder.body(b.clone());
    }
    let resp = builder.send().await.map_err(|e| classify(e, &req.url))?;
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    match read_capped(resp, limit)
        .await
        .map_err(|e| classify(e, &req.url))?
    {
        Some(body) => Ok(Response::new(status, headers, body)),
        None => Err(TransportError::TooLarge { status, limit }),
    }
}

/// Whether the retry rules would try again after this answer (for the spans only: the core
/// decides).
fn retryable_status(status: u16, api: Api) -> bool {
    status == 429 || status >= 500 || (api == Api::EventsV1 && status == 403)
}

/// The send/wait loop, the only one: sends `request` under the retry rules with `client`, and
/// hands back the final response (any status: parse it) or the error. Async and blocking
/// clients both come here.
pub(crate) async fn exchange(
    shared: &Shared,
    client: &reqwest::Client,
    request: Request,
    api: Api,
) -> Result<Response, Error> {
    shared.check_live()?;
    let span = tracing::info_span!(
        "pagerduty.request",
        method = request.method.as_str(),
        path = Empty,
        api = trace::api_name(api),
        status = Empty,
        attempts = Empty,
        request_id = Empty,
        error = Empty,
    );
    // Only worked out when a subscriber listens.
    if !span.is_disabled() {
        span.record("path", trace::template(&request.url, api).as_ref());
    }
    let limit = shared.settings.max_response_bytes;
    let mut cancelled = shared.cancelled.subscribe();
    let epoch = shared.epoch;
    // REST requests of a client with client credentials get their token here.
    let source = match api {
        Api::Rest => shared.token_source.get().cloned(),
        _ => None,
    };
    let mut retry = AuthorizedRetry::new(request, api, shared.settings.retry.clone(), source);
    let run = async {
        let mut step = retry.start(epoch.elapsed());
        loop {
            step = match step {
                Step::Send(req) => {
                    let attempt_span = tracing::debug_span!(
                        "pagerduty.attempt",
                        attempt = retry.attempts(),
                        status = Empty,
                        request_id = Empty,
                        error = Empty,
                        wait_ms = Empty,
                    );
                    let outcome = tokio::select! {
                        r = attempt(client, &req, limit).instrument(attempt_span.clone()) => r,
                        _ = cancelled.wait_for(|c| *c) => return Err(cancelled_error()),
                    };
                    let now = epoch.elapsed();
                    let next = match outcome {
                        Ok(response) => {
                            if api == Api::Rest && !req.url.ends_with("/oauth/token") {
                                shared.saw(&response);
                            }
                            if !attempt_span.is_disabled() {
                                attempt_span.record("status", response.status);
                                // Raw from the server, which may have made it of the key.
                                if let Some(id) = response.request_id() {
                                    let secrets = req.secrets();
                                    attempt_span
                                        .record("request_id", trace::scrub(id, &secrets).as_ref());
                                }
                                if retryable_status(response.status, api) {
                                    attempt_span
                                        .record("error", trace::status_kind(response.status));
                                }
                            }
                            retry.handle_response(response, now, random_u64())
                        }
                        Err(e) => {
                            attempt_span.record("error", trace::transport_kind(&e));
                            retry.handle_transport_error(e, now, random_u64())
                        }
                    };
                    if let Step::Wait(d) = &next {
                        attempt_span.record("wait_ms", d.as_millis() as u64);
                        attempt_span.in_scope(|| {
                            tracing::debug!(wait_ms = d.as_millis() as u64, "retrying after a wait")
                        });
                    }
                    next
                }
                Step::Wait(d) => {
                    tokio::select! {
                        _ = tokio::time::sleep(d) => {}
                        _ = cancelled.wait_for(|c| *c) => return Err(cancelled_error()),
                    }
                    retry.resume(epoch.elapsed())
                }
                Step::Done(r) => return r,
            };
        }
    };
    let result = run.instrument(span.clone()).await;
    if !span.is_disabled() {
        span.record("attempts", retry.attempts());
        match &result {
            Ok(r) => {
                span.record("status", r.status);
                // The core scrubbed the final answer of the request's secrets.
                if let Some(id) = r.request_id() {
                    span.record("request_id", id);
                }
            }
            Err(e) => {
                span.record("error", e.code());
                if let Some(s) = e.status() {
                    span.record("status", s);
                }
            }
        }
        span.in_scope(|| tracing::debug!("done"));
    }
    result
}

/// The async transport: one reqwest client (with its connection pool) used on the caller's
/// tokio runtime, and the core's retry rules around it. Cheap to clone; clones share the
/// connection pool and [`Transport::cancel`].
///
/// Most programs use [`crate::RestClient`] and [`crate::EventsClient`], which hold one; this is
/// for requests built with the core directly.
#[derive(Debug, Clone)]
pub struct Transport {
    pub(crate) shared: Arc<Shared>,
    pub(crate) client: reqwest::Client,
}

impl Transport {
    /// A transport with these settings (checked now: a bad CA fails here, not later).
    pub fn new(settings: &Settings) -> Result<Transport, Error> {
        let (shared, client) = Shared::new(settings)?;
        Ok(Transport { shared, client })
    }

    /// Sends under the retry rules; the final response (any status: parse it with the
    /// operation that built the request) or the error. Needs a tokio runtime with timers
    /// and I/O enabled.
    pub async fn send(&self, request: Request, api: Api) -> Result<Response, Error> {
        exchange(&self.shared, &self.client, request, api).await
    }

    /// Ends every call in flight on this transport (and its clones), waits included, with
    /// `cancelled`, and makes every later call fail the same way. Callable from any thread.
    pub fn cancel(&self) {
        self.shared.cancel();
    }

    /// `Err(cancelled)` once [`Transport::cancel`] was called.
    pub fn check_live(&self) -> Result<(), Error> {
        self.shared.check_live()
    }

    /// Waits `d`, or ends early with `cancelled` when [`Transport::cancel`] is called.
    pub(crate) async fn wait(&self, d: Duration) -> Result<(), Error> {
        let mut cancelled = self.shared.cancelled.subscribe();
        tokio::select! {
            _ = tokio::time::sleep(d) => self.check_live(),
            _ = cancelled.wait_for(|c| *c) => Err(cancelled_error()),
        }
    }

    /// The settings it was made with.
    pub fn settings(&self) -> &Settings {
        &self.shared.settings
    }

    /// Gives this transport's REST requests their OAuth tokens from `source` (requests built
    /// without `Authorization`: [`pagerduty_core::oauth`]). Once per transport.
    pub fn use_token_source(&self, source: SharedTokenSource) -> Result<(), Error> {
        self.shared.use_token_source(source)
    }

    /// The last rate-limit budget a REST answer through this transport reported.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.shared.rate_limit()
    }
}

/// 16 random bytes for a generated dedup_key. Failing is an error, never a fixed value: equal
/// keys would fold different alerts into one.
pub fn random_bytes() -> Result<[u8; 16], Error> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)
        .map_err(|e| Error::Transport(format!("the OS random source failed: {e}")))?;
    Ok(b)
}

/// Jitter only (never a key): xorshift64* per thread, seeded once from the OS (or, failing
/// that, the clock), so that an attempt costs no system call for it.
fn random_u64() -> u64 {
    thread_local! {
        static STATE: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }
    STATE.with(|state| {
        let mut x = state.get();
        if x == 0 {
            x = match random_bytes() {
                Ok(b) => u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
                Err(_) => std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(0x9e37_79b9),
            } | 1;
        }
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        state.set(x);
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    })
}
