//! Nothing that holds a secret may print it, whichever way it is formatted.

#[cfg(feature = "huawei")]
use keygate_auth::SignableRequest;
#[cfg(any(feature = "huawei", feature = "tencent"))]
use keygate_auth::VerifyError;
// Alibaba's verifier is checked against the Huawei-signed request.
#[cfg(all(feature = "alibaba", feature = "huawei"))]
use keygate_auth::alibaba;
#[cfg(feature = "azure")]
use keygate_auth::azure;
#[cfg(feature = "huawei")]
use keygate_auth::huawei;
#[cfg(feature = "tencent")]
use keygate_auth::tencent;
use keygate_auth::{AccessKey, Credential, REDACTED, SecretString};

const SECRET: &str = "S3CRET-must-not-leak";
const TOKEN: &str = "T0KEN-must-not-leak";
#[cfg(any(feature = "huawei", feature = "tencent"))]
const NOW: i64 = 1_767_744_000;

fn renderings(value: &(impl std::fmt::Debug + ?Sized)) -> [String; 2] {
    [format!("{value:?}"), format!("{value:#?}")]
}

fn assert_clean(text: &str, also_forbidden: &[&str]) {
    for forbidden in [SECRET, TOKEN].iter().chain(also_forbidden) {
        assert!(!text.contains(forbidden), "{forbidden:?} leaked in {text}");
    }
}

#[cfg(feature = "huawei")]
fn no_secret() -> Option<SecretString> {
    None
}

#[test]
fn secret_string_prints_the_placeholder_only() {
    let s = SecretString::from(SECRET);
    assert_eq!(format!("{s}"), REDACTED);
    assert_eq!(format!("{s:?}"), REDACTED);
    assert_eq!(
        format!("{:?}", Some(s.clone())),
        format!("Some({REDACTED})")
    );
    #[cfg(feature = "azure")]
    assert_clean(
        &format!("{:?}", azure::authorization_value(&TOKEN.into())),
        &[],
    );
}

#[test]
fn credentials_structs_redact() {
    let texts = [
        renderings(&AccessKey::new("AK", SECRET).with_session_token(TOKEN)),
        renderings(&Credential::AccessKey(
            AccessKey::new("AK", SECRET).with_session_token(TOKEN),
        )),
    ];
    for text in texts.iter().flatten() {
        assert_clean(text, &[]);
        assert!(text.contains(REDACTED) && text.contains("AK"), "{text}");
    }
}

/// Every error kind each verifier can return for a request signed with `SECRET` + `TOKEN`
/// (Huawei's; the other schemes' errors where they are compiled in).
#[test]
#[cfg(feature = "huawei")]
fn verify_errors_and_request_views_redact() {
    let creds = AccessKey::new("AK", SECRET).with_session_token(TOKEN);
    let base = vec![("Content-Type".to_owned(), "application/json".to_owned())];
    let req = SignableRequest {
        method: "GET",
        host: "h",
        path: "/p",
        query: "",
        headers: &base,
        body: b"",
    };
    let wire = [
        base.clone(),
        huawei::SCHEME.sign_at(&req, &creds, "20260107T000000Z", ""),
    ]
    .concat();
    let signature = wire
        .last()
        .unwrap()
        .1
        .split("Signature=")
        .nth(1)
        .unwrap()
        .to_owned();
    let signed = SignableRequest {
        headers: &wire,
        ..req
    };
    let right = |_: &str| Some(SecretString::from(SECRET));

    #[allow(
        unused_mut,
        reason = "the other schemes add theirs when they are compiled in"
    )]
    let mut errors = vec![
        huawei::SCHEME
            .verify_signature(&signed, right, NOW + 10_000)
            .unwrap_err(),
        huawei::SCHEME
            .verify_signature(&signed, |_: &str| no_secret(), NOW)
            .unwrap_err(),
        huawei::SCHEME
            .verify_signature(
                &SignableRequest {
                    query: "x=1",
                    ..signed
                },
                right,
                NOW,
            )
            .unwrap_err(),
        huawei::SCHEME
            .verify_signature(&req, right, NOW)
            .unwrap_err(),
    ];
    #[cfg(feature = "alibaba")]
    errors.push(
        alibaba::SCHEME
            .verify_signature(&signed, right, NOW)
            .unwrap_err(),
    );
    #[cfg(feature = "azure")]
    errors.push(azure::parse_bearer(Some(&format!("Basic {TOKEN}"))).unwrap_err());
    for error in &errors {
        for text in renderings(error).iter().chain([&error.to_string()]) {
            assert_clean(text, &[&signature]);
        }
    }
    assert!(errors.contains(&VerifyError::SignatureMismatch));
    for text in renderings(&signed) {
        assert_clean(&text, &[&signature]);
    }
}

/// Tencent's mismatch, for a request signed with `SECRET` + `TOKEN`.
#[test]
#[cfg(feature = "tencent")]
fn tencent_verify_errors_redact() {
    let right = |_: &str| Some(SecretString::from(SECRET));
    let tencent_wire = tencent::sign(
        &tencent::Endpoint {
            method: "GET",
            host: "h",
            path: "/",
        },
        &[],
        &AccessKey::new("AK", SECRET).with_session_token(TOKEN),
        NOW,
        1,
        tencent::SignatureMethod::HmacSha1,
    );
    let tencent_sig = tencent_wire.last().unwrap().1.clone();
    let endpoint = tencent::Endpoint {
        method: "POST",
        host: "h",
        path: "/",
    };
    let error = tencent::verify(&endpoint, &tencent_wire, right, NOW, 60).unwrap_err();
    assert_eq!(error, VerifyError::SignatureMismatch);
    for text in renderings(&error).iter().chain([&error.to_string()]) {
        assert_clean(text, &[&tencent_sig]);
    }
}
