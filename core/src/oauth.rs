//! OAuth 2.0 for PagerDuty's scoped apps: token requests and answers, the granted-scope check,
//! a [`TokenSource`] a REST client draws its tokens from, and PKCE for user apps.
//!
//! The facts (PagerDuty's developer docs): a token request is a form POST to
//! `https://identity.pagerduty.com/oauth/token` (`identity.eu.pagerduty.com` for EU accounts);
//! a scoped app's `client_credentials` request names its scopes space-separated and must include
//! `as_account-{us|eu}.{subdomain}`; the answer has `access_token`, `token_type` (`bearer`),
//! `expires_in` (86400) and the granted `scope`, and no refresh token. **Scopes PagerDuty does
//! not know, or the app may not have, are dropped silently**: a token is only taken once every
//! scope asked for is in `scope`, else the error `scope_not_granted` names those missing. An
//! expired token answers 401; a missing scope 403. User apps use authorization code + PKCE
//! (S256), tokens of a day and refresh tokens of 30 days.
//!
//! A REST client with client credentials builds its requests without an `Authorization`
//! header ([`RestCredential::TokenSource`](crate::credentials::RestCredential::TokenSource))
//! and sends each under an [`AuthorizedRetry`] instead of a [`Retry`]: it fetches a token when
//! there is none (lazily: nothing is fetched until the first request), fetches a new one when
//! the current one is within its safety margin of expiry ([`refresh_margin`]: 10% of its
//! lifetime, at most 5 minutes), and after a 401 fetches a new one once and replays the request.
//! The loop a binding writes is [`crate::retry`]'s, with `AuthorizedRetry` in place of `Retry`:
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use std::time::Duration;
//! use pagerduty_core::{http::*, oauth::*, region::Endpoints, response_error::Api};
//! use pagerduty_core::retry::{RetryPolicy, Step};
//!
//! let endpoints = Endpoints::parse("us")?;
//! let creds = ClientCredentials::new("my-client-id", "my-client-secret", &["incidents.read"],
//!                                    Some("acme"), None, &identity_base(&endpoints))?;
//! assert_eq!(creds.scopes(), ["incidents.read", "as_account-us.acme"]);
//! let source = Arc::new(Mutex::new(TokenSource::new(creds)));
//! let request = Request { method: Method::Get, url: "https://api.pagerduty.com/incidents".into(),
//!                         headers: vec![], body: None, timeout: None };
//! let mut answers = vec![
//!     Response::new(200, vec![], r#"{"incidents":[]}"#),
//!     Response::new(200, vec![], r#"{"access_token":"pdus+_abc","token_type":"bearer",
//!         "expires_in":86400,"scope":"as_account-us.acme incidents.read"}"#),
//! ];
//! let mut x = AuthorizedRetry::new(request, Api::Rest, RetryPolicy::default(), Some(source));
//! let mut step = x.start(Duration::ZERO);
//! let response = loop {
//!     step = match step {
//!         Step::Send(req) => x.handle_response(answers.pop().unwrap(), Duration::ZERO, 7),
//!         Step::Wait(d) => x.resume(d),
//!         Step::Done(r) => break r?,
//!     };
//! };
//! assert_eq!(response.status, 200);
//! # Ok::<(), pagerduty_core::Error>(())
//! ```

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::credentials::OAuthToken;
use crate::error::Error;
use crate::http::{Method, Request, Response};
use crate::region::{Endpoints, Region};
use crate::response_error::{error_from_response, Api};
use crate::retry::{Retry, RetryPolicy, Step, TransportError};
use crate::url::Url;

/// PagerDuty's identity host for US accounts.
pub const IDENTITY_US: &str = "https://identity.pagerduty.com/";
/// PagerDuty's identity host for EU accounts.
pub const IDENTITY_EU: &str = "https://identity.eu.pagerduty.com/";

/// The form fields of a token request that are secrets: scrubbed from whatever comes back
/// ([`Request::secrets`]).
pub(crate) const SECRET_FORM_FIELDS: [&str; 4] =
    ["client_secret", "code", "code_verifier", "refresh_token"];

/// The keys of the options object's `oauth`.
pub const OAUTH_KEYS: [&str; 6] = [
    "client_id",
    "client_secret",
    "scopes",
    "subdomain",
    "region",
    "identity_url",
];

/// The identity base for these endpoints: PagerDuty's US or EU identity host, or for a custom
/// base URL (a simulator) that base itself (its `/oauth/token`).
pub fn identity_base(endpoints: &Endpoints) -> Url {
    let fixed = |s: &str| Url::parse(s).expect("constant URL");
    if endpoints == &Endpoints::region(Region::Us) {
        fixed(IDENTITY_US)
    } else if endpoints == &Endpoints::region(Region::Eu) {
        fixed(IDENTITY_EU)
    } else {
        endpoints.rest().clone()
    }
}

