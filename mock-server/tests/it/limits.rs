//! Huawei's clamping. (The transport's limits are in `bad_input`.)

use keygate_mock::AuthMode;

use crate::common::{HUAWEI_PATH, all_cases, client, json_of, server, without_ids};

#[tokio::test]
async fn huawei_clamps_limit_and_offset_instead_of_rejecting() {
    let s = server(AuthMode::Off).await;
    let (_, ids, op) = all_cases()
        .into_iter()
        .find(|(_, _, op)| op.id == "ListAiApiKeys")
        .expect("op");
    let documented = without_ids(op.responses["200"][0].1.clone(), &ids);
    for query in [
        "limit=0",
        "limit=-5",
        "limit=9999",
        "offset=-1",
        "limit=500&offset=0",
    ] {
        let response = client()
            .get(format!("{}{HUAWEI_PATH}?{query}", s.url()))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 200, "{query}");
        assert_eq!(json_of(response).await, documented, "{query}");
    }
}
