//! The benchmark's baseline: a minimal hyper server that answers every request with the
//! exact bytes keygate-mock sends for Huawei's ListAiApiKeys sample (computed once, at
//! start-up, by the engine), with no routing, auth, validation or logging.
//!
//! `cargo run --release -p keygate-mock --example baseline -- <port>`

use std::convert::Infallible;
use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{HeaderMap, Response};
use hyper_util::rt::TokioIo;
use keygate_mock::{AuthMode, Engine, MockRequest};
use tokio::net::TcpListener;

/// The request the benchmark sends.
const PATH: &str = "/v2/77b6a44cba5143ab91d13ab9a8ff44fd/apigw/instances/eddc4d25480b4cd6b512f270a1b8b341/apps/9ed8b7fe84224de681e7d7a5587e76dc/ai-api-keys";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = std::env::args()
        .nth(1)
        .map(|p| p.parse())
        .transpose()?
        .unwrap_or(4011);
    let engine = Engine::builder().auth(AuthMode::Off).build()?;
    let sample = engine.handle(&MockRequest::new(
        http::Method::GET,
        PATH.parse()?,
        HeaderMap::new(),
        Bytes::new(),
    ));
    let (status, headers, body) = (sample.status, sample.headers, sample.body);
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    println!("baseline listening on http://{}", listener.local_addr()?);
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        let (headers, body) = (headers.clone(), body.clone());
        tokio::spawn(async move {
            let service = service_fn(move |_request| {
                let mut response = Response::new(Full::new(body.clone()));
                *response.status_mut() = status;
                *response.headers_mut() = headers.clone();
                async move { Ok::<_, Infallible>(response) }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
