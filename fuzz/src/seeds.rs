//! The seed corpus, built from the specs' documented requests and signed with the known key
//! at [`NOW`]. `examples/make_seeds.rs` writes it to `corpus/<target>/seed-<label>`; the
//! replay test checks the files still match and still mean what they say.

use keygate_auth::{AccessKey, SignableRequest, alibaba, huawei, tencent};
use time::OffsetDateTime;

use crate::auth::{
    BearerInput, Header, HttpInput, Param, SignInput, TencentInput, TencentSignInput,
};
use crate::input::{Blob, Byte, Encode, List, Text, Value, Word16, Word64};
use crate::mock::{MockInput, Segment, TencentFormInput};
use crate::{AK, NOW, SK};

/// One seed file: target, label (the file is `seed-<label>`), bytes.
#[derive(Debug)]
pub struct Seed {
    /// The target whose corpus it belongs to.
    pub target: &'static str,
    /// What it is; part of the file name.
    pub label: &'static str,
    /// The encoded input.
    pub bytes: Vec<u8>,
}

const ALIBABA_HOST: &str = "apig.cn-hangzhou.aliyuncs.com";
const ALIBABA_VERSION: &str = "2024-03-27";
const CREATE_SECRET_BODY: &str = r#"{"name":"my_secret","description":"test","gatewayType":"API","secretSource":"KMS","secretData":"apikey-123456xxxxxxxx"}"#;
const SECRET_ID: &str = "sec-d5e6shmm1hkoxxxxxxxx";
const NONCE: &str = "3b5b9a0c8d7e4f6a9b1c2d3e4f5a6b7c";
const STS_TOKEN: &str = "CAIS-sts-token-example";

const HUAWEI_HOST: &str = "apig.cn-north-4.myhuaweicloud.com";
const HUAWEI_PROJECT: &str = "77b6a44cba5143ab91d13ab9a8ff44fd";
const HUAWEI_INSTANCE: &str = "eddc4d25480b4cd6b512f270a1b8b341";
const HUAWEI_APP: &str = "9ed8b7fe84224de681e7d7a5587e76dc";

const TENCENT_HOST: &str = "apigateway.api.qcloud.com";
const TENCENT_PATH: &str = "/v2/index.php";
const TENCENT_NONCE: u64 = 11_886;

// The documented subscription: the stateful mock seeds it, so listSecrets finds it.
const AZURE_PATH: &[&str] = &[
    "subscriptions",
    "00000000-0000-0000-0000-000000000000",
    "resourceGroups",
    "rg1",
    "providers",
    "Microsoft.ApiManagement",
    "service",
    "apimService1",
    "subscriptions",
    "5931a769d8d14f0ad8ce13b8",
    "listSecrets",
];
const AZURE_TOKEN: &str = "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.sig";

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

fn headers(items: &[(String, String)]) -> List<Header> {
    List(
        items
            .iter()
            .map(|(n, v)| Header {
                name: n.as_str().into(),
                value: v.as_str().into(),
            })
            .collect(),
    )
}

fn params(items: &[(String, String)]) -> List<Param> {
    List(
        items
            .iter()
            .map(|(n, v)| Param {
                name: n.as_str().into(),
                value: v.as_str().into(),
            })
            .collect(),
    )
}

/// Parameters form-encoded one by one, for targets that put them on the wire unencoded.
fn encoded_params(items: &[(String, String)]) -> List<Param> {
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    List(
        items
            .iter()
            .map(|(n, v)| Param {
                name: enc(n).as_str().into(),
                value: enc(v).as_str().into(),
            })
            .collect(),
    )
}

fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(NOW).expect("NOW is a valid time")
}

/// A request described as the vendors document it, before signing.
struct Request {
    method: &'static str,
    host: &'static str,
    path: String,
    query: &'static str,
    headers: Vec<(String, String)>,
    body: &'static str,
}

impl Request {
    fn signable<'a>(&'a self, headers: &'a [(String, String)]) -> SignableRequest<'a> {
        SignableRequest {
            method: self.method,
            host: self.host,
            path: &self.path,
            query: self.query,
            headers,
            body: self.body.as_bytes(),
        }
    }

    /// The headers after signing: the caller's, then the signer's.
    fn alibaba_signed(&self, sts: bool) -> Vec<(String, String)> {
        let credentials = AccessKey {
            id: AK.to_owned(),
            secret: SK.into(),
            session_token: sts.then(|| STS_TOKEN.into()),
        };
        let date = alibaba::SCHEME.format_date(now());
        let added =
            alibaba::SCHEME.sign_at(&self.signable(&self.headers), &credentials, &date, NONCE);
        [self.headers.clone(), added].concat()
    }

