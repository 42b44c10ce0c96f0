//! Pagination as a state machine: it says which request to send next and hands back one page
//! at a time. It never holds more than one page.
//!
//! Two schemes, chosen per path from the official spec ([`crate::spec_rules::CURSOR_PAGINATED`]):
//! - **classic**: `limit` (at most 100) and `offset`; the offset advances by the number of items
//!   actually received; `more: false` ends it. PagerDuty refuses `offset + limit > 10,000`, so
//!   the pager shrinks the last page to fit, and the next [`Pager::next_request`] is the error
//!   `Truncated` (code `truncated`) instead of a 400 or a silent end: every binding's iterator
//!   ends with that error, so 10,000 records are never mistaken for all of them.
//! - **cursor**: `cursor` ← `next_cursor`; a null or missing `next_cursor` ends it.
//!
//! A page is parsed once: items are kept as ranges of the response body, so a binding can hand
//! each item's JSON text (or the whole array's, [`Page::items_json`]) to JavaScript or Python
//! without a parse-and-reserialize, and Rust callers deserialize into their own types.
//!
//! The loop a binding writes (here with a fake transport):
//!
//! ```
//! use pagerduty_core::{pagination::Pager, rest::Rest, credentials::RestToken, region::Endpoints,
//!                      query::Query, http::{Request, Response}};
//!
//! # fn send(req: Request) -> Response {
//! #     let offset: usize = req.url.split("offset=").nth(1).unwrap().split('&').next().unwrap().parse().unwrap();
//! #     let more = offset == 0;
//! #     Response::new(200, vec![], format!(r#"{{"incidents":[{{"id":"P{offset}"}}],"more":{more},"offset":{offset},"limit":100}}"#))
//! # }
//! let rest = Rest::new(RestToken::general_access("y_NbAkKc66ryYTWUXYEu")?.into(), Endpoints::default());
//! let mut query = Query::new();
//! query.push_array("statuses", ["triggered"]);
//! let mut pager = Pager::new(&rest, "/incidents", query)?;
//! let mut ids = Vec::new();
//! while let Some(request) = pager.next_request()? {
//!     let response = send(request);            // a real binding sends it through `retry`
//!     let page = pager.handle_response(response)?;
//!     for item in page.items() {
//!         ids.push(serde_json::from_str::<serde_json::Value>(item)?["id"].as_str().unwrap().to_owned());
//!     }
//! }
//! assert_eq!(ids, ["P0", "P1"]);
//! assert!(!pager.truncated());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::ops::Range;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Error;
use crate::http::{Method, Request, Response};
use crate::json_text::{self, Members, SyntaxError};
use crate::query::Query;
use crate::rest::{check_status, Rest};
use crate::spec_rules;

/// Largest page PagerDuty serves.
pub const MAX_LIMIT: u32 = 100;
/// PagerDuty refuses classic pagination past `offset + limit` of this.
pub const OFFSET_CAP: u64 = 10_000;

/// Which pagination scheme a path uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `limit` / `offset` / `more`.
    Classic,
    /// `cursor` / `next_cursor`.
    Cursor,
}

/// Walks a list endpoint page by page. See the module docs for the loop.
#[derive(Debug)]
pub struct Pager {
    rest: Rest,
    path: String,
    query: Query,
    collection: String,
    scheme: Scheme,
    limit: u32,
    offset: u64,
    cursor: Option<String>,
    state: State,
    history: Option<History>,
}

/// A whole history (see [`Pager::history`]): the window being walked, those still to walk
/// (the next at the end), and the ids already handed out.
#[derive(Debug)]
struct History {
    window: (i64, i64),
    later: Vec<(i64, i64)>,
    /// The window's size is known to fit under the cap (its `total` was read).
    fits: bool,
    seen: std::collections::HashSet<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Ready,
    AwaitingResponse,
    Done,
    Truncated,
}

impl Pager {
    /// A pager over `path` with these filters. The scheme comes from the spec; `limit` in
    /// the query sets the page size (default and maximum 100); an `offset` in the query is
    /// where a classic walk starts.
    pub fn new(rest: &Rest, path: &str, query: Query) -> Result<Self, Error> {
        let scheme = if spec_rules::is_cursor_paginated(path) {
            Scheme::Cursor
        } else {
            Scheme::Classic
        };
        Self::with_scheme(rest, path, query, scheme)
    }

