//! Fresh request ids where each vendor puts them, Azure's ETag and echoed headers.

use keygate_mock::AuthMode;

use crate::common::{ALIBABA_REFS_PATH, AZURE_PATH, client, json_of, server};

#[tokio::test]
async fn alibaba_ids_are_fresh_and_the_body_field_matches_the_header() {
    let s = server(AuthMode::Off).await;
    let mut seen = Vec::new();
    for _ in 0..2 {
        let response = client()
            .get(format!("{}{ALIBABA_REFS_PATH}", s.url()))
            .header("x-acs-action", "ListSecretReferences")
            .header("x-acs-version", "2024-03-27")
            .send()
            .await
            .expect("sent");
        let header = response.headers()["x-acs-request-id"]
            .to_str()
            .expect("ascii")
            .to_owned();
        let body = json_of(response).await;
        assert_eq!(body["requestId"], header.as_str());
        assert_eq!(header, header.to_uppercase());
        seen.push(header);
    }
    assert_ne!(seen[0], seen[1]);
}

#[tokio::test]
async fn azure_sends_etag_request_id_and_echoes_the_correlation_id() {
    let s = server(AuthMode::Off).await;
    let response = client()
        .post(format!("{}{AZURE_PATH}?api-version=2024-05-01", s.url()))
        .header("x-ms-correlation-request-id", "my-correlation")
        .send()
        .await
        .expect("sent");
    let headers = response.headers();
    assert_eq!(headers["etag"], "\"AAAAAAAAAAa=\"");
    assert_eq!(headers["x-ms-correlation-request-id"], "my-correlation");
    assert_eq!(headers["x-ms-request-id"].len(), 36);
}
