//! The connection cap (`max_connections`, `--max-connections`): connections past it wait in
//! the kernel's backlog until a slot frees. No sleeps: every wait is for an event on a real
//! socket (an answer, an end of stream); the time-outs around them only keep a broken build
//! from hanging the suite.

use std::io::{ErrorKind, Read};
use std::time::Duration;

use keygate_mock::{AuthMode, MockServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{HUAWEI_PATH, client};

/// A guard against a hang, never a measurement.
const HANG_GUARD: Duration = Duration::from_secs(60);

fn request(address: std::net::SocketAddr) -> String {
    format!("GET {HUAWEI_PATH} HTTP/1.1\r\nHost: {address}\r\n\r\n")
}

/// Reads one response (head, then `Content-Length` bytes of body); its status code.
async fn read_response(stream: &mut TcpStream) -> u16 {
    let read = async {
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let text = String::from_utf8_lossy(&seen).into_owned();
            if let Some(end) = text.find("\r\n\r\n") {
                let length = text[..end]
                    .lines()
                    .find_map(|line| {
                        let (name, value) = line.split_once(':')?;
                        name.eq_ignore_ascii_case("content-length")
                            .then(|| value.trim().parse::<usize>().expect("length"))
                    })
                    .unwrap_or(0);
                if seen.len() >= end + 4 + length {
                    return text[9..12].parse().expect("status");
                }
            }
            let n = stream.read(&mut buf).await.expect("read");
            assert!(n > 0, "closed before a whole response: {text}");
            seen.extend_from_slice(&buf[..n]);
        }
    };
    tokio::time::timeout(HANG_GUARD, read)
        .await
        .expect("an answer")
}

/// Sends a request on `stream` and reads its answer: the server is serving this connection.
async fn round_trip(stream: &mut TcpStream) -> u16 {
    let address = stream.peer_addr().expect("peer");
    stream
        .write_all(request(address).as_bytes())
        .await
        .expect("write");
    read_response(stream).await
}

/// Waits until the server closes `stream` (end of stream, or a reset).
async fn closed_by_server(stream: &mut TcpStream) {
    let wait = async {
        let mut buf = [0u8; 1024];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(HANG_GUARD, wait)
        .await
        .expect("closed by the server");
}

#[tokio::test]
async fn a_connection_past_the_cap_is_served_only_once_a_slot_frees() {
    const CAP: usize = 8;
    let server = MockServer::builder()
        .auth(AuthMode::Off)
        .max_connections(CAP)
        // No head clock: the held connections stay as long as the test needs them.
        .header_read_timeout(Duration::ZERO)
        .start()
        .await
        .expect("starts");
    let address = server.address();

    // The cap's worth of connections, each served once and kept open.
    let mut held = Vec::new();
    for _ in 0..CAP {
        let mut stream = TcpStream::connect(address).await.expect("connect");
        assert_eq!(round_trip(&mut stream).await, 200);
        held.push(stream);
    }

    // One more: the kernel completes its handshake (backlog), so connect and write succeed.
    let mut extra = std::net::TcpStream::connect(address).expect("connect past the cap");
    std::io::Write::write_all(&mut extra, request(address).as_bytes()).expect("write");
    // Every held connection is served again after that request arrived...
    for stream in &mut held {
        assert_eq!(round_trip(stream).await, 200);
    }
    // ... and the extra one still has no answer (a real read: not a cached readiness).
    extra.set_nonblocking(true).expect("non-blocking");
    let mut probe = [0u8; 64];
    match extra.read(&mut probe) {
        Err(error) if error.kind() == ErrorKind::WouldBlock => {}
        other => panic!("the connection past the cap was answered or closed: {other:?}"),
    }

    // One held connection leaves: its slot goes to the waiting one, which is answered.
    held.pop();
    let mut extra = TcpStream::from_std(extra).expect("tokio stream");
    assert_eq!(read_response(&mut extra).await, 200);
    // It holds that slot now, and is served like any other.
    assert_eq!(round_trip(&mut extra).await, 200);

    // It leaves too: a fresh client gets a slot and a normal answer.
    drop(extra);
    let answer = tokio::time::timeout(
        HANG_GUARD,
        client()
            .get(format!("{}{HUAWEI_PATH}", server.url()))
            .send(),
    )
    .await
    .expect("an answer")
    .expect("sent");
    assert_eq!(answer.status(), 200);
    server.shutdown().await;
}

#[tokio::test]
async fn the_header_read_timeout_frees_the_slots_of_half_open_connections() {
    let server = MockServer::builder()
        .auth(AuthMode::Off)
        .max_connections(2)
        .header_read_timeout(Duration::from_millis(200))
        .start()
        .await
        .expect("starts");
    let address = server.address();

    // Two connections that never finish their request head take both slots.
    let mut half_open = Vec::new();
    for _ in 0..2 {
        let mut stream = TcpStream::connect(address).await.expect("connect");
        stream
            .write_all(format!("GET {HUAWEI_PATH} HTTP/1.1\r\nHost: {address}\r\n").as_bytes())
            .await
            .expect("write");
        half_open.push(stream);
    }
    // A third, complete request waits behind them (the backlog is first come, first served).
    let mut third = TcpStream::connect(address).await.expect("connect");
    third
        .write_all(request(address).as_bytes())
        .await
        .expect("write");

    // The head clock closes the two half-open connections, without an answer...
    for stream in &mut half_open {
        closed_by_server(stream).await;
    }
    // ... which frees the slots: the third is served.
    assert_eq!(read_response(&mut third).await, 200);
    server.shutdown().await;
}

#[tokio::test]
async fn shutdown_completes_with_connections_waiting_past_the_cap() {
    let server = MockServer::builder()
        .auth(AuthMode::Off)
        .max_connections(1)
        .header_read_timeout(Duration::ZERO)
        .start()
        .await
        .expect("starts");
    let address = server.address();
    let mut held = TcpStream::connect(address).await.expect("connect");
    assert_eq!(round_trip(&mut held).await, 200);
    let mut waiting = TcpStream::connect(address).await.expect("connect");
    waiting
        .write_all(request(address).as_bytes())
        .await
        .expect("write");

    tokio::time::timeout(HANG_GUARD, server.shutdown())
        .await
        .expect("shutdown completes");
    // The idle held connection was closed by the drain, the waiting one was never served.
    closed_by_server(&mut held).await;
    closed_by_server(&mut waiting).await;
    assert!(
        TcpStream::connect(address).await.is_err(),
        "no longer listening"
    );
}
