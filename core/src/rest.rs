//! REST API v2 requests and responses.
//!
//! ```
//! use pagerduty_core::{rest::Rest, credentials::RestToken, region::Endpoints, http::Method};
//!
//! let rest = Rest::new(RestToken::general_access("y_NbAkKc66ryYTWUXYEu")?.into(), Endpoints::default())
//!     .with_default_from("oncall@example.com")?;
//! let req = rest.call(Method::Get, "/incidents")
//!     .array("statuses", ["triggered", "acknowledged"])
//!     .param("limit", "100")
//!     .build()?;
//! assert_eq!(req.url, "https://api.pagerduty.com/incidents?statuses%5B%5D=triggered&statuses%5B%5D=acknowledged&limit=100");
//! assert_eq!(req.header("accept"), Some("application/vnd.pagerduty+json;version=2"));
//! # Ok::<(), pagerduty_core::Error>(())
//! ```

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::credentials::RestCredential;
use crate::error::Error;
use crate::http::{Method, Request, Response};
use crate::query::Query;
use crate::region::Endpoints;
use crate::response_error::{error_from_response, Api};
use crate::spec_rules;
use crate::url::Url;

/// The `Accept` header that selects REST API v2.
pub const ACCEPT: &str = "application/vnd.pagerduty+json;version=2";

/// The REST API as configured for one account: credential, hosts and defaults. Builds
/// requests; does no I/O. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Rest {
    credential: RestCredential,
    endpoints: Endpoints,
    default_from: Option<String>,
    user_agent: Option<String>,
    timeout: Option<Duration>,
}

impl Rest {
    /// A REST API for this credential and these hosts.
    pub fn new(credential: RestCredential, endpoints: Endpoints) -> Self {
        Rest {
            credential,
            endpoints,
            default_from: None,
            user_agent: None,
            timeout: None,
        }
    }

    /// The email of a user, sent as `From` on the operations that require it (and on any
    /// write made with an OAuth or account-level key that asks for one).
    pub fn with_default_from(mut self, email: &str) -> Result<Self, Error> {
        self.default_from = Some(check_email("from", email)?);
        Ok(self)
    }

    /// A `User-Agent` header for every request (never set one in a browser: it breaks CORS).
    pub fn with_user_agent(mut self, ua: &str) -> Result<Self, Error> {
        self.user_agent = Some(check_header_value("user_agent", ua)?);
        Ok(self)
    }

    /// A per-attempt timeout, passed on in every [`Request`].
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The hosts.
    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// The credential.
    pub fn credential(&self) -> &RestCredential {
        &self.credential
    }

    /// Starts a request: `target` is a path (`/incidents/P1`) or a full URL on the configured
    /// REST host (a token is never sent to another host).
    pub fn call(&self, method: Method, target: &str) -> Call<'_> {
        Call {
            rest: self,
            method,
            target: target.to_owned(),
            query: Query::new(),
            body: None,
            from: None,
            early_access: None,
            error: None,
        }
    }

    /// Resolves `target` against the REST base. The rule that keeps the key at home: a target
    /// is a plain ASCII path or a full URL; `\\`, control characters, whitespace, `.`/`..`
    /// segments (`%2e`, `..;x` included), `%2F`/`%5C`/`%00` in the path and the scheme-relative
    /// form (`//host/..`) are refused before anything else,
    /// and the resolved URL must have the base's scheme, host and port and lie under its path.
    fn resolve(&self, target: &str) -> Result<Url, Error> {
        let base = self.endpoints.rest();
        check_target(target)?;
        let url = if has_scheme(target) {
            Url::parse(target)
                .map_err(|e| Error::invalid("path", format!("is not a valid URL: {e}")))?
        } else {
            let relative = target.strip_prefix('/').unwrap_or(target);
            base.join(relative)
                .map_err(|e| Error::invalid("path", format!("is not a valid path: {e}")))?
        };
        check_under(&url, base)?;
        Ok(url)
    }
}

