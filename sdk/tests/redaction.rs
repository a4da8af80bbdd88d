//! No secret reaches a formatted value: Debug and Display of every type that holds one, the
//! error source chain, and everything traced (at TRACE, dependencies included) during calls.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use keygate_sdk::{
    ClientOptions, Error, RetryPolicy, SecretString, alibaba, azure, huawei, tencent,
};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ALIBABA_SECRET: &str = "SECRET-alibaba-access-key-secret";
const ALIBABA_TOKEN: &str = "SECRET-alibaba-sts-token";
const TENCENT_KEY: &str = "SECRET-tencent-secret-key";
const TENCENT_TOKEN: &str = "SECRET-tencent-session-token";
const HUAWEI_SK: &str = "SECRET-huawei-sk";
const HUAWEI_TOKEN: &str = "SECRET-huawei-security-token";
const HUAWEI_IAM: &str = "SECRET-huawei-iam-token";
const AZURE_TOKEN: &str = "SECRET-azure-bearer-token";
const AZURE_PRIMARY: &str = "SECRET-azure-primary-key";
const AZURE_SECONDARY: &str = "SECRET-azure-secondary-key";
const HUAWEI_KEY: &str = "SECRET-huawei-ai-api-key";
const ALIBABA_DATA: &str = "SECRET-alibaba-secret-data";

const ALL: [&str; 12] = [
    ALIBABA_SECRET,
    ALIBABA_TOKEN,
    TENCENT_KEY,
    TENCENT_TOKEN,
    HUAWEI_SK,
    HUAWEI_TOKEN,
    HUAWEI_IAM,
    AZURE_TOKEN,
    AZURE_PRIMARY,
    AZURE_SECONDARY,
    HUAWEI_KEY,
    ALIBABA_DATA,
];

fn assert_clean(what: &str, text: &str) {
    for secret in ALL {
        assert!(!text.contains(secret), "{what} shows {secret}: {text}");
    }
    // Any `SECRET-` prefix at all would be a leak of a value this file made up.
    assert!(!text.contains("SECRET-"), "{what} shows a secret: {text}");
}

fn formatted<T: std::fmt::Debug>(value: &T) -> String {
    format!("{value:?} {value:#?}")
}

fn error_text(error: &Error) -> String {
    let mut text = format!("{error} {error:?} {error:#?}");
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        text.push_str(&format!(" {s} {s:?}"));
        source = s.source();
    }
    text
}

fn alibaba_credentials() -> alibaba::Credentials {
    alibaba::Credentials::new("AK", ALIBABA_SECRET).with_security_token(ALIBABA_TOKEN)
}

fn tencent_credentials() -> tencent::Credentials {
    tencent::Credentials::new("AKID", TENCENT_KEY).with_token(TENCENT_TOKEN)
}

fn huawei_credentials() -> huawei::Credentials {
    huawei::Credentials::ak_sk("AK", HUAWEI_SK).with_security_token(HUAWEI_TOKEN)
}

#[test]
fn credentials_builders_and_clients_redact() {
    let secret = SecretString::from(ALIBABA_SECRET);
    assert_clean("SecretString", &format!("{secret} {secret:?}"));
    assert_clean("alibaba credentials", &formatted(&alibaba_credentials()));
    assert_clean("tencent credentials", &formatted(&tencent_credentials()));
    assert_clean("huawei AK/SK", &formatted(&huawei_credentials()));
    assert_clean(
        "huawei IAM token",
        &formatted(&huawei::Credentials::iam_token(HUAWEI_IAM)),
    );
    assert_clean(
        "azure bearer",
        &formatted(&azure::Credentials::bearer(AZURE_TOKEN)),
    );
    let provider =
        azure::Credentials::token_provider(|| async { Ok(SecretString::from(AZURE_TOKEN)) });
    assert_clean("azure provider", &formatted(&provider));

    let options = ClientOptions::default().endpoint("http://127.0.0.1:9");
    assert_clean(
        "alibaba builder",
        &formatted(&alibaba::Client::builder(alibaba_credentials())),
    );
    let alibaba = alibaba::Client::builder(alibaba_credentials())
        .options(options.clone())
        .build()
        .unwrap();
    let tencent = tencent::Client::builder(tencent_credentials())
        .region("gz")
        .options(options.clone())
        .build()
        .unwrap();
    let huawei = huawei::Client::builder(huawei_credentials())
        .options(options.clone())
        .build()
        .unwrap();
    let iam = huawei::Client::builder(huawei::Credentials::iam_token(HUAWEI_IAM))
        .options(options.clone())
        .build()
        .unwrap();
    let azure = azure::Client::builder(azure::Credentials::bearer(AZURE_TOKEN))
        .options(options)
        .build()
        .unwrap();
    assert_clean("alibaba client", &formatted(&alibaba));
    assert_clean("tencent client", &formatted(&tencent));
    assert_clean("huawei client", &formatted(&huawei));
    assert_clean("huawei iam client", &formatted(&iam));
    assert_clean("azure client", &formatted(&azure));
    assert!(
        formatted(&alibaba).contains("AK"),
        "the non-secret key id stays visible"
    );
}

