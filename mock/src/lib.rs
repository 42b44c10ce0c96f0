//! # pagerduty-mock
//!
//! A local PagerDuty for tests, demos and benchmarks: Events API v2 and v1, change events, the
//! REST API v2 resources most tools use, PagerDuty-style rate limits, seeded fault injection,
//! and an inspection API under `/_mock/` to prove that nothing was lost or duplicated.
//!
//! It implements PagerDuty's rules on its own (from the public docs and specs) and does not
//! depend on `pagerduty-core`, so a bug in the core is not mirrored here.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let mock = pagerduty_mock::start(pagerduty_mock::Config::default()).await?;
//! println!("simulator at {}, stray listener at {}", mock.url(), mock.stray_url());
//! # Ok(()) }
//! ```
//!
//! ## Faults
//!
//! Rules ([`faults::Fault`], JSON with the same field names) are given at start
//! (`Config::faults`, `pagerduty-mock --faults FILE.json`) or at run time (`PUT /_mock/faults`
//! with a JSON array, [`Mock::set_faults`]). Each rule applies to the routes its `route`
//! prefixes, REST and events alike, and draws from the seed, so a run can be repeated:
//!
//! | field | the answer |
//! |---|---|
//! | `server_error` | 500, 502 or 503 with a JSON error |
//! | `rate_limit`, `rate_limit_no_headers` | 429 with / without `ratelimit-*` and `retry-after` (v1: 403) |
//! | `drop_before`, `drop_after` | the connection closed, before / after processing |
//! | `html_502` | a proxy's HTML 502 page |
//! | `truncated_json` | processed; the answer's body cut in half |
//! | `latency_ms` | added latency |
//! | `redirect` (+ `redirect_status`) | 301/302/307/308 to the same path and query on the stray listener |
//! | `echo_key` | a 400 quoting the credential back, in the body and in `x-request-id` |
//! | `stall` | the request read, then no answer until the client closes (at most 5 minutes) |
//! | `drip` | a 200 whose 64-byte JSON body comes 1 byte a second |
//! | `huge_body` (+ `huge_body_mb`) | a 200 with a valid JSON body of N MiB (16 by default), streamed |
//! | `fail_streak` (+ `fail_streak_fraction`) | an event picked by its dedup key fails its first N deliveries (502 / 429), then goes through |
//!
//! ## Inspection (`/_mock/`)
//!
//! `GET oauth` (the OAuth app's client id, secret and subdomain, `expires_in`,
//! `token_requests`, `expired_tokens`), `PUT oauth` (`{"expires_in": SECONDS}` for new tokens),
//! `POST oauth/expire` (every token issued expires now): see [`oauth`].
//! `GET events`, `alerts`, `incidents`, `counters` (with `faults`: how often each kind was
//! answered, and `open_stalls`: stalled connections still open), `keys`; `POST reset`
//! (`{"seed":N,"incidents":N}`, both optional: clears what was received, the stray listener's
//! record too); `GET`/`PUT faults`; `PUT rate_limits`; `GET stray` → `{"url":"http://127.0.0.2:PORT",
//! "count":N,"requests":[{"method","path","headers":{..},"body"}]}` and `DELETE stray`.
//!
//! ## The stray listener
//!
//! Every simulator also listens on 127.0.0.2 (a free port; 127.0.0.1 where that address cannot
//! be bound) for requests that should never have been sent there: see [`stray`].

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

mod body;
pub mod events;
pub mod faults;
pub mod oauth;
pub mod ratelimit;
pub mod reply;
pub mod rest;
mod rng;
pub mod state;
pub mod stray;
mod tls;

use body::Body;
use faults::{Decision, Failure, Fault, Faults};
use ratelimit::{Limit, RateLimiter};
use reply::Reply;
use state::State;
use stray::Stray;

pub use state::keys;

