//! The matrix: every vendor x operation x documented response, discovered from the specs, called
//! through the real SDK (signed) against the real mock (verifying signatures) over a socket.

use keygate_contract_tests::cases::{self, Case, Expected};
use keygate_contract_tests::specs;
use keygate_mock::MockServer;

use crate::sdk_calls::{self, Target};

/// Checks one case; `Err` says what differed.
async fn check(case: &Case, target: &Target) -> Result<(), String> {
    let outcome = sdk_calls::call(&case.operation, target).await;
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
            if error.request_id().is_none_or(str::is_empty) && documents_request_ids(&case.vendor) {
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
        // A vendor whose calls travel several ways (Tencent: GET query or POST form) must
        // answer every way alike.
        let variants = keygate_sdk::dynamic::wire_variants(&case.vendor).expect("an SDK module");
        for variant in variants {
            let target = Target {
                prefer: Some(case.prefer()),
                ..Target::new(server.url())
            }
            .with_variant(variant);
            checked += 1;
            if let Err(why) = check(case, &target).await {
                failures.push(format!("{} {variant:?}: {why}", case.name()));
            }
        }
    }
    server.shutdown().await;
    let mut vendors: Vec<&str> = all.iter().map(|case| case.vendor.as_str()).collect();
    vendors.dedup();
    println!(
        "contract matrix: {checked} checks of {} documented responses; vendors: {}",
        all.len(),
        vendors.join(", ")
    );
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

/// Whether the vendor's answers carry a request id (`x-keygate.requestId`).
fn documents_request_ids(vendor: &str) -> bool {
    specs::for_vendor(vendor).spec.keygate.request_id.is_some()
}

#[test]
fn every_spec_vendor_has_an_sdk_module() {
    let compiled: Vec<&str> = keygate_sdk::dynamic::vendors().collect();
    for spec in specs::load_all() {
        assert!(
            compiled.contains(&spec.vendor()),
            "{}: no SDK module for vendor {} (compiled: {compiled:?})",
            spec.file_name,
            spec.vendor()
        );
    }
}
