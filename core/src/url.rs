//! URLs as PagerDuty's configuration needs them: base URLs, the targets resolved under them,
//! redirect URIs and image sources. A strict subset of the URL standard (what the `url` crate
//! and every transport implement): where this module accepts an input, the `url` crate parses
//! it to the same URL (`core/tests/url_differential.rs` checks that); whatever the standard
//! would rewrite into something else is refused instead of rewritten:
//!
//! - whitespace and control characters anywhere (the standard strips or drops them), `\`
//!   (read as `/` in http URLs), a user name or password;
//! - hosts other than plain ASCII names (`a-z 0-9 - . _`, no empty label, no `xn--` label),
//!   canonical dotted IPv4 (`127.0.0.1`; never `127.1`, `0x7f.1`, `2130706433`, `0177.0.0.1`,
//!   which the standard turns into `127.0.0.1`) and bracketed IPv6 in hex (`[::1]`);
//! - `.` and `..` path segments, plain or percent-encoded (the standard resolves them);
//! - `http:host`, `http:/host`, `http:///host` (the standard reads all of them as
//!   `http://host`), an empty port, a port past 65535.
//!
//! Schemes other than http, https, ws, wss and ftp are kept with an opaque host or path
//! (`myapp://cb`, `com.example.app:/cb`, `urn:ietf:wg:oauth:2.0:oob`), as redirect URIs are.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Why a URL was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    /// No `scheme:` at the start.
    RelativeUrlWithoutBase,
    /// Whitespace or a control character somewhere.
    Whitespace,
    /// A `\` somewhere.
    Backslash,
    /// `user:password@` before the host.
    UserInfo,
    /// `http:host`, `http:/host` or `http:///host`.
    MissingSlashes,
    /// `http://` with nothing before the path.
    EmptyHost,
    /// A host that is not an ASCII name or address.
    InvalidDomainCharacter,
    /// A host ending in a number that is not a dotted-quad IPv4 address.
    InvalidIpv4Address,
    /// A bracketed host that is not a hex IPv6 address.
    InvalidIpv6Address,
    /// An empty, non-numeric or too large port.
    InvalidPort,
    /// A `.` or `..` path segment (`%2e` included).
    DotSegment,
    /// A `file:` URL, or a join onto a URL that has no hierarchical path.
    Unsupported,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParseError::RelativeUrlWithoutBase => "relative URL without a base",
            ParseError::Whitespace => "contains whitespace or a control character",
            ParseError::Backslash => "contains a backslash",
            ParseError::UserInfo => "contains a user name or password",
            ParseError::MissingSlashes => "must start with scheme:// and the host",
            ParseError::EmptyHost => "empty host",
            ParseError::InvalidDomainCharacter => {
                "invalid domain character (hosts are ASCII names: a-z 0-9 - . _)"
            }
            ParseError::InvalidIpv4Address => {
                "invalid IPv4 address (give four decimal parts, as 127.0.0.1)"
            }
            ParseError::InvalidIpv6Address => "invalid IPv6 address",
            ParseError::InvalidPort => "invalid port number",
            ParseError::DotSegment => "has a '.' or '..' path segment",
            ParseError::Unsupported => "is not a URL this library sends to",
        })
    }
}

impl std::error::Error for ParseError {}

