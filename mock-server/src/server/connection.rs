//! Accepting connections and serving requests with hyper's HTTP/1 server.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Body, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::Limits;
use super::watchdog::HeadClock;
use crate::engine::Engine;
use crate::log;
use crate::request::MockRequest;

/// Pause after a failed accept (e.g. out of file descriptors) so the loop does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(20);

/// Serves until `stop` fires, then drains in-flight requests.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    engine: Arc<Engine>,
    limits: Limits,
    mut stop: oneshot::Receiver<()>,
) {
    let graceful = GracefulShutdown::new();
    let builder = http1::Builder::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let clock = Arc::new(HeadClock::new());
                    let service = {
                        let (engine, clock) = (Arc::clone(&engine), Arc::clone(&clock));
                        service_fn(move |request| {
                            let (engine, clock) = (Arc::clone(&engine), Arc::clone(&clock));
                            async move {
                                clock.request_started();
                                let response = serve(&engine, request, limits.body_bytes).await;
                                clock.request_finished();
                                Ok::<_, Infallible>(response)
                            }
                        })
                    };
                    let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
                    let timeout = limits.header_read_timeout;
                    tokio::spawn(async move {
                        // A client that hangs up is no error of the server's; one that is too
                        // slow to send a head is dropped with its connection.
                        tokio::select! {
                            _ = connection => {}
                            () = clock.expired(timeout), if !timeout.is_zero() => {}
                        }
                    });
                }
                Err(error) => {
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                }
            },
            _ = &mut stop => break,
        }
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.drain_timeout) => {
            tracing::warn!("drain timeout: closing connections with requests still in flight");
        }
    }
}

/// Reads the body (up to the limit), asks the engine, logs one line.
async fn serve(
    engine: &Engine,
    request: Request<Incoming>,
    body_limit: usize,
) -> Response<Full<Bytes>> {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_large_declared = declared.is_some_and(|n| n > body_limit as u64);
    let body = match too_large_declared {
        true => Err(true),
        // Most calls (GET) have no body: skip the collecting machinery.
        false if body.is_end_stream() => Ok(Bytes::new()),
        false => Limited::new(body, body_limit)
            .collect()
            .await
            .map(|collected| collected.to_bytes())
            .map_err(|e| e.downcast_ref::<LengthLimitError>().is_some()),
    };
    let mut mock = MockRequest::new(parts.method, parts.uri, parts.headers, Bytes::new());
    let answer = match body {
        Ok(bytes) => {
            mock.body = bytes;
            engine.answer(&mock)
        }
        Err(_) => engine.too_large(&mock),
    };
    log::request(&mock.method, mock.uri.path(), &answer, started.elapsed());
    let mut response = Response::new(Full::new(answer.response.body));
    *response.status_mut() = answer.response.status;
    *response.headers_mut() = answer.response.headers;
    response
}