/// How to run the simulator.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to bind (loopback by default).
    pub host: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Seed for generated data, dedup keys and faults.
    pub seed: u64,
    /// Incidents to generate at start (for pagination tests and benchmarks).
    pub incidents: usize,
    /// Serve HTTPS with a freshly generated self-signed certificate.
    pub tls: bool,
    /// Fault injection rules.
    pub faults: Vec<Fault>,
    /// REST rate limit per key.
    pub rest_limit: Limit,
    /// Events rate limit per integration key (as PagerDuty's: about 120 a minute per key).
    pub events_limit: Limit,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            seed: 1,
            incidents: 0,
            tls: false,
            faults: Vec::new(),
            rest_limit: Limit {
                limit: 1_000_000,
                window_secs: 60,
            },
            events_limit: Limit {
                limit: 1_000_000,
                window_secs: 60,
            },
        }
    }
}

struct Shared {
    state: Mutex<State>,
    faults: Mutex<Faults>,
    rest_limits: Mutex<RateLimiter>,
    events_limits: Mutex<RateLimiter>,
    fault_counts: Mutex<std::collections::HashMap<String, u64>>,
    requests: AtomicU64,
    config: Mutex<Config>,
    stray: Arc<Stray>,
    /// Stalled requests still held open (`open_stalls` in `/_mock/counters`).
    open_stalls: AtomicU64,
    /// Turns true when the simulator stops: stalled requests end then.
    stopped: watch::Receiver<bool>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking handler must not take the simulator down with a poisoned lock.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running simulator. Dropping it stops it.
pub struct Mock {
    addr: SocketAddr,
    scheme: &'static str,
    cert_pem: Option<String>,
    stop: watch::Sender<bool>,
    shared: Arc<Shared>,
}

impl Mock {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (or https).
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    /// The stray listener's URL, `http://127.0.0.2:PORT` (`http://127.0.0.1:PORT` where
    /// 127.0.0.2 cannot be bound): where the `redirect` fault sends clients. What it received
    /// is at `GET /_mock/stray`.
    pub fn stray_url(&self) -> &str {
        self.shared.stray.url()
    }

    /// What the stray listener received (for tests in Rust), as `GET /_mock/stray` shows it.
    pub fn stray(&self) -> Value {
        self.shared.stray.json()
    }

    /// The self-signed certificate (PEM) when serving HTTPS.
    pub fn cert_pem(&self) -> Option<&str> {
        self.cert_pem.as_deref()
    }

    /// Replaces the fault rules (and restarts their random sequence from the seed).
    pub fn set_faults(&self, rules: Vec<Fault>) {
        let seed = lock(&self.shared.config).seed;
        lock(&self.shared.faults).set(rules, seed);
    }

    /// Runs `f` on the state (for tests in Rust).
    pub fn with_state<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        f(&lock(&self.shared.state))
    }