/// Refuses what URL parsers rewrite into another host or path: the URL standard reads `\` as
/// `/`, drops leading and trailing whitespace and controls, and resolves `..`, so
/// `\\evil/x`, `" //evil/x"` and `/..//x` would all leave the configured API.
fn check_target(target: &str) -> Result<(), Error> {
    if target.is_empty() {
        return Err(Error::invalid("path", "is empty"));
    }
    if let Some(c) = target
        .chars()
        .find(|c| c.is_control() || c.is_whitespace() || *c == '\\' || !c.is_ascii())
    {
        let what = match c {
            '\\' => "a backslash".to_owned(),
            c if c.is_whitespace() => format!("whitespace (U+{:04X})", c as u32),
            c if c.is_control() => format!("a control character (U+{:04X})", c as u32),
            c => format!(
                "a non-ASCII character (U+{:04X}); percent-encode it",
                c as u32
            ),
        };
        return Err(Error::invalid(
            "path",
            format!("contains {what}: give a plain path such as /incidents/P1"),
        ));
    }
    if target.starts_with("//") {
        return Err(Error::invalid(
            "path",
            "is scheme-relative (//host/...): give a path such as /incidents/P1, or a full URL \
             on the configured REST API",
        ));
    }
    let path = target.split(['?', '#']).next().unwrap_or("");
    let path = path.split_once("://").map_or(path, |(_, rest)| rest);
    for seg in path.split('/') {
        let seg = seg.to_ascii_lowercase();
        // URL parsers keep `%2f`, `%5c` and `..;x` as they are, but servers and proxies in
        // front of a base with a path (`https://proxy/pd/`) decode `%2f` to `/`, read `\` as
        // `/`, cut `;params` off a segment and stop at NUL: `/pd/%2e%2e%2fx`, `/pd/..;/x`
        // would leave the base's path there.
        if ["%2f", "%5c", "%00"].iter().any(|e| seg.contains(e)) {
            return Err(Error::invalid(
                "path",
                "contains an encoded '/', '\\' or NUL (%2F, %5C, %00) in its path",
            ));
        }
        let bare = seg.split(';').next().unwrap_or("").replace("%2e", ".");
        if bare == "." || bare == ".." {
            return Err(Error::invalid(
                "path",
                "contains a '.' or '..' segment: give the path it stands for",
            ));
        }
    }
    Ok(())
}

/// Whether `target` starts with a URL scheme (`http:`, `https:`, `mailto:`): then it is read
/// as a whole URL, never joined to the base.
fn has_scheme(target: &str) -> bool {
    let Some((scheme, _)) = target.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The invariant every REST request keeps: same scheme, host and port as the configured base,
/// under its path, no credentials or fragment in the URL.
pub(crate) fn check_under(url: &Url, base: &Url) -> Result<(), Error> {
    let same = url.scheme() == base.scheme()
        && url.host() == base.host()
        && url.port_or_known_default() == base.port_or_known_default()
        && url.fragment().is_none()
        && url.path().starts_with(base.path());
    if same {
        Ok(())
    } else {
        Err(Error::invalid(
            "path",
            format!(
                "is a URL outside the configured REST API ({}); the key is only sent there",
                base.as_str().trim_end_matches('/')
            ),
        ))
    }
}

/// A REST request being built. Finish with [`Call::build`].
#[derive(Debug)]
#[must_use]
pub struct Call<'a> {
    rest: &'a Rest,
    method: Method,
    target: String,
    query: Query,
    body: Option<String>,
    from: Option<String>,
    early_access: Option<String>,
    error: Option<Error>,
}

