//! What a successful call returns.

use std::fmt;
use std::ops::Deref;

/// A decoded success answer with its HTTP metadata.
///
/// Dereferences to the decoded body. `Debug` prints the body (whose secret fields print as
/// `*** redacted ***`), the status, the request id and the attempt count, not the headers.
pub struct Response<T> {
    value: T,
    status: u16,
    headers: reqwest::header::HeaderMap,
    request_id: Option<String>,
    attempts: u32,
}

impl<T> Response<T> {
    pub(crate) fn new(
        value: T,
        status: u16,
        headers: reqwest::header::HeaderMap,
        request_id: Option<String>,
        attempts: u32,
    ) -> Self {
        Self {
            value,
            status,
            headers,
            request_id,
            attempts,
        }
    }

    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers (Azure's `ETag`, for instance).
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The `ETag` header: the version of the resource the answer shows (Azure), to pass as
    /// `If-Match` so that a write applies only to that version.
    pub fn etag(&self) -> Option<&str> {
        self.headers
            .get(reqwest::header::ETAG)
            .and_then(|value| value.to_str().ok())
    }

    /// The request id the service assigned, from its header or its body.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How many attempts the call took (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The same answer with its body turned into another form.
    #[cfg_attr(not(feature = "dynamic"), allow(dead_code))]
    pub(crate) fn try_map<U, E>(self, f: impl FnOnce(T) -> Result<U, E>) -> Result<Response<U>, E> {
        Ok(Response {
            value: f(self.value)?,
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            attempts: self.attempts,
        })
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("attempts", &self.attempts)
            .field("value", &self.value)
            .finish()
    }
}