/// A URL's host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host<'a> {
    /// A name (lowercase for http(s); as given for other schemes).
    Domain(&'a str),
    /// A dotted-quad IPv4 address.
    Ipv4(Ipv4Addr),
    /// A bracketed IPv6 address.
    Ipv6(Ipv6Addr),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum HostKind {
    Domain,
    Ipv4(Ipv4Addr),
    Ipv6(Ipv6Addr),
}

/// A host's kind and its span in the serialization (brackets included for IPv6).
type HostSpan = (HostKind, usize, usize);

/// A parsed URL, kept as its serialization and the positions of its parts.
#[derive(Clone, PartialEq, Eq)]
pub struct Url {
    text: String,
    scheme_end: usize,
    host: Option<HostSpan>,
    port: Option<u16>,
    path_start: usize,
    query_start: Option<usize>,
    fragment_start: Option<usize>,
}

/// The schemes the standard calls special, with their default ports.
fn default_port(scheme: &str) -> Option<Option<u16>> {
    match scheme {
        "http" | "ws" => Some(Some(80)),
        "https" | "wss" => Some(Some(443)),
        "ftp" => Some(Some(21)),
        "file" => Some(None),
        _ => None,
    }
}

impl Url {
    /// Parses an absolute URL, refusing what the URL standard would rewrite (module docs).
    pub fn parse(input: &str) -> Result<Url, ParseError> {
        if input.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(ParseError::Whitespace);
        }
        if input.contains('\\') {
            return Err(ParseError::Backslash);
        }
        let (scheme, rest) = input
            .split_once(':')
            .filter(|(s, _)| is_scheme(s))
            .ok_or(ParseError::RelativeUrlWithoutBase)?;
        let scheme = scheme.to_ascii_lowercase();
        let special = match default_port(&scheme) {
            Some(None) => return Err(ParseError::Unsupported),
            Some(Some(_)) => true,
            None => false,
        };
        let mut text = scheme.clone();
        text.push(':');
        let scheme_end = scheme.len();
        let (after_host, host, port) = if let Some(r) = rest.strip_prefix("//") {
            let end = r.find(['/', '?', '#']).unwrap_or(r.len());
            let (authority, after) = r.split_at(end);
            if special && authority.is_empty() {
                return Err(if after.starts_with('/') {
                    ParseError::MissingSlashes
                } else {
                    ParseError::EmptyHost
                });
            }
            text.push_str("//");
            let (host, port) = authority_into(&mut text, authority, &scheme, special)?;
            (after, Some(host), port)
        } else if special {
            return Err(ParseError::MissingSlashes);
        } else {
            (rest, None, None)
        };
        let path_start = text.len();
        let end = after_host.find(['?', '#']).unwrap_or(after_host.len());
        let (path, after) = after_host.split_at(end);
        if host.is_some() || path.starts_with('/') {
            if special && path.is_empty() {
                text.push('/');
            } else {
                path_into(&mut text, path)?;
            }
        } else {
            // An opaque path (`urn:...`, `mailto:...`): only non-ASCII is encoded.
            encode_into(&mut text, path, |_| false);
        }
        let (query, fragment) = match after.split_once('#') {
            Some((q, f)) => (q, Some(f)),
            None => (after, None),
        };
        let query_start = query.strip_prefix('?').map(|q| {
            text.push('?');
            let start = text.len();
            encode_into(&mut text, q, |b| {
                matches!(b, b'"' | b'<' | b'>') || (special && b == b'\'')
            });
            start
        });
        let fragment_start = fragment.map(|f| {
            text.push('#');
            let start = text.len();
            encode_into(&mut text, f, |b| matches!(b, b'"' | b'<' | b'>' | b'`'));
            start
        });
        Ok(Url {
            text,
            scheme_end,
            host,
            port,
            path_start,
            query_start,
            fragment_start,
        })
    }

    /// `relative` resolved against this URL, as `Url::join` of the `url` crate: a URL with a
    /// scheme stands alone; `/x` replaces the path; `x` replaces the last segment; `?q` the
    /// query; `#f` the fragment. A scheme-relative `//host/x` is refused.
    pub fn join(&self, relative: &str) -> Result<Url, ParseError> {
        if relative.split_once(':').is_some_and(|(s, _)| is_scheme(s)) {
            return Url::parse(relative);
        }
        if relative.starts_with("//") {
            return Err(ParseError::Unsupported);
        }
        if self.host.is_none() && !self.path().starts_with('/') {
            return Err(ParseError::Unsupported);
        }
        let origin = &self.text[..self.path_start];
        let path = self.path();
        let path_query =
            &self.text[self.path_start..self.fragment_start.map_or(self.text.len(), |f| f - 1)];
        let whole = if relative.is_empty() {
            format!("{origin}{path_query}")
        } else if relative.starts_with('/') {
            format!("{origin}{relative}")
        } else if relative.starts_with('?') {
            format!("{origin}{path}{relative}")
        } else if relative.starts_with('#') {
            format!("{origin}{path_query}{relative}")
        } else {
            // A host with an empty path (`myapp://cb`): the path becomes `/relative`; joined
            // straight on, `x` would extend the host (`myapp://cbx`).
            let dir = match path.rfind('/') {
                Some(i) => &path[..=i],
                None if self.host.is_some() => "/",
                None => "",
            };
            format!("{origin}{dir}{relative}")
        };
        Url::parse(&whole)
    }

    /// The whole URL.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The scheme, lowercase.
    pub fn scheme(&self) -> &str {
        &self.text[..self.scheme_end]
    }

    /// The host, if the URL has one.
    pub fn host(&self) -> Option<Host<'_>> {
        self.host.as_ref().map(|(kind, start, end)| match kind {
            HostKind::Domain => Host::Domain(&self.text[*start..*end]),
            HostKind::Ipv4(ip) => Host::Ipv4(*ip),
            HostKind::Ipv6(ip) => Host::Ipv6(*ip),
        })
    }

    /// The host as written in the URL (IPv6 in brackets).
    pub fn host_str(&self) -> Option<&str> {
        self.host
            .as_ref()
            .map(|(_, start, end)| &self.text[*start..*end])
    }

    /// The port, unless it is the scheme's default (or absent).
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The port, or the scheme's default one.
    pub fn port_or_known_default(&self) -> Option<u16> {
        self.port.or_else(|| default_port(self.scheme()).flatten())
    }

    /// The path (`/` at least, for http and https).
    pub fn path(&self) -> &str {
        let end = self
            .query_start
            .or(self.fragment_start)
            .map_or(self.text.len(), |i| i - 1);
        &self.text[self.path_start..end]
    }

    /// The query, without `?`.
    pub fn query(&self) -> Option<&str> {
        let start = self.query_start?;
        let end = self.fragment_start.map_or(self.text.len(), |i| i - 1);
        Some(&self.text[start..end])
    }

    /// The fragment, without `#`.
    pub fn fragment(&self) -> Option<&str> {
        self.fragment_start.map(|i| &self.text[i..])
    }

    /// The URL with `/` appended to its path unless the path ends in one.
    pub fn with_trailing_slash(self) -> Url {
        if self.path().ends_with('/') {
            return self;
        }
        let at = self.path_start + self.path().len();
        let mut text = self.text;
        text.insert(at, '/');
        let shift = |i: usize| i + 1;
        Url {
            text,
            query_start: self.query_start.map(shift),
            fragment_start: self.fragment_start.map(shift),
            ..self
        }
    }

    /// Appends form-encoded `name=value` pairs to the query, as the `url` crate's
    /// `query_pairs_mut().append_pair` does (the fragment stays last).
    pub fn append_query_pairs<'p, I>(&mut self, pairs: I)
    where
        I: IntoIterator<Item = (&'p str, &'p str)>,
    {
        let fragment = self.fragment_start.map(|i| {
            let f = self.text[i..].to_owned();
            self.text.truncate(i - 1);
            f
        });
        if self.query_start.is_none() {
            self.text.push('?');
            self.query_start = Some(self.text.len());
        }
        let start = self.query_start.unwrap_or(self.text.len());
        for (name, value) in pairs {
            if self.text.len() > start {
                self.text.push('&');
            }
            crate::form::serialize_into(&mut self.text, name);
            self.text.push('=');
            crate::form::serialize_into(&mut self.text, value);
        }
        self.fragment_start = fragment.map(|f| {
            self.text.push('#');
            let i = self.text.len();
            self.text.push_str(&f);
            i
        });
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Url({:?})", self.text)
    }
}

