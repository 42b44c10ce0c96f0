//! The stray listener: a second server standing for a host a client should never talk to.
//!
//! The `redirect` fault points clients here, so a test can prove that nothing (a key above all)
//! followed the redirect. It runs on 127.0.0.2, another address than the simulator's, as a
//! hostile host would, on a port of its own; where 127.0.0.2 cannot be bound (macOS has only
//! 127.0.0.1 by default) it falls back to 127.0.0.1 on another port, which its URL shows. It
//! speaks plain HTTP even when the simulator serves HTTPS. It records every request whole and
//! answers each one with a 200 that looks like an accepted event, as a host eager for more
//! would, with CORS headers that let a page read it.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Mutex;

use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Request, Response};
use serde::Serialize;
use serde_json::{json, Value};
use tokio::net::TcpListener;

use crate::body::Body;
use crate::lock;

/// Bodies past this size are recorded cut (the stray is a witness, not a sink).
const MAX_RECORDED_BODY: usize = 2 * 1024 * 1024;

/// One request the stray listener received.
#[derive(Debug, Clone, Serialize)]
pub struct StrayRequest {
    pub method: String,
    /// Path and query, as sent.
    pub path: String,
    /// Lowercase names; repeated headers joined with ", ".
    pub headers: BTreeMap<String, String>,
    /// The body as text (invalid UTF-8 replaced).
    pub body: String,
}

/// The stray listener's address and what it received.
#[derive(Debug)]
pub struct Stray {
    url: String,
    requests: Mutex<Vec<StrayRequest>>,
}

impl Stray {
    /// Binds 127.0.0.2 on a free port, else 127.0.0.1 on a free port.
    pub async fn bind() -> std::io::Result<(Stray, TcpListener)> {
        let listener = match TcpListener::bind((IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)), 0)).await {
            Ok(l) => l,
            Err(_) => TcpListener::bind((IpAddr::V4(Ipv4Addr::LOCALHOST), 0)).await?,
        };
        let stray = Stray {
            url: format!("http://{}", listener.local_addr()?),
            requests: Mutex::new(Vec::new()),
        };
        Ok((stray, listener))
    }

    /// `http://127.0.0.2:PORT` (or `http://127.0.0.1:PORT` after a fallback).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// What `GET /_mock/stray` answers.
    pub fn json(&self) -> Value {
        let requests = lock(&self.requests);
        json!({"url": self.url, "count": requests.len(), "requests": *requests})
    }

    /// Forgets what was received.
    pub fn clear(&self) {
        lock(&self.requests).clear();
    }

    fn record(&self, request: StrayRequest) {
        lock(&self.requests).push(request);
    }
}

/// Records the request and answers as if it were an accepted event.
pub(crate) async fn handle(
    stray: std::sync::Arc<Stray>,
    req: Request<Incoming>,
) -> Result<Response<Body>, crate::Dropped> {
    let (parts, body) = req.into_parts();
    let mut headers = BTreeMap::<String, String>::new();
    for (name, value) in &parts.headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        headers
            .entry(name.as_str().to_owned())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert_with(|| value.into_owned());
    }
    let origin = headers.get("origin").cloned();
    let body = read_cut(body).await;
    stray.record(StrayRequest {
        method: parts.method.as_str().to_owned(),
        path: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_owned(), |pq| pq.as_str().to_owned()),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let answer = json!({"status": "success", "message": "Event processed", "dedup_key": "stray"});
    Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .header(
            "access-control-allow-origin",
            origin.as_deref().unwrap_or("*"),
        )
        .header(
            "access-control-allow-methods",
            "GET, POST, PUT, DELETE, OPTIONS",
        )
        .header("access-control-allow-headers", "*")
        .body(Body::full(answer.to_string()))
        .map_err(|_| crate::Dropped)
}

/// The body, or as much of it as `MAX_RECORDED_BODY` allows.
async fn read_cut(mut body: Incoming) -> Vec<u8> {
    let mut all = Vec::new();
    while let Some(Ok(frame)) = body.frame().await {
        if let Ok(data) = frame.into_data() {
            let room = MAX_RECORDED_BODY - all.len();
            all.extend_from_slice(&data[..data.len().min(room)]);
            if all.len() == MAX_RECORDED_BODY {
                break;
            }
        }
    }
    all
}
