//! Secrets, one type per kind, so that a key can only reach the API it works with.
//!
//! | type | API | shape | sent as |
//! |---|---|---|---|
//! | [`RestToken`] | REST API v2 | 20 characters | `Authorization: Token token=KEY` |
//! | [`OAuthToken`] | REST API v2 | an OAuth access token | `Authorization: Bearer TOKEN` |
//! | [`IntegrationKey`] | Events API v2, change events, Events API v1 | 32 characters | `routing_key` / `service_key` in the body |
//!
//! The REST builder only takes a [`RestCredential`] and the events builders only take an
//! [`IntegrationKey`]: in Rust the mix-up does not compile. Bindings receive plain strings, so
//! the constructors check the shape and name the likely mix-up. No `Debug` or `Display` impl,
//! and no error message, ever contains the secret itself.

use std::fmt;

use zeroize::Zeroizing;

use crate::error::Error;

/// Length of a REST API key (general access or user token).
pub const REST_KEY_LEN: usize = 20;
/// Length of an Events API integration (routing) key.
pub const INTEGRATION_KEY_LEN: usize = 32;

/// The secret bytes, wiped from memory on drop, never printed.
#[derive(Clone)]
struct Secret(Zeroizing<String>);

impl Secret {
    fn expose(&self) -> &str {
        &self.0
    }
}

/// Trims surrounding whitespace (a key read from a file often ends in a newline) and refuses
/// anything that could not be a key: empty, interior whitespace or control characters (which
/// would also allow header injection), non-ASCII.
fn clean(field: &'static str, raw: &str) -> Result<Secret, Error> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid(field, "is empty"));
    }
    if let Some(bad) = trimmed.chars().find(|c| !c.is_ascii_graphic()) {
        let what = if bad.is_whitespace() {
            "whitespace"
        } else if bad.is_control() {
            "a control character"
        } else {
            "a non-ASCII character"
        };
        return Err(Error::invalid(
            field,
            format!("contains {what}; a PagerDuty key is printable ASCII without spaces"),
        ));
    }
    Ok(Secret(Zeroizing::new(trimmed.to_owned())))
}

fn looks_like_integration_key(s: &str) -> bool {
    s.len() == INTEGRATION_KEY_LEN && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn looks_like_rest_key(s: &str) -> bool {
    s.len() == REST_KEY_LEN
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'+')
}

/// Which kind of REST API key this is. Both are sent the same way; the kind is kept so that a
/// 403 can be explained (a user token is limited to its user's permissions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestKeyKind {
    /// An account-wide general access key (may be read-only).
    GeneralAccess,
    /// A personal user token: limited to what that user may do.
    UserToken,
}

/// A REST API v2 key, 20 characters, sent as `Authorization: Token token=KEY`.
#[derive(Clone)]
pub struct RestToken {
    secret: Secret,
    kind: RestKeyKind,
}

impl RestToken {
    /// A key of the given kind, checked for shape.
    pub fn new(key: &str, kind: RestKeyKind) -> Result<Self, Error> {
        const FIELD: &str = "token";
        let secret = clean(FIELD, key)?;
        let s = secret.expose();
        if looks_like_integration_key(s) {
            return Err(Error::wrong_key_kind(
                "this is 32 characters: it looks like an integration key, which only works with the Events API; \
                 the REST API needs a 20-character REST API key",
            ));
        }
        if !looks_like_rest_key(s) {
            return Err(Error::invalid(
                FIELD,
                format!(
                    "is {} characters; a REST API key is {REST_KEY_LEN} characters of letters, digits, '_', '-' or '+' \
                     (an OAuth access token is sent as Bearer instead)",
                    s.len()
                ),
            ));
        }
        Ok(RestToken { secret, kind })
    }

    /// A general access (account-wide) key.
    pub fn general_access(key: &str) -> Result<Self, Error> {
        Self::new(key, RestKeyKind::GeneralAccess)
    }

    /// A personal user token.
    pub fn user_token(key: &str) -> Result<Self, Error> {
        Self::new(key, RestKeyKind::UserToken)
    }