impl Call<'_> {
    /// Adds `name=value`.
    pub fn param(mut self, name: &str, value: impl Into<String>) -> Self {
        self.query.push(name, value);
        self
    }

    /// Adds `name[]=v` for every value.
    pub fn array<I, S>(mut self, name: &str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.query.push_array(name, values);
        self
    }

    /// Adds all of these parameters.
    pub fn query(mut self, query: &Query) -> Self {
        self.query.extend(query);
        self
    }

    /// A JSON body, serialized now.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_string(body) {
            Ok(s) => self.body = Some(s),
            Err(e) => self.error = Some(Error::invalid("body", e.to_string())),
        }
        self
    }

    /// A JSON body already serialized (from a binding). It must be valid JSON.
    pub fn json_text(mut self, body: &str) -> Self {
        match crate::json_text::skim(body.as_bytes()) {
            Ok(_) => self.body = Some(body.to_owned()),
            Err(e) => self.error = Some(Error::invalid("body", format!("is not valid JSON: {e}"))),
        }
        self
    }

    /// `{"<entity>": body}`, unless the body is already wrapped that way.
    pub fn entity<T: Serialize + ?Sized>(self, entity: &str, body: &T) -> Self {
        match serde_json::to_value(body) {
            Ok(v) => {
                let wrapped = wrap(entity, v);
                self.json(&wrapped)
            }
            Err(e) => Self {
                error: Some(Error::invalid("body", e.to_string())),
                ..self
            },
        }
    }

    /// [`Call::json`] for a body that is a `Value`: its text written by
    /// [`json_text`](crate::json_text) (what bindings use: no serializer per body type).
    pub fn json_value(mut self, body: &Value) -> Self {
        self.body = Some(crate::json_text::write(body));
        self
    }

    /// [`Call::entity`] for a body that is a `Value` (as [`Call::json_value`]).
    pub(crate) fn entity_value(self, entity: &str, body: &Value) -> Self {
        let wrapped = wrap(entity, body.clone());
        self.json_value(&wrapped)
    }

    /// `From: email` for this request, overriding the client's default.
    pub fn from(mut self, email: &str) -> Self {
        match check_email("from", email) {
            Ok(e) => self.from = Some(e),
            Err(e) => self.error = Some(e),
        }
        self
    }

    /// `X-EARLY-ACCESS: value`, for endpoints in early access.
    pub fn early_access(mut self, value: &str) -> Self {
        match check_header_value("early_access", value) {
            Ok(v) => self.early_access = Some(v),
            Err(e) => self.error = Some(e),
        }
        self
    }

    /// The request, or the first problem found while building it.
    pub fn build(self) -> Result<Request, Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let rest = self.rest;
        let mut url = rest.resolve(&self.target)?;
        if !self.query.pairs().is_empty() {
            url.append_query_pairs(self.query.pairs().iter().map(|(k, v)| (&**k, &**v)));
        }
        // The invariant, checked on the URL as sent (queries included).
        check_under(&url, rest.endpoints.rest())?;
        let rel_path = url
            .path()
            .strip_prefix(rest.endpoints.rest().path())
            .unwrap_or(url.path())
            .to_owned();
        let from = self.from.or_else(|| rest.default_from.clone());
        let needs_from = spec_rules::requires_from(self.method, &rel_path);
        // A user token names its user; PagerDuty only needs From from account-level keys.
        let user_token =
            rest.credential.rest_key_kind() == Some(crate::credentials::RestKeyKind::UserToken);
        if needs_from && from.is_none() && !user_token {
            return Err(Error::invalid(
                "from",
                format!(
                    "{} /{} requires a From header with the email of a PagerDuty user; \
                     set a default From on the client or pass one for this call",
                    self.method,
                    rel_path.trim_start_matches('/')
                ),
            ));
        }
        let early = self
            .early_access
            .or_else(|| spec_rules::early_access(self.method, &rel_path).map(str::to_owned));

        let mut headers = vec![("accept".to_owned(), ACCEPT.to_owned())];
        // None with a token source: the attempt sets it (oauth::AuthorizedRetry).
        if let Some(auth) = rest.credential.authorization() {
            headers.push(("authorization".to_owned(), auth));
        }
        // The spec marks Content-Type as required on every operation, GETs included.
        headers.push(("content-type".to_owned(), "application/json".to_owned()));
        // From only where it means something: writes (PagerDuty ignores it on reads).
        if let Some(from) = from.filter(|_| needs_from || self.method != Method::Get) {
            headers.push(("from".to_owned(), from));
        }
        if let Some(v) = early {
            headers.push(("x-early-access".to_owned(), v));
        }
        if let Some(ua) = &rest.user_agent {
            headers.push(("user-agent".to_owned(), ua.clone()));
        }
        Ok(Request {
            method: self.method,
            url: url.into(),
            headers,
            body: self.body,
            timeout: rest.timeout,
        })
    }
}

