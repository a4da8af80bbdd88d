//! Helpers shared by the SDK's integration tests: a capturing HTTP listener on 127.0.0.1
//! (wiremock), client options pointing at it, and the request as keygate-auth sees it.

#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use keygate_sdk::{ClientOptions, RetryPolicy};
use wiremock::MockServer;

/// Options for a client talking to `server`, retries off unless a test turns them on.
pub fn options(server: &MockServer) -> ClientOptions {
    ClientOptions::default()
        .endpoint(server.uri())
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(10))
}

/// Retries on, with delays short enough for a test.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_base_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(20))
}

/// The one request the server received.
pub async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

/// How many requests the server received.
pub async fn request_count(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .len()
}

/// The headers of a received request as name/value pairs, in wire order.
pub fn header_pairs(request: &wiremock::Request) -> Vec<(String, String)> {
    request
        .headers
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap().to_owned()))
        .collect()
}

/// A header's value, which must be present.
pub fn header<'a>(request: &'a wiremock::Request, name: &str) -> &'a str {
    request
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("header {name} missing"))
        .to_str()
        .unwrap()
}

/// The `Host` the client addressed (127.0.0.1:port).
pub fn host(request: &wiremock::Request) -> String {
    header(request, "host").to_owned()
}

/// Seconds since the epoch, for verifiers' time windows.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A port on 127.0.0.1 where nothing listens.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}
