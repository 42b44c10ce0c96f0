//! `Page::parse`, now read by `json_text::Members`, held against the serde_json page visitor it
//! replaced (issue 17), kept here as the oracle: for hand-made and seeded mutated pages, the
//! same items, counters and cursor, or the same message.

use pagerduty_core::http::Response;
use pagerduty_core::pagination::Page;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

// ---- The old reader (core/src/pagination.rs before json_text), unchanged but for names. ----

#[derive(Default, Debug, PartialEq)]
struct Meta {
    more: bool,
    offset: Option<u64>,
    limit: Option<u64>,
    total: Option<u64>,
    next_cursor: Option<String>,
}

struct RawPage<'de> {
    items: Option<Vec<&'de str>>,
    fallback: Option<&'de RawValue>,
    meta: Meta,
}

struct PageVisitor<'c> {
    collection: &'c str,
}

impl<'de> Visitor<'de> for PageVisitor<'_> {
    type Value = RawPage<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list page object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut page = RawPage {
            items: None,
            fallback: None,
            meta: Meta::default(),
        };
        let mut arrays = 0;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "more" => page.meta.more = map.next_value::<Option<bool>>()?.unwrap_or(false),
                "offset" => page.meta.offset = map.next_value::<Lenient>()?.0,
                "limit" => page.meta.limit = map.next_value::<Lenient>()?.0,
                "total" => page.meta.total = map.next_value::<Lenient>()?.0,
                "next_cursor" => page.meta.next_cursor = map.next_value::<Option<String>>()?,
                k if k == self.collection && page.items.is_none() => {
                    // One pass: each item is scanned for its end, never built into a tree.
                    page.items = Some(map.next_value_seed(ItemsSeed)?);
                }
                _ => {
                    let raw: &'de RawValue = map.next_value()?;
                    if raw.get().starts_with('[') {
                        arrays += 1;
                        page.fallback = Some(raw);
                    }
                }
            }
        }
        if arrays != 1 {
            page.fallback = None;
        }
        Ok(page)
    }
}

struct ItemsSeed;

impl<'de> DeserializeSeed<'de> for ItemsSeed {
    type Value = Vec<&'de str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(ItemsVisitor)
    }
}

struct ItemsVisitor;

impl<'de> Visitor<'de> for ItemsVisitor {
    type Value = Vec<&'de str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an array of items")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(100));
        while let Some(item) = seq.next_element::<&'de RawValue>()? {
            out.push(item.get());
        }
        Ok(out)
    }
}

struct Lenient(Option<u64>);

impl<'de> serde::Deserialize<'de> for Lenient {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Ok(Lenient(match v {
            serde_json::Value::Number(n) => n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                    .map(|f| f as u64)
            }),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }))
    }
}

/// What the old `Page::parse` gave: the items' texts and the counters, or the reason.
fn old_parse(body: &str, collection: &str) -> Result<(Vec<String>, Meta), String> {
    let mut de = serde_json::Deserializer::from_slice(body.as_bytes());
    let raw = (&mut de)
        .deserialize_map(PageVisitor { collection })
        .and_then(|r| de.end().map(|_| r))
        .map_err(|e| e.to_string())?;
    let items: Vec<String> = match raw.items {
        Some(items) => items.into_iter().map(str::to_owned).collect(),
        None => match raw.fallback {
            Some(arr) => serde_json::from_slice::<Vec<&RawValue>>(arr.get().as_bytes())
                .map_err(|e| e.to_string())?
                .into_iter()
                .map(|i| i.get().to_owned())
                .collect(),
            None => {
                return Err(format!(
                    "expected a list page with a \"{collection}\" array"
                ))
            }
        },
    };
    Ok((items, raw.meta))
}

fn new_parse(body: &str, collection: &str) -> Result<(Vec<String>, Meta), String> {
    match Page::parse(
        Response::new(200, vec![], body.as_bytes().to_vec()),
        collection,
    ) {
        Ok(p) => Ok((
            p.items().map(str::to_owned).collect(),
            Meta {
                more: p.more,
                offset: p.offset,
                limit: p.limit,
                total: p.total,
                next_cursor: p.next_cursor,
            },
        )),
        Err(e) => {
            let text = e.to_string();
            let start = text.find("(HTTP 200): ").expect("a decode error") + 12;
            let end = text.rfind("; body starts").unwrap_or(text.len());
            Err(text[start..end].to_owned())
        }
    }
}

fn same(body: &str) -> bool {
    let old = old_parse(body, "incidents");
    let new = new_parse(body, "incidents");
    // The item nesting check came after the old reader and is the same code now.
    if let Err(e) = &new {
        if e.contains("nests deeper than") {
            return old.is_ok();
        }
    }
    assert_eq!(new, old, "{body:?}");
    new.is_ok()
}

const PAGES: &[&str] = &[
    r#"{"incidents":[{"id":"P1","x":[1,{"a":"b"}]},{"id":"P2"}],"more":true,"offset":0,"limit":2,"total":null,"next_cursor":null}"#,
    r#"{"users":[{"id":"U1"}],"more":false,"limit":"25","offset":1.0}"#,
    r#"{"x":[1,2,3],"more":false}"#,
    r#"{"incidents":[],"more":null,"next_cursor":"abc"}"#,
    r#"{ "incidents" : [ { "id" : "\u0050" } , 1e5 , "s\n" , null , true , [ ] ] , "more" : false }"#,
    "{\n  \"incidents\": [\n    {\"id\": \"P1\"}\n  ],\n  \"total\": \" 7 \",\n  \"more\": true\n}",
    r#"{"incidents":[1e400,"\udc00",-0,{"a":[[[]]]}],"limit":1e30,"x":{"y":[1e999]}}"#,
];

const NOISE: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    ":",
    ",",
    "\"",
    "\\",
    " ",
    "\n",
    "0",
    "1",
    "-",
    "+",
    ".",
    "e",
    "E",
    "u",
    "t",
    "n",
    "f",
    "\\u",
    "\\ud800",
    "1e400",
    "null",
    "true",
    "\"more\"",
    "\"incidents\"",
    "\"next_cursor\"",
    "\"offset\"",
    "\"id\"",
    "\u{1}",
    "\u{e9}",
    "[1]",
    "{}",
    "\"x\"",
];

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

#[test]
fn pages_read_as_the_serde_visitor_read_them() {
    for page in PAGES {
        assert!(same(page), "{page}");
    }
    for refused in [
        r#"{"incidents":[],"limit":1e400}"#,
        r#"{"incidents":[],"x":{"y":[1,]}}"#,
    ] {
        assert!(!same(refused), "{refused}");
    }
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (mut ok, mut refused) = (0, 0);
    for _ in 0..20_000 {
        let mut chars: Vec<String> = PAGES[rng.below(PAGES.len())]
            .chars()
            .map(String::from)
            .collect();
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(chars.len() + 1);
            match rng.below(4) {
                0 => chars.truncate(at),
                1 if at < chars.len() => chars[at] = NOISE[rng.below(NOISE.len())].to_owned(),
                2 => chars.insert(at, NOISE[rng.below(NOISE.len())].to_owned()),
                _ if at < chars.len() => drop(chars.remove(at)),
                _ => {}
            }
        }
        if same(&chars.concat()) {
            ok += 1;
        } else {
            refused += 1;
        }
    }
    assert!(
        ok > 1_000 && refused > 10_000,
        "{ok} read, {refused} refused"
    );
}
