//! The SDK's requests reproduce vendor-facts 2.3's derived vectors for DescribeApiKeysStatus.

use keygate_auth::Freshness;
use progenitor_client::ClientInfo as _;

use super::{Client, Credentials, RequestMethod, SignatureMethod};

async fn signed(method: RequestMethod, signature: SignatureMethod) -> Vec<(String, String)> {
    let client = Client::builder(Credentials::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA",
        "Gu5t9xGARNpq86cd98joQYCN3Cozk1qA",
    ))
    .region("ap-guangzhou")
    .request_method(method)
    .signature_method(signature)
    .build()
    .unwrap();
    let request = client
        .client()
        .get(format!(
            "{}/v2/index.php#Action=DescribeApiKeysStatus",
            client.baseurl()
        ))
        .query(&[
            ("limit", "20"),
            ("offset", "0"),
            ("secretIDs", "AKIDXXXXWKipDlK"),
        ])
        .build()
        .unwrap();
    let fresh = Freshness {
        now_unix: 1_465_185_768,
        nonce: 11_886,
    };
    let request =
        crate::runtime::prepared_and_signed(&client, request, "describe_api_keys_status", fresh)
            .await;
    match method {
        RequestMethod::Get => request.url().query_pairs().into_owned().collect(),
        RequestMethod::Post => keygate_auth::decode_pairs(
            std::str::from_utf8(request.body().unwrap().as_bytes().unwrap()).unwrap(),
        ),
    }
}

fn signature(params: &[(String, String)]) -> &str {
    &params.iter().find(|(n, _)| n == "Signature").unwrap().1
}

#[tokio::test]
async fn get_with_hmac_sha256_matches_the_derived_vector() {
    let params = signed(RequestMethod::Get, SignatureMethod::HmacSha256).await;
    assert_eq!(
        signature(&params),
        "kSm87J7E4wqrc1LBMu2xMmFyEc9mZOSjws03Ra4mKso="
    );
}

#[tokio::test]
async fn post_signs_over_post() {
    let get = signed(RequestMethod::Get, SignatureMethod::HmacSha256).await;
    let post = signed(RequestMethod::Post, SignatureMethod::HmacSha256).await;
    assert_eq!(get.len(), post.len());
    assert_ne!(
        signature(&get),
        signature(&post),
        "the method is part of the string to sign"
    );
}

#[test]
fn settings_by_name_and_a_region_is_required() {
    use crate::runtime::Quirks as _;
    let mut quirks = super::TencentQuirks::default();
    assert!(quirks.check().is_err());
    quirks.configure("Region", "ap-guangzhou").unwrap();
    quirks.configure("method", "POST").unwrap();
    quirks.configure("SignatureMethod", "HmacSHA256").unwrap();
    assert!(quirks.check().is_ok());
    assert!(quirks.configure("method", "PUT").is_err());
    assert!(quirks.configure("Token", "x").is_err());
}
