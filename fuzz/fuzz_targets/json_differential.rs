//! The core's JSON reader and writer against serde_json (issue 17): for any bytes,
//! `json_text::parse` and `serde_json::from_slice::<Value>` give the same value (number kinds
//! and float bits included) or the same message with the same line and column; `check` agrees
//! with `parse`; `skim` and `elements` agree with serde_json's raw-value skipping; the written
//! text of every value is serde_json's, byte for byte.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pagerduty_core::json_text;
use serde_json::value::RawValue;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let ours = json_text::parse(data).map_err(|e| e.to_string());
    let theirs = serde_json::from_slice::<Value>(data).map_err(|e| e.to_string());
    // serde_json reads an object whose first key is its private raw-value token as the text
    // in its string; json_text reads it as an ordinary object (see the differential test).
    if data
        .windows(30)
        .any(|w| w == b"$serde_json::private::RawValue")
    {
        return;
    }
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b, "{data:?}");
            let text = json_text::write(a);
            assert_eq!(text, serde_json::to_string(b).unwrap(), "{data:?}");
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "{data:?}"),
        _ => panic!("{data:?}: ours {ours:?}, serde_json {theirs:?}"),
    }
    assert_eq!(
        json_text::check(data).err().map(|e| e.to_string()),
        ours.err(),
        "{data:?}"
    );
    if let Ok(text) = std::str::from_utf8(data) {
        let skimmed = json_text::skim(data).map_err(|e| e.to_string());
        let raw = serde_json::from_str::<&RawValue>(text)
            .map(drop)
            .map_err(|e| e.to_string());
        assert_eq!(skimmed, raw, "{text:?}");
        let elements = json_text::elements(data).map_err(|e| e.to_string());
        let raws = serde_json::from_str::<Vec<&RawValue>>(text)
            .map(|items| {
                items
                    .iter()
                    .map(|i| {
                        let start = i.get().as_ptr() as usize - text.as_ptr() as usize;
                        start..start + i.get().len()
                    })
                    .collect::<Vec<_>>()
            })
            .map_err(|e| e.to_string());
        assert_eq!(elements, raws, "{text:?}");
    }
});
