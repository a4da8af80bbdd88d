//! Alibaba Cloud signature V3, `ACS3-HMAC-SHA256` (vendor-facts 1.2).
//!
//! `HMAC-SHA256(secret, "ACS3-HMAC-SHA256\n" + hex(sha256(CanonicalRequest)))`, where the
//! canonical request covers method, canonical URI, canonical query, the signed headers and
//! the body hash. See [`canonical_request`] for how wire forms are normalised.

use time::OffsetDateTime;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

use crate::canonical::{
    canonical_path_into, canonical_query_into, names_to_sign, push_joined, signed_header_values,
    with_headers,
};
use crate::checks;
use crate::crypto::{hmac_sha256_hex, hmac_sha256_hex_matches, sha256_hex};
use crate::error::VerifyError;
use crate::request::SignableRequest;
use crate::secret::SecretString;
use crate::verified::Verified;

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

const DATE_LAYOUT: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

/// An Alibaba Cloud AccessKey pair, optionally with an STS token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlibabaCredentials {
    /// AccessKey id (not secret: it appears in every `Authorization` header).
    pub access_key_id: String,
    /// AccessKey secret, the HMAC key.
    pub access_key_secret: SecretString,
    /// STS security token for temporary credentials.
    pub security_token: Option<SecretString>,
}

