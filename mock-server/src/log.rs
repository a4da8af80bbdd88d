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

/// The largest char boundary at or below `at` (`str::floor_char_boundary`, not yet stable).
fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Emits the request line at INFO, target `keygate_mock::request`.
pub(crate) fn request(method: &Method, path: &str, answer: &Answer<'_>, latency: Duration) {
    // Bytes, not chars: counting chars walked every path; a path is ASCII anyway.
    let path = match path.len() > MAX_PATH {
        true => &path[..floor_char_boundary(path, MAX_PATH)],
        false => path,
    };
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
