//! Sign with the public API, put the result "on the wire", verify it back; then break it.
//! One module per access-key scheme, each compiled with its feature.
#![cfg(any(feature = "alibaba", feature = "huawei", feature = "tencent"))]

#[cfg(feature = "alibaba")]
use keygate_auth::alibaba;
#[cfg(feature = "huawei")]
use keygate_auth::huawei;
#[cfg(feature = "tencent")]
use keygate_auth::tencent;
use keygate_auth::{AccessKey, SecretString, SignableRequest, Verified, VerifyError};
#[cfg(feature = "tencent")]
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
#[cfg(any(feature = "alibaba", feature = "huawei"))]
use time::OffsetDateTime;

const NOW: i64 = 1_767_744_000; // 2026-01-07T00:00:00Z
const AK: &str = "AKID-test";
const SK: &str = "sk-test-value";

fn lookup(id: &str) -> Option<SecretString> {
    (id == AK).then(|| SecretString::from(SK))
}

fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

#[cfg(any(feature = "alibaba", feature = "huawei"))]
fn at(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix).unwrap()
}

#[cfg(any(feature = "alibaba", feature = "huawei"))]
/// Replaces (or appends) every header named `name`.
fn set_header(headers: &[(String, String)], name: &str, value: &str) -> Vec<(String, String)> {
    let mut out: Vec<_> = headers
        .iter()
        .filter(|(n, _)| !n.eq_ignore_ascii_case(name))
        .cloned()
        .collect();
    out.push((name.to_owned(), value.to_owned()));
    out
}

fn is_mismatch(r: Result<Verified, VerifyError>) -> bool {
    r == Err(VerifyError::SignatureMismatch)
}

fn is_malformed(r: Result<Verified, VerifyError>) -> bool {
    matches!(r, Err(VerifyError::Malformed { .. }))
}

#[cfg(feature = "alibaba")]
mod alibaba_acs3 {
    use super::*;

    fn creds() -> AccessKey {
        AccessKey::new(AK, SK)
    }

    fn base_headers() -> Vec<(String, String)> {
        h(&[
            ("content-type", "application/json; charset=utf-8"),
            ("x-acs-action", "UpdateSecret"),
            ("x-acs-version", "2024-03-27"),
        ])
    }

    const BODY: &[u8] = br#"{"secretData":"v"}"#;

