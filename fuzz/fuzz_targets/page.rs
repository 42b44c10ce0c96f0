//! List pages: the one-pass parser, item slices, and the pager's state across pages.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pagerduty_core::credentials::RestToken;
use pagerduty_core::http::Response;
use pagerduty_core::pagination::{Page, Pager};
use pagerduty_core::query::Query;
use pagerduty_core::region::Endpoints;
use pagerduty_core::rest::Rest;
use serde_json::value::RawValue;

fuzz_target!(|data: &[u8]| {
    if let Ok(page) = Page::parse(Response::new(200, vec![], data.to_vec()), "incidents") {
        // Every item is one complete JSON value cut from the body, checked as serde_json checks
        // a raw value (syntax only: `1e400` and a lone `"\udc00"` are items, as they were
        // under the serde reader; tests/page_differential.rs), and not nested past the limit.
        for item in page.items() {
            assert!(serde_json::from_str::<&RawValue>(item).is_ok(), "{item:?}");
        }
        assert!(serde_json::from_str::<Vec<&RawValue>>(page.items_json()).is_ok());
    }
    let rest = Rest::new(
        RestToken::general_access("y_NbAkKc66ryYTWUXYEu").unwrap().into(),
        Endpoints::default(),
    );
    for path in ["/incidents", "/audit/records"] {
        let mut pager = Pager::new(&rest, path, Query::new()).unwrap();
        // Feed the same body a few times: the pager must end or keep asking, never panic.
        for _ in 0..3 {
            match pager.next_request() {
                Ok(Some(_)) => {
                    let _ = pager.handle_response(Response::new(200, vec![], data.to_vec()));
                }
                _ => break,
            }
        }
    }
});