/// Formats a time as `x-acs-date` wants it (`2023-10-26T10:22:32Z`), in UTC.
pub fn format_date(at: OffsetDateTime) -> String {
    let t = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Lowercase hex SHA-256 of the body: the `x-acs-content-sha256` value.
pub fn hashed_payload(body: &[u8]) -> String {
    sha256_hex(body)
}

/// The canonical request over exactly `signed_headers`, in the order given.
///
/// - Method as given.
/// - Canonical URI: each path segment percent-decoded, then RFC 3986-encoded, so a path the
///   SDK already encoded (`/v1/secrets/name/a%20b/value`) is not encoded twice; `+` in a path
///   is literal and becomes `%2B`; an empty path is `/`.
/// - Canonical query: pairs decoded (`+` as space), sorted by name then value, RFC 3986
///   re-encoded, an empty value written `name=`.
/// - Header lines `name:value`, trimmed; a header sent several times gives its values sorted
///   and comma-joined (the official SDKs do the same); `host` comes from `req.host`.
pub fn canonical_request(
    req: &SignableRequest<'_>,
    signed_headers: &[&str],
    hashed_payload: &str,
) -> String {
    // One buffer, written in order: this runs once per signed request.
    let mut out = String::with_capacity(256 + 2 * (req.path.len() + req.query.len()));
    out.push_str(req.method);
    out.push('\n');
    canonical_path_into(&mut out, req.path);
    out.push('\n');
    canonical_query_into(&mut out, req.query);
    out.push('\n');
    for name in signed_headers {
        out.push_str(name);
        out.push(':');
        push_joined(&mut out, &signed_header_values(req, name), ',');
        out.push('\n');
    }
    out.push('\n');
    push_joined(&mut out, signed_headers, ';');
    out.push('\n');
    out.push_str(hashed_payload);
    out
}

/// `ACS3-HMAC-SHA256\n` + hex(sha256(canonical request)).
pub fn string_to_sign(canonical_request: &str) -> String {
    [ALGORITHM, "\n", &sha256_hex(canonical_request.as_bytes())].concat()
}

/// Lowercase hex HMAC-SHA256 keyed with the raw secret (no `&` suffix, unlike V2).
pub fn signature(secret: &SecretString, string_to_sign: &str) -> String {
    hmac_sha256_hex(secret.expose_secret().as_bytes(), string_to_sign.as_bytes())
}

/// Signs `req` and returns the headers to add, `Authorization` last.
///
/// The caller has already put `host` (in `req.host`), `content-type` (when there is a body),
/// `x-acs-action` and `x-acs-version` on the request. This adds `x-acs-date`,
/// `x-acs-signature-nonce`, `x-acs-content-sha256`, `x-acs-security-token` (STS only) and
/// `Authorization`, replacing any copy of them the caller left in `req.headers`. Signed:
/// every `x-acs-*` header, `host`, and `content-type` when present.
///
/// `date` is [`format_date`] of the current time; `nonce` must be unique per request
/// (the official SDKs send 32 hex characters).
pub fn sign(
    req: &SignableRequest<'_>,
    credentials: &AlibabaCredentials,
    date: &str,
    nonce: &str,
) -> Vec<(String, String)> {
    let payload_hash = hashed_payload(req.body);
    let mut added = vec![
        (DATE_HEADER.to_owned(), date.to_owned()),
        (NONCE_HEADER.to_owned(), nonce.to_owned()),
        (CONTENT_SHA256_HEADER.to_owned(), payload_hash.clone()),
    ];
    if let Some(token) = &credentials.security_token {
        added.push((
            SECURITY_TOKEN_HEADER.to_owned(),
            token.expose_secret().to_owned(),
        ));
    }
    let headers = with_headers(req.headers, &added);
    let signing = SignableRequest {
        headers: &headers,
        ..*req
    };
    let names = names_to_sign(&signing, |n| n.starts_with("x-acs-") || n == "content-type");
    let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    let canonical = canonical_request(&signing, &names, &payload_hash);
    added.push((
        "Authorization".to_owned(),
        format!(
            "{ALGORITHM} Credential={},SignedHeaders={},Signature={}",
            credentials.access_key_id,
            names.join(";"),
            signature(&credentials.access_key_secret, &string_to_sign(&canonical))
        ),
    ));
    added
}

/// Verifies an ACS3-HMAC-SHA256 request, as Alibaba's gateway would.
///
/// The signature is recomputed over exactly the headers the request's own `SignedHeaders`
/// names (real clients also sign `accept`, `user-agent`, `x-acs-credentials-provider`…);
/// `host`, `x-acs-date` and `x-acs-signature-nonce` must be among them, and so must
/// `x-acs-content-sha256` when it is sent, whose value must equal the body hash.
/// `x-acs-date` must lie within [`DEFAULT_WINDOW_SECS`] of `now_unix`.
///
/// Replay detection is left to the caller: see [`Verified`].
pub fn verify(
    req: &SignableRequest<'_>,
    lookup_secret: impl Fn(&str) -> Option<SecretString>,
    now_unix: i64,
) -> Result<Verified, VerifyError> {
    let auth = checks::parse_authorization(req, ALGORITHM, "Credential")?;
    let date = checks::required_header(req, DATE_HEADER)?;
    let nonce = checks::required_header(req, NONCE_HEADER)?;
    let content_hash = req.header(CONTENT_SHA256_HEADER).map(str::trim);
    checks::require_signed(&auth.signed_headers, &["host", DATE_HEADER, NONCE_HEADER])?;
    if content_hash.is_some() {
        checks::require_signed(&auth.signed_headers, &[CONTENT_SHA256_HEADER])?;
    }
    checks::require_present(req, &auth.signed_headers)?;
    let timestamp = checks::parse_utc(date, DATE_LAYOUT, "yyyy-MM-ddTHH:mm:ssZ")?;
    checks::check_window(timestamp, now_unix, DEFAULT_WINDOW_SECS)?;
    let secret = checks::lookup(lookup_secret, auth.access_key_id)?;

    let body_hash = hashed_payload(req.body);
    if content_hash.is_some_and(|h| !h.eq_ignore_ascii_case(&body_hash)) {
        return Err(VerifyError::SignatureMismatch);
    }
    let canonical = canonical_request(
        req,
        &auth.signed_headers,
        content_hash.unwrap_or(&body_hash),
    );
    if !hmac_sha256_hex_matches(
        secret.expose_secret().as_bytes(),
        string_to_sign(&canonical).as_bytes(),
        auth.signature,
    ) {
        return Err(VerifyError::SignatureMismatch);
    }
    Ok(Verified {
        access_key_id: auth.access_key_id.to_owned(),
        nonce: Some(nonce.to_owned()),
        timestamp_unix: timestamp,
    })
}
