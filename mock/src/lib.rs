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
//! println!("simulator at {}", mock.url());
//! # Ok(()) }
//! ```

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::watch;

pub mod events;
pub mod faults;
pub mod ratelimit;
pub mod reply;
pub mod rest;
mod rng;
pub mod state;
mod tls;

use faults::{Decision, Fault, Faults};
use ratelimit::{Limit, RateLimiter};
use reply::Reply;
use state::State;

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
    /// Events rate limit (all integration keys together).
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

/// Starts the simulator on the current tokio runtime.
pub async fn start(config: Config) -> std::io::Result<Mock> {
    let listener = TcpListener::bind((config.host, config.port)).await?;
    let addr = listener.local_addr()?;
    let (acceptor, cert_pem) = if config.tls {
        let (a, pem) = tls::self_signed(config.host)?;
        (Some(a), Some(pem))
    } else {
        (None, None)
    };
    let shared = Arc::new(Shared {
        state: Mutex::new(State::seeded(config.seed, config.incidents)),
        faults: Mutex::new(Faults::new(config.faults.clone(), config.seed)),
        rest_limits: Mutex::new(RateLimiter::new(config.rest_limit)),
        events_limits: Mutex::new(RateLimiter::new(config.events_limit)),
        fault_counts: Mutex::new(Default::default()),
        requests: AtomicU64::new(0),
        config: Mutex::new(config.clone()),
    });
    let (stop, mut stopped) = watch::channel(false);
    let server_shared = shared.clone();
    tokio::spawn(async move {
        loop {
            let (stream, _) = tokio::select! {
                r = listener.accept() => match r { Ok(s) => s, Err(_) => continue },
                _ = stopped.changed() => break,
            };
            let _ = stream.set_nodelay(true);
            let shared = server_shared.clone();
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| handle(shared.clone(), req));
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
    Ok(Mock {
        addr,
        scheme: if cert_pem.is_some() { "https" } else { "http" },
        cert_pem,
        stop,
        shared,
    })
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

async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let id = shared.requests.fetch_add(1, Ordering::Relaxed) + 1;
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().map(str::to_owned);
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let authorization = header("authorization");
    let from = header("from");
    let origin = header("origin");

    if method == "OPTIONS" {
        return Ok(finish(Reply::empty(204), id, origin.as_deref()));
    }
    let body = match Limited::new(req.into_body(), 2 * 1024 * 1024)
        .collect()
        .await
    {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return Ok(finish(
                Reply::rest_error(413, 2001, "Request body too large", &[]),
                id,
                origin.as_deref(),
            ))
        }
    };
    if let Some(rest) = path.strip_prefix("/_mock/") {
        let reply = inspect(&shared, &method, rest, &body);
        return Ok(finish(reply, id, origin.as_deref()));
    }

    let (decision, latency) = lock(&shared.faults).decide(&path);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let count = |name: &str| {
        *lock(&shared.fault_counts)
            .entry(name.to_owned())
            .or_insert(0) += 1
    };
    let (drop_after, truncate) = match decision {
        Decision::DropBefore => {
            count("drop_before");
            return Err(Dropped);
        }
        Decision::RateLimit { headers } => {
            count(if headers {
                "rate_limit"
            } else {
                "rate_limit_no_headers"
            });
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
            return Ok(finish(r, id, origin.as_deref()));
        }
        Decision::ServerError(status) => {
            count("server_error");
            return Ok(finish(
                Reply::rest_error(status, 2000, "Internal Server Error", &[]),
                id,
                origin.as_deref(),
            ));
        }
        Decision::Html502 => {
            count("html_502");
            let page = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>";
            return Ok(finish(Reply::html(502, page), id, origin.as_deref()));
        }
        Decision::Proceed {
            drop_after,
            truncate,
        } => (drop_after, truncate),
    };

    let mut reply = route(
        &shared,
        &method,
        &path,
        query.as_deref(),
        authorization.as_deref(),
        from.as_deref(),
        &body,
    );
    if drop_after {
        count("drop_after");
        return Err(Dropped);
    }
    if truncate {
        count("truncated_json");
        let half = reply.body.len() / 2;
        reply.body.truncate(half);
    }
    Ok(finish(reply, id, origin.as_deref()))
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
    let events_path = matches!(
        path,
        "/v2/enqueue" | "/v2/change/enqueue" | "/generic/2010-04-15/create_event.json"
    );
    if events_path {
        if method != "POST" {
            return Reply::rest_error(405, 2000, "Method Not Allowed", &[]);
        }
        let verdict = lock(&shared.events_limits).check("events");
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
    let caller = match rest::authenticate(&lock(&shared.state), authorization) {
        Ok(c) => c,
        Err(r) => return r,
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

fn finish(reply: Reply, id: u64, origin: Option<&str>) -> Response<Full<Bytes>> {
    let mut b = Response::builder()
        .status(reply.status)
        .header("content-type", reply.content_type)
        .header("x-request-id", format!("mock-{id:08}"))
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
            "ratelimit-limit, ratelimit-remaining, ratelimit-reset, retry-after, x-request-id",
        )
        .header("access-control-max-age", "600");
    for (k, v) in &reply.headers {
        b = b.header(k.as_str(), v.as_str());
    }
    b.body(Full::new(Bytes::from(reply.body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
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
            Reply::json(200, &c)
        }
        ("GET", "keys") => Reply::json(
            200,
            &json!({
                "rest": {"full_access": keys::FULL_ACCESS, "read_only": keys::READ_ONLY, "user_token": keys::USER_TOKEN, "observer_token": keys::OBSERVER_TOKEN},
                "routing_keys": {"PSVC001": keys::ROUTING_KEY_1, "PSVC002": keys::ROUTING_KEY_2},
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
            *lock(&shared.rest_limits) = RateLimiter::new(config.rest_limit);
            *lock(&shared.events_limits) = RateLimiter::new(config.events_limit);
            Reply::json(
                200,
                &json!({"reset": true, "seed": config.seed, "incidents": config.incidents}),
            )
        }
        ("GET", "faults") => Reply::json(200, &json!(lock(&shared.faults).rules)),
        ("PUT", "faults") => match serde_json::from_value::<Vec<Fault>>(parsed) {
            Ok(rules) => {
                let seed = lock(&shared.config).seed;
                lock(&shared.faults).set(rules.clone(), seed);
                Reply::json(200, &json!(rules))
            }
            Err(e) => Reply::rest_error(400, 2001, "Invalid fault rules", &[&e.to_string()]),
        },
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