    /// A pager with an explicit scheme (for paths the spec does not know yet).
    pub fn with_scheme(
        rest: &Rest,
        path: &str,
        mut query: Query,
        scheme: Scheme,
    ) -> Result<Self, Error> {
        let limit = match query.get("limit") {
            None => MAX_LIMIT,
            Some(s) => match s.parse::<u32>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    return Err(Error::invalid(
                        "limit",
                        format!("must be a whole number from 1 to {MAX_LIMIT}"),
                    ))
                }
            },
        };
        let offset = match query.get("offset") {
            None => 0,
            Some(s) => s
                .parse::<u64>()
                .map_err(|_| Error::invalid("offset", "must be a whole number"))?,
        };
        let cursor = query.get("cursor").map(str::to_owned);
        for name in ["limit", "offset", "cursor"] {
            query.remove(name);
        }
        // The path is checked now (the core's rule on every REST target), not at the first page.
        rest.call(Method::Get, path).build()?;
        let collection = collection_name(path);
        Ok(Pager {
            rest: rest.clone(),
            path: path.to_owned(),
            query,
            collection,
            scheme,
            limit,
            offset,
            cursor,
            state: State::Ready,
            history: None,
        })
    }

    /// A walk over a whole history, past the 10,000-record cap: `path` (a classic list that
    /// takes `since` and `until`, such as `/incidents` or `/log_entries`) from `since` up to
    /// `until` (ISO 8601). Each window is first asked for its `total`; a window holding more
    /// than the cap allows is split in two halves (in whole seconds), recursively, and the
    /// pieces are walked in time order. Windows are half-open and adjoin, and an item whose
    /// `id` was already handed out is dropped (in case PagerDuty counts a boundary second in
    /// both), so there is no gap and no duplicate. More than 10,000 records in one second is
    /// `truncated`. `query` holds the other filters.
    pub fn history(
        rest: &Rest,
        path: &str,
        query: Query,
        since: &str,
        until: &str,
    ) -> Result<Self, Error> {
        for name in ["since", "until", "offset", "cursor", "total"] {
            if query.get(name).is_some() {
                return Err(Error::invalid(
                    name,
                    "is set by the history walk (give since and until as its arguments)",
                ));
            }
        }
        let start = unix_seconds("since", since)?;
        let end = unix_seconds("until", until)?;
        if end <= start {
            return Err(Error::invalid("until", "must be later than since"));
        }
        let mut pager = Self::with_scheme(rest, path, query, Scheme::Classic)?;
        if spec_rules::is_cursor_paginated(path) {
            return Err(Error::invalid(
                "path",
                "is cursor-paginated: it has no 10,000-record cap to walk around",
            ));
        }
        pager.history = Some(History {
            window: (start, end),
            later: Vec::new(),
            fits: false,
            seen: Default::default(),
        });
        Ok(pager)
    }

    /// The scheme in use.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The key of the array in each page (`incidents` for `/incidents`).
    pub fn collection(&self) -> &str {
        &self.collection
    }

    /// Overrides the key of the array in each page.
    pub fn set_collection(&mut self, name: &str) {
        self.collection = name.to_owned();
    }

    /// The next request to send, or `None` when the walk is over. Calling it again before
    /// [`Pager::handle_response`] returns the same request (a retry of the page).
    pub fn next_request(&mut self) -> Result<Option<Request>, Error> {
        match self.state {
            State::Done => return Ok(None),
            State::Truncated => return Err(truncated()),
            State::Ready | State::AwaitingResponse => {}
        }
        let mut query = self.query.clone();
        if let Some(h) = &self.history {
            query.push("since", rfc3339(h.window.0));
            query.push("until", rfc3339(h.window.1));
            if !h.fits {
                query.push("total", "true");
            }
        }
        match self.scheme {
            Scheme::Classic => {
                if self.offset >= OFFSET_CAP {
                    self.state = State::Truncated;
                    return Err(truncated());
                }
                let room = OFFSET_CAP - self.offset;
                let limit = u64::from(self.limit).min(room);
                query.push("limit", limit.to_string());
                query.push("offset", self.offset.to_string());
            }
            Scheme::Cursor => {
                query.push("limit", self.limit.to_string());
                if let Some(c) = &self.cursor {
                    query.push("cursor", c.clone());
                }
            }
        }
        let request = self
            .rest
            .call(Method::Get, &self.path)
            .query(&query)
            .build()?;
        self.state = State::AwaitingResponse;
        Ok(Some(request))
    }

    /// Reads the response to the last request: the page, or the error it stands for. After an
    /// error the pager is ready to send the same page again.
    pub fn handle_response(&mut self, response: Response) -> Result<Page, Error> {
        if self.state != State::AwaitingResponse {
            return Err(Error::invalid(
                "pager",
                "handle_response called without a request from next_request",
            ));
        }
        self.state = State::Ready;
        check_status(&response)?;
        let page = Page::parse(response, &self.collection)?;
        if self.scheme == Scheme::Classic && page.more && page.is_empty() {
            return Err(page.error(
                page.body.as_bytes(),
                "the page says more items follow but holds none",
            ));
        }
        if self.history.is_some() {
            return self.history_page(page);
        }
        self.advance(page.len(), page.more, page.next_cursor.as_deref());
        Ok(page)
    }

    /// A page of a history walk: a window too large is split (its page dropped), a page of a
    /// window that fits is handed out without ids seen before, and the walk moves on.
    fn history_page(&mut self, mut page: Page) -> Result<Page, Error> {
        let h = self.history.as_mut().expect("a history walk");
        if !h.fits {
            let total = page.total.ok_or_else(|| {
                page.error(b"", "the answer has no total (asked with total=true)")
            })?;
            if total > OFFSET_CAP {
                let (start, end) = h.window;
                if end - start <= 1 {
                    self.state = State::Truncated;
                    return Err(Error::Truncated(format!(
                        "{total} records in the one second from {}: more than PagerDuty's {OFFSET_CAP}-record cap lets a walk reach",
                        rfc3339(start)
                    )));
                }
                let middle = start + (end - start) / 2;
                h.later.push((middle, end));
                h.window = (start, middle);
                self.offset = 0;
                page.retain(|_| false);
                return Ok(page);
            }
            h.fits = true;
        }
        let seen = &mut h.seen;
        page.retain(|item| match item_id(item) {
            Some(id) => seen.insert(id),
            None => true,
        });
        self.offset += page.received as u64;
        if !page.more {
            match h.later.pop() {
                Some(next) => {
                    h.window = next;
                    h.fits = false;
                    self.offset = 0;
                }
                None => self.state = State::Done,
            }
        } else if self.offset >= OFFSET_CAP {
            // The total said it fits: the server's count moved (records came in). Never silent.
            self.state = State::Truncated;
        }
        Ok(page)
    }

    /// Where the walk goes after a page of `received` items (`more` and `next_cursor` as the
    /// page said).
    fn advance(&mut self, received: usize, more: bool, next_cursor: Option<&str>) {
        match self.scheme {
            Scheme::Classic => {
                self.offset += received as u64;
                if !more {
                    self.state = State::Done;
                } else if self.offset >= OFFSET_CAP {
                    self.state = State::Truncated;
                }
            }
            Scheme::Cursor => match next_cursor {
                Some(c) if !c.is_empty() => self.cursor = Some(c.to_owned()),
                _ => self.state = State::Done,
            },
        }
    }

    /// For a binding that has parsed the page's body itself (JavaScript's `JSON.parse`, the one
    /// full parse of it there): the key of the items array in the page's [`Outline`], when the
    /// outline alone shows the page to be a good one. `None` when only the body can tell (an
    /// error status, a field of the wrong type, no items array, `more` with no items): then the
    /// binding hands the whole response to [`Pager::handle_response`], which decides as it
    /// always does. Changes nothing.
    pub fn outline_items<'o>(&self, status: u16, outline: &'o Outline) -> Option<&'o str> {
        // A history walk reads each page's total and ids: the whole page, always.
        if self.state != State::AwaitingResponse
            || !(200..300).contains(&status)
            || self.history.is_some()
        {
            return None;
        }
        let mut items = None;
        let mut arrays = Vec::new();
        for (key, value) in &outline.0 {
            match (key.as_str(), value) {
                ("more", Top::Bool(_) | Top::Null) => {}
                ("next_cursor", Top::String(_) | Top::Null) => {}
                ("offset" | "limit" | "total", _) => {}
                ("more" | "next_cursor", _) => return None,
                (k, Top::Array(n)) if k == self.collection => items = Some((k, *n)),
                (k, _) if k == self.collection => return None,
                (k, Top::Array(n)) => arrays.push((k, *n)),
                _ => {}
            }
        }
        let (key, n) = match (items, arrays.as_slice()) {
            (Some(found), _) => found,
            (None, [one]) => *one,
            _ => return None,
        };
        (self.scheme == Scheme::Cursor || n > 0 || !outline.more()).then_some(key)
    }

    /// Reads a good page from its [`Outline`] (see [`Pager::outline_items`], which must have
    /// named its items array), for the response it came in (its body may be left empty: the
    /// binding holds it). Advances the walk exactly as [`Pager::handle_response`] would.
    pub fn handle_outline(&mut self, response: &Response, outline: &Outline) -> Result<(), Error> {
        let Some(key) = self.outline_items(response.status, outline) else {
            return Err(Error::invalid(
                "pager",
                "handle_outline called for a page its outline does not show to be good",
            ));
        };
        let received = outline.get(key).map_or(0, |v| match v {
            Top::Array(n) => *n,
            _ => 0,
        });
        self.state = State::Ready;
        let cursor = match outline.get("next_cursor") {
            Some(Top::String(c)) => Some(c.clone()),
            _ => None,
        };
        self.advance(received, outline.more(), cursor.as_deref());
        Ok(())
    }

    /// True once a classic walk stopped at PagerDuty's 10,000 cap with items left over:
    /// narrow the filters (a shorter `since`/`until` window) to see the rest.
    pub fn truncated(&self) -> bool {
        self.state == State::Truncated
    }

    /// True once the walk is over (finished or truncated).
    pub fn is_done(&self) -> bool {
        matches!(self.state, State::Done | State::Truncated)
    }
}