    fn huawei_signed(&self) -> Vec<(String, String)> {
        let credentials = AccessKey {
            id: AK.to_owned(),
            secret: SK.into(),
            session_token: None,
        };
        let added = huawei::SCHEME.sign_at(
            &self.signable(&self.headers),
            &credentials,
            &huawei::SCHEME.format_date(now()),
            "",
        );
        [self.headers.clone(), added].concat()
    }

    fn http_input(&self, headers: &[(String, String)]) -> HttpInput {
        HttpInput {
            method: self.method.into(),
            host: self.host.into(),
            path: self.path.as_str().into(),
            query: self.query.into(),
            headers: self::headers(headers),
            body: Blob::from(self.body.as_bytes()),
        }
    }

    fn sign_input(&self, nonce: &str, token: &str) -> SignInput {
        SignInput {
            method: self.method.into(),
            host: self.host.into(),
            path: self.path.as_str().into(),
            query: self.query.into(),
            headers: headers(&self.headers),
            body: Blob::from(self.body.as_bytes()),
            nonce: nonce.into(),
            clock: Word16::from_offset(0, alibaba::DEFAULT_WINDOW_SECS),
            token: token.into(),
        }
    }

    /// The request for `mock_request`, with `Host` and the given headers.
    fn mock_input(&self, mode: u8, headers: &[(String, String)]) -> MockInput {
        let host = [("Host".to_owned(), self.host.to_owned())];
        let query = self
            .query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (n, v) = p.split_once('=').unwrap_or((p, ""));
                Param {
                    name: n.into(),
                    value: v.into(),
                }
            })
            .collect();
        MockInput {
            mode: Byte(mode),
            method: self.method.into(),
            path: segments(self.path.trim_start_matches('/').split('/')),
            query: List(query),
            headers: self::headers(&[&host[..], headers].concat()),
            body: Blob::from(self.body.as_bytes()),
        }
    }
}

fn segments<'a>(parts: impl Iterator<Item = &'a str>) -> List<Segment> {
    List(parts.map(|s| Segment(s.as_bytes().to_vec())).collect())
}

fn create_secret() -> Request {
    Request {
        method: "POST",
        host: ALIBABA_HOST,
        path: "/v1/secrets".to_owned(),
        query: "",
        headers: pairs(&[
            ("content-type", "application/json"),
            ("x-acs-action", "CreateSecret"),
            ("x-acs-version", ALIBABA_VERSION),
        ]),
        body: CREATE_SECRET_BODY,
    }
}

fn list_secret_references() -> Request {
    Request {
        method: "GET",
        host: ALIBABA_HOST,
        path: format!("/v1/secrets/{SECRET_ID}/references"),
        query: "pageNumber=1&pageSize=10",
        headers: pairs(&[
            ("x-acs-action", "ListSecretReferences"),
            ("x-acs-version", ALIBABA_VERSION),
        ]),
        body: "",
    }
}

fn list_ai_api_keys() -> Request {
    Request {
        method: "GET",
        host: HUAWEI_HOST,
        path: format!(
            "/v2/{HUAWEI_PROJECT}/apigw/instances/{HUAWEI_INSTANCE}/apps/{HUAWEI_APP}/ai-api-keys"
        ),
        query: "limit=20&offset=0",
        headers: pairs(&[
            ("Content-Type", "application/json"),
            ("X-Project-Id", HUAWEI_PROJECT),
        ]),
        body: "",
    }
}

/// DescribeApiKeysStatus's documented parameters, signed.
fn tencent_signed(method: &str, signature: tencent::SignatureMethod) -> Vec<(String, String)> {
    let call = pairs(&[
        ("Action", "DescribeApiKeysStatus"),
        ("Region", "ap-guangzhou"),
        ("secretIDs.0", "AKIDXXXXWKipDlK"),
        ("limit", "20"),
        ("offset", "0"),
    ]);
    let endpoint = tencent::Endpoint {
        method,
        host: TENCENT_HOST,
        path: TENCENT_PATH,
    };
    let credentials = AccessKey {
        id: AK.to_owned(),
        secret: SK.into(),
        session_token: None,
    };
    tencent::sign(
        &endpoint,
        &call,
        &credentials,
        NOW,
        TENCENT_NONCE,
        signature,
    )
}

fn form(items: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(items)
        .finish()
}

fn seed(target: &'static str, label: &'static str, input: &impl Encode) -> Seed {
    Seed {
        target,
        label,
        bytes: input.to_bytes(),
    }
}