    fn request(headers: &[(String, String)]) -> SignableRequest<'_> {
        SignableRequest {
            method: "PUT",
            host: "127.0.0.1:8443",
            path: "/v1/secrets/sec-a%20b",
            query: "dryRun=false",
            headers,
            body: BODY,
        }
    }

    /// Headers of the signed request, as the mock receives them.
    fn signed(date_unix: i64) -> Vec<(String, String)> {
        let base = base_headers();
        let date = alibaba::SCHEME.format_date(at(date_unix));
        let added = alibaba::SCHEME.sign_at(&request(&base), &creds(), &date, "nonce-1");
        [base, added].concat()
    }

    #[test]
    fn sign_then_verify() {
        let wire = signed(NOW);
        let ok = alibaba::SCHEME
            .verify_signature(&request(&wire), lookup, NOW + 60)
            .unwrap();
        assert_eq!(
            ok,
            Verified {
                access_key_id: AK.to_owned(),
                nonce: Some("nonce-1".to_owned()),
                timestamp_unix: NOW,
            }
        );
    }

    #[test]
    fn sts_token_is_sent_and_signed() {
        let base = base_headers();
        let creds = creds().with_session_token("sts-token");
        let added = alibaba::SCHEME.sign_at(
            &request(&base),
            &creds,
            &alibaba::SCHEME.format_date(at(NOW)),
            "n",
        );
        let wire = [base, added].concat();
        assert!(
            alibaba::SCHEME
                .verify_signature(&request(&wire), lookup, NOW)
                .is_ok()
        );
        let swapped = set_header(&wire, "x-acs-security-token", "other");
        assert!(is_mismatch(alibaba::SCHEME.verify_signature(
            &request(&swapped),
            lookup,
            NOW
        )));
    }

    #[test]
    fn tampering_fails() {
        let wire = signed(NOW);
        let req = request(&wire);
        let cases = [
            SignableRequest {
                method: "POST",
                ..req
            },
            SignableRequest {
                path: "/v1/secrets/sec-other",
                ..req
            },
            SignableRequest {
                query: "dryRun=true",
                ..req
            },
            SignableRequest {
                host: "127.0.0.1:9443",
                ..req
            },
            SignableRequest {
                body: br#"{"secretData":"w"}"#,
                ..req
            },
        ];
        for case in cases {
            assert!(
                is_mismatch(alibaba::SCHEME.verify_signature(&case, lookup, NOW)),
                "{case:?}"
            );
        }
        let action = set_header(&wire, "x-acs-action", "DeleteSecret");
        assert!(is_mismatch(alibaba::SCHEME.verify_signature(
            &request(&action),
            lookup,
            NOW
        )));
        let date = set_header(
            &wire,
            "x-acs-date",
            &alibaba::SCHEME.format_date(at(NOW + 1)),
        );
        assert!(is_mismatch(alibaba::SCHEME.verify_signature(
            &request(&date),
            lookup,
            NOW
        )));
    }

    #[test]
    fn date_outside_window_is_expired() {
        let wire = signed(NOW - 901);
        assert_eq!(
            alibaba::SCHEME.verify_signature(&request(&wire), lookup, NOW),
            Err(VerifyError::Expired { skew_secs: 901 })
        );
        assert!(
            alibaba::SCHEME
                .verify_signature(&request(&signed(NOW - 900)), lookup, NOW)
                .is_ok()
        );
    }

    #[test]
    fn unsigned_extra_headers_do_not_matter() {
        let wire = [signed(NOW), h(&[("user-agent", "x"), ("Accept", "*/*")])].concat();
        assert!(
            alibaba::SCHEME
                .verify_signature(&request(&wire), lookup, NOW)
                .is_ok()
        );
    }

    #[test]
    fn equivalent_path_encodings_verify() {
        // Signed as `sec-a%20b`; a client that wrote `sec-a b`'s space differently, or
        // encoded an unreserved character, lands on the same canonical URI.
        let wire = signed(NOW);
        let req = request(&wire);
        for path in ["/v1/secrets/sec-a%20b", "/v1/secrets/sec%2Da%20b"] {
            assert!(
                alibaba::SCHEME
                    .verify_signature(&SignableRequest { path, ..req }, lookup, NOW)
                    .is_ok()
            );
        }
    }

    #[test]
    fn real_client_signing_more_headers_verifies() {
        let wire = [
            base_headers(),
            h(&[
                ("accept", "application/json"),
                ("user-agent", "AlibabaCloud (Linux) Python/3.12 Core/0.3"),
                ("x-acs-credentials-provider", "static_ak"),
                ("x-acs-date", "2026-01-07T00:00:00Z"),
                ("x-acs-signature-nonce", "0123456789abcdef0123456789abcdef"),
                ("x-acs-content-sha256", &alibaba::hashed_payload(BODY)),
            ]),
        ]
        .concat();
        let names = [
            "accept",
            "content-type",
            "host",
            "user-agent",
            "x-acs-action",
            "x-acs-content-sha256",
            "x-acs-credentials-provider",
            "x-acs-date",
            "x-acs-signature-nonce",
            "x-acs-version",
        ];
        let req = request(&wire);
        let canonical = alibaba::SCHEME.canonical_request(&req, &names);
        let sig = alibaba::signature(&SK.into(), &alibaba::SCHEME.string_to_sign("", &canonical));
        let auth = format!(
            "ACS3-HMAC-SHA256 Credential={AK},SignedHeaders={},Signature={sig}",
            names.join(";")
        );
        let wire = [wire, h(&[("Authorization", &auth)])].concat();
        assert!(
            alibaba::SCHEME
                .verify_signature(&request(&wire), lookup, NOW)
                .is_ok()
        );
        let ua = set_header(&wire, "user-agent", "other");
        assert!(is_mismatch(alibaba::SCHEME.verify_signature(
            &request(&ua),
            lookup,
            NOW
        )));
    }

    fn with_auth(value: &str) -> Vec<(String, String)> {
        set_header(&signed(NOW), "Authorization", value)
    }

    #[test]
    fn auth_failures_have_distinct_kinds() {
        let no_auth: Vec<_> = signed(NOW)
            .into_iter()
            .filter(|(n, _)| n != "Authorization")
            .collect();
        assert_eq!(
            alibaba::SCHEME.verify_signature(&request(&no_auth), lookup, NOW),
            Err(VerifyError::Missing {
                what: "Authorization"
            })
        );
        for garbage in [
            "garbage",
            "ACS3-HMAC-SHA256 garbage",
            "HMAC-SHA1 Credential=x",
        ] {
            assert!(is_malformed(alibaba::SCHEME.verify_signature(
                &request(&with_auth(garbage)),
                lookup,
                NOW
            )));
        }
        let partial = with_auth("ACS3-HMAC-SHA256 Credential=x,SignedHeaders=host");
        assert_eq!(
            alibaba::SCHEME.verify_signature(&request(&partial), lookup, NOW),
            Err(VerifyError::Missing { what: "Signature" })
        );
        let wire = signed(NOW);
        let auth = wire.last().unwrap().1.replace(AK, "AKID-unknown");
        assert_eq!(
            alibaba::SCHEME.verify_signature(&request(&with_auth(&auth)), lookup, NOW),
            Err(VerifyError::UnknownAccessKey {
                access_key_id: "AKID-unknown".to_owned()
            })
        );
        let bad_sig = wire.last().unwrap().1.replace("Signature=", "Signature=00");
        assert!(is_mismatch(alibaba::SCHEME.verify_signature(
            &request(&with_auth(&bad_sig)),
            lookup,
            NOW
        )));
    }

    #[test]
    fn essential_headers_must_be_signed_and_well_formed() {
        let wire = signed(NOW);
        let auth = &wire.last().unwrap().1;
        let unsigned_nonce = auth.replace("x-acs-signature-nonce;", "");
        assert!(is_malformed(alibaba::SCHEME.verify_signature(
            &request(&with_auth(&unsigned_nonce)),
            lookup,
            NOW
        )));
        let bad_date = set_header(&wire, "x-acs-date", "2026-01-07 00:00:00");
        assert!(is_malformed(alibaba::SCHEME.verify_signature(
            &request(&bad_date),
            lookup,
            NOW
        )));
        let no_nonce: Vec<_> = wire
            .iter()
            .filter(|(n, _)| n != "x-acs-signature-nonce")
            .cloned()
            .collect();
        assert_eq!(
            alibaba::SCHEME.verify_signature(&request(&no_nonce), lookup, NOW),
            Err(VerifyError::Missing {
                what: "x-acs-signature-nonce"
            })
        );
    }
}