impl From<Url> for String {
    fn from(url: Url) -> String {
        url.text
    }
}

impl std::str::FromStr for Url {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Url, ParseError> {
        Url::parse(s)
    }
}

/// Whether the URL standard (the `url` crate, browsers) reads `input` as an https URL with a
/// host: a looser test than [`Url::parse`], for text this library only passes on as written (an
/// event's image src), never a destination of its own requests. It takes what the standard
/// rewrites (spaces, tabs, `\\`, user info, a trailing dot, `..` segments, `127.1`) and refuses
/// what the standard refuses for its host and port (and non-ASCII hosts, as the `url` crate
/// built without IDNA did); it may take a few hosts the standard refuses (`1.2.3.4.5`,
/// `%zz`), never the other way round.
pub fn is_https(input: &str) -> bool {
    if let Ok(url) = Url::parse(input) {
        return url.scheme() == "https";
    }
    let text: String = input
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case("https") {
        return false;
    }
    let rest = rest.trim_start_matches(['/', '\\']);
    let authority = &rest[..rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len())];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let (host, port) = if host_port.starts_with('[') {
        let Some(close) = host_port.find(']') else {
            return false;
        };
        let (host, after) = host_port.split_at(close + 1);
        match after.strip_prefix(':') {
            Some(port) => (host, port),
            None if after.is_empty() => (host, ""),
            None => return false,
        }
    } else {
        host_port.split_once(':').unwrap_or((host_port, ""))
    };
    // Empty, or digits worth at most 65535 (leading zeros allowed).
    let digits = port.trim_start_matches('0');
    let port_ok = port.bytes().all(|b| b.is_ascii_digit())
        && digits.len() <= 5
        && (digits.is_empty() || digits.parse::<u32>().is_ok_and(|p| p <= 65_535));
    let host_ok = match host.strip_prefix('[') {
        Some(inner) => inner
            .strip_suffix(']')
            .is_some_and(|ip| ipv6(ip, true).is_some()),
        None => {
            !host.is_empty()
                && !host.chars().any(|c| {
                    // Non-ASCII too: the workspace's `url` has no IDNA (idna_adapter 1.0).
                    !c.is_ascii()
                        || c.is_ascii_control()
                        || matches!(
                            c,
                            ' ' | '#'
                                | '/'
                                | ':'
                                | '<'
                                | '>'
                                | '?'
                                | '@'
                                | '['
                                | '\\'
                                | ']'
                                | '^'
                                | '|'
                        )
                })
        }
    };
    port_ok && host_ok
}

