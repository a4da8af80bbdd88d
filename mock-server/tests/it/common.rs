//! Shared helpers: servers, clients, and requests derived from the specs themselves.

use std::collections::BTreeMap;

use keygate_mock::{AuthMode, MockServer, SpecSource, StateConfig};
use keygate_spec::refs;
use serde_json::{Value, json};

/// Huawei's ListAiApiKeys path with the documented ids.
pub(crate) const HUAWEI_PATH: &str = "/v2/77b6a44cba5143ab91d13ab9a8ff44fd/apigw/instances/eddc4d25480b4cd6b512f270a1b8b341/apps/9ed8b7fe84224de681e7d7a5587e76dc/ai-api-keys";
/// Azure's listSecrets path with the documented ids.
pub(crate) const AZURE_PATH: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/subscriptions/5931a769d8d14f0ad8ce13b8/listSecrets";
/// Alibaba's ListSecretReferences path.
pub(crate) const ALIBABA_REFS_PATH: &str = "/v1/secrets/sec-d5e6shmm1hkoxxxxxxxx/references";

pub(crate) async fn server(mode: AuthMode) -> MockServer {
    MockServer::builder()
        .auth(mode)
        .start()
        .await
        .expect("mock starts")
}

/// A replay mock: no state, every answer a documented sample.
pub(crate) async fn replay_server(mode: AuthMode) -> MockServer {
    MockServer::builder()
        .auth(mode)
        .state(StateConfig::Off)
        .start()
        .await
        .expect("mock starts")
}

pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::new()
}

pub(crate) async fn json_of(response: reqwest::Response) -> Value {
    let bytes = response.bytes().await.expect("body");
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
}

/// A spec file, parsed independently of the engine.
pub(crate) struct Spec {
    pub(crate) doc: Value,
    /// The same document with mapping order kept (serde_json's maps are sorted).
    raw: serde_yaml::Value,
}

impl Spec {
    /// The embedded specs, as keygate-spec finds them.
    pub(crate) fn all() -> Vec<Spec> {
        SpecSource::embedded()
            .iter()
            .map(|source| Spec {
                doc: serde_yaml::from_str(source.text()).expect("yaml"),
                raw: serde_yaml::from_str(source.text()).expect("yaml"),
            })
            .collect()
    }

    /// Follows a local `$ref`, with keygate-spec's resolver.
    pub(crate) fn resolve<'a>(&'a self, node: &'a Value) -> &'a Value {
        refs::resolve(&self.doc, node).expect("ref resolves")
    }

    pub(crate) fn vendor(&self) -> &str {
        self.doc["x-keygate"]["vendor"].as_str().expect("vendor")
    }

