//! Published and derived vectors from vendor-facts 3.3.

use super::*;
use crate::canonical::canonical_query;
use crate::crypto::sha256_hex;
use crate::{AccessKey, SignableRequest};
use time::OffsetDateTime;

const AK: &str = "QTWAOYTTINDUT2QVKYUC";
const SK: &str = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn creds() -> AccessKey {
    AccessKey::new(AK, SK)
}

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

fn hcr(canonical: &str) -> String {
    sha256_hex(canonical.as_bytes())
}

/// Signs and returns the headers added plus the canonical request over the signed headers.
fn sign_and_canonical(req: &SignableRequest<'_>, date: &str) -> (Vec<(String, String)>, String) {
    let added = SCHEME.sign_at(req, &creds(), date, "");
    let all: Vec<(String, String)> = req.headers.iter().cloned().chain(added.clone()).collect();
    let signed = SignableRequest {
        headers: &all,
        ..*req
    };
    let auth = &added.last().unwrap().1;
    let list = auth
        .split("SignedHeaders=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    let names: Vec<&str> = list.split(';').collect();
    (added.clone(), SCHEME.canonical_request(&signed, &names))
}

#[test]
fn vector_a_doc_and_java_sdk() {
    let h = headers(&[("Content-Type", "application/json")]);
    let req = SignableRequest {
        method: "GET",
        host: "service.region.example.com",
        path: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
        query: "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
        headers: &h,
        body: b"",
    };
    let (added, canonical) = sign_and_canonical(&req, "20191115T033655Z");
    assert_eq!(
        canonical,
        format!(
            "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\n\
             limit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n\
             content-type:application/json\nhost:service.region.example.com\n\
             x-sdk-date:20191115T033655Z\n\ncontent-type;host;x-sdk-date\n{EMPTY_SHA256}"
        )
    );
    assert_eq!(
        hcr(&canonical),
        "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
    );
    assert_eq!(
        added,
        headers(&[
            ("X-Sdk-Date", "20191115T033655Z"),
            (
                "Authorization",
                "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, \
                 Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
            ),
        ])
    );
}

#[test]
fn vector_b_go_sdk_signs_only_the_date() {
    let h = headers(&[("X-Sdk-Date", "20060102T150405Z")]);
    let req = SignableRequest {
        method: "GET",
        host: "example.huaweicloud.com",
        path: "/path",
        query: "limit=1",
        headers: &h,
        body: b"",
    };
    let canonical = SCHEME.canonical_request(&req, &["x-sdk-date"]);
    assert_eq!(
        canonical,
        format!("GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\n{EMPTY_SHA256}")
    );
    assert_eq!(
        signature(
            &"SecretKey".into(),
            &SCHEME.string_to_sign("20060102T150405Z", &canonical)
        ),
        "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"
    );
}

#[test]
fn vector_b_go_sdk_query_escaping_pin() {
    // The Go test's values, as a form encoder would put them on the wire, unsorted.
    let wire = "test=%E4%B8%80+%28%26%3D%3F%21%23%25.*%29&path=/tmp/123&multi=3&multi=1&multi=2\
                &limit=1&enable=true";
    assert_eq!(
        canonical_query(wire),
        "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123\
         &test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29"
    );
}

#[test]
fn vector_c_list_ai_api_keys() {
    let h = headers(&[("Content-Type", "application/json")]);
    let req = SignableRequest {
        method: "GET",
        host: "apig.cn-north-4.myhuaweicloud.com",
        path: "/v2/77b6a44cba5143ab91d13ab9a8ff44fd/apigw/instances/eddc4d25480b4cd6b512f270a1b8b341\
               /apps/9ed8b7fe84224de681e7d7a5587e76dc/ai-api-keys",
        query: "limit=20&offset=0",
        headers: &h,
        body: b"",
    };
    let (added, canonical) = sign_and_canonical(&req, "20191115T033655Z");
    assert_eq!(
        hcr(&canonical),
        "241e7532fd457e761e9dddb44ac1a4fc2c7dbf15186b62d5533a0c6c3aa2d4d0"
    );
    assert!(added.last().unwrap().1.ends_with(
        "SignedHeaders=content-type;host;x-sdk-date, \
         Signature=c98ecf1d8d39f82fa64516f098e59b95ffbea551414e4c255c625549adfc3e5d"
    ));
}

#[test]
fn declared_payload_hash_replaces_the_body_hash() {
    let h = headers(&[(CONTENT_SHA256_HEADER, UNSIGNED_PAYLOAD)]);
    let req = SignableRequest {
        method: "PUT",
        host: "h",
        path: "",
        query: "",
        headers: &h,
        body: b"anything",
    };
    assert!(
        SCHEME
            .canonical_request(&req, &["host"])
            .ends_with("\nhost\nUNSIGNED-PAYLOAD")
    );
}

#[test]
fn repeated_headers_give_one_sorted_line_each() {
    let h = headers(&[("X-A", "2"), ("x-a", " 1 ")]);
    let req = SignableRequest {
        method: "GET",
        host: "h",
        path: "/",
        query: "",
        headers: &h,
        body: b"",
    };
    assert!(
        SCHEME
            .canonical_request(&req, &["x-a"])
            .contains("\nx-a:1\nx-a:2\n\nx-a\n")
    );
}

#[test]
fn date_format_matches_the_header_layout() {
    let t = OffsetDateTime::from_unix_timestamp(1_573_789_015).unwrap();
    assert_eq!(SCHEME.format_date(t), "20191115T033655Z");
    assert_eq!(
        SCHEME.date.parse("20191115T033655Z").unwrap(),
        1_573_789_015
    );
}
