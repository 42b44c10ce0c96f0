//! Webhooks v3: the published go-pagerduty vector, our own vectors, rotation, malformed headers.

use hmac::{Hmac, Mac};
use pagerduty_core::webhook::{parse_event, WebhookVerifier};

// From PagerDuty/go-pagerduty webhookv3/webhookv3_test.go (data, not code).
const GO_SECRET: &str = "lDQHScfUeXUKaQRNF+8XIiDKZ7XX3itBAYzwU0TARw8lJqRnkKl2iB1anSb0Z+IK";
const GO_BODY: &str = r#"{"event":{"id":"01BWDWL3NYY7LUFPZCC28QUCMK","event_type":"incident.priority_updated","resource_type":"incident","occurred_at":"2021-04-26T17:36:27.458Z","agent":{"html_url":"https://acme.pagerduty.com/users/PLH1HKV","id":"PLH1HKV","self":"https://api.pagerduty.com/users/PLH1HKV","summary":"Tenex Engineer","type":"user_reference"},"client":null,"data":{"id":"PGR0VU2","type":"incident","self":"https://api.pagerduty.com/incidents/PGR0VU2","html_url":"https://acme.pagerduty.com/incidents/PGR0VU2","number":2,"status":"triggered","title":"A little bump in the road","service":{"html_url":"https://acme.pagerduty.com/services/PF9KMXH","id":"PF9KMXH","self":"https://api.pagerduty.com/services/PF9KMXH","summary":"API Service","type":"service_reference"},"assignees":[{"html_url":"https://acme.pagerduty.com/users/PTUXL6G","id":"PTUXL6G","self":"https://api.pagerduty.com/users/PTUXL6G","summary":"User 123","type":"user_reference"}],"escalation_policy":{"html_url":"https://acme.pagerduty.com/escalation_policies/PUS0KTE","id":"PUS0KTE","self":"https://api.pagerduty.com/escalation_policies/PUS0KTE","summary":"Default","type":"escalation_policy_reference"},"teams":[{"html_url":"https://acme.pagerduty.com/teams/PFCVPS0","id":"PFCVPS0","self":"https://api.pagerduty.com/teams/PFCVPS0","summary":"Engineering","type":"team_reference"}],"priority":{"html_url":"https://acme.pagerduty.com/account/incident_priorities","id":"PSO75BM","self":"https://api.pagerduty.com/priorities/PSO75BM","summary":"P1","type":"priority_reference"},"urgency":"high","conference_bridge":{"conference_number":1000,"conference_url":"https://example.com"},"resolve_reason":null}}}"#;
const GO_VALID: &str = "v1=0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd";
const GO_MISMATCH: &str = "v1=7020c8a7ec668a9b7012bc3dd82e483394b038f4230acc6785efbf2a7d8bcaf5";

fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

#[test]
fn published_vector_verifies_and_parses() {
    let v = WebhookVerifier::new(&[GO_SECRET]).unwrap();
    let event = v.verify_and_parse(GO_VALID, GO_BODY.as_bytes()).unwrap();
    assert_eq!(event.id, "01BWDWL3NYY7LUFPZCC28QUCMK");
    assert_eq!(event.event_type, "incident.priority_updated");
    assert_eq!(event.resource_type, "incident");
    assert_eq!(event.occurred_at, "2021-04-26T17:36:27.458Z");
    assert_eq!(event.agent.as_ref().unwrap()["id"], "PLH1HKV");
    assert!(event.client.is_none());
    assert_eq!(event.data["title"], "A little bump in the road");
    assert_eq!(event.data["conference_bridge"]["conference_number"], 1000);
    // Our own HMAC agrees with the published signature.
    assert_eq!(sign(GO_SECRET, GO_BODY.as_bytes()), GO_VALID);
}

#[test]
fn published_mismatch_and_malformed_cases() {
    let v = WebhookVerifier::new(&[GO_SECRET]).unwrap();
    let err = v.verify(GO_MISMATCH, GO_BODY.as_bytes()).unwrap_err();
    assert_eq!(err.code(), "invalid_signature");
    assert_eq!(
        err.to_string(),
        "invalid webhook signature: no signature matched any of the secrets: the body was changed, or the secret is wrong"
    );
    assert_eq!(
        v.verify("", GO_BODY.as_bytes()).unwrap_err().to_string(),
        "invalid webhook signature: the X-PagerDuty-Signature header has no well-formed v1=<64 hex digits> entry"
    );
    // Valid signature, empty body: the signature is for another body.
    assert_eq!(
        v.verify(GO_VALID, b"").unwrap_err().code(),
        "invalid_signature"
    );
    // A body altered by one byte.
    let altered = GO_BODY.replace("bump", "Bump");
    assert!(v.verify(GO_VALID, altered.as_bytes()).is_err());
}

#[test]
fn any_one_entry_matching_is_enough_and_malformed_entries_are_skipped() {
    let body = br#"{"event":{"id":"E1","event_type":"incident.resolved","resource_type":"incident","occurred_at":"2026-11-23T16:00:00Z","agent":null,"client":null,"data":{}}}"#;
    let good = sign("s3cret", body);
    let v = WebhookVerifier::new(&["s3cret"]).unwrap();
    for header in [
        good.clone(),
        format!("v1=zz,{good}"),
        format!("v0=abcd, v1=1234 ,{good}"),
        format!("{GO_MISMATCH},{good}"),
        format!(
            "garbage,,=,v1=,{}",
            good.to_uppercase().replace("V1=", "v1=")
        ),
    ] {
        v.verify(&header, body)
            .unwrap_or_else(|e| panic!("{header}: {e}"));
    }
    assert!(v.verify("v2=abcd,v1=12", body).is_err());
}

#[test]
fn rotation_accepts_either_secret() {
    let body = br#"{"event":{"id":"E2","event_type":"service.updated","resource_type":"service","occurred_at":"2026-11-23T16:00:00Z","data":{"id":"PS1"},"new_field":1}}"#;
    let v = WebhookVerifier::new(&["old", "new"]).unwrap();
    let e = v.verify_and_parse(&sign("old", body), body).unwrap();
    assert_eq!(e.extra["new_field"], 1);
    v.verify(&sign("new", body), body).unwrap();
    // PagerDuty signs with both during a rotation; a receiver that knows only one still verifies.
    let both = format!("{},{}", sign("old", body), sign("new", body));
    WebhookVerifier::new(&["new"])
        .unwrap()
        .verify(&both, body)
        .unwrap();
    assert!(WebhookVerifier::new(&["other"])
        .unwrap()
        .verify(&both, body)
        .is_err());
}

#[test]
fn body_cap_and_construction() {
    let body = vec![b'x'; 2048];
    let v = WebhookVerifier::new(&["s"]).unwrap().with_max_body(1024);
    assert_eq!(
        v.verify(&sign("s", &body), &body).unwrap_err().to_string(),
        "invalid webhook signature: the body is 2048 bytes, over the limit of 1024 bytes"
    );
    assert_eq!(
        WebhookVerifier::new(&[]).unwrap_err().to_string(),
        "invalid secrets: needs at least one webhook secret"
    );
    assert!(!format!("{v:?}").contains("\"s\""));
}

#[test]
fn payloads_that_are_not_events() {
    for body in [&b""[..], b"{}", b"{\"event\":{}}", b"[1]", b"\xff\xfe"] {
        let err = parse_event(body).unwrap_err();
        assert_eq!(err.code(), "decode");
        assert!(
            err.to_string().contains("not a webhook v3 payload"),
            "{err}"
        );
    }
}
