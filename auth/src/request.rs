//! A vendor-neutral, borrowed view of the HTTP request being signed or verified.

use std::borrow::Cow;
use std::fmt;

use percent_encoding::percent_decode;

/// The parts of an HTTP request that the signature algorithms read.
///
/// Everything is borrowed and everything is **as on the wire**: the SDK builds it from the
/// request it is about to send, the mock server from the request it received, and because
/// both then run the same canonicalization the two sides cannot drift.
///
/// - `host` is the authority the client addressed, with the port when it is not the
///   scheme's default (exactly what an HTTP/1.1 client puts in `Host`). Whenever an algorithm
///   signs `host`, the value comes from this field; a `host` entry in `headers` is ignored.
/// - `path` is the raw, still percent-encoded path; `query` the raw query without `?`.
/// - `headers` may hold a name several times; lookups ignore ASCII case.
#[derive(Clone, Copy)]
pub struct SignableRequest<'a> {
    /// HTTP method, used as given (`GET`, `POST`, …).
    pub method: &'a str,
    /// Authority as addressed by the client, with a non-default port.
    pub host: &'a str,
    /// Raw path as sent on the wire, still percent-encoded; empty means `/`.
    pub path: &'a str,
    /// Raw query string as sent on the wire, without the leading `?`.
    pub query: &'a str,
    /// Header name/value pairs in wire order.
    pub headers: &'a [(String, String)],
    /// The exact body bytes.
    pub body: &'a [u8],
}

impl<'a> SignableRequest<'a> {
    /// No request at all: what a caller passes to a scheme whose
    /// [`Scheme::reads_request`](crate::Scheme::reads_request) is `false`.
    pub const EMPTY: SignableRequest<'static> = SignableRequest {
        method: "",
        host: "",
        path: "",
        query: "",
        headers: &[],
        body: &[],
    };

    /// Every value of header `name` (ASCII case-insensitive), in wire order.
    pub fn header_values(&self, name: &str) -> impl Iterator<Item = &'a str> {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of header `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.header_values(name).next()
    }

    /// The query string decoded into pairs; see [`decode_pairs`].
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        decode_pairs(self.query)
    }

    /// The body decoded as `application/x-www-form-urlencoded`; see [`decode_pairs`].
    pub fn form_pairs(&self) -> Vec<(String, String)> {
        decode_pairs(&String::from_utf8_lossy(self.body))
    }
}

impl fmt::Debug for SignableRequest<'_> {
    /// Shows header names only and no query or body: they can carry signatures and tokens.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("SignableRequest")
            .field("method", &self.method)
            .field("host", &self.host)
            .field("path", &self.path)
            .field("query_len", &self.query.len())
            .field("header_names", &names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Decodes `a=1&b=x+y&c` into `[("a","1"), ("b","x y"), ("c","")]`.
///
/// `+` means space, as in HTML forms and in what Python's `urlencode` and Go's `url.Values`
/// produce; RFC 3986 encoders send a literal plus as `%2B`, so nothing is lost. Empty
/// segments (`a=1&&b=2`) are skipped. Invalid UTF-8 is replaced, never rejected, so a verifier
/// fails on the signature rather than panicking or erroring early.
pub fn decode_pairs(raw: &str) -> Vec<(String, String)> {
    split_pairs(raw)
        .map(|(k, v)| (decode_lossy(k), decode_lossy(v)))
        .collect()
}

/// Splits a query or form string into raw `(name, value)` pieces, still encoded.
pub(crate) fn split_pairs(raw: &str) -> impl Iterator<Item = (&str, &str)> {
    raw.split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| piece.split_once('=').unwrap_or((piece, "")))
}

/// Form-style decoding of one component to bytes: `+` is space, then `%XX` escapes.
/// Borrows `raw` when it holds neither.
pub(crate) fn decode_form_component(raw: &str) -> Cow<'_, [u8]> {
    if !raw.bytes().any(|b| b == b'+' || b == b'%') {
        return Cow::Borrowed(raw.as_bytes());
    }
    let spaced: Vec<u8> = raw
        .bytes()
        .map(|b| if b == b'+' { b' ' } else { b })
        .collect();
    Cow::Owned(percent_decode(&spaced).collect())
}

fn decode_lossy(raw: &str) -> String {
    String::from_utf8_lossy(&decode_form_component(raw)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pairs_form_style() {
        assert_eq!(
            decode_pairs("a=1&&b=x+y%2Bz&c&d=%E4%B8%80"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x y+z".into()),
                ("c".into(), String::new()),
                ("d".into(), "一".into()),
            ]
        );
    }

    #[test]
    fn header_lookup_ignores_case_and_keeps_all_values() {
        let headers = vec![
            ("X-Acs-Test".to_owned(), "a".to_owned()),
            ("x-acs-test".to_owned(), "b".to_owned()),
        ];
        let req = SignableRequest {
            method: "GET",
            host: "h",
            path: "/",
            query: "",
            headers: &headers,
            body: b"",
        };
        assert_eq!(
            req.header_values("X-ACS-TEST").collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(req.header("x-acs-test"), Some("a"));
        assert_eq!(req.header("host"), None);
    }
}