fn token_url(identity: &Url) -> Url {
    identity.join("oauth/token").expect("a relative path joins")
}

fn check_scope(field: &str, scope: &str) -> Result<(), Error> {
    if scope.is_empty()
        || !scope
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
    {
        return Err(Error::invalid(
            field,
            format!("{scope:?} is not a scope (printable ASCII without spaces or quotes)"),
        ));
    }
    Ok(())
}

fn check_account_scope(scope: &str) -> Result<(), Error> {
    let ok = scope
        .strip_prefix("as_account-")
        .and_then(|r| r.strip_prefix("us.").or_else(|| r.strip_prefix("eu.")))
        .is_some_and(|sub| {
            !sub.is_empty()
                && sub
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "oauth.scopes",
            format!("{scope:?} must be as_account-us.SUBDOMAIN or as_account-eu.SUBDOMAIN"),
        ))
    }
}

/// A scoped app's client credentials: its id and secret, the scopes it asks for (the
/// `as_account-{us|eu}.{subdomain}` scope among them) and where tokens come from.
#[derive(Clone)]
pub struct ClientCredentials {
    client_id: String,
    client_secret: Zeroizing<String>,
    scopes: Vec<String>,
    token_url: Url,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("scopes", &self.scopes)
            .field("token_url", &self.token_url.as_str())
            .finish()
    }
}

impl ClientCredentials {
    /// Checked before any I/O: `client_id` and `client_secret` non-empty and printable;
    /// `scopes` each a scope. With `subdomain`, `as_account-{region}.{subdomain}` is added
    /// unless it is there (`region`: `"us"` or `"eu"`, else from `identity`: EU's host means
    /// `eu`, anything else `us`); a different `as_account-` scope is refused. Without
    /// `subdomain`, the scopes must include one (`invalid_input` naming `oauth.subdomain`).
    pub fn new(
        client_id: &str,
        client_secret: &str,
        scopes: &[&str],
        subdomain: Option<&str>,
        region: Option<&str>,
        identity: &Url,
    ) -> Result<Self, Error> {
        let client_id = client_id.trim();
        if client_id.is_empty() || !client_id.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::invalid(
                "oauth.client_id",
                "must be a non-empty string of printable ASCII",
            ));
        }
        let secret = client_secret.trim();
        if secret.is_empty() || !secret.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::invalid(
                "oauth.client_secret",
                "must be a non-empty string of printable ASCII",
            ));
        }
        let mut out: Vec<String> = Vec::new();
        for s in scopes.iter().flat_map(|s| s.split_whitespace()) {
            check_scope("oauth.scopes", s)?;
            if !out.iter().any(|o| o == s) {
                out.push(s.to_owned());
            }
        }
        let given = out.iter().find(|s| s.starts_with("as_account-")).cloned();
        if let Some(g) = &given {
            check_account_scope(g)?;
        }
        match subdomain.map(str::trim) {
            Some(sub) => {
                let region = match region {
                    Some("us") => "us",
                    Some("eu") => "eu",
                    Some(_) => {
                        return Err(Error::invalid("oauth.region", "must be \"us\" or \"eu\""))
                    }
                    None if identity.as_str() == IDENTITY_EU => "eu",
                    None => "us",
                };
                let want = format!("as_account-{region}.{sub}");
                check_account_scope(&want).map_err(|_| {
                    Error::invalid(
                        "oauth.subdomain",
                        "must be the account's subdomain (letters, digits, '-')",
                    )
                })?;
                match given {
                    Some(g) if g != want => {
                        return Err(Error::invalid(
                            "oauth.scopes",
                            format!("names {g} but the subdomain and region say {want}"),
                        ))
                    }
                    Some(_) => {}
                    None => out.push(want),
                }
            }
            None if given.is_none() => {
                return Err(Error::invalid(
                    "oauth.subdomain",
                    "is required: a scoped app's client_credentials scopes must include \
                     as_account-{us|eu}.{subdomain} (give the subdomain, or that scope)",
                ))
            }
            None => {}
        }
        Ok(ClientCredentials {
            client_id: client_id.to_owned(),
            client_secret: Zeroizing::new(secret.to_owned()),
            scopes: out,
            token_url: token_url(identity),
        })
    }

    /// The scopes asked for, `as_account-` included.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// The token request: `grant_type=client_credentials`, the id and secret, the scopes
    /// space-separated, form-encoded, POSTed to `{identity}/oauth/token`.
    pub fn token_request(&self) -> Request {
        form_request(
            &self.token_url,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", &self.client_id),
                ("client_secret", &self.client_secret),
                ("scope", &crate::join(&self.scopes, " ")),
            ],
        )
    }
}

fn form_request(url: &Url, fields: &[(&str, &str)]) -> Request {
    Request {
        method: Method::Post,
        url: url.as_str().to_owned(),
        headers: vec![
            ("accept".to_owned(), "application/json".to_owned()),
            (
                "content-type".to_owned(),
                "application/x-www-form-urlencoded".to_owned(),
            ),
        ],
        body: Some(crate::form::encode(fields.iter().copied())),
        timeout: None,
    }
}

