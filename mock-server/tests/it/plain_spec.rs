//! A plain OpenAPI file, without `x-keygate`, served with the defaults: the pet store fixture.
//! Errors are problem+json in Prism's form, the request id travels in `X-Request-Id`, auth
//! is presence only, and a response documented without an example gets one from its schema.

use keygate_mock::{MockServer, SpecSource};
use serde_json::{Value, json};

use crate::common::{HUAWEI_PATH, client, json_of};

/// The fixture (the binary test serves it too, by its path from the workspace root).
const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/petstore-fixture.yaml"
);

const PROBLEM: &str = "application/problem+json";

fn fixture() -> SpecSource {
    SpecSource::from_path(FIXTURE).expect("the fixture reads")
}

/// The fixture next to the embedded vendors, auth `presence` (the default).
async fn petstore() -> MockServer {
    MockServer::builder()
        .spec(fixture())
        .start()
        .await
        .expect("the fixture is served")
}

/// A request the fixture's operation accepts.
fn valid(operation: &str, base: &str) -> reqwest::RequestBuilder {
    match operation {
        "listPets" => client()
            .get(format!("{base}/pets"))
            .query(&[("limit", "10")]),
        "createPet" => client()
            .post(format!("{base}/pets"))
            .header("X-API-Key", "any-key")
            .json(&json!({"name": "Tom"})),
        "showPetById" => client().get(format!("{base}/pets/1")),
        other => panic!("the fixture has no operation {other}"),
    }
}

/// `(operationId, status key, example name, value)` of every example the fixture writes.
fn documented_examples() -> Vec<(String, String, String, Value)> {
    let text = std::fs::read_to_string(FIXTURE).expect("fixture");
    let doc: Value = serde_yaml::from_str(&text).expect("YAML");
    let mut out = Vec::new();
    for item in doc["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().expect("path item").values() {
            let id = operation["operationId"].as_str().expect("operationId");
            for (status, response) in operation["responses"].as_object().expect("responses") {
                let content = &response["content"]["application/json"];
                for (name, example) in content["examples"].as_object().into_iter().flatten() {
                    let entry = (name.clone(), example["value"].clone());
                    out.push((id.to_owned(), status.clone(), entry.0, entry.1));
                }
                if let Some(single) = content.get("example") {
                    let entry = ("example".to_owned(), single.clone());
                    out.push((id.to_owned(), status.clone(), entry.0, entry.1));
                }
            }
        }
    }
    out
}

async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let content_type = response.headers()["content-type"].to_str().expect("ASCII");
    assert_eq!(content_type, PROBLEM, "status {status}");
    (status, json_of(response).await)
}

#[tokio::test]
async fn every_documented_example_is_reachable_with_prefer() {
    let server = petstore().await;
    let examples = documented_examples();
    assert_eq!(examples.len(), 5, "{examples:?}");
    for (operation, status, name, value) in examples {
        // `default` stands for any status; Prism's form asks for one of them.
        let code = if status == "default" { "500" } else { &status };
        let response = valid(&operation, server.url())
            .header("Prefer", format!("code={code}, example={name}"))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status().as_str(), code, "{operation} {name}");
        assert_eq!(
            json_of(response).await,
            value,
            "{operation} {status} {name}"
        );
    }
}

#[tokio::test]
async fn the_first_example_of_the_success_response_is_the_default_answer() {
    let server = petstore().await;
    let response = valid("listPets", server.url()).send().await.expect("sent");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-next"], "/pets?page=2");
    let id = response.headers()["x-request-id"].to_str().expect("ASCII");
    assert_eq!((id.len(), id.matches('-').count()), (36, 4), "a UUID: {id}");
    assert_eq!(json_of(response).await[1]["name"], "Fido");
}

#[tokio::test]
async fn a_response_without_example_is_served_with_one_made_from_its_schema() {
    let server = petstore().await;
    let response = valid("showPetById", server.url())
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    // The schema's own example, then its enum, default and type, in its property order.
    let body = response.text().await.expect("body");
    assert_eq!(
        body,
        r#"{"id":0,"name":"Rex","tag":"dog","status":"available","vaccinated":true}"#
    );
    let conflict = valid("createPet", server.url())
        .header("Prefer", "code=409, example=generated")
        .send()
        .await
        .expect("sent");
    assert_eq!(conflict.status(), 409);
    assert_eq!(
        json_of(conflict).await,
        json!({"code": 0, "message": "string"})
    );
}

