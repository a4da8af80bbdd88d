//! Huawei Cloud AK/SK signing, `SDK-HMAC-SHA256` (vendor-facts 3.2).
//!
//! `hex(HMAC-SHA256(SK, "SDK-HMAC-SHA256\n" + X-Sdk-Date + "\n" + hex(sha256(CanonicalRequest))))`.
//! Differences from Alibaba's ACS3: the date is part of the string to sign, the canonical URI
//! always ends in `/`, and repeated headers give one line per value.

use time::OffsetDateTime;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

use crate::canonical::{
    canonical_path_into, canonical_query_into, names_to_sign, push_joined, signed_header_values,
    with_headers,
};
// The vector tests build canonical requests piece by piece.
#[cfg(test)]
use crate::canonical::canonical_query;
use crate::checks;
use crate::crypto::{hmac_sha256_hex, hmac_sha256_hex_matches, sha256_hex};
use crate::error::VerifyError;
use crate::request::SignableRequest;
use crate::secret::SecretString;
use crate::verified::Verified;

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

const DATE_LAYOUT: &[BorrowedFormatItem<'static>] =
    format_description!("[year][month][day]T[hour][minute][second]Z");

/// Headers [`sign`] signs when the request carries them; `host` and the date always.
const SIGNED_WHEN_PRESENT: [&str; 4] = [
    "content-type",
    "x-sdk-date",
    "x-project-id",
    "x-security-token",
];

/// A Huawei Cloud AK/SK pair, optionally with an STS token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HuaweiCredentials {
    /// Access key id (AK; not secret: it appears in every `Authorization` header).
    pub access_key_id: String,
    /// Secret access key (SK), the HMAC key.
    pub secret_access_key: SecretString,
    /// STS security token for temporary credentials.
    pub security_token: Option<SecretString>,
}

/// Formats a time as `X-Sdk-Date` wants it (`20191115T033655Z`), in UTC.
pub fn format_date(at: OffsetDateTime) -> String {
    let t = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The canonical URI: segments percent-decoded then RFC 3986-encoded (as for Alibaba), and
/// always ending in `/` — for signing only, the request path itself is unchanged.
pub fn canonical_uri(raw_path: &str) -> String {
    let mut uri = String::with_capacity(raw_path.len() + 2);
    canonical_uri_into(&mut uri, raw_path);
    uri
}

/// [`canonical_uri`], appended to `out`.
fn canonical_uri_into(out: &mut String, raw_path: &str) {
    canonical_path_into(out, raw_path);
    if !out.ends_with('/') {
        out.push('/');
    }
}

/// The payload line: `X-Sdk-Content-Sha256` when the request carries it (possibly
/// [`UNSIGNED_PAYLOAD`]), otherwise hex(sha256(body)).
fn payload_hash(req: &SignableRequest<'_>) -> String {
    req.header(CONTENT_SHA256_HEADER)
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|| sha256_hex(req.body))
}

/// The canonical request over exactly `signed_headers`, in the order given.
///
/// Query: decoded (`+` as space), sorted by name then value, RFC 3986 re-encoded, `name=`
/// for empty values. Headers: one `name:value` line per value, values trimmed and sorted,
/// `host` taken from `req.host`.
pub fn canonical_request(req: &SignableRequest<'_>, signed_headers: &[&str]) -> String {
    // One buffer, written in order: this runs once per signed request.
    let mut out = String::with_capacity(256 + 2 * (req.path.len() + req.query.len()));
    out.push_str(req.method);
    out.push('\n');
    canonical_uri_into(&mut out, req.path);
    out.push('\n');
    canonical_query_into(&mut out, req.query);
    out.push('\n');
    for name in signed_headers {
        for value in signed_header_values(req, name) {
            out.push_str(name);
            out.push(':');
            out.push_str(value);
            out.push('\n');
        }
    }
    out.push('\n');
    push_joined(&mut out, signed_headers, ';');
    out.push('\n');
    out.push_str(&payload_hash(req));
    out
}

/// `SDK-HMAC-SHA256\n` + date + `\n` + hex(sha256(canonical request)).
pub fn string_to_sign(date: &str, canonical_request: &str) -> String {
    [
        ALGORITHM,
        "\n",
        date,
        "\n",
        &sha256_hex(canonical_request.as_bytes()),
    ]
    .concat()
}