/// A refresh token (user apps): a secret, redacted in `Debug`.
#[derive(Clone)]
pub struct RefreshToken(Zeroizing<String>);

impl RefreshToken {
    /// The token itself, for the app to store (it is a secret: keep it like a password).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RefreshToken(<redacted>)")
    }
}

/// A token answer, parsed and checked.
#[derive(Debug, Clone)]
pub struct Token {
    /// The access token (redacted in `Debug`).
    pub access_token: OAuthToken,
    /// Its lifetime from when it was asked for.
    pub expires_in: Duration,
    /// The scopes granted.
    pub scopes: Vec<String>,
    /// A refresh token (authorization-code grants only).
    pub refresh_token: Option<RefreshToken>,
}

/// Reads a token answer and checks it grants every scope in `requested`: a non-2xx answer is
/// the error it stands for; a 2xx answer that is not a bearer token is `decode` (its body is
/// never quoted: it may hold a token); scopes asked for and missing from `scope` are
/// `scope_not_granted` naming them (no `scope` at all means as requested, RFC 6749 §5.1).
/// Without `expires_in` a token is taken to live an hour.
pub fn parse_token_response(response: &Response, requested: &[String]) -> Result<Token, Error> {
    if !response.is_success() {
        return Err(error_from_response(response, Api::Rest));
    }
    let not_a_token = |why: &str| {
        Error::decoding(
            Some(response.status),
            b"",
            response.request_id(),
            format!("the token answer {why} (its body is not shown: it may hold a token)"),
        )
    };
    let raw = crate::json_text::parse(&response.body)
        .ok()
        .and_then(|mut v| {
            let raw = TokenReply::read(&v).ok();
            wipe(&mut v);
            raw
        })
        .ok_or_else(|| {
            not_a_token("is not {\"access_token\", \"token_type\", \"expires_in\", \"scope\"} JSON")
        })?;
    let raw_token = Zeroizing::new(raw.access_token);
    if !raw.token_type.eq_ignore_ascii_case("bearer") {
        return Err(not_a_token("is not a bearer token"));
    }
    let access_token =
        OAuthToken::issued(&raw_token).map_err(|_| not_a_token("holds no usable access token"))?;
    let expires_in = match raw.expires_in {
        None => Duration::from_secs(3600),
        Some(s) if s.is_finite() && (0.0..1e9).contains(&s) => Duration::from_secs_f64(s),
        Some(_) => {
            return Err(not_a_token(
                "has an expires_in that is not a number of seconds",
            ))
        }
    };
    let scopes: Vec<String> = match &raw.scope {
        Some(s) => s.split_whitespace().map(str::to_owned).collect(),
        None => requested.to_vec(),
    };
    let missing: Vec<String> = requested
        .iter()
        .filter(|r| !scopes.contains(r))
        .cloned()
        .collect();
    if !missing.is_empty() {
        return Err(Error::ScopeNotGranted { missing });
    }
    Ok(Token {
        access_token,
        expires_in,
        scopes,
        refresh_token: raw.refresh_token.map(|r| RefreshToken(Zeroizing::new(r))),
    })
}

/// A token answer's fields (RFC 6749 §5.1), read by hand as serde's derive read them (the
/// tests check the two agree): the derive's generic code was most of this function's size in
/// the npm package's .wasm.
#[derive(Debug, PartialEq)]
#[cfg_attr(test, derive(serde::Deserialize))]
struct TokenReply {
    access_token: String,
    token_type: String,
    expires_in: Option<f64>,
    scope: Option<String>,
    refresh_token: Option<String>,
}

impl TokenReply {
    fn read(v: &serde_json::Value) -> crate::read_value::Read<TokenReply> {
        use crate::read_value::{f64, option, string, Shape};
        const SHAPE: Shape = Shape {
            name: "struct TokenReply",
            fields: &[
                "access_token",
                "token_type",
                "expires_in",
                "scope",
                "refresh_token",
            ],
            optional: 0b11100,
            defaulted: 0,
            deny_unknown: false,
        };
        let mut r = TokenReply {
            access_token: String::new(),
            token_type: String::new(),
            expires_in: None,
            scope: None,
            refresh_token: None,
        };
        SHAPE.read(v, &mut |i, x| {
            match i {
                0 => r.access_token = string(x)?,
                1 => r.token_type = string(x)?,
                2 => r.expires_in = option(x, f64)?,
                3 => r.scope = option(x, string)?,
                _ => r.refresh_token = option(x, string)?,
            }
            Ok(())
        })?;
        Ok(r)
    }
}

