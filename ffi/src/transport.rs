//! The blocking transport: reqwest (rustls, the system's certificate store, connection reuse,
//! proxy from the environment) driven to completion on the calling thread, and the core's retry
//! state machine around it. Public so that Rust
//! programs (the demo) can use the same transport as C and Python.

use std::cell::RefCell;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use pagerduty_core::http::{Method, Request, Response};
use pagerduty_core::options::ClientOptions;
use pagerduty_core::response_error::Api;
use pagerduty_core::retry::{Retry, RetryPolicy, Step, TransportError};
use pagerduty_core::Error;

/// What the transport needs of the client options.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Per-attempt timeout.
    pub timeout: Duration,
    /// Retry policy for every request.
    pub retry: RetryPolicy,
    /// The `User-Agent` header.
    pub user_agent: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings::from_options(&ClientOptions::default())
    }
}

impl Settings {
    /// The transport's part of the client options.
    pub fn from_options(o: &ClientOptions) -> Settings {
        Settings {
            timeout: o.timeout,
            retry: o.retry.clone(),
            user_agent: o
                .user_agent
                .clone()
                .unwrap_or_else(|| format!("pagerduty-core-ffi/{}", env!("CARGO_PKG_VERSION"))),
        }
    }
}

/// The HTTP client and retry loop. Shareable between threads.
///
/// reqwest's async client runs on a current-thread tokio runtime *of the calling thread*: each
/// request is driven to completion on the caller's own thread (`block_on`), with no hop to a
/// background runtime thread as `reqwest::blocking` makes. That halves the cost of a small
/// request here (measured 240 µs → 120 µs per event on loopback). Each thread that uses a
/// transport gets its own runtime and connection pool, kept in a thread-local and dropped when
/// the thread exits or, after the transport is dropped, at that thread's next request.
#[derive(Debug, Clone)]
pub struct Transport {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    settings: Settings,
    epoch: Instant,
}

struct PerThread {
    owner: Weak<Shared>,
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
}

thread_local! {
    static PER_THREAD: RefCell<Vec<PerThread>> = const { RefCell::new(Vec::new()) };
}

fn client(settings: &Settings) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .timeout(settings.timeout)
        .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
        .user_agent(settings.user_agent.clone())
        .tcp_nodelay(true)
        .https_only(false) // the core already refuses plain http off loopback
        .build()
        .map_err(|e| Error::Transport(format!("cannot start the HTTP client: {e}")))
}

impl Transport {
    /// A transport with these settings (checked now: a bad setting fails here, not later).
    pub fn new(settings: &Settings) -> Result<Transport, Error> {
        client(settings)?;
        Ok(Transport {
            shared: Arc::new(Shared {
                settings: settings.clone(),
                epoch: Instant::now(),
            }),
        })
    }

    /// Runs `f` with this thread's runtime and client for this transport.
    fn with_local<R>(
        &self,
        f: impl FnOnce(&tokio::runtime::Runtime, &reqwest::Client) -> R,
    ) -> Result<R, Error> {
        PER_THREAD.with(|cell| {
            let mut list = cell.borrow_mut();
            // Forget what belonged to transports that no longer exist.
            list.retain(|p| p.owner.strong_count() > 0);
            let me = Arc::downgrade(&self.shared);
            let at = match list.iter().position(|p| p.owner.ptr_eq(&me)) {
                Some(i) => i,
                None => {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .map_err(|e| {
                            Error::Transport(format!("cannot start the I/O runtime: {e}"))
                        })?;
                    list.push(PerThread {
                        owner: me,
                        runtime,
                        client: client(&self.shared.settings)?,
                    });
                    list.len() - 1
                }
            };
            let p = &list[at];
            Ok(f(&p.runtime, &p.client))
        })
    }

    fn once(&self, req: &Request) -> Result<Response, TransportError> {
        let method = match req.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
            Method::Patch => reqwest::Method::PATCH,
        };
        let classify = |e: reqwest::Error| {
            // Never echo the URL's query or anything else of the request: just what failed.
            let (timeout, connect) = (e.is_timeout(), e.is_connect());
            let what = e.without_url().to_string();
            if timeout {
                TransportError::Timeout(what)
            } else if connect {
                TransportError::Connect(what)
            } else {
                TransportError::Other(what)
            }
        };
        let outcome = self.with_local(|runtime, client| {
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
            runtime.block_on(async {
                let resp = builder.send().await.map_err(classify)?;
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
                let body = resp.bytes().await.map_err(classify)?.to_vec();
                Ok(Response::new(status, headers, body))
            })
        });
        match outcome {
            Ok(r) => r,
            Err(e) => Err(TransportError::Connect(e.to_string())),
        }
    }

    /// Sends under the retry rules; a 2xx response or the error.
    pub fn send(&self, request: Request, api: Api) -> Result<Response, Error> {
        let mut retry = Retry::new(request, api, self.shared.settings.retry.clone());
        let epoch = self.shared.epoch;
        let mut step = retry.start(epoch.elapsed());
        loop {
            step = match step {
                Step::Send(req) => {
                    let outcome = self.once(&req);
                    let now = epoch.elapsed();
                    match outcome {
                        Ok(r) => retry.handle_response(r, now, random_u64()),
                        Err(e) => retry.handle_transport_error(e, now, random_u64()),
                    }
                }
                Step::Wait(d) => {
                    std::thread::sleep(d);
                    retry.resume(epoch.elapsed())
                }
                Step::Done(r) => return r,
            };
        }
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

/// Jitter only: a failing OS source falls back to the clock.
fn random_u64() -> u64 {
    match random_bytes() {
        Ok(b) => u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9e37_79b9),
    }
}
