//! Tencent legacy API 2.0: the exact request on the wire, GET and POST, and its signature
//! verified by keygate-auth.

mod common;

use common::*;
use keygate_auth::tencent::{Endpoint, SignatureMethod as AuthMethod};
use keygate_sdk::SecretString;
use keygate_sdk::tencent::{Client, Credentials, RequestMethod, SignatureMethod, types};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA";
const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3Cozk1qA";

fn sample() -> serde_json::Value {
    json!({
        "code": 0, "message": "", "codeDesc": "Success", "totalCount": 2,
        "apiKeyStatusSet": [
            {"secretID": "AKIDXXXXWKipDlK", "secretName": "myTest", "status": 1,
             "createdTime": "2017-08-07T00:00:00Z", "modifiedTime": "2017-08-07T00:00:00Z", "type": "auto"},
            {"secretID": "AKIDXXXXAVd3EuW", "secretName": "myTest1", "status": 0,
             "createdTime": "2017-08-07T00:10:00Z", "modifiedTime": "2017-08-07T00:10:00Z", "type": "auto"}
        ]
    })
}

async fn server_with_sample(http_method: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(http_method))
        .and(path("/v2/index.php"))
        .respond_with(ResponseTemplate::new(200).set_body_json(sample()))
        .mount(&server)
        .await;
    server
}

fn client(
    server: &MockServer,
    request_method: RequestMethod,
    signature: SignatureMethod,
) -> Client {
    Client::builder(Credentials::new(SECRET_ID, SECRET_KEY).with_token("sts-token-tencent"))
        .region("ap-guangzhou")
        .request_method(request_method)
        .signature_method(signature)
        .options(options(server))
        .build()
        .unwrap()
}

fn verify(request: &wiremock::Request, params: &[(String, String)]) {
    let host = host(request);
    let endpoint = Endpoint {
        method: request.method.as_str(),
        host: &host,
        path: request.url.path(),
    };
    let lookup = |id: &str| (id == SECRET_ID).then(|| SecretString::from(SECRET_KEY));
    let verified = keygate_auth::tencent::verify(&endpoint, params, lookup, now_unix(), 300)
        .expect("the signature verifies");
    assert_eq!(verified.access_key_id, SECRET_ID);
}

/// Parameter names in wire order, and the value of each.
fn names(params: &[(String, String)]) -> Vec<&str> {
    params.iter().map(|(n, _)| n.as_str()).collect()
}

fn value<'a>(params: &'a [(String, String)], name: &str) -> &'a str {
    &params
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} missing"))
        .1
}

async fn describe(client: &Client) {
    let response = client
        .describe_api_keys_status()
        .secret_ids(vec!["AKIDXXXXWKipDlK".to_owned(), "AKID Y+/=".to_owned()])
        .limit(20u64)
        .offset(0)
        .send()
        .await
        .unwrap();
    assert_eq!(response.total_count, Some(2));
    assert_eq!(
        response.api_key_status_set[1].secret_id.as_deref(),
        Some("AKIDXXXXAVd3EuW")
    );
}

#[tokio::test]
async fn get_puts_every_parameter_in_the_query() {
    let server = server_with_sample("GET").await;
    describe(&client(
        &server,
        RequestMethod::Get,
        SignatureMethod::HmacSha1,
    ))
    .await;

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        request.url.path(),
        "/v2/index.php",
        "the spec's #Action fragment never goes out"
    );
    assert!(request.body.is_empty());
    assert!(request.headers.get("api-version").is_none());
    let query = request.url.query().unwrap();
    assert!(
        query.starts_with("Action=DescribeApiKeysStatus&limit=20&offset=0&secretIDs.0=AKIDXXXXWKipDlK&secretIDs.1=AKID+Y%2B%2F%3D&Region=ap-guangzhou&Timestamp="),
        "{query}"
    );
    let params = keygate_auth::decode_pairs(query);
    assert_eq!(
        names(&params),
        [
            "Action",
            "limit",
            "offset",
            "secretIDs.0",
            "secretIDs.1",
            "Region",
            "Timestamp",
            "Nonce",
            "SecretId",
            "SignatureMethod",
            "Token",
            "Signature"
        ]
    );
    assert_eq!(value(&params, "secretIDs.1"), "AKID Y+/=");
    assert_eq!(value(&params, "SecretId"), SECRET_ID);
    assert_eq!(
        value(&params, "SignatureMethod"),
        AuthMethod::HmacSha1.as_str()
    );
    assert_eq!(value(&params, "Token"), "sts-token-tencent");
    assert!(value(&params, "Nonce").parse::<u64>().unwrap() > 0);
    assert!((value(&params, "Timestamp").parse::<i64>().unwrap() - now_unix()).abs() < 60);
    verify(&request, &params);
}