/// Lowercase hex HMAC-SHA256 keyed with the SK.
pub fn signature(secret: &SecretString, string_to_sign: &str) -> String {
    hmac_sha256_hex(secret.expose_secret().as_bytes(), string_to_sign.as_bytes())
}

/// Signs `req` and returns the headers to add: `X-Sdk-Date`, `X-Security-Token` (STS only)
/// and `Authorization`, last.
///
/// Signed: `host`, `x-sdk-date`, and `content-type`, `x-project-id`, `x-security-token` when
/// present. An `X-Sdk-Content-Sha256` header already on the request is honoured as the
/// payload hash. `date` is [`format_date`] of the current time.
pub fn sign(
    req: &SignableRequest<'_>,
    credentials: &HuaweiCredentials,
    date: &str,
) -> Vec<(String, String)> {
    let mut added = vec![(DATE_HEADER.to_owned(), date.to_owned())];
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
    let names = names_to_sign(&signing, |n| SIGNED_WHEN_PRESENT.contains(&n));
    let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    let to_sign = string_to_sign(date, &canonical_request(&signing, &names));
    added.push((
        "Authorization".to_owned(),
        format!(
            "{ALGORITHM} Access={}, SignedHeaders={}, Signature={}",
            credentials.access_key_id,
            names.join(";"),
            signature(&credentials.secret_access_key, &to_sign)
        ),
    ));
    added
}

/// Verifies an `SDK-HMAC-SHA256` request, as Huawei's API gateway would.
///
/// The signature is recomputed over exactly the request's own `SignedHeaders` (the official
/// SDK signs `content-type;host;user-agent;x-project-id;x-sdk-date`), which must include
/// `host` and `x-sdk-date`. `X-Sdk-Date` must lie within [`DEFAULT_WINDOW_SECS`] of
/// `now_unix`. An `X-Sdk-Content-Sha256` other than [`UNSIGNED_PAYLOAD`] must equal the body
/// hash; with `UNSIGNED-PAYLOAD` the body is, as the name says, not covered.
///
/// The scheme has no nonce ([`Verified::nonce`] is `None`). On `SignatureMismatch`,
/// [`error_canonical_request`] gives the detail Huawei's `APIGW.0301` message shows.
pub fn verify(
    req: &SignableRequest<'_>,
    lookup_secret: impl Fn(&str) -> Option<SecretString>,
    now_unix: i64,
) -> Result<Verified, VerifyError> {
    let auth = checks::parse_authorization(req, ALGORITHM, "Access")?;
    let date = checks::required_header(req, DATE_HEADER)?;
    checks::require_signed(&auth.signed_headers, &["host", "x-sdk-date"])?;
    checks::require_present(req, &auth.signed_headers)?;
    let timestamp = checks::parse_utc(date, DATE_LAYOUT, "YYYYMMDDTHHMMSSZ")?;
    checks::check_window(timestamp, now_unix, DEFAULT_WINDOW_SECS)?;
    let secret = checks::lookup(lookup_secret, auth.access_key_id)?;

    let declared = req.header(CONTENT_SHA256_HEADER).map(str::trim);
    if declared
        .is_some_and(|h| h != UNSIGNED_PAYLOAD && !h.eq_ignore_ascii_case(&sha256_hex(req.body)))
    {
        return Err(VerifyError::SignatureMismatch);
    }
    let to_sign = string_to_sign(date, &canonical_request(req, &auth.signed_headers));
    if !hmac_sha256_hex_matches(
        secret.expose_secret().as_bytes(),
        to_sign.as_bytes(),
        auth.signature,
    ) {
        return Err(VerifyError::SignatureMismatch);
    }
    Ok(Verified {
        access_key_id: auth.access_key_id.to_owned(),
        nonce: None,
        timestamp_unix: timestamp,
    })
}

/// The canonical request the verifier computes for `req`, newlines shown as `|`, the way
/// Huawei's gateway prints it in `APIGW.0301` "verify aksk signature fail,
/// canonicalRequest:…". `None` when the `Authorization` header does not parse.
///
/// It holds no key material, but it does echo the values of the signed headers (including
/// `X-Security-Token` when that is signed), exactly as the real gateway does.
pub fn error_canonical_request(req: &SignableRequest<'_>) -> Option<String> {
    let auth = checks::parse_authorization(req, ALGORITHM, "Access").ok()?;
    Some(canonical_request(req, &auth.signed_headers).replace('\n', "|"))
}
