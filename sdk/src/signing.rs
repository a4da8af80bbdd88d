//! Glue between a `reqwest::Request` and `keygate-auth`'s pure schemes: the request as the
//! scheme sees it, and what signing adds put back on the wire.

use std::borrow::Cow;

use keygate_auth::{Credential, Freshness, Scheme, SecretString, SignableRequest, Signed};
use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};

use crate::error::Error;

/// The form media type, whose body carries the signed parameters of a POST.
const FORM: &str = "application/x-www-form-urlencoded";

/// The current time and a random nonce.
pub(crate) fn fresh() -> Freshness {
    Freshness {
        now_unix: time::OffsetDateTime::now_utc().unix_timestamp(),
        nonce: rand::random(),
    }
}

/// Signs `request` with `scheme` as of `fresh()`.
///
/// A scheme that only attaches its credential (a token) is given neither the request nor a
/// time and nonce: describing the request copies every header, and `fresh` reads the clock
/// and the random generator, on every attempt.
pub(crate) fn sign(
    request: &mut reqwest::Request,
    scheme: &dyn Scheme,
    credential: &Credential,
    fresh: impl FnOnce() -> Freshness,
) -> Result<(), Error> {
    let signed = if scheme.reads_request() {
        with_signable(request, |signable| {
            scheme.sign(signable, credential, fresh())
        })
    } else {
        scheme.sign(&SignableRequest::EMPTY, credential, Freshness::UNUSED)
    }
    .map_err(|e| Error::credentials(e.to_string()))?;
    apply(request, signed)
}

/// Calls `sign` with the request as it will go on the wire.
///
/// `host` is the authority the URL addresses (with a non-default port), which is what the
/// HTTP client puts in `Host`; the other headers are the ones already on the request.
pub(crate) fn with_signable<R>(
    request: &reqwest::Request,
    sign: impl FnOnce(&SignableRequest<'_>) -> R,
) -> R {
    let url = request.url();
    let host = authority(url);
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

/// Puts what signing produced on the request: headers replace earlier values (those holding
/// secrets marked so HTTP-level debug output hides them); signed parameters replace the
/// parameters where they travel, the form body of a POST that has one, else the query.
pub(crate) fn apply(request: &mut reqwest::Request, signed: Signed) -> Result<(), Error> {
    for (name, value) in signed.headers {
        let secret = signed
            .secret_headers
            .iter()
            .any(|s| s.eq_ignore_ascii_case(&name));
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid_header(&name))?;
        let value = header_value(value, secret).map_err(|_| invalid_header(name.as_str()))?;
        request.headers_mut().insert(name, value);
    }
    if let Some(params) = signed.params {
        if carries_form(request) {
            *request.body_mut() = Some(form(&params).into());
        } else {
            crate::wire::set_query(request.url_mut(), &params);
        }
    }
    Ok(())
}

/// Whether the request's parameters travel as a form body.
fn carries_form(request: &reqwest::Request) -> bool {
    request.method() == reqwest::Method::POST
        && request
            .headers()
            .get(CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(FORM.as_bytes()))
}

/// `application/x-www-form-urlencoded` text of `params`.
pub(crate) fn form(params: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
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
    Error::credentials(format!(
        "signing produced an invalid {name} header (a credential holds characters a header \
         cannot carry)"
    ))
}

/// The authority a client addresses: host, and the port when the URL names one.
pub(crate) fn authority(url: &reqwest::Url) -> Cow<'_, str> {
    // Without user info the URL's own authority is exactly that, as written: no copy.
    if url.username().is_empty() && url.password().is_none() {
        return Cow::Borrowed(url.authority());
    }
    let host = url.host_str().unwrap_or_default();
    Cow::Owned(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
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

#[cfg(test)]
mod tests {
    use super::authority;

    #[test]
    fn authority_is_host_and_a_non_default_port() {
        for (url, expected) in [
            ("http://127.0.0.1:4010/a?b", "127.0.0.1:4010"),
            ("https://apig.example.com:443/a", "apig.example.com"),
            ("http://[::1]:8080/", "[::1]:8080"),
            ("http://user:pw@h.example:81/", "h.example:81"),
            ("http://user@h.example/", "h.example"),
        ] {
            assert_eq!(authority(&reqwest::Url::parse(url).unwrap()), expected);
        }
    }
}
