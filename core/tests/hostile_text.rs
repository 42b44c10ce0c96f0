//! No panic on hostile text: the core's own URL parser, form decoder and timestamp reader (which
//! replaced the `url`, `form_urlencoded` and `time` crates) over many generated inputs built
//! from the pieces that break hand-written parsers: multi-byte UTF-8 where a byte index would
//! fall, lone `%`, brackets, colons, signs, long runs of digits, very long inputs.

use pagerduty_core::credentials::RestToken;
use pagerduty_core::http::Method;
use pagerduty_core::region::{is_loopback, Endpoints};
use pagerduty_core::rest::Rest;
use pagerduty_core::timestamp::check_date_time;
use pagerduty_core::url::{is_https, Url};

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

const URL_PIECES: &[&str] = &[
    "http",
    "https",
    "myapp",
    ":",
    "://",
    "//",
    "/",
    "\\",
    "@",
    "[",
    "]",
    "::",
    "::1",
    ":80",
    ":0",
    ":+1",
    ":99999",
    "?",
    "#",
    "%",
    "%2",
    "%2e",
    "%2E",
    "%2f",
    "%5c",
    "%00",
    ".",
    "..",
    ";",
    "localhost",
    "127.0.0.1",
    "0x7f",
    "1",
    "0",
    "\u{e9}",
    "\u{1f600}",
    "\u{3000}",
    "\u{ff0f}",
    "\u{200b}",
    "\u{85}",
    " ",
    "\t",
    "xn--",
    "-",
    "_",
    "a",
    "Z",
    "9999999999999999999999",
];

const TIME_PIECES: &[&str] = &[
    "2026",
    "-",
    "+",
    "11",
    "30",
    "T",
    "W",
    "Z",
    ":",
    ".",
    ",",
    "0",
    "9",
    "99",
    "000000",
    "999999",
    "+999999",
    "-999999",
    "60",
    "23",
    "59",
    "25",
    "\u{e9}",
    "\u{1f600}",
    "999999999999999999999",
    "t",
    " ",
];

fn text(rng: &mut Rng, pieces: &[&str], max: usize) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(max) {
        s.push_str(pieces[rng.below(pieces.len())]);
    }
    s
}

#[test]
fn urls_never_panic() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let token = RestToken::general_access("y_NbAkKc66ryYTWUXYEu").unwrap();
    let rests: Vec<Rest> = ["http://127.0.0.1:18090/pd", "https://api.pagerduty.com"]
        .iter()
        .map(|b| Rest::new(token.clone().into(), Endpoints::custom(b).unwrap()))
        .collect();
    for i in 0..60_000 {
        let max = if i % 100 == 0 { 400 } else { 14 };
        let s = text(&mut rng, URL_PIECES, max);
        let rel = text(&mut rng, URL_PIECES, 6);
        is_https(&s);
        let _ = Endpoints::parse(&s);
        for rest in &rests {
            let _ = rest.call(Method::Get, &s).param(&rel, &s).build();
        }
        if let Ok(u) = Url::parse(&s) {
            let _ = (
                u.host(),
                u.host_str(),
                u.port_or_known_default(),
                is_loopback(&u),
            );
            let _ = (u.path(), u.query(), u.fragment());
            if let Ok(j) = u.join(&rel) {
                // What the parser writes, it reads back as the same URL.
                assert_eq!(Url::parse(j.as_str()).as_ref(), Ok(&j), "{s:?} + {rel:?}");
            }
            let mut q = u.clone().with_trailing_slash();
            q.append_query_pairs([(rel.as_str(), s.as_str())]);
            assert_eq!(Url::parse(q.as_str()).as_ref(), Ok(&q), "{s:?} + {rel:?}");
            assert_eq!(Url::parse(u.as_str()).as_ref(), Ok(&u), "{s:?}");
        }
    }
}

#[test]
fn timestamps_and_forms_never_panic() {
    let mut rng = Rng(0x0DDB_A115_7EA5_E001);
    for i in 0..100_000 {
        let max = if i % 100 == 0 { 200 } else { 12 };
        let s = text(&mut rng, TIME_PIECES, max);
        let _ = check_date_time("t", &s);
        let bytes: Vec<u8> = (0..rng.below(24)).map(|_| rng.next() as u8).collect();
        let pairs = pagerduty_core::form::parse(&bytes);
        let _ = pagerduty_core::form::encode(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    }
}
