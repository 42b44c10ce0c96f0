//! Response bodies: whole, or streamed by a task as the client reads them (for the `drip` and
//! `huge_body` faults).
//!
//! A streamed body goes through a small bounded channel: the producer waits while the client is
//! not reading, so a body of any size never sits in memory, and it stops as soon as hyper drops
//! the receiving end (the client went away).

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::{Frame, SizeHint};
use tokio::sync::mpsc;

/// How long a producer may take, so that a client that stops reading without closing the
/// connection cannot hold a task forever. A body cut this way ends early (invalid JSON).
pub const STREAM_LIMIT: Duration = Duration::from_secs(300);

/// A response body.
#[derive(Debug)]
pub enum Body {
    /// All of it at once (`None` once sent, or when empty): hyper sends a `content-length`.
    Full(Option<Bytes>),
    /// Chunks from a producer task: hyper sends it chunked.
    Stream(mpsc::Receiver<Bytes>),
}

impl Body {
    pub fn full(bytes: impl Into<Bytes>) -> Body {
        let bytes = bytes.into();
        Body::Full((!bytes.is_empty()).then_some(bytes))
    }

    /// A body whose chunks `produce` sends through the given sender until it returns (or
    /// `STREAM_LIMIT` passes).
    pub fn stream<F, Fut>(produce: F) -> Body
    where
        F: FnOnce(mpsc::Sender<Bytes>) -> Fut,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let (tx, rx) = mpsc::channel(2);
        let producing = produce(tx);
        tokio::spawn(async move {
            let _ = tokio::time::timeout(STREAM_LIMIT, producing).await;
        });
        Body::Stream(rx)
    }
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let frame = |b: Bytes| Ok(Frame::data(b));
        match self.get_mut() {
            Body::Full(bytes) => Poll::Ready(bytes.take().map(frame)),
            Body::Stream(rx) => rx.poll_recv(cx).map(|chunk| chunk.map(frame)),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Body::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Full(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Body::Stream(_) => SizeHint::default(),
        }
    }
}

/// The `drip` body: 64 bytes of JSON.
pub const DRIP_BODY: &[u8; 64] =
    b"{\"status\":\"dripping\",\"message\":\"one byte a second\",\"padding\":\"\"}";

/// Sends `DRIP_BODY` one byte a second, the first after a second.
pub async fn drip(tx: mpsc::Sender<Bytes>) {
    for byte in DRIP_BODY {
        tokio::time::sleep(Duration::from_secs(1)).await;
        if tx.send(Bytes::copy_from_slice(&[*byte])).await.is_err() {
            return;
        }
    }
}

const MIB: u64 = 1024 * 1024;
/// The size of one incident record, and of one chunk.
const RECORD: u64 = 64 * 1024;
/// Room for a record's fixed part (`,{"id":"P0000000","padding":""}`), so the last one fits.
const MIN_RECORD: u64 = 64;
const HUGE_HEAD: &str = "{\"incidents\":[";
const HUGE_TAIL: &str = "],\"more\":false}";

/// Sends a valid JSON list page of exactly `mb` MiB, one padded incident per chunk.
pub async fn huge(tx: mpsc::Sender<Bytes>, mb: u64) {
    let body_len = mb
        .saturating_mul(MIB)
        .max((HUGE_HEAD.len() + HUGE_TAIL.len()) as u64 + MIN_RECORD);
    let mut left = body_len - (HUGE_HEAD.len() + HUGE_TAIL.len()) as u64;
    if tx
        .send(Bytes::from_static(HUGE_HEAD.as_bytes()))
        .await
        .is_err()
    {
        return;
    }
    let mut i = 0;
    while left > 0 {
        // The last record takes what is left, so the total is exact.
        let len = if left < RECORD + MIN_RECORD {
            left
        } else {
            RECORD
        };
        if tx.send(record(i, len as usize)).await.is_err() {
            return;
        }
        left -= len;
        i += 1;
    }
    let _ = tx.send(Bytes::from_static(HUGE_TAIL.as_bytes())).await;
}

/// Incident record number `i`, `len` bytes long with its leading comma.
fn record(i: u64, len: usize) -> Bytes {
    let comma = if i == 0 { "" } else { "," };
    let mut text = format!("{comma}{{\"id\":\"P{i:07}\",\"padding\":\"");
    let padding = len.saturating_sub(text.len() + 2);
    text.reserve(padding + 2);
    text.extend(std::iter::repeat_n('x', padding));
    text.push_str("\"}");
    Bytes::from(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_huge_body_is_valid_json_of_the_exact_size() {
        for mb in [0, 1, 3] {
            let mut rx = match Body::stream(move |tx| huge(tx, mb)) {
                Body::Stream(rx) => rx,
                Body::Full(_) => unreachable!(),
            };
            let mut all = Vec::new();
            while let Some(chunk) = rx.recv().await {
                assert!(chunk.len() as u64 <= RECORD + MIN_RECORD);
                all.extend_from_slice(&chunk);
            }
            if mb > 0 {
                assert_eq!(all.len() as u64, mb * MIB);
            }
            let v: serde_json::Value = serde_json::from_slice(&all).unwrap();
            assert_eq!(v["more"], false);
            assert_eq!(v["incidents"][0]["id"], "P0000000");
        }
    }

    #[test]
    fn the_drip_body_is_json() {
        let v: serde_json::Value = serde_json::from_slice(DRIP_BODY).unwrap();
        assert_eq!(v["status"], "dripping");
    }
}