/// Every seed of every target.
pub fn all() -> Vec<Seed> {
    let create = create_secret();
    let list = list_secret_references();
    let huawei = list_ai_api_keys();
    let sha1 = tencent::SignatureMethod::HmacSha1;
    let sha256 = tencent::SignatureMethod::HmacSha256;
    let unsigned_payload = {
        let mut r = list_ai_api_keys();
        r.headers.push((
            "X-Sdk-Content-Sha256".to_owned(),
            huawei::UNSIGNED_PAYLOAD.to_owned(),
        ));
        r
    };
    let token = pairs(&[(
        "X-Auth-Token",
        "MIIZkQYJKoZIhvcNAQcCoIIZgjCCGX4CAQExDTALBglghkgBZQMEAgEw",
    )]);
    let tencent_input = |method: &str, signed: Vec<(String, String)>, wire: bool| TencentInput {
        method: method.into(),
        host: TENCENT_HOST.into(),
        path: TENCENT_PATH.into(),
        params: if wire {
            List::default()
        } else {
            params(&signed)
        },
        wire: if wire {
            form(&signed).as_str().into()
        } else {
            Text::default()
        },
    };
    let tencent_sign = |flags: u8, token: &str| TencentSignInput {
        flags: Byte(flags),
        host: TENCENT_HOST.into(),
        path: TENCENT_PATH.into(),
        params: params(&pairs(&[
            ("Action", "DescribeApiKeysStatus"),
            ("Region", "ap-guangzhou"),
            ("secretIDs.0", "AKIDXXXXWKipDlK"),
            ("searchName", "my key+1/2 & more"),
        ])),
        clock: Word16::from_offset(0, tencent::DEFAULT_WINDOW_SECS),
        nonce: Word64(TENCENT_NONCE),
        token: token.into(),
    };
    let bearer = |present: u8, value: &str| BearerInput {
        present: Byte(present),
        value: value.into(),
    };
    let azure = |mode: u8, auth: &str, query: &str| MockInput {
        mode: Byte(mode),
        method: "POST".into(),
        path: segments(AZURE_PATH.iter().copied()),
        query: params(&pairs(&[("api-version", query)])),
        headers: headers(&pairs(&[
            ("Host", "management.azure.com"),
            ("Authorization", auth),
        ])),
        body: Blob::default(),
    };
    let tencent_get = |mode: u8| MockInput {
        mode: Byte(mode),
        method: "GET".into(),
        path: segments(["v2", "index.php"].into_iter()),
        query: encoded_params(&tencent_signed("GET", sha1)),
        headers: headers(&pairs(&[("Host", TENCENT_HOST)])),
        body: Blob::default(),
    };
    let tencent_form = |mode: u8,
                        content_type: &str,
                        query: &[(String, String)],
                        body: &[(String, String)]| TencentFormInput {
        mode: Byte(mode),
        content_type: Value::from(content_type),
        query: encoded_params(query),
        form: params(body),
        tail: Blob::default(),
        headers: headers(&pairs(&[("Host", TENCENT_HOST)])),
    };
    let post_signed = tencent_signed("POST", sha256);
    let form_type = "application/x-www-form-urlencoded";

    vec![
        seed(
            "verify_alibaba",
            "createsecret",
            &create.http_input(&create.alibaba_signed(false)),
        ),
        seed(
            "verify_alibaba",
            "createsecret-sts",
            &create.http_input(&create.alibaba_signed(true)),
        ),
        seed(
            "verify_alibaba",
            "listsecretreferences",
            &list.http_input(&list.alibaba_signed(false)),
        ),
        seed(
            "verify_alibaba",
            "unsigned",
            &list.http_input(&list.headers),
        ),
        seed(
            "verify_huawei",
            "listaiapikeys",
            &huawei.http_input(&huawei.huawei_signed()),
        ),
        seed(
            "verify_huawei",
            "unsigned-payload",
            &unsigned_payload.http_input(&unsigned_payload.huawei_signed()),
        ),
        seed("verify_huawei", "x-auth-token", &huawei.http_input(&token)),
        seed(
            "verify_tencent",
            "describeapikeysstatus-get-sha1",
            &tencent_input("GET", tencent_signed("GET", sha1), false),
        ),
        seed(
            "verify_tencent",
            "describeapikeysstatus-get-wire",
            &tencent_input("GET", tencent_signed("GET", sha256), true),
        ),
        seed(
            "verify_tencent",
            "describeapikeysstatus-post",
            &tencent_input("POST", post_signed.clone(), true),
        ),
        seed("parse_azure_bearer", "bearer", &bearer(1, AZURE_TOKEN)),
        seed(
            "parse_azure_bearer",
            "bearer-lowercase-spaces",
            &bearer(1, "  bearer   eyJ0.x.y "),
        ),
        seed(
            "parse_azure_bearer",
            "basic",
            &bearer(1, "Basic dXNlcjpwYXNz"),
        ),
        seed("parse_azure_bearer", "absent", &bearer(0, "")),
        seed(
            "roundtrip_alibaba",
            "createsecret",
            &create.sign_input(NONCE, ""),
        ),
        seed(
            "roundtrip_alibaba",
            "createsecret-sts",
            &create.sign_input(NONCE, STS_TOKEN),
        ),
        seed(
            "roundtrip_alibaba",
            "listsecretreferences",
            &list.sign_input(NONCE, ""),
        ),
        seed(
            "roundtrip_huawei",
            "listaiapikeys",
            &huawei.sign_input("", ""),
        ),
        seed(
            "roundtrip_huawei",
            "unsigned-payload",
            &unsigned_payload.sign_input("", ""),
        ),
        seed("roundtrip_tencent", "get-sha1", &tencent_sign(0, "")),
        seed("roundtrip_tencent", "post-sha256", &tencent_sign(3, "")),
        seed("roundtrip_tencent", "get-sts", &tencent_sign(0, STS_TOKEN)),
        seed(
            "mock_request",
            "alibaba-createsecret",
            &create.mock_input(1, &create.alibaba_signed(false)),
        ),
        seed(
            "mock_request",
            "alibaba-listsecretreferences-verify",
            &list.mock_input(2, &list.alibaba_signed(false)),
        ),
        seed(
            "mock_request",
            "alibaba-unsigned",
            &list.mock_input(1, &list.headers),
        ),
        seed(
            "mock_request",
            "huawei-listaiapikeys",
            &huawei.mock_input(1, &huawei.huawei_signed()),
        ),
        seed(
            "mock_request",
            "huawei-x-auth-token",
            &huawei.mock_input(1, &token),
        ),
        seed(
            "mock_request",
            "huawei-auth-off",
            &huawei.mock_input(0, &[]),
        ),
        seed(
            "mock_request",
            "tencent-describeapikeysstatus",
            &tencent_get(1),
        ),
        seed(
            "mock_request",
            "tencent-describeapikeysstatus-verify",
            &tencent_get(2),
        ),
        seed(
            "mock_request",
            "azure-listsecrets",
            &azure(1, AZURE_TOKEN, "2024-05-01"),
        ),
        seed(
            "mock_request",
            "azure-bad-api-version",
            &azure(1, AZURE_TOKEN, "2019-01-01"),
        ),
        seed(
            "mock_request",
            "azure-no-token",
            &azure(1, "", "2024-05-01"),
        ),
        seed("mock_request", "azure-prefer-code", &{
            let mut m = azure(0, AZURE_TOKEN, "2024-05-01");
            m.query.0.push(Param {
                name: "__code".into(),
                value: "404".into(),
            });
            m
        }),
        seed("mock_request", "wrong-method", &{
            let mut m = azure(1, AZURE_TOKEN, "2024-05-01");
            m.method = "GET".into();
            m
        }),
        seed(
            "mock_request",
            "payload-too-large",
            &create.mock_input(1 | 4, &[]),
        ),
        seed(
            "mock_tencent_form",
            "describeapikeysstatus",
            &tencent_form(1, form_type, &[], &post_signed),
        ),
        seed(
            "mock_tencent_form",
            "describeapikeysstatus-verify",
            &tencent_form(2, form_type, &[], &post_signed),
        ),
        seed(
            "mock_tencent_form",
            "describeapikeysstatus-auth-off",
            &tencent_form(0, form_type, &[], &post_signed),
        ),
        seed(
            "mock_tencent_form",
            "json-content-type",
            &tencent_form(1, "application/json", &[], &post_signed),
        ),
        seed(
            "mock_tencent_form",
            "action-in-query",
            &tencent_form(1, form_type, &post_signed[..1], &post_signed[1..]),
        ),
        seed(
            "mock_tencent_form",
            "unknown-action",
            &tencent_form(0, form_type, &[], &pairs(&[("Action", "DeleteApiKey")])),
        ),
        seed(
            "mock_tencent_form",
            "limit-out-of-range",
            &tencent_form(
                0,
                form_type,
                &[],
                &pairs(&[
                    ("Action", "DescribeApiKeysStatus"),
                    ("limit", "101"),
                    ("offset", "-1"),
                ]),
            ),
        ),
    ]
}
