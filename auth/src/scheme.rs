//! One interface over every authentication scheme, so that callers (the SDK signs, the mock
//! verifies) look a scheme up by the spec's `x-keygate-auth` id instead of listing vendors.

use std::borrow::Cow;
use std::fmt;

#[cfg(any(feature = "alibaba", feature = "huawei", feature = "tencent"))]
use crate::credential::AccessKey;
use crate::credential::{Credential, CredentialKind};
use crate::error::VerifyError;
use crate::request::SignableRequest;
use crate::secret::SecretString;
use crate::verified::Verified;

/// Looks the secret of an access key id up (the mock's key store).
pub type SecretLookup<'a> = &'a dyn Fn(&str) -> Option<SecretString>;

/// An authentication scheme: how a request is signed, and how a server checks it.
///
/// Implementations are stateless and pure: times and nonces are inputs.
pub trait Scheme: Send + Sync + fmt::Debug {
    /// The id a spec's security scheme names in `x-keygate-auth`.
    fn id(&self) -> &'static str;

    /// What people call the scheme (`ACS3-HMAC-SHA256`, `Bearer token`), for documentation.
    fn label(&self) -> &'static str;

    /// The credential [`sign`](Self::sign) takes.
    fn credential_kind(&self) -> CredentialKind;

    /// What a request must carry for its credential to count as present.
    fn presence(&self) -> &Presence;

    /// Query or form parameters that belong to the credential rather than to the operation
    /// (Tencent's `Signature`, `Nonce`, …).
    fn credential_params(&self) -> &'static [&'static str] {
        &[]
    }

    /// How far a signed request time may lie from the server's clock, and so how long a
    /// nonce must be remembered; 0 where the scheme signs no time.
    fn window_secs(&self) -> u64 {
        0
    }

    /// Whether [`sign`](Self::sign) reads the request and the [`Freshness`]. `false` for
    /// schemes that only attach the credential (tokens): a caller may then pass
    /// [`SignableRequest::EMPTY`] and [`Freshness::UNUSED`] instead of describing the request
    /// and drawing a time and a nonce for every attempt.
    fn reads_request(&self) -> bool {
        true
    }

    /// Verifies `request` at `now_unix` as the vendor's gateway would. `Ok(None)` where
    /// nothing can be verified offline beyond the credential's form (an IAM token, an OAuth
    /// bearer token).
    fn verify(
        &self,
        request: &SignableRequest<'_>,
        lookup: SecretLookup<'_>,
        now_unix: i64,
    ) -> Result<Option<Verified>, VerifyError>;

    /// What the vendor shows the client when a signature does not match (its own canonical
    /// form of the request), where the vendor shows anything. Never key material.
    fn mismatch_detail(&self, _request: &SignableRequest<'_>) -> Option<String> {
        None
    }

    /// Signs `request`, which is described exactly as it will go on the wire.
    fn sign(
        &self,
        request: &SignableRequest<'_>,
        credential: &Credential,
        fresh: Freshness,
    ) -> Result<Signed, SignError>;
}

/// What makes each signature unique: the signing time and a random nonce. Each scheme
/// writes them in its own format (and ignores what it does not sign).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Freshness {
    /// The current time, Unix seconds.
    pub now_unix: i64,
    /// A random value, fresh for every request.
    pub nonce: u128,
}

impl Freshness {
    /// For schemes whose [`Scheme::reads_request`] is `false`, which ignore it.
    pub const UNUSED: Self = Self {
        now_unix: 0,
        nonce: 0,
    };
}

/// What signing adds to a request.
#[derive(Clone, PartialEq, Eq)]
pub struct Signed {
    /// Headers to set, replacing any earlier value.
    pub headers: Vec<(String, String)>,
    /// The names in `headers` whose value holds a secret (a token, the signature), for
    /// clients that can hide them from their own debug output.
    pub secret_headers: &'static [&'static str],
    /// The request's complete parameter list, where the scheme signs parameters: it replaces
    /// the parameters where they travel (the form body of a POST that has one, else the query).
    pub params: Option<Vec<(String, String)>>,
}

impl fmt::Debug for Signed {
    /// Names only: the values are signatures and tokens.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |pairs: &[(String, String)]| -> Vec<String> {
            pairs.iter().map(|(n, _)| n.clone()).collect()
        };
        f.debug_struct("Signed")
            .field("headers", &names(&self.headers))
            .field("params", &self.params.as_deref().map(names))
            .finish()
    }
}

