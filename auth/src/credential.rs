//! What a caller signs with: an access key pair or a token, whichever its scheme takes.

use std::fmt;

use crate::secret::SecretString;

/// An access key pair (Alibaba AccessKey, Tencent SecretId/SecretKey, Huawei AK/SK), optionally
/// with the session token of temporary (STS) credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessKey {
    /// The key id (not secret: every signed request names it).
    pub id: String,
    /// The secret, the HMAC key.
    pub secret: SecretString,
    /// The STS token of temporary credentials, sent (and signed) beside the signature.
    pub session_token: Option<SecretString>,
}

impl AccessKey {
    /// A long-term key pair.
    pub fn new(id: impl Into<String>, secret: impl Into<SecretString>) -> Self {
        Self {
            id: id.into(),
            secret: secret.into(),
            session_token: None,
        }
    }

    /// The same pair with the session token of temporary credentials.
    pub fn with_session_token(mut self, token: impl Into<SecretString>) -> Self {
        self.session_token = Some(token.into());
        self
    }
}

/// The credential a [`Scheme`](crate::Scheme) signs with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    /// An access key pair, for the HMAC schemes.
    AccessKey(AccessKey),
    /// A token sent as it is (an IAM token, an OAuth bearer token).
    Token(SecretString),
}

impl Credential {
    /// Which kind this is.
    pub fn kind(&self) -> CredentialKind {
        match self {
            Self::AccessKey(_) => CredentialKind::AccessKey,
            Self::Token(_) => CredentialKind::Token,
        }
    }

    /// Every secret value it holds, for scrubbing text a service echoes back.
    pub fn secrets(&self) -> Vec<&SecretString> {
        match self {
            Self::AccessKey(key) => std::iter::once(&key.secret)
                .chain(key.session_token.as_ref())
                .collect(),
            Self::Token(token) => vec![token],
        }
    }
}

impl From<AccessKey> for Credential {
    fn from(key: AccessKey) -> Self {
        Self::AccessKey(key)
    }
}

/// The kinds of [`Credential`], as a scheme asks for one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialKind {
    /// [`Credential::AccessKey`].
    AccessKey,
    /// [`Credential::Token`].
    Token,
}

impl fmt::Display for CredentialKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::AccessKey => "an access key",
            Self::Token => "a token",
        })
    }
}
