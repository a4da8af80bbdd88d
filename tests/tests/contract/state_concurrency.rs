//! Concurrent clients against the stateful mock: checks that change state are atomic, on each
//! store. With Redis, the requests are spread over two replicas sharing it, which must act as
//! one service.

use futures::future::join_all;
use keygate_mock::MockServer;
use keygate_sdk::{Error, SecretString, alibaba, azure, huawei};

use crate::lifecycle::{stateful_mock, stores};
use crate::sdk_calls::Target;

/// One replica per store in memory, two sharing Redis.
async fn replicas(store: &keygate_mock::StateConfig) -> Vec<MockServer> {
    let count = match store {
        keygate_mock::StateConfig::Redis { .. } => 2,
        _ => 1,
    };
    let mut servers = Vec::new();
    for _ in 0..count {
        servers.push(stateful_mock(store).await);
    }
    servers
}

/// An app no sample names: its scope starts empty.
const FRESH_APP: &str = "c0ffee00c0ffee00c0ffee00c0ffee00";

#[tokio::test]
async fn forty_concurrent_creates_in_one_huawei_app_leave_exactly_five_keys() {
    for (store, _redis) in stores("forty_creates_one_app") {
        let servers = replicas(&store).await;
        let clients: Vec<huawei::Client> = servers
            .iter()
            .map(|s| Target::new(s.url()).huawei())
            .collect();
        let creates = (0..40).map(|i| {
            clients[i % clients.len()]
                .create_ai_api_key()
                .project_id("77b6a44cba5143ab91d13ab9a8ff44fd")
                .instance_id("eddc4d25480b4cd6b512f270a1b8b341")
                .app_id(FRESH_APP)
                .body(huawei::types::AiApiKeyCreate::builder())
                .send()
        });
        let results = join_all(creates).await;
        let created = results.iter().filter(|r| r.is_ok()).count();
        let refusals: Vec<&str> = results
            .iter()
            .filter_map(|r| r.as_ref().err().and_then(Error::code))
            .collect();
        assert_eq!(created, 5, "{store:?}");
        assert_eq!(refusals.len(), 35, "{store:?}: {results:?}");
        assert!(refusals.iter().all(|c| *c == "APIG.3100"), "{refusals:?}");
        let listed = clients[0]
            .list_ai_api_keys()
            .project_id("77b6a44cba5143ab91d13ab9a8ff44fd")
            .instance_id("eddc4d25480b4cd6b512f270a1b8b341")
            .app_id(FRESH_APP)
            .send()
            .await
            .expect("listed");
        assert_eq!(listed.total, Some(5));
        for server in servers {
            server.shutdown().await;
        }
    }
}

const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";

#[tokio::test]
async fn concurrent_patches_with_one_etag_let_exactly_one_through() {
    for (store, _redis) in stores("patches_one_etag") {
        let servers = replicas(&store).await;
        let clients: Vec<azure::Client> = servers
            .iter()
            .map(|s| Target::new(s.url()).azure())
            .collect();
        let subscription: uuid::Uuid = SUBSCRIPTION.parse().unwrap();
        let created = clients[0]
            .subscription_create_or_update()
            .subscription_id(subscription)
            .resource_group_name("rg1")
            .service_name("apimService1")
            .sid("contended")
            .body_map(|b| {
                b.properties(
                    azure::types::SubscriptionCreateParameterProperties::builder()
                        .scope("/apis".to_owned())
                        .display_name("Contended".to_owned()),
                )
            })
            .send()
            .await
            .expect("created");
        let etag = created.etag().expect("an ETag").to_owned();
        let patches = (0..12).map(|i| {
            clients[i % clients.len()]
                .subscription_update()
                .subscription_id(subscription)
                .resource_group_name("rg1")
                .service_name("apimService1")
                .sid("contended")
                .if_match(etag.as_str())
                .body_map(move |b| {
                    b.properties(
                        azure::types::SubscriptionUpdateParameterProperties::try_from(
                            azure::types::SubscriptionUpdateParameterProperties::builder()
                                .display_name(format!("writer {i}")),
                        )
                        .unwrap(),
                    )
                })
                .send()
        });
        let results = join_all(patches).await;
        let won = results.iter().filter(|r| r.is_ok()).count();
        let stale = results
            .iter()
            .filter(|r| r.as_ref().err().and_then(Error::code) == Some("PreconditionFailed"))
            .count();
        assert_eq!((won, stale), (1, 11), "{store:?}: {results:?}");
        for server in servers {
            server.shutdown().await;
        }
    }
}