/// `{"<entity>": value}`, unless `value` already is exactly that.
pub fn wrap(entity: &str, value: Value) -> Value {
    match &value {
        Value::Object(map) if map.len() == 1 && map.contains_key(entity) => value,
        _ => {
            let mut map = serde_json::Map::with_capacity(1);
            map.insert(entity.to_owned(), value);
            Value::Object(map)
        }
    }
}

/// The body of a successful response as JSON (`null` for an empty one, as on 204), or the
/// error the response stands for.
pub fn parse_json(response: &Response) -> Result<Value, Error> {
    check_status(response)?;
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    crate::json_text::parse(&response.body).map_err(|e| Error::decode(response, e))
}

/// The body of a successful response as JSON text, checked but not rebuilt (`"null"` for an
/// empty one): what bindings hand on as text, without the parse-and-reserialize of
/// [`parse_json`] followed by `to_string` (a page of 100 incidents is ~250 KB).
pub fn json_text(response: &Response) -> Result<&str, Error> {
    check_status(response)?;
    // The same emptiness rule as parse_json (ASCII whitespace only; `str::trim` would also
    // take U+000B and friends: found by the rest_success fuzz target).
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok("null");
    }
    let text = std::str::from_utf8(&response.body).map_err(|e| Error::decode(response, e))?;
    crate::json_text::check(text.as_bytes()).map_err(|e| Error::decode(response, e))?;
    Ok(text)
}

/// The entity inside `{"<entity>": {...}}` of a successful response, as `T`.
pub fn parse_entity<T: DeserializeOwned>(response: &Response, entity: &str) -> Result<T, Error> {
    let inner = entity_json(response, entity)?;
    serde_json::from_value(inner).map_err(|e| Error::decode(response, format!("{entity}: {e}")))
}

/// The entity inside `{"<entity>": {...}}` of a successful response, as JSON.
pub(crate) fn entity_json(response: &Response, entity: &str) -> Result<Value, Error> {
    check_status(response)?;
    let mut v = crate::json_text::parse(&response.body).map_err(|e| Error::decode(response, e))?;
    v.get_mut(entity)
        .map(Value::take)
        .ok_or_else(|| Error::decode(response, format!("expected a \"{entity}\" object")))
}

/// The whole body of a successful response as `T`.
pub fn parse_body<T: DeserializeOwned>(response: &Response) -> Result<T, Error> {
    check_status(response)?;
    serde_json::from_slice(&response.body).map_err(|e| Error::decode(response, e))
}

/// `Ok` for 2xx, otherwise the error the response stands for.
pub fn check_status(response: &Response) -> Result<(), Error> {
    if response.is_success() {
        Ok(())
    } else {
        Err(error_from_response(response, Api::Rest))
    }
}

pub(crate) fn check_header_value(field: &str, v: &str) -> Result<String, Error> {
    // Controls are refused before trimming: "ua\r\n" is a mistake to name, not to fix.
    if v.chars().any(|c| c.is_control() || !c.is_ascii()) {
        return Err(Error::invalid(
            field,
            "must be printable ASCII (no line breaks or control characters)",
        ));
    }
    let v = v.trim();
    if v.is_empty() {
        return Err(Error::invalid(field, "is empty"));
    }
    if v.chars().any(|c| c.is_control() || !c.is_ascii()) {
        return Err(Error::invalid(
            field,
            "must be printable ASCII (no line breaks or control characters)",
        ));
    }
    Ok(v.to_owned())
}

fn check_email(field: &str, v: &str) -> Result<String, Error> {
    let v = check_header_value(field, v)?;
    match v.split_once('@') {
        Some((user, domain)) if !user.is_empty() && !domain.is_empty() && !v.contains(' ') => Ok(v),
        _ => Err(Error::invalid(
            field,
            "must be the email address of a PagerDuty user",
        )),
    }
}