/// Overwrites every string of a parsed token answer before it is dropped (it holds tokens).
/// The JSON reader's own scratch buffer is freed without this, as serde_json's was.
fn wipe(v: &mut serde_json::Value) {
    use zeroize::Zeroize;
    match v {
        serde_json::Value::String(s) => s.zeroize(),
        serde_json::Value::Array(items) => items.iter_mut().for_each(wipe),
        serde_json::Value::Object(map) => map.values_mut().for_each(wipe),
        _ => {}
    }
}

/// How long before its expiry a token is replaced: 10% of its lifetime, at most 5 minutes (a
/// day's token is replaced 5 minutes early; a 30 s one 3 s early).
pub fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(Duration::from_secs(300))
}

/// Where a REST client's tokens come from: a scoped app's client credentials, with the token
/// they last got and when to replace it. Time is an argument (any monotonic clock, as in
/// [`crate::retry`]). Shared by a client's requests as a [`SharedTokenSource`].
#[derive(Debug)]
pub struct TokenSource {
    credentials: ClientCredentials,
    current: Option<Current>,
    fetched: u32,
}

#[derive(Debug)]
struct Current {
    token: OAuthToken,
    refresh_at: Duration,
}

/// A [`TokenSource`] shared by a client's requests (and threads).
pub type SharedTokenSource = Arc<Mutex<TokenSource>>;

fn lock(source: &SharedTokenSource) -> MutexGuard<'_, TokenSource> {
    source.lock().unwrap_or_else(|e| e.into_inner())
}

impl TokenSource {
    /// No token yet: the first request fetches one.
    pub fn new(credentials: ClientCredentials) -> Self {
        TokenSource {
            credentials,
            current: None,
            fetched: 0,
        }
    }

    /// The credentials.
    pub fn credentials(&self) -> &ClientCredentials {
        &self.credentials
    }

    /// The token to use at `now`, unless there is none or it is within its margin of expiry.
    pub fn valid(&self, now: Duration) -> Option<&OAuthToken> {
        self.current
            .as_ref()
            .filter(|c| now < c.refresh_at)
            .map(|c| &c.token)
    }

    /// The request that fetches a token.
    pub fn token_request(&self) -> Request {
        self.credentials.token_request()
    }

    /// Takes the answer to [`TokenSource::token_request`], sent at `sent_at` (the lifetime
    /// counts from then: never later than PagerDuty's own clock). The scopes are checked.
    pub fn handle_token_response(
        &mut self,
        response: &Response,
        sent_at: Duration,
    ) -> Result<(), Error> {
        let token = parse_token_response(response, &self.credentials.scopes)?;
        let life = token.expires_in;
        self.current = Some(Current {
            token: token.access_token,
            refresh_at: sent_at + life - refresh_margin(life),
        });
        self.fetched += 1;
        Ok(())
    }

    /// Forgets the token a request was refused with (401), unless a newer one came meanwhile.
    pub fn invalidate(&mut self, authorization: &str) {
        if self
            .current
            .as_ref()
            .is_some_and(|c| c.token.bearer() == authorization)
        {
            self.current = None;
        }
    }

    /// Tokens fetched so far.
    pub fn fetched(&self) -> u32 {
        self.fetched
    }
}

/// One REST request under the retry rules, with its `Authorization` from a [`TokenSource`]:
/// [`Retry`]'s interface and loop, and a token fetched first when needed (its request is one
/// more [`Step::Send`], retried by the same rules) and once more after a 401, then the request
/// replayed. Without a source it is exactly a [`Retry`].
#[derive(Debug)]
pub struct AuthorizedRetry {
    request: Request,
    api: Api,
    policy: RetryPolicy,
    idempotent: Option<bool>,
    source: Option<SharedTokenSource>,
    stage: Stage,
    replayed: bool,
    earlier_attempts: u32,
    token_sent_at: Duration,
    used: Option<String>,
}

#[derive(Debug)]
enum Stage {
    New,
    Token(Retry),
    Main(Retry),
}

impl AuthorizedRetry {
    /// `request` (built without `Authorization` when `source` is given), answered by `api`.
    pub fn new(
        request: Request,
        api: Api,
        policy: RetryPolicy,
        source: Option<SharedTokenSource>,
    ) -> Self {
        AuthorizedRetry {
            request,
            api,
            policy,
            idempotent: None,
            source,
            stage: Stage::New,
            replayed: false,
            earlier_attempts: 0,
            token_sent_at: Duration::ZERO,
            used: None,
        }
    }

    /// As [`Retry::idempotent`].
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// Whether the request out is a token request (its answer is the identity server's, not
    /// the REST API's).
    pub fn fetching_token(&self) -> bool {
        matches!(self.stage, Stage::Token(_))
    }

    /// Attempts made so far, token requests included.
    pub fn attempts(&self) -> u32 {
        self.earlier_attempts
            + match &self.stage {
                Stage::New => 0,
                Stage::Token(r) | Stage::Main(r) => r.attempts(),
            }
    }