#[test]
fn request_and_response_types_redact_key_values() {
    let request: alibaba::types::CreateSecretRequest =
        alibaba::types::CreateSecretRequest::builder()
            .secret_data(SecretString::from(ALIBABA_DATA))
            .try_into()
            .unwrap();
    assert_clean("CreateSecretRequest", &formatted(&request));
    let keys: azure::types::SubscriptionKeysContract = serde_json::from_value(
        json!({"primaryKey": AZURE_PRIMARY, "secondaryKey": AZURE_SECONDARY}),
    )
    .unwrap();
    assert_clean("SubscriptionKeysContract", &formatted(&keys));
    let list: huawei::types::ListAiApiKeysResponse = serde_json::from_value(
        json!({"total": 1, "ai_api_keys": [{"ai_api_key": HUAWEI_KEY, "id": "k"}]}),
    )
    .unwrap();
    assert_clean("ListAiApiKeysResponse", &formatted(&list));
    assert_eq!(
        keys.primary_key.as_ref().unwrap().expose_secret(),
        AZURE_PRIMARY,
        "reachable on purpose"
    );
}

/// Collects everything every tracing event and span writes, at TRACE, for all crates.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn install(&self) -> tracing::subscriber::DefaultGuard {
        let writer = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test]
async fn calls_trace_their_span_without_secrets() {
    let captured = Captured::default();
    let _guard = captured.install();

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ms-request-id", "ms-req-trace")
                .set_body_json(
                    json!({"primaryKey": AZURE_PRIMARY, "secondaryKey": AZURE_SECONDARY}),
                ),
        )
        .mount(&server)
        .await;
    let azure = azure::Client::builder(azure::Credentials::bearer(AZURE_TOKEN))
        .options(options(&server))
        .build()
        .unwrap();
    let keys = azure
        .subscription_list_secrets()
        .subscription_id(uuid::Uuid::nil())
        .resource_group_name("rg1")
        .service_name("apimService1")
        .sid("sid1")
        .send()
        .await
        .unwrap();
    assert_clean("azure response", &formatted(&keys));

    let tencent = tencent::Client::builder(tencent_credentials())
        .region("ap-guangzhou")
        .options(options(&server))
        .build()
        .unwrap();
    // The Tencent GET carries Token and Signature in its query.
    let _ = tencent.describe_api_keys_status().send().await;

    let text = captured.text();
    assert_clean("tracing output", &text);
    assert!(text.contains("keygate.call"), "{text}");
    assert!(
        text.contains("operation=\"Subscription_ListSecrets\""),
        "{text}"
    );
    assert!(text.contains("vendor=\"azure\""), "{text}");
    assert!(text.contains("status=200"), "{text}");
    assert!(text.contains("request_id=\"ms-req-trace\""), "{text}");
    assert!(text.contains("duration_ms="), "{text}");
}

#[tokio::test]
async fn errors_never_show_secrets() {
    // Huawei's gateway echoes the signed headers, X-Security-Token among them.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error_code": "APIGW.0301",
            "error_msg": format!("Incorrect IAM authentication information: verify aksk signature fail, canonicalRequest:GET|/|x-security-token:{HUAWEI_TOKEN}|"),
            "request_id": "r1"
        })))
        .mount(&server)
        .await;
    let huawei = huawei::Client::builder(huawei_credentials())
        .options(options(&server))
        .build()
        .unwrap();
    let error = huawei
        .list_ai_api_keys()
        .project_id("p")
        .instance_id("i")
        .app_id("a")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("APIGW.0301"));
    assert!(
        error
            .message()
            .unwrap()
            .contains("x-security-token:*** redacted ***"),
        "{error}"
    );
    assert_clean("huawei error", &error_text(&error));

    // A transport failure of a Tencent GET: its URL (with Signature and Token) is not kept.
    let options = ClientOptions::default()
        .endpoint(format!("http://127.0.0.1:{}", closed_port()))
        .retry_policy(RetryPolicy::none());
    let tencent = tencent::Client::builder(tencent_credentials())
        .region("gz")
        .options(options)
        .build()
        .unwrap();
    let error = tencent.describe_api_keys_status().send().await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }));
    let text = error_text(&error);
    assert_clean("tencent transport error", &text);
    assert!(!text.contains("Signature"), "{text}");

    // An undecodable answer holding a key.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            format!("{{\"primaryKey\": 1, \"k\": \"{AZURE_PRIMARY}\"}}"),
            "application/json",
        ))
        .mount(&server)
        .await;
    let azure = azure::Client::builder(azure::Credentials::bearer(AZURE_TOKEN))
        .options(common::options(&server))
        .build()
        .unwrap();
    let error = azure
        .subscription_list_secrets()
        .subscription_id(uuid::Uuid::nil())
        .resource_group_name("rg1")
        .service_name("apimService1")
        .sid("sid1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_clean("decode error", &error_text(&error));
}