/// Seconds since the epoch of an ISO 8601 date and time (`field` names it in the error).
fn unix_seconds(field: &str, value: &str) -> Result<i64, Error> {
    crate::timestamp::check_date_time(field, value)?;
    let seconds = crate::timestamp::unix_seconds(value)
        .ok_or_else(|| Error::invalid(field, "is not a date and time"))?;
    // The walk sends its windows as RFC 3339, which writes years 0 to 9999 only: a time outside
    // would go out as an empty `since=` / `until=`, a walk of some other window.
    if rfc3339(seconds).is_empty() {
        return Err(Error::invalid(
            field,
            format!("{value:?} is outside the years 0000 to 9999 (in UTC)"),
        ));
    }
    Ok(seconds)
}

/// `2026-11-30T04:33:00Z`.
fn rfc3339(seconds: i64) -> String {
    crate::timestamp::rfc3339(seconds)
}

/// An item's `id`, read without parsing the rest of it into values (`None` when the item is
/// not an object with at most one `id`, a string or null).
fn item_id(item: &str) -> Option<String> {
    let mut members = Members::open(item.as_bytes(), "struct Id").ok()?;
    let (mut id, mut seen) = (None, false);
    while let Some(key) = members.next_key().ok()? {
        if key == "id" {
            if seen {
                return None;
            }
            seen = true;
            id = members.optional_string().ok()?;
        } else {
            members.skip().ok()?;
        }
    }
    members.close().ok()?;
    id
}

