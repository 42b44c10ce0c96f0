//! OAuth for user apps (authorization code + PKCE) as plain JSON, for every binding (the C
//! ABI's `pd_oauth`, the JavaScript package's `oauth*` functions, Python's `oauth_*`): one
//! definition of the spec objects over [`crate::oauth`]'s helpers.
//!
//! A spec is an object with an `"action"`:
//! - `"pkce"` → `{"verifier", "challenge"}` from the binding's random bytes (32 to 96, from a
//!   CSPRNG: the binding draws them, the caller passes nothing else);
//! - `"challenge"` (`verifier`) → `{"challenge"}`: the S256 challenge of a verifier;
//! - `"authorize_url"` (`client_id`, `redirect_uri`, `scopes`, `state`, `challenge`) → `{"url"}`;
//! - `"code_exchange"` (`client_id`, `client_secret`?, `code`, `redirect_uri`, `verifier`) and
//!   `"refresh"` (`client_id`, `client_secret`?, `refresh_token`) → the token request as
//!   `{"method", "url", "headers": [[name, value], ...], "body"}` (it holds secrets: never log
//!   it);
//! - `"parse_token"` (`status`, `headers`?, `body`, `scopes`?: those asked for, `request`?: the
//!   token request sent, whose secrets are scrubbed from a refusal) →
//!   `{"access_token", "token_type", "expires_in", "scope", "refresh_token"}`, or the typed error
//!   (`scope_not_granted` naming the scopes dropped, `unauthorized`, `decode`, ...).
//!
//! Every action but `pkce`, `challenge` and `parse_token` also takes `region` (`"us"`, `"eu"`)
//! or `identity_url` (a simulator's base URL; wins over `region`). Unknown keys are refused.
//! Errors name the field and never quote a secret (`client_secret`, `code`, `verifier`,
//! `refresh_token`, tokens).

use serde_json::Value;

use crate::bindings::plain::headers_from_json;
use crate::error::Error;
use crate::http::{Request, Response};
use crate::oauth::{
    authorize_url, code_exchange_request, identity_base, parse_token_response, pkce_challenge,
    pkce_verifier, refresh_token_request, RefreshToken,
};
use crate::region::Endpoints;
use crate::write_value::object;

/// The actions of a spec.
pub const ACTIONS: [&str; 6] = [
    "pkce",
    "challenge",
    "authorize_url",
    "code_exchange",
    "refresh",
    "parse_token",
];

/// The keys each action takes (`action` aside).
fn keys(action: &str) -> &'static [&'static str] {
    match action {
        "pkce" => &[],
        "challenge" => &["verifier"],
        "authorize_url" => &[
            "region",
            "identity_url",
            "client_id",
            "redirect_uri",
            "scopes",
            "state",
            "challenge",
        ],
        "code_exchange" => &[
            "region",
            "identity_url",
            "client_id",
            "client_secret",
            "code",
            "redirect_uri",
            "verifier",
        ],
        "refresh" => &[
            "region",
            "identity_url",
            "client_id",
            "client_secret",
            "refresh_token",
        ],
        _ => &["status", "headers", "body", "scopes", "request"],
    }
}

/// A required string; the error names the field and never quotes the value.
fn text<'a>(spec: &'a Value, k: &str) -> Result<&'a str, Error> {
    match spec.get(k) {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) => Err(Error::invalid(k, "is required (a string)")),
        Some(_) => Err(Error::invalid(k, "must be a string")),
    }
}

fn opt_text<'a>(spec: &'a Value, k: &str) -> Result<Option<&'a str>, Error> {
    match spec.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => text(spec, k).map(Some),
    }
}

/// A secret or an id: non-empty printable ASCII (the value is never quoted).
fn printable<'a>(spec: &'a Value, k: &str) -> Result<&'a str, Error> {
    let s = text(spec, k)?.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid(k, "must be non-empty printable ASCII"));
    }
    Ok(s)
}