fn is_scheme(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// Writes `host[:port]` to `text`; returns the host's kind and span, and the port unless it
/// is the scheme's default.
fn authority_into(
    text: &mut String,
    authority: &str,
    scheme: &str,
    special: bool,
) -> Result<(HostSpan, Option<u16>), ParseError> {
    if authority.contains('@') {
        return Err(ParseError::UserInfo);
    }
    let (host, port) = if authority.starts_with('[') {
        let close = authority.find(']').ok_or(ParseError::InvalidIpv6Address)?;
        let (host, after) = authority.split_at(close + 1);
        match after {
            "" => (host, None),
            _ => (
                host,
                Some(
                    after
                        .strip_prefix(':')
                        .ok_or(ParseError::InvalidIpv6Address)?,
                ),
            ),
        }
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let start = text.len();
    let kind = if let Some(inner) = host.strip_prefix('[') {
        let ip = parse_ipv6(inner.strip_suffix(']').unwrap_or(inner))?;
        text.push('[');
        write_ipv6(text, ip);
        text.push(']');
        HostKind::Ipv6(ip)
    } else if special {
        let kind = check_domain(host)?;
        text.extend(host.chars().map(|c| c.to_ascii_lowercase()));
        kind
    } else {
        // An opaque host (`myapp://callback`): kept as written, never read as an address.
        if host.is_empty() {
            return Err(ParseError::EmptyHost);
        }
        if !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
        {
            return Err(ParseError::InvalidDomainCharacter);
        }
        text.push_str(host);
        HostKind::Domain
    };
    let end = text.len();
    let port = match port {
        None => None,
        Some(p) => {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ParseError::InvalidPort);
            }
            let digits = p.trim_start_matches('0');
            let n: u16 = if digits.is_empty() {
                0
            } else if digits.len() > 5 {
                return Err(ParseError::InvalidPort);
            } else {
                digits.parse().map_err(|_| ParseError::InvalidPort)?
            };
            Some(n).filter(|n| default_port(scheme).flatten() != Some(*n))
        }
    };
    if let Some(n) = port {
        text.push(':');
        text.push_str(&n.to_string());
    }
    Ok(((kind, start, end), port))
}

/// Checks an http(s) host: a name of `a-z 0-9 - . _` labels, or a dotted-quad IPv4 address
/// (the standard reads any name whose last label is a number as an address).
fn check_domain(host: &str) -> Result<HostKind, ParseError> {
    if host.is_empty() {
        return Err(ParseError::EmptyHost);
    }
    if !host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    {
        return Err(ParseError::InvalidDomainCharacter);
    }
    let labels: Vec<&str> = host.split('.').collect();
    let last = labels.last().copied().unwrap_or("");
    let numeric = last.bytes().all(|b| b.is_ascii_digit())
        || last.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("0x"))
            && last[2..].bytes().all(|b| b.is_ascii_hexdigit());
    if numeric {
        let canonical = labels.len() == 4
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 3
                    && l.bytes().all(|b| b.is_ascii_digit())
                    && (l.len() == 1 || !l.starts_with('0'))
            });
        return match ipv4(host) {
            Some(ip) if canonical => Ok(HostKind::Ipv4(ip)),
            _ => Err(ParseError::InvalidIpv4Address),
        };
    }
    if labels
        .iter()
        .any(|l| l.is_empty() || l.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--")))
    {
        return Err(ParseError::InvalidDomainCharacter);
    }
    Ok(HostKind::Domain)
}