/// Why a request could not be signed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The scheme signs with another kind of credential.
    #[error("scheme {scheme} signs with {expected}, not {given}")]
    WrongCredential {
        /// The scheme's id.
        scheme: &'static str,
        /// What it signs with.
        expected: CredentialKind,
        /// What it was given.
        given: CredentialKind,
    },
}

/// Where a request carries a credential, as the presence check sees it.
pub trait Carrier {
    /// The first value of header `name` (ASCII case-insensitive).
    fn header(&self, name: &str) -> Option<&str>;
    /// The first value of query (or form) parameter `name`, decoded.
    fn param(&self, name: &str) -> Option<Cow<'_, str>>;
}

/// What must be on a request for its credential to count as present.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// `Authorization: <algorithm> k=v, ...` with these fields, each non-empty.
    Authorization {
        /// The algorithm that opens the header value.
        algorithm: &'static str,
        /// The fields that must be there.
        fields: &'static [&'static str],
    },
    /// A non-empty header.
    Header(&'static str),
    /// Non-empty query (or form) parameters.
    Params(&'static [&'static str]),
    /// `Authorization: Bearer <token>`.
    Bearer,
}

impl Presence {
    /// Checks that `request` carries the credential, without verifying it.
    pub fn check(&self, request: &dyn Carrier) -> Result<(), VerifyError> {
        match *self {
            Self::Authorization { algorithm, fields } => {
                let value =
                    non_empty(request.header("authorization")).ok_or(VerifyError::Missing {
                        what: "Authorization",
                    })?;
                let rest = value
                    .strip_prefix(algorithm)
                    .filter(|r| r.starts_with(' '))
                    .ok_or_else(|| {
                        VerifyError::malformed(format!(
                            "Authorization does not start with {algorithm}"
                        ))
                    })?;
                let given: Vec<&str> = rest
                    .split(',')
                    .filter_map(|f| f.trim().split_once('='))
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(k, _)| k)
                    .collect();
                match fields.iter().find(|f| !given.contains(f)) {
                    Some(field) => Err(VerifyError::malformed(format!(
                        "Authorization lacks {field}"
                    ))),
                    None => Ok(()),
                }
            }
            Self::Header(name) => non_empty(request.header(name))
                .map(|_| ())
                .ok_or(VerifyError::Missing { what: name }),
            Self::Params(names) => match names
                .iter()
                .find(|n| request.param(n).is_none_or(|v| v.trim().is_empty()))
            {
                Some(name) => Err(VerifyError::Missing { what: name }),
                None => Ok(()),
            },
            Self::Bearer => {
                crate::bearer::parse_bearer(request.header("authorization")).map(|_| ())
            }
        }
    }
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

impl Carrier for SignableRequest<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        SignableRequest::header(self, name)
    }

    /// Parameters travel in the form body of a POST that has one, else in the query.
    fn param(&self, name: &str) -> Option<Cow<'_, str>> {
        let raw = if self.method.eq_ignore_ascii_case("POST") && !self.body.is_empty() {
            String::from_utf8_lossy(self.body)
        } else {
            Cow::Borrowed(self.query)
        };
        crate::request::decode_pairs(&raw)
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| Cow::Owned(v))
    }
}

/// The access key a scheme signs with, or the error for another kind of credential.
#[cfg(any(feature = "alibaba", feature = "huawei", feature = "tencent"))]
pub(crate) fn access_key<'c>(
    scheme: &'static str,
    credential: &'c Credential,
) -> Result<&'c AccessKey, SignError> {
    match credential {
        Credential::AccessKey(key) => Ok(key),
        other => Err(wrong(scheme, CredentialKind::AccessKey, other)),
    }
}

/// The token a scheme sends, or the error for another kind of credential.
#[cfg(any(feature = "huawei", feature = "azure"))]
pub(crate) fn token<'c>(
    scheme: &'static str,
    credential: &'c Credential,
) -> Result<&'c SecretString, SignError> {
    match credential {
        Credential::Token(token) => Ok(token),
        other => Err(wrong(scheme, CredentialKind::Token, other)),
    }
}

#[cfg(any(
    feature = "alibaba",
    feature = "huawei",
    feature = "tencent",
    feature = "azure"
))]
fn wrong(scheme: &'static str, expected: CredentialKind, given: &Credential) -> SignError {
    SignError::WrongCredential {
        scheme,
        expected,
        given: given.kind(),
    }
}