/// Checks an ID that goes into a path: PagerDuty IDs are letters, digits, `_` and `-`, and
/// anything else (`/`, `..`, `?`) could reach another endpoint.
pub(crate) fn check_id(field: &str, id: &str) -> Result<(), Error> {
    if id.is_empty() {
        return Err(Error::invalid(field, "is empty"));
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(Error::invalid(
            field,
            "must be a PagerDuty ID (letters, digits, '_' or '-')",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::{OAuthToken, RestToken};
    use serde_json::json;

    const KEY: &str = "y_NbAkKc66ryYTWUXYEu";

    fn rest() -> Rest {
        Rest::new(
            RestToken::general_access(KEY).unwrap().into(),
            Endpoints::default(),
        )
    }

    #[test]
    fn headers_for_a_read() {
        let r = rest().call(Method::Get, "incidents/P1").build().unwrap();
        assert_eq!(r.url, "https://api.pagerduty.com/incidents/P1");
        assert_eq!(
            r.headers,
            vec![
                ("accept".to_string(), ACCEPT.to_string()),
                ("authorization".into(), format!("Token token={KEY}")),
                ("content-type".into(), "application/json".into()),
            ]
        );
        assert_eq!(r.body, None);
    }

    #[test]
    fn oauth_is_bearer() {
        let t = OAuthToken::new("pdus+_0XBPWQQ_0123456789abcdefghijklmnopq").unwrap();
        let r = Rest::new(t.into(), Endpoints::default())
            .call(Method::Get, "/users/me")
            .build()
            .unwrap();
        assert_eq!(
            r.header("authorization"),
            Some("Bearer pdus+_0XBPWQQ_0123456789abcdefghijklmnopq")
        );
    }

    #[test]
    fn full_urls_only_on_the_configured_host() {
        let r = rest()
            .call(Method::Get, "https://api.pagerduty.com/incidents?limit=1")
            .param("offset", "2")
            .build()
            .unwrap();
        assert_eq!(
            r.url,
            "https://api.pagerduty.com/incidents?limit=1&offset=2"
        );
        for evil in [
            "https://evil.example.com/incidents",
            "http://api.pagerduty.com/incidents",
            "https://api.pagerduty.com:8443/incidents",
            "https://api.eu.pagerduty.com/incidents",
        ] {
            let err = rest().call(Method::Get, evil).build().unwrap_err();
            assert_eq!(
                err.to_string(),
                "invalid path: is a URL outside the configured REST API (https://api.pagerduty.com); \
                 the key is only sent there",
                "{evil}"
            );
        }
        assert_eq!(
            rest()
                .call(Method::Get, "//evil.example.com/x")
                .build()
                .unwrap_err()
                .code(),
            "invalid_input"
        );
    }

    /// Every target that sent the key to a second server in issue 11 (C, Python and Node alike),
    /// and variants: refused before any I/O, naming `path`.
    #[test]
    fn no_target_leaves_the_configured_api() {
        let local = Rest::new(
            RestToken::general_access(KEY).unwrap().into(),
            Endpoints::custom("http://127.0.0.1:18090").unwrap(),
        );
        let prefixed = Rest::new(
            RestToken::general_access(KEY).unwrap().into(),
            Endpoints::custom("http://127.0.0.1:18090/pd").unwrap(),
        );
        let escapes = [
            "\\\\127.0.0.2:18091/x",
            "\\/127.0.0.2/x",
            "http:\\\\127.0.0.2/x",
            "\t//127.0.0.2/x",
            " //127.0.0.2/x",
            "\x0b//127.0.0.2/x",
            "\\\\2130706434:18091/x",
            "\\\\[::ffff:127.0.0.2]/x",
            "http:127.0.0.2:18091/x",
            "http:evil.example/x",
            "\\\\evil.example/x",
            "\r\n//evil.example/x",
            "//127.0.0.2/x",
            "///127.0.0.2/x",
            "http://127.0.0.2:18091/x",
            "http://127.0.0.1:18091/x",
            "https://127.0.0.1:18090/x",
            "http://user@127.0.0.1:18090/x",
            "/..//x",
            "..\\..\\x",
            "/\\x",
            "/%2e%2e/x",
            "/incidents/../../x",
            "/x#frag",
            "/x\u{3000}y",
            "/\u{FF0F}\u{FF0F}evil",
            "mailto:a@b",
            "",
        ];
        for rest in [&local, &prefixed, &rest()] {
            for target in escapes {
                let err = rest.call(Method::Get, target).build().unwrap_err();
                match &err {
                    Error::InvalidInput { field, .. } => assert_eq!(field, "path", "{target:?}"),
                    other => panic!("{target:?}: {other}"),
                }
            }
        }
        // What stays allowed.
        for (target, url) in [
            ("/incidents", "http://127.0.0.1:18090/pd/incidents"),
            ("incidents/P1", "http://127.0.0.1:18090/pd/incidents/P1"),
            ("/x?a=1&b=c:d", "http://127.0.0.1:18090/pd/x?a=1&b=c:d"),
            ("http://127.0.0.1:18090/pd/x", "http://127.0.0.1:18090/pd/x"),
        ] {
            assert_eq!(prefixed.call(Method::Get, target).build().unwrap().url, url);
        }
        assert!(prefixed
            .call(Method::Get, "http://127.0.0.1:18090/other")
            .build()
            .is_err());
    }

    /// What URL parsers keep as it is but a server or proxy decodes into a way out of the
    /// base's path (`/pd/%2e%2e%2fx` is `/x` to nginx, `/pd/..;/x` to Tomcat): refused.
    #[test]
    fn no_target_leaves_the_base_path_once_a_server_decodes_it() {
        let prefixed = Rest::new(
            RestToken::general_access(KEY).unwrap().into(),
            Endpoints::custom("http://127.0.0.1:18090/pd").unwrap(),
        );
        for target in [
            "/%2e%2e%2fx",
            "/%2E%2E%2Fx",
            "x/%2e%2e%2f%2e%2e%2fother",
            "/..%2fx",
            "/..%5cx",
            "/%2e%2e%5Cx",
            "/..;/x",
            "/..;a=b/x",
            "/.;/x",
            "/%2e%2e;/x",
            "/incidents/..;/..;/x",
            "/x%00/../y",
            "/incidents%2fP1",
            "http://127.0.0.1:18090/pd/..;/other",
            "http://127.0.0.1:18090/pd/%2e%2e%2fother",
        ] {
            match prefixed.call(Method::Get, target).build() {
                Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "path", "{target:?}"),
                other => panic!("{target:?}: {other:?}"),
            }
        }
        // Encoded characters elsewhere, `;` in a segment, `..` in a query stay allowed.
        for (target, url) in [
            ("/x;y", "http://127.0.0.1:18090/pd/x;y"),
            ("/a%20b/c..d", "http://127.0.0.1:18090/pd/a%20b/c..d"),
            ("/x?q=%2f..%5c", "http://127.0.0.1:18090/pd/x?q=%2f..%5c"),
        ] {
            assert_eq!(prefixed.call(Method::Get, target).build().unwrap().url, url);
        }
    }

    #[test]
    fn base_url_with_a_path_prefix_is_kept() {
        let rest = Rest::new(
            RestToken::general_access(KEY).unwrap().into(),
            Endpoints::custom("http://127.0.0.1:9000/pd").unwrap(),
        );
        let r = rest.call(Method::Get, "/incidents").build().unwrap();
        assert_eq!(r.url, "http://127.0.0.1:9000/pd/incidents");
        assert!(rest
            .call(Method::Get, "http://127.0.0.1:9000/other/incidents")
            .build()
            .is_err());
    }

    #[test]
    fn from_is_required_where_the_spec_says() {
        let err = rest()
            .call(Method::Put, "/incidents/P1")
            .entity(
                "incident",
                &json!({"type": "incident_reference", "status": "acknowledged"}),
            )
            .build()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid from: PUT /incidents/P1 requires a From header with the email of a PagerDuty user; \
             set a default From on the client or pass one for this call"
        );
        let r = rest()
            .with_default_from("a@example.com")
            .unwrap()
            .call(Method::Put, "/incidents/P1")
            .json(&json!({"incident": {"type": "incident_reference"}}))
            .build()
            .unwrap();
        assert_eq!(r.header("from"), Some("a@example.com"));
        // The per-call value wins, and GETs carry none.
        let r = rest()
            .with_default_from("a@example.com")
            .unwrap()
            .call(Method::Post, "/incidents/P1/notes")
            .from("b@example.com")
            .build()
            .unwrap();
        assert_eq!(r.header("from"), Some("b@example.com"));
        let r = rest()
            .with_default_from("a@example.com")
            .unwrap()
            .call(Method::Get, "/incidents")
            .build()
            .unwrap();
        assert_eq!(r.header("from"), None);
        assert_eq!(
            rest()
                .call(Method::Get, "/x")
                .from("nobody")
                .build()
                .unwrap_err()
                .to_string(),
            "invalid from: must be the email address of a PagerDuty user"
        );
        // A user token identifies its user: no From needed.
        let user = Rest::new(
            RestToken::user_token(KEY).unwrap().into(),
            Endpoints::default(),
        );
        let r = user.call(Method::Put, "/incidents/P1").build().unwrap();
        assert_eq!(r.header("from"), None);
        assert!(rest()
            .call(Method::Get, "/x")
            .from("a@b.c\r\nX-Evil: 1")
            .build()
            .is_err());
    }

    #[test]
    fn entity_wrapping_and_early_access() {
        let r = rest()
            .call(Method::Post, "/services")
            .entity("service", &json!({"name": "web"}))
            .build()
            .unwrap();
        assert_eq!(r.body.as_deref(), Some(r#"{"service":{"name":"web"}}"#));
        let r = rest()
            .call(Method::Post, "/services")
            .entity("service", &json!({"service": {"name": "web"}}))
            .build()
            .unwrap();
        assert_eq!(r.body.as_deref(), Some(r#"{"service":{"name":"web"}}"#));
        let r = rest().call(Method::Get, "/ip_allow_lists").build().unwrap();
        assert_eq!(r.header("x-early-access"), Some("ip-allow-lists"));
        let r = rest()
            .call(Method::Get, "/x")
            .early_access("new-thing")
            .build()
            .unwrap();
        assert_eq!(r.header("x-early-access"), Some("new-thing"));
        assert!(rest()
            .call(Method::Post, "/x")
            .json_text("{nope")
            .build()
            .is_err());
    }

    #[test]
    fn entity_unwrapping() {
        let ok = Response::new(200, vec![], r#"{"incident":{"id":"P1","title":"x"}}"#);
        let v: Value = parse_entity(&ok, "incident").unwrap();
        assert_eq!(v["id"], "P1");
        let err = parse_entity::<Value>(&ok, "service").unwrap_err();
        assert_eq!(err.code(), "decode");
        assert_eq!(
            err.to_string(),
            "could not decode the response (HTTP 200): expected a \"service\" object; body starts: \
             \"{\\\"incident\\\":{\\\"id\\\":\\\"P1\\\",\\\"title\\\":\\\"x\\\"}}\""
        );
        let not_found = Response::new(
            404,
            vec![],
            r#"{"error":{"message":"Not Found","code":2100}}"#,
        );
        assert_eq!(
            parse_entity::<Value>(&not_found, "incident")
                .unwrap_err()
                .code(),
            "not_found"
        );
        assert_eq!(
            parse_json(&Response::new(204, vec![], "")).unwrap(),
            Value::Null
        );
        assert_eq!(
            parse_json(&Response::new(200, vec![], "{\"a\":"))
                .unwrap_err()
                .code(),
            "decode"
        );
    }

    #[test]
    fn json_text_hands_the_body_on_checked() {
        let body = r#"{ "incidents": [ {"id": "P1"} ], "more": false }"#;
        assert_eq!(json_text(&Response::new(200, vec![], body)).unwrap(), body);
        assert_eq!(json_text(&Response::new(204, vec![], " ")).unwrap(), "null");
        for bad in [
            &b"{\"a\":"[..],
            &b"{\"a\": 1} x"[..],
            &b"\"\xff\""[..],
            &b"999999e99999"[..],
        ] {
            let e = json_text(&Response::new(200, vec![], bad.to_vec())).unwrap_err();
            assert_eq!(e.code(), "decode");
        }
        let missing = Response::new(404, vec![], r#"{"error":{"message":"Not Found"}}"#);
        assert_eq!(json_text(&missing).unwrap_err().code(), "not_found");
    }

    #[test]
    fn ids_are_checked() {
        assert!(check_id("id", "PABC123").is_ok());
        assert_eq!(
            check_id("incident_id", "../users").unwrap_err().to_string(),
            "invalid incident_id: must be a PagerDuty ID (letters, digits, '_' or '-')"
        );
    }
}
