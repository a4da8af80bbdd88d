//! Canonicalization shared by the two canonical-request schemes (Alibaba ACS3, Huawei SDK).
//!
//! Both sides start from the wire form, decode it and re-encode it with one RFC 3986 rule,
//! so an SDK that percent-encodes differently from another client still lands on the same
//! canonical string as the verifier.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

use crate::request::{SignableRequest, decode_form_component, split_pairs};

/// Uppercase hex digits for `%XX` escapes.
const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// RFC 3986 unreserved characters (`A-Z a-z 0-9 - _ . ~`) stay; every other byte is `%XX`.
fn is_unreserved(byte: u8) -> bool {
    UNRESERVED[usize::from(byte)]
}

/// [`is_unreserved`] as a table, one lookup per byte of every signed path and query.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
        byte += 1;
    }
    table
};

/// RFC 3986-encodes raw bytes with uppercase hex, appending to `out`.
///
/// Written out by hand rather than through `percent_encoding`'s `Display`: this runs for every
/// path segment and query component of every signed request, and the formatter machinery
/// costs more than the encoding.
pub(crate) fn encode_into(out: &mut String, bytes: &[u8]) {
    match std::str::from_utf8(bytes) {
        Ok(text) => encode_text_into(out, text, is_unreserved),
        // Not text (a decoded escape of no character): byte by byte.
        Err(_) => {
            for &byte in bytes {
                if is_unreserved(byte) {
                    out.push(char::from(byte));
                } else {
                    push_escape(out, byte);
                }
            }
        }
    }
}

/// [`encode_into`] for text, keeping the bytes `keep` accepts (all ASCII): runs of kept bytes
/// are appended as slices of `text`, with no UTF-8 check per run.
fn encode_text_into(out: &mut String, text: &str, keep: impl Fn(u8) -> bool) {
    out.reserve(text.len());
    let mut start = 0;
    for (i, &byte) in text.as_bytes().iter().enumerate() {
        if !keep(byte) {
            // `start..i` is a run of kept ASCII bytes, so both ends are character
            // boundaries; an empty run may start inside a character, so it is skipped.
            if start < i {
                out.push_str(&text[start..i]);
            }
            push_escape(out, byte);
            start = i + 1;
        }
    }
    // The rest, when not empty, starts after an escaped byte with a kept ASCII byte.
    if start < text.len() {
        out.push_str(&text[start..]);
    }
}

/// `%XX` with uppercase hex.
fn push_escape(out: &mut String, byte: u8) {
    out.push('%');
    out.push(char::from(HEX_UPPER[usize::from(byte >> 4)]));
    out.push(char::from(HEX_UPPER[usize::from(byte & 0x0f)]));
}

/// Canonical URI: each `/`-separated wire segment is percent-decoded, then re-encoded.
///
/// Decoding first means a segment the SDK already encoded (`a%20b`) is not encoded twice,
/// and an encoded slash (`%2F`) stays inside its segment because we split before decoding.
/// `+` is literal in paths, so it becomes `%2B`. An empty path is `/`.
#[cfg(test)]
pub(crate) fn canonical_path(raw_path: &str) -> String {
    let mut out = String::with_capacity(raw_path.len() + 1);
    canonical_path_into(&mut out, raw_path);
    out
}

/// [`canonical_path`], appended to `out`.
pub(crate) fn canonical_path_into(out: &mut String, raw_path: &str) {
    if raw_path.is_empty() {
        out.push('/');
        return;
    }
    // Without any escape, decoding changes nothing and `/` only separates segments: the
    // whole path is encoded in one pass, keeping its slashes.
    if !raw_path.contains('%') {
        encode_text_into(out, raw_path, |b| b == b'/' || is_unreserved(b));
        return;
    }
    for (i, segment) in raw_path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        // Borrows the segment when it holds no `%` escape.
        let decoded: Cow<'_, [u8]> = percent_decode_str(segment).into();
        encode_into(out, &decoded);
    }
}

/// Canonical query: pairs decoded, sorted by decoded name then value (byte order, as the
/// vendors' Go signers sort), RFC 3986-encoded, a missing value written as `name=`.
#[cfg(test)]
pub(crate) fn canonical_query(raw_query: &str) -> String {
    let mut out = String::with_capacity(raw_query.len() + raw_query.len() / 4);
    canonical_query_into(&mut out, raw_query);
    out
}