    /// The first attempt: the request, or first a token request.
    pub fn start(&mut self, now: Duration) -> Step {
        if !matches!(self.stage, Stage::New) {
            return Step::Done(Err(Error::invalid("retry", "start called twice")));
        }
        let Some(source) = self.source.clone() else {
            return self.main(None, now);
        };
        let token = lock(&source).valid(now).map(OAuthToken::bearer);
        match token {
            Some(auth) => self.main(Some(auth), now),
            None => self.fetch(now),
        }
    }

    /// After a [`Step::Wait`].
    pub fn resume(&mut self, now: Duration) -> Step {
        match &mut self.stage {
            Stage::New => Step::Done(Err(Error::invalid("retry", "resume called before start"))),
            Stage::Token(r) => {
                let step = r.resume(now);
                self.after_token(step, now)
            }
            Stage::Main(r) => r.resume(now),
        }
    }

    /// The transport's answer to the last [`Step::Send`].
    pub fn handle_response(&mut self, response: Response, now: Duration, random: u64) -> Step {
        match &mut self.stage {
            Stage::New => Step::Done(Err(Error::invalid(
                "retry",
                "handle_response called before start",
            ))),
            Stage::Token(r) => {
                let step = r.handle_response(response, now, random);
                self.after_token(step, now)
            }
            Stage::Main(r) => {
                let step = r.handle_response(response, now, random);
                self.after_main(step, now)
            }
        }
    }

    /// The transport failed to get an answer to the last [`Step::Send`].
    pub fn handle_transport_error(
        &mut self,
        error: TransportError,
        now: Duration,
        random: u64,
    ) -> Step {
        match &mut self.stage {
            Stage::New => Step::Done(Err(Error::invalid(
                "retry",
                "handle_transport_error called before start",
            ))),
            Stage::Token(r) => {
                let step = r.handle_transport_error(error, now, random);
                self.after_token(step, now)
            }
            Stage::Main(r) => r.handle_transport_error(error, now, random),
        }
    }

    fn retire(&mut self) {
        if let Stage::Token(r) | Stage::Main(r) = &self.stage {
            self.earlier_attempts += r.attempts();
        }
    }

    fn fetch(&mut self, now: Duration) -> Step {
        let Some(source) = &self.source else {
            return Step::Done(Err(Error::invalid("retry", "no token source")));
        };
        let request = lock(source).token_request();
        self.retire();
        self.token_sent_at = now;
        // Asking for a token twice is harmless: retried like an idempotent request.
        let mut retry = Retry::new(request, Api::Rest, self.policy.clone()).idempotent(true);
        let step = retry.start(now);
        self.stage = Stage::Token(retry);
        step
    }

    fn main(&mut self, authorization: Option<String>, now: Duration) -> Step {
        let mut request = self.request.clone();
        if let Some(auth) = &authorization {
            request
                .headers
                .retain(|(k, _)| !k.eq_ignore_ascii_case("authorization"));
            request.headers.push(("authorization".into(), auth.clone()));
        }
        self.used = authorization;
        self.retire();
        let mut retry = Retry::new(request, self.api, self.policy.clone());
        if let Some(i) = self.idempotent {
            retry = retry.idempotent(i);
        }
        let step = retry.start(now);
        self.stage = Stage::Main(retry);
        step
    }

    fn after_token(&mut self, step: Step, now: Duration) -> Step {
        let Step::Done(outcome) = step else {
            return step;
        };
        let Some(source) = self.source.clone() else {
            return Step::Done(Err(Error::invalid("retry", "no token source")));
        };
        let response = match outcome {
            Ok(r) => r,
            Err(e) => return Step::Done(Err(e)),
        };
        let auth = {
            let mut s = lock(&source);
            if let Err(e) = s.handle_token_response(&response, self.token_sent_at) {
                return Step::Done(Err(e));
            }
            s.current.as_ref().map(|c| c.token.bearer())
        };
        self.main(auth, now)
    }

    fn after_main(&mut self, step: Step, now: Duration) -> Step {
        match (&step, &self.source, &self.used) {
            (Step::Done(Ok(r)), Some(source), Some(used)) if r.status == 401 && !self.replayed => {
                self.replayed = true;
                lock(source).invalidate(used);
                self.fetch(now)
            }
            _ => step,
        }
    }
}

// PKCE and the authorization-code grant, for user apps.