/// The end of a walk cut short by the cap: never a silent end, so that no binding's iterator
/// can stop at 10,000 records without saying so.
fn truncated() -> Error {
    Error::Truncated(format!(
        "the list stopped at PagerDuty's {OFFSET_CAP}-record offset cap with records left over; \
         narrow the filters (a shorter since/until window) to see the rest"
    ))
}

/// The key of the array in a list response: the last literal segment of the path.
pub fn collection_name(path: &str) -> String {
    path.split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_owned()
}

/// The top level of a page's body as a binding that parsed it itself describes it: each key
/// in order with its value, arrays by their length and objects without their content. What
/// [`Pager::outline_items`] and [`Pager::handle_outline`] read; the JSON form (see
/// [`Outline::from_json`]) is a flat array `[key, value, key, value, ...]` where an array
/// value is written as `[length]` and an object as `{}`:
/// `["incidents", [100], "limit", 100, "offset", 0, "more", true, "total", null]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outline(pub Vec<(String, Top)>);

/// One top-level value in an [`Outline`].
#[derive(Debug, Clone, PartialEq)]
pub enum Top {
    /// An array of this many items.
    Array(usize),
    /// An object (its content is not needed).
    Object,
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A number (its value is not needed).
    Number,
    /// A string.
    String(String),
}