    /// Which kind of key this is.
    pub fn kind(&self) -> RestKeyKind {
        self.kind
    }
}

/// An OAuth 2.0 access token for the REST API, sent as `Authorization: Bearer TOKEN`.
#[derive(Clone)]
pub struct OAuthToken {
    secret: Secret,
}

impl OAuthToken {
    /// Checks the token is printable, and not one of the other kinds of key.
    pub fn new(token: &str) -> Result<Self, Error> {
        let secret = clean("oauth_token", token)?;
        let s = secret.expose();
        if looks_like_integration_key(s) {
            return Err(Error::wrong_key_kind(
                "this is 32 characters: it looks like an integration key, which only works with the Events API, \
                 not as an OAuth token",
            ));
        }
        if looks_like_rest_key(s) {
            return Err(Error::wrong_key_kind(
                "this is 20 characters: it looks like a REST API key, which is sent as `Token token=`, not as an \
                 OAuth Bearer token",
            ));
        }
        Ok(OAuthToken { secret })
    }

    /// A token an identity server issued: only checked to be printable (its length says
    /// nothing about its kind).
    pub(crate) fn issued(token: &str) -> Result<Self, Error> {
        Ok(OAuthToken {
            secret: clean("access_token", token)?,
        })
    }

    /// The token itself (for the bindings' plain-JSON token answer: a secret).
    pub(crate) fn expose(&self) -> &str {
        self.secret.expose()
    }

    /// The `Authorization` header's value.
    pub(crate) fn bearer(&self) -> String {
        format!("Bearer {}", self.secret.expose())
    }
}

/// What the REST API accepts.
#[derive(Clone)]
pub enum RestCredential {
    /// `Authorization: Token token=KEY`
    Token(RestToken),
    /// `Authorization: Bearer TOKEN`
    OAuth(OAuthToken),
    /// OAuth tokens from a [`crate::oauth::TokenSource`]: requests are built without an
    /// `Authorization` header and [`crate::oauth::AuthorizedRetry`] sets one on each attempt.
    TokenSource,
}

impl RestCredential {
    /// The value of the `Authorization` header.
    pub(crate) fn authorization(&self) -> Option<String> {
        match self {
            RestCredential::Token(t) => Some(format!("Token token={}", t.secret.expose())),
            RestCredential::OAuth(t) => Some(t.bearer()),
            RestCredential::TokenSource => None,
        }
    }

    /// The key kind, when it is a REST API key.
    pub fn rest_key_kind(&self) -> Option<RestKeyKind> {
        match self {
            RestCredential::Token(t) => Some(t.kind),
            RestCredential::OAuth(_) | RestCredential::TokenSource => None,
        }
    }
}

impl From<RestToken> for RestCredential {
    fn from(t: RestToken) -> Self {
        RestCredential::Token(t)
    }
}

impl From<OAuthToken> for RestCredential {
    fn from(t: OAuthToken) -> Self {
        RestCredential::OAuth(t)
    }
}

/// An Events API integration (routing) key: 32 characters, sent in the body.
#[derive(Clone)]
pub struct IntegrationKey {
    secret: Secret,
}

impl IntegrationKey {
    /// Checks the shape, and names the mix-up when a REST key is given instead.
    pub fn new(key: &str) -> Result<Self, Error> {
        const FIELD: &str = "routing_key";
        let secret = clean(FIELD, key)?;
        let s = secret.expose();
        if looks_like_rest_key(s) {
            return Err(Error::wrong_key_kind(
                "this is 20 characters: it looks like a REST API key, which never works with the Events API; \
                 events need the 32-character integration key of an Events API v2 integration",
            ));
        }
        if !looks_like_integration_key(s) {
            return Err(Error::invalid(
                FIELD,
                format!(
                    "is {} characters; an integration key is {INTEGRATION_KEY_LEN} letters and digits",
                    s.len()
                ),
            ));
        }
        Ok(IntegrationKey { secret })
    }

