//! Any REST target (path or URL), against a base with a path prefix: a request that builds is
//! always for the configured origin, under the base path (issue 11: `\\host/x`, `\t//host/x`,
//! `http:host/x` and friends sent the key to another server).
#![no_main]
use libfuzzer_sys::fuzz_target;
use pagerduty_core::credentials::RestToken;
use pagerduty_core::http::Method;
use pagerduty_core::region::Endpoints;
use pagerduty_core::rest::Rest;

fuzz_target!(|data: &[u8]| {
    let Ok(target) = std::str::from_utf8(data) else {
        return;
    };
    let token = RestToken::general_access("y_NbAkKc66ryYTWUXYEu").unwrap();
    for base in ["http://127.0.0.1:18090/pd", "https://api.pagerduty.com"] {
        let rest = Rest::new(token.clone().into(), Endpoints::custom(base).unwrap());
        let Ok(request) = rest.call(Method::Get, target).param("q", target).build() else {
            continue;
        };
        // Re-read the URL as a transport would (reqwest and fetch both use the URL standard).
        let sent = url::Url::parse(&request.url).expect("a built URL parses");
        let base = rest.endpoints().rest();
        assert_eq!(sent.scheme(), base.scheme(), "{target:?} -> {}", request.url);
        assert_eq!(sent.host_str(), base.host_str(), "{target:?} -> {}", request.url);
        assert_eq!(sent.port_or_known_default(), base.port_or_known_default());
        assert!(sent.path().starts_with(base.path()), "{target:?} -> {}", request.url);
        assert!(sent.username().is_empty() && sent.password().is_none());
        assert!(!sent.path().split('/').any(|s| s == ".." || s == "."));
    }
});
