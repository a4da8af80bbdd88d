//! Huawei's clamping, and the transport's body limit.

use keygate_mock::{AuthMode, MockServer};

use crate::common::{HUAWEI_PATH, all_cases, client, json_of, server, without_ids};

#[tokio::test]
async fn huawei_clamps_limit_and_offset_instead_of_rejecting() {
    let s = server(AuthMode::Off).await;
    let (_, ids, op) = all_cases()
        .into_iter()
        .find(|(_, _, op)| op.id == "ListAiApiKeys")
        .expect("op");
    let documented = without_ids(op.responses["200"][0].1.clone(), &ids);
    for query in [
        "limit=0",
        "limit=-5",
        "limit=9999",
        "offset=-1",
        "limit=500&offset=0",
    ] {
        let response = client()
            .get(format!("{}{HUAWEI_PATH}?{query}", s.url()))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 200, "{query}");
        assert_eq!(json_of(response).await, documented, "{query}");
    }
}

#[tokio::test]
async fn a_body_over_the_limit_gets_the_vendors_413() {
    let s = MockServer::builder()
        .auth(AuthMode::Off)
        .body_limit(64)
        .start()
        .await
        .expect("starts");
    let response = client()
        .post(format!("{}/v1/secrets", s.url()))
        .header("x-acs-action", "CreateSecret")
        .header("x-acs-version", "2024-03-27")
        .header("content-type", "application/json")
        .body(format!(r#"{{"description":"{}"}}"#, "x".repeat(100)))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 413);
    assert_eq!(json_of(response).await["Code"], "RequestEntityTooLarge");
}

#[tokio::test]
async fn a_client_too_slow_to_send_its_head_is_disconnected() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = MockServer::builder()
        .auth(AuthMode::Off)
        .header_read_timeout(std::time::Duration::from_millis(200))
        .start()
        .await
        .expect("starts");
    let mut stream = tokio::net::TcpStream::connect(s.address())
        .await
        .expect("connect");
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("partial head");
    let mut buf = [0u8; 64];
    // The server closes the connection; the guard only bounds a broken build.
    let read =
        tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut buf)).await;
    assert!(
        matches!(read, Ok(Ok(0)) | Ok(Err(_))),
        "connection still open: {read:?}"
    );
    // Other clients are still served.
    let response = client()
        .get(format!("{}{HUAWEI_PATH}", s.url()))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
}