#[tokio::test]
async fn post_sends_the_parameters_as_a_form_body() {
    let server = server_with_sample("POST").await;
    describe(&client(
        &server,
        RequestMethod::Post,
        SignatureMethod::HmacSha256,
    ))
    .await;

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/v2/index.php");
    assert_eq!(request.url.query(), None, "nothing in the query");
    assert_eq!(
        header(&request, "content-type"),
        "application/x-www-form-urlencoded"
    );
    let params = keygate_auth::decode_pairs(std::str::from_utf8(&request.body).unwrap());
    assert_eq!(value(&params, "Action"), "DescribeApiKeysStatus");
    assert_eq!(value(&params, "secretIDs.0"), "AKIDXXXXWKipDlK");
    assert_eq!(value(&params, "Region"), "ap-guangzhou");
    assert_eq!(value(&params, "SignatureMethod"), "HmacSHA256");
    verify(&request, &params);
}

/// A server answering every `http_method` request on /v2/index.php with `body`.
async fn server_answering(http_method: &str, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(http_method))
        .and(path("/v2/index.php"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

const CUSTOM_KEY: &str = "custom_secret_key_7f3a9c";

#[tokio::test]
async fn create_api_key_sends_a_custom_secret_key_and_keeps_it_out_of_debug() {
    let server = server_answering(
        "GET",
        json!({"code": 0, "message": "", "codeDesc": "Success", "secretID": "custom_id_01",
               "secretKey": CUSTOM_KEY, "secretName": "manual key", "type": "manual",
               "createdTime": "2017-08-07T00:00:00Z"}),
    )
    .await;
    let client = client(&server, RequestMethod::Get, SignatureMethod::HmacSha1);

    let call = client
        .create_api_key()
        .secret_id("custom_id_01")
        .secret_key(CUSTOM_KEY)
        .secret_name("manual key")
        .type_(types::CreateApiKeyType::Manual);
    let printed = format!("{call:?}");
    assert!(!printed.contains(CUSTOM_KEY), "{printed}");
    let response = call.send().await.unwrap();
    assert_eq!(
        response.secret_key.as_ref().unwrap().expose_secret(),
        CUSTOM_KEY
    );
    let printed = format!("{response:?}");
    assert!(!printed.contains(CUSTOM_KEY), "{printed}");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert!(request.body.is_empty());
    let params = keygate_auth::decode_pairs(request.url.query().unwrap());
    assert_eq!(
        names(&params)[..6],
        [
            "Action",
            "secretID",
            "secretKey",
            "secretName",
            "type",
            "Region"
        ]
    );
    assert_eq!(value(&params, "Action"), "CreateApiKey");
    assert_eq!(value(&params, "secretKey"), CUSTOM_KEY);
    assert_eq!(value(&params, "secretName"), "manual key");
    assert_eq!(value(&params, "type"), "manual");
    verify(&request, &params);
}

#[tokio::test]
async fn describe_api_key_returns_the_secret_key_as_a_secret_string() {
    let server = server_answering(
        "POST",
        json!({"code": 0, "message": "", "codeDesc": "Success", "secretID": "AKIDXXXXWKipDlK",
               "secretKey": "described_key_5e1b", "secretName": "myTest", "status": 1,
               "type": "auto", "createdTime": "2017-08-07T00:00:00Z",
               "modifiedTime": "2017-08-07T00:00:00Z"}),
    )
    .await;
    let client = client(&server, RequestMethod::Post, SignatureMethod::HmacSha256);

    let response = client
        .describe_api_key()
        .secret_id("AKIDXXXXWKipDlK")
        .send()
        .await
        .unwrap();
    let key: &SecretString = response.secret_key.as_ref().unwrap();
    assert_eq!(key.expose_secret(), "described_key_5e1b");
    assert_eq!(response.status, Some(1));
    let printed = format!("{response:?} {response:#?}");
    assert!(!printed.contains("described_key_5e1b"), "{printed}");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.query(), None);
    let params = keygate_auth::decode_pairs(std::str::from_utf8(&request.body).unwrap());
    assert_eq!(value(&params, "Action"), "DescribeApiKey");
    assert_eq!(value(&params, "secretID"), "AKIDXXXXWKipDlK");
    verify(&request, &params);
}