    /// Stops accepting connections.
    pub fn stop(&self) {
        let _ = self.stop.send(true);
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts the simulator (and its stray listener) on the current tokio runtime.
pub async fn start(config: Config) -> std::io::Result<Mock> {
    for rule in &config.faults {
        rule.validate()
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    }
    let listener = TcpListener::bind((config.host, config.port)).await?;
    let addr = listener.local_addr()?;
    let (stray, stray_listener) = Stray::bind().await?;
    let (acceptor, cert_pem) = if config.tls {
        let (a, pem) = tls::self_signed(config.host)?;
        (Some(a), Some(pem))
    } else {
        (None, None)
    };
    let (stop, stopped) = watch::channel(false);
    let shared = Arc::new(Shared {
        state: Mutex::new(State::seeded(config.seed, config.incidents)),
        faults: Mutex::new(Faults::new(config.faults.clone(), config.seed)),
        rest_limits: Mutex::new(RateLimiter::new(config.rest_limit)),
        events_limits: Mutex::new(RateLimiter::new(config.events_limit)),
        fault_counts: Mutex::new(Default::default()),
        requests: AtomicU64::new(0),
        config: Mutex::new(config.clone()),
        stray: Arc::new(stray),
        open_stalls: AtomicU64::new(0),
        stopped: stopped.clone(),
    });
    let server_shared = shared.clone();
    serve(listener, acceptor, stopped.clone(), move |req| {
        handle(server_shared.clone(), req)
    });
    let stray = shared.stray.clone();
    serve(stray_listener, None, stopped, move |req| {
        stray::handle(stray.clone(), req)
    });
    Ok(Mock {
        addr,
        scheme: if cert_pem.is_some() { "https" } else { "http" },
        cert_pem,
        stop,
        shared,
    })
}

/// Accepts connections on `listener` until `stopped` turns true, each served by `handler` on a
/// task of its own (so a stalled or slow answer never holds up another connection).
fn serve<H, F>(
    listener: TcpListener,
    acceptor: Option<TlsAcceptor>,
    mut stopped: watch::Receiver<bool>,
    handler: H,
) where
    H: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Result<Response<Body>, Dropped>> + Send + 'static,
{
    tokio::spawn(async move {
        loop {
            let (stream, _) = tokio::select! {
                r = listener.accept() => match r { Ok(s) => s, Err(_) => continue },
                _ = stopped.changed() => break,
            };
            let _ = stream.set_nodelay(true);
            let acceptor = acceptor.clone();
            let service = service_fn(handler.clone());
            tokio::spawn(async move {
                let builder = hyper::server::conn::http1::Builder::new();
                match acceptor {
                    Some(acceptor) => {
                        if let Ok(tls) = acceptor.accept(stream).await {
                            let _ = builder.serve_connection(TokioIo::new(tls), service).await;
                        }
                    }
                    None => {
                        let _ = builder
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    }
                }
            });
        }
    });
}

/// A simulator on its own thread and runtime, for tests and programs that are not async.
pub struct BackgroundMock {
    mock: Option<Mock>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl BackgroundMock {
    /// Starts one.
    pub fn start(config: Config) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let mock = runtime.block_on(start(config))?;
        Ok(BackgroundMock {
            mock: Some(mock),
            runtime: Some(runtime),
        })
    }
}

impl std::ops::Deref for BackgroundMock {
    type Target = Mock;
    fn deref(&self) -> &Mock {
        self.mock.as_ref().expect("running")
    }
}

impl Drop for BackgroundMock {
    fn drop(&mut self) {
        drop(self.mock.take());
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

/// Returning an error from the service makes hyper close the connection without an answer.
#[derive(Debug)]
struct Dropped;
impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}
impl std::error::Error for Dropped {}

/// A request once its body is read: all the handlers need.
struct Received {
    method: String,
    path: String,
    query: Option<String>,
    authorization: Option<String>,
    from: Option<String>,
    origin: Option<String>,
    body: Bytes,
}

impl Received {
    /// Reads the body (2 MiB at most: a 413 past that).
    async fn read(req: Request<Incoming>) -> Result<Received, Reply> {
        let header = |name: &str| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let mut received = Received {
            method: req.method().as_str().to_owned(),
            path: req.uri().path().to_owned(),
            query: req.uri().query().map(str::to_owned),
            authorization: header("authorization"),
            from: header("from"),
            origin: header("origin"),
            body: Bytes::new(),
        };
        received.body = match Limited::new(req.into_body(), 2 * 1024 * 1024)
            .collect()
            .await
        {
            Ok(b) => b.to_bytes(),
            Err(_) => return Err(Reply::rest_error(413, 2001, "Request body too large", &[])),
        };
        Ok(received)
    }

    fn path_and_query(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{q}", self.path),
            None => self.path.clone(),
        }
    }

    /// A string field of the JSON body.
    fn body_text(&self, field: &str) -> Option<String> {
        let v: Value = serde_json::from_slice(&self.body).ok()?;
        v.get(field)?.as_str().map(str::to_owned)
    }

    /// The key that tells events apart, for `fail_streak`: v2's `dedup_key`, v1's
    /// `incident_key`; none when the client sent none (the simulator makes one up then).
    fn dedup_key(&self) -> Option<String> {
        match events_api(&self.path)? {
            EventsApi::V2 => self.body_text("dedup_key"),
            EventsApi::V1 => self.body_text("incident_key"),
            EventsApi::Change => None,
        }
        .filter(|k| !k.is_empty())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EventsApi {
    V2,
    Change,
    V1,
}

fn events_api(path: &str) -> Option<EventsApi> {
    match path {
        "/v2/enqueue" => Some(EventsApi::V2),
        "/v2/change/enqueue" => Some(EventsApi::Change),
        "/generic/2010-04-15/create_event.json" => Some(EventsApi::V1),
        _ => None,
    }
}

async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Response<Body>, Dropped> {
    let id = shared.requests.fetch_add(1, Ordering::Relaxed) + 1;
    let origin = req
        .headers()
        .get("origin")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if req.method() == hyper::Method::OPTIONS {
        return Ok(finish(Reply::empty(204), id, origin.as_deref()));
    }
    let req = match Received::read(req).await {
        Ok(r) => r,
        Err(reply) => return Ok(finish(reply, id, origin.as_deref())),
    };
    if let Some(rest) = req.path.strip_prefix("/_mock/") {
        let reply = inspect(&shared, &req.method, rest, &req.body);
        return Ok(finish(reply, id, req.origin.as_deref()));
    }

    let (decision, latency) = lock(&shared.faults).decide(&req.path, req.dedup_key().as_deref());
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let (drop_after, truncate) = match decision {
        Decision::Proceed {
            drop_after,
            truncate,
        } => (drop_after, truncate),
        Decision::Fail(failure) => {
            count(&shared, failure.name());
            return fail(&shared, failure, &req, id).await;
        }
    };

    let mut reply = route(
        &shared,
        &req.method,
        &req.path,
        req.query.as_deref(),
        req.authorization.as_deref(),
        req.from.as_deref(),
        &req.body,
    );
    if drop_after {
        count(&shared, "drop_after");
        return Err(Dropped);
    }
    if truncate {
        count(&shared, "truncated_json");
        let half = reply.body.len() / 2;
        reply.body.truncate(half);
    }
    Ok(finish(reply, id, req.origin.as_deref()))
}

/// Counts one fault answered, for `/_mock/counters`.
fn count(shared: &Shared, name: &str) {
    *lock(&shared.fault_counts)
        .entry(name.to_owned())
        .or_insert(0) += 1;
}

/// The answer (or the silence) of a fault, instead of processing the request.
async fn fail(
    shared: &Shared,
    failure: Failure,
    req: &Received,
    id: u64,
) -> Result<Response<Body>, Dropped> {
    let origin = req.origin.as_deref();
    let reply = match failure {
        Failure::DropBefore => return Err(Dropped),
        Failure::Stall => {
            stall(shared).await;
            return Err(Dropped);
        }
        Failure::Drip => return Ok(streamed(Body::stream(body::drip), id, origin)),
        Failure::HugeBody { mb } => {
            let body = Body::stream(move |tx| body::huge(tx, mb));
            return Ok(streamed(body, id, origin));
        }
        Failure::RateLimit { headers } => rate_limited(&req.path, headers),
        Failure::FailStreak { rate_limited: true } => rate_limited(&req.path, false),
        Failure::FailStreak {
            rate_limited: false,
        } => Reply::rest_error(502, 2000, "Bad Gateway", &[]),
        Failure::ServerError(status) => {
            Reply::rest_error(status, 2000, "Internal Server Error", &[])
        }
        Failure::Html502 => Reply::html(502, HTML_502),
        Failure::Redirect(status) => Reply::empty(status).with_header(
            "location",
            format!("{}{}", shared.stray.url(), req.path_and_query()),
        ),
        Failure::EchoKey => echo_key(req),
    };
    Ok(finish(reply, id, origin))
}

const HTML_502: &str = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>";

/// 429 (403 on Events v1, PagerDuty's throttle status there), with or without the headers that
/// say when to retry.
fn rate_limited(path: &str, headers: bool) -> Reply {
    let mut r = Reply::rest_error(429, 2020, "Rate Limit Exceeded", &[]);
    if headers {
        r = r
            .with_header("ratelimit-limit", "960")
            .with_header("ratelimit-remaining", "0")
            .with_header("ratelimit-reset", "1")
            .with_header("retry-after", "1");
    }
    if path.starts_with("/generic/") {
        r.status = 403;
    }
    r
}

/// The longest a stalled request is held.
const STALL_LIMIT: Duration = Duration::from_secs(300);

/// Holds a stalled request until the simulator stops or `STALL_LIMIT` passes. When the client
/// closes the connection first, hyper notices the end of the stream and drops this future,
/// which ends the wait (and the connection's task) then.
async fn stall(shared: &Shared) {
    struct Open<'a>(&'a AtomicU64);
    impl Drop for Open<'_> {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::Relaxed);
        }
    }
    shared.open_stalls.fetch_add(1, Ordering::Relaxed);
    let _open = Open(&shared.open_stalls);
    let mut stopped = shared.stopped.clone();
    tokio::select! {
        _ = tokio::time::sleep(STALL_LIMIT) => {}
        _ = stopped.wait_for(|stopped| *stopped) => {}
    }
}

/// The `echo_key` answer: a 400 that quotes the credential, as careless servers do, so a test
/// can check that a client keeps it out of its errors.
fn echo_key(req: &Received) -> Reply {
    let (noun, field) = match events_api(&req.path) {
        Some(EventsApi::V1) => ("service key", "service_key"),
        Some(_) => ("routing key", "routing_key"),
        None => {
            let auth = req.authorization.clone().unwrap_or_default();
            let token = auth
                .strip_prefix("Token token=")
                .or_else(|| auth.strip_prefix("Bearer "))
                .unwrap_or(&auth);
            let message = format!("Invalid credential {auth}");
            let errors = [token, &format!("Authorization: {auth}")];
            return Reply::rest_error(400, 2006, &message, &errors)
                .with_header("x-request-id", header_text(&auth));
        }
    };
    let key = req.body_text(field).unwrap_or_default();
    Reply::json(
        400,
        &json!({"status": "invalid event", "message": format!("{noun} {key} is not valid"), "errors": [key]}),
    )
    .with_header("x-request-id", header_text(&key))
}

/// `s` with what a header value cannot hold replaced by `?`.
fn header_text(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == ' ' || c.is_ascii_graphic() {
                c
            } else {
                '?'
            }
        })
        .collect()
}