/// An IPv6 address in hex groups (`::1`, `2001:db8::7`); the dotted IPv4 tail is refused.
fn parse_ipv6(inner: &str) -> Result<Ipv6Addr, ParseError> {
    if inner.is_empty() || !inner.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
        return Err(ParseError::InvalidIpv6Address);
    }
    ipv6(inner, false).ok_or(ParseError::InvalidIpv6Address)
}

/// What `Ipv4Addr`'s `FromStr` reads: four numbers 0 to 255 in decimal, without leading zeros,
/// between dots. By hand, as [`ipv6`]: core's address parser is 4 KB of the npm package's .wasm.
fn ipv4(s: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = s.split('.');
    for octet in &mut octets {
        let part = parts.next()?.as_bytes();
        if part.is_empty() || part.len() > 3 || part.len() > 1 && part[0] == b'0' {
            return None;
        }
        let mut n = 0u32;
        for &b in part {
            n = n * 10 + (b as char).to_digit(10)?;
        }
        *octet = u8::try_from(n).ok()?;
    }
    parts.next().is_none().then_some(Ipv4Addr::from(octets))
}

/// What `Ipv6Addr`'s `FromStr` reads: eight groups of one to four hex digits between colons, or
/// fewer with one `::` standing for at least one zero group; with `dotted_tail`, the last two
/// groups may be written as an IPv4 address (`::ffff:1.2.3.4`), as `FromStr` allows.
fn ipv6(s: &str, dotted_tail: bool) -> Option<Ipv6Addr> {
    // The groups of `part` (empty: none) into `out`, and how many.
    fn groups(part: &str, out: &mut [u16], tail: bool) -> Option<usize> {
        if part.is_empty() {
            return Some(0);
        }
        let mut n = 0;
        let mut pieces = part.split(':').peekable();
        while let Some(piece) = pieces.next() {
            if tail && pieces.peek().is_none() && piece.contains('.') {
                let [a, b, c, d] = ipv4(piece)?.octets();
                *out.get_mut(n)? = u16::from_be_bytes([a, b]);
                *out.get_mut(n + 1)? = u16::from_be_bytes([c, d]);
                return Some(n + 2);
            }
            if piece.is_empty() || piece.len() > 4 {
                return None;
            }
            let mut g = 0u32;
            for b in piece.bytes() {
                g = g * 16 + (b as char).to_digit(16)?;
            }
            *out.get_mut(n)? = g as u16;
            n += 1;
        }
        Some(n)
    }
    let mut all = [0u16; 8];
    match s.split_once("::") {
        None => (groups(s, &mut all, dotted_tail)? == 8).then_some(Ipv6Addr::from(all)),
        Some((head, tail)) => {
            let mut back = [0u16; 7];
            let h = groups(head, &mut all[..7], false)?;
            let t = groups(tail, &mut back, dotted_tail)?;
            if h + t > 7 {
                return None;
            }
            all[8 - t..].copy_from_slice(&back[..t]);
            Some(Ipv6Addr::from(all))
        }
    }
}

/// The standard's IPv6 serialization: lowercase hex, the first longest run of two or more
/// zero groups as `::` (RFC 5952; unlike `Ipv6Addr`'s Display, no dotted IPv4 tail).
fn write_ipv6(text: &mut String, ip: Ipv6Addr) {
    let groups = ip.segments();
    let (mut best, mut best_len) = (usize::MAX, 1);
    let mut i = 0;
    while i < 8 {
        let run = groups[i..].iter().take_while(|g| **g == 0).count();
        if run > best_len {
            (best, best_len) = (i, run);
        }
        i += run.max(1);
    }
    let mut i = 0;
    while i < 8 {
        if i == best {
            text.push_str(if i == 0 { "::" } else { ":" });
            i += best_len;
            continue;
        }
        text.push_str(&format!("{:x}", groups[i]));
        if i < 7 {
            text.push(':');
        }
        i += 1;
    }
}

