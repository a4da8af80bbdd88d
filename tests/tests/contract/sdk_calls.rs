//! How the contract tests call each operation through the SDK: one entry per operationId, with
//! the parameter values of the spec's examples. A new example needs nothing here; a new
//! operation needs one arm.

use std::time::Duration;

use keygate_mock::{AuthMode, Credential, Engine, EngineBuilder};
use keygate_sdk::{ClientOptions, RetryPolicy, alibaba, azure, huawei, tencent};
use serde::Serialize;
use serde_json::Value;

/// The test credentials the mock verifies signatures with, one per signing vendor.
pub(crate) const ACCESS_KEY_ID: &str = "keygate-contract-ak";
/// The secret matching [`ACCESS_KEY_ID`].
pub(crate) const SECRET: &str = "keygate-contract-secret-0123456789";

/// Engine options for a mock in verify mode that knows the test credentials, one per signing
/// vendor.
pub(crate) fn verifying_engine() -> EngineBuilder {
    ["alibaba", "tencent", "huawei"]
        .into_iter()
        .map(|vendor| Credential::new(vendor, ACCESS_KEY_ID, SECRET))
        .fold(
            Engine::builder().auth(AuthMode::Verify),
            EngineBuilder::credential,
        )
}

/// A decoded success: the body as JSON and the request id the SDK found.
pub(crate) struct Answer {
    /// The SDK's typed result, serialized back to JSON.
    pub(crate) body: Value,
    /// `Response::request_id`.
    pub(crate) request_id: Option<String>,
}

/// How the SDK is pointed at the mock.
#[derive(Clone)]
pub(crate) struct Target {
    /// The mock's base URL.
    pub(crate) url: String,
    /// A `Prefer` header for every request, selecting a documented response.
    pub(crate) prefer: Option<String>,
    /// Tencent: send as POST form instead of GET.
    pub(crate) tencent_post: bool,
    /// The clients' retry policy (none unless a test sets one).
    pub(crate) retry: RetryPolicy,
    /// The clients' per-attempt timeout, when a test sets one.
    pub(crate) timeout: Option<Duration>,
}

impl Target {
    /// The SDK's defaults, but no retries, against `url`.
    pub(crate) fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            prefer: None,
            tencent_post: false,
            retry: RetryPolicy::none(),
            timeout: None,
        }
    }

    fn options(&self) -> ClientOptions {
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(prefer) = &self.prefer {
            headers.insert("prefer", prefer.parse().expect("Prefer is a header value"));
        }
        let mut http = reqwest::Client::builder().default_headers(headers);
        if let Some(timeout) = self.timeout {
            http = http.timeout(timeout);
        }
        let mut options = ClientOptions::default()
            .endpoint(self.url.clone())
            .http_client(http.build().expect("reqwest client"))
            .retry_policy(self.retry.clone());
        if let Some(timeout) = self.timeout {
            options = options.timeout(timeout);
        }
        options
    }

    /// Alibaba client signing with the test credentials.
    pub(crate) fn alibaba(&self) -> alibaba::Client {
        alibaba::Client::builder(alibaba::Credentials::new(ACCESS_KEY_ID, SECRET))
            .options(self.options())
            .build()
            .expect("alibaba client")
    }

    /// Tencent client signing with the test credentials (GET, or POST when asked).
    pub(crate) fn tencent(&self) -> tencent::Client {
        let method = if self.tencent_post {
            tencent::RequestMethod::Post
        } else {
            tencent::RequestMethod::Get
        };
        tencent::Client::builder(tencent::Credentials::new(ACCESS_KEY_ID, SECRET))
            .region("ap-guangzhou")
            .request_method(method)
            .options(self.options())
            .build()
            .expect("tencent client")
    }

    /// Huawei client signing with AK/SK.
    pub(crate) fn huawei(&self) -> huawei::Client {
        huawei::Client::builder(huawei::Credentials::ak_sk(ACCESS_KEY_ID, SECRET))
            .options(self.options())
            .build()
            .expect("huawei client")
    }

    /// Azure client with a bearer token.
    pub(crate) fn azure(&self) -> azure::Client {
        azure::Client::builder(azure::Credentials::bearer("keygate-contract-token"))
            .options(self.options())
            .build()
            .expect("azure client")
    }
}

fn answer<T: Serialize>(response: keygate_sdk::Response<T>) -> Answer {
    let request_id = response.request_id().map(str::to_owned);
    let body = serde_json::to_value(response.into_inner()).expect("SDK types serialize");
    Answer { body, request_id }
}

/// Calls `operation` through the SDK. `None` when the SDK has no arm for it yet, so the caller
/// can report it instead of skipping it.
pub(crate) async fn call(
    operation: &str,
    target: &Target,
) -> Option<Result<Answer, keygate_sdk::Error>> {
    let result = match operation {
        "CreateSecret" => {
            let body: alibaba::types::CreateSecretRequest =
                serde_json::from_value(serde_json::json!({
                    "name": "my_secret",
                    "description": "test",
                    "gatewayType": "API",
                    "secretSource": "KMS",
                    "secretData": "apikey-123456xxxxxxxx",
                }))
                .expect("CreateSecret request example");
            target
                .alibaba()
                .create_secret()
                .body(body)
                .send()
                .await
                .map(answer)
        }
        "ListSecretReferences" => target
            .alibaba()
            .list_secret_references()
            .secret_id("sec-d5e6shmm1hkoxxxxxxxx")
            .page_number(1u32)
            .page_size(10u32)
            .send()
            .await
            .map(answer),
        "DescribeApiKeysStatus" => target
            .tencent()
            .describe_api_keys_status()
            .secret_i_ds(vec!["AKIDXXXXWKipDlK".to_owned()])
            .offset(0i64)
            .limit(20u64)
            .send()
            .await
            .map(answer),
        "ListAiApiKeys" => target
            .huawei()
            .list_ai_api_keys()
            .project_id("77b6a44cba5143ab91d13ab9a8ff44fd")
            .instance_id("eddc4d25480b4cd6b512f270a1b8b341")
            .app_id("9ed8b7fe84224de681e7d7a5587e76dc")
            .offset(0i64)
            .limit(20u32)
            .send()
            .await
            .map(answer),
        "Subscription_ListSecrets" => target
            .azure()
            .subscription_list_secrets()
            .subscription_id(uuid::Uuid::nil())
            .resource_group_name("rg1")
            .service_name("apimService1")
            .sid("5931a769d8d14f0ad8ce13b8")
            .send()
            .await
            .map(answer),
        _ => return None,
    };
    Some(result)
}