fn route(
    shared: &Shared,
    method: &str,
    path: &str,
    query: Option<&str>,
    authorization: Option<&str>,
    from: Option<&str>,
    body: &[u8],
) -> Reply {
    if events_api(path).is_some() {
        if method != "POST" {
            return Reply::rest_error(405, 2000, "Method Not Allowed", &[]);
        }
        let key = serde_json::from_slice::<Value>(body)
            .ok()
            .and_then(|v| {
                ["routing_key", "service_key"]
                    .iter()
                    .find_map(|f| v.get(f).and_then(Value::as_str).map(str::to_owned))
            })
            .unwrap_or_default();
        let verdict = lock(&shared.events_limits).check(&key);
        if !verdict.allowed {
            lock(&shared.state).counters.rate_limited += 1;
            let status = if path.starts_with("/generic/") {
                403
            } else {
                429
            };
            let mut r = Reply::json(
                status,
                &json!({"status": "throttle exceeded", "message": "Requests for this service are arriving too quickly. Please retry later."}),
            );
            r.headers.extend(RateLimiter::headers(&verdict));
            return r;
        }
        let mut state = lock(&shared.state);
        return match path {
            "/v2/enqueue" => events::enqueue(&mut state, body),
            "/v2/change/enqueue" => events::change(&mut state, body),
            _ => events::v1(&mut state, body),
        };
    }
    if path == "/oauth/token" {
        return oauth::token(&mut lock(&shared.state), method, body);
    }
    // The guard must be gone before the Err arm locks the state again.
    let authenticated = rest::authenticate(&lock(&shared.state), authorization);
    let caller = match authenticated {
        Ok(c) => c,
        Err(r) => {
            if r.status == 401 && authorization.is_some_and(|a| a.contains("pdmock_oauth_")) {
                lock(&shared.state).counters.expired_tokens += 1;
            }
            return r;
        }
    };
    let verdict = lock(&shared.rest_limits).check(&caller.key);
    if !verdict.allowed {
        lock(&shared.state).counters.rate_limited += 1;
        let mut r = Reply::rest_error(429, 2020, "Rate Limit Exceeded", &[]);
        r.headers.extend(RateLimiter::headers(&verdict));
        return r;
    }
    let mut reply = rest::handle(
        &mut lock(&shared.state),
        &caller,
        method,
        path,
        query,
        from,
        body,
    );
    reply.headers.extend(RateLimiter::headers(&verdict));
    reply
}