    pub(crate) fn id_fields(&self) -> Vec<String> {
        self.doc["x-keygate"]["requestId"]["bodyFields"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every operation, with a request that passes validation (auth off).
    pub(crate) fn operations(&self) -> Vec<OpCase> {
        let mut out = Vec::new();
        for (key, item) in self.doc["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("path item") {
                if method == "parameters" {
                    continue;
                }
                out.push(self.op_case(key, item, method, op));
            }
        }
        out
    }

    fn op_case(&self, key: &str, item: &Value, method: &str, op: &Value) -> OpCase {
        let mut path = key.split('#').next().expect("path").to_owned();
        let mut query = Vec::new();
        let mut headers = Vec::new();
        let declared = item["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(op["parameters"].as_array().into_iter().flatten());
        let common: Vec<Value> = self.doc["x-keygate"]["commonParameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|n| json!({"$ref": format!("#/components/parameters/{}", n.as_str().expect("name"))}))
            .collect();
        for param in declared.chain(common.iter()) {
            let param = self.resolve(param);
            let name = param["name"].as_str().expect("name").to_owned();
            let required = param["required"].as_bool().unwrap_or(false);
            let value = sample_value(param, self.resolve(&param["schema"]));
            match param["in"].as_str().expect("in") {
                "path" => {
                    path = path.replace(&format!("{{{name}}}"), &value.expect("path param sample"))
                }
                "query" if required => query.push((name, value.unwrap_or_else(|| "x".to_owned()))),
                "header" if required => {
                    headers.push((name, value.unwrap_or_else(|| "x".to_owned())))
                }
                _ => {}
            }
        }
        let body = op
            .get("requestBody")
            .map(|b| self.resolve(b))
            .and_then(|b| {
                b["content"]["application/json"]["examples"]
                    .as_object()
                    .and_then(|e| e.values().next().cloned())
            })
            .map(|e| self.resolve(&e)["value"].clone());
        let mut responses = BTreeMap::new();
        for (status, response) in op["responses"].as_object().expect("responses") {
            let response = self.resolve(response);
            let content = &response["content"]["application/json"];
            let examples: Vec<(String, Value)> = self
                .example_names(key, method, status)
                .into_iter()
                .map(|name| {
                    let value = self.resolve(&content["examples"][&name])["value"].clone();
                    (name, value)
                })
                .collect();
            responses.insert(status.clone(), examples);
        }
        let default_status = self.raw["paths"][key][method]["responses"]
            .as_mapping()
            .expect("responses")
            .keys()
            .filter_map(|status| status.as_str())
            .find(|status| status.starts_with('2'))
            .expect("a 2xx response")
            .to_owned();
        OpCase {
            id: op["operationId"].as_str().expect("operationId").to_owned(),
            default_status,
            method: method.to_uppercase(),
            path,
            query,
            headers,
            body,
            responses,
        }
    }
}

impl Spec {
    /// Example names of a response in document order.
    fn example_names(&self, key: &str, method: &str, status: &str) -> Vec<String> {
        let response = refs::resolve(
            &self.raw,
            &self.raw["paths"][key][method]["responses"][status],
        )
        .expect("ref resolves");
        response["content"]["application/json"]["examples"]
            .as_mapping()
            .map(|m| {
                m.keys()
                    .filter_map(|k| k.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A schema-valid sample for a parameter: its example, enum, default, or a plain string.
fn sample_value(param: &Value, schema: &Value) -> Option<String> {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if let Some(example) = param.get("example") {
        return Some(match example {
            Value::Array(items) => text(&items[0]),
            other => text(other),
        });
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return Some(text(first));
    }
    if let Some(default) = schema.get("default") {
        return Some(text(default));
    }
    (schema["type"] == "string").then(|| "sample".to_owned())
}

/// An operation and a valid request for it.
#[derive(Debug, Clone)]
pub(crate) struct OpCase {
    pub(crate) id: String,
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Value>,
    /// status -> [(example name, value)]
    pub(crate) responses: BTreeMap<String, Vec<(String, Value)>>,
    /// The first 2xx status in document order: the mock's answer without `Prefer`.
    pub(crate) default_status: String,
}

impl OpCase {
    pub(crate) fn request(&self, client: &reqwest::Client, base: &str) -> reqwest::RequestBuilder {
        let method = reqwest::Method::from_bytes(self.method.as_bytes()).expect("method");
        let mut request = client
            .request(method, format!("{base}{}", self.path))
            .query(&self.query);
        for (name, value) in &self.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        if let Some(body) = &self.body {
            request = request.json(body);
        }
        request
    }
}

/// `value` without the top-level request-id fields.
pub(crate) fn without_ids(mut value: Value, fields: &[String]) -> Value {
    if let Some(map) = value.as_object_mut() {
        for field in fields {
            map.remove(field);
        }
    }
    value
}

/// All operations of all specs with their spec.
pub(crate) fn all_cases() -> Vec<(String, Vec<String>, OpCase)> {
    Spec::all()
        .iter()
        .flat_map(|spec| {
            let (vendor, ids) = (spec.vendor().to_owned(), spec.id_fields());
            spec.operations()
                .into_iter()
                .map(move |op| (vendor.clone(), ids.clone(), op))
        })
        .collect()
}
