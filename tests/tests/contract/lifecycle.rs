//! A key's whole life, per vendor, through the signed SDK against the stateful mock in verify
//! mode, on each store: create, read, list, update or rotate, delete, then not found.

use futures::TryStreamExt as _;
use keygate_mock::testing::RedisServer;
use keygate_mock::{MockServer, StateConfig};
use keygate_sdk::{Error, SecretString, alibaba, azure, huawei};

use crate::sdk_calls::{Target, verifying_engine};

/// The stores a lifecycle runs on: memory, and Redis where `redis-server` is installed (under
/// `CI=true` it must be). The server is kept alive as long as the returned value.
pub(crate) fn stores(test: &str) -> Vec<(StateConfig, Option<RedisServer>)> {
    let mut stores = vec![(StateConfig::Memory, None)];
    if let Some(redis) = RedisServer::start_or_skip(test) {
        let config = StateConfig::Redis {
            url: redis.url(),
            namespace: test.to_owned(),
        };
        stores.push((config, Some(redis)));
    }
    stores
}

/// The mock in verify mode, keeping state in `store`.
pub(crate) async fn stateful_mock(store: &StateConfig) -> MockServer {
    MockServer::builder()
        .engine(verifying_engine().state(store.clone()))
        .start()
        .await
        .expect("mock starts")
}

/// The vendor's error code, for a failed call.
fn code(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(error) => error.code().unwrap_or("not a service error").to_owned(),
        Ok(answer) => panic!("expected an error, got {answer:?}"),
    }
}

const PROJECT: &str = "77b6a44cba5143ab91d13ab9a8ff44fd";
const INSTANCE: &str = "eddc4d25480b4cd6b512f270a1b8b341";
const APP: &str = "9ed8b7fe84224de681e7d7a5587e76dc";

#[tokio::test]
async fn huawei_ai_key_create_read_list_delete_then_not_found() {
    for (store, _redis) in stores("huawei_ai_key_lifecycle") {
        let server = stateful_mock(&store).await;
        let client = Target::new(server.url()).huawei();
        let created = client
            .create_ai_api_key()
            .project_id(PROJECT)
            .instance_id(INSTANCE)
            .app_id(APP)
            .body(
                huawei::types::AiApiKeyCreate::builder()
                    .alias(huawei::types::AiApiKeyCreateAlias::try_from("lifecycle").unwrap()),
            )
            .send()
            .await
            .expect("created");
        let id = created.id.clone().expect("an id");
        let key = created.ai_api_key.clone().expect("a generated key");

        let shown = client
            .show_details_of_ai_api_key()
            .project_id(PROJECT)
            .instance_id(INSTANCE)
            .app_id(APP)
            .ai_api_key_id(id.as_str())
            .send()
            .await
            .expect("read");
        assert_eq!(shown.alias.as_deref(), Some("lifecycle"));
        assert_eq!(
            shown.ai_api_key.as_ref().map(SecretString::expose_secret),
            Some(key.expose_secret())
        );

        let listed: Vec<_> = client
            .list_ai_api_keys()
            .project_id(PROJECT)
            .instance_id(INSTANCE)
            .app_id(APP)
            .into_stream()
            .try_collect()
            .await
            .expect("listed");
        let mine = listed
            .iter()
            .find(|k| k.id.as_deref() == Some(&id))
            .expect("listed");
        let masked = mine
            .ai_api_key
            .as_ref()
            .expect("masked key")
            .expose_secret();
        assert!(
            masked.contains("*******") && masked != key.expose_secret(),
            "{masked}"
        );

        client
            .delete_ai_api_key()
            .project_id(PROJECT)
            .instance_id(INSTANCE)
            .app_id(APP)
            .ai_api_key_id(id.as_str())
            .send()
            .await
            .expect("deleted");
        let gone = client
            .show_details_of_ai_api_key()
            .project_id(PROJECT)
            .instance_id(INSTANCE)
            .app_id(APP)
            .ai_api_key_id(id.as_str())
            .send()
            .await;
        assert_eq!(code(gone), "APIG.3088", "{store:?}");
        server.shutdown().await;
    }
}

