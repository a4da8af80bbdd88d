//! Every scheme through the one interface callers use: looked up by id, signed, the result put
//! "on the wire", checked for presence and verified back.

#[cfg(any(feature = "alibaba", feature = "huawei", feature = "tencent"))]
use std::borrow::Cow;

#[cfg(any(feature = "alibaba", feature = "huawei", feature = "tencent"))]
use keygate_auth::Carrier;
use keygate_auth::{
    AccessKey, Credential, CredentialKind, Freshness, SCHEMES, SecretString, SignError,
    SignableRequest, VerifyError, scheme,
};

const NOW: i64 = 1_767_744_000;
const FRESH: Freshness = Freshness {
    now_unix: NOW,
    nonce: 0x3156_8532_99f3_13e2_3d16_73dc_12e1_703d,
};

fn credential_for(kind: CredentialKind) -> Credential {
    match kind {
        CredentialKind::AccessKey => {
            Credential::AccessKey(AccessKey::new("AK", "SK").with_session_token("sts"))
        }
        CredentialKind::Token => Credential::Token("token-value".into()),
    }
}

fn lookup(id: &str) -> Option<SecretString> {
    (id == "AK").then(|| SecretString::from("SK"))
}

/// A request as the mock receives it, after signing put headers and parameters on it.
struct Wire {
    method: &'static str,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Wire {
    fn view(&self) -> SignableRequest<'_> {
        SignableRequest {
            method: self.method,
            host: "127.0.0.1:4010",
            path: "/v1/things",
            query: &self.query,
            headers: &self.headers,
            body: &self.body,
        }
    }
}

