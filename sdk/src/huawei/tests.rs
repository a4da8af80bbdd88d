//! The SDK's request reproduces vendor-facts 3.3 C (derived vector for ListAiApiKeys).

use keygate_auth::Freshness;
use progenitor_client::ClientInfo as _;

use super::{Client, Credentials};

#[tokio::test]
async fn list_ai_api_keys_matches_the_derived_vector() {
    let client = Client::builder(Credentials::ak_sk(
        "QTWAOYTTINDUT2QVKYUC",
        "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
    ))
    .build()
    .unwrap();
    let request = client
        .client()
        .get(format!(
            "{}/v2/77b6a44cba5143ab91d13ab9a8ff44fd/apigw/instances/eddc4d25480b4cd6b512f270a1b8b341/apps/9ed8b7fe84224de681e7d7a5587e76dc/ai-api-keys",
            client.baseurl()
        ))
        .query(&[("limit", "20"), ("offset", "0")])
        // The vector signs content-type too, as the official SDK sends it even on GET.
        .header("content-type", "application/json")
        .build()
        .unwrap();
    // 2019-11-15T03:36:55Z; the scheme has no nonce.
    let fresh = Freshness {
        now_unix: 1_573_789_015,
        nonce: 0,
    };
    let request =
        crate::runtime::prepared_and_signed(&client, request, "list_ai_api_keys", fresh).await;
    let authorization = request.headers()["authorization"].to_str().unwrap();
    assert_eq!(
        authorization,
        "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, \
         Signature=c98ecf1d8d39f82fa64516f098e59b95ffbea551414e4c255c625549adfc3e5d"
    );
}

#[test]
fn the_project_id_is_a_setting() {
    use crate::runtime::Quirks as _;
    let mut quirks = super::HuaweiQuirks::default();
    quirks.configure("X-Project-Id", "p1").unwrap();
    assert!(quirks.configure("Region", "x").is_err());
}
