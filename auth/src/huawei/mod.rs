//! Huawei Cloud AK/SK signing, `SDK-HMAC-SHA256` (vendor-facts 3.2).
//!
//! `hex(HMAC-SHA256(SK, "SDK-HMAC-SHA256\n" + X-Sdk-Date + "\n" + hex(sha256(CanonicalRequest))))`.
//! Differences from Alibaba's ACS3: the date is part of the string to sign, the canonical URI
//! always ends in `/`, and repeated headers give one line per value.

use time::macros::format_description;

use crate::header_hmac::{DateLayout, HeaderHmacScheme, MismatchDetail};
use crate::scheme::Presence;
use crate::token::TokenScheme;

pub use crate::header_hmac::signature;

#[cfg(test)]
mod tests;

/// The algorithm name that opens the `Authorization` header and the string to sign.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// `X-Sdk-Date` may be at most 15 minutes away from the gateway clock.
pub const DEFAULT_WINDOW_SECS: u64 = 15 * 60;

/// Request time, UTC `YYYYMMDDTHHMMSSZ`; must be signed.
pub const DATE_HEADER: &str = "X-Sdk-Date";
/// Optional precomputed payload hash, used in place of hashing the body.
pub const CONTENT_SHA256_HEADER: &str = "X-Sdk-Content-Sha256";
/// The [`CONTENT_SHA256_HEADER`] value that leaves the body out of the signature.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// STS token, sent (and signed) only with temporary credentials.
pub const SECURITY_TOKEN_HEADER: &str = "X-Security-Token";
/// The IAM token header of the token scheme.
pub const AUTH_TOKEN_HEADER: &str = "X-Auth-Token";

/// The `x-keygate-auth` id of the AK/SK scheme.
pub const SCHEME_ID: &str = "huawei-sdk-hmac-sha256";
/// The `x-keygate-auth` id of the IAM token scheme.
pub const TOKEN_SCHEME_ID: &str = "huawei-token";

/// The IAM token scheme (`X-Auth-Token`), for lookups by id: nothing to verify offline
/// beyond its presence.
pub static TOKEN_SCHEME: TokenScheme = TokenScheme {
    id: TOKEN_SCHEME_ID,
    label: "IAM token (X-Auth-Token)",
    header: &AUTH_TOKEN_HEADER,
    prefix: "",
    presence: Presence::Header("x-auth-token"),
};

/// Headers [`sign`] signs when the request carries them; `host` and the date always.
const SIGNED_WHEN_PRESENT: [&str; 4] = [
    "content-type",
    "x-sdk-date",
    "x-project-id",
    "x-security-token",
];

/// The AK/SK scheme: for lookups by id, and its pure functions
/// ([`sign_at`](HeaderHmacScheme::sign_at), [`verify_signature`](HeaderHmacScheme::verify_signature),
/// [`canonical_request`](HeaderHmacScheme::canonical_request), …).
///
/// Signing adds `X-Sdk-Date`, `X-Security-Token` (STS only) and `Authorization`; it signs
/// `host`, `x-sdk-date`, and `content-type`, `x-project-id`, `x-security-token` when present.
/// An `X-Sdk-Content-Sha256` header already on the request is used as the payload hash
/// ([`UNSIGNED_PAYLOAD`] leaves the body out). The canonical URI always ends in `/` (for
/// signing only) and a repeated header gives one line per value. Verification recomputes the
/// signature over the request's own `SignedHeaders` (the official SDK signs
/// `content-type;host;user-agent;x-project-id;x-sdk-date`), which must include `host` and
/// `x-sdk-date`. The scheme has no nonce. Huawei's `APIGW.0301` message shows the canonical
/// request it computed, newlines as `|` ([`Scheme::mismatch_detail`](crate::Scheme::mismatch_detail)):
/// no key material, but the signed headers' values, as the real gateway shows them.
pub static SCHEME: HeaderHmacScheme = HeaderHmacScheme {
    id: SCHEME_ID,
    presence: Presence::Authorization {
        algorithm: ALGORITHM,
        fields: &["Access", "SignedHeaders", "Signature"],
    },
    mismatch: MismatchDetail::PipedCanonicalRequest,
    algorithm: ALGORITHM,
    key_field: "Access",
    field_separator: ", ",
    date_header: DATE_HEADER,
    date: DateLayout {
        date_separator: "",
        time_separator: "",
        parse: format_description!("[year][month][day]T[hour][minute][second]Z"),
        name: "YYYYMMDDTHHMMSSZ",
    },
    nonce_header: None,
    content_hash_header: CONTENT_SHA256_HEADER,
    sends_content_hash: false,
    unsigned_payload: Some(UNSIGNED_PAYLOAD),
    token_header: SECURITY_TOKEN_HEADER,
    secret_headers: &["authorization", SECURITY_TOKEN_HEADER],
    signs: |name| SIGNED_WHEN_PRESENT.contains(&name),
    must_sign: &[],
    trailing_slash: true,
    header_line_per_value: true,
    date_in_string_to_sign: true,
    window_secs: DEFAULT_WINDOW_SECS,
};
