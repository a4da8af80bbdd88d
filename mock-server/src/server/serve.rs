//! One request: read the body, ask the engine, wait or close as a fault says, log.

use std::fmt;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Body, Incoming};
use hyper::{Request, Response};

use super::watchdog::HeadClock;
use crate::engine::Engine;
use crate::log;
use crate::request::MockRequest;

/// Why a connection is closed without an answer: a dropped-connection fault, or a body
/// that broke off or is malformed. Returned as the service's error, it makes hyper close the
/// connection without writing a response.
#[derive(Debug)]
pub(crate) enum Closed {
    /// A fault rule said so.
    Fault,
    /// The body's framing is broken (bad chunk, connection closed mid-body).
    BrokenBody,
}

impl fmt::Display for Closed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Fault => "connection dropped by a fault rule",
            Self::BrokenBody => "request body broken off or malformed",
        })
    }
}

impl std::error::Error for Closed {}

/// How reading a body can end.
enum ReadBody {
    Read(Bytes),
    TooLarge,
}

/// Reads the body, up to `limit` bytes.
async fn read_body(
    body: Incoming,
    declared: Option<u64>,
    limit: usize,
) -> Result<ReadBody, Closed> {
    if declared.is_some_and(|n| n > limit as u64) {
        return Ok(ReadBody::TooLarge);
    }
    // Most calls (GET) have no body: skip the collecting machinery.
    if body.is_end_stream() {
        return Ok(ReadBody::Read(Bytes::new()));
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(ReadBody::Read(collected.to_bytes())),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => Ok(ReadBody::TooLarge),
        Err(_) => Err(Closed::BrokenBody),
    }
}

/// Reads the body, asks the engine, waits as a fault says, logs one line.
///
/// The connection's head clock keeps running while the body arrives, so the header read
/// timeout bounds head and body together: a client trickling its body is dropped too.
pub(crate) async fn serve(
    engine: &Engine,
    request: Request<Incoming>,
    body_limit: usize,
    clock: &HeadClock,
    scheme: &http::uri::Scheme,
) -> Result<Response<Full<Bytes>>, Closed> {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let body = read_body(body, declared, body_limit).await?;
    clock.request_started();
    let mut mock = MockRequest::new(parts.method, parts.uri, parts.headers, Bytes::new());
    mock.scheme = scheme.clone();
    let answer = match body {
        ReadBody::Read(bytes) => {
            mock.body = bytes;
            engine.answer_with(&mock, true).await
        }
        ReadBody::TooLarge => engine.too_large(&mock),
    };
    if !answer.delay.is_zero() {
        tokio::time::sleep(answer.delay).await;
    }
    log::request(&mock.method, mock.uri.path(), &answer, started.elapsed());
    if answer.drop {
        return Err(Closed::Fault);
    }
    let mut response = Response::new(Full::new(answer.response.body));
    *response.status_mut() = answer.response.status;
    *response.headers_mut() = answer.response.headers;
    Ok(response)
}