fn finish(reply: Reply, id: u64, origin: Option<&str>) -> Response<Body> {
    let Reply {
        status,
        headers,
        body,
        content_type,
    } = reply;
    respond(status, content_type, &headers, Body::full(body), id, origin)
}

/// A 200 JSON answer whose body a task streams.
fn streamed(body: Body, id: u64, origin: Option<&str>) -> Response<Body> {
    respond(200, "application/json", &[], body, id, origin)
}

/// The answer with the headers every answer has; `headers` may override `x-request-id`.
fn respond(
    status: u16,
    content_type: &str,
    headers: &[(String, String)],
    body: Body,
    id: u64,
    origin: Option<&str>,
) -> Response<Body> {
    let mut b = Response::builder()
        .status(status)
        .header("content-type", content_type)
        // CORS, so a page on another loopback port (the browser example) can call the simulator.
        .header("access-control-allow-origin", origin.unwrap_or("*"))
        .header("vary", "Origin")
        .header(
            "access-control-allow-methods",
            "GET, POST, PUT, DELETE, OPTIONS",
        )
        .header(
            "access-control-allow-headers",
            "Authorization, Content-Type, Accept, From, X-EARLY-ACCESS",
        )
        .header(
            "access-control-expose-headers",
            "ratelimit-limit, ratelimit-remaining, ratelimit-reset, retry-after, x-request-id, location",
        )
        .header("access-control-max-age", "600");
    if !headers.iter().any(|(k, _)| k == "x-request-id") {
        b = b.header("x-request-id", format!("mock-{id:08}"));
    }
    for (k, v) in headers {
        b = b.header(k.as_str(), v.as_str());
    }
    b.body(body)
        .unwrap_or_else(|_| Response::new(Body::full(Bytes::new())))
}