impl Outline {
    /// Reads the JSON form; `None` if it is not one.
    pub fn from_json(text: &str) -> Option<Outline> {
        let Ok(Value::Array(flat)) = json_text::parse(text.as_bytes()) else {
            return None;
        };
        if flat.len() % 2 != 0 {
            return None;
        }
        let mut pairs = Vec::with_capacity(flat.len() / 2);
        let mut it = flat.into_iter();
        while let (Some(k), Some(v)) = (it.next(), it.next()) {
            let serde_json::Value::String(k) = k else {
                return None;
            };
            let v = match v {
                serde_json::Value::Array(a) => match a.as_slice() {
                    [n] => Top::Array(usize::try_from(n.as_u64()?).ok()?),
                    _ => return None,
                },
                serde_json::Value::Object(_) => Top::Object,
                serde_json::Value::Bool(b) => Top::Bool(b),
                serde_json::Value::Null => Top::Null,
                serde_json::Value::Number(_) => Top::Number,
                serde_json::Value::String(s) => Top::String(s),
            };
            pairs.push((k, v));
        }
        Some(Outline(pairs))
    }

    /// The value of `key` (the last, as a JSON parser keeps it).
    pub fn get(&self, key: &str) -> Option<&Top> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn more(&self) -> bool {
        matches!(self.get("more"), Some(Top::Bool(true)))
    }
}

/// One page of a list: the body it came in, and where each item is in it.
#[derive(Clone)]
pub struct Page {
    body: String,
    items: Vec<Range<usize>>,
    array: Option<Range<usize>>,
    /// `more` (classic); false when absent.
    pub more: bool,
    /// `offset` as PagerDuty echoed it.
    pub offset: Option<u64>,
    /// `limit` as PagerDuty echoed it.
    pub limit: Option<u64>,
    /// `total`, when `total=true` was asked for.
    pub total: Option<u64>,
    /// `next_cursor` (cursor scheme).
    pub next_cursor: Option<String>,
    /// The response's `x-request-id`.
    pub request_id: Option<String>,
    status: u16,
    /// Items the page came with (before a history walk dropped any).
    received: usize,
    /// The body is no longer the response's: the array of the items kept.
    rebuilt: bool,
}

impl fmt::Debug for Page {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Page")
            .field("items", &self.items.len())
            .field("more", &self.more)
            .field("offset", &self.offset)
            .field("total", &self.total)
            .field("next_cursor", &self.next_cursor)
            .finish()
    }
}