#[tokio::test]
async fn concurrent_puts_of_one_new_subscription_create_it_once() {
    for (store, _redis) in stores("puts_one_new_sid") {
        let servers = replicas(&store).await;
        let clients: Vec<azure::Client> = servers
            .iter()
            .map(|s| Target::new(s.url()).azure())
            .collect();
        let subscription: uuid::Uuid = SUBSCRIPTION.parse().unwrap();
        let puts = (0..12).map(|i| {
            clients[i % clients.len()]
                .subscription_create_or_update()
                .subscription_id(subscription)
                .resource_group_name("rg1")
                .service_name("apimService1")
                .sid("raced")
                .body_map(|b| {
                    b.properties(
                        azure::types::SubscriptionCreateParameterProperties::builder()
                            .scope("/apis".to_owned())
                            .display_name("Raced".to_owned()),
                    )
                })
                .send()
        });
        let results = join_all(puts).await;
        let statuses: Vec<u16> = results
            .iter()
            .map(|r| {
                r.as_ref()
                    .map(|ok| ok.status())
                    .expect("every PUT succeeds")
            })
            .collect();
        assert_eq!(
            statuses.iter().filter(|s| **s == 201).count(),
            1,
            "{statuses:?}"
        );
        assert!(
            statuses.iter().all(|s| *s == 201 || *s == 200),
            "{statuses:?}"
        );
        for server in servers {
            server.shutdown().await;
        }
    }
}

#[tokio::test]
async fn a_mixed_concurrent_workload_loses_no_write() {
    for (store, _redis) in stores("mixed_workload") {
        let servers = replicas(&store).await;
        let clients: Vec<alibaba::Client> = servers
            .iter()
            .map(|s| Target::new(s.url()).alibaba())
            .collect();
        let before = count_secrets(&clients[0]).await;
        // 20 workers, each: create three secrets, rotate one, delete one.
        let workers = (0..20).map(|worker| {
            let client = clients[worker % clients.len()].clone();
            async move {
                let mut ids = Vec::new();
                for n in 0..3 {
                    let name = format!("w{worker}_n{n}");
                    let created = client
                        .create_secret()
                        .body(
                            alibaba::types::CreateSecretRequest::builder()
                                .name(
                                    alibaba::types::CreateSecretRequestName::try_from(
                                        name.as_str(),
                                    )
                                    .unwrap(),
                                )
                                .secret_data(SecretString::from("v1")),
                        )
                        .send()
                        .await
                        .expect("created");
                    ids.push(
                        created
                            .data
                            .clone()
                            .and_then(|d| d.secret_id)
                            .expect("an id"),
                    );
                }
                client
                    .update_secret()
                    .secret_id(&ids[1])
                    .body(
                        alibaba::types::UpdateSecretRequest::builder()
                            .secret_data(SecretString::from("v2")),
                    )
                    .send()
                    .await
                    .expect("rotated");
                client
                    .delete_secret()
                    .secret_id(&ids[0])
                    .send()
                    .await
                    .expect("deleted");
            }
        });
        join_all(workers).await;
        for client in &clients {
            assert_eq!(count_secrets(client).await, before + 40, "{store:?}");
        }
        let rotated = clients[0]
            .get_secret_value()
            .name("w7_n1")
            .send()
            .await
            .expect("value");
        let value = rotated.data.as_ref().and_then(|d| d.secret_data.as_ref());
        assert_eq!(value.map(SecretString::expose_secret), Some("v2"));
        for server in servers {
            server.shutdown().await;
        }
    }
}

async fn count_secrets(client: &alibaba::Client) -> usize {
    use futures::TryStreamExt as _;
    let all: Vec<_> = client
        .list_secrets()
        .page_size(100u32)
        .into_stream()
        .try_collect()
        .await
        .expect("listed");
    all.len()
}
