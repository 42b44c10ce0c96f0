//! `RestClient` and `Pager`: REST API v2 requests as [`Exchange`]s.

use std::cell::RefCell;
use std::rc::Rc;

use pagerduty_core::bindings::options::ClientOptions;
use pagerduty_core::bindings::registry;
use pagerduty_core::http::{Method, Request};
use pagerduty_core::json_text;
use pagerduty_core::pagination::Pager as CorePager;
use pagerduty_core::query::Query;
use pagerduty_core::response_error::Api;
use pagerduty_core::rest::Rest;
use pagerduty_core::Error;
use wasm_bindgen::prelude::*;

use crate::boundary::{js, options, value};
use crate::exchange::{Budget, Exchange, Reader};
use pagerduty_core::oauth::SharedTokenSource;

/// A REST API v2 client: builds exchanges; the package drives them.
#[wasm_bindgen]
pub struct RestClient {
    rest: Rest,
    options: ClientOptions,
    source: Option<SharedTokenSource>,
    budget: Budget,
}

impl RestClient {
    fn exchange(&self, request: Request, reader: Reader) -> Exchange {
        let o = &self.options;
        let (source, budget) = (self.source.clone(), Some(self.budget.clone()));
        Exchange::authorized(request, Api::Rest, o, reader, source, budget)
    }
}

#[wasm_bindgen]
impl RestClient {
    /// `token`: a REST API key or OAuth token (`""` with the options' `oauth` client
    /// credentials); `options`: the core's options object.
    #[wasm_bindgen(constructor)]
    pub fn new(token: &str, options_obj: JsValue) -> Result<RestClient, JsValue> {
        let options = js(options(&options_obj))?;
        let rest = js(options.rest(token))?;
        let source = options.token_source();
        Ok(RestClient {
            rest,
            options,
            source,
            budget: Budget::default(),
        })
    }

    /// The last rate-limit budget a REST answer reported, as JSON text (`null` before any).
    #[wasm_bindgen(js_name = rateLimit)]
    pub fn rate_limit(&self) -> String {
        self.budget
            .get()
            .map_or_else(|| "null".to_owned(), |r| json_text::write(&r.to_json()))
    }

    /// Any request. `query` is an object (arrays become `name[]`); `body` any JSON value.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        query: JsValue,
        body: JsValue,
    ) -> Result<Exchange, JsValue> {
        let built = (|| -> Result<Request, Error> {
            let m = Method::from_arg(method)?;
            let q = Query::from_json(&value(&query, "query")?)?;
            let mut call = self.rest.call(m, path).query(&q);
            let body = value(&body, "body")?;
            if !body.is_null() {
                call = call.json_value(&body);
            }
            call.build()
        })();
        Ok(self.exchange(js(built)?, Reader::Json))
    }

    /// One of the core's typed operations by name (`get_incident`, ...) with its arguments.
    pub fn op(&self, name: &str, args: JsValue) -> Result<Exchange, JsValue> {
        let op = js(value(&args, "args").and_then(|a| registry::op(&self.rest, name, &a)))?;
        Ok(self.exchange(op.request.clone(), Reader::Op(op)))
    }

    /// A pager over a list endpoint (`/incidents`) with its query object.
    pub fn pager(&self, path: &str, query: JsValue) -> Result<Pager, JsValue> {
        let q = js(value(&query, "query").and_then(|v| Query::from_json(&v)))?;
        Ok(self.wrap(js(CorePager::new(&self.rest, path, q))?))
    }

    /// A whole history of a list endpoint past the 10,000-record cap (the core's
    /// `Pager::history`): `since` up to `until`, with the other filters in `query`.
    #[wasm_bindgen(js_name = historyPager)]
    pub fn history_pager(
        &self,
        path: &str,
        query: JsValue,
        since: &str,
        until: &str,
    ) -> Result<Pager, JsValue> {
        let q = js(value(&query, "query").and_then(|v| Query::from_json(&v)))?;
        Ok(self.wrap(js(CorePager::history(&self.rest, path, q, since, until))?))
    }

    /// A list operation by name (`list_incidents`, ...) with its filters, checked by the core.
    #[wasm_bindgen(js_name = pagerOp)]
    pub fn pager_op(&self, name: &str, args: JsValue) -> Result<Pager, JsValue> {
        let pager = js(value(&args, "args").and_then(|a| registry::pager(&self.rest, name, &a)))?;
        Ok(self.wrap(pager))
    }
}

impl RestClient {
    fn wrap(&self, pager: CorePager) -> Pager {
        Pager {
            pager: Rc::new(RefCell::new(pager)),
            options: self.options.clone(),
            source: self.source.clone(),
            budget: self.budget.clone(),
        }
    }
}

/// Pages of a list endpoint: each `next()` is the exchange for the next page (its result is the
/// page's items), or `undefined` when there are no more.
#[wasm_bindgen]
pub struct Pager {
    pager: Rc<RefCell<CorePager>>,
    options: ClientOptions,
    source: Option<SharedTokenSource>,
    budget: Budget,
}

#[wasm_bindgen]
impl Pager {
    /// The next page's exchange, or `undefined` at the end.
    pub fn next(&self) -> Result<Option<Exchange>, JsValue> {
        let request = js(self.pager.borrow_mut().next_request())?;
        let o = &self.options;
        Ok(request.map(|r| {
            let reader = Reader::Page(self.pager.clone());
            let (source, budget) = (self.source.clone(), Some(self.budget.clone()));
            Exchange::authorized(r, Api::Rest, o, reader, source, budget)
        }))
    }

    /// True when the listing stopped at PagerDuty's 10,000-record offset cap (narrow the
    /// filters, e.g. the since/until window, to see the rest).
    #[wasm_bindgen(getter)]
    pub fn truncated(&self) -> bool {
        self.pager.borrow().truncated()
    }
}