fn encode(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            let enc = |s: &str| {
                percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
                    .to_string()
            };
            format!("{}={}", enc(k), enc(v))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Signs a GET or a form POST with `scheme` and returns it as received.
fn signed(id: &str, method: &'static str) -> Wire {
    let scheme = scheme(id).unwrap();
    let form = method == "POST";
    let mut wire = Wire {
        method,
        query: if form {
            String::new()
        } else {
            "Action=List&limit=5".into()
        },
        headers: vec![(
            "content-type".into(),
            "application/x-www-form-urlencoded".into(),
        )],
        body: if form {
            b"Action=List&limit=5".to_vec()
        } else {
            Vec::new()
        },
    };
    let signed = scheme
        .sign(
            &wire.view(),
            &credential_for(scheme.credential_kind()),
            FRESH,
        )
        .unwrap();
    for (name, value) in signed.headers {
        wire.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        wire.headers.push((name, value));
    }
    if let Some(params) = signed.params {
        match form {
            true => wire.body = encode(&params).into_bytes(),
            false => wire.query = encode(&params),
        }
    }
    wire
}

#[test]
fn every_scheme_signs_what_it_verifies_by_get_and_post() {
    for scheme in SCHEMES {
        for method in ["GET", "POST"] {
            let wire = signed(scheme.id(), method);
            let view = wire.view();
            scheme
                .presence()
                .check(&view)
                .unwrap_or_else(|e| panic!("{} {method}: presence: {e}", scheme.id()));
            let verified = scheme
                .verify(&view, &lookup, NOW)
                .unwrap_or_else(|e| panic!("{} {method}: {e}", scheme.id()));
            match scheme.credential_kind() {
                CredentialKind::AccessKey => {
                    assert_eq!(verified.unwrap().access_key_id, "AK", "{}", scheme.id())
                }
                CredentialKind::Token => assert!(verified.is_none(), "{}", scheme.id()),
            }
        }
    }
}

#[test]
fn signatures_bind_the_request_and_expire() {
    for scheme in SCHEMES
        .iter()
        .filter(|s| s.credential_kind() == CredentialKind::AccessKey)
    {
        let wire = signed(scheme.id(), "GET");
        let tampered = Wire {
            query: wire.query.replace("limit=5", "limit=6"),
            ..signed(scheme.id(), "GET")
        };
        assert_eq!(
            scheme.verify(&tampered.view(), &lookup, NOW),
            Err(VerifyError::SignatureMismatch),
            "{}",
            scheme.id()
        );
        let late = NOW + i64::try_from(scheme.window_secs()).unwrap() + 1;
        assert!(
            matches!(
                scheme.verify(&wire.view(), &lookup, late),
                Err(VerifyError::Expired { .. })
            ),
            "{}",
            scheme.id()
        );
    }
}

#[test]
#[cfg(feature = "huawei")]
fn the_session_token_travels_signed_in_a_header() {
    let wire = signed("huawei-sdk-hmac-sha256", "GET");
    let view = wire.view();
    assert_eq!(view.header("x-security-token"), Some("sts"));
}

#[test]
#[cfg(feature = "tencent")]
fn the_session_token_travels_signed_as_a_parameter() {
    let wire = signed("tencent-legacy-hmac", "GET");
    let params = keygate_auth::decode_pairs(&wire.query);
    assert!(params.contains(&("Token".into(), "sts".into())));
    assert!(params.contains(&("Action".into(), "List".into())));
}

#[test]
fn a_credential_of_the_wrong_kind_is_refused() {
    // Unsigned: refusing the credential comes before reading the request.
    let wire = Wire {
        method: "GET",
        query: "Action=List&limit=5".into(),
        headers: Vec::new(),
        body: Vec::new(),
    };
    for scheme in SCHEMES {
        let other = match scheme.credential_kind() {
            CredentialKind::AccessKey => credential_for(CredentialKind::Token),
            CredentialKind::Token => credential_for(CredentialKind::AccessKey),
        };
        let error = scheme.sign(&wire.view(), &other, FRESH).unwrap_err();
        assert!(matches!(error, SignError::WrongCredential { .. }));
        assert!(!error.to_string().contains("SK"), "{error}");
    }
}

/// Headers only, as the mock's presence mode sees a request.
#[cfg(any(feature = "alibaba", feature = "huawei", feature = "tencent"))]
struct Headers(&'static [(&'static str, &'static str)]);

#[cfg(any(feature = "alibaba", feature = "huawei", feature = "tencent"))]
impl Carrier for Headers {
    fn header(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    fn param(&self, _name: &str) -> Option<Cow<'_, str>> {
        None
    }
}

#[test]
#[cfg(feature = "alibaba")]
fn presence_tells_missing_from_malformed() {
    let acs3 = scheme("alibaba-acs3-hmac-sha256").unwrap().presence();
    assert_eq!(
        acs3.check(&Headers(&[])),
        Err(VerifyError::Missing {
            what: "Authorization"
        })
    );
    let wrong = Headers(&[("Authorization", "SDK-HMAC-SHA256 Access=a")]);
    assert!(matches!(
        acs3.check(&wrong),
        Err(VerifyError::Malformed { .. })
    ));
    let partial = Headers(&[(
        "Authorization",
        "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=,Signature=x",
    )]);
    assert!(matches!(
        acs3.check(&partial),
        Err(VerifyError::Malformed { .. })
    ));
}

#[test]
#[cfg(feature = "huawei")]
fn a_token_header_is_present_when_not_blank() {
    let token = scheme("huawei-token").unwrap().presence();
    assert!(token.check(&Headers(&[("X-Auth-Token", "t")])).is_ok());
    assert!(token.check(&Headers(&[("X-Auth-Token", " ")])).is_err());
}

#[test]
#[cfg(feature = "tencent")]
fn parameter_presence_names_the_missing_parameter() {
    let tencent = scheme("tencent-legacy-hmac").unwrap().presence();
    assert_eq!(
        tencent.check(&Headers(&[])),
        Err(VerifyError::Missing { what: "SecretId" })
    );
}

#[test]
fn unknown_ids_are_none() {
    assert!(scheme("no-such-scheme").is_none());
}
