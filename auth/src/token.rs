//! Schemes that send a token as it is (an IAM token header, an OAuth bearer token): signing
//! sets one header, and nothing can be verified offline beyond the credential's form.

use crate::credential::{Credential, CredentialKind};
use crate::error::VerifyError;
use crate::request::SignableRequest;
use crate::scheme::{self, Freshness, Presence, Scheme, SecretLookup, SignError, Signed};
use crate::verified::Verified;

/// A token scheme: the header the token travels in, and what precedes it there.
#[derive(Debug)]
pub struct TokenScheme {
    pub(crate) id: &'static str,
    /// What people call it.
    pub(crate) label: &'static str,
    /// The header that carries the token (behind a reference, so that signing can name it as
    /// a one-element list of secret headers).
    pub(crate) header: &'static &'static str,
    /// Written before the token (`Bearer `).
    pub(crate) prefix: &'static str,
    pub(crate) presence: Presence,
}

impl Scheme for TokenScheme {
    fn id(&self) -> &'static str {
        self.id
    }

    fn label(&self) -> &'static str {
        self.label
    }

    fn credential_kind(&self) -> CredentialKind {
        CredentialKind::Token
    }

    fn presence(&self) -> &Presence {
        &self.presence
    }

    /// A token is attached as it is: nothing of the request or the time is signed.
    fn reads_request(&self) -> bool {
        false
    }

    fn verify(
        &self,
        request: &SignableRequest<'_>,
        _lookup: SecretLookup<'_>,
        _now_unix: i64,
    ) -> Result<Option<Verified>, VerifyError> {
        self.presence.check(request).map(|()| None)
    }

    fn sign(
        &self,
        _request: &SignableRequest<'_>,
        credential: &Credential,
        _fresh: Freshness,
    ) -> Result<Signed, SignError> {
        let token = scheme::token(self.id, credential)?.expose_secret();
        // Exactly as long as it needs to be: a client taking it as its buffer (reqwest's
        // header values do) then need not copy it.
        let mut value = String::with_capacity(self.prefix.len() + token.len());
        value.push_str(self.prefix);
        value.push_str(token);
        Ok(Signed {
            headers: vec![((*self.header).to_owned(), value)],
            secret_headers: std::slice::from_ref(self.header),
            params: None,
        })
    }
}