#[tokio::test]
async fn alibaba_secret_create_read_list_rotate_delete_then_not_found() {
    for (store, _redis) in stores("alibaba_secret_lifecycle") {
        let server = stateful_mock(&store).await;
        let client = Target::new(server.url()).alibaba();
        let created = client
            .create_secret()
            .body(
                alibaba::types::CreateSecretRequest::builder()
                    .name(alibaba::types::CreateSecretRequestName::try_from("life_key").unwrap())
                    .secret_data(SecretString::from("apikey-v1")),
            )
            .send()
            .await
            .expect("created");
        let id = created
            .data
            .as_ref()
            .and_then(|d| d.secret_id.clone())
            .expect("an id");
        assert!(
            id.starts_with("sec-") && id != "sec-d5e6shmm1hkoxxxxxxxx",
            "{id}"
        );

        let read = client
            .get_secret()
            .secret_id(&id)
            .send()
            .await
            .expect("read");
        assert_eq!(
            read.data.as_ref().and_then(|d| d.name.as_deref()),
            Some("life_key")
        );
        let value = |v: &alibaba::types::GetSecretValueResponse| {
            v.data
                .as_ref()
                .and_then(|d| d.secret_data.as_ref())
                .map(|s| s.expose_secret().to_owned())
        };
        let first = client
            .get_secret_value()
            .name("life_key")
            .send()
            .await
            .expect("value");
        assert_eq!(value(&first).as_deref(), Some("apikey-v1"));

        let listed: Vec<_> = client
            .list_secrets()
            .into_stream()
            .try_collect()
            .await
            .expect("listed");
        assert!(listed.iter().any(|s| s.secret_id.as_deref() == Some(&id)));

        client
            .update_secret()
            .secret_id(&id)
            .body(
                alibaba::types::UpdateSecretRequest::builder()
                    .secret_data(SecretString::from("apikey-v2")),
            )
            .send()
            .await
            .expect("rotated");
        let second = client
            .get_secret_value()
            .name("life_key")
            .send()
            .await
            .expect("value");
        assert_eq!(value(&second).as_deref(), Some("apikey-v2"));

        client
            .delete_secret()
            .secret_id(&id)
            .send()
            .await
            .expect("deleted");
        let gone = client.get_secret().secret_id(&id).send().await;
        assert_eq!(code(gone), "NotFound.SecretNotFound", "{store:?}");
        server.shutdown().await;
    }
}

#[tokio::test]
async fn tencent_key_create_read_list_rotate_disable_delete_then_not_found() {
    for (store, _redis) in stores("tencent_key_lifecycle") {
        let server = stateful_mock(&store).await;
        for variant in [&[][..], &[("method", "POST")][..]] {
            let client = Target::new(server.url()).with_variant(variant).tencent();
            let created = client
                .create_api_key()
                .secret_name("life")
                .send()
                .await
                .expect("created");
            let id = created.secret_id.clone().expect("an id");
            let first_key = created.secret_key.clone().expect("a key");

            let read = client
                .describe_api_key()
                .secret_id(&id)
                .send()
                .await
                .expect("read");
            assert_eq!(read.secret_name.as_deref(), Some("life"));
            assert_eq!(
                read.secret_key.as_ref().map(SecretString::expose_secret),
                Some(first_key.expose_secret())
            );
            let listed: Vec<_> = client
                .describe_api_keys_status()
                .into_stream()
                .try_collect()
                .await
                .expect("listed");
            assert!(listed.iter().any(|k| k.secret_id.as_deref() == Some(&id)));

            let rotated = client
                .update_api_key()
                .secret_id(&id)
                .send()
                .await
                .expect("rotated");
            let new_key = rotated.secret_key.clone().expect("a new key");
            assert_ne!(new_key.expose_secret(), first_key.expose_secret());
            let reread = client
                .describe_api_key()
                .secret_id(&id)
                .send()
                .await
                .expect("read");
            assert_eq!(
                reread.secret_key.as_ref().map(SecretString::expose_secret),
                Some(new_key.expose_secret())
            );

            // An enabled key cannot be deleted: disable it first.
            let refused = client.delete_api_key().secret_id(&id).send().await;
            assert_eq!(code(refused), "5100");
            client
                .disable_api_key()
                .secret_id(&id)
                .send()
                .await
                .expect("disabled");
            client
                .delete_api_key()
                .secret_id(&id)
                .send()
                .await
                .expect("deleted");
            let gone = client.describe_api_key().secret_id(&id).send().await;
            assert_eq!(code(gone), "5000", "{store:?} {variant:?}");
        }
        server.shutdown().await;
    }
}