/// `/_mock/...`: what was received, counters, reset, faults, limits.
fn inspect(shared: &Shared, method: &str, path: &str, body: &[u8]) -> Reply {
    let parsed: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    match (method, path.trim_end_matches('/')) {
        ("GET", "events") => Reply::json(200, &json!({"events": lock(&shared.state).events})),
        ("GET", "alerts") => {
            let s = lock(&shared.state);
            Reply::json(
                200,
                &json!({"alerts": s.alerts.iter().map(|a| s.alert_json(a)).collect::<Vec<_>>()}),
            )
        }
        ("GET", "incidents") => {
            let mut s = lock(&shared.state);
            let items: Vec<String> = (0..s.incidents.len())
                .map(|i| s.incident_text(i).to_string())
                .collect();
            Reply::raw_json(
                200,
                format!("{{\"incidents\":[{}]}}", items.join(",")).into_bytes(),
            )
        }
        ("GET", "counters") => {
            let s = lock(&shared.state);
            let mut c = serde_json::to_value(&s.counters).unwrap_or(Value::Null);
            c["requests"] = json!(shared.requests.load(Ordering::Relaxed));
            c["faults"] = json!(*lock(&shared.fault_counts));
            c["alerts"] = json!(s.alerts.len());
            c["open_alerts"] = json!(s.open_alerts.len());
            c["incidents"] = json!(s.incidents.len());
            c["open_stalls"] = json!(shared.open_stalls.load(Ordering::Relaxed));
            Reply::json(200, &c)
        }
        ("GET", "keys") => Reply::json(
            200,
            &json!({
                "rest": {"full_access": keys::FULL_ACCESS, "read_only": keys::READ_ONLY, "user_token": keys::USER_TOKEN, "observer_token": keys::OBSERVER_TOKEN},
                "routing_keys": {"PSVC001": keys::ROUTING_KEY_1, "PSVC002": keys::ROUTING_KEY_2},
                "extra_routing_key_prefix": keys::EXTRA_KEY_PREFIX,
                "from": "ada@example.com",
            }),
        ),
        ("POST", "reset") => {
            let mut config = lock(&shared.config);
            if let Some(seed) = parsed["seed"].as_u64() {
                config.seed = seed;
            }
            if let Some(n) = parsed["incidents"].as_u64() {
                config.incidents = n as usize;
            }
            *lock(&shared.state) = State::seeded(config.seed, config.incidents);
            let rules = lock(&shared.faults).rules.clone();
            lock(&shared.faults).set(rules, config.seed);
            lock(&shared.fault_counts).clear();
            shared.stray.clear();
            *lock(&shared.rest_limits) = RateLimiter::new(config.rest_limit);
            *lock(&shared.events_limits) = RateLimiter::new(config.events_limit);
            Reply::json(
                200,
                &json!({"reset": true, "seed": config.seed, "incidents": config.incidents}),
            )
        }
        ("GET", "oauth") => {
            let s = lock(&shared.state);
            Reply::json(
                200,
                &json!({"client_id": keys::OAUTH_CLIENT_ID, "client_secret": keys::OAUTH_CLIENT_SECRET,
                        "subdomain": keys::OAUTH_SUBDOMAIN, "expires_in": s.oauth_expires_in,
                        "token_requests": s.counters.token_requests, "expired_tokens": s.counters.expired_tokens}),
            )
        }
        ("PUT", "oauth") => match parsed["expires_in"].as_f64() {
            Some(secs) if secs.is_finite() && (0.0..1e9).contains(&secs) => {
                lock(&shared.state).oauth_expires_in = secs;
                Reply::json(200, &json!({"expires_in": secs}))
            }
            _ => Reply::rest_error(
                400,
                2001,
                "Invalid OAuth settings",
                &["expires_in: seconds"],
            ),
        },
        ("POST", "oauth/expire") => {
            let mut s = lock(&shared.state);
            let now = std::time::Instant::now();
            s.oauth_tokens.values_mut().for_each(|g| g.expires = now);
            Reply::json(200, &json!({"expired": s.oauth_tokens.len()}))
        }
        ("GET", "faults") => Reply::json(200, &json!(lock(&shared.faults).rules)),
        ("PUT", "faults") => match parse_rules(parsed) {
            Ok(rules) => {
                let seed = lock(&shared.config).seed;
                lock(&shared.faults).set(rules.clone(), seed);
                Reply::json(200, &json!(rules))
            }
            Err(e) => Reply::rest_error(400, 2001, "Invalid fault rules", &[&e]),
        },
        ("GET", "stray") => Reply::json(200, &shared.stray.json()),
        ("DELETE", "stray") => {
            shared.stray.clear();
            Reply::json(200, &shared.stray.json())
        }
        ("PUT", "rate_limits") => {
            let mut config = lock(&shared.config);
            if let Ok(l) = serde_json::from_value::<Limit>(parsed["rest"].clone()) {
                config.rest_limit = l;
                *lock(&shared.rest_limits) = RateLimiter::new(l);
            }
            if let Ok(l) = serde_json::from_value::<Limit>(parsed["events"].clone()) {
                config.events_limit = l;
                *lock(&shared.events_limits) = RateLimiter::new(l);
            }
            Reply::json(
                200,
                &json!({"rest": config.rest_limit, "events": config.events_limit}),
            )
        }
        _ => Reply::not_found(),
    }
}

/// Fault rules from JSON, checked.
pub fn parse_rules(v: Value) -> Result<Vec<Fault>, String> {
    let rules = serde_json::from_value::<Vec<Fault>>(v).map_err(|e| e.to_string())?;
    rules.iter().try_for_each(Fault::validate)?;
    Ok(rules)
}
