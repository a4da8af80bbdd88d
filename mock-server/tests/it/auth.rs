//! Auth modes: off, presence and verify (signatures from keygate-auth, tampering, expiry,
//! replay), each failure in the vendor's own words.

use keygate_auth::{AccessKey, SignableRequest, alibaba, huawei, tencent};
use keygate_mock::{AuthMode, Credential, MockServer};
use serde_json::Value;
use time::OffsetDateTime;

use crate::common::{ALIBABA_REFS_PATH, AZURE_PATH, HUAWEI_PATH, client, json_of, server};

const AK: &str = "test-ak";
const SECRET: &str = "test-secret";

async fn verifying_server() -> MockServer {
    MockServer::builder()
        .auth(AuthMode::Verify)
        .credential(Credential::new("alibaba", AK, SECRET))
        .credential(Credential::new("tencent", AK, SECRET))
        .credential(Credential::new("huawei", AK, SECRET))
        .start()
        .await
        .expect("starts")
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("sent");
    (response.status().as_u16(), json_of(response).await)
}

// ---- off and presence ----

#[tokio::test]
async fn off_needs_no_credentials() {
    let s = server(AuthMode::Off).await;
    assert_eq!(
        send(client().get(format!("{}{HUAWEI_PATH}", s.url())))
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn presence_reports_missing_and_malformed_credentials_per_vendor() {
    let s = server(AuthMode::Presence).await;
    let url = s.url();
    // Huawei: nothing -> APIG.1002; a broken AK/SK header -> APIGW.0301; a token passes.
    let (status, body) = send(client().get(format!("{url}{HUAWEI_PATH}"))).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (401, Some("APIG.1002"))
    );
    let broken = client()
        .get(format!("{url}{HUAWEI_PATH}"))
        .header("Authorization", "SDK-HMAC-SHA256 Access=AK");
    let (status, body) = send(broken).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (401, Some("APIGW.0301"))
    );
    assert_eq!(
        send(
            client()
                .get(format!("{url}{HUAWEI_PATH}"))
                .header("X-Auth-Token", "t")
        )
        .await
        .0,
        200
    );
    // Azure: missing -> AuthenticationFailed with WWW-Authenticate; not Bearer -> invalid header.
    let response = client()
        .post(format!("{url}{AZURE_PATH}?api-version=2024-05-01"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 401);
    assert!(response.headers().contains_key("www-authenticate"));
    assert_eq!(
        json_of(response).await["error"]["code"],
        "AuthenticationFailed"
    );
    let basic = client()
        .post(format!("{url}{AZURE_PATH}?api-version=2024-05-01"))
        .header("Authorization", "Basic abc");
    assert_eq!(
        send(basic).await.1["error"]["code"],
        "AuthenticationFailedInvalidHeader"
    );
    // Alibaba: missing -> IncompleteSignature.
    let alibaba = client()
        .get(format!("{url}{ALIBABA_REFS_PATH}"))
        .header("x-acs-action", "ListSecretReferences")
        .header("x-acs-version", "2024-03-27");
    let (status, body) = send(alibaba).await;
    assert_eq!(
        (status, body["Code"].as_str()),
        (400, Some("IncompleteSignature"))
    );
}

// ---- verify: Alibaba ----

fn alibaba_signed(
    s: &MockServer,
    secret: &str,
    date: OffsetDateTime,
    nonce: &str,
) -> reqwest::RequestBuilder {
    let host = s.address().to_string();
    let headers = vec![
        ("x-acs-action".to_owned(), "ListSecretReferences".to_owned()),
        ("x-acs-version".to_owned(), "2024-03-27".to_owned()),
    ];
    let request = SignableRequest {
        method: "GET",
        host: &host,
        path: ALIBABA_REFS_PATH,
        query: "pageNumber=1&pageSize=10",
        headers: &headers,
        body: b"",
    };
    let key = AccessKey::new(AK, secret);
    let added = alibaba::SCHEME.sign_at(&request, &key, &alibaba::SCHEME.format_date(date), nonce);
    let mut builder = client().get(format!(
        "{}{ALIBABA_REFS_PATH}?pageNumber=1&pageSize=10",
        s.url()
    ));
    for (name, value) in headers.iter().chain(&added) {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder
}

#[tokio::test]
async fn alibaba_verify_accepts_signed_and_rejects_tampered_expired_replayed_unknown() {
    let s = verifying_server().await;
    assert_eq!(
        send(alibaba_signed(&s, SECRET, now(), "nonce-1")).await.0,
        200
    );
    let (status, body) = send(alibaba_signed(&s, SECRET, now(), "nonce-1")).await;
    assert_eq!(
        (status, body["Code"].as_str()),
        (400, Some("SignatureNonceUsed"))
    );
    let (_, body) = send(alibaba_signed(&s, "wrong-secret", now(), "nonce-2")).await;
    assert_eq!(body["Code"], "SignatureDoesNotMatch");
    let message = body["Message"].as_str().expect("Message");
    assert!(
        message.contains("server string to sign is:ACS3-HMAC-SHA256\n"),
        "{message}"
    );
    let tampered =
        alibaba_signed(&s, SECRET, now(), "nonce-3").header("x-acs-signature-nonce", "other");
    assert_eq!(send(tampered).await.1["Code"], "SignatureDoesNotMatch");
    let old = now() - time::Duration::minutes(16);
    assert_eq!(
        send(alibaba_signed(&s, SECRET, old, "nonce-4")).await.1["Code"],
        "InvalidTimeStamp.Expired"
    );
}

// ---- verify: Huawei ----

fn huawei_signed(s: &MockServer, query: &str, sent_query: &str) -> reqwest::RequestBuilder {
    let host = s.address().to_string();
    let headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
    let request = SignableRequest {
        method: "GET",
        host: &host,
        path: HUAWEI_PATH,
        query,
        headers: &headers,
        body: b"",
    };
    let key = AccessKey::new(AK, SECRET);
    let added = huawei::SCHEME.sign_at(&request, &key, &huawei::SCHEME.format_date(now()), "");
    let mut builder = client().get(format!("{}{HUAWEI_PATH}?{sent_query}", s.url()));
    for (name, value) in headers.iter().chain(&added) {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder
}

#[tokio::test]
async fn huawei_verify_accepts_signed_with_port_and_rejects_tampered() {
    let s = verifying_server().await;
    assert_eq!(
        send(huawei_signed(&s, "limit=20&offset=0", "limit=20&offset=0"))
            .await
            .0,
        200
    );
    let (status, body) = send(huawei_signed(&s, "limit=20&offset=0", "limit=500&offset=0")).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (401, Some("APIGW.0301"))
    );
    assert!(
        body["error_msg"]
            .as_str()
            .expect("msg")
            .contains("verify aksk signature fail, canonicalRequest:GET|/v2/")
    );
}

// ---- verify: Tencent ----

fn tencent_params(
    s: &MockServer,
    method: &str,
    secret: &str,
    timestamp: i64,
    nonce: u64,
) -> Vec<(String, String)> {
    let host = s.address().to_string();
    let endpoint = tencent::Endpoint {
        method,
        host: &host,
        path: "/v2/index.php",
    };
    let params = vec![
        ("Action".to_owned(), "DescribeApiKeysStatus".to_owned()),
        ("Region".to_owned(), "ap-guangzhou".to_owned()),
        ("secretIDs.0".to_owned(), "AKIDXXXXWKipDlK".to_owned()),
        ("RequestClient".to_owned(), "SDK_PYTHON_2.0.15".to_owned()),
    ];
    let key = AccessKey::new(AK, secret);
    tencent::sign(
        &endpoint,
        &params,
        &key,
        timestamp,
        nonce,
        tencent::SignatureMethod::HmacSha1,
    )
}

#[tokio::test]
async fn tencent_verify_get_and_post_replay_expiry_and_mismatch() {
    let s = verifying_server().await;
    let url = format!("{}/v2/index.php", s.url());
    let t = now().unix_timestamp();
    let big_nonce = 9_223_372_036_854_775_807;
    let (status, body) = send(
        client()
            .get(&url)
            .query(&tencent_params(&s, "GET", SECRET, t, big_nonce)),
    )
    .await;
    assert_eq!((status, body["code"].as_i64()), (200, Some(0)), "{body}");
    let (status, body) = send(
        client()
            .post(&url)
            .form(&tencent_params(&s, "POST", SECRET, t, 2)),
    )
    .await;
    assert_eq!((status, body["code"].as_i64()), (200, Some(0)), "{body}");
    let (_, body) = send(
        client()
            .get(&url)
            .query(&tencent_params(&s, "GET", SECRET, t, big_nonce)),
    )
    .await;
    assert_eq!(
        (body["code"].as_i64(), body["codeDesc"].as_str()),
        (Some(4500), Some("ReplayAttack"))
    );
    let (_, body) =
        send(
            client()
                .get(&url)
                .query(&tencent_params(&s, "GET", SECRET, t - 3 * 3600, 3)),
        )
        .await;
    assert_eq!(body["code"], 4500);
    let (_, body) = send(
        client()
            .get(&url)
            .query(&tencent_params(&s, "GET", "wrong", t, 4)),
    )
    .await;
    assert_eq!(
        (body["code"].as_i64(), body["message"].as_str()),
        (
            Some(4100),
            Some("Authentication failed. Signature does not match")
        )
    );
}

#[tokio::test]
async fn verify_with_an_unknown_access_key() {
    let s = MockServer::builder()
        .auth(AuthMode::Verify)
        .start()
        .await
        .expect("starts");
    let (status, body) = send(alibaba_signed(&s, SECRET, now(), "n")).await;
    assert_eq!(
        (status, body["Code"].as_str()),
        (404, Some("InvalidAccessKeyId.NotFound"))
    );
}

#[tokio::test]
async fn verify_checks_the_bearer_form_for_azure() {
    let s = verifying_server().await;
    let url = format!("{}{AZURE_PATH}?api-version=2024-05-01", s.url());
    assert_eq!(
        send(
            client()
                .post(&url)
                .header("Authorization", "Bearer eyJ0.x.y")
        )
        .await
        .0,
        200
    );
    assert_eq!(
        send(client().post(&url).header("Authorization", "Bearer a b"))
            .await
            .0,
        401
    );
}

#[tokio::test]
async fn a_credential_for_an_unknown_vendor_is_refused_at_start() {
    let err = MockServer::builder()
        .auth(AuthMode::Verify)
        .credential(Credential::new("nobody", AK, SECRET))
        .start()
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("nobody"));
}
