//! A blocking transport for the core's plain-data requests, and the retry loop around it.
//! This is all a binding has to write: send, hand back, sleep when told.

use std::time::{Duration, Instant};

use pagerduty_core::http::{Request, Response};
use pagerduty_core::response_error::Api;
use pagerduty_core::retry::{Retry, RetryPolicy, Step, TransportError};
use pagerduty_core::Error;

pub struct Transport {
    agent: ureq::Agent,
    started: Instant,
    policy: RetryPolicy,
    /// HTTP attempts made, retries included.
    pub attempts: u32,
}

impl Default for Transport {
    fn default() -> Self {
        Self::new()
    }
}

impl Transport {
    /// A transport with the core's default retry policy.
    pub fn new() -> Self {
        Self::with_policy(RetryPolicy::default())
    }

    /// A transport with this retry policy.
    pub fn with_policy(policy: RetryPolicy) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                    .build(),
            )
            .build()
            .new_agent();
        Transport {
            agent,
            started: Instant::now(),
            policy,
            attempts: 0,
        }
    }

    fn send_once(&self, req: &Request) -> Result<Response, TransportError> {
        let mut builder = ureq::http::Request::builder()
            .method(req.method.as_str())
            .uri(&req.url);
        for (k, v) in &req.headers {
            builder = builder.header(k, v);
        }
        let http_req = builder
            .body(req.body.clone().unwrap_or_default().into_bytes())
            .map_err(|e| TransportError::Connect(e.to_string()))?;
        let mut resp = self.agent.run(http_req).map_err(|e| match e {
            ureq::Error::Timeout(_) => TransportError::Timeout(e.to_string()),
            ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => {
                TransportError::Connect(e.to_string())
            }
            ureq::Error::Io(ref io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                TransportError::Connect(e.to_string())
            }
            _ => TransportError::Other(e.to_string()),
        })?;
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
        let body = resp
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()
            .map_err(|e| TransportError::Other(e.to_string()))?;
        Ok(Response::new(status, headers, body))
    }

    /// Sends `request` under the core's retry rules.
    pub fn send(&mut self, request: Request, api: Api) -> Result<Response, Error> {
        let mut retry = Retry::new(request, api, self.policy.clone());
        let mut step = retry.start(self.started.elapsed());
        loop {
            step = match step {
                Step::Send(req) => {
                    self.attempts += 1;
                    let outcome = self.send_once(&req);
                    let now = self.started.elapsed();
                    match outcome {
                        Ok(resp) => retry.handle_response(resp, now, random_u64()),
                        Err(e) => retry.handle_transport_error(e, now, random_u64()),
                    }
                }
                Step::Wait(d) => {
                    std::thread::sleep(d);
                    retry.resume(self.started.elapsed())
                }
                Step::Done(result) => return result,
            };
        }
    }
}

/// 16 bytes from the OS.
pub fn random_bytes() -> [u8; 16] {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the OS random source");
    b
}

fn random_u64() -> u64 {
    let b = random_bytes();
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}
