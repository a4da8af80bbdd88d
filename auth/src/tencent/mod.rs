//! Tencent Cloud legacy API 2.0 signature (`HmacSHA1` / `HmacSHA256`, vendor-facts 2.2).
//!
//! Every parameter except `Signature` is signed: names sorted in byte order, `_` in names
//! turned into `.`, **raw** (unencoded) values, and
//! `SrcStr = METHOD + host + path + "?" + k=v&k=v…`. The signature is
//! `Base64(HMAC(SecretKey, SrcStr))`, SHA-1 unless `SignatureMethod=HmacSHA256`.
//!
//! The parameters travel in the query (GET) or as an `application/x-www-form-urlencoded`
//! body (POST); encoding them for the wire, exactly once, is the caller's job.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::checks;
use crate::credential::{AccessKey, Credential, CredentialKind};
use crate::crypto::{HmacSha1, HmacSha256, hmac, hmac_matches};
use crate::error::VerifyError;
use crate::request::SignableRequest;
use crate::scheme::{self, Freshness, Presence, Scheme, SecretLookup, SignError, Signed};
use crate::secret::SecretString;
use crate::verified::Verified;

#[cfg(test)]
mod tests;

/// Name of the parameter selecting the algorithm; absent means HMAC-SHA1.
pub const SIGNATURE_METHOD_PARAM: &str = "SignatureMethod";

/// The `x-keygate-auth` id of this scheme.
pub const SCHEME_ID: &str = "tencent-legacy-hmac";

/// The scheme, for lookups by id.
pub static SCHEME: LegacyHmac = LegacyHmac;

/// Allowed distance between `Timestamp` and server time: two hours.
///
/// The legacy API Gateway doc says 2 h (other legacy Tencent products say 5 min); the mock
/// imitates API Gateway, so 2 h is the default and [`verify`] takes the window as a parameter
/// for anyone who wants the stricter one.
pub const DEFAULT_WINDOW_SECS: u64 = 2 * 60 * 60;

/// The parameters that carry the credential and the signature: [`sign`] adds them itself (and
/// drops them from the caller's list); a request without them is not signed.
pub const CREDENTIAL_PARAMS: [&str; 6] = [
    "Timestamp",
    "Nonce",
    "SecretId",
    SIGNATURE_METHOD_PARAM,
    "Token",
    "Signature",
];

/// The HMAC behind the signature.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SignatureMethod {
    /// `HmacSHA1`, the default when `SignatureMethod` is absent.
    #[default]
    HmacSha1,
    /// `HmacSHA256`.
    HmacSha256,
}

impl SignatureMethod {
    /// The wire value of the `SignatureMethod` parameter.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::HmacSha1 => "HmacSHA1",
            Self::HmacSha256 => "HmacSHA256",
        }
    }

    /// Parses the wire value (case-sensitive, as the doc spells it).
    pub fn from_param(value: &str) -> Option<Self> {
        match value {
            "HmacSHA1" => Some(Self::HmacSha1),
            "HmacSHA256" => Some(Self::HmacSha256),
            _ => None,
        }
    }
}

/// Where the request goes: the three parts of `SrcStr` before `?`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Endpoint<'a> {
    /// HTTP method; uppercased for signing.
    pub method: &'a str,
    /// Host as the client addressed it, with the port when there is one.
    pub host: &'a str,
    /// Request path, normally `/v2/index.php`.
    pub path: &'a str,
}

/// Flattens a list parameter the way the official SDK does: `name.0`, `name.1`, … (0-based).
pub fn flatten_array<S: AsRef<str>>(name: &str, values: &[S]) -> Vec<(String, String)> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("{name}.{i}"), v.as_ref().to_owned()))
        .collect()
}

/// `SrcStr` over every parameter except `Signature`.
///
/// Sorted by name (byte order; ties by value so the result never depends on input order),
/// and only then `_` replaced by `.` in names, as the official SDK does.
pub fn string_to_sign(endpoint: &Endpoint<'_>, params: &[(String, String)]) -> String {
    let mut signed: Vec<&(String, String)> =
        params.iter().filter(|(n, _)| n != "Signature").collect();
    signed.sort_unstable();
    // One buffer, written in order: this runs once per signed request.
    let params_len: usize = signed.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let mut out = String::with_capacity(
        endpoint.method.len() + endpoint.host.len() + endpoint.path.len() + 1 + params_len,
    );
    out.extend(endpoint.method.chars().map(|c| c.to_ascii_uppercase()));
    out.push_str(endpoint.host);
    out.push_str(endpoint.path);
    out.push('?');
    for (i, (name, value)) in signed.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.extend(name.chars().map(|c| if c == '_' { '.' } else { c }));
        out.push('=');
        out.push_str(value);
    }
    out
}

