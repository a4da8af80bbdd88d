//! Canonicalization shared by the two canonical-request schemes (Alibaba ACS3, Huawei SDK).
//!
//! Both sides start from the wire form, decode it and re-encode it with one RFC 3986 rule,
//! so an SDK that percent-encodes differently from another client still lands on the same
//! canonical string as the verifier.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, percent_encode};

use crate::request::{SignableRequest, decode_form_component, split_pairs};

/// RFC 3986 unreserved characters (`A-Z a-z 0-9 - _ . ~`) stay; every other byte is `%XX`.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// RFC 3986-encodes raw bytes with uppercase hex.
pub(crate) fn encode(bytes: &[u8]) -> String {
    percent_encode(bytes, RFC3986).to_string()
}

/// Canonical URI: each `/`-separated wire segment is percent-decoded, then re-encoded.
///
/// Decoding first means a segment the SDK already encoded (`a%20b`) is not encoded twice,
/// and an encoded slash (`%2F`) stays inside its segment because we split before decoding.
/// `+` is literal in paths, so it becomes `%2B`. An empty path is `/`.
pub(crate) fn canonical_path(raw_path: &str) -> String {
    if raw_path.is_empty() {
        return "/".to_owned();
    }
    raw_path
        .split('/')
        .map(|segment| encode(&percent_decode_str(segment).collect::<Vec<u8>>()))
        .collect::<Vec<_>>()
        .join("/")
}

/// Canonical query: pairs decoded, sorted by decoded name then value (byte order, as the
/// vendors' Go signers sort), RFC 3986-encoded, a missing value written as `name=`.
pub(crate) fn canonical_query(raw_query: &str) -> String {
    let mut pairs: Vec<(Vec<u8>, Vec<u8>)> = split_pairs(raw_query)
        .map(|(k, v)| (decode_form_component(k), decode_form_component(v)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Trimmed values of a header to sign, sorted as both vendors' SDKs sort repeated headers.
/// `host` is taken from [`SignableRequest::host`], not from the header list.
pub(crate) fn signed_header_values<'a>(req: &SignableRequest<'a>, name: &str) -> Vec<&'a str> {
    if name.eq_ignore_ascii_case("host") {
        return vec![req.host.trim()];
    }
    let mut values: Vec<&str> = req.header_values(name).map(str::trim).collect();
    values.sort_unstable();
    values
}

/// Lowercase, sorted, de-duplicated names of the request's headers that `wanted` selects,
/// plus `host`, which every scheme here signs.
pub(crate) fn names_to_sign(
    req: &SignableRequest<'_>,
    wanted: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut names: Vec<String> = req
        .headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .filter(|n| n != "host" && wanted(n))
        .collect();
    names.push("host".to_owned());
    names.sort_unstable();
    names.dedup();
    names
}

/// `headers` without any entry named like one in `added`, followed by `added`.
///
/// Signing adds its own date/nonce/hash headers; a stale copy left by the caller must not be
/// signed next to the new one.
pub(crate) fn with_headers(
    headers: &[(String, String)],
    added: &[(String, String)],
) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(n, _)| !added.iter().any(|(a, _)| a.eq_ignore_ascii_case(n)))
        .chain(added)
        .cloned()
        .collect()
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
    fn query_is_sorted_decoded_and_reencoded() {
        assert_eq!(canonical_query(""), "");
        assert_eq!(canonical_query("b=2&a&c=x+y&a=0"), "a=&a=0&b=2&c=x%20y");
        assert_eq!(canonical_query("k=%7e*"), "k=~%2A");
    }
}
