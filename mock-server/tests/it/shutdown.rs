//! Graceful shutdown lets a request in flight finish. No sleeps: the request is held open
//! with `Expect: 100-continue`, whose interim response proves the server is inside it.

use keygate_mock::AuthMode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::server;

const BODY: &str = r#"{"name":"my_secret"}"#;

async fn read_until(stream: &mut TcpStream, needle: &str) -> String {
    let mut seen = Vec::new();
    let mut buf = [0u8; 1024];
    while !String::from_utf8_lossy(&seen).contains(needle) {
        let n = stream.read(&mut buf).await.expect("read");
        assert!(
            n > 0,
            "connection closed before {needle:?}: {}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&seen).into_owned()
}

#[tokio::test]
async fn shutdown_waits_for_the_request_in_flight_then_refuses_new_connections() {
    let server = server(AuthMode::Off).await;
    let address = server.address();
    let mut stream = TcpStream::connect(address).await.expect("connect");
    let head = format!(
        "POST /v1/secrets HTTP/1.1\r\nHost: {address}\r\nx-acs-action: CreateSecret\r\n\
         x-acs-version: 2024-03-27\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         expect: 100-continue\r\n\r\n",
        BODY.len()
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    read_until(&mut stream, "100 Continue\r\n\r\n").await;

    let shutdown = tokio::spawn(server.shutdown());
    for _ in 0..100 {
        tokio::task::yield_now().await;
    }
    assert!(
        !shutdown.is_finished(),
        "shutdown must wait for the request in flight"
    );

    stream.write_all(BODY.as_bytes()).await.expect("body");
    let response = read_until(&mut stream, "}}").await;
    assert!(response.contains("HTTP/1.1 200 OK"), "{response}");
    assert!(response.contains(r#""secretId":"sec-"#), "{response}");

    shutdown.await.expect("shutdown completes");
    assert!(
        TcpStream::connect(address).await.is_err(),
        "no longer listening"
    );
}