/// A PKCE verifier as RFC 7636 §4.1 defines it: 43 to 128 of `A-Z a-z 0-9 - . _ ~`.
fn verifier<'a>(spec: &'a Value, k: &str) -> Result<&'a str, Error> {
    let v = text(spec, k)?;
    let ok = (43..=128).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    if !ok {
        return Err(Error::invalid(
            k,
            "must be a PKCE verifier: 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636)",
        ));
    }
    Ok(v)
}

fn redirect_uri(spec: &Value) -> Result<&str, Error> {
    let r = text(spec, "redirect_uri")?;
    crate::url::Url::parse(r)
        .map_err(|e| Error::invalid("redirect_uri", format!("is not a URL: {e}")))?;
    Ok(r)
}

/// `request`: the token request a `code_exchange` or `refresh` gave (`{"method", "url",
/// "headers", "body"}`), for the secrets its answer is scrubbed of.
fn sent_request(v: &Value) -> Result<Request, Error> {
    if !v.is_object() {
        return Err(Error::invalid(
            "request",
            "must be the token request object that was sent",
        ));
    }
    let headers = headers_from_json(v.get("headers").cloned().unwrap_or(Value::Null))
        .map_err(|e| Error::invalid("request.headers", e.to_string()))?;
    let body = match v.get("body") {
        Some(Value::String(b)) => b.clone(),
        _ => return Err(Error::invalid("request.body", "is required (a string)")),
    };
    Ok(Request {
        method: crate::http::Method::Post,
        url: String::new(),
        headers,
        body: Some(body),
        timeout: None,
    })
}

/// `scopes`: an array of strings or one space-separated string; absent = none.
fn scopes(spec: &Value) -> Result<Vec<String>, Error> {
    let out: Vec<String> = match spec.get("scopes") {
        None | Some(Value::Null) => vec![],
        Some(Value::String(s)) => s.split_whitespace().map(str::to_owned).collect(),
        Some(Value::Array(a)) => {
            let mut out = vec![];
            for v in a {
                let s = v.as_str().ok_or_else(|| {
                    Error::invalid("scopes", "must be strings (or one space-separated string)")
                })?;
                out.extend(s.split_whitespace().map(str::to_owned));
            }
            out
        }
        Some(_) => {
            return Err(Error::invalid(
                "scopes",
                "must be an array of strings or one space-separated string",
            ))
        }
    };
    Ok(out)
}

fn identity(spec: &Value) -> Result<crate::url::Url, Error> {
    let endpoints = match opt_text(spec, "identity_url")? {
        Some(u) => Endpoints::parse(u).map_err(|_| {
            Error::invalid(
                "identity_url",
                "must be an https:// base URL (http only on loopback)",
            )
        })?,
        None => Endpoints::parse(opt_text(spec, "region")?.unwrap_or("us")).map_err(|_| {
            Error::invalid("region", "must be \"us\" or \"eu\" (or give identity_url)")
        })?,
    };
    Ok(identity_base(&endpoints))
}

fn request_json(r: &Request) -> Value {
    crate::write_value::object([
        ("method", r.method.as_str().into()),
        ("url", r.url.as_str().into()),
        ("headers", crate::write_value::pairs(&r.headers)),
        ("body", r.body.as_deref().into()),
    ])
}

