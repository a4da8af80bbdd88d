//! The auth step: off, presence of the scheme's credential parts, or full verification
//! with keygate-auth plus replay detection.

mod replay;
pub(crate) mod schemes;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use keygate_auth::{SecretString, SignableRequest, VerifyError, azure};

use crate::index::Operation;
use crate::index::service::{CredentialSlot, Scheme, Service};
use crate::request::Inputs;
use replay::ReplayGuard;
use schemes::Presence;

/// How strictly the mock checks credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthMode {
    /// No check at all; credential parameters are not even required.
    Off,
    /// The scheme's credential parts must be there and well-formed (the default).
    #[default]
    Presence,
    /// Signatures are recomputed with the configured test credentials; expired timestamps
    /// and replayed nonces are rejected. Token and bearer schemes are checked for form.
    Verify,
}

impl FromStr for AuthMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "off" => Ok(Self::Off),
            "presence" => Ok(Self::Presence),
            "verify" => Ok(Self::Verify),
            other => Err(format!(
                "auth mode {other:?} is not off, presence or verify"
            )),
        }
    }
}

impl fmt::Display for AuthMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Off => "off",
            Self::Presence => "presence",
            Self::Verify => "verify",
        })
    }
}

/// A test credential for verify mode: `vendor:access-key-id:secret`.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    /// `x-keygate.vendor` of the spec it is for (`alibaba`, `tencent`, `huawei`, ...).
    pub vendor: String,
    /// Access key id (Alibaba AccessKeyId, Tencent SecretId, Huawei AK).
    pub access_key_id: String,
    /// The secret, redacted in `Debug`.
    pub secret: SecretString,
}

impl Credential {
    /// A credential for `vendor`.
    pub fn new(
        vendor: impl Into<String>,
        access_key_id: impl Into<String>,
        secret: impl Into<SecretString>,
    ) -> Self {
        Self {
            vendor: vendor.into(),
            access_key_id: access_key_id.into(),
            secret: secret.into(),
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("vendor", &self.vendor)
            .field("access_key_id", &self.access_key_id)
            .field("secret", &self.secret)
            .finish()
    }
}

impl FromStr for Credential {
    type Err = String;

    /// Parses `vendor:access-key-id:secret`; the secret may itself contain `:`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.trim().splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(v), Some(id), Some(secret))
                if !v.is_empty() && !id.is_empty() && !secret.is_empty() =>
            {
                Ok(Self::new(v, id, secret))
            }
            _ => Err("a credential is vendor:access-key-id:secret".to_owned()),
        }
    }
}

/// Why a request did not pass the auth step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuthFailure {
    /// Error kind of `x-keygate.errors`.
    pub(crate) kind: &'static str,
    /// Safe-to-show detail (never a secret or a signature).
    pub(crate) detail: Cow<'static, str>,
}

impl AuthFailure {
    fn new(kind: &'static str, detail: impl Into<Cow<'static, str>>) -> Self {
        Self {
            kind,
            detail: detail.into(),
        }
    }

    fn missing(what: &str) -> Self {
        Self::new("auth-missing", format!("missing {what}"))
    }

    /// A missing `Authorization` header, without formatting: Huawei's AK/SK alternative
    /// fails this way on every token-authenticated request, whose answer never shows it.
    fn missing_authorization() -> Self {
        Self::new("auth-missing", "missing Authorization")
    }

    fn malformed(detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new("auth-malformed", detail)
    }
}

/// The auth step, configured.
#[derive(Debug, Default)]
pub(crate) struct Authenticator {
    mode: AuthMode,
    /// vendor -> access key id -> secret.
    secrets: HashMap<String, HashMap<String, SecretString>>,
    replay: ReplayGuard,
}

impl Authenticator {
    pub(crate) fn new(mode: AuthMode, credentials: &[Credential]) -> Self {
        let mut secrets: HashMap<String, HashMap<String, SecretString>> = HashMap::new();
        for c in credentials {
            secrets
                .entry(c.vendor.clone())
                .or_default()
                .insert(c.access_key_id.clone(), c.secret.clone());
        }
        Self {
            mode,
            secrets,
            replay: ReplayGuard::default(),
        }
    }

    pub(crate) fn mode(&self) -> AuthMode {
        self.mode
    }

    /// Passes when one of the operation's security alternatives passes entirely. Otherwise
    /// reports the failure of the alternative the client evidently tried (a credential that
    /// is there but wrong beats one that is absent).
    pub(crate) fn check(
        &self,
        service: &Service,
        op: &Operation,
        inputs: &Inputs<'_>,
        now: i64,
    ) -> Result<(), AuthFailure> {
        if self.mode == AuthMode::Off || op.security.is_empty() {
            return Ok(());
        }
        let mut reported: Option<AuthFailure> = None;
        for alternative in &op.security {
            let outcome = alternative
                .iter()
                .try_for_each(|&i| self.check_scheme(service, &service.schemes[i], inputs, now));
            let Err(failure) = outcome else {
                return Ok(());
            };
            let better = match &reported {
                None => true,
                Some(current) => current.kind == "auth-missing" && failure.kind != "auth-missing",
            };
            if better {
                reported = Some(failure);
            }
        }
        reported.map_or(Ok(()), Err)
    }

