//! Contract tests for keygate: the specs against the vendor documents, and (as the SDK and the
//! mock land) the SDK against the mock.
//!
//! The library half holds what the test binary shares: loading the specs, walking their
//! documented examples, and turning OpenAPI 3.0 schemas into JSON Schema.
//!
//! ```
//! let specs = keygate_contract_tests::specs::load_all();
//! assert!(specs.iter().any(|s| s.file_name == "huawei-apig.yaml"));
//! ```

pub mod cases;
pub mod examples;
pub mod invocations;
pub mod raw_http;
pub mod seeds;
pub mod specs;
