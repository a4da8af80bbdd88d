//! Signing cost per scheme per request: the keygate-auth call the SDK makes for each
//! attempt, through the scheme interface it looks schemes up with, over the request the SDK
//! sends for that vendor's seed operation.
//!
//! `cargo bench -p keygate-sdk --bench signing`

use criterion::{Criterion, criterion_group, criterion_main};
use keygate_auth::{AccessKey, Credential, Freshness, SecretString, SignableRequest};
use std::hint::black_box;

/// One benchmarked case: a scheme, a credential and the request it signs.
struct Case {
    name: &'static str,
    scheme: &'static str,
    credential: Credential,
    method: &'static str,
    host: &'static str,
    path: &'static str,
    query: &'static str,
    headers: Vec<(String, String)>,
    body: &'static [u8],
}

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

/// Tencent's DescribeApiKeysStatus as a GET with `query`.
fn tencent_case(name: &'static str, query: &'static str) -> Case {
    Case {
        name,
        scheme: "tencent-legacy-hmac",
        credential: Credential::AccessKey(AccessKey::new(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA",
            "Gu5t9xGARNpq86cd98joQYCN3Cozk1qA",
        )),
        method: "GET",
        host: "apigateway.api.qcloud.com",
        path: "/v2/index.php",
        query,
        headers: Vec::new(),
        body: b"",
    }
}

fn cases() -> Vec<Case> {
    let key = |id: &str, secret: &str| Credential::AccessKey(AccessKey::new(id, secret));
    vec![
        Case {
            name: "alibaba_acs3_create_secret",
            scheme: "alibaba-acs3-hmac-sha256",
            credential: key("YourAccessKeyId", "YourAccessKeySecret"),
            method: "POST",
            host: "apig.cn-hangzhou.aliyuncs.com",
            path: "/v1/secrets",
            query: "",
            headers: headers(&[
                ("accept", "application/json"),
                ("content-type", "application/json; charset=utf-8"),
                ("x-acs-action", "CreateSecret"),
                ("x-acs-version", "2024-03-27"),
            ]),
            body: br#"{"name":"my_secret","secretData":"apikey-123456xxxxxxxx"}"#,
        },
        tencent_case(
            "tencent_HmacSHA1_describe_api_keys_status",
            "Action=DescribeApiKeysStatus&limit=20&offset=0&secretIDs.0=AKIDXXXXWKipDlK\
             &Region=ap-guangzhou",
        ),
        // The scheme reads the HMAC from the parameter the SDK's Tencent quirk adds.
        tencent_case(
            "tencent_HmacSHA256_describe_api_keys_status",
            "Action=DescribeApiKeysStatus&limit=20&offset=0&secretIDs.0=AKIDXXXXWKipDlK\
             &Region=ap-guangzhou&SignatureMethod=HmacSHA256",
        ),
        Case {
            name: "huawei_sdk_hmac_list_ai_api_keys",
            scheme: "huawei-sdk-hmac-sha256",
            credential: key(
                "QTWAOYTTINDUT2QVKYUC",
                "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
            ),
            method: "GET",
            host: "apig.cn-north-4.myhuaweicloud.com",
            path: "/v2/77b6a44cba5143ab91d13ab9a8ff44fd/apigw/instances/eddc4d25480b4cd6b512f270a1b8b341/apps/9ed8b7fe84224de681e7d7a5587e76dc/ai-api-keys",
            query: "limit=20&offset=0",
            headers: headers(&[("accept", "application/json")]),
            body: b"",
        },
        Case {
            name: "azure_bearer_list_secrets",
            scheme: "azure-bearer",
            credential: Credential::Token(SecretString::from(
                "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.payload.signature",
            )),
            method: "POST",
            host: "management.azure.com",
            path: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/subscriptions/5931a769d8d14f0ad8ce13b8/listSecrets",
            query: "api-version=2024-05-01",
            headers: Vec::new(),
            body: b"",
        },
    ]
}

fn signing(c: &mut Criterion) {
    let mut group = c.benchmark_group("sign");
    let fresh = Freshness {
        now_unix: 1_767_744_000,
        nonce: 0x3156_8532_99f3_13e2_3d16_73dc_12e1_703d,
    };
    for case in cases() {
        // A build with some vendor features off compiles only their schemes.
        let Some(scheme) = keygate_auth::scheme(case.scheme) else {
            continue;
        };
        group.bench_function(case.name, |b| {
            b.iter(|| {
                let request = SignableRequest {
                    method: case.method,
                    host: case.host,
                    path: case.path,
                    query: case.query,
                    headers: &case.headers,
                    body: case.body,
                };
                black_box(scheme.sign(black_box(&request), &case.credential, fresh))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, signing);
criterion_main!(benches);