    fn check_scheme(
        &self,
        service: &Service,
        scheme: &Scheme,
        inputs: &Inputs<'_>,
        now: i64,
    ) -> Result<(), AuthFailure> {
        match scheme.adapter {
            Some(adapter) => presence(&adapter.presence, inputs)?,
            None => slot_presence(&scheme.slot, inputs)?,
        }
        let verify = scheme.adapter.and_then(|a| a.verify.map(|v| (a, v)));
        let (Some((adapter, verify)), AuthMode::Verify) = (verify, self.mode) else {
            return Ok(());
        };
        let request = inputs.request;
        let headers: Vec<(String, String)> = request
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let signable = SignableRequest {
            method: request.method.as_str(),
            host: request.host(),
            path: request.uri.path(),
            query: request.uri.query().unwrap_or(""),
            headers: &headers,
            body: &request.body,
        };
        let secrets = self.secrets.get(service.vendor.as_ref());
        let lookup = |id: &str| secrets.and_then(|s| s.get(id)).cloned();
        let verified = verify(&signable, &lookup, now).map_err(|error| {
            let mismatch = matches!(error, VerifyError::SignatureMismatch);
            let mut failure = from_verify_error(error);
            if let (true, Some(detail)) = (mismatch, adapter.mismatch_detail) {
                failure.detail = detail(&signable).unwrap_or_default().into();
            }
            failure
        })?;
        let Some(nonce) = verified.nonce else {
            return Ok(());
        };
        let expires_at = verified
            .timestamp_unix
            .saturating_add(i64::try_from(adapter.window_secs).unwrap_or(i64::MAX));
        match self.replay.first_use(
            &service.vendor,
            &verified.access_key_id,
            &nonce,
            expires_at,
            now,
        ) {
            true => Ok(()),
            false => Err(AuthFailure::new(
                "nonce-replayed",
                format!("Nonce {nonce} was used already"),
            )),
        }
    }
}

fn from_verify_error(error: VerifyError) -> AuthFailure {
    let kind = match &error {
        VerifyError::Missing { .. } => "auth-missing",
        VerifyError::Malformed { .. } => "auth-malformed",
        VerifyError::UnknownAccessKey { .. } => "unknown-access-key",
        VerifyError::SignatureMismatch => "signature-mismatch",
        VerifyError::Expired { .. } => "timestamp-expired",
    };
    AuthFailure::new(kind, error.to_string())
}

fn presence(presence: &Presence, inputs: &Inputs<'_>) -> Result<(), AuthFailure> {
    let request = inputs.request;
    match presence {
        Presence::Authorization { algorithm, fields } => {
            let value = non_empty(request.header(http::header::AUTHORIZATION))
                .ok_or_else(AuthFailure::missing_authorization)?;
            let rest = value
                .strip_prefix(algorithm)
                .filter(|r| r.starts_with(' '))
                .ok_or_else(|| {
                    AuthFailure::malformed(format!("Authorization does not start with {algorithm}"))
                })?;
            let given: Vec<&str> = rest
                .split(',')
                .filter_map(|f| f.trim().split_once('='))
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, _)| k)
                .collect();
            match fields.iter().find(|f| !given.contains(f)) {
                Some(field) => Err(AuthFailure::malformed(format!(
                    "Authorization lacks {field}"
                ))),
                None => Ok(()),
            }
        }
        Presence::Header(name) => non_empty(request.header(name))
            .map(|_| ())
            .ok_or_else(|| AuthFailure::missing(name.as_str())),
        Presence::Params(names) => match names.iter().find(|n| inputs.values(n).all(str::is_empty))
        {
            Some(name) => Err(AuthFailure::missing(name)),
            None => Ok(()),
        },
        Presence::Bearer => bearer(inputs),
    }
}

/// Presence for a scheme the adapter table does not know: its declared slot is filled.
fn slot_presence(slot: &CredentialSlot, inputs: &Inputs<'_>) -> Result<(), AuthFailure> {
    match slot {
        CredentialSlot::Header(name) => non_empty(inputs.request.header(name))
            .map(|_| ())
            .ok_or_else(|| AuthFailure::missing(name.as_str())),
        CredentialSlot::Query(name) => match inputs.values(name).all(str::is_empty) {
            true => Err(AuthFailure::missing(name)),
            false => Ok(()),
        },
        CredentialSlot::Bearer => bearer(inputs),
    }
}

/// keygate-auth's form check of `Authorization: Bearer <token>`.
fn bearer(inputs: &Inputs<'_>) -> Result<(), AuthFailure> {
    azure::parse_bearer(inputs.request.header(http::header::AUTHORIZATION))
        .map(|_| ())
        .map_err(from_verify_error)
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_parse_and_redact() {
        let c: Credential = "alibaba:AK:se:cret".parse().unwrap();
        assert_eq!(
            (c.vendor.as_str(), c.access_key_id.as_str()),
            ("alibaba", "AK")
        );
        assert_eq!(c.secret.expose_secret(), "se:cret");
        assert!(!format!("{c:?}").contains("se:cret"));
        assert!("alibaba:AK".parse::<Credential>().is_err());
    }
}
