//! The one log line per request.
//!
//! It names the method, the path (never the query: Tencent's signature and key ids travel
//! there), vendor, operation, status and latency; no header or body is ever logged, so no
//! Authorization, X-Auth-Token, signature or key value can leak.

use std::time::Duration;

use http::Method;

use crate::engine::Answer;

/// Longest path written to the log, in bytes.
const MAX_PATH: usize = 200;

/// Emits the request line at INFO, target `keygate_mock::request`.
pub(crate) fn request(method: &Method, path: &str, answer: &Answer<'_>, latency: Duration) {
    // Bytes, not chars: counting chars walked every path; a path is ASCII anyway.
    let path = crate::text::truncated(path, MAX_PATH);
    tracing::info!(
        target: "keygate_mock::request",
        method = method.as_str(),
        path,
        vendor = answer.vendor.unwrap_or("-"),
        operation = answer.operation.unwrap_or("-"),
        // 0: the connection was closed without an answer (a fault rule).
        status = if answer.drop { 0 } else { answer.response.status.as_u16() },
        latency_us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX),
    );
}