#[cfg(feature = "huawei")]
mod huawei_sdk_hmac {
    use super::*;

    fn creds() -> AccessKey {
        AccessKey::new(AK, SK)
    }

    const BODY: &[u8] = br#"{"alias":"k1"}"#;

    fn request(headers: &[(String, String)]) -> SignableRequest<'_> {
        SignableRequest {
            method: "POST",
            host: "127.0.0.1:8080",
            path: "/v2/p/apigw/instances/i/apps/a/ai-api-keys",
            query: "x=1",
            headers,
            body: BODY,
        }
    }

    fn base_headers() -> Vec<(String, String)> {
        h(&[("Content-Type", "application/json"), ("X-Project-Id", "p")])
    }

    fn signed(date_unix: i64) -> Vec<(String, String)> {
        let base = base_headers();
        let date = huawei::SCHEME.format_date(at(date_unix));
        let added = huawei::SCHEME.sign_at(&request(&base), &creds(), &date, "");
        [base, added].concat()
    }

    #[test]
    fn sign_then_verify() {
        let wire = signed(NOW);
        assert!(
            wire.last()
                .unwrap()
                .1
                .contains("SignedHeaders=content-type;host;x-project-id;x-sdk-date,")
        );
        let ok = huawei::SCHEME
            .verify_signature(&request(&wire), lookup, NOW)
            .unwrap();
        assert_eq!(
            (ok.access_key_id.as_str(), ok.nonce, ok.timestamp_unix),
            (AK, None, NOW)
        );
    }

    #[test]
    fn sts_token_is_sent_and_signed() {
        let base = base_headers();
        let creds = creds().with_session_token("sts-token");
        let added = huawei::SCHEME.sign_at(
            &request(&base),
            &creds,
            &huawei::SCHEME.format_date(at(NOW)),
            "",
        );
        assert!(
            added
                .last()
                .unwrap()
                .1
                .contains(";x-sdk-date;x-security-token,")
        );
        let wire = [base, added].concat();
        assert!(
            huawei::SCHEME
                .verify_signature(&request(&wire), lookup, NOW)
                .is_ok()
        );
    }

    #[test]
    fn tampering_fails() {
        let wire = signed(NOW);
        let req = request(&wire);
        let cases = [
            SignableRequest {
                method: "PUT",
                ..req
            },
            SignableRequest {
                path: "/v2/p/apigw/instances/i/apps/b/ai-api-keys",
                ..req
            },
            SignableRequest {
                query: "x=2",
                ..req
            },
            SignableRequest {
                host: "127.0.0.1:8081",
                ..req
            },
            SignableRequest { body: b"{}", ..req },
        ];
        for case in cases {
            assert!(
                is_mismatch(huawei::SCHEME.verify_signature(&case, lookup, NOW)),
                "{case:?}"
            );
        }
        let project = set_header(&wire, "X-Project-Id", "q");
        assert!(is_mismatch(huawei::SCHEME.verify_signature(
            &request(&project),
            lookup,
            NOW
        )));
        let date = set_header(
            &wire,
            "X-Sdk-Date",
            &huawei::SCHEME.format_date(at(NOW - 1)),
        );
        assert!(is_mismatch(huawei::SCHEME.verify_signature(
            &request(&date),
            lookup,
            NOW
        )));
        let far = set_header(
            &wire,
            "X-Sdk-Date",
            &huawei::SCHEME.format_date(at(NOW + 901)),
        );
        assert_eq!(
            huawei::SCHEME.verify_signature(&request(&far), lookup, NOW),
            Err(VerifyError::Expired { skew_secs: -901 })
        );
    }

    #[test]
    fn real_client_signing_more_headers_verifies() {
        let wire = [
            base_headers(),
            h(&[
                ("User-Agent", "huaweicloud-usdk-python/3.0"),
                ("X-Sdk-Date", "20260107T000000Z"),
            ]),
        ]
        .concat();
        let names = [
            "content-type",
            "host",
            "user-agent",
            "x-project-id",
            "x-sdk-date",
        ];
        let canonical = huawei::SCHEME.canonical_request(&request(&wire), &names);
        let sig = huawei::signature(
            &SK.into(),
            &huawei::SCHEME.string_to_sign("20260107T000000Z", &canonical),
        );
        let auth = format!(
            "SDK-HMAC-SHA256 Access={AK}, SignedHeaders={}, Signature={sig}",
            names.join(";")
        );
        let wire = [wire, h(&[("Authorization", &auth), ("X-Unsigned", "x")])].concat();
        assert!(
            huawei::SCHEME
                .verify_signature(&request(&wire), lookup, NOW)
                .is_ok()
        );
    }

    #[test]
    fn declared_payload_hash_is_checked_unless_unsigned() {
        let base = [
            base_headers(),
            h(&[(huawei::CONTENT_SHA256_HEADER, huawei::UNSIGNED_PAYLOAD)]),
        ]
        .concat();
        let added = huawei::SCHEME.sign_at(
            &request(&base),
            &creds(),
            &huawei::SCHEME.format_date(at(NOW)),
            "",
        );
        let wire = [base, added].concat();
        let other_body = SignableRequest {
            body: b"{}",
            ..request(&wire)
        };
        assert!(
            huawei::SCHEME
                .verify_signature(&other_body, lookup, NOW)
                .is_ok()
        );

        let lying = set_header(&signed(NOW), huawei::CONTENT_SHA256_HEADER, &"0".repeat(64));
        assert!(is_mismatch(huawei::SCHEME.verify_signature(
            &request(&lying),
            lookup,
            NOW
        )));
    }

    #[test]
    fn auth_failures_have_distinct_kinds_and_error_detail() {
        let wire = signed(NOW);
        let no_auth: Vec<_> = wire
            .iter()
            .filter(|(n, _)| n != "Authorization")
            .cloned()
            .collect();
        assert_eq!(
            huawei::SCHEME.verify_signature(&request(&no_auth), lookup, NOW),
            Err(VerifyError::Missing {
                what: "Authorization"
            })
        );
        let garbage = set_header(&wire, "Authorization", "SDK-HMAC-SHA256 nonsense");
        assert!(is_malformed(huawei::SCHEME.verify_signature(
            &request(&garbage),
            lookup,
            NOW
        )));
        assert_eq!(
            keygate_auth::Scheme::mismatch_detail(&huawei::SCHEME, &request(&garbage)),
            None
        );

        let auth = wire.last().unwrap().1.replace(AK, "AKID-unknown");
        let unknown = set_header(&wire, "Authorization", &auth);
        assert!(matches!(
            huawei::SCHEME.verify_signature(&request(&unknown), lookup, NOW),
            Err(VerifyError::UnknownAccessKey { .. })
        ));
        let no_host = set_header(
            &wire,
            "Authorization",
            &wire.last().unwrap().1.replace("host;", ""),
        );
        assert!(is_malformed(huawei::SCHEME.verify_signature(
            &request(&no_host),
            lookup,
            NOW
        )));

        let detail =
            keygate_auth::Scheme::mismatch_detail(&huawei::SCHEME, &request(&wire)).unwrap();
        assert!(detail.starts_with("POST|/v2/p/apigw/instances/i/apps/a/ai-api-keys/|x=1|"));
        assert!(!detail.contains('\n'));
    }
}

