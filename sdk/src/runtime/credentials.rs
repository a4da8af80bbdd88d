//! Where a client's credential comes from: fixed, or asked of a provider before each attempt.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use futures::future::BoxFuture;
use keygate_auth::{AccessKey, Credential, SecretString};

use crate::error::Error;

/// The error a [`TokenProvider`] may return.
pub type TokenError = Box<dyn std::error::Error + Send + Sync>;

/// Supplies bearer tokens, for example from an OAuth client-credentials or managed-identity
/// flow. Asked before every attempt; cache tokens yourself until shortly before they expire.
///
/// Any `Fn() -> impl Future<Output = Result<SecretString, TokenError>>` is a provider:
///
/// ```
/// # #[cfg(feature = "azure")] {
/// use keygate_sdk::SecretString;
/// use keygate_sdk::azure::Credentials;
///
/// let credentials = Credentials::token_provider(|| async {
///     Ok(SecretString::from("eyJ0eXAi...")) // fetch or read a cached token here
/// });
/// # let _ = credentials;
/// # }
/// ```
pub trait TokenProvider: Send + Sync {
    /// A token for the service's scope.
    fn token(&self) -> BoxFuture<'_, Result<SecretString, TokenError>>;
}

impl<F, Fut> TokenProvider for F
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<SecretString, TokenError>> + Send + 'static,
{
    fn token(&self) -> BoxFuture<'_, Result<SecretString, TokenError>> {
        Box::pin(self())
    }
}

/// A client's credential source.
#[derive(Clone)]
pub(crate) enum Credentials {
    /// The same credential for every attempt.
    Fixed(Credential),
    /// A token asked of the provider before every attempt.
    Provider(Arc<dyn TokenProvider>),
}

impl Credentials {
    /// An access key pair, with the session token when `session_token` is set.
    pub(crate) fn access_key(
        id: impl Into<String>,
        secret: impl Into<SecretString>,
        session_token: Option<SecretString>,
    ) -> Self {
        let key = AccessKey {
            id: id.into(),
            secret: secret.into(),
            session_token,
        };
        Self::Fixed(Credential::AccessKey(key))
    }

    /// A fixed token.
    pub(crate) fn token(token: impl Into<SecretString>) -> Self {
        Self::Fixed(Credential::Token(token.into()))
    }

    /// Reads an access key pair from the vendor's conventional variables: `id_var` and
    /// `secret_var` must be set, `token_var` (a session token) may be.
    pub(crate) fn access_key_from_env(
        id_var: &str,
        secret_var: &str,
        token_var: &str,
    ) -> Result<Self, Error> {
        Ok(Self::access_key(
            crate::env::required(id_var)?,
            crate::env::required(secret_var)?,
            crate::env::optional(token_var).map(SecretString::from),
        ))
    }

    /// Adds a session token to an access key; other credentials are left as they are.
    pub(crate) fn with_session_token(mut self, token: impl Into<SecretString>) -> Self {
        if let Self::Fixed(Credential::AccessKey(key)) = &mut self {
            key.session_token = Some(token.into());
        }
        self
    }

    /// The kind of credential each attempt signs with.
    pub(crate) fn kind(&self) -> keygate_auth::CredentialKind {
        match self {
            Self::Fixed(credential) => credential.kind(),
            Self::Provider(_) => keygate_auth::CredentialKind::Token,
        }
    }

    /// The access key's id, when this is one.
    pub(crate) fn access_key_id(&self) -> Option<&str> {
        match self {
            Self::Fixed(Credential::AccessKey(key)) => Some(&key.id),
            _ => None,
        }
    }

    /// The credential for one attempt: the fixed one borrowed (no copy of its secrets per
    /// attempt), or the provider's answer.
    pub(crate) async fn current(&self) -> Result<Cow<'_, Credential>, Error> {
        match self {
            Self::Fixed(credential) => Ok(Cow::Borrowed(credential)),
            Self::Provider(provider) => provider
                .token()
                .await
                .map(|token| Cow::Owned(Credential::Token(token)))
                .map_err(|source| Error::Credentials {
                    message: "the token provider failed".into(),
                    source: Some(source),
                }),
        }
    }

    /// The secrets known before any call, for scrubbing service messages.
    pub(crate) fn secrets(&self) -> Vec<&SecretString> {
        match self {
            Self::Fixed(credential) => credential.secrets(),
            Self::Provider(_) => Vec::new(),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Fixed(Credential::AccessKey(key)) => f
                .debug_struct("AccessKey")
                .field("id", &key.id)
                .field("secret", &key.secret)
                .field("session_token", &key.session_token)
                .finish(),
            Self::Fixed(Credential::Token(token)) => f.debug_tuple("Token").field(token).finish(),
            Self::Provider(_) => f.write_str("TokenProvider"),
        }
    }
}
