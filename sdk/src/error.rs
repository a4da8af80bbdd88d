//! The one error type every SDK call returns.

use std::fmt;

/// Why a call failed. Match on the variant, or use the accessors, which work on any variant.
///
/// No variant ever carries a raw response body, a request URL (Tencent puts its signature and
/// STS token in the query) or a credential, so an `Error` is safe to log and to print with
/// `{:?}`, `{}` and its whole `source()` chain.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error of its own: a 4xx/5xx status with an error body, or
    /// (Tencent) an HTTP 200 whose `code` is not 0. An error answer to HEAD has no body, so its
    /// code is the status's reason phrase: `NotFound`, `PreconditionFailed`.
    #[error(
        "{vendor} {operation} failed: {code} (HTTP {status}): {message}{}",
        RequestIdSuffix(request_id)
    )]
    Service {
        /// `alibaba`, `tencent`, `huawei` or `azure`.
        vendor: &'static str,
        /// The spec's operationId, for example `CreateSecret`.
        operation: &'static str,
        /// The HTTP status. Tencent sends 200 with most of its errors.
        status: u16,
        /// The vendor's error code: `Throttling.User`, `APIG.2012`, `AuthenticationFailed`, or
        /// Tencent's numeric `code` (`4100`).
        code: String,
        /// The vendor's error message.
        message: String,
        /// The request id the service assigned, from its header or its body.
        request_id: Option<String>,
    },
    /// No complete answer arrived within the client's connect or request timeout.
    #[error("{vendor} {operation} timed out")]
    Timeout {
        /// The vendor called.
        vendor: &'static str,
        /// The spec's operationId.
        operation: &'static str,
        /// reqwest's error, with the URL removed.
        #[source]
        source: reqwest::Error,
    },
    /// The request could not be sent or its answer not read: DNS, refused or reset
    /// connections, TLS failures.
    #[error("{vendor} {operation}: transport failure")]
    Transport {
        /// The vendor called.
        vendor: &'static str,
        /// The spec's operationId.
        operation: &'static str,
        /// reqwest's error, with the URL removed.
        #[source]
        source: reqwest::Error,
    },
    /// An answer arrived that the SDK cannot understand: a body that is not the documented
    /// JSON, or an error status without the vendor's error body. The body itself is never
    /// kept: it may hold keys.
    #[error(
        "{vendor} {operation}: undecodable answer (HTTP {status}, content-type {}, {length} bytes): {detail}{}",
        content_type.as_deref().unwrap_or("none"),
        RequestIdSuffix(request_id)
    )]
    Decode {
        /// The vendor called.
        vendor: &'static str,
        /// The spec's operationId.
        operation: &'static str,
        /// The HTTP status of the answer.
        status: u16,
        /// Its `Content-Type` header.
        content_type: Option<String>,
        /// Its body length in bytes.
        length: usize,
        /// Where decoding failed (category, line and column), never the offending value.
        detail: String,
        /// The request id, when a header carried one.
        request_id: Option<String>,
    },
    /// The request was rejected before it was sent: a required parameter is missing or a
    /// value does not fit its type or constraints.
    #[error("invalid request: {message}")]
    InvalidRequest {
        /// What is wrong; never contains a value that was rejected.
        message: String,
    },
    /// Credentials are missing or could not be obtained (environment variables, token
    /// provider).
    #[error("credentials: {message}")]
    Credentials {
        /// What is missing or failed.
        message: String,
        /// The token provider's error, when there was one.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl Error {
    /// The vendor's error code, for [`Error::Service`].
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Service { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The vendor's error message, for [`Error::Service`].
    pub fn message(&self) -> Option<&str> {
        match self {
            Self::Service { message, .. } => Some(message),
            _ => None,
        }
    }

    /// The HTTP status of the answer, when one arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Service { status, .. } | Self::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The request id the service assigned, when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Service { request_id, .. } | Self::Decode { request_id, .. } => {
                request_id.as_deref()
            }
            _ => None,
        }
    }

    /// The vendor called, for failures of a call.
    pub fn vendor(&self) -> Option<&'static str> {
        match self {
            Self::Service { vendor, .. }
            | Self::Timeout { vendor, .. }
            | Self::Transport { vendor, .. }
            | Self::Decode { vendor, .. } => Some(vendor),
            Self::InvalidRequest { .. } | Self::Credentials { .. } => None,
        }
    }

    /// `true` for [`Error::Timeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout { .. })
    }

    pub(crate) fn credentials(message: impl Into<String>) -> Self {
        Self::Credentials {
            message: message.into(),
            source: None,
        }
    }
}

/// `" (request id X)"` or nothing.
struct RequestIdSuffix<'a>(&'a Option<String>);

impl fmt::Display for RequestIdSuffix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(id) => write!(f, " (request id {id})"),
            None => Ok(()),
        }
    }
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