impl Page {
    /// Parses a list response in one pass. `collection` names the array (`incidents`); when
    /// the body has no such key, its one top-level array is used.
    pub fn parse(response: Response, collection: &str) -> Result<Page, Error> {
        let request_id = response.request_id().map(str::to_owned);
        let status = response.status;
        let body = match String::from_utf8(response.body) {
            Ok(s) => s,
            Err(e) => {
                return Err(Error::decoding(
                    Some(status),
                    e.as_bytes(),
                    request_id.as_deref(),
                    "the body is not UTF-8",
                ));
            }
        };
        let decode_err = |body: &str, reason: String| {
            Error::decoding(Some(status), body.as_bytes(), request_id.as_deref(), reason)
        };
        let (items, array, meta) = {
            let raw = read_page(&body, collection).map_err(|e| decode_err(&body, e.to_string()))?;
            let items: Vec<Range<usize>> = match raw.items {
                Some((_, items)) => items,
                None => match raw.fallback {
                    Some((arr, _)) => json_text::elements(&body.as_bytes()[arr.clone()])
                        .map_err(|e| decode_err(&body, e.to_string()))?
                        .into_iter()
                        .map(|r| arr.start + r.start..arr.start + r.end)
                        .collect(),
                    None => {
                        return Err(decode_err(
                            &body,
                            format!("expected a list page with a \"{collection}\" array"),
                        ))
                    }
                },
            };
            if items.iter().any(|r| too_deep(&body.as_bytes()[r.clone()])) {
                return Err(decode_err(
                    &body,
                    format!("an item nests deeper than {MAX_DEPTH} levels"),
                ));
            }
            let array = array_range(&body, &items);
            (items, array, raw.meta)
        };
        let received = items.len();
        Ok(Page {
            body,
            items,
            array,
            more: meta.more,
            offset: meta.offset,
            limit: meta.limit,
            total: meta.total,
            next_cursor: meta.next_cursor,
            status,
            request_id,
            received,
            rebuilt: false,
        })
    }

    /// Keeps the items `keep` says yes to; when any is dropped, the body becomes the array of
    /// those kept (so that [`Page::items_json`] and the ranges stay true).
    fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        let kept: Vec<Range<usize>> = self
            .items
            .iter()
            .filter(|r| keep(&self.body[(*r).clone()]))
            .cloned()
            .collect();
        if kept.len() == self.items.len() {
            return;
        }
        let mut body = String::with_capacity(self.body.len());
        body.push('[');
        let mut items = Vec::with_capacity(kept.len());
        for (n, r) in kept.iter().enumerate() {
            if n > 0 {
                body.push(',');
            }
            let start = body.len();
            body.push_str(&self.body[r.clone()]);
            items.push(start..body.len());
        }
        body.push(']');
        self.array = Some(0..body.len());
        self.body = body;
        self.items = items;
        self.rebuilt = true;
    }

    fn error(&self, text: &[u8], reason: impl fmt::Display) -> Error {
        Error::decoding(Some(self.status), text, self.request_id.as_deref(), reason)
    }

    /// Number of items on this page.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when the page holds no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The JSON text of item `i`.
    pub fn item(&self, i: usize) -> Option<&str> {
        self.items.get(i).map(|r| &self.body[r.clone()])
    }

    /// The JSON text of each item, in order.
    pub fn items(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.items.iter().map(|r| &self.body[r.clone()])
    }

    /// The JSON text of the whole array (`[...]`), for a binding to hand over in one piece.
    pub fn items_json(&self) -> &str {
        match &self.array {
            Some(r) => &self.body[r.clone()],
            None => "[]",
        }
    }

    /// The items deserialized as `T`.
    pub fn deserialize<T: DeserializeOwned>(&self) -> Result<Vec<T>, Error> {
        self.items()
            .map(|s| serde_json::from_slice(s.as_bytes()).map_err(|e| self.error(s.as_bytes(), e)))
            .collect()
    }

    /// The whole response body (for a page a history walk thinned, the array of the items
    /// kept).
    pub fn body(&self) -> &str {
        &self.body
    }

    /// Where [`Page::items_json`] lies in the response body, in bytes: a binding that still
    /// holds the body can hand that slice on without a copy. `None` when the page had no array,
    /// or when a history walk dropped items from it: then use [`Page::items_json`].
    pub fn items_range(&self) -> Option<std::ops::Range<usize>> {
        if self.rebuilt {
            return None;
        }
        self.array.clone()
    }
}

/// The page's counters and cursor, which borrow nothing from the body.
#[derive(Default)]
struct Meta {
    more: bool,
    offset: Option<u64>,
    limit: Option<u64>,
    total: Option<u64>,
    next_cursor: Option<String>,
}