#[tokio::test]
async fn validation_failures_are_problems_naming_the_parameter_and_where_it_travels() {
    let server = petstore().await;
    let base = server.url();
    let cases = [
        (
            client().get(format!("{base}/pets?limit=abc")),
            ["query", "limit"],
        ),
        (
            client().get(format!("{base}/pets?limit=101")),
            ["query", "limit"],
        ),
        (client().get(format!("{base}/pets/abc")), ["path", "petId"]),
        (
            client()
                .post(format!("{base}/pets"))
                .header("X-API-Key", "any-key")
                .json(&json!({"tag": "dog"})),
            ["body", "name"],
        ),
    ];
    for (request, location) in cases {
        let (status, body) = problem(request.send().await.expect("sent")).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["status"], 422);
        assert_eq!(
            body["type"],
            "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY"
        );
        assert_eq!(body["validation"][0]["location"], json!(location), "{body}");
        let detail = body["detail"].as_str().expect("detail");
        assert!(detail.contains(location[1]), "{detail}");
    }
}

#[tokio::test]
async fn a_missing_api_key_gets_the_401_problem() {
    let server = petstore().await;
    let without_key = client()
        .post(format!("{}/pets", server.url()))
        .json(&json!({"name": "Tom"}));
    let (status, body) = problem(without_key.send().await.expect("sent")).await;
    assert_eq!(status, 401);
    assert_eq!(
        body["type"],
        "https://stoplight.io/prism/errors#UNAUTHORIZED"
    );
    assert!(
        body["detail"]
            .as_str()
            .expect("detail")
            .contains("x-api-key"),
        "{body}"
    );
    // Only the operation that declares the scheme asks for the key.
    let listed = valid("listPets", server.url()).send().await.expect("sent");
    assert_eq!(listed.status(), 200);
    let created = valid("createPet", server.url()).send().await.expect("sent");
    assert_eq!(created.status(), 201);
}

#[tokio::test]
async fn prefer_for_an_undocumented_response_gets_the_no_such_response_problem() {
    let server = petstore().await;
    for prefer in ["code=418", "code=404, example=nope", "example=nope"] {
        let response = valid("showPetById", server.url())
            .header("Prefer", prefer)
            .send()
            .await
            .expect("sent");
        let (status, body) = problem(response).await;
        assert_eq!(status, 404, "{prefer}");
        assert_eq!(body["type"], "https://stoplight.io/prism/errors#NOT_FOUND");
        let detail = body["detail"].as_str().expect("detail");
        assert!(detail.starts_with("showPetById: "), "{detail}");
    }
}

#[tokio::test]
async fn served_alone_an_unknown_path_gets_the_spec_s_own_404() {
    let server = MockServer::builder()
        .without_embedded_specs()
        .spec(fixture())
        .start()
        .await
        .expect("starts");
    let vendors: Vec<&str> = server.engine().vendors().collect();
    assert_eq!(vendors, ["petstore-fixture"]);
    let response = client()
        .get(format!("{}/owners", server.url()))
        .send()
        .await
        .expect("sent");
    assert!(response.headers().contains_key("x-request-id"));
    let (status, body) = problem(response).await;
    assert_eq!(status, 404);
    assert_eq!(
        body["type"],
        "https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR"
    );
}

#[tokio::test]
async fn the_embedded_vendors_are_served_next_to_it() {
    let server = petstore().await;
    let huawei = client()
        .get(format!("{}{HUAWEI_PATH}", server.url()))
        .header("X-Auth-Token", "t")
        .send()
        .await
        .expect("sent");
    assert_eq!(huawei.status(), 200);
    let vendors: Vec<&str> = server.engine().vendors().collect();
    assert!(vendors.contains(&"huawei") && vendors.contains(&"petstore-fixture"));
}

#[test]
fn a_keygate_spec_still_needs_an_example_for_every_response() {
    let text = std::fs::read_to_string(FIXTURE).expect("fixture");
    let declared = text.replacen(
        "openapi: 3.0.3",
        "openapi: 3.0.3\nx-keygate: {vendor: petstore}",
        1,
    );
    let refused = keygate_mock::Engine::builder()
        .without_embedded_specs()
        .spec(SpecSource::from_text("petstore.yaml", declared))
        .build()
        .expect_err("refused");
    assert!(refused.to_string().contains("has no example"), "{refused}");
}

#[test]
fn a_plain_spec_needs_no_operation_ids_schemas_or_examples() {
    let spec = r"
openapi: 3.0.3
info: {title: bare, version: '1'}
paths:
  /things:
    get:
      responses:
        '200':
          description: Whatever the service says
          content:
            application/json: {}
";
    let engine = keygate_mock::Engine::builder()
        .without_embedded_specs()
        .spec(SpecSource::from_text("bare.yaml", spec))
        .build()
        .expect("served");
    let operations: Vec<(&str, &str)> = engine.operations().collect();
    assert_eq!(operations, [("bare", "GET /things")]);
    let request = keygate_mock::MockRequest::new(
        http::Method::GET,
        http::Uri::from_static("/things"),
        http::HeaderMap::new(),
        bytes::Bytes::new(),
    );
    let response = engine.handle(&request);
    // Neither example nor schema: an empty body, as Prism sends.
    assert_eq!((response.status.as_u16(), response.body.len()), (200, 0));
}
