//! How the contract tests call operations through the SDK: by operationId, with the arguments
//! the spec documents, on a client built from what the spec says about the vendor. Nothing here
//! names a vendor or an operation: a new one is called as soon as its spec and SDK module exist.

use std::time::Duration;

use keygate_auth::CredentialKind;
use keygate_contract_tests::invocations::{self, ClientSetup, Invocation};
use keygate_contract_tests::specs;
use keygate_mock::{AuthMode, Credential, Engine, EngineBuilder};
use keygate_sdk::dynamic::{self, AccessKey, Config};
use keygate_sdk::{ClientOptions, RetryPolicy, SecretString, alibaba, azure, huawei, tencent};
use serde_json::Value;

/// The test credentials the mock verifies signatures with, one per signing vendor.
pub(crate) const ACCESS_KEY_ID: &str = "keygate-contract-ak";
/// The secret matching [`ACCESS_KEY_ID`].
pub(crate) const SECRET: &str = "keygate-contract-secret-0123456789";
/// The token of token-authenticated vendors (checked for form only).
const TOKEN: &str = "keygate-contract-token";

/// Engine options for a mock in verify mode that knows the test credentials of every vendor
/// whose scheme signs with an access key.
pub(crate) fn verifying_engine() -> EngineBuilder {
    specs::all()
        .iter()
        .map(invocations::client_setup)
        .filter(|setup| setup.credential == CredentialKind::AccessKey)
        .map(|setup| Credential::new(setup.vendor, ACCESS_KEY_ID, SECRET))
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
    /// Client settings of one of the vendor's wire variants (Tencent: `method=POST`).
    pub(crate) variant: Vec<(String, String)>,
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
            variant: Vec::new(),
            retry: RetryPolicy::none(),
            timeout: None,
        }
    }

    /// The same target with a wire variant's settings.
    pub(crate) fn with_variant(&self, settings: &[(&str, &str)]) -> Self {
        Self {
            variant: settings
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            ..self.clone()
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

    /// A client of the vendor `setup` describes, signing with the test credentials.
    fn client(&self, setup: &ClientSetup) -> Result<dynamic::DynClient, keygate_sdk::Error> {
        let credential = match setup.credential {
            CredentialKind::AccessKey => {
                dynamic::Credential::AccessKey(AccessKey::new(ACCESS_KEY_ID, SECRET))
            }
            CredentialKind::Token => dynamic::Credential::Token(SecretString::from(TOKEN)),
        };
        let config = setup.settings.iter().chain(&self.variant).fold(
            Config::new(credential).options(self.options()),
            |c, (n, v)| c.setting(n, v),
        );
        dynamic::connect(&setup.vendor, config)
    }

    /// Alibaba client signing with the test credentials.
    pub(crate) fn alibaba(&self) -> alibaba::Client {
        alibaba::Client::builder(alibaba::Credentials::new(ACCESS_KEY_ID, SECRET))
            .options(self.options())
            .build()
            .expect("alibaba client")
    }

    /// Tencent client signing with the test credentials, GET or POST as the variant says.
    pub(crate) fn tencent(&self) -> tencent::Client {
        let post = self
            .variant
            .iter()
            .any(|(n, v)| n == "method" && v == "POST");
        let method = match post {
            true => tencent::RequestMethod::Post,
            false => tencent::RequestMethod::Get,
        };
        tencent::Client::builder(tencent::Credentials::new(ACCESS_KEY_ID, SECRET))
            .region("ap-guangzhou")
            .request_method(method)
            .options(self.options())
            .build()
            .expect("tencent client")
    }

    /// Azure client with the test bearer token.
    pub(crate) fn azure(&self) -> azure::Client {
        azure::Client::builder(azure::Credentials::bearer(TOKEN))
            .options(self.options())
            .build()
            .expect("azure client")
    }

    /// Huawei client signing with AK/SK.
    pub(crate) fn huawei(&self) -> huawei::Client {
        huawei::Client::builder(huawei::Credentials::ak_sk(ACCESS_KEY_ID, SECRET))
            .options(self.options())
            .build()
            .expect("huawei client")
    }
}

/// Calls `operation` through the SDK by name, with the arguments its spec documents.
pub(crate) async fn call(operation: &str, target: &Target) -> Result<Answer, keygate_sdk::Error> {
    invoke(&invocations::find(operation), target).await
}

/// Makes one derived call.
pub(crate) async fn invoke(
    invocation: &Invocation,
    target: &Target,
) -> Result<Answer, keygate_sdk::Error> {
    let setup = invocations::client_setup(specs::for_vendor(&invocation.vendor));
    let response = target
        .client(&setup)?
        .call(&invocation.operation, &invocation.arguments)
        .await?;
    Ok(Answer {
        request_id: response.request_id().map(str::to_owned),
        body: response.into_inner(),
    })
}