/// Where a page's array and its items lie, and its counters.
#[derive(Default)]
struct RawPage {
    /// The collection's array and its items.
    items: Option<(Range<usize>, Vec<Range<usize>>)>,
    /// The one other top-level array (used when the collection's is missing).
    fallback: Option<(Range<usize>, Vec<Range<usize>>)>,
    meta: Meta,
}

/// Reads a page in one pass, as serde_json read it with a map visitor: the counters as
/// `Option<bool>`, lenient numbers and `Option<String>`, the collection's items and every other
/// value skipped as raw text (checked, never built into a tree), the first problem in the text
/// named with serde_json's message.
fn read_page(body: &str, collection: &str) -> Result<RawPage, SyntaxError> {
    let mut members = Members::open(body.as_bytes(), "a list page object")?;
    let mut page = RawPage::default();
    let mut arrays = 0;
    while let Some(key) = members.next_key()? {
        match key.as_str() {
            "more" => page.meta.more = members.optional_bool()?.unwrap_or(false),
            "offset" => page.meta.offset = lenient(&members.value()?),
            "limit" => page.meta.limit = lenient(&members.value()?),
            "total" => page.meta.total = lenient(&members.value()?),
            "next_cursor" => page.meta.next_cursor = members.optional_string()?,
            k if k == collection && page.items.is_none() => {
                page.items = Some(members.elements("an array of items")?);
            }
            _ => {
                let raw = members.skip()?;
                if body.as_bytes()[raw.start] == b'[' {
                    arrays += 1;
                    page.fallback = Some((raw, Vec::new()));
                }
            }
        }
    }
    members.close()?;
    if arrays != 1 {
        page.fallback = None;
    }
    Ok(page)
}

/// The deepest nesting an item may have: serde_json's own limit, so that every binding's JSON
/// parser (Python's recursive one included) can read what a page hands on. Items are skipped
/// as raw text, which has no such limit of its own.
pub const MAX_DEPTH: usize = 128;

/// Whether `item` (valid JSON) nests deeper than [`MAX_DEPTH`]. Cheap for real items: fewer
/// opening brackets than the limit cannot nest deeper, and that count is one vectorized pass.
fn too_deep(item: &[u8]) -> bool {
    let opens = item.iter().filter(|&&b| b == b'[' || b == b'{').count();
    if opens <= MAX_DEPTH {
        return false;
    }
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in item {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// The span of the `[...]` around the items: between the brackets and the items there is only
/// white space, so it is found by stepping out from the first and last item.
fn array_range(body: &str, items: &[Range<usize>]) -> Option<Range<usize>> {
    let bytes = body.as_bytes();
    let first = items.first()?.start;
    let last = items.last()?.end;
    let open = bytes[..first]
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())?;
    let close = last
        + bytes[last..]
            .iter()
            .position(|b| !b.is_ascii_whitespace())?;
    (bytes[open] == b'[' && bytes[close] == b']').then(|| open..close + 1)
}

/// A count that tolerates `null`, a string of digits, or a float with no fraction.
fn lenient(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::item_id;

    /// What the derived `struct Id { id: Option<String> }` read from an item.
    #[test]
    fn item_ids() {
        assert_eq!(item_id(r#"{"id":"P1","x":[1e400]}"#).as_deref(), Some("P1"));
        assert_eq!(
            item_id(r#"{"x":{"id":"no"}, "id" : "P\u0032"}"#).as_deref(),
            Some("P2")
        );
        assert_eq!(item_id(r#"{"id":null}"#), None);
        assert_eq!(item_id(r#"{"id":5}"#), None);
        assert_eq!(item_id(r#"{"id":"a","id":"b"}"#), None);
        assert_eq!(item_id(r#"{}"#), None);
        assert_eq!(item_id("5"), None);
        assert_eq!(item_id(r#"{"id":"P1""#), None);
        for item in [
            r#"{"id":"P1","x":[1e400]}"#,
            r#"{"id":"a","id":"b"}"#,
            r#"{"id":5}"#,
        ] {
            #[derive(serde::Deserialize)]
            struct Id {
                id: Option<String>,
            }
            let serde = serde_json::from_str::<Id>(item).ok().and_then(|i| i.id);
            assert_eq!(item_id(item), serde, "{item}");
        }
    }
}
