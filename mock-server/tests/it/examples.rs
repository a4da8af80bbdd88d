//! Every documented example of every operation, discovered from the specs, is served.

use keygate_mock::AuthMode;

use crate::common::{all_cases, client, json_of, replay_server, server, without_ids};

#[tokio::test]
async fn every_documented_example_is_reachable_via_prefer_and_equal_to_the_spec() {
    let server = server(AuthMode::Off).await;
    let client = client();
    let mut checked = 0;
    for (vendor, ids, op) in all_cases() {
        for (status, examples) in &op.responses {
            for (name, expected) in examples {
                let response = op
                    .request(&client, server.url())
                    .header("Prefer", format!("code={status}, example={name}"))
                    .send()
                    .await
                    .expect("sent");
                let context = format!("{vendor} {} {status} {name}", op.id);
                assert_eq!(response.status().as_str(), status, "{context}");
                let got = json_of(response).await;
                assert_eq!(
                    without_ids(got, &ids),
                    without_ids(expected.clone(), &ids),
                    "{context}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 30, "only {checked} examples found");
}

/// The replay mock (state off); with state, a create answers a fresh record instead.
#[tokio::test]
async fn without_preference_the_first_2xx_example_is_served() {
    let server = replay_server(AuthMode::Off).await;
    let client = client();
    for (vendor, ids, op) in all_cases() {
        let status = &op.default_status;
        let examples = &op.responses[status];
        let response = op
            .request(&client, server.url())
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status().as_str(), status, "{vendor} {}", op.id);
        if examples.is_empty() {
            let body = response.bytes().await.expect("body");
            assert!(
                body.is_empty(),
                "{vendor} {}: documented without content",
                op.id
            );
            continue;
        }
        let got = json_of(response).await;
        assert_eq!(
            without_ids(got, &ids),
            without_ids(examples[0].1.clone(), &ids),
            "{vendor} {}",
            op.id
        );
    }
}