const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";

/// The subscription's keys, as listSecrets shows them.
async fn keys(client: &azure::Client, sid: &str) -> azure::types::SubscriptionKeysContract {
    client
        .subscription_list_secrets()
        .subscription_id(SUBSCRIPTION.parse::<uuid::Uuid>().unwrap())
        .resource_group_name("rg1")
        .service_name("apimService1")
        .sid(sid)
        .send()
        .await
        .expect("keys")
        .into_inner()
}

#[tokio::test]
async fn azure_subscription_create_read_list_rotate_update_delete_then_not_found() {
    for (store, _redis) in stores("azure_subscription_lifecycle") {
        let server = stateful_mock(&store).await;
        let client = Target::new(server.url()).azure();
        let sid = "lifecycle-sub";
        let created = client
            .subscription_create_or_update()
            .subscription_id(SUBSCRIPTION.parse::<uuid::Uuid>().unwrap())
            .resource_group_name("rg1")
            .service_name("apimService1")
            .sid(sid)
            .body_map(|b| {
                b.properties(
                    azure::types::SubscriptionCreateParameterProperties::builder()
                        .scope("/apis".to_owned())
                        .display_name("Lifecycle".to_owned()),
                )
            })
            .send()
            .await
            .expect("created");
        assert_eq!(created.status(), 201);
        let created_etag = created.etag().expect("an ETag").to_owned();

        let read = client
            .subscription_get()
            .subscription_id(SUBSCRIPTION.parse::<uuid::Uuid>().unwrap())
            .resource_group_name("rg1")
            .service_name("apimService1")
            .sid(sid)
            .send()
            .await
            .expect("read");
        assert_eq!(read.etag(), Some(created_etag.as_str()));
        let before = keys(&client, sid).await;

        let listed: Vec<_> = client
            .subscription_list()
            .subscription_id(SUBSCRIPTION.parse::<uuid::Uuid>().unwrap())
            .resource_group_name("rg1")
            .service_name("apimService1")
            .top(2)
            .into_stream()
            .try_collect()
            .await
            .expect("listed");
        assert!(listed.iter().any(|s| s.name.as_deref() == Some(sid)));

        client
            .subscription_regenerate_primary_key()
            .subscription_id(SUBSCRIPTION.parse::<uuid::Uuid>().unwrap())
            .resource_group_name("rg1")
            .service_name("apimService1")
            .sid(sid)
            .send()
            .await
            .expect("rotated");
        let after = keys(&client, sid).await;
        let text = |k: &Option<SecretString>| k.as_ref().map(|s| s.expose_secret().to_owned());
        assert_ne!(text(&after.primary_key), text(&before.primary_key));
        assert_eq!(text(&after.secondary_key), text(&before.secondary_key));

        let current = client
            .subscription_get_entity_tag()
            .subscription_id(SUBSCRIPTION.parse::<uuid::Uuid>().unwrap())
            .resource_group_name("rg1")
            .service_name("apimService1")
            .sid(sid)
            .send()
            .await
            .expect("etag")
            .etag()
            .expect("an ETag")
            .to_owned();
        assert_ne!(current, created_etag, "a rotation is a write");
        let stale = client
            .subscription_update()
            .subscription_id(SUBSCRIPTION.parse::<uuid::Uuid>().unwrap())
            .resource_group_name("rg1")
            .service_name("apimService1")
            .sid(sid)
            .if_match(created_etag.as_str())
            .body(azure::types::SubscriptionUpdateParameters::default())
            .send()
            .await;
        assert_eq!(code(stale), "PreconditionFailed");
        let updated = client
            .subscription_update()
            .subscription_id(SUBSCRIPTION.parse::<uuid::Uuid>().unwrap())
            .resource_group_name("rg1")
            .service_name("apimService1")
            .sid(sid)
            .if_match(current.as_str())
            .body_map(|b| {
                b.properties(
                    azure::types::SubscriptionUpdateParameterProperties::try_from(
                        azure::types::SubscriptionUpdateParameterProperties::builder()
                            .display_name("Renamed".to_owned()),
                    )
                    .unwrap(),
                )
            })
            .send()
            .await
            .expect("updated");
        let renamed = updated
            .properties
            .as_ref()
            .and_then(|p| p.display_name.clone());
        assert_eq!(renamed.as_deref(), Some("Renamed"));

        client
            .subscription_delete()
            .subscription_id(SUBSCRIPTION.parse::<uuid::Uuid>().unwrap())
            .resource_group_name("rg1")
            .service_name("apimService1")
            .sid(sid)
            .if_match(updated.etag().expect("an ETag"))
            .send()
            .await
            .expect("deleted");
        let gone = client
            .subscription_get()
            .subscription_id(SUBSCRIPTION.parse::<uuid::Uuid>().unwrap())
            .resource_group_name("rg1")
            .service_name("apimService1")
            .sid(sid)
            .send()
            .await;
        assert_eq!(code(gone), "ResourceNotFound", "{store:?}");
        server.shutdown().await;
    }
}

