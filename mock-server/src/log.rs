//! The one log line per request.
//!
//! It names the method, the path (never the query: Tencent's signature and key ids travel
//! there), vendor, operation, status and latency; no header or body is ever logged, so no
//! Authorization, X-Auth-Token, signature or key value can leak.

use std::time::Duration;

use http::Method;

use crate::engine::Answer;

/// Longest path written to the log.
const MAX_PATH: usize = 200;

/// Emits the request line at INFO, target `keygate_mock::request`.
pub(crate) fn request(method: &Method, path: &str, answer: &Answer<'_>, latency: Duration) {
    let path = match path.char_indices().nth(MAX_PATH) {
        Some((end, _)) => &path[..end],
        None => path,
    };
    // Display (`%`), not the Debug that plain `&str` fields get: Debug escapes char by char,
    // a third of the line's cost. Nothing here can break a line: a path is visible ASCII
    // (hyper refuses anything else), the rest comes from the specs; the JSON format still
    // escapes what it must.
    tracing::info!(
        target: "keygate_mock::request",
        method = %method,
        path = %path,
        vendor = %answer.vendor.unwrap_or("-"),
        operation = %answer.operation.unwrap_or("-"),
        // 0: the connection was closed without an answer (a fault rule).
        status = if answer.drop { 0 } else { answer.response.status.as_u16() },
        latency_us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX),
    );
}
