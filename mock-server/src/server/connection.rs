//! Accepting connections and supervising each: the TLS handshake (with HTTPS on), hyper's
//! HTTP/1 server, the head clock, graceful shutdown.

use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::time::Duration;

use http::uri::Scheme;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};
use tokio_rustls::TlsAcceptor;

use super::Limits;
use super::drain::{Drain, Watch};
use super::serve::serve;
use super::watchdog::HeadClock;
use crate::engine::Engine;

/// Pause after a failed accept (e.g. out of file descriptors) so the loop does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(20);

/// What every request of a connection needs: one `Arc` to clone per request, not two.
struct Shared {
    engine: Arc<Engine>,
    clock: HeadClock,
    body_limit: usize,
    /// What the requests arrive over: `https` once the TLS handshake is done.
    scheme: Scheme,
}

/// hyper's read buffer (and its queue of response bytes) may grow to this, not to its
/// default of about 400 KiB: the limit of a request head, whose parts are all needed at
/// once (a longer one gets hyper's 431). Vendor requests have heads of a few KiB; bodies
/// stream through the buffer whatever its size, so `--body-limit` is unaffected. With the
/// default, a client trickling a long head could make each connection hold 400 KiB.
const MAX_BUF_SIZE: usize = 64 * 1024;

/// Serves until `stop` fires, then drains in-flight requests. With `tls`, each connection
/// starts with a handshake.
///
/// At most `limits.max_connections` connections are served at once: each holds a permit of
/// `slots`, taken before `accept`. Without a free one the loop does not accept, so further
/// connections wait in the kernel's listen backlog (the client's `connect` has succeeded;
/// its request is read once a slot frees) rather than being accepted only to be closed:
/// a burst of clients is served late instead of failing, and a waiting connection costs the
/// process nothing. Once the backlog is full the kernel drops new SYNs, and clients retry.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    engine: Arc<Engine>,
    limits: Limits,
    tls: Option<TlsAcceptor>,
    mut stop: oneshot::Receiver<()>,
) {
    let mut drain = Drain::new();
    let mut builder = http1::Builder::new();
    builder.max_buf_size(MAX_BUF_SIZE);
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    // A slot taken and not yet given to a connection (kept across a failed accept).
    let mut slot: Option<OwnedSemaphorePermit> = None;
    loop {
        let permit = match slot.take() {
            Some(permit) => permit,
            None => tokio::select! {
                acquired = Arc::clone(&slots).acquire_owned() => match acquired {
                    Ok(permit) => permit,
                    // Never closed; were it, no connection could be served.
                    Err(_) => break,
                },
                _ = &mut stop => break,
            },
        };
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let watch = drain.watch();
                    let engine = Arc::clone(&engine);
                    tokio::spawn(connection(stream, engine, builder.clone(), limits, tls.clone(), watch, permit));
                }
                Err(error) => {
                    slot = Some(permit);
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                }
            },
            _ = &mut stop => break,
        }
    }
    drop(listener);
    if !drain.shutdown(limits.drain_timeout).await {
        tracing::warn!("drain timeout: closing connections with requests still in flight");
    }
}

/// Serves one connection until the client leaves, the head clock runs out, or the server
/// stops (then the request in flight is finished first); its `slot` is given back then.
///
/// With `tls` the handshake comes first, on the head clock (a client has the header read
/// timeout for handshake and first request together); one that fails it (a client that does
/// not trust the certificate, or speaks plain HTTP) only loses its own connection.
async fn connection(
    stream: TcpStream,
    engine: Arc<Engine>,
    builder: http1::Builder,
    limits: Limits,
    tls: Option<TlsAcceptor>,
    mut watch: Watch,
    slot: OwnedSemaphorePermit,
) {
    // Held to the end, whichever way the connection ends: then the next one is accepted.
    let _slot = slot;
    let _ = stream.set_nodelay(true);
    let shared = Arc::new(Shared {
        engine,
        clock: HeadClock::new(),
        body_limit: limits.body_bytes,
        scheme: if tls.is_some() {
            Scheme::HTTPS
        } else {
            Scheme::HTTP
        },
    });
    let timeout = limits.header_read_timeout;
    let mut expired = pin!(shared.clock.expired(timeout));
    let Some(acceptor) = tls else {
        return serve_http(stream, &shared, builder, expired, timeout, watch).await;
    };
    let peer = stream
        .peer_addr()
        .map_or_else(|_| "-".to_owned(), |address| address.to_string());
    let stream = tokio::select! {
        handshake = acceptor.accept(stream) => match handshake {
            Ok(stream) => stream,
            Err(error) => {
                tracing::info!(target: "keygate_mock::tls", %peer, %error, "TLS handshake failed");
                return;
            }
        },
        () = expired.as_mut(), if !timeout.is_zero() => return,
        _ = &mut watch.stop => return,
    };
    serve_http(stream, &shared, builder, expired, timeout, watch).await;
}

/// hyper's HTTP/1 on `stream` (TCP, or TLS over it), until the client leaves, `expired`
/// fires or the server stops.
async fn serve_http<S>(
    stream: S,
    shared: &Arc<Shared>,
    builder: http1::Builder,
    mut expired: Pin<&mut impl Future<Output = ()>>,
    timeout: Duration,
    mut watch: Watch,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = {
        let shared = Arc::clone(shared);
        service_fn(move |request| {
            let shared = Arc::clone(&shared);
            async move {
                let response = serve(
                    &shared.engine,
                    request,
                    shared.body_limit,
                    &shared.clock,
                    &shared.scheme,
                )
                .await;
                shared.clock.request_finished();
                response
            }
        })
    };
    let mut connection = pin!(builder.serve_connection(TokioIo::new(stream), service));
    // `watch` lives to the end of this function: its token says the connection is open.
    let mut stopping = false;
    loop {
        // Biased: the connection is what is polled almost every time; no random draw.
        tokio::select! {
            biased;
            // A client that hangs up is no error of the server's.
            _ = connection.as_mut() => break,
            // One too slow to send a request is dropped with its connection.
            () = expired.as_mut(), if !timeout.is_zero() => break,
            _ = &mut watch.stop, if !stopping => {
                stopping = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}