/// `Base64(HMAC(secret, string_to_sign))`, not URL-encoded.
pub fn signature(secret: &SecretString, string_to_sign: &str, method: SignatureMethod) -> String {
    let (key, msg) = (secret.expose_secret().as_bytes(), string_to_sign.as_bytes());
    BASE64.encode(match method {
        SignatureMethod::HmacSha1 => hmac::<HmacSha1>(key, msg),
        SignatureMethod::HmacSha256 => hmac::<HmacSha256>(key, msg),
    })
}

/// Signs a call and returns the complete parameter list to put on the wire, in order.
///
/// That is `params` (minus any parameter this function generates), then `Timestamp`, `Nonce`,
/// `SecretId`, `SignatureMethod`, `Token` (STS only) and `Signature` (raw Base64: URL-encode
/// it once with the rest). `SignatureMethod` is sent even for the default HmacSHA1, as the
/// official SDK does, so the wire always says which HMAC was used.
pub fn sign(
    endpoint: &Endpoint<'_>,
    params: &[(String, String)],
    key: &AccessKey,
    timestamp: i64,
    nonce: u64,
    method: SignatureMethod,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = params
        .iter()
        .filter(|(n, _)| !CREDENTIAL_PARAMS.contains(&n.as_str()))
        .cloned()
        .collect();
    out.push(("Timestamp".to_owned(), timestamp.to_string()));
    out.push(("Nonce".to_owned(), nonce.to_string()));
    out.push(("SecretId".to_owned(), key.id.clone()));
    out.push((
        SIGNATURE_METHOD_PARAM.to_owned(),
        method.as_str().to_owned(),
    ));
    if let Some(token) = &key.session_token {
        out.push(("Token".to_owned(), token.expose_secret().to_owned()));
    }
    let value = signature(&key.secret, &string_to_sign(endpoint, &out), method);
    out.push(("Signature".to_owned(), value));
    out
}

/// The first value of a required parameter.
fn required<'a>(
    params: &'a [(String, String)],
    name: &'static str,
) -> Result<&'a str, VerifyError> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
        .ok_or(VerifyError::Missing { what: name })
}

/// `Signature`, which must appear exactly once: a second copy would be signed as data.
fn the_signature(params: &[(String, String)]) -> Result<&str, VerifyError> {
    if params.iter().filter(|(n, _)| n == "Signature").count() > 1 {
        return Err(VerifyError::malformed("Signature appears more than once"));
    }
    required(params, "Signature")
}

fn signature_method(params: &[(String, String)]) -> Result<SignatureMethod, VerifyError> {
    match params.iter().find(|(n, _)| n == SIGNATURE_METHOD_PARAM) {
        None => Ok(SignatureMethod::HmacSha1),
        Some((_, v)) => SignatureMethod::from_param(v).ok_or_else(|| {
            VerifyError::malformed(format!(
                "SignatureMethod {v:?} is not HmacSHA1 or HmacSHA256"
            ))
        }),
    }
}

fn parse_param<T: std::str::FromStr>(value: &str, name: &str) -> Result<T, VerifyError> {
    value
        .parse()
        .map_err(|_| VerifyError::malformed(format!("{name} {value:?} is not a valid integer")))
}

/// The decoded parameters a received request was signed over: the form body's for a POST that
/// has one, else the query's.
pub fn signed_params(req: &SignableRequest<'_>) -> Vec<(String, String)> {
    if req.method.eq_ignore_ascii_case("POST") && !req.body.is_empty() {
        req.form_pairs()
    } else {
        req.query_pairs()
    }
}