    /// The key itself, for the body of an event. Crate-private: nothing else may read it.
    pub(crate) fn expose(&self) -> &str {
        self.secret.expose()
    }
}

macro_rules! redacted {
    ($ty:ty, $label:expr) => {
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}(<redacted>)", $label)
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "<redacted {}>", $label)
            }
        }
    };
}

redacted!(RestToken, "RestToken");
redacted!(OAuthToken, "OAuthToken");
redacted!(IntegrationKey, "IntegrationKey");

impl fmt::Debug for RestCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RestCredential::Token(t) => fmt::Debug::fmt(t, f),
            RestCredential::OAuth(t) => fmt::Debug::fmt(t, f),
            RestCredential::TokenSource => f.write_str("TokenSource"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REST: &str = "y_NbAkKc66ryYTWUXYEu";
    const INTEGRATION: &str = "8f2a6b0c1d4e4f5a9b7c3d2e1f0a9b8c";

    #[test]
    fn rest_token_accepts_the_documented_shape() {
        let t = RestToken::general_access(REST).unwrap();
        assert_eq!(t.kind(), RestKeyKind::GeneralAccess);
        assert_eq!(
            RestCredential::from(t).authorization().unwrap(),
            format!("Token token={REST}")
        );
        // A trailing newline from a key file is not part of the key.
        assert!(RestToken::user_token(&format!("{REST}\n")).is_ok());
    }

    #[test]
    fn rest_token_names_the_integration_key_mixup() {
        let err = RestToken::general_access(INTEGRATION).unwrap_err();
        assert_eq!(err.code(), "wrong_key_kind");
        assert_eq!(
            err.to_string(),
            "wrong kind of key: this is 32 characters: it looks like an integration key, which only works with the \
             Events API; the REST API needs a 20-character REST API key"
        );
    }

    #[test]
    fn integration_key_names_the_rest_key_mixup() {
        let err = IntegrationKey::new(REST).unwrap_err();
        assert_eq!(err.code(), "wrong_key_kind");
        assert!(err.to_string().contains("looks like a REST API key"));
        assert!(IntegrationKey::new(INTEGRATION).is_ok());
    }

    #[test]
    fn bad_shapes_are_invalid_input_without_echoing_the_key() {
        let err = RestToken::general_access("abc").unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        assert_eq!(
            err.to_string(),
            "invalid token: is 3 characters; a REST API key is 20 characters of letters, digits, '_', '-' or '+' \
             (an OAuth access token is sent as Bearer instead)"
        );
        let err = RestToken::general_access("y_NbAkKc66\r\nYTWUXYE").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid token: contains whitespace; a PagerDuty key is printable ASCII without spaces"
        );
        assert!(!err.to_string().contains("y_NbAkKc66"));
        assert_eq!(
            IntegrationKey::new("").unwrap_err().to_string(),
            "invalid routing_key: is empty"
        );
    }

    #[test]
    fn oauth_refuses_other_kinds() {
        assert_eq!(OAuthToken::new(REST).unwrap_err().code(), "wrong_key_kind");
        assert_eq!(
            OAuthToken::new(INTEGRATION).unwrap_err().code(),
            "wrong_key_kind"
        );
        let t = OAuthToken::new("pdus+_0XBPWQQ_abcdefghijklmnopqrstuvwxyz0123").unwrap();
        assert!(RestCredential::from(t)
            .authorization()
            .unwrap()
            .starts_with("Bearer pdus+_"));
    }

    #[test]
    fn debug_and_display_never_show_the_secret() {
        let t = RestToken::general_access(REST).unwrap();
        let k = IntegrationKey::new(INTEGRATION).unwrap();
        let c = RestCredential::from(t.clone());
        for s in [
            format!("{t:?}"),
            format!("{t}"),
            format!("{k:?}"),
            format!("{k}"),
            format!("{c:?}"),
        ] {
            assert!(!s.contains(REST) && !s.contains(INTEGRATION), "{s}");
            assert!(s.contains("redacted"));
        }
    }
}
