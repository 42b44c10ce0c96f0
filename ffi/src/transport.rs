//! The blocking transport: reqwest (rustls, the system's certificate store plus any CA the
//! caller adds, connection reuse, proxy from the environment) driven to completion on the
//! calling thread, and the core's retry state machine around it. Public so that Rust programs
//! (the demo) can use the same transport as C and Python.
//!
//! At the boundary it keeps these promises: no redirect is followed (and no `Referer` sent), an
//! answer is read up to the size cap and no further, each attempt has its own timeout,
//! certificate and DNS failures are named and not retried, and [`Transport::cancel`] ends every
//! call in flight (retry waits included) with `cancelled`.

use std::cell::RefCell;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use pagerduty_core::bindings::options::ClientOptions;
use pagerduty_core::http::{Method, Request, Response};
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
    /// Largest answer read, in bytes.
    pub max_response_bytes: u64,
    /// Extra certificate authorities (PEM text) trusted beside the system's roots.
    pub ca_pem: Option<String>,
    /// A PEM file of extra certificate authorities.
    pub ca_file: Option<String>,
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
            max_response_bytes: o.max_response_bytes,
            ca_pem: o.ca_pem.clone(),
            ca_file: o.ca_file.clone(),
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
    /// The extra roots, read once (a bad file or PEM fails `Transport::new`).
    extra_roots: Vec<reqwest::Certificate>,
    epoch: Instant,
    /// `true` once [`Transport::cancel`] was called; calls watch it while they wait.
    cancelled: watch::Sender<bool>,
}

struct PerThread {
    owner: Weak<Shared>,
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
}

thread_local! {
    static PER_THREAD: RefCell<Vec<PerThread>> = const { RefCell::new(Vec::new()) };
}

fn client(
    settings: &Settings,
    extra_roots: &[reqwest::Certificate],
) -> Result<reqwest::Client, Error> {
    let mut builder = reqwest::Client::builder()
        .timeout(settings.timeout)
        .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
        .user_agent(settings.user_agent.clone())
        .tcp_nodelay(true)
        // PagerDuty's APIs do not redirect. Following one would turn an event POST into a GET
        // that "succeeds" elsewhere, or resend the key to another host (issue 11).
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .https_only(false); // the core already refuses plain http off loopback
    if !extra_roots.is_empty() {
        builder = builder.tls_certs_merge(extra_roots.iter().cloned());
    }
    builder
        .build()
        .map_err(|e| Error::Transport(format!("cannot start the HTTP client: {e}")))
}

/// The caller's extra certificate authorities, from `ca_pem` and `ca_file`.
fn extra_roots(settings: &Settings) -> Result<Vec<reqwest::Certificate>, Error> {
    let mut roots = Vec::new();
    let mut add = |field: &str, pem: &[u8]| -> Result<(), Error> {
        let certs = reqwest::Certificate::from_pem_bundle(pem)
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

/// One attempt's outcome.
enum Attempt {
    Answer(Response),
    Failed(TransportError),
    Cancelled,
}

/// What failed, from reqwest's error and its causes, for the retry rules and for a message
/// that says what happened (never the URL: `without_url`, and the host only for DNS).
fn classify(e: reqwest::Error, host: &str) -> TransportError {
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
            "certificate not trusted: {cause} (add the server's CA with the ca_file or ca_pem \
             option)"
        ))
    } else if any("Temporary failure in name resolution") {
        // EAI_AGAIN: the resolver could not answer now; worth another try (as in Node).
        TransportError::Connect(format!("could not resolve host {host} (for now): {detail}"))
    } else if any("dns error") || any("failed to lookup address") {
        TransportError::Fatal(format!("could not resolve host {host}: {detail}"))
    } else if timeout {
        TransportError::Timeout(what)
    } else if connect {
        TransportError::Connect(what)
    } else {
        TransportError::Other(what)
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

impl Transport {
    /// A transport with these settings (checked now: a bad setting fails here, not later).
    pub fn new(settings: &Settings) -> Result<Transport, Error> {
        let extra_roots = extra_roots(settings)?;
        client(settings, &extra_roots)?;
        Ok(Transport {
            shared: Arc::new(Shared {
                settings: settings.clone(),
                extra_roots,
                epoch: Instant::now(),
                cancelled: watch::Sender::new(false),
            }),
        })
    }

    /// Ends every call in flight on this transport (and its clones), waits included, with
    /// `cancelled`, and makes every later call fail the same way. Callable from any thread.
    pub fn cancel(&self) {
        self.shared.cancelled.send_replace(true);
    }

    /// `Err(cancelled)` once [`Transport::cancel`] was called: for calls that start work
    /// without sending anything yet (a pager).
    pub fn check_live(&self) -> Result<(), Error> {
        if *self.shared.cancelled.borrow() {
            Err(Self::cancelled_error())
        } else {
            Ok(())
        }
    }

    fn cancelled_error() -> Error {
        Error::Cancelled("the client was cancelled or closed".into())
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
                        client: client(&self.shared.settings, &self.shared.extra_roots)?,
                    });
                    list.len() - 1
                }
            };
            let p = &list[at];
            Ok(f(&p.runtime, &p.client))
        })
    }

    fn once(&self, req: &Request) -> Attempt {
        let method = match req.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
            Method::Patch => reqwest::Method::PATCH,
        };
        let host = reqwest::Url::parse(&req.url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        let limit = self.shared.settings.max_response_bytes;
        let mut cancelled = self.shared.cancelled.subscribe();
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
            let exchange = async {
                let resp = builder.send().await.map_err(|e| classify(e, &host))?;
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
                    .map_err(|e| classify(e, &host))?
                {
                    Some(body) => Ok(Response::new(status, headers, body)),
                    None => Err(TransportError::TooLarge { status, limit }),
                }
            };
            runtime.block_on(async {
                tokio::select! {
                    r = exchange => match r {
                        Ok(response) => Attempt::Answer(response),
                        Err(e) => Attempt::Failed(e),
                    },
                    _ = cancelled.wait_for(|c| *c) => Attempt::Cancelled,
                }
            })
        });
        match outcome {
            Ok(a) => a,
            Err(e) => Attempt::Failed(TransportError::Connect(e.to_string())),
        }
    }

    /// Sleeps `d` on this thread, unless the transport is cancelled first (then `false`).
    fn wait(&self, d: Duration) -> bool {
        let mut cancelled = self.shared.cancelled.subscribe();
        let slept = self.with_local(|runtime, _| {
            runtime.block_on(async {
                tokio::select! {
                    _ = tokio::time::sleep(d) => true,
                    _ = cancelled.wait_for(|c| *c) => false,
                }
            })
        });
        slept.unwrap_or_else(|_| {
            std::thread::sleep(d);
            true
        })
    }

    /// Sends under the retry rules; the final response (any status: parse it) or the error.
    pub fn send(&self, request: Request, api: Api) -> Result<Response, Error> {
        self.check_live()?;
        let mut retry = Retry::new(request, api, self.shared.settings.retry.clone());
        let epoch = self.shared.epoch;
        let mut step = retry.start(epoch.elapsed());
        loop {
            step = match step {
                Step::Send(req) => {
                    let outcome = self.once(&req);
                    let now = epoch.elapsed();
                    match outcome {
                        Attempt::Answer(r) => retry.handle_response(r, now, random_u64()),
                        Attempt::Failed(e) => retry.handle_transport_error(e, now, random_u64()),
                        Attempt::Cancelled => return Err(Self::cancelled_error()),
                    }
                }
                Step::Wait(d) => {
                    if !self.wait(d) {
                        return Err(Self::cancelled_error());
                    }
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