/// Writes a path of `/`-separated segments, encoding as the standard does; `.` and `..`
/// segments are refused.
fn path_into(text: &mut String, path: &str) -> Result<(), ParseError> {
    for (i, segment) in path.split('/').enumerate() {
        let lower = segment.to_ascii_lowercase().replace("%2e", ".");
        if lower == "." || lower == ".." {
            return Err(ParseError::DotSegment);
        }
        if i > 0 {
            text.push('/');
        }
        encode_into(text, segment, |b| {
            matches!(b, b'"' | b'<' | b'>' | b'`' | b'{' | b'}')
        });
    }
    Ok(())
}

/// Appends `s`, percent-encoding non-ASCII and the ASCII bytes `set` names.
fn encode_into(text: &mut String, s: &str, set: impl Fn(u8) -> bool) {
    for c in s.chars() {
        if c.is_ascii() && !set(c as u8) {
            text.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                crate::form::push_percent(text, b);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_read_as_std_reads_them() {
        let mut cases: Vec<String> = [
            "",
            "::",
            ":::",
            "::1",
            "1::",
            "1:::",
            ":1",
            "1:",
            "1::2::3",
            "2001:db8::7",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8::",
            "::1:2:3:4:5:6:7:8",
            "ffff:FFFF::",
            "12345::",
            "0000:0::",
            "::ffff:1.2.3.4",
            "::1.2.3.4",
            "1.2.3.4::",
            "1:2:3:4:5:6:1.2.3.4",
            "1:2:3:4:5:6:7:1.2.3.4",
            "::1:2:3:4:5:6:1.2.3.4",
            "::1:2:3:4:5:1.2.3.4",
            "::01.2.3.4",
            "::1.2.3.256",
            "::1.2.3",
            "::1.2.3.4.5",
            "1.2.3.4",
            "0.0.0.0",
            "255.255.255.255",
            "256.1.1.1",
            "01.1.1.1",
            "1..1.1",
            "1.1.1.1.",
            "+1.1.1.1",
            "1.1.1.-1",
            "1.2.3.4:",
            "g::",
            "::g",
            " ::1",
            "::1 ",
            "[::1]",
            "١.1.1.1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let alphabet = b"0129afAF:.:.";
        let mut rng = crate::test_rng::Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..300_000 {
            let state = rng.next();
            let len = (state % 20) as usize;
            let mut x = state;
            cases.push(
                (0..len)
                    .map(|k| {
                        if k % 13 == 12 {
                            x = rng.next();
                        }
                        let c = alphabet[(x % alphabet.len() as u64) as usize] as char;
                        x >>= 4;
                        c
                    })
                    .collect(),
            );
        }
        // And ones put together from groups, `::` and dotted tails.
        let groups = ["0", "1", "ff", "FfFf", "0000", "12345", "", "g"];
        let octets = ["0", "1", "01", "99", "255", "256", "", "1000"];
        for _ in 0..100_000 {
            let mut x = rng.next();
            let mut next = |n: usize| {
                let v = (x % n as u64) as usize;
                x /= n as u64;
                v
            };
            let count = next(10);
            let gap = next(count + 3);
            let mut text = String::new();
            for i in 0..count {
                if i == gap {
                    text.push_str("::");
                } else if i > 0 {
                    text.push(':');
                }
                text.push_str(groups[next(groups.len()) % 6]);
            }
            if next(2) == 0 {
                if count > 0 {
                    text.push(':');
                }
                let quad: Vec<&str> = (0..3 + next(3)).map(|_| octets[next(8) % 7]).collect();
                text.push_str(&quad.join("."));
            }
            if gap == count {
                text.push_str("::");
            }
            cases.push(text);
        }
        let valid = cases
            .iter()
            .filter(|s| s.parse::<Ipv6Addr>().is_ok())
            .count();
        let dotted = cases
            .iter()
            .filter(|s| s.contains('.') && s.parse::<Ipv6Addr>().is_ok())
            .count();
        let v4 = cases
            .iter()
            .filter(|s| s.parse::<Ipv4Addr>().is_ok())
            .count();
        assert!(
            valid > 1000 && dotted > 20 && v4 > 5,
            "{valid} {dotted} {v4}"
        );
        for s in &cases {
            assert_eq!(ipv4(s), s.parse::<Ipv4Addr>().ok(), "{s:?}");
            assert_eq!(ipv6(s, true), s.parse::<Ipv6Addr>().ok(), "{s:?}");
            if !s.contains('.') {
                assert_eq!(ipv6(s, false), s.parse::<Ipv6Addr>().ok(), "{s:?}");
            } else {
                assert_eq!(ipv6(s, false), None, "{s:?}");
            }
        }
    }

    #[test]
    fn base_urls_serialize_as_the_standard_does() {
        for (input, want) in [
            ("https://api.pagerduty.com", "https://api.pagerduty.com/"),
            (
                "HTTPS://API.PagerDuty.com:443/X",
                "https://api.pagerduty.com/X",
            ),
            ("http://127.0.0.1:80/pd", "http://127.0.0.1/pd"),
            ("http://[0:0::1]:9/", "http://[::1]:9/"),
            ("http://[1:0:0:2:0:0:0:3]/", "http://[1:0:0:2::3]/"),
            ("https://h/a b", "https://h/a b"),
            (
                "https://h/\u{e9}?q=\u{e9}#\u{e9}",
                "https://h/%C3%A9?q=%C3%A9#%C3%A9",
            ),
            ("https://h/{x}?'\"#`", "https://h/%7Bx%7D?%27%22#%60"),
            ("myapp://Callback/x", "myapp://Callback/x"),
            ("com.example.app:/cb", "com.example.app:/cb"),
            ("urn:ietf:wg:oauth:2.0:oob", "urn:ietf:wg:oauth:2.0:oob"),
        ] {
            match Url::parse(input) {
                Ok(u) => assert_eq!(u.as_str(), want, "{input:?}"),
                // Spaces are refused; the pair above only documents the standard.
                Err(e) => assert_eq!(e, ParseError::Whitespace, "{input:?}"),
            }
        }
    }

    #[test]
    fn what_the_standard_rewrites_is_refused() {
        for (input, want) in [
            ("https://127.1/", ParseError::InvalidIpv4Address),
            ("https://0x7f.0.0.1/", ParseError::InvalidIpv4Address),
            ("https://2130706433/", ParseError::InvalidIpv4Address),
            ("https://0177.0.0.1/", ParseError::InvalidIpv4Address),
            ("https://127.0.0.1./", ParseError::InvalidIpv4Address),
            ("https://%6c%6fcalhost/", ParseError::InvalidDomainCharacter),
            (
                "https://l\u{f6}calhost/",
                ParseError::InvalidDomainCharacter,
            ),
            (
                "https://xn--nxasmq6b.com/",
                ParseError::InvalidDomainCharacter,
            ),
            (
                "https://[::ffff:127.0.0.1]/",
                ParseError::InvalidIpv6Address,
            ),
            ("https:\\\\evil/", ParseError::Backslash),
            ("https:evil/", ParseError::MissingSlashes),
            ("https:///evil/", ParseError::MissingSlashes),
            (" https://h/", ParseError::Whitespace),
            ("https://h/\t", ParseError::Whitespace),
            ("https://u:p@h/", ParseError::UserInfo),
            ("https://h:/", ParseError::InvalidPort),
            ("https://h:65536/", ParseError::InvalidPort),
            ("https://h/a/%2E./b", ParseError::DotSegment),
            ("https://h/a/./b", ParseError::DotSegment),
            ("file:///etc/passwd", ParseError::Unsupported),
            ("/relative", ParseError::RelativeUrlWithoutBase),
        ] {
            assert_eq!(Url::parse(input).unwrap_err(), want, "{input:?}");
        }
    }

    #[test]
    fn parts_and_joins() {
        let base = Url::parse("http://[::1]:8080/pd/").unwrap();
        assert_eq!(base.host(), Some(Host::Ipv6(Ipv6Addr::LOCALHOST)));
        assert_eq!(base.host_str(), Some("[::1]"));
        assert_eq!(base.port(), Some(8080));
        let u = base.join("incidents?a=1#f").unwrap();
        assert_eq!(u.as_str(), "http://[::1]:8080/pd/incidents?a=1#f");
        assert_eq!(
            (u.path(), u.query(), u.fragment()),
            ("/pd/incidents", Some("a=1"), Some("f"))
        );
        assert!(base.join("//evil/x").is_err());
        let cb = Url::parse("myapp://cb").unwrap();
        assert_eq!(cb.join("x").unwrap().as_str(), "myapp://cb/x");
        assert_eq!(cb.join("x").unwrap().host_str(), Some("cb"));
        let mut u = Url::parse("https://h/x?#f").unwrap();
        u.append_query_pairs([("a b", "c&d")]);
        assert_eq!(u.as_str(), "https://h/x?a+b=c%26d#f");
        assert_eq!(
            Url::parse("https://h").unwrap().port_or_known_default(),
            Some(443)
        );
    }
}
