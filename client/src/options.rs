//! Client options, shared by the async and blocking clients.

use std::time::Duration;

use pagerduty_core::bindings::options::ClientOptions;
use pagerduty_core::events::Events;
use pagerduty_core::oauth::SharedTokenSource;
use pagerduty_core::region::Endpoints;
use pagerduty_core::rest::Rest;
use pagerduty_core::retry::RetryPolicy;
use pagerduty_core::Error;

use crate::transport::Settings;

/// Which kind of REST credential a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenKind {
    /// A general access (account) API key, `Authorization: Token token=...` (the default).
    #[default]
    General,
    /// A user's personal API token, `Authorization: Token token=...`; writes need no `From`.
    User,
    /// An OAuth access token, `Authorization: Bearer ...`.
    OAuth,
}

/// How a client talks to PagerDuty: region or base URL, `From`, timeouts, retries, extra CAs.
/// Every setting has a default; errors in a setting surface when a client is built.
///
/// ```
/// use std::time::Duration;
/// use pagerduty_client::{Options, TokenKind};
///
/// let options = Options::new()
///     .region("eu")                       // or "us" (the default), or a base URL
///     .from("oncall@example.com")         // `From` for the REST writes that need it
///     .timeout(Duration::from_secs(10))   // each attempt's
///     .token_kind(TokenKind::User);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Options {
    core: ClientOptions,
    token_kind: TokenKind,
    /// The first setting that could not be read, reported by `build`.
    error: Option<Error>,
}

impl Options {
    /// The defaults: the US service region, 30 s per attempt, retries for up to 60 s, 8 MiB
    /// answers, the system's certificate roots.
    pub fn new() -> Self {
        Self::default()
    }

    /// From the options object every binding reads (`{"region": "eu", "timeout_ms": 10000,
    /// "retry": {...}, ...}`; see [`ClientOptions`]).
    pub fn from_json(v: &serde_json::Value) -> Result<Self, Error> {
        Ok(Self::from_core(ClientOptions::from_json(v)?))
    }

    /// From the core's options.
    pub fn from_core(core: ClientOptions) -> Self {
        let token_kind = match core.token_kind.as_str() {
            "user" | "user_token" => TokenKind::User,
            "oauth" | "bearer" => TokenKind::OAuth,
            _ => TokenKind::General,
        };
        Options {
            core,
            token_kind,
            error: None,
        }
    }

    fn keep(mut self, r: Result<(), Error>) -> Self {
        if let (Err(e), None) = (r, &self.error) {
            self.error = Some(e);
        }
        self
    }

    /// `"us"`, `"eu"` or a base URL (`https://...`; `http://` only on loopback, as for the
    /// simulator). One setting for REST and Events.
    pub fn region(mut self, region_or_base_url: &str) -> Self {
        let r = Endpoints::parse(region_or_base_url).map(|e| self.core.endpoints = e);
        self.keep(r)
    }

    /// The hosts, already parsed.
    pub fn endpoints(mut self, endpoints: Endpoints) -> Self {
        self.core.endpoints = endpoints;
        self
    }

    /// A scoped OAuth app's client credentials: the REST client then takes no token (give
    /// `""`) and fetches its own with these, lazily, refreshing before expiry and once after a
    /// 401 ([`pagerduty_core::oauth`]). `scopes` get `as_account-{us|eu}.{subdomain}` added;
    /// the identity host follows the region, so set the region first. A scope PagerDuty does
    /// not grant fails the first call with `scope_not_granted` naming it.
    pub fn client_credentials(
        mut self,
        client_id: &str,
        client_secret: &str,
        scopes: &[&str],
        subdomain: &str,
    ) -> Self {
        let identity = pagerduty_core::oauth::identity_base(&self.core.endpoints);
        let r = pagerduty_core::oauth::ClientCredentials::new(
            client_id,
            client_secret,
            scopes,
            Some(subdomain),
            None,
            &identity,
        )
        .map(|c| self.core.oauth = Some(c));
        self.keep(r)
    }

    /// The default `From` (a PagerDuty user's login email) for the REST writes that need one.
    pub fn from(mut self, email: &str) -> Self {
        self.core.from = Some(email.to_owned());
        self
    }

    /// The kind of REST credential (general access key by default).
    pub fn token_kind(mut self, kind: TokenKind) -> Self {
        self.token_kind = kind;
        self.core.token_kind = match kind {
            TokenKind::General => "general",
            TokenKind::User => "user",
            TokenKind::OAuth => "oauth",
        }
        .to_owned();
        self
    }

    /// Each attempt's timeout (30 s by default). The retry deadline only bounds when a new
    /// attempt may start.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.core.timeout = timeout;
        self
    }

    /// The retry policy (429, 5xx and lost answers, until a 60 s deadline by default).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.core.retry = policy;
        self
    }

    /// The `User-Agent` (`pagerduty-client/VERSION` by default).
    pub fn user_agent(mut self, user_agent: &str) -> Self {
        // Checked by the core's own reader (no line breaks: a header cannot be smuggled in).
        let r = ClientOptions::from_json(&serde_json::json!({ "user_agent": user_agent }))
            .map(|o| self.core.user_agent = o.user_agent);
        self.keep(r)
    }

    /// The largest answer read, in bytes (8 MiB by default); a larger one is a `decode` error.
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.core.max_response_bytes = bytes;
        self
    }

    /// Extra certificate authorities (PEM text) to trust beside the system's roots.
    pub fn ca_pem(mut self, pem: &str) -> Self {
        self.core.ca_pem = Some(pem.to_owned());
        self
    }

    /// A PEM file of extra certificate authorities to trust beside the system's roots.
    pub fn ca_file(mut self, path: impl AsRef<std::path::Path>) -> Self {
        self.core.ca_file = Some(path.as_ref().to_string_lossy().into_owned());
        self
    }

    /// The durable outbox's pacing, expiry and syncing ([`crate::outbox`]; its backoff
    /// between attempts is [`Options::retry`]'s delays).
    pub fn outbox(mut self, config: pagerduty_core::outbox::Config) -> Self {
        self.core.outbox = config;
        self
    }

    /// Cut event summaries longer than 1024 characters instead of refusing them.
    pub fn truncate_summary(mut self, cut: bool) -> Self {
        self.core.truncate_summary = cut;
        self
    }

    /// The core's view of these options.
    pub fn core(&self) -> &ClientOptions {
        &self.core
    }

    /// The REST kind of token these options expect.
    pub fn kind(&self) -> TokenKind {
        self.token_kind
    }

    fn checked(&self) -> Result<&ClientOptions, Error> {
        match &self.error {
            Some(e) => Err(e.clone()),
            None => Ok(&self.core),
        }
    }

    pub(crate) fn settings(&self) -> Result<Settings, Error> {
        Ok(Settings::from_options(self.checked()?))
    }

    pub(crate) fn rest(&self, token: &str) -> Result<Rest, Error> {
        self.checked()?.rest(token)
    }

    /// A new token source when the options hold client credentials.
    pub(crate) fn token_source(&self) -> Result<Option<SharedTokenSource>, Error> {
        Ok(self.checked()?.token_source())
    }

    pub(crate) fn events(&self) -> Result<Events, Error> {
        Ok(self.checked()?.events())
    }
}
