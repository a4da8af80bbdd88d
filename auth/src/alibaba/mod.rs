//! Alibaba Cloud signature V3, `ACS3-HMAC-SHA256` (vendor-facts 1.2).
//!
//! `HMAC-SHA256(secret, "ACS3-HMAC-SHA256\n" + hex(sha256(CanonicalRequest)))`, where the
//! canonical request covers method, canonical URI, canonical query, the signed headers and
//! the body hash. See [`HeaderHmacScheme::canonical_request`] for how wire forms are
//! normalised.

use time::macros::format_description;

use crate::header_hmac::{DateLayout, HeaderHmacScheme, MismatchDetail};
use crate::scheme::Presence;
#[cfg(doc)]
use crate::verified::Verified;

pub use crate::header_hmac::{hashed_payload, signature};

#[cfg(test)]
mod tests;

/// The algorithm name that opens the `Authorization` header and the string to sign.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// `x-acs-date` may be at most 15 minutes away from server time.
pub const DEFAULT_WINDOW_SECS: u64 = 15 * 60;

/// Request time, UTC `yyyy-MM-ddTHH:mm:ssZ`.
pub const DATE_HEADER: &str = "x-acs-date";
/// Per-request random value; the server rejects repeats.
pub const NONCE_HEADER: &str = "x-acs-signature-nonce";
/// Lowercase hex SHA-256 of the body.
pub const CONTENT_SHA256_HEADER: &str = "x-acs-content-sha256";
/// STS token, sent (and signed) only with temporary credentials.
pub const SECURITY_TOKEN_HEADER: &str = "x-acs-security-token";

/// The `x-keygate-auth` id of this scheme.
pub const SCHEME_ID: &str = "alibaba-acs3-hmac-sha256";

/// The scheme: for lookups by id, and its pure functions
/// ([`sign_at`](HeaderHmacScheme::sign_at), [`verify_signature`](HeaderHmacScheme::verify_signature),
/// [`canonical_request`](HeaderHmacScheme::canonical_request), …).
///
/// Signing adds `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256`,
/// `x-acs-security-token` (STS only) and `Authorization`; it signs every `x-acs-*` header,
/// `host`, and `content-type` when present (the caller has already set `x-acs-action`,
/// `x-acs-version` and, with a body, `content-type`). Repeated headers are comma-joined on one
/// line, as the official SDKs do. Verification recomputes the signature over exactly the
/// request's own `SignedHeaders` (real clients also sign `accept`, `user-agent`, …), which must
/// include `host`, `x-acs-date` and `x-acs-signature-nonce`, and `x-acs-content-sha256` when it
/// is sent, whose value must equal the body's hash. Alibaba's `SignatureDoesNotMatch` message
/// shows the server's string to sign. Replay detection is the caller's: see [`Verified`].
pub static SCHEME: HeaderHmacScheme = HeaderHmacScheme {
    id: SCHEME_ID,
    presence: Presence::Authorization {
        algorithm: ALGORITHM,
        fields: &["Credential", "SignedHeaders", "Signature"],
    },
    mismatch: MismatchDetail::StringToSign,
    algorithm: ALGORITHM,
    key_field: "Credential",
    field_separator: ",",
    date_header: DATE_HEADER,
    date: DateLayout {
        date_separator: "-",
        time_separator: ":",
        parse: format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"),
        name: "yyyy-MM-ddTHH:mm:ssZ",
    },
    nonce_header: Some(NONCE_HEADER),
    content_hash_header: CONTENT_SHA256_HEADER,
    sends_content_hash: true,
    unsigned_payload: None,
    token_header: SECURITY_TOKEN_HEADER,
    secret_headers: &["authorization", SECURITY_TOKEN_HEADER],
    signs: |name| name.starts_with("x-acs-") || name == "content-type",
    must_sign: &[],
    trailing_slash: false,
    header_line_per_value: false,
    date_in_string_to_sign: false,
    window_secs: DEFAULT_WINDOW_SECS,
};