/// [`canonical_query`], appended to `out`.
pub(crate) fn canonical_query_into(out: &mut String, raw_query: &str) {
    let mut pairs: Vec<_> = split_pairs(raw_query)
        .map(|(k, v)| (decode_form_component(k), decode_form_component(v)))
        .collect();
    pairs.sort_unstable();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_into(out, name);
        out.push('=');
        encode_into(out, value);
    }
}

/// The headers a signature covers: the request's own, without those the signer replaces,
/// then the signer's additions, in that order. Borrowed, so signing copies no header.
#[derive(Clone, Copy)]
pub(crate) struct HeaderView<'a> {
    own: &'a [(String, String)],
    added: &'a [(String, String)],
}

impl<'a> HeaderView<'a> {
    /// The request's headers as they are (the verifier's view).
    pub(crate) fn of(req: &SignableRequest<'a>) -> Self {
        Self::with_added(req.headers, &[])
    }

    /// `own` without any entry named like one in `added`, followed by `added`: signing adds
    /// its own date/nonce/hash headers, and a stale copy left by the caller must not be
    /// signed next to the new one.
    pub(crate) fn with_added(own: &'a [(String, String)], added: &'a [(String, String)]) -> Self {
        Self { own, added }
    }

    /// Every header, name and value.
    pub(crate) fn iter(self) -> impl Iterator<Item = (&'a str, &'a str)> {
        let added = self.added;
        self.own
            .iter()
            .filter(move |(n, _)| !added.iter().any(|(a, _)| a.eq_ignore_ascii_case(n)))
            .chain(added)
            .map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// Every value of header `name` (ASCII case-insensitive), in order.
    pub(crate) fn values(self, name: &str) -> impl Iterator<Item = &'a str> {
        self.iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// The first value of header `name`.
    pub(crate) fn first(self, name: &str) -> Option<&'a str> {
        self.values(name).next()
    }
}

/// Puts the trimmed values of a header to sign into `out`, sorted as both vendors' SDKs sort
/// repeated headers. `host` is the request's authority, never a header. `out` is the caller's,
/// reused for every signed header.
pub(crate) fn signed_header_values<'a>(
    host: &'a str,
    headers: HeaderView<'a>,
    name: &str,
    out: &mut Vec<&'a str>,
) {
    out.clear();
    if name.eq_ignore_ascii_case("host") {
        out.push(host.trim());
        return;
    }
    out.extend(headers.values(name).map(str::trim));
    out.sort_unstable();
}

/// Lowercase, sorted, de-duplicated names of the headers that `wanted` selects, plus `host`,
/// which every scheme here signs.
pub(crate) fn names_to_sign<'a>(
    headers: HeaderView<'a>,
    wanted: impl Fn(&str) -> bool,
) -> Vec<Cow<'a, str>> {
    let mut names: Vec<Cow<'a, str>> = headers
        .iter()
        .map(|(n, _)| lowercase(n))
        .filter(|n| n != "host" && wanted(n))
        .collect();
    names.push(Cow::Borrowed("host"));
    names.sort_unstable();
    names.dedup();
    names
}

/// `name` in ASCII lowercase, borrowed when it already is (reqwest's header names are).
fn lowercase(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// Appends `items` joined with `separator` (`;` for the `SignedHeaders` line).
pub(crate) fn push_joined(out: &mut String, items: &[&str], separator: char) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(separator);
        }
        out.push_str(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_decoded_then_reencoded() {
        assert_eq!(canonical_path(""), "/");
        assert_eq!(canonical_path("/"), "/");
        assert_eq!(canonical_path("/a b/c%20d/e*~+"), "/a%20b/c%20d/e%2A~%2B");
        assert_eq!(canonical_path("/x%2Fy/%7e"), "/x%2Fy/~");
    }

    #[test]
    fn encoding_keeps_unreserved_and_escapes_the_rest_in_uppercase() {
        let mut out = String::new();
        encode_into(&mut out, "aZ09-_.~ /+*é".as_bytes());
        assert_eq!(out, "aZ09-_.~%20%2F%2B%2A%C3%A9");
        let all: Vec<u8> = (0..=255).collect();
        let mut ours = String::new();
        encode_into(&mut ours, &all);
        const RFC3986: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'_')
            .remove(b'.')
            .remove(b'~');
        let reference = percent_encoding::percent_encode(&all, RFC3986).to_string();
        assert_eq!(ours, reference);
    }

    #[test]
    fn query_is_sorted_decoded_and_reencoded() {
        assert_eq!(canonical_query(""), "");
        assert_eq!(canonical_query("b=2&a&c=x+y&a=0"), "a=&a=0&b=2&c=x%20y");
        assert_eq!(canonical_query("k=%7e*"), "k=~%2A");
    }
}
