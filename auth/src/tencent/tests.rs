//! Published and derived vectors from vendor-facts 2.3.

use super::*;

/// RFC 3986 encoding (uppercase hex), as the vectors put values on the wire. Not the
/// header-signing schemes' encoder: that one is compiled only with them.
fn encode(bytes: &[u8]) -> String {
    const RFC3986: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::percent_encode(bytes, RFC3986).to_string()
}

const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA";
const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3Cozk1qA";

const CVM: Endpoint<'static> = Endpoint {
    method: "GET",
    host: "cvm.api.qcloud.com",
    path: "/v2/index.php",
};

const APIGW: Endpoint<'static> = Endpoint {
    method: "GET",
    host: "apigateway.api.qcloud.com",
    path: "/v2/index.php",
};

fn creds() -> AccessKey {
    AccessKey::new(SECRET_ID, SECRET_KEY)
}

fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

fn sig(src: &str, method: SignatureMethod) -> String {
    signature(&SECRET_KEY.into(), src, method)
}

/// Parameters in the insertion order a client would use, deliberately unsorted.
fn v1_params() -> Vec<(String, String)> {
    params(&[
        ("offset", "0"),
        ("limit", "20"),
        ("instanceIds.0", "ins-09dx96dg"),
        ("Action", "DescribeInstances"),
        ("Region", "gz"),
        ("SecretId", SECRET_ID),
        ("Nonce", "11886"),
        ("Timestamp", "1465185768"),
    ])
}

#[test]
fn vector_v1_sha1_and_its_url_encoded_form() {
    let src = string_to_sign(&CVM, &v1_params());
    assert_eq!(
        src,
        "GETcvm.api.qcloud.com/v2/index.php?Action=DescribeInstances&Nonce=11886&Region=gz\
         &SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA&Timestamp=1465185768\
         &instanceIds.0=ins-09dx96dg&limit=20&offset=0"
    );
    let signature = sig(&src, SignatureMethod::HmacSha1);
    assert_eq!(signature, "NSI3UqqD99b/UJb4tbG/xZpRW64=");
    assert_eq!(
        encode(signature.as_bytes()),
        "NSI3UqqD99b%2FUJb4tbG%2FxZpRW64%3D"
    );
}

#[test]
fn vector_v1_sha256_derived() {
    let src = string_to_sign(&CVM, &v1_params());
    assert_eq!(
        sig(&src, SignatureMethod::HmacSha256),
        "0Fe1ft4kVgMutEqdpnlULUPTP7hCEy7mB1/JUTGo+Kg="
    );
}

#[test]
fn vector_v1_verifies_as_published_without_signature_method() {
    let mut wire = v1_params();
    wire.push((
        "Signature".to_owned(),
        "NSI3UqqD99b/UJb4tbG/xZpRW64=".to_owned(),
    ));
    let lookup = |id: &str| (id == SECRET_ID).then(|| SecretString::from(SECRET_KEY));
    let ok = verify(&CVM, &wire, lookup, 1_465_185_768, DEFAULT_WINDOW_SECS).unwrap();
    assert_eq!(ok.nonce.as_deref(), Some("11886"));
}

#[test]
fn vector_v2_sha256_through_sign() {
    let region = params(&[("Action", "DescribeInstances"), ("Region", "ap-guangzhou")]);
    let input = [region, flatten_array("InstanceIds", &["ins-09dx96dg"])].concat();
    let wire = sign(
        &CVM,
        &input,
        &creds(),
        1_465_185_768,
        11886,
        SignatureMethod::HmacSha256,
    );
    assert_eq!(
        string_to_sign(&CVM, &wire),
        "GETcvm.api.qcloud.com/v2/index.php?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg\
         &Nonce=11886&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA\
         &SignatureMethod=HmacSHA256&Timestamp=1465185768"
    );
    let (name, value) = wire.last().unwrap();
    assert_eq!(name, "Signature");
    assert_eq!(value, "0EEm/HtGRr/VJXTAD9tYMth1Bzm3lLHz5RCDv1GdM8s=");
    assert_eq!(
        encode(value.as_bytes()),
        "0EEm%2FHtGRr%2FVJXTAD9tYMth1Bzm3lLHz5RCDv1GdM8s%3D"
    );
}