#[cfg(feature = "tencent")]
mod tencent_legacy {
    use super::*;

    const ENDPOINT: tencent::Endpoint<'static> = tencent::Endpoint {
        method: "GET",
        host: "127.0.0.1:8080",
        path: "/v2/index.php",
    };

    fn creds() -> AccessKey {
        AccessKey::new(AK, SK)
    }

    fn action_params() -> Vec<(String, String)> {
        let mut p = tencent::flatten_array("secretIDs", &["AKIDa", "AKIDb"]);
        p.extend(h(&[
            ("offset", "0"),
            ("limit", "20"),
            ("searchName", "my key/+="),
            ("Action", "DescribeApiKeysStatus"),
            ("RequestClient", "SDK_PYTHON_2.0.15"),
            ("Region", "ap-guangzhou"),
        ]));
        p
    }

    /// How the official SDK puts parameters in a query or form body: every value encoded once.
    fn encode(params: &[(String, String)]) -> String {
        params
            .iter()
            .map(|(n, v)| {
                format!(
                    "{}={}",
                    utf8_percent_encode(n, NON_ALPHANUMERIC),
                    utf8_percent_encode(v, NON_ALPHANUMERIC)
                )
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    fn sign(timestamp: i64, method: tencent::SignatureMethod) -> Vec<(String, String)> {
        tencent::sign(
            &ENDPOINT,
            &action_params(),
            &creds(),
            timestamp,
            9_223_372_036_854_775_807,
            method,
        )
    }

    fn verify(params: &[(String, String)]) -> Result<Verified, VerifyError> {
        tencent::verify(&ENDPOINT, params, lookup, NOW, tencent::DEFAULT_WINDOW_SECS)
    }

    #[test]
    fn get_round_trip_through_the_query_string() {
        for method in [
            tencent::SignatureMethod::HmacSha1,
            tencent::SignatureMethod::HmacSha256,
        ] {
            let query = encode(&sign(NOW, method));
            let headers = Vec::new();
            let received = SignableRequest {
                method: "GET",
                host: "127.0.0.1:8080",
                path: "/v2/index.php",
                query: &query,
                headers: &headers,
                body: b"",
            };
            let ok = verify(&received.query_pairs()).unwrap();
            assert_eq!(ok.nonce.as_deref(), Some("9223372036854775807"));
            assert_eq!((ok.access_key_id.as_str(), ok.timestamp_unix), (AK, NOW));
        }
    }

    #[test]
    fn post_round_trip_through_a_form_body_with_plus_for_space() {
        let post = tencent::Endpoint {
            method: "POST",
            ..ENDPOINT
        };
        let wire = tencent::sign(
            &post,
            &action_params(),
            &creds(),
            NOW,
            1,
            Default::default(),
        );
        let body = encode(&wire).replace("%20", "+");
        let headers = Vec::new();
        let received = SignableRequest {
            method: "POST",
            host: "127.0.0.1:8080",
            path: "/v2/index.php",
            query: "",
            headers: &headers,
            body: body.as_bytes(),
        };
        let params = received.form_pairs();
        assert!(tencent::verify(&post, &params, lookup, NOW, tencent::DEFAULT_WINDOW_SECS).is_ok());
        assert!(
            is_mismatch(verify(&params)),
            "a GET signature is not a POST one"
        );
    }

    #[test]
    fn sts_token_is_signed() {
        let creds = creds().with_session_token("sts-token");
        let wire = tencent::sign(
            &ENDPOINT,
            &action_params(),
            &creds,
            NOW,
            1,
            Default::default(),
        );
        assert!(verify(&wire).is_ok());
        let swapped: Vec<_> = wire
            .iter()
            .map(|(n, v)| {
                (
                    n.clone(),
                    if n == "Token" {
                        "x".to_owned()
                    } else {
                        v.clone()
                    },
                )
            })
            .collect();
        assert!(is_mismatch(verify(&swapped)));
    }

    fn replace(params: &[(String, String)], name: &str, value: &str) -> Vec<(String, String)> {
        params
            .iter()
            .map(|(n, v)| {
                (
                    n.clone(),
                    if n == name {
                        value.to_owned()
                    } else {
                        v.clone()
                    },
                )
            })
            .collect()
    }

    #[test]
    fn tampering_fails() {
        let wire = sign(NOW, Default::default());
        for endpoint in [
            tencent::Endpoint {
                method: "POST",
                ..ENDPOINT
            },
            tencent::Endpoint {
                path: "/v2/other.php",
                ..ENDPOINT
            },
            tencent::Endpoint {
                host: "127.0.0.1:8081",
                ..ENDPOINT
            },
        ] {
            let r = tencent::verify(&endpoint, &wire, lookup, NOW, tencent::DEFAULT_WINDOW_SECS);
            assert!(is_mismatch(r), "{endpoint:?}");
        }
        assert!(is_mismatch(verify(&replace(&wire, "limit", "100"))));
        assert!(is_mismatch(verify(&replace(&wire, "secretIDs.1", "AKIDc"))));
        assert!(is_mismatch(verify(&replace(
            &wire,
            "Timestamp",
            &(NOW + 1).to_string()
        ))));
        assert!(is_mismatch(verify(&replace(
            &wire,
            "SignatureMethod",
            "HmacSHA256"
        ))));
        let extra = [wire.clone(), h(&[("orderby", "x")])].concat();
        assert!(is_mismatch(verify(&extra)));
        let stale = sign(NOW - 7201, Default::default());
        assert_eq!(
            verify(&stale),
            Err(VerifyError::Expired { skew_secs: 7201 })
        );
        assert!(verify(&sign(NOW - 7200, Default::default())).is_ok());
        let strict = tencent::verify(
            &ENDPOINT,
            &sign(NOW - 301, Default::default()),
            lookup,
            NOW,
            300,
        );
        assert_eq!(strict, Err(VerifyError::Expired { skew_secs: 301 }));
    }

    #[test]
    fn auth_failures_have_distinct_kinds() {
        let wire = sign(NOW, Default::default());
        let without = |name: &str| -> Vec<(String, String)> {
            wire.iter().filter(|(n, _)| n != name).cloned().collect()
        };
        assert_eq!(
            verify(&without("Signature")),
            Err(VerifyError::Missing { what: "Signature" })
        );
        assert_eq!(
            verify(&without("SecretId")),
            Err(VerifyError::Missing { what: "SecretId" })
        );
        assert!(is_malformed(verify(&replace(
            &wire,
            "Timestamp",
            "yesterday"
        ))));
        assert!(is_malformed(verify(&replace(&wire, "Nonce", "-1"))));
        assert!(is_malformed(verify(&replace(
            &wire,
            "SignatureMethod",
            "HmacMD5"
        ))));
        assert!(is_mismatch(verify(&replace(
            &wire,
            "Signature",
            "garbage!"
        ))));
        let twice = [wire.clone(), h(&[("Signature", "x")])].concat();
        assert!(is_malformed(verify(&twice)));
        assert_eq!(
            verify(&replace(&wire, "SecretId", "AKID-unknown")),
            Err(VerifyError::UnknownAccessKey {
                access_key_id: "AKID-unknown".to_owned()
            })
        );
    }
}