/// Does what `spec` asks (see the module docs). `random`: fresh bytes from a cryptographic
/// random source, 32 to 96 of them, read by `"pkce"` only.
pub fn oauth_json(spec: &Value, random: &[u8]) -> Result<Value, Error> {
    let Some(obj) = spec.as_object() else {
        return Err(Error::invalid(
            "spec",
            "must be an object: {\"action\": ..., ...}",
        ));
    };
    let action = match spec.get("action").and_then(Value::as_str) {
        Some(a) if ACTIONS.contains(&a) => a,
        _ => {
            return Err(Error::invalid(
                "action",
                format!("must be one of {}", ACTIONS.join(", ")),
            ))
        }
    };
    let allowed = keys(action);
    if let Some(k) = obj
        .keys()
        .find(|k| *k != "action" && !allowed.contains(&k.as_str()))
    {
        return Err(Error::invalid(
            k.as_str(),
            format!(
                "is not a key of action {action:?} (its keys are {})",
                if allowed.is_empty() {
                    "none".to_owned()
                } else {
                    allowed.join(", ")
                }
            ),
        ));
    }
    match action {
        "pkce" => {
            let v = pkce_verifier(random)?;
            Ok(object([
                ("challenge", pkce_challenge(&v).into()),
                ("verifier", v.into()),
            ]))
        }
        "challenge" => Ok(object([(
            "challenge",
            pkce_challenge(verifier(spec, "verifier")?).into(),
        )])),
        "authorize_url" => {
            let scopes = scopes(spec)?;
            let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
            let state = text(spec, "state")?;
            if state.is_empty() {
                return Err(Error::invalid(
                    "state",
                    "must not be empty (a value the app checks when the user comes back)",
                ));
            }
            let challenge = text(spec, "challenge")?;
            let ok = challenge.len() == 43
                && challenge
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !ok {
                return Err(Error::invalid(
                    "challenge",
                    "must be an S256 challenge: 43 base64url characters (from action \"pkce\")",
                ));
            }
            let url = authorize_url(
                &identity(spec)?,
                printable(spec, "client_id")?,
                redirect_uri(spec)?,
                &scopes,
                state,
                challenge,
            )?;
            Ok(object([("url", url.into())]))
        }
        "code_exchange" => {
            let secret = match opt_text(spec, "client_secret")? {
                Some(_) => Some(printable(spec, "client_secret")?),
                None => None,
            };
            let r = code_exchange_request(
                &identity(spec)?,
                printable(spec, "client_id")?,
                secret,
                printable(spec, "code")?,
                redirect_uri(spec)?,
                verifier(spec, "verifier")?,
            );
            Ok(request_json(&r))
        }
        "refresh" => {
            let secret = match opt_text(spec, "client_secret")? {
                Some(_) => Some(printable(spec, "client_secret")?),
                None => None,
            };
            let token = RefreshToken::new(text(spec, "refresh_token")?)?;
            let r = refresh_token_request(
                &identity(spec)?,
                printable(spec, "client_id")?,
                secret,
                &token,
            );
            Ok(request_json(&r))
        }
        _ => {
            let status = spec
                .get("status")
                .and_then(Value::as_u64)
                .filter(|s| (100..=599).contains(s))
                .ok_or_else(|| Error::invalid("status", "is required (an HTTP status, 100-599)"))?;
            let headers = headers_from_json(spec.get("headers").cloned().unwrap_or(Value::Null))?;
            let body = opt_text(spec, "body")?.unwrap_or("");
            let mut response = Response::new(status as u16, headers, body.as_bytes().to_vec());
            if let Some(sent) = spec.get("request").filter(|v| !v.is_null()) {
                // A refusal may quote the secrets the identity server was sent. A token answer
                // is left as it is: it may hand the same refresh token back (RFC 6749 §6), and
                // its errors (decode, scope_not_granted) never show its body.
                let secrets = sent_request(sent)?.secrets();
                if !response.is_success() {
                    response.redact(&secrets);
                }
            }
            let t = parse_token_response(&response, &scopes(spec)?)?;
            Ok(crate::write_value::object([
                ("access_token", t.access_token.expose().into()),
                ("token_type", "bearer".into()),
                ("expires_in", t.expires_in.as_secs_f64().into()),
                ("scope", crate::join(&t.scopes, " ").into()),
                (
                    "refresh_token",
                    t.refresh_token.as_ref().map(RefreshToken::expose).into(),
                ),
            ]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_text;
    use serde_json::json;

    const RFC_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const RFC_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    fn run(spec: Value) -> Result<Value, Error> {
        oauth_json(&spec, &[7; 32])
    }

    #[test]
    fn pkce_and_the_rfc_7636_example() {
        let p = run(json!({"action": "pkce"})).unwrap();
        let v = p["verifier"].as_str().unwrap();
        assert_eq!(v.len(), 43);
        assert_eq!(p["challenge"], pkce_challenge(v));
        let c = run(json!({"action": "challenge", "verifier": RFC_VERIFIER})).unwrap();
        assert_eq!(c["challenge"], RFC_CHALLENGE);
        assert_eq!(
            oauth_json(&json!({"action": "pkce"}), &[1; 8])
                .unwrap_err()
                .code(),
            "invalid_input"
        );
        let e = run(json!({"action": "pkce", "verifier": "x"})).unwrap_err();
        assert!(e.to_string().contains("verifier"), "{e}");
    }

    #[test]
    fn authorize_url_exchange_and_refresh() {
        let u = run(
            json!({"action": "authorize_url", "region": "eu", "client_id": "cid",
            "redirect_uri": "https://app.example/cb", "scopes": ["read", "write"],
            "state": "st", "challenge": RFC_CHALLENGE}),
        )
        .unwrap();
        assert_eq!(u["url"], format!("https://identity.eu.pagerduty.com/oauth/authorize?client_id=cid&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&scope=read+write&state=st&code_challenge={RFC_CHALLENGE}&code_challenge_method=S256"));
        let r = run(
            json!({"action": "code_exchange", "identity_url": "http://127.0.0.1:9/",
            "client_id": "cid", "client_secret": "sec-ret", "code": "the-code",
            "redirect_uri": "https://app.example/cb", "verifier": RFC_VERIFIER}),
        )
        .unwrap();
        assert_eq!(r["method"], "POST");
        assert_eq!(r["url"], "http://127.0.0.1:9/oauth/token");
        assert_eq!(r["body"], format!("grant_type=authorization_code&client_id=cid&code=the-code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier={RFC_VERIFIER}&client_secret=sec-ret"));
        let r = run(json!({"action": "refresh", "client_id": "cid", "refresh_token": "pdus+_r"}))
            .unwrap();
        assert_eq!(r["url"], "https://identity.pagerduty.com/oauth/token");
        assert_eq!(
            r["body"],
            "grant_type=refresh_token&client_id=cid&refresh_token=pdus%2B_r"
        );
    }

    #[test]
    fn parse_token_names_dropped_scopes() {
        let body = r#"{"access_token":"pdus+_user-tok","token_type":"Bearer","expires_in":86400,"refresh_token":"pdus+_ref","scope":"read"}"#;
        let t = run(json!({"action": "parse_token", "status": 200, "body": body,
            "scopes": "read"}))
        .unwrap();
        assert_eq!(
            t,
            json!({"access_token": "pdus+_user-tok", "token_type": "bearer",
                "expires_in": 86400.0, "scope": "read", "refresh_token": "pdus+_ref"})
        );
        let e = run(json!({"action": "parse_token", "status": 200, "body": body,
            "scopes": ["read", "write"]}))
        .unwrap_err();
        assert_eq!(e.code(), "scope_not_granted");
        assert!(e.to_string().contains("write"), "{e}");
        assert!(!e.to_string().contains("pdus+_"), "{e}");
    }

    #[test]
    fn an_answer_quoting_the_secrets_sent_is_scrubbed_given_the_request() {
        let refresh = run(json!({"action": "refresh", "client_id": "cid",
            "client_secret": "s3cr3t+value", "refresh_token": "pdus+_R3FR3SH"}))
        .unwrap();
        let code = run(json!({"action": "code_exchange", "client_id": "cid",
            "client_secret": "s3cr3t+value", "code": "C0DE-123456",
            "redirect_uri": "https://a.example/cb",
            "verifier": "v3rifier-v3rifier-v3rifier-v3rifier-v3rifier"}))
        .unwrap();
        // An identity server that echoes what it got, raw and form-encoded: in its error (which
        // becomes the message) or as a text body (which becomes the excerpt).
        let quoted = "refresh token pdus+_R3FR3SH / pdus%2B_R3FR3SH, secret s3cr3t+value / \
            s3cr3t%2Bvalue, code C0DE-123456, verifier v3rifier-v3rifier-v3rifier-v3rifier-v3rifier";
        let echoes = [
            json_text::write(&json!({"error": format!("invalid_grant: {quoted}")})),
            format!("bad request: {quoted}"),
        ];
        let secrets = ["R3FR3SH", "s3cr3t", "C0DE-123456", "v3rifier-v3rifier"];
        let parse = |echo: &str, request: Value| {
            let e = run(json!({"action": "parse_token", "status": 400, "body": echo,
                "request": request}))
            .unwrap_err();
            format!("{e} {}", json_text::write(&crate::bindings::details(&e)))
        };
        for echo in &echoes {
            // Without the request the core cannot know what to scrub.
            let bare = parse(echo, Value::Null);
            assert!(bare.contains("R3FR3SH"), "{bare}");
            for sent in [&refresh, &code] {
                let told = parse(echo, sent.clone());
                assert!(told.contains("<redacted>"), "{told}");
                let body = sent["body"].as_str().unwrap();
                let leaked: Vec<_> = secrets
                    .iter()
                    .filter(|s| told.contains(*s) && body.contains(*s))
                    .collect();
                assert!(leaked.is_empty(), "{leaked:?} in {told}");
            }
        }
        // A token answer that hands the same refresh token back keeps it.
        let answer =
            r#"{"access_token":"pdus+_new","token_type":"bearer","refresh_token":"pdus+_R3FR3SH"}"#;
        let t = run(
            json!({"action": "parse_token", "status": 200, "body": answer,
            "request": refresh}),
        )
        .unwrap();
        assert_eq!(t["refresh_token"], "pdus+_R3FR3SH");
        let e = run(json!({"action": "parse_token", "status": 400, "body": "{}",
            "request": {"headers": []}}))
        .unwrap_err();
        assert!(e.to_string().contains("request.body"), "{e}");
    }

    #[test]
    fn errors_name_the_field_and_never_a_secret() {
        let base = json!({"action": "code_exchange", "client_id": "cid",
            "client_secret": "sec ret", "code": "co de", "redirect_uri": "https://a.example/",
            "verifier": "short-verifier"});
        let e = run(base.clone()).unwrap_err();
        assert!(e.to_string().contains("client_secret"), "{e}");
        let mut b = base.clone();
        b["client_secret"] = json!("sec-ret");
        let e = run(b.clone()).unwrap_err();
        assert!(e.to_string().contains("code"), "{e}");
        b["code"] = json!("co-de");
        let e = run(b).unwrap_err();
        assert!(e.to_string().contains("verifier"), "{e}");
        let e = run(json!({"action": "refresh", "client_id": "c", "refresh_token": "a b"}))
            .unwrap_err();
        assert!(e.to_string().contains("refresh_token"), "{e}");
        for e in [
            run(json!({"action": "refresh", "client_id": "c", "refresh_token": "a b"})),
            run(
                json!({"action": "code_exchange", "client_id": "c", "code": "co de",
                "redirect_uri": "https://a.example/", "verifier": "sh ort"}),
            ),
        ] {
            let m = format!("{:?}", e.unwrap_err());
            assert!(!m.contains("a b") && !m.contains("co de") && !m.contains("sh ort"));
        }
        let e = run(
            json!({"action": "refresh", "client_id": "c", "refresh_token": "r",
            "code": "x"}),
        )
        .unwrap_err();
        assert!(e.to_string().contains("invalid code"), "{e}");
        assert!(run(json!({"action": "nope"}))
            .unwrap_err()
            .to_string()
            .contains("parse_token"));
        assert!(run(json!([])).is_err());
    }
}
