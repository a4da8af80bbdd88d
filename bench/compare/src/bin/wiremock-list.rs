//! wiremock-rs serving the benchmark's response: the exact status, headers and body keygate-mock
//! answers for Huawei's ListAiApiKeys sample (computed once, at start-up, by the engine, as the
//! baseline does), mounted as one `Mock` (GET of that path) with a plain `ResponseTemplate`.
//! Request recording is off; even so, wiremock 0.6 keeps a copy of every request a mounted `Mock`
//! matched (`MountedMock::matches`, for `MockGuard::received_requests`), so its memory grows
//! with every request served, a few KiB each: run it for benchmarks, not for days.
//!
//! `cargo run --release -p keygate-bench-compare --bin wiremock-list -- [port]` (default 0: a
//! free port); prints `wiremock listening on http://127.0.0.1:PORT` and serves until killed.

use std::net::{SocketAddr, TcpListener};

use bytes::Bytes;
use http::{HeaderMap, Method, header};
use keygate_bench_compare::PATH;
use keygate_mock::{AuthMode, Engine, MockRequest};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = std::env::args()
        .nth(1)
        .map(|p| p.parse())
        .transpose()?
        .unwrap_or(0);
    let engine = Engine::builder().auth(AuthMode::Off).build()?;
    let sample = engine.handle(&MockRequest::new(
        Method::GET,
        PATH.parse()?,
        HeaderMap::new(),
        Bytes::new(),
    ));
    // wiremock writes content-length itself, from the body.
    let headers = sample
        .headers
        .iter()
        .filter(|(name, _)| *name != header::CONTENT_LENGTH)
        .map(|(name, value)| (name.clone(), value.clone()));
    let template = ResponseTemplate::new(sample.status.as_u16())
        .append_headers(headers)
        .set_body_bytes(sample.body.to_vec());

    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))?;
    let server = MockServer::builder()
        .listener(listener)
        .disable_request_recording()
        .start()
        .await;
    Mock::given(method("GET"))
        .and(path(PATH))
        .respond_with(template)
        .mount(&server)
        .await;
    println!("wiremock listening on {}", server.uri());
    std::future::pending::<()>().await;
    Ok(())
}
