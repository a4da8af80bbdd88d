//! The auth step: off, presence of the scheme's credential parts, or full verification
//! with keygate-auth plus replay detection.
//!
//! A security scheme naming a keygate-auth scheme (`x-keygate-auth`) is checked by that
//! scheme, looked up by id; any other scheme (a plain spec's, say) by where its credential
//! travels.

mod authenticator;
mod failure;
mod presence;
mod replay;

use std::fmt;
use std::str::FromStr;

use keygate_auth::SecretString;

pub(crate) use authenticator::Authenticator;
pub(crate) use failure::AuthFailure;

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
    /// `x-keygate.vendor` of the spec it is for (`alibaba`, `tencent`, `huawei`, ...; a plain
    /// spec's file name).
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
