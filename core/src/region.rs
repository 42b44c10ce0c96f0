//! Where requests go: one setting derives both the REST host and the Events host.
//!
//! | setting | REST | Events |
//! |---|---|---|
//! | `us` | `https://api.pagerduty.com` | `https://events.pagerduty.com` |
//! | `eu` | `https://api.eu.pagerduty.com` | `https://events.eu.pagerduty.com` |
//! | a base URL | that URL | that URL (a simulator serves both) |
//!
//! Custom URLs must be `https`, except on loopback (127.0.0.0/8, ::1, `localhost`), where a
//! local simulator speaks plain HTTP: keys only ever travel encrypted off the machine.

use std::fmt;
use std::net::IpAddr;

use crate::url::{Host, ParseError, Url};

use crate::error::Error;

/// A PagerDuty service region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// The US service region.
    Us,
    /// The EU service region.
    Eu,
}

/// The base URLs of the REST and Events APIs.
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoints {
    rest: Url,
    events: Url,
}

impl Endpoints {
    /// The hosts of a PagerDuty region.
    pub fn region(region: Region) -> Self {
        let (rest, events) = match region {
            Region::Us => (
                "https://api.pagerduty.com/",
                "https://events.pagerduty.com/",
            ),
            Region::Eu => (
                "https://api.eu.pagerduty.com/",
                "https://events.eu.pagerduty.com/",
            ),
        };
        Endpoints {
            rest: Url::parse(rest).expect("constant URL"),
            events: Url::parse(events).expect("constant URL"),
        }
    }

    /// One base URL for both APIs (a simulator, a proxy).
    pub fn custom(base: &str) -> Result<Self, Error> {
        let url = check_base("base_url", base)?;
        Ok(Endpoints {
            rest: url.clone(),
            events: url,
        })
    }

    /// Separate base URLs for REST and events.
    pub fn custom_split(rest: &str, events: &str) -> Result<Self, Error> {
        Ok(Endpoints {
            rest: check_base("rest_url", rest)?,
            events: check_base("events_url", events)?,
        })
    }

    /// `"us"`, `"eu"` (any case), or a base URL.
    pub fn parse(setting: &str) -> Result<Self, Error> {
        match setting.trim().to_ascii_lowercase().as_str() {
            "us" | "" => Ok(Self::region(Region::Us)),
            "eu" => Ok(Self::region(Region::Eu)),
            _ if setting.contains("://") => Self::custom(setting),
            _ => Err(Error::invalid(
                "region",
                "must be \"us\", \"eu\" or an https:// base URL",
            )),
        }
    }

    /// REST API base, ending in `/`.
    pub fn rest(&self) -> &Url {
        &self.rest
    }

    /// Events API base, ending in `/`.
    pub fn events(&self) -> &Url {
        &self.events
    }
}

impl Default for Endpoints {
    fn default() -> Self {
        Self::region(Region::Us)
    }
}

impl fmt::Debug for Endpoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoints")
            .field("rest", &self.rest.as_str())
            .field("events", &self.events.as_str())
            .finish()
    }
}

/// Whether the URL's host is this machine.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

fn check_base(field: &str, raw: &str) -> Result<Url, Error> {
    let url = Url::parse(raw.trim()).map_err(|e| match e {
        ParseError::UserInfo => Error::invalid(field, "must not contain a user name or password"),
        e => Error::invalid(field, format!("is not a URL: {e}")),
    })?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::invalid(
                field,
                "must use https: keys may only travel over plain http to loopback \
                 (127.0.0.0/8, ::1, localhost)",
            ))
        }
        other => {
            return Err(Error::invalid(
                field,
                format!("has scheme {other:?}; use https"),
            ))
        }
    }
    if url.host().is_none() {
        return Err(Error::invalid(field, "has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid(field, "must not have a query or fragment"));
    }
    Ok(url.with_trailing_slash())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_derive_both_hosts() {
        let eu = Endpoints::parse("EU").unwrap();
        assert_eq!(eu.rest().as_str(), "https://api.eu.pagerduty.com/");
        assert_eq!(eu.events().as_str(), "https://events.eu.pagerduty.com/");
        let us = Endpoints::parse("us").unwrap();
        assert_eq!(us.events().as_str(), "https://events.pagerduty.com/");
    }

    #[test]
    fn custom_urls_need_https_except_on_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.8.9.10",
            "http://[::1]:9",
            "http://localhost:3000/pd",
            "https://pd-proxy.example.com",
        ] {
            let e = Endpoints::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert!(e.rest().path().ends_with('/'));
            assert_eq!(e.rest(), e.events());
        }
        let err = Endpoints::parse("http://10.0.0.1:8080").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid base_url: must use https: keys may only travel over plain http to loopback \
             (127.0.0.0/8, ::1, localhost)"
        );
        assert!(Endpoints::parse("http://localhost.evil.com").is_err());
        assert!(Endpoints::parse("ftp://127.0.0.1").is_err());
        assert!(Endpoints::parse("https://user:pw@host").is_err());
        assert!(Endpoints::parse("https://host/?a=1").is_err());
        assert_eq!(
            Endpoints::parse("mars").unwrap_err().to_string(),
            "invalid region: must be \"us\", \"eu\" or an https:// base URL"
        );
    }
}
