//! Signing cost per vendor per request: the keygate-auth call the SDK makes for each attempt,
//! over the request the SDK sends for that vendor's operation.
//!
//! `cargo bench -p keygate-sdk --bench signing`

use criterion::{Criterion, criterion_group, criterion_main};
use keygate_auth::{SecretString, SignableRequest, alibaba, azure, huawei, tencent};
use std::hint::black_box;

fn signing(c: &mut Criterion) {
    let mut group = c.benchmark_group("sign");

    let alibaba_credentials = alibaba::AlibabaCredentials {
        access_key_id: "YourAccessKeyId".into(),
        access_key_secret: SecretString::from("YourAccessKeySecret"),
        security_token: None,
    };
    let alibaba_headers = vec![
        ("accept".to_owned(), "application/json".to_owned()),
        (
            "content-type".to_owned(),
            "application/json; charset=utf-8".to_owned(),
        ),
        ("x-acs-action".to_owned(), "CreateSecret".to_owned()),
        ("x-acs-version".to_owned(), "2024-03-27".to_owned()),
    ];
    let body = br#"{"name":"my_secret","secretData":"apikey-123456xxxxxxxx"}"#;
    group.bench_function("alibaba_acs3_create_secret", |b| {
        b.iter(|| {
            let request = SignableRequest {
                method: "POST",
                host: "apig.cn-hangzhou.aliyuncs.com",
                path: "/v1/secrets",
                query: "",
                headers: &alibaba_headers,
                body,
            };
            black_box(alibaba::sign(
                black_box(&request),
                &alibaba_credentials,
                "2026-01-07T00:00:00Z",
                "3156853299f313e23d1673dc12e1703d",
            ))
        })
    });

    let tencent_credentials = tencent::TencentCredentials {
        secret_id: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA".into(),
        secret_key: SecretString::from("Gu5t9xGARNpq86cd98joQYCN3Cozk1qA"),
        token: None,
    };
    let params: Vec<(String, String)> = [
        ("Action", "DescribeApiKeysStatus"),
        ("limit", "20"),
        ("offset", "0"),
        ("secretIDs.0", "AKIDXXXXWKipDlK"),
        ("Region", "ap-guangzhou"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let endpoint = tencent::Endpoint {
        method: "GET",
        host: "apigateway.api.qcloud.com",
        path: "/v2/index.php",
    };
    for method in [
        tencent::SignatureMethod::HmacSha1,
        tencent::SignatureMethod::HmacSha256,
    ] {
        group.bench_function(
            format!("tencent_{}_describe_api_keys_status", method.as_str()),
            |b| {
                b.iter(|| {
                    black_box(tencent::sign(
                        &endpoint,
                        black_box(&params),
                        &tencent_credentials,
                        1465185768,
                        11886,
                        method,
                    ))
                })
            },
        );
    }

    let huawei_credentials = huawei::HuaweiCredentials {
        access_key_id: "QTWAOYTTINDUT2QVKYUC".into(),
        secret_access_key: SecretString::from("MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"),
        security_token: None,
    };
    let huawei_headers = vec![("accept".to_owned(), "application/json".to_owned())];
    group.bench_function("huawei_sdk_hmac_list_ai_api_keys", |b| {
        b.iter(|| {
            let request = SignableRequest {
                method: "GET",
                host: "apig.cn-north-4.myhuaweicloud.com",
                path: "/v2/77b6a44cba5143ab91d13ab9a8ff44fd/apigw/instances/eddc4d25480b4cd6b512f270a1b8b341/apps/9ed8b7fe84224de681e7d7a5587e76dc/ai-api-keys",
                query: "limit=20&offset=0",
                headers: &huawei_headers,
                body: b"",
            };
            black_box(huawei::sign(black_box(&request), &huawei_credentials, "20191115T033655Z"))
        })
    });

    let token = SecretString::from("eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.payload.signature");
    group.bench_function("azure_bearer_list_secrets", |b| {
        b.iter(|| black_box(azure::authorization_value(black_box(&token))))
    });
    group.finish();
}

criterion_group!(benches, signing);
criterion_main!(benches);
