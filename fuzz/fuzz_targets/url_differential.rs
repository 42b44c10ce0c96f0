//! The core's URL parser against the `url` crate (issue 17): any input that ours accepts, the
//! URL standard reads as the same URL, part by part, with the same loopback answer; a join
//! onto a base agrees the same way.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pagerduty_core::region::is_loopback;
use pagerduty_core::url::{Host, Url};

fn same(input: &str, ours: &Url, theirs: &url::Url) {
    assert_eq!(ours.as_str(), theirs.as_str(), "{input:?}");
    assert_eq!(ours.scheme(), theirs.scheme(), "{input:?}");
    let host = theirs.host().map(|h| match h {
        url::Host::Domain(d) => Host::Domain(d),
        url::Host::Ipv4(ip) => Host::Ipv4(ip),
        url::Host::Ipv6(ip) => Host::Ipv6(ip),
    });
    assert_eq!(ours.host(), host, "{input:?}");
    assert_eq!(ours.port(), theirs.port(), "{input:?}");
    assert_eq!(ours.path(), theirs.path(), "{input:?}");
    assert_eq!(ours.query(), theirs.query(), "{input:?}");
    assert_eq!(ours.fragment(), theirs.fragment(), "{input:?}");
    assert!(theirs.username().is_empty() && theirs.password().is_none());
    let loopback = match theirs.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    assert_eq!(is_loopback(ours), loopback, "{input:?}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(ours) = Url::parse(input) {
        let theirs = url::Url::parse(input).expect("url accepts what ours accepts");
        same(input, &ours, &theirs);
    }
    for base in ["http://127.0.0.1:18090/pd/", "https://api.pagerduty.com/"] {
        let (ours, theirs) = (Url::parse(base).unwrap(), url::Url::parse(base).unwrap());
        if let Ok(joined) = ours.join(input) {
            let expected = theirs.join(input).expect("url joins what ours joins");
            same(input, &joined, &expected);
        }
    }
});
