//! The request and response types the engine speaks, and the request's decoded inputs.

use std::borrow::Cow;
use std::time::Duration;

use bytes::Bytes;
use http::uri::Scheme;
use http::{HeaderMap, Method, StatusCode, Uri};
use percent_encoding::percent_decode;

/// A request as the engine sees it: whatever the transport (hyper, wiremock, your own).
#[derive(Debug, Clone)]
pub struct MockRequest {
    /// HTTP method.
    pub method: Method,
    /// Path and query, as sent (still percent-encoded).
    pub uri: Uri,
    /// Request headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
    /// What the request arrived over: `http` (what [`new`](Self::new) sets), or `https`
    /// when [`MockServer`](crate::MockServer) serves [TLS](crate::Tls). The absolute links
    /// the mock writes (Azure's `nextLink`) use it, with the `Host` header.
    pub scheme: Scheme,
}

impl MockRequest {
    /// A request with headers and body, arrived over plain HTTP.
    pub fn new(method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Self {
        Self {
            method,
            uri,
            headers,
            body,
            scheme: Scheme::HTTP,
        }
    }

    /// The authority the client addressed: the `Host` header, else the URI's authority.
    pub(crate) fn host(&self) -> &str {
        self.headers
            .get(http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| self.uri.authority().map(|a| a.as_str()))
            .unwrap_or("")
    }

    /// A header's value as text, if present and visible ASCII.
    pub(crate) fn header(&self, name: impl http::header::AsHeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The media type of the body without parameters, lowercased (`application/json`).
    pub(crate) fn content_type_essence(&self) -> Option<String> {
        let raw = self.header(http::header::CONTENT_TYPE)?;
        Some(
            raw.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase(),
        )
    }
}

/// The engine's answer.
#[derive(Debug, Clone)]
pub struct MockResponse {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

/// What a transport does with a request ([`Engine::reply`](crate::Engine::reply)): wait
/// `delay`, then send `response`, or close the connection without an answer when there is
/// none (a dropped-connection fault).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Reply {
    /// Time to wait first (fault latency; usually zero).
    pub delay: Duration,
    /// The answer; `None`: close the connection instead.
    pub response: Option<MockResponse>,
}

/// A decoded `name=value` pair; borrowed when no decoding was needed.
pub(crate) type Pair<'a> = (Cow<'a, str>, Cow<'a, str>);

/// Decodes `a=1&b=x+y` form-style (`+` is space, then `%XX`); invalid UTF-8 is replaced.
pub(crate) fn decode_pairs(raw: &str) -> Vec<Pair<'_>> {
    raw.split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            (decode_component(name), decode_component(value))
        })
        .collect()
}

fn decode_component(raw: &str) -> Cow<'_, str> {
    if !raw.contains(['+', '%']) {
        return Cow::Borrowed(raw);
    }
    let spaced = raw.replace('+', " ");
    Cow::Owned(
        percent_decode(spaced.as_bytes())
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// The (lossily decoded) name of the first `name=value` pair whose name or value is not
/// UTF-8 once percent-decoded (`%FF`, the overlong `%C0%AF`): such a request is refused,
/// where [`decode_pairs`] alone would pass on replacement characters.
pub(crate) fn malformed_pair(raw: &str) -> Option<Cow<'_, str>> {
    if !raw.contains('%') {
        return None;
    }
    let utf8 = |text: &str| percent_decode(text.as_bytes()).decode_utf8().is_ok();
    raw.split('&').find_map(|piece| {
        let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
        (!utf8(name) || !utf8(value)).then(|| decode_component(name))
    })
}

/// Percent-decodes one path segment; `None` when the result is not UTF-8.
// Inlined into the engine's loop over captures: a call per segment showed in profiles.
#[inline]
pub(crate) fn decode_segment(raw: &str) -> Option<Cow<'_, str>> {
    if !raw.contains('%') {
        return Some(Cow::Borrowed(raw));
    }
    percent_decode(raw.as_bytes())
        .decode_utf8()
        .ok()
        .map(|s| Cow::Owned(s.into_owned()))
}

/// What validation and auth read from a request, decoded once.
#[derive(Debug)]
pub(crate) struct Inputs<'a> {
    /// Captured path segments, decoded; `None` where not UTF-8.
    pub(crate) path: Vec<Option<Cow<'a, str>>>,
    /// Query pairs, minus the mock's own `__code` / `__example`.
    pub(crate) query: Vec<Pair<'a>>,
    /// Form-body pairs (RPC `postForm` services only).
    pub(crate) form: Vec<Pair<'a>>,
    /// The first query or form parameter that is not UTF-8 once decoded (`body` for a
    /// form body that is not UTF-8 at all).
    pub(crate) malformed: Option<Cow<'a, str>>,
    /// The request.
    pub(crate) request: &'a MockRequest,
}

impl<'a> Inputs<'a> {
    /// Every value of query (or form) parameter `name`, query first.
    pub(crate) fn values<'s>(&'s self, name: &str) -> impl Iterator<Item = &'s str> {
        self.query
            .iter()
            .chain(&self.form)
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
    }

    /// Every query/form pair.
    pub(crate) fn pairs(&self) -> impl Iterator<Item = &Pair<'a>> {
        self.query.iter().chain(&self.form)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_decode_form_style_and_borrow_when_plain() {
        let pairs = decode_pairs("a=1&&b=x+y%2Bz&c&d=%E4%B8%80");
        assert!(matches!(pairs[0].1, Cow::Borrowed("1")));
        assert_eq!(pairs[1], (Cow::from("b"), Cow::from("x y+z")));
        assert_eq!(pairs[2], (Cow::from("c"), Cow::from("")));
        assert_eq!(pairs[3].1, "一");
    }

    #[test]
    fn pairs_that_are_not_utf8_once_decoded_are_named() {
        assert_eq!(malformed_pair("a=1&b=%E4%B8%80"), None);
        assert_eq!(malformed_pair("a=1&b=%C0%AF").as_deref(), Some("b"));
        assert_eq!(malformed_pair("%FF=1").as_deref(), Some("\u{FFFD}"));
        assert_eq!(malformed_pair("a=%252F"), None);
    }

    #[test]
    fn segments_must_decode_to_utf8() {
        assert_eq!(decode_segment("a%20b").as_deref(), Some("a b"));
        assert_eq!(decode_segment("%FF"), None);
    }
}
