//! List endpoints as streams: [`Pages`] yields PagerDuty's pages (items kept as slices of the
//! body, parsed once), [`Items`] their items decoded into your type. Both drive the core's
//! [`Pager`] machine: classic or cursor pagination chosen from the spec, and a walk that reaches
//! PagerDuty's 10,000-record offset cap ends with the error `truncated` after the records it
//! got — never a silent end. A stream ends after its first error.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::stream::{self, StreamExt};
use serde::de::DeserializeOwned;

use pagerduty_core::pagination::{Page, Pager};
use pagerduty_core::response_error::Api;
use pagerduty_core::Error;

use crate::transport::Transport;

/// The next page of a walk, or `None` when it is over: the one step both the stream and the
/// blocking iterator take.
pub(crate) async fn next_page(
    pager: &mut Pager,
    transport: &Transport,
) -> Result<Option<Page>, Error> {
    let Some(request) = pager.next_request()? else {
        return Ok(None);
    };
    let response = transport.send(request, Api::Rest).await?;
    pager.handle_response(response).map(Some)
}

/// The pages of a list endpoint, as a [`Stream`] of `Result<Page, Error>`.
///
/// Each [`Page`] holds its items as JSON text ([`Page::items`], [`Page::items_json`]) and
/// `total` when it was asked for. Use [`Pages::items`] to decode them instead.
pub struct Pages {
    inner: Pin<Box<dyn Stream<Item = Result<Page, Error>> + Send>>,
}

impl fmt::Debug for Pages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

enum Walk {
    Start(Result<Pager, Error>, Transport),
    Walking(Pager, Transport),
    Over,
}

impl Pages {
    /// Walks `pager` through `transport`; `Err` is yielded as the stream's only item (a filter
    /// the core refused, found before any I/O).
    pub(crate) fn new(pager: Result<Pager, Error>, transport: Transport) -> Pages {
        let s = stream::unfold(Walk::Start(pager, transport), |walk| async move {
            let (mut pager, transport) = match walk {
                Walk::Start(Ok(p), t) => {
                    if let Err(e) = t.check_live() {
                        return Some((Err(e), Walk::Over));
                    }
                    (p, t)
                }
                Walk::Start(Err(e), _) => return Some((Err(e), Walk::Over)),
                Walk::Walking(p, t) => (p, t),
                Walk::Over => return None,
            };
            match next_page(&mut pager, &transport).await {
                Ok(Some(page)) => Some((Ok(page), Walk::Walking(pager, transport))),
                Ok(None) => None,
                Err(e) => Some((Err(e), Walk::Over)),
            }
        });
        Pages { inner: s.boxed() }
    }

    /// The items of every page, decoded into `T` (a model of the core's such as
    /// [`Incident`](pagerduty_core::models::Incident), your own type, or
    /// [`serde_json::Value`]).
    pub fn items<T: DeserializeOwned + Send + 'static>(self) -> Items<T> {
        let s = stream::unfold(
            (self, VecDeque::<T>::new(), false),
            |(mut pages, mut ready, over)| async move {
                loop {
                    if let Some(item) = ready.pop_front() {
                        return Some((Ok(item), (pages, ready, over)));
                    }
                    if over {
                        return None;
                    }
                    match pages.next().await? {
                        Ok(page) => match page.deserialize::<T>() {
                            Ok(items) => ready.extend(items),
                            Err(e) => return Some((Err(e), (pages, ready, true))),
                        },
                        Err(e) => return Some((Err(e), (pages, ready, true))),
                    }
                }
            },
        );
        Items { inner: s.boxed() }
    }
}

impl Stream for Pages {
    type Item = Result<Page, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// The items of a list endpoint, decoded into `T`, as a [`Stream`] of `Result<T, Error>`.
pub struct Items<T> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>,
}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}

impl<T> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}
