//! HTTPS: the mock's own certificate, or yours; clients that fail the handshake lose only
//! their own connection; the links the mock writes say `https`.

use std::io::Write as _;

use keygate_mock::{AuthMode, MockServer, StartError, StateConfig, Tls};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use crate::common::{HUAWEI_PATH, json_of};

/// Azure's Subscription_List, one item a page.
const AZURE_LIST: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/subscriptions?api-version=2024-05-01&%24top=1";

async fn tls_server(tls: Tls, state: StateConfig) -> MockServer {
    MockServer::builder()
        .auth(AuthMode::Off)
        .state(state)
        .tls(tls)
        .start()
        .await
        .expect("mock starts")
}

/// A client that trusts `pem` (and the system's roots).
fn trusting(pem: &str) -> reqwest::Client {
    let certificate = reqwest::Certificate::from_pem(pem.as_bytes()).expect("PEM");
    reqwest::Client::builder()
        .add_root_certificate(certificate)
        .build()
        .expect("client")
}

async fn huawei_status(client: &reqwest::Client, server: &MockServer) -> u16 {
    client
        .get(format!("{}{HUAWEI_PATH}", server.uri()))
        .send()
        .await
        .expect("answered")
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_self_signed_server_answers_clients_that_trust_its_certificate() {
    let server = tls_server(Tls::SelfSigned, StateConfig::Memory).await;
    assert!(
        server.url().starts_with("https://127.0.0.1:"),
        "{}",
        server.url()
    );
    assert_eq!(server.uri(), server.url());
    assert_eq!(
        server.certificate_path(),
        None,
        "nothing written unless asked"
    );
    let pem = server.certificate_pem().expect("a certificate");
    assert!(!pem.contains("PRIVATE KEY"), "{pem}");

    let client = trusting(pem);
    assert_eq!(huawei_status(&client, &server).await, 200);
    // localhost is in the certificate too.
    let by_name = server.url().replace("127.0.0.1", "localhost");
    let response = client
        .get(format!("{by_name}{HUAWEI_PATH}"))
        .send()
        .await
        .expect("answered by name");
    assert_eq!(response.status(), 200);
    server.shutdown().await;
}

#[tokio::test]
async fn clients_that_fail_the_handshake_do_not_disturb_the_others() {
    let server = tls_server(Tls::SelfSigned, StateConfig::Memory).await;
    let client = trusting(server.certificate_pem().expect("a certificate"));

    // One client opens a connection and never starts its handshake.
    let mut stalled = TcpStream::connect(server.address()).await.expect("connect");
    // One speaks plain HTTP to the TLS port: the server closes its connection.
    let mut plain = TcpStream::connect(server.address()).await.expect("connect");
    plain
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("sent");
    let mut answer = Vec::new();
    let _ = plain.read_to_end(&mut answer).await;
    assert!(
        !answer.starts_with(b"HTTP/"),
        "no HTTP answer over a failed handshake: {}",
        String::from_utf8_lossy(&answer)
    );
    // One does not trust the certificate.
    let untrusting = reqwest::Client::new()
        .get(format!("{}{HUAWEI_PATH}", server.url()))
        .send()
        .await
        .expect_err("an unknown issuer is refused");
    assert!(untrusting.is_connect(), "{untrusting:?}");

    // The trusting client is served all along.
    assert_eq!(huawei_status(&client, &server).await, 200);
    assert_eq!(huawei_status(&client, &server).await, 200);
    // The stalled one is still connected: nothing else was held up by it.
    stalled.write_all(b"\x16").await.expect("still open");
    drop(stalled);
    server.shutdown().await;
}

#[tokio::test]
async fn next_links_say_https_when_the_mock_serves_tls() {
    for state in [StateConfig::Off, StateConfig::Memory] {
        let server = tls_server(Tls::SelfSigned, state.clone()).await;
        let client = trusting(server.certificate_pem().expect("a certificate"));
        let first = json_of(
            client
                .get(format!("{}{AZURE_LIST}", server.url()))
                .header("authorization", "Bearer t")
                .send()
                .await
                .expect("answered"),
        )
        .await;
        let link = first["nextLink"].as_str().expect("a next link").to_owned();
        assert!(
            link.starts_with(&format!("{}/subscriptions/", server.url())),
            "{state}: {link}"
        );
        let second = client
            .get(&link)
            .header("authorization", "Bearer t")
            .send()
            .await
            .expect("the link is followed");
        assert_eq!(second.status(), 200, "{state}");
        server.shutdown().await;
    }
}

/// A certificate for localhost and its key, PEM, as a user would bring them.
fn own_certificate() -> (String, String) {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("made");
    (made.cert.pem(), made.signing_key.serialize_pem())
}

fn file_with(contents: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(contents.as_bytes()).expect("written");
    file
}

#[tokio::test]
async fn your_own_certificate_and_key_are_served() {
    let (cert, key) = own_certificate();
    let cert_file = file_with(&cert);
    let key_file = file_with(&key);
    let server = tls_server(
        Tls::pem_files(cert_file.path(), key_file.path()),
        StateConfig::Off,
    )
    .await;
    assert_eq!(server.certificate_path(), Some(cert_file.path()));
    assert_eq!(
        server.certificate_pem().map(str::trim),
        Some(cert.trim()),
        "the certificate, as given"
    );
    let client = trusting(&cert);
    let url = server.url().replace("127.0.0.1", "localhost");
    let response = client
        .get(format!("{url}{HUAWEI_PATH}"))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 200);
    server.shutdown().await;
}

async fn refused(tls: Tls) -> String {
    match MockServer::builder().tls(tls).start().await {
        Err(error @ StartError::Tls(_)) => error.to_string(),
        Err(other) => panic!("not a TLS error: {other}"),
        Ok(server) => panic!("started on {}", server.url()),
    }
}

#[tokio::test]
async fn unusable_certificate_or_key_files_are_refused_at_start() {
    let (cert, key) = own_certificate();
    let (_, other_key) = own_certificate();
    let cert_file = file_with(&cert);
    let key_file = file_with(&key);
    let other_key_file = file_with(&other_key);
    let garbage = file_with("SECRETISH-not-a-pem-file\n");
    let missing = std::env::temp_dir().join("keygate-mock-no-such-file.pem");

    let message = refused(Tls::pem_files(&missing, key_file.path())).await;
    assert!(
        message.contains("cannot read the certificate file")
            && message.contains("keygate-mock-no-such-file.pem"),
        "{message}"
    );
    let message = refused(Tls::pem_files(garbage.path(), key_file.path())).await;
    assert!(message.contains("holds no certificate"), "{message}");
    let message = refused(Tls::pem_files(cert_file.path(), garbage.path())).await;
    assert!(message.contains("holds no private key"), "{message}");
    assert!(
        !message.contains("SECRETISH"),
        "a key file is never quoted: {message}"
    );
    // The key file handed as certificate: it holds no certificate either.
    let message = refused(Tls::pem_files(key_file.path(), key_file.path())).await;
    assert!(message.contains("holds no certificate"), "{message}");
    let message = refused(Tls::pem_files(cert_file.path(), other_key_file.path())).await;
    assert!(message.contains("cannot be used together"), "{message}");
}
