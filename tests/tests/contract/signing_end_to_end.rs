//! Signing end to end: requests the SDK signed reach the mock in verify mode and pass; the same
//! requests altered after signing, signed too long ago, or replayed are refused with the
//! vendor's own error.

use keygate_auth::{AccessKey, SignableRequest, alibaba, huawei, tencent};
use keygate_contract_tests::raw_http::{self, Capture, RawRequest};
use keygate_contract_tests::specs;
use keygate_mock::MockServer;

use crate::sdk_calls::{self, ACCESS_KEY_ID, SECRET, Target};

async fn verifying_mock() -> MockServer {
    MockServer::builder()
        .engine(sdk_calls::verifying_engine())
        .start()
        .await
        .expect("mock starts")
}

/// What the SDK puts on the wire for `operation`, with a wire variant's client settings
/// (Tencent: `method=POST`).
async fn sdk_request(operation: &str, variant: &[(&str, &str)]) -> RawRequest {
    let capture = Capture::bind().await.expect("bind");
    let target = Target::new(capture.url()).with_variant(variant);
    let (request, _) = tokio::join!(capture.next(), sdk_calls::call(operation, &target));
    request.expect("the SDK sent a request")
}

/// Sends `request` and returns the vendor error code, or `None` for a 2xx without one.
async fn answer_code(
    server: &MockServer,
    vendor: &str,
    request: &RawRequest,
) -> (u16, Option<String>) {
    let (status, body) = raw_http::send(server.address(), request)
        .await
        .expect("mock answers");
    (status, specs::for_vendor(vendor).error_code_of(&body))
}

/// Asserts the mock answers `request` with the vendor's `kind` error.
async fn assert_refused(
    server: &MockServer,
    vendor: &str,
    kind: &str,
    what: &str,
    request: &RawRequest,
) {
    let expected = specs::for_vendor(vendor).error_template(kind);
    let (status, code) = answer_code(server, vendor, request).await;
    assert_eq!(
        (status, code),
        (expected.0, Some(expected.1)),
        "{vendor}: {what} should be {kind}"
    );
}

async fn assert_accepted(server: &MockServer, vendor: &str, request: &RawRequest) {
    let (status, code) = answer_code(server, vendor, request).await;
    let accepted =
        (200..300).contains(&status) && code.as_deref().is_none_or(|c| c == "0" || c == "Ok");
    assert!(
        accepted,
        "{vendor}: the SDK's own request was refused: {status} {code:?}"
    );
}

/// `target` with the value of query parameter `name` changed.
fn with_query_value(request: &RawRequest, name: &str, value: &str) -> RawRequest {
    let query: Vec<String> = request
        .query()
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((n, _)) if n == name => format!("{n}={value}"),
            _ => pair.to_owned(),
        })
        .collect();
    let mut altered = request.clone();
    assert!(
        query.iter().any(|p| p.starts_with(&format!("{name}="))),
        "{name} not in {}",
        request.query()
    );
    altered.target = format!("{}?{}", request.path(), query.join("&"));
    altered
}

fn with_header(request: &RawRequest, name: &str, value: &str) -> RawRequest {
    let mut altered = request.clone();
    altered.set_header(name, value);
    altered
}

fn with_body(request: &RawRequest, body: &[u8]) -> RawRequest {
    let mut altered = request.clone();
    altered.body = body.to_vec();
    altered
}

