//! The matrix: every vendor x operation x documented response, discovered from the specs, called
//! through the real SDK (signed) against the real mock (verifying signatures) over a socket.

use keygate_contract_tests::cases::{self, Case, Expected};
use keygate_mock::MockServer;

use crate::sdk_calls::{self, Target};

/// Checks one case; `Err` says what differed.
async fn check(case: &Case, target: &Target) -> Result<(), String> {
    let outcome = sdk_calls::call(&case.operation, target)
        .await
        .ok_or_else(|| {
            format!(
                "no SDK call for operation {}: add one to sdk_calls.rs",
                case.operation
            )
        })?;
    match (&case.expect, outcome) {
        (Expected::Success { ignored }, Ok(answer)) => {
            let got = cases::without_fields(&answer.body, ignored);
            let want = cases::without_fields(&case.body, ignored);
            if got != want {
                return Err(format!("decoded {got}\n    documented {want}"));
            }
            if !ignored.is_empty() && answer.request_id.is_none() {
                return Err("no request id on a success".into());
            }
            Ok(())
        }
        (
            Expected::Error {
                status,
                code,
                message,
            },
            Err(error),
        ) => {
            let got = (error.status(), error.code(), error.message());
            if got != (Some(*status), Some(code.as_str()), Some(message.as_str())) {
                return Err(format!(
                    "error {got:?}, documented ({status}, {code:?}, {message:?}): {error}"
                ));
            }
            if error.request_id().is_none_or(str::is_empty) && case.vendor != "tencent" {
                return Err(format!("no request id on the error: {error}"));
            }
            Ok(())
        }
        (Expected::Success { .. }, Err(error)) => {
            Err(format!("expected success, got error: {error}"))
        }
        (Expected::Error { .. }, Ok(answer)) => {
            Err(format!("expected an error, got success {}", answer.body))
        }
    }
}

#[tokio::test]
async fn every_documented_response_reaches_the_sdk_as_documented() {
    let server = MockServer::builder()
        .engine(sdk_calls::verifying_engine())
        .start()
        .await
        .expect("mock starts");
    let all = cases::all();
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in &all {
        // Tencent's operations go on the wire as GET or as a POST form: both must hold.
        let posts: &[bool] = if case.vendor == "tencent" {
            &[false, true]
        } else {
            &[false]
        };
        for &tencent_post in posts {
            let target = Target {
                prefer: Some(case.prefer()),
                tencent_post,
                ..Target::new(server.url())
            };
            checked += 1;
            if let Err(why) = check(case, &target).await {
                let wire = if tencent_post { " (POST form)" } else { "" };
                failures.push(format!("{}{wire}: {why}", case.name()));
            }
        }
    }
    server.shutdown().await;
    assert!(
        failures.is_empty(),
        "{} of {checked} contract cases failed:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
    assert!(
        all.len() >= 35,
        "only {} contract cases discovered",
        all.len()
    );
}
