//! Why a request failed verification.

/// A verification failure, one kind per distinct vendor error the mock server reports.
///
/// Messages may name an access key id or a header, never a secret, a token or a signature
/// value, so they are safe to log and to echo back in an error body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// No credentials at all, or a required part of them (an `Authorization` field, the date
    /// header, a signature parameter) is absent.
    #[error("missing {what}")]
    Missing {
        /// The absent header, field or parameter.
        what: &'static str,
    },
    /// Present but unusable: unparseable `Authorization`, bad date format, an essential header
    /// left out of the signed set, an unsupported algorithm.
    #[error("malformed authentication: {reason}")]
    Malformed {
        /// Human-readable detail; never contains secret material.
        reason: String,
    },
    /// The access key id (AK, SecretId) is not one the caller's lookup knows.
    #[error("unknown access key id {access_key_id:?}")]
    UnknownAccessKey {
        /// The id the request named.
        access_key_id: String,
    },
    /// The signature (or the declared payload hash) does not match the request.
    #[error("signature does not match")]
    SignatureMismatch,
    /// The request's timestamp lies outside the vendor's window around the server clock.
    #[error("request time is {skew_secs}s away from server time, outside the allowed window")]
    Expired {
        /// Server time minus request time: positive when the request is from the past.
        skew_secs: i64,
    },
}

impl VerifyError {
    /// Shorthand for [`VerifyError::Malformed`].
    pub(crate) fn malformed(reason: impl Into<String>) -> Self {
        Self::Malformed {
            reason: reason.into(),
        }
    }
}
