//! Published (doc, SDK unit tests) and derived vectors from vendor-facts 1.3.

use super::*;
use crate::{AccessKey, SignableRequest};
use time::OffsetDateTime;

const AK: &str = "YourAccessKeyId";
const SECRET: &str = "YourAccessKeySecret";
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn creds() -> AccessKey {
    AccessKey::new(AK, SECRET)
}

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

/// The string to sign (ACS3 puts no date in it).
fn alibaba_string_to_sign(canonical: &str) -> String {
    SCHEME.string_to_sign("", canonical)
}

/// hex(sha256(canonical request)): the string to sign's last line.
fn hcr(canonical: &str) -> String {
    alibaba_string_to_sign(canonical)
        .strip_prefix("ACS3-HMAC-SHA256\n")
        .unwrap()
        .to_owned()
}

/// Signs, then returns the Authorization value and the canonical request the verifier sees.
fn sign_and_canonical(req: &SignableRequest<'_>, date: &str, nonce: &str) -> (String, String) {
    let added = SCHEME.sign_at(req, &creds(), date, nonce);
    let all: Vec<(String, String)> = req.headers.iter().cloned().chain(added.clone()).collect();
    let signed = SignableRequest {
        headers: &all,
        ..*req
    };
    let auth = added.last().unwrap().1.clone();
    let list = auth
        .split("SignedHeaders=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    let names: Vec<&str> = list.split(';').collect();
    let hash = signed.header(CONTENT_SHA256_HEADER).unwrap();
    (
        auth.clone(),
        SCHEME.canonical_request_with_payload(&signed, &names, hash),
    )
}

#[test]
fn vector_a_doc_worked_example() {
    let h = headers(&[
        ("x-acs-action", "RunInstances"),
        ("x-acs-version", "2014-05-26"),
    ]);
    let req = SignableRequest {
        method: "POST",
        host: "ecs.cn-shanghai.aliyuncs.com",
        path: "/",
        query: "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
        headers: &h,
        body: b"",
    };
    let (auth, canonical) = sign_and_canonical(
        &req,
        "2023-10-26T10:22:32Z",
        "3156853299f313e23d1673dc12e1703d",
    );
    assert_eq!(
        hcr(&canonical),
        "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    );
    assert_eq!(
        auth,
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,\
         SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,\
         Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    );
}

#[test]
fn vector_b_go_util() {
    // Go's util leaves the method unset (""), uses URI "/" and writes `empty=`.
    let h = headers(&[("x-acs-test", "http"), ("x-acs-TEST", "https")]);
    let req = SignableRequest {
        method: "",
        host: "",
        path: "/",
        query: "test=ok&empty",
        headers: &h,
        body: b"",
    };
    let payload = "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23";
    let canonical = SCHEME.canonical_request_with_payload(&req, &["x-acs-test"], payload);
    assert_eq!(
        canonical,
        format!("\n/\nempty=&test=ok\nx-acs-test:http,https\n\nx-acs-test\n{payload}")
    );
    assert_eq!(
        signature(&"secret".into(), &alibaba_string_to_sign(&canonical)),
        "4ab59fffe3c5738ff8a2729f90cc04fe18b02a4b15b2102cbaf92f9ff3df2ea3"
    );
}

#[test]
fn vector_b_python_util_through_lower_level_functions() {
    // Python writes an empty value without `=` and an empty URI, which `canonical_request`
    // never produces (it follows the doc: `name=` and `/`), so the canonical request is
    // written out by hand; string_to_sign and signature are still the crate's.
    let canonical = "GET\n\nempty&test=ok\nx-acs-test:http,https\n\nx-acs-test\n\
                     55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23";
    assert_eq!(
        signature(&"secret".into(), &alibaba_string_to_sign(canonical)),
        "da772425f29289d3460d5fc961455d40c5e8c6afd0888b78a910c991e6a14846"
    );
}

#[test]
fn vector_c_create_secret() {
    let h = headers(&[
        ("content-type", "application/json; charset=utf-8"),
        ("x-acs-action", "CreateSecret"),
        ("x-acs-version", "2024-03-27"),
    ]);
    let body = br#"{"name":"my_secret","secretData":"apikey-123456xxxxxxxx"}"#;
    assert_eq!(
        hashed_payload(body),
        "d3042fd4a0ccfb41911b3333602978a3700f2d2cadb55337cf9e1cc39e1c3861"
    );
    let req = SignableRequest {
        method: "POST",
        host: "apig.cn-hangzhou.aliyuncs.com",
        path: "/v1/secrets",
        query: "",
        headers: &h,
        body,
    };
    let (auth, canonical) = sign_and_canonical(
        &req,
        "2026-01-07T00:00:00Z",
        "3156853299f313e23d1673dc12e1703d",
    );
    assert_eq!(
        hcr(&canonical),
        "d7aeb3c32b6abbcac05c95382df2ba3d8175b483271484be2bce6ee59e7ab895"
    );
    assert_eq!(
        auth,
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,\
         SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,\
         Signature=5a525f7a2cba2eac80b7a8d9ddec2298b787bc51086bbad9d6ab6fb8f77d9ad6"
    );
}

#[test]
fn vector_c_list_secret_references() {
    let h = headers(&[
        ("x-acs-action", "ListSecretReferences"),
        ("x-acs-version", "2024-03-27"),
    ]);
    let req = SignableRequest {
        method: "GET",
        host: "apig.cn-hangzhou.aliyuncs.com",
        path: "/v1/secrets/sec-d5e6shmm1hkoxxxxxxxx/references",
        query: "pageNumber=1&pageSize=10",
        headers: &h,
        body: b"",
    };
    let (auth, canonical) = sign_and_canonical(
        &req,
        "2026-01-07T00:00:00Z",
        "3156853299f313e23d1673dc12e1703d",
    );
    assert!(canonical.ends_with(EMPTY_SHA256));
    assert_eq!(
        hcr(&canonical),
        "d1a61467bd2516ea77530e13715b0c4391b74b501d7749bb89952cf447ff87e3"
    );
    assert!(
        auth.ends_with(
            "Signature=d9f0e63f2bbef4ed15d79dc676357070c9e81d8ec7029bd30287828f9f52e66e"
        )
    );
}

#[test]
fn date_format_matches_the_header_layout() {
    let t = OffsetDateTime::from_unix_timestamp(1_698_315_752).unwrap();
    assert_eq!(SCHEME.format_date(t), "2023-10-26T10:22:32Z");
    assert_eq!(
        SCHEME.date.parse("2023-10-26T10:22:32Z").unwrap(),
        1_698_315_752
    );
}

#[test]
fn signing_replaces_stale_generated_headers_and_adds_sts_token() {
    let h = headers(&[("X-Acs-Date", "stale"), ("x-acs-action", "A")]);
    let req = SignableRequest {
        method: "GET",
        host: "h",
        path: "/",
        query: "",
        headers: &h,
        body: b"",
    };
    let creds = creds().with_session_token("tok");
    let added = SCHEME.sign_at(&req, &creds, "2026-01-07T00:00:00Z", "n");
    assert!(added.contains(&(SECURITY_TOKEN_HEADER.to_owned(), "tok".to_owned())));
    let auth = &added.last().unwrap().1;
    assert!(auth.contains(
        "SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce,"
    ));
}