#[test]
fn vector_v2_sha1_variant_through_sign() {
    let input = params(&[
        ("Action", "DescribeInstances"),
        ("InstanceIds.0", "ins-09dx96dg"),
        ("Region", "ap-guangzhou"),
    ]);
    let wire = sign(
        &CVM,
        &input,
        &creds(),
        1_465_185_768,
        11886,
        SignatureMethod::HmacSha1,
    );
    assert!(string_to_sign(&CVM, &wire).contains("&SignatureMethod=HmacSHA1&"));
    assert_eq!(wire.last().unwrap().1, "nPVnY6njQmwQ8ciqbPl5Qe+Oru4=");
}

#[test]
fn vector_v3_derived() {
    let wire = params(&[
        ("Action", "DescribeInstances"),
        ("Nonce", "345122"),
        ("Region", "gz"),
        ("SecretId", SECRET_ID),
        ("Timestamp", "1408704141"),
        ("instanceIds.0", "qcvm12345"),
        ("instanceIds.1", "qcvm56789"),
    ]);
    let src = string_to_sign(&CVM, &wire);
    assert_eq!(
        sig(&src, SignatureMethod::HmacSha1),
        "66prolcgMqz0pm5B52x1Z5ulz/Q="
    );
}

fn describe_api_keys_status() -> Vec<(String, String)> {
    let mut p = flatten_array("secretIDs", &["AKIDXXXXWKipDlK"]);
    p.extend(params(&[
        ("limit", "20"),
        ("offset", "0"),
        ("Action", "DescribeApiKeysStatus"),
        ("Region", "ap-guangzhou"),
    ]));
    p
}

#[test]
fn vector_describe_api_keys_status_get_sha1() {
    let mut p = describe_api_keys_status();
    p.extend(params(&[
        ("Nonce", "11886"),
        ("Timestamp", "1465185768"),
        ("SecretId", SECRET_ID),
    ]));
    let src = string_to_sign(&APIGW, &p);
    assert_eq!(
        src,
        "GETapigateway.api.qcloud.com/v2/index.php?Action=DescribeApiKeysStatus&Nonce=11886\
         &Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA&Timestamp=1465185768\
         &limit=20&offset=0&secretIDs.0=AKIDXXXXWKipDlK"
    );
    let signature = sig(&src, SignatureMethod::HmacSha1);
    assert_eq!(signature, "G73/p5MOh7tdIfk/9nF6WjrRbzo=");
    assert_eq!(
        encode(signature.as_bytes()),
        "G73%2Fp5MOh7tdIfk%2F9nF6WjrRbzo%3D"
    );
}

#[test]
fn vector_describe_api_keys_status_sha256_through_sign() {
    let wire = sign(
        &APIGW,
        &describe_api_keys_status(),
        &creds(),
        1_465_185_768,
        11886,
        SignatureMethod::HmacSha256,
    );
    assert_eq!(
        wire.last().unwrap().1,
        "kSm87J7E4wqrc1LBMu2xMmFyEc9mZOSjws03Ra4mKso="
    );
}

#[test]
fn vector_describe_api_keys_status_post_sha1() {
    let mut p = describe_api_keys_status();
    p.extend(params(&[
        ("Nonce", "11886"),
        ("Timestamp", "1465185768"),
        ("SecretId", SECRET_ID),
    ]));
    let post = Endpoint {
        method: "post",
        ..APIGW
    };
    let src = string_to_sign(&post, &p);
    assert!(src.starts_with("POSTapigateway.api.qcloud.com/v2/index.php?Action="));
    assert_eq!(
        sig(&src, SignatureMethod::HmacSha1),
        "rOuxu5uieQNg9PCw+pJ/qq/P5Lo="
    );
}

#[test]
fn underscores_in_names_become_dots_after_sorting() {
    let p = params(&[("a_b", "x_y"), ("a.a", "1")]);
    assert_eq!(
        string_to_sign(&CVM, &p),
        "GETcvm.api.qcloud.com/v2/index.php?a.a=1&a.b=x_y"
    );
}

#[test]
fn sign_drops_caller_copies_of_generated_params_and_adds_token() {
    let input = params(&[("Action", "A"), ("Nonce", "1"), ("Signature", "x")]);
    let creds = creds().with_session_token("tok");
    let wire = sign(&APIGW, &input, &creds, 5, 7, SignatureMethod::HmacSha1);
    let names: Vec<&str> = wire.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Action",
            "Timestamp",
            "Nonce",
            "SecretId",
            "SignatureMethod",
            "Token",
            "Signature"
        ]
    );
}
