//! Glue between a `reqwest::Request` and `keygate-auth`'s pure signing functions.

use keygate_auth::{SecretString, SignableRequest};
use reqwest::header::{HeaderName, HeaderValue};

use crate::error::Error;

/// Calls `sign` with the request as it will go on the wire.
///
/// `host` is the authority the URL addresses (with a non-default port), which is what the
/// HTTP client puts in `Host`; the other headers are the ones already on the request.
pub(crate) fn with_signable<R>(
    request: &reqwest::Request,
    sign: impl FnOnce(&SignableRequest<'_>) -> R,
) -> R {
    let url = request.url();
    let host = crate::call::authority(url);
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = request
        .body()
        .and_then(reqwest::Body::as_bytes)
        .unwrap_or_default();
    sign(&SignableRequest {
        method: request.method().as_str(),
        host: &host,
        path: url.path(),
        query: url.query().unwrap_or_default(),
        headers: &headers,
        body,
    })
}

/// Sets headers a signer returned, replacing earlier values. Those named in `sensitive` are
/// marked so that HTTP-level debug output hides them.
pub(crate) fn set_headers(
    request: &mut reqwest::Request,
    headers: Vec<(String, String)>,
    sensitive: &[&str],
) -> Result<(), Error> {
    for (name, value) in headers {
        let is_sensitive = sensitive.iter().any(|s| s.eq_ignore_ascii_case(&name));
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid_header(&name))?;
        let value = header_value(value, is_sensitive).map_err(|_| invalid_header(name.as_str()))?;
        request.headers_mut().insert(name, value);
    }
    Ok(())
}

/// A header value holding a secret, marked sensitive.
pub(crate) fn secret_header(secret: &SecretString) -> Result<HeaderValue, Error> {
    header_value(secret.expose_secret().to_owned(), true)
        .map_err(|_| Error::credentials("a credential contains characters a header cannot carry"))
}

fn header_value(
    value: String,
    sensitive: bool,
) -> Result<HeaderValue, reqwest::header::InvalidHeaderValue> {
    let mut value = HeaderValue::try_from(value)?;
    value.set_sensitive(sensitive);
    Ok(value)
}

fn invalid_header(name: &str) -> Error {
    Error::credentials(format!("the signer produced an invalid {name} header"))
}

/// 32 random lowercase hex characters, as Alibaba's official SDKs send in their nonce.
pub(crate) fn hex_nonce() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// The current time.
pub(crate) fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

/// Replaces every occurrence of a known secret in text that came from a service (Huawei's
/// signature errors echo the signed headers, an STS token among them).
pub(crate) fn scrub(text: &mut String, secrets: &[&SecretString]) {
    for secret in secrets {
        let value = secret.expose_secret();
        if !value.is_empty() && text.contains(value) {
            *text = text.replace(value, keygate_auth::REDACTED);
        }
    }
}