/// base64url without padding (RFC 4648 §5), as PKCE wants.
fn base64url(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// A PKCE code verifier from the caller's random bytes (32 to 96 of them, from a CSPRNG): their
/// base64url form, 43 to 128 characters (RFC 7636 §4.1).
pub fn pkce_verifier(random: &[u8]) -> Result<String, Error> {
    if !(32..=96).contains(&random.len()) {
        return Err(Error::invalid(
            "random",
            "must be 32 to 96 bytes from a cryptographic random source",
        ));
    }
    Ok(base64url(random))
}

/// The S256 challenge of a verifier: base64url(SHA-256(verifier)) (RFC 7636 §4.2; PagerDuty
/// requires S256).
pub fn pkce_challenge(verifier: &str) -> String {
    base64url(&Sha256::digest(verifier.as_bytes()))
}

/// The URL to send the user to: `{identity}/oauth/authorize` with `response_type=code`, the
/// client id, redirect URI, scopes (space-separated), `state` and the S256 challenge.
pub fn authorize_url(
    identity: &Url,
    client_id: &str,
    redirect_uri: &str,
    scopes: &[&str],
    state: &str,
    challenge: &str,
) -> Result<String, Error> {
    if client_id.trim().is_empty() {
        return Err(Error::invalid("client_id", "is empty"));
    }
    Url::parse(redirect_uri)
        .map_err(|e| Error::invalid("redirect_uri", format!("is not a URL: {e}")))?;
    for s in scopes.iter().flat_map(|s| s.split_whitespace()) {
        check_scope("scopes", s)?;
    }
    let mut url = identity
        .join("oauth/authorize")
        .expect("a relative path joins");
    url.append_query_pairs([
        ("client_id", client_id.trim()),
        ("redirect_uri", redirect_uri),
        ("response_type", "code"),
        ("scope", &scopes.join(" ")),
        ("state", state),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ]);
    Ok(url.into())
}

/// The authorization-code exchange: `grant_type=authorization_code` with the code the
/// redirect brought, the same redirect URI and the verifier (`client_secret` when the app has
/// one). Read the answer with [`parse_token_response`].
pub fn code_exchange_request(
    identity: &Url,
    client_id: &str,
    client_secret: Option<&str>,
    code: &str,
    redirect_uri: &str,
    verifier: &str,
) -> Request {
    let mut fields = vec![
        ("grant_type", "authorization_code"),
        ("client_id", client_id),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("code_verifier", verifier),
    ];
    fields.extend(client_secret.map(|s| ("client_secret", s)));
    form_request(&token_url(identity), &fields)
}

/// A new access token from a refresh token: `grant_type=refresh_token`.
pub fn refresh_token_request(
    identity: &Url,
    client_id: &str,
    client_secret: Option<&str>,
    refresh_token: &RefreshToken,
) -> Request {
    let mut fields = vec![
        ("grant_type", "refresh_token"),
        ("client_id", client_id),
        ("refresh_token", refresh_token.expose()),
    ];
    fields.extend(client_secret.map(|s| ("client_secret", s)));
    form_request(&token_url(identity), &fields)
}

impl RefreshToken {
    /// A refresh token the app stored.
    pub fn new(token: &str) -> Result<Self, Error> {
        let t = token.trim();
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::invalid(
                "refresh_token",
                "must be printable ASCII, not empty",
            ));
        }
        Ok(RefreshToken(Zeroizing::new(t.to_owned())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_reply_reads_as_serde_reads_it() {
        crate::read_value::tests::same_as_serde(
            TokenReply::read,
            serde_json::json!({"access_token": "pdus+_t", "token_type": "bearer",
                "expires_in": 3600, "scope": "read write", "refresh_token": "r"}),
        );
    }

    fn us() -> Url {
        identity_base(&Endpoints::parse("us").unwrap())
    }

    fn creds(scopes: &[&str]) -> ClientCredentials {
        ClientCredentials::new("cid", "s3cret-value", scopes, Some("acme"), None, &us()).unwrap()
    }

    /// The client-credentials answer as PagerDuty's docs show it.
    const DOCS_ANSWER: &str = r#"{"token_type":"bearer","scope":"as_account-us.acme incidents.read services.read","expires_in":86400,"access_token":"pdus+_0XBPWQQ_fa9a7dbb-1734-4d85-9c88-4f0a5b1a3d4c"}"#;

    #[test]
    fn identity_hosts_by_region() {
        assert_eq!(us().as_str(), IDENTITY_US);
        assert_eq!(
            identity_base(&Endpoints::parse("eu").unwrap()).as_str(),
            "https://identity.eu.pagerduty.com/"
        );
        let sim = Endpoints::parse("http://127.0.0.1:9/").unwrap();
        assert_eq!(identity_base(&sim).as_str(), "http://127.0.0.1:9/");
    }

    #[test]
    fn token_request_is_a_form_post_with_the_account_scope() {
        let c = creds(&["incidents.read services.read"]);
        let r = c.token_request();
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.url, "https://identity.pagerduty.com/oauth/token");
        assert_eq!(
            r.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(
            r.body.as_deref(),
            Some("grant_type=client_credentials&client_id=cid&client_secret=s3cret-value&scope=incidents.read+services.read+as_account-us.acme")
        );
        assert!(r.secrets().contains(&"s3cret-value".to_owned()));
        assert!(!format!("{c:?}").contains("s3cret"));
        let eu = identity_base(&Endpoints::parse("eu").unwrap());
        let c = ClientCredentials::new("cid", "x", &["read"], Some("acme"), None, &eu).unwrap();
        assert_eq!(c.scopes(), ["read", "as_account-eu.acme"]);
    }

    #[test]
    fn the_account_scope_is_checked_before_any_io() {
        let e = ClientCredentials::new("cid", "x", &["read"], None, None, &us()).unwrap_err();
        assert_eq!(e.code(), "invalid_input");
        assert!(e.to_string().contains("oauth.subdomain"), "{e}");
        let e = ClientCredentials::new("cid", "x", &["as_account-mars.acme"], None, None, &us())
            .unwrap_err();
        assert!(e.to_string().contains("oauth.scopes"), "{e}");
        let e = ClientCredentials::new(
            "cid",
            "x",
            &["as_account-us.other"],
            Some("acme"),
            None,
            &us(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("as_account-us.acme"), "{e}");
        assert!(
            ClientCredentials::new("cid", "x", &["as_account-eu.acme"], None, None, &us()).is_ok()
        );
        let e =
            ClientCredentials::new("cid", "", &["read"], Some("acme"), None, &us()).unwrap_err();
        assert!(e.to_string().contains("oauth.client_secret"), "{e}");
    }

    #[test]
    fn parses_the_docs_answer_and_names_dropped_scopes() {
        let ok = Response::new(200, vec![], DOCS_ANSWER);
        let c = creds(&["incidents.read", "services.read"]);
        let t = parse_token_response(&ok, c.scopes()).unwrap();
        assert_eq!(t.expires_in, Duration::from_secs(86400));
        assert!(!format!("{t:?}").contains("pdus+_"));
        let c = creds(&[
            "incidents.read",
            "services.read",
            "incidents.write",
            "teams.raed",
        ]);
        let e = parse_token_response(&ok, c.scopes()).unwrap_err();
        assert_eq!(e.code(), "scope_not_granted");
        assert!(e.to_string().contains("incidents.write teams.raed"), "{e}");
        assert!(!e.to_string().contains("pdus+_"));
        let bad = Response::new(
            200,
            vec![],
            r#"{"access_token":"pdus+_zzzzzzzzzzzzzzzzzzzzzzzzzz","token_type":"mac"}"#,
        );
        let e = parse_token_response(&bad, &[]).unwrap_err();
        assert_eq!(e.code(), "decode");
        assert!(!e.to_string().contains("pdus+_"), "{e}");
        let refused = Response::new(
            401,
            vec![],
            r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#,
        );
        assert_eq!(
            parse_token_response(&refused, &[]).unwrap_err().code(),
            "unauthorized"
        );
    }

    fn drive(
        x: &mut AuthorizedRetry,
        answers: &mut Vec<Response>,
        now: Duration,
    ) -> (Result<Response, Error>, Vec<Request>) {
        let mut sent = vec![];
        let mut step = x.start(now);
        loop {
            step = match step {
                Step::Send(r) => {
                    sent.push(r);
                    x.handle_response(answers.remove(0), now, 1)
                }
                Step::Wait(d) => x.resume(now + d),
                Step::Done(r) => return (r, sent),
            }
        }
    }

    fn get() -> Request {
        Request {
            method: Method::Get,
            url: "https://api.pagerduty.com/incidents".into(),
            headers: vec![("accept".into(), "x".into())],
            body: None,
            timeout: None,
        }
    }

    fn token_answer(token: &str, secs: u64) -> Response {
        Response::new(
            200,
            vec![],
            format!(
                r#"{{"access_token":"{token}","token_type":"bearer","expires_in":{secs},"scope":"incidents.read as_account-us.acme"}}"#
            ),
        )
    }

    #[test]
    fn fetches_lazily_refreshes_before_expiry_and_replays_once_after_a_401() {
        let source = Arc::new(Mutex::new(TokenSource::new(creds(&["incidents.read"]))));
        let ok = || Response::new(200, vec![], "{}");
        let new = |s: &SharedTokenSource| {
            AuthorizedRetry::new(get(), Api::Rest, RetryPolicy::default(), Some(s.clone()))
        };
        // First request: a token, then the request with it.
        let mut answers = vec![token_answer("pdus+_token-one-aaaaaaaa", 1000), ok()];
        let (r, sent) = drive(&mut new(&source), &mut answers, Duration::ZERO);
        assert_eq!(r.unwrap().status, 200);
        assert_eq!(sent.len(), 2);
        assert!(sent[0].url.ends_with("/oauth/token"));
        assert_eq!(
            sent[1].header("authorization"),
            Some("Bearer pdus+_token-one-aaaaaaaa")
        );
        // Within its life: no fetch.
        let (_, sent) = drive(&mut new(&source), &mut vec![ok()], Duration::from_secs(899));
        assert_eq!(sent.len(), 1);
        // Within the margin (100 s of 1000): a new token first.
        let mut answers = vec![token_answer("pdus+_token-two-bbbbbbbb", 1000), ok()];
        let (_, sent) = drive(&mut new(&source), &mut answers, Duration::from_secs(901));
        assert_eq!(sent.len(), 2);
        assert_eq!(
            sent[1].header("authorization"),
            Some("Bearer pdus+_token-two-bbbbbbbb")
        );
        // A 401: one new token, the request replayed; a second 401 is the answer.
        let unauthorized = || {
            Response::new(
                401,
                vec![],
                r#"{"error":{"message":"Unauthorized","code":2006}}"#,
            )
        };
        let mut answers = vec![
            unauthorized(),
            token_answer("pdus+_token-three-cccccc", 1000),
            ok(),
        ];
        let mut x = new(&source);
        let (r, sent) = drive(&mut x, &mut answers, Duration::from_secs(902));
        assert_eq!(r.unwrap().status, 200);
        assert_eq!(sent.len(), 3);
        assert_eq!(
            sent[2].header("authorization"),
            Some("Bearer pdus+_token-three-cccccc")
        );
        assert_eq!(x.attempts(), 3);
        let mut answers = vec![
            unauthorized(),
            token_answer("pdus+_token-four-dddddd", 1000),
            unauthorized(),
        ];
        let (r, sent) = drive(&mut new(&source), &mut answers, Duration::from_secs(903));
        assert_eq!(r.unwrap().status, 401);
        assert_eq!(sent.len(), 3);
        assert_eq!(source.lock().unwrap().fetched(), 4);
    }

    #[test]
    fn a_dropped_scope_ends_the_request_before_it_is_sent() {
        let source = Arc::new(Mutex::new(TokenSource::new(creds(&[
            "incidents.read",
            "incidents.write",
        ]))));
        let mut x = AuthorizedRetry::new(get(), Api::Rest, RetryPolicy::default(), Some(source));
        let (r, sent) = drive(
            &mut x,
            &mut vec![token_answer("pdus+_token-one-aaaaaaaa", 100)],
            Duration::ZERO,
        );
        let e = r.unwrap_err();
        assert_eq!(e.code(), "scope_not_granted");
        assert!(e.to_string().contains("incidents.write"));
        assert_eq!(sent.len(), 1);
    }

    #[test]
    fn the_client_secret_is_scrubbed_from_the_identity_answer() {
        let source = Arc::new(Mutex::new(TokenSource::new(creds(&["read"]))));
        let mut x = AuthorizedRetry::new(get(), Api::Rest, RetryPolicy::default(), Some(source));
        let echo = Response::new(
            400,
            vec![],
            r#"{"error":"invalid_request","error_description":"bad secret s3cret-value"}"#,
        );
        let (r, _) = drive(&mut x, &mut vec![echo], Duration::ZERO);
        let e = r.unwrap_err();
        assert!(!format!("{e} {e:?}").contains("s3cret-value"), "{e}");
    }

    #[test]
    fn pkce_matches_rfc_7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert_eq!(
            pkce_challenge(verifier),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let bytes = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        assert_eq!(pkce_verifier(&bytes).unwrap(), verifier);
        assert_eq!(pkce_verifier(&[0; 8]).unwrap_err().code(), "invalid_input");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
    }

    #[test]
    fn authorize_url_code_exchange_and_refresh() {
        let url = authorize_url(
            &us(),
            "cid",
            "https://app.example/cb",
            &["read", "write"],
            "st4te",
            "CHAL",
        )
        .unwrap();
        assert_eq!(url, "https://identity.pagerduty.com/oauth/authorize?client_id=cid&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&scope=read+write&state=st4te&code_challenge=CHAL&code_challenge_method=S256");
        let r = code_exchange_request(
            &us(),
            "cid",
            None,
            "the-code",
            "https://app.example/cb",
            "verif",
        );
        assert_eq!(r.body.as_deref(), Some("grant_type=authorization_code&client_id=cid&code=the-code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier=verif"));
        assert!(
            r.secrets().contains(&"the-code".to_owned())
                && r.secrets().contains(&"verif".to_owned())
        );
        let rt = RefreshToken::new("pdus+_refresh").unwrap();
        let r = refresh_token_request(&us(), "cid", Some("sec"), &rt);
        assert_eq!(r.body.as_deref(), Some("grant_type=refresh_token&client_id=cid&refresh_token=pdus%2B_refresh&client_secret=sec"));
        assert!(r.secrets().contains(&"pdus+_refresh".to_owned()));
        assert!(!format!("{rt:?}").contains("pdus"));
        let answer = Response::new(
            200,
            vec![],
            r#"{"access_token":"pdus+_user-token-xyz","token_type":"Bearer","expires_in":86400,"refresh_token":"pdus+_refresh-2","scope":"read"}"#,
        );
        let t = parse_token_response(&answer, &["read".into()]).unwrap();
        assert_eq!(t.refresh_token.unwrap().expose(), "pdus+_refresh-2");
    }
}
