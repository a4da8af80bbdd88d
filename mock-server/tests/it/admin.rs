//! The admin surface under `/__keygate/`: journal, state dump (secrets redacted), reset, and
//! who may call it (open on loopback, the admin token elsewhere).

use std::net::{Ipv4Addr, SocketAddr};

use keygate_mock::{AuthMode, Fault, MockServer, REDACTED, StateConfig};
use serde_json::{Value, json};

use crate::common::{HUAWEI_PATH, all_cases, client, json_of, replay_server};

const TOKEN: &str = "admin-token-7f3c9a1e";

async fn server_with_token() -> MockServer {
    MockServer::builder()
        .auth(AuthMode::Off)
        .admin_token(TOKEN)
        .start()
        .await
        .expect("mock starts")
}

async fn open_server() -> MockServer {
    MockServer::builder()
        .auth(AuthMode::Off)
        .start()
        .await
        .expect("mock starts")
}

/// Creates a Huawei AI API key in the documented app; its id and value.
async fn create_huawei_key(base: &str, alias: &str) -> (String, String) {
    let response = client()
        .post(format!("{base}{HUAWEI_PATH}"))
        .json(&json!({ "alias": alias }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let body = json_of(response).await;
    let id = body["id"].as_str().expect("id").to_owned();
    let key = body["ai_api_key"].as_str().expect("ai_api_key").to_owned();
    (id, key)
}

async fn huawei_key_status(base: &str, id: &str) -> u16 {
    client()
        .get(format!("{base}{HUAWEI_PATH}/{id}"))
        .send()
        .await
        .expect("sent")
        .status()
        .as_u16()
}

/// How many records the dump holds for `vendor`.
fn records_of(dump: &Value, vendor: &str) -> usize {
    dump["scopes"]
        .as_array()
        .expect("scopes")
        .iter()
        .filter(|scope| {
            scope["scope"]
                .as_str()
                .is_some_and(|s| s.starts_with(&format!("{vendor}/")))
        })
        .map(|scope| scope["records"].as_array().expect("records").len())
        .sum()
}

async fn admin(
    method: reqwest::Method,
    base: &str,
    path: &str,
    token: Option<&str>,
) -> reqwest::Response {
    let mut request = client().request(method, format!("{base}{path}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("sent")
}

/// The neutral error answer: `{"code", "message"}`, JSON, no vendor's fields.
async fn neutral_error(response: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body = json_of(response).await;
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("keygate-mock: ")),
        "{body}"
    );
    assert_eq!(body.as_object().map(|o| o.len()), Some(2), "{body}");
    body
}

#[tokio::test]
async fn the_journal_lists_requests_without_query_or_header_values() {
    let server = MockServer::builder().start().await.expect("mock starts");
    let base = server.url();
    let listed = client()
        .get(format!("{base}{HUAWEI_PATH}?limit=20&offset=0"))
        .header("X-Auth-Token", "header-secret-4821")
        .send()
        .await
        .expect("sent");
    assert_eq!(listed.status(), 200);
    let refused = client()
        .get(format!("{base}{HUAWEI_PATH}?marker=query-secret-9313"))
        .send()
        .await
        .expect("sent");
    assert_eq!(refused.status(), 401);
    let unknown = client()
        .get(format!("{base}/no/such/path"))
        .send()
        .await
        .expect("sent");
    assert_eq!(unknown.status(), 404);

    let response = admin(reqwest::Method::GET, base, "/__keygate/journal", None).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let text = response.text().await.expect("body");
    for secret in ["header-secret-4821", "query-secret-9313", "limit=", "?"] {
        assert!(!text.contains(secret), "journal shows {secret}: {text}");
    }
    let journal: Vec<Value> = serde_json::from_str(&text).expect("JSON array");
    let seen: Vec<(&str, &str, Option<&str>, u64)> = journal
        .iter()
        .map(|e| {
            (
                e["method"].as_str().expect("method"),
                e["path"].as_str().expect("path"),
                e["operation"].as_str(),
                e["status"].as_u64().expect("status"),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("GET", HUAWEI_PATH, Some("ListAiApiKeys"), 200),
            ("GET", HUAWEI_PATH, Some("ListAiApiKeys"), 401),
            ("GET", "/no/such/path", None, 404),
        ]
    );
    assert_eq!(journal[0]["vendor"], "huawei");
    assert!(journal[0]["at_ms"].as_u64().is_some_and(|ms| ms > 0));

    // Admin requests are not journaled: reading it again finds the same three entries.
    assert_eq!(server.journal().len(), 3);
    let cleared = admin(reqwest::Method::DELETE, base, "/__keygate/journal", None).await;
    assert_eq!(cleared.status(), 200);
    assert!(server.journal().is_empty());
    let empty = admin(reqwest::Method::GET, base, "/__keygate/journal", None).await;
    assert_eq!(json_of(empty).await, json!([]));
    server.shutdown().await;
}

#[tokio::test]
async fn a_dump_redacts_secrets_unless_the_token_holder_asks() {
    let server = server_with_token().await;
    let base = server.url();
    let (id, key) = create_huawei_key(base, "dumped").await;

    let redacted = admin(reqwest::Method::GET, base, "/__keygate/state", None).await;
    assert_eq!(redacted.status(), 200);
    assert_eq!(redacted.headers()["cache-control"], "no-store");
    let text = redacted.text().await.expect("body");
    assert!(text.contains(&id), "the dump lists the created key");
    assert!(!text.contains(&key), "the dump shows the key value: {text}");
    assert!(text.contains(REDACTED));
    // The documented keys' values are secrets too.
    assert!(!text.contains("GjOD3g80AABuuFeEJpVQADBlAjBh3UzC7W8LcCcPZN"));

    let revealed = admin(
        reqwest::Method::GET,
        base,
        "/__keygate/state?secrets=reveal",
        Some(TOKEN),
    )
    .await;
    assert_eq!(revealed.status(), 200);
    let text = revealed.text().await.expect("body");
    assert!(text.contains(&key), "the token holder sees the key: {text}");

    // Asking without the token, or with another, is refused; holding it without asking
    // still redacts.
    let anonymous = admin(
        reqwest::Method::GET,
        base,
        "/__keygate/state?secrets=reveal",
        None,
    )
    .await;
    assert_eq!(
        anonymous.headers()["www-authenticate"],
        "Bearer realm=\"keygate-mock admin\""
    );
    let body = neutral_error(anonymous, 401, "unauthorized").await;
    assert!(!body.to_string().contains(&key));
    let wrong = admin(
        reqwest::Method::GET,
        base,
        "/__keygate/state?secrets=reveal",
        Some("admin-token-guess"),
    )
    .await;
    let body = neutral_error(wrong, 401, "unauthorized").await;
    assert!(!body.to_string().contains(TOKEN), "{body}");
    let unasked = admin(reqwest::Method::GET, base, "/__keygate/state", Some(TOKEN)).await;
    assert!(!unasked.text().await.expect("body").contains(&key));

    // In-process, the same dump.
    let dump = server.state_dump(false).await.expect("dump");
    assert!(!dump.to_string().contains(&key));
    let dump = server.state_dump(true).await.expect("dump");
    assert!(dump.to_string().contains(&key));
    server.shutdown().await;
}

#[tokio::test]
async fn revealing_secrets_without_a_configured_token_is_refused_even_on_loopback() {
    let server = open_server().await;
    let base = server.url();
    let (_, key) = create_huawei_key(base, "hidden").await;
    for token in [None, Some("any-token")] {
        let response = admin(
            reqwest::Method::GET,
            base,
            "/__keygate/state?secrets=reveal",
            token,
        )
        .await;
        let body = neutral_error(response, 403, "forbidden").await;
        assert!(!body.to_string().contains(&key));
    }
    // The redacted dump is open on loopback.
    let redacted = admin(reqwest::Method::GET, base, "/__keygate/state", None).await;
    assert_eq!(redacted.status(), 200);
    assert!(!redacted.text().await.expect("body").contains(&key));
    server.shutdown().await;
}

#[tokio::test]
async fn a_reset_puts_the_documented_state_back() {
    let server = open_server().await;
    let base = server.url();
    let documented = client()
        .get(format!("{base}{HUAWEI_PATH}?limit=20"))
        .send()
        .await
        .expect("sent");
    let documented = json_of(documented).await;
    let documented_id = documented["ai_api_keys"][0]["id"]
        .as_str()
        .expect("documented id")
        .to_owned();
    let (created, _) = create_huawei_key(base, "ephemeral").await;
    let deleted = client()
        .delete(format!("{base}{HUAWEI_PATH}/{documented_id}"))
        .send()
        .await
        .expect("sent");
    assert!(deleted.status().is_success(), "{}", deleted.status());
    assert_eq!(huawei_key_status(base, &documented_id).await, 404);
    assert_eq!(huawei_key_status(base, &created).await, 200);

    let reset = admin(reqwest::Method::DELETE, base, "/__keygate/state", None).await;
    assert_eq!(reset.status(), 200);
    let body = json_of(reset).await;
    let vendors: Vec<&str> = server.engine().vendors().collect();
    assert_eq!(body, json!({ "reset": vendors }));

    assert_eq!(huawei_key_status(base, &created).await, 404);
    assert_eq!(huawei_key_status(base, &documented_id).await, 200);
    let listed = client()
        .get(format!("{base}{HUAWEI_PATH}?limit=20"))
        .send()
        .await
        .expect("sent");
    let mut listed = json_of(listed).await;
    let mut documented = documented;
    // Request ids are fresh on every answer; the rest is the documented listing again.
    for body in [&mut listed, &mut documented] {
        body.as_object_mut().expect("object").remove("request_id");
    }
    assert_eq!(listed, documented);
    server.shutdown().await;
}

#[tokio::test]
async fn resetting_one_vendor_leaves_the_others() {
    let server = open_server().await;
    let base = server.url();
    let seeded = server.state_dump(false).await.expect("dump");
    let (huawei_key, _) = create_huawei_key(base, "reset-me").await;
    let tencent_create = all_cases()
        .into_iter()
        .find(|(vendor, _, op)| vendor == "tencent" && op.id == "CreateApiKey")
        .expect("Tencent CreateApiKey")
        .2;
    let created = tencent_create
        .request(&client(), base)
        .send()
        .await
        .expect("sent");
    assert_eq!(created.status(), 200);
    let created = json_of(created).await;
    assert!(created["secretID"].is_string(), "{created}");
    let before = server.state_dump(false).await.expect("dump");
    assert_eq!(
        records_of(&before, "tencent"),
        records_of(&seeded, "tencent") + 1
    );
    assert_eq!(
        records_of(&before, "huawei"),
        records_of(&seeded, "huawei") + 1
    );

    let reset = admin(
        reqwest::Method::DELETE,
        base,
        "/__keygate/state/huawei",
        None,
    )
    .await;
    assert_eq!(json_of(reset).await, json!({"reset": ["huawei"]}));
    let after = server.state_dump(false).await.expect("dump");
    assert_eq!(records_of(&after, "huawei"), records_of(&seeded, "huawei"));
    assert_eq!(
        records_of(&after, "tencent"),
        records_of(&before, "tencent")
    );
    assert_eq!(huawei_key_status(base, &huawei_key).await, 404);

    // In-process, the same.
    server.reset_state(Some("tencent")).await.expect("reset");
    let dump = server.state_dump(false).await.expect("dump");
    assert_eq!(records_of(&dump, "tencent"), records_of(&seeded, "tencent"));

    let unknown = admin(
        reqwest::Method::DELETE,
        base,
        "/__keygate/state/nobody",
        None,
    )
    .await;
    let body = neutral_error(unknown, 404, "unknown-vendor").await;
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("huawei")
    );
    server.shutdown().await;
}

#[tokio::test]
async fn admin_paths_answer_in_the_mocks_neutral_format() {
    let server = open_server().await;
    let base = server.url();
    let unknown = admin(reqwest::Method::GET, base, "/__keygate/nothing", None).await;
    neutral_error(unknown, 404, "route-not-found").await;
    let bare = admin(reqwest::Method::GET, base, "/__keygate", None).await;
    neutral_error(bare, 404, "route-not-found").await;
    let trailing = admin(reqwest::Method::DELETE, base, "/__keygate/state/", None).await;
    neutral_error(trailing, 404, "route-not-found").await;

    for (method, path, allow) in [
        (reqwest::Method::PUT, "/__keygate/state", "GET, DELETE"),
        (reqwest::Method::POST, "/__keygate/journal", "GET, DELETE"),
        (reqwest::Method::GET, "/__keygate/state/huawei", "DELETE"),
    ] {
        let response = admin(method, base, path, None).await;
        assert_eq!(response.headers()["allow"], allow, "{path}");
        neutral_error(response, 405, "method-not-allowed").await;
    }
    let misspelt = admin(
        reqwest::Method::GET,
        base,
        "/__keygate/state?secret=reveal",
        None,
    )
    .await;
    neutral_error(misspelt, 400, "invalid-parameter").await;
    let bad_value = admin(
        reqwest::Method::GET,
        base,
        "/__keygate/state?secrets=yes",
        None,
    )
    .await;
    neutral_error(bad_value, 400, "invalid-parameter").await;
    server.shutdown().await;
}

#[tokio::test]
async fn with_state_off_the_state_endpoints_answer_409_and_the_journal_works() {
    let server = replay_server(AuthMode::Off).await;
    let base = server.url();
    for method in [reqwest::Method::GET, reqwest::Method::DELETE] {
        let response = admin(method, base, "/__keygate/state", None).await;
        let body = neutral_error(response, 409, "state-off").await;
        assert!(
            body["message"]
                .as_str()
                .expect("message")
                .contains("--state off")
        );
    }
    let reset = admin(
        reqwest::Method::DELETE,
        base,
        "/__keygate/state/huawei",
        None,
    )
    .await;
    neutral_error(reset, 409, "state-off").await;
    let journal = admin(reqwest::Method::GET, base, "/__keygate/journal", None).await;
    assert_eq!(journal.status(), 200);
    assert!(server.reset_state(None).await.is_err());
    server.shutdown().await;
}

#[tokio::test]
async fn admin_requests_skip_vendor_auth_and_faults() {
    let server = MockServer::builder()
        .auth(AuthMode::Verify)
        .fault(Fault::drop_connection())
        .start()
        .await
        .expect("mock starts");
    let base = server.url();
    for path in ["/__keygate/journal", "/__keygate/state"] {
        let response = admin(reqwest::Method::GET, base, path, None).await;
        assert_eq!(response.status(), 200, "{path}");
    }
    server.shutdown().await;
}

#[tokio::test]
async fn a_state_store_that_does_not_answer_gets_a_neutral_503_without_the_password() {
    let server = MockServer::builder()
        .state(StateConfig::Redis {
            // Port 1: refused at once.
            url: "redis://:redis-password-5521@127.0.0.1:1/0".into(),
            namespace: "admin-test".into(),
        })
        .start()
        .await
        .expect("mock starts without Redis");
    let base = server.url();
    for method in [reqwest::Method::GET, reqwest::Method::DELETE] {
        let response = admin(method, base, "/__keygate/state", None).await;
        assert_eq!(response.headers()["retry-after"], "1");
        let body = neutral_error(response, 503, "unavailable").await;
        assert!(!body.to_string().contains("redis-password-5521"), "{body}");
    }
    let error = server.state_dump(false).await.expect_err("no Redis");
    assert!(
        !error.to_string().contains("redis-password-5521"),
        "{error}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn on_a_non_loopback_address_the_admin_surface_needs_the_token() {
    for token in [Some(TOKEN), None] {
        let mut builder = MockServer::builder()
            .auth(AuthMode::Off)
            .bind(SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)));
        if let Some(token) = token {
            builder = builder.admin_token(token);
        }
        let server = builder.start().await.expect("mock starts on 0.0.0.0");
        // Bound on every interface; reached here through loopback.
        let base = format!("http://127.0.0.1:{}", server.address().port());
        let base = base.as_str();

        let anonymous = admin(reqwest::Method::GET, base, "/__keygate/journal", None).await;
        assert_eq!(
            anonymous.headers()["www-authenticate"],
            "Bearer realm=\"keygate-mock admin\""
        );
        let body = neutral_error(anonymous, 401, "unauthorized").await;
        if token.is_none() {
            assert!(
                body["message"]
                    .as_str()
                    .expect("message")
                    .contains("none is configured"),
                "{body}"
            );
        }
        let wrong = admin(
            reqwest::Method::DELETE,
            base,
            "/__keygate/state",
            Some("not-the-token"),
        )
        .await;
        neutral_error(wrong, 401, "unauthorized").await;
        // An unknown admin path is not told apart from a known one without the token.
        let probe = admin(reqwest::Method::GET, base, "/__keygate/nothing", None).await;
        assert_eq!(probe.status(), 401);

        let with_token = admin(
            reqwest::Method::GET,
            base,
            "/__keygate/journal",
            Some(TOKEN),
        )
        .await;
        let expected = if token.is_some() { 200 } else { 401 };
        assert_eq!(with_token.status(), expected);
        if token.is_some() {
            let dump = admin(
                reqwest::Method::GET,
                base,
                "/__keygate/state?secrets=reveal",
                Some(TOKEN),
            )
            .await;
            assert_eq!(dump.status(), 200);
        }
        // The vendors' paths need no admin token.
        let vendor = client()
            .get(format!("{base}{HUAWEI_PATH}"))
            .send()
            .await
            .expect("sent");
        assert_eq!(vendor.status(), 200);
        server.shutdown().await;
    }
}

#[tokio::test]
async fn a_loopback_server_can_require_the_token_too() {
    let server = MockServer::builder()
        .admin_access(keygate_mock::AdminAccess::TokenRequired)
        .admin_token(TOKEN)
        .start()
        .await
        .expect("mock starts");
    let base = server.url();
    let anonymous = admin(reqwest::Method::GET, base, "/__keygate/journal", None).await;
    assert_eq!(anonymous.status(), 401);
    let with_token = admin(
        reqwest::Method::GET,
        base,
        "/__keygate/journal",
        Some(TOKEN),
    )
    .await;
    assert_eq!(with_token.status(), 200);
    server.shutdown().await;
}

#[test]
fn the_admin_token_never_shows_in_debug_output() {
    let builder = MockServer::builder().admin_token(TOKEN);
    assert!(!format!("{builder:?}").contains(TOKEN));
    let engine = keygate_mock::Engine::builder()
        .admin_token(TOKEN)
        .build()
        .expect("engine");
    assert!(!format!("{engine:?}").contains(TOKEN));
    let empty = keygate_mock::Engine::builder().admin_token("").build();
    assert!(empty.is_err());
}