fn replace_in_body(request: &RawRequest, from: &str, to: &str) -> RawRequest {
    let text = String::from_utf8(request.body.clone()).expect("text body");
    assert!(text.contains(from), "{from} not in body {text}");
    with_body(request, text.replace(from, to).as_bytes())
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The request as keygate-auth sees it, from the raw capture.
fn signable<'a>(request: &'a RawRequest, headers: &'a [(String, String)]) -> SignableRequest<'a> {
    SignableRequest {
        method: &request.method,
        host: request.header("host").expect("host header"),
        path: request.path(),
        query: request.query(),
        headers,
        body: &request.body,
    }
}

#[tokio::test]
async fn alibaba_signed_requests_pass_and_altered_ones_are_refused() {
    let server = verifying_mock().await;
    let list = sdk_request("ListSecretReferences", &[]).await;
    let create = sdk_request("CreateSecret", &[]).await;
    assert_accepted(&server, "alibaba", &list).await;
    assert_accepted(&server, "alibaba", &create).await;

    let mismatch = "signature-mismatch";
    assert_refused(
        &server,
        "alibaba",
        mismatch,
        "altered query",
        &with_query_value(&list, "pageSize", "11"),
    )
    .await;
    let body = replace_in_body(&create, "my_secret", "my_secreT");
    assert_refused(
        &server,
        "alibaba",
        mismatch,
        "altered body",
        &with_header(
            &body,
            "x-acs-content-sha256",
            &alibaba::hashed_payload(&body.body),
        ),
    )
    .await;
    assert_refused(
        &server,
        "alibaba",
        mismatch,
        "altered signed header",
        &with_header(&list, "x-acs-action", "ListSecrets"),
    )
    .await;
    let later = time::OffsetDateTime::now_utc() + time::Duration::seconds(1);
    assert_refused(
        &server,
        "alibaba",
        mismatch,
        "altered date",
        &with_header(&list, "x-acs-date", &alibaba::SCHEME.format_date(later)),
    )
    .await;

    // Replayed: the mock already saw `list`'s nonce above.
    assert_refused(
        &server,
        "alibaba",
        "nonce-replayed",
        "replayed nonce",
        &list,
    )
    .await;

    // Signed correctly, but 16 minutes ago.
    let mut old = list.clone();
    for header in [
        "authorization",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
    ] {
        old.remove_header(header);
    }
    let credentials = AccessKey::new(ACCESS_KEY_ID, SECRET);
    let then = time::OffsetDateTime::now_utc() - time::Duration::minutes(16);
    let signed = alibaba::SCHEME.sign_at(
        &signable(&old, &old.headers),
        &credentials,
        &alibaba::SCHEME.format_date(then),
        "0123456789abcdef0123456789abcdef",
    );
    for (name, value) in signed {
        old.set_header(&name, &value);
    }
    assert_refused(
        &server,
        "alibaba",
        "timestamp-expired",
        "16-minute-old request",
        &old,
    )
    .await;
    server.shutdown().await;
}

fn tencent_params(request: &RawRequest, post: bool) -> Vec<(String, String)> {
    let raw = if post {
        String::from_utf8(request.body.clone()).expect("form body")
    } else {
        request.query().to_owned()
    };
    keygate_auth::decode_pairs(&raw)
}

#[tokio::test]
async fn tencent_signed_requests_pass_and_altered_ones_are_refused() {
    let server = verifying_mock().await;
    let get = sdk_request("DescribeApiKeysStatus", &[]).await;
    let post = sdk_request("DescribeApiKeysStatus", &[("method", "POST")]).await;
    assert_eq!((get.method.as_str(), post.method.as_str()), ("GET", "POST"));
    assert_accepted(&server, "tencent", &get).await;
    assert_accepted(&server, "tencent", &post).await;

    let mismatch = "signature-mismatch";
    assert_refused(
        &server,
        "tencent",
        mismatch,
        "altered query",
        &with_query_value(&get, "limit", "21"),
    )
    .await;
    assert_refused(
        &server,
        "tencent",
        mismatch,
        "altered form body",
        &replace_in_body(&post, "limit=20", "limit=21"),
    )
    .await;
    let timestamp = tencent_params(&get, false)
        .into_iter()
        .find(|(n, _)| n == "Timestamp")
        .expect("Timestamp")
        .1;
    let moved = (timestamp.parse::<i64>().unwrap() + 1).to_string();
    assert_refused(
        &server,
        "tencent",
        mismatch,
        "altered Timestamp",
        &with_query_value(&get, "Timestamp", &moved),
    )
    .await;
    // Tencent signs parameters, not headers: an altered Host changes the string to sign.
    assert_refused(
        &server,
        "tencent",
        mismatch,
        "altered host",
        &with_header(&get, "host", "apigateway.api.qcloud.com"),
    )
    .await;

    assert_refused(&server, "tencent", "nonce-replayed", "replayed nonce", &get).await;

    // Signed correctly, 3 hours ago (the legacy gateway allows 2 hours of skew).
    let params: Vec<(String, String)> = tencent_params(&get, false)
        .into_iter()
        .filter(|(name, _)| {
            !matches!(
                name.as_str(),
                "Timestamp" | "Nonce" | "SecretId" | "SignatureMethod" | "Signature"
            )
        })
        .collect();
    let endpoint = tencent::Endpoint {
        method: "GET",
        host: get.header("host").unwrap(),
        path: get.path(),
    };
    let credentials = AccessKey::new(ACCESS_KEY_ID, SECRET);
    let signed = tencent::sign(
        &endpoint,
        &params,
        &credentials,
        now() - 3 * 3600,
        4242,
        tencent::SignatureMethod::HmacSha1,
    );
    let query: Vec<String> = signed
        .iter()
        .map(|(n, v)| format!("{n}={}", encode(v)))
        .collect();
    let mut old = get.clone();
    old.target = format!("{}?{}", get.path(), query.join("&"));
    assert_refused(
        &server,
        "tencent",
        "timestamp-expired",
        "3-hour-old request",
        &old,
    )
    .await;
    server.shutdown().await;
}

/// Percent-encodes a query value (the signature's `+`, `/` and `=`).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn huawei_signed_requests_pass_and_altered_ones_are_refused() {
    let server = verifying_mock().await;
    let list = sdk_request("ListAiApiKeys", &[]).await;
    assert_accepted(&server, "huawei", &list).await;

    let mismatch = "signature-mismatch";
    assert_refused(
        &server,
        "huawei",
        mismatch,
        "altered query",
        &with_query_value(&list, "limit", "21"),
    )
    .await;
    assert_refused(
        &server,
        "huawei",
        mismatch,
        "altered body",
        &with_body(&list, b"{}"),
    )
    .await;
    assert_refused(
        &server,
        "huawei",
        mismatch,
        "altered signed header",
        &with_header(&list, "host", "apig.cn-north-4.myhuaweicloud.com"),
    )
    .await;
    let later = time::OffsetDateTime::now_utc() + time::Duration::seconds(1);
    assert_refused(
        &server,
        "huawei",
        mismatch,
        "altered date",
        &with_header(&list, "x-sdk-date", &huawei::SCHEME.format_date(later)),
    )
    .await;

    // Signed correctly, 16 minutes ago.
    let mut old = list.clone();
    old.remove_header("authorization");
    old.remove_header("x-sdk-date");
    let credentials = AccessKey::new(ACCESS_KEY_ID, SECRET);
    let then = time::OffsetDateTime::now_utc() - time::Duration::minutes(16);
    let signed = huawei::SCHEME.sign_at(
        &signable(&old, &old.headers),
        &credentials,
        &huawei::SCHEME.format_date(then),
        "",
    );
    for (name, value) in signed {
        old.set_header(&name, &value);
    }
    assert_refused(
        &server,
        "huawei",
        "timestamp-expired",
        "16-minute-old request",
        &old,
    )
    .await;
    server.shutdown().await;
}
