//! The SDK against the mock over HTTPS: signed calls and Azure's next links go through when
//! the client trusts the mock's self-signed certificate, and fail as a TLS transport error
//! when it does not.

use std::error::Error as _;

use futures::TryStreamExt as _;
use keygate_mock::{MockServer, Tls};
use keygate_sdk::{ClientOptions, Error, RetryPolicy, azure, huawei};

use crate::sdk_calls::{ACCESS_KEY_ID, SECRET, verifying_engine};

const PROJECT: &str = "77b6a44cba5143ab91d13ab9a8ff44fd";
const INSTANCE: &str = "eddc4d25480b4cd6b512f270a1b8b341";
const APP: &str = "9ed8b7fe84224de681e7d7a5587e76dc";

/// The mock in verify mode, on HTTPS, its certificate written to a file as `--tls` does.
async fn https_mock() -> MockServer {
    MockServer::builder()
        .engine(verifying_engine())
        .tls(Tls::SelfSignedToFile)
        .start()
        .await
        .expect("mock starts")
}

/// A reqwest client that trusts the certificate file the mock wrote.
fn trusting(server: &MockServer) -> reqwest::Client {
    let path = server
        .certificate_path()
        .expect("the certificate is written");
    let pem = std::fs::read(path).expect("the certificate file");
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).expect("PEM"))
        .build()
        .expect("reqwest client")
}

/// Options against `server`, with `http` when given (else the SDK's own client), no retries.
fn options(server: &MockServer, http: Option<reqwest::Client>) -> ClientOptions {
    let options = ClientOptions::default()
        .endpoint(server.url())
        .retry_policy(RetryPolicy::none());
    match http {
        Some(http) => options.http_client(http),
        None => options,
    }
}

fn huawei_client(options: ClientOptions) -> huawei::Client {
    huawei::Client::builder(huawei::Credentials::ak_sk(ACCESS_KEY_ID, SECRET))
        .options(options)
        .build()
        .expect("huawei client")
}

async fn list_huawei_keys(client: &huawei::Client) -> Result<usize, Error> {
    let page = client
        .list_ai_api_keys()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .app_id(APP)
        .send()
        .await?;
    Ok(page.ai_api_keys.len())
}

#[tokio::test]
async fn signed_calls_and_next_links_go_over_https_when_the_certificate_is_trusted() {
    let server = https_mock().await;
    assert!(server.url().starts_with("https://"), "{}", server.url());
    let http = trusting(&server);

    // Huawei's AK/SK signature, verified by the mock, over TLS.
    let huawei = huawei_client(options(&server, Some(http.clone())));
    assert!(list_huawei_keys(&huawei).await.expect("signed call") > 0);

    // Azure, one item a page: the SDK follows a next link only to its own origin, so each
    // link must say https.
    let azure = azure::Client::builder(azure::Credentials::bearer("keygate-tls-token"))
        .options(options(&server, Some(http)))
        .build()
        .expect("azure client");
    let items = azure
        .subscription_list()
        .subscription_id(uuid::Uuid::nil())
        .resource_group_name("rg1")
        .service_name("apimService1")
        .top(1u32)
        .into_stream()
        .try_collect::<Vec<_>>()
        .await
        .expect("every page, through the mock's https links");
    let pages = server
        .journal()
        .iter()
        .filter(|entry| entry.operation.as_deref() == Some("Subscription_List"))
        .count();
    assert!(items.len() > 1, "the sample lists several subscriptions");
    assert_eq!(pages, items.len(), "one page per item, each by its link");
    server.shutdown().await;
}

#[tokio::test]
async fn without_trusting_the_certificate_the_call_is_a_tls_transport_error() {
    let server = https_mock().await;
    let untrusting = huawei_client(options(&server, None));
    let error = list_huawei_keys(&untrusting)
        .await
        .expect_err("the mock's certificate is not trusted");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let mut chain = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    assert!(
        chain.to_ascii_lowercase().contains("certificate"),
        "the error says it is about the certificate: {chain}"
    );

    // The failed handshake cost the server nothing: a trusting client is served next.
    let trusting = huawei_client(options(&server, Some(trusting(&server))));
    assert!(list_huawei_keys(&trusting).await.expect("signed call") > 0);
    server.shutdown().await;
}
