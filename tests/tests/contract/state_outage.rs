//! Redis stopped under a running mock, then started again: meanwhile the stateful operations
//! answer the vendor's own "try again later" error and the others keep serving; afterwards
//! the same mock process serves everything again.

use std::time::{Duration, Instant};

use keygate_mock::StateConfig;
use keygate_mock::testing::RedisServer;
use keygate_sdk::{Error, huawei};

use crate::lifecycle::stateful_mock;
use crate::sdk_calls::Target;

const PROJECT: &str = "77b6a44cba5143ab91d13ab9a8ff44fd";
const INSTANCE: &str = "eddc4d25480b4cd6b512f270a1b8b341";
const APP: &str = "9ed8b7fe84224de681e7d7a5587e76dc";

async fn create(client: &huawei::Client) -> Result<String, Error> {
    let created = client
        .create_ai_api_key()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .app_id(APP)
        .body(huawei::types::AiApiKeyCreate::builder())
        .send()
        .await?;
    Ok(created.id.clone().unwrap_or_default())
}

#[tokio::test]
async fn a_redis_outage_gets_the_vendors_error_and_the_mock_recovers_by_itself() {
    let Some(mut redis) = RedisServer::start_or_skip("redis_outage") else {
        return;
    };
    let store = StateConfig::Redis {
        url: redis.url(),
        namespace: "outage".into(),
    };
    let server = stateful_mock(&store).await;
    let client = Target::new(server.url()).huawei();
    create(&client).await.expect("created while Redis is up");

    redis.stop();
    let refused = create(&client).await.expect_err("no store, no create");
    assert!(
        matches!(refused, Error::Service { .. }),
        "an error in Huawei's own format, not {refused:?}"
    );
    // What needs no state is still served: Alibaba's references are a documented sample.
    let references = Target::new(server.url())
        .alibaba()
        .list_secret_references()
        .secret_id("sec-d5e6shmm1hkoxxxxxxxx")
        .send()
        .await;
    assert!(references.is_ok(), "{references:?}");

    redis.restart().expect("Redis restarts on the same port");
    // The mock reconnects by itself; the first calls may still meet the old connection.
    let deadline = Instant::now() + Duration::from_secs(15);
    let recovered = loop {
        match create(&client).await {
            Ok(id) => break id,
            Err(error) if Instant::now() < deadline => {
                assert!(matches!(error, Error::Service { .. }), "{error:?}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(error) => panic!("no recovery within 15 s: {error:?}"),
        }
    };
    let shown = client
        .show_details_of_ai_api_key()
        .project_id(PROJECT)
        .instance_id(INSTANCE)
        .app_id(APP)
        .ai_api_key_id(recovered.as_str())
        .send()
        .await
        .expect("the new key is stored");
    assert_eq!(shown.id.as_deref(), Some(recovered.as_str()));
    server.shutdown().await;
}