#[tokio::test]
async fn conflicts_get_the_vendors_own_refusals() {
    for (store, _redis) in stores("conflicts") {
        let server = stateful_mock(&store).await;
        let target = Target::new(server.url());

        // Alibaba: names are unique.
        let alibaba = target.alibaba();
        let create = || {
            alibaba
                .create_secret()
                .body(
                    alibaba::types::CreateSecretRequest::builder()
                        .name(alibaba::types::CreateSecretRequestName::try_from("twice").unwrap())
                        .secret_data(SecretString::from("v")),
                )
                .send()
        };
        create().await.expect("the first");
        assert_eq!(code(create().await), "Conflict.SecretNameDuplicate");

        // Tencent: a custom secretID is unique.
        let tencent = target.tencent();
        let custom = || {
            tencent
                .create_api_key()
                .type_(keygate_sdk::tencent::types::CreateApiKeyType::Manual)
                .secret_id("mine_12345")
                .secret_key(SecretString::from("custom_key_0123456789"))
                .send()
        };
        custom().await.expect("the first");
        assert_eq!(code(custom().await), "5100");

        // Azure: a PATCH needs If-Match (ARM's 400), a stale one gets 412.
        let url = format!(
            "{}/subscriptions/{SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/subscriptions/5931a769d8d14f0ad8ce13b8?api-version=2024-05-01",
            server.url()
        );
        let patch = reqwest::Client::new()
            .patch(&url)
            .bearer_auth("token")
            .json(&serde_json::json!({"properties": {"displayName": "x"}}));
        let missing = patch.try_clone().unwrap().send().await.unwrap();
        assert_eq!(missing.status(), 400);
        let stale = patch.header("If-Match", "\"stale\"").send().await.unwrap();
        assert_eq!(stale.status(), 412);
        server.shutdown().await;
    }
}
