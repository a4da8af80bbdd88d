//! The verifiers of `keygate-auth`, by the `x-keygate-auth` id a security scheme names.
//!
//! This table is the only place where the mock knows scheme ids; each entry only adapts the
//! request to the keygate-auth function's signature and says what "present" means for that
//! scheme. (If keygate-auth grows a lookup by id, this table goes away.)

use http::HeaderName;
use keygate_auth::{
    SecretString, SignableRequest, Verified, VerifyError, alibaba, huawei, tencent,
};

/// What a request must carry for the scheme's credential to count as present.
#[derive(Debug)]
pub(crate) enum Presence {
    /// `Authorization: <algorithm> k=v, ...` with these fields.
    Authorization {
        algorithm: &'static str,
        fields: &'static [&'static str],
    },
    /// A non-empty header.
    /// (Parsed once: looking a header up by `&str` parses the name on every request.)
    Header(HeaderName),
    /// Non-empty query/form parameters.
    Params(&'static [&'static str]),
    /// `Authorization: Bearer <token>`.
    Bearer,
}

/// Looks an access key's secret up.
pub(crate) type Lookup<'a> = &'a dyn Fn(&str) -> Option<SecretString>;

/// What the vendor shows the client when its signature does not match (its own canonical
/// form), where keygate-auth can compute it.
pub(crate) type MismatchDetailFn = fn(&SignableRequest<'_>) -> Option<String>;

/// Verifies a signed request at `now` (Unix seconds).
pub(crate) type VerifyFn =
    fn(&SignableRequest<'_>, Lookup<'_>, i64) -> Result<Verified, VerifyError>;

/// One scheme id's adapter.
#[derive(Debug)]
pub(crate) struct SchemeAdapter {
    /// The `x-keygate-auth` id.
    pub(crate) id: &'static str,
    /// What presence mode checks.
    pub(crate) presence: Presence,
    /// Query parameters that belong to the credential (skipped by validation with auth off).
    pub(crate) credential_params: &'static [&'static str],
    /// Signature check; `None` where nothing more than the form can be checked offline
    /// (an IAM token, an Entra ID bearer token).
    pub(crate) verify: Option<VerifyFn>,
    /// How long a signed request stays valid: how long its nonce is remembered.
    pub(crate) window_secs: u64,
    /// The `{detail}` of a `signature-mismatch` answer.
    pub(crate) mismatch_detail: Option<MismatchDetailFn>,
}

static ADAPTERS: [SchemeAdapter; 5] = [
    SchemeAdapter {
        id: "alibaba-acs3-hmac-sha256",
        presence: Presence::Authorization {
            algorithm: alibaba::ALGORITHM,
            fields: &["Credential", "SignedHeaders", "Signature"],
        },
        credential_params: &[],
        verify: Some(|req, lookup, now| alibaba::verify(req, lookup, now)),
        window_secs: alibaba::DEFAULT_WINDOW_SECS,
        mismatch_detail: Some(alibaba_string_to_sign),
    },
    SchemeAdapter {
        id: "tencent-legacy-hmac",
        presence: Presence::Params(&["SecretId", "Signature", "Nonce", "Timestamp"]),
        credential_params: &tencent::CREDENTIAL_PARAMS,
        verify: Some(verify_tencent),
        window_secs: tencent::DEFAULT_WINDOW_SECS,
        mismatch_detail: None,
    },
    SchemeAdapter {
        id: "huawei-sdk-hmac-sha256",
        presence: Presence::Authorization {
            algorithm: huawei::ALGORITHM,
            fields: &["Access", "SignedHeaders", "Signature"],
        },
        credential_params: &[],
        verify: Some(|req, lookup, now| huawei::verify(req, lookup, now)),
        window_secs: huawei::DEFAULT_WINDOW_SECS,
        mismatch_detail: Some(huawei::error_canonical_request),
    },
    SchemeAdapter {
        id: "huawei-token",
        presence: Presence::Header(HeaderName::from_static("x-auth-token")),
        credential_params: &[],
        verify: None,
        window_secs: 0,
        mismatch_detail: None,
    },
    SchemeAdapter {
        id: "azure-bearer",
        presence: Presence::Bearer,
        credential_params: &[],
        verify: None,
        window_secs: 0,
        mismatch_detail: None,
    },
];

/// The adapter for an `x-keygate-auth` id.
pub(crate) fn adapter(id: &str) -> Option<&'static SchemeAdapter> {
    ADAPTERS.iter().find(|a| a.id == id)
}

fn verify_tencent(
    req: &SignableRequest<'_>,
    lookup: Lookup<'_>,
    now: i64,
) -> Result<Verified, VerifyError> {
    let params = tencent::signed_params(req);
    let endpoint = tencent::Endpoint {
        method: req.method,
        host: req.host,
        path: req.path,
    };
    tencent::verify(
        &endpoint,
        &params,
        lookup,
        now,
        tencent::DEFAULT_WINDOW_SECS,
    )
}

/// Alibaba's SignatureDoesNotMatch message shows the server's string to sign.
fn alibaba_string_to_sign(req: &SignableRequest<'_>) -> Option<String> {
    let authorization = req.header("authorization")?;
    let signed = authorization
        .split(',')
        .find_map(|field| field.trim().strip_prefix("SignedHeaders="))?;
    let names: Vec<&str> = signed.split(';').collect();
    let payload_hash = req
        .header(alibaba::CONTENT_SHA256_HEADER)
        .map(str::to_owned)
        .unwrap_or_else(|| alibaba::hashed_payload(req.body));
    let canonical = alibaba::canonical_request(req, &names, &payload_hash);
    Some(alibaba::string_to_sign(&canonical))
}
