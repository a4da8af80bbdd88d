//! Why a request did not pass the auth step, in the words its answer shows.

use std::borrow::Cow;

use keygate_auth::VerifyError;

/// Why a request did not pass the auth step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuthFailure {
    /// Error kind of `x-keygate.errors`.
    pub(crate) kind: &'static str,
    reason: Reason,
}

/// What `{detail}` says, formatted only when an answer shows it: a failed alternative is
/// often discarded (Huawei's AK/SK one fails on every token-authenticated request).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reason {
    /// keygate-auth's words, as its error displays them.
    Verify(VerifyError),
    /// Text of the mock's own, or a presence check's reason.
    Text(Cow<'static, str>),
}

impl AuthFailure {
    /// A failed verification: keygate-auth's error, in the kind the vendor reports it as.
    pub(crate) fn verify(error: VerifyError) -> Self {
        Self {
            kind: kind_of(&error),
            reason: Reason::Verify(error),
        }
    }

    /// A failed presence check. A malformed credential shows only the reason, as it always
    /// has: the vendors' templates say "malformed" in their own words.
    pub(crate) fn presence(error: VerifyError) -> Self {
        match error {
            VerifyError::Malformed { reason } => Self::new("auth-malformed", Cow::Owned(reason)),
            other => Self::verify(other),
        }
    }

    /// A failure of `kind`, described by `detail` (never a secret or a signature).
    pub(crate) fn new(kind: &'static str, detail: impl Into<Cow<'static, str>>) -> Self {
        Self {
            kind,
            reason: Reason::Text(detail.into()),
        }
    }

    /// A credential that is not there at all.
    pub(crate) fn missing(what: &str) -> Self {
        Self::new("auth-missing", format!("missing {what}"))
    }

    /// Replaces the detail (the vendor's canonical form on a signature mismatch).
    pub(crate) fn with_detail(self, detail: String) -> Self {
        Self::new(self.kind, detail)
    }

    /// The `{detail}` of the answer: safe to show, never a secret or a signature.
    pub(crate) fn detail(&self) -> Cow<'_, str> {
        match &self.reason {
            Reason::Verify(error) => Cow::Owned(error.to_string()),
            Reason::Text(text) => Cow::Borrowed(text),
        }
    }
}

/// The `x-keygate.errors` kind a verification failure is answered with.
fn kind_of(error: &VerifyError) -> &'static str {
    match error {
        VerifyError::Missing { .. } => "auth-missing",
        VerifyError::Malformed { .. } => "auth-malformed",
        VerifyError::UnknownAccessKey { .. } => "unknown-access-key",
        VerifyError::SignatureMismatch => "signature-mismatch",
        VerifyError::Expired { .. } => "timestamp-expired",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_reasons_read_as_before_and_verify_errors_as_keygate_auth_says() {
        let missing = AuthFailure::presence(VerifyError::Missing {
            what: "Authorization",
        });
        assert_eq!(
            (missing.kind, &*missing.detail()),
            ("auth-missing", "missing Authorization")
        );
        let malformed = AuthFailure::presence(VerifyError::Malformed {
            reason: "Authorization lacks Signature".into(),
        });
        assert_eq!(malformed.detail(), "Authorization lacks Signature");
        let expired = AuthFailure::verify(VerifyError::Expired { skew_secs: 7200 });
        assert_eq!(expired.kind, "timestamp-expired");
        assert!(expired.detail().contains("7200s"));
    }
}