/// Verifies a legacy API 2.0 call, as Tencent's gateway would.
///
/// `params` are the decoded pairs of the query (GET) or of the form body (POST); see
/// [`signed_params`]. Parameters this crate does not know (e.g.
/// `RequestClient=SDK_PYTHON_2.0.15`) are signed like the others. `Nonce` may be any `u64`;
/// `Timestamp` must lie within `window_secs` of `now_unix` ([`DEFAULT_WINDOW_SECS`] is the
/// API Gateway value). Replay detection is the caller's job.
pub fn verify(
    endpoint: &Endpoint<'_>,
    params: &[(String, String)],
    lookup_secret: impl Fn(&str) -> Option<SecretString>,
    now_unix: i64,
    window_secs: u64,
) -> Result<Verified, VerifyError> {
    let provided = the_signature(params)?;
    let secret_id = required(params, "SecretId")?;
    let timestamp: i64 = parse_param(required(params, "Timestamp")?, "Timestamp")?;
    let nonce: u64 = parse_param(required(params, "Nonce")?, "Nonce")?;
    let method = signature_method(params)?;
    checks::check_window(timestamp, now_unix, window_secs)?;
    let secret = checks::lookup(lookup_secret, secret_id)?;

    let (key, src) = (
        secret.expose_secret().as_bytes(),
        string_to_sign(endpoint, params),
    );
    let matches = BASE64.decode(provided).is_ok_and(|tag| match method {
        SignatureMethod::HmacSha1 => hmac_matches::<HmacSha1>(key, src.as_bytes(), &tag),
        SignatureMethod::HmacSha256 => hmac_matches::<HmacSha256>(key, src.as_bytes(), &tag),
    });
    if !matches {
        return Err(VerifyError::SignatureMismatch);
    }
    Ok(Verified {
        access_key_id: secret_id.to_owned(),
        nonce: Some(nonce.to_string()),
        timestamp_unix: timestamp,
    })
}

/// The legacy API 2.0 signature behind the [`Scheme`] interface.
///
/// Signing reads the HMAC from a `SignatureMethod` parameter the caller put on the request
/// (HmacSHA1 without one), and replaces the parameters where they travel: the form body of a
/// POST that has one, else the query.
#[derive(Debug, Clone, Copy)]
pub struct LegacyHmac;

impl Scheme for LegacyHmac {
    fn id(&self) -> &'static str {
        SCHEME_ID
    }

    fn label(&self) -> &'static str {
        "HmacSHA1/HmacSHA256 (legacy API 2.0)"
    }

    fn credential_kind(&self) -> CredentialKind {
        CredentialKind::AccessKey
    }

    fn presence(&self) -> &Presence {
        &Presence::Params(&["SecretId", "Signature", "Nonce", "Timestamp"])
    }

    fn credential_params(&self) -> &'static [&'static str] {
        &CREDENTIAL_PARAMS
    }

    fn window_secs(&self) -> u64 {
        DEFAULT_WINDOW_SECS
    }

    fn verify(
        &self,
        request: &SignableRequest<'_>,
        lookup: SecretLookup<'_>,
        now_unix: i64,
    ) -> Result<Option<Verified>, VerifyError> {
        let params = signed_params(request);
        verify(
            &endpoint_of(request),
            &params,
            lookup,
            now_unix,
            DEFAULT_WINDOW_SECS,
        )
        .map(Some)
    }

    fn sign(
        &self,
        request: &SignableRequest<'_>,
        credential: &Credential,
        fresh: Freshness,
    ) -> Result<Signed, SignError> {
        let key = scheme::access_key(SCHEME_ID, credential)?;
        let params = signed_params(request);
        let method = params
            .iter()
            .find(|(n, _)| n == SIGNATURE_METHOD_PARAM)
            .and_then(|(_, v)| SignatureMethod::from_param(v))
            .unwrap_or_default();
        let signed = sign(
            &endpoint_of(request),
            &params,
            key,
            fresh.now_unix,
            official_nonce(fresh.nonce),
            method,
        );
        Ok(Signed {
            headers: Vec::new(),
            secret_headers: &[],
            params: Some(signed),
        })
    }
}

/// The method, host and path of a request, as `SrcStr` starts.
fn endpoint_of<'a>(request: &SignableRequest<'a>) -> Endpoint<'a> {
    Endpoint {
        method: request.method,
        host: request.host,
        path: request.path,
    }
}

/// A nonce in 1..=2^63-1, the range the official SDK draws from.
fn official_nonce(random: u128) -> u64 {
    let max = i64::MAX as u128;
    u64::try_from(random % max).map_or(1, |n| n.max(1))
}
