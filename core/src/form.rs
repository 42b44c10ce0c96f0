//! `application/x-www-form-urlencoded`, as the URL standard defines it: OAuth token requests
//! and the `name=value` pairs of REST queries.

/// Appends `s` form-encoded: `A-Z a-z 0-9 * - . _` as they are, space as `+`, every other
/// byte as `%XX`.
pub fn serialize_into(out: &mut String, s: &str) {
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => push_percent(out, b),
        }
    }
}

/// Appends `%XX` (uppercase hex) for one byte.
pub(crate) fn push_percent(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(HEX[usize::from(b >> 4)] as char);
    out.push(HEX[usize::from(b & 15)] as char);
}

/// `s` form-encoded.
pub fn serialize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    serialize_into(&mut out, s);
    out
}

/// `name=value&...`, each part form-encoded.
pub fn encode<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        serialize_into(&mut out, name);
        out.push('=');
        serialize_into(&mut out, value);
    }
    out
}

/// The `name=value` pairs of a form body: `+` is a space, `%XX` a byte (a `%` not followed by
/// two hex digits stays), bytes that are not UTF-8 become U+FFFD; empty pieces are skipped.
pub fn parse(body: &[u8]) -> Vec<(String, String)> {
    body.split(|b| *b == b'&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = match piece.iter().position(|b| *b == b'=') {
                Some(i) => (&piece[..i], &piece[i + 1..]),
                None => (piece, &b""[..]),
            };
            (decode(name), decode(value))
        })
        .collect()
}

fn decode(s: &[u8]) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        let pair = (b == b'%')
            .then(|| Some((hex(*s.get(i + 1)?)?, hex(*s.get(i + 2)?)?)))
            .flatten();
        match (b, pair) {
            (_, Some((hi, lo))) => {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
            (b'+', None) => out.push(b' '),
            (b, None) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let body = encode([("a b", "c&d=é"), ("scope", "read write*~")]);
        assert_eq!(body, "a+b=c%26d%3D%C3%A9&scope=read+write*%7E");
        assert_eq!(
            parse(body.as_bytes()),
            vec![
                ("a b".to_owned(), "c&d=é".to_owned()),
                ("scope".to_owned(), "read write*~".to_owned())
            ]
        );
        assert_eq!(
            parse(b"&x&%zz=%4&y=%ff"),
            vec![
                ("x".to_owned(), String::new()),
                ("%zz".to_owned(), "%4".to_owned()),
                ("y".to_owned(), "\u{FFFD}".to_owned())
            ]
        );
    }
}
