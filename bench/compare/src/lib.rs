//! The Rust side of `bench/compare/run.sh`, which compares keygate-mock with other mock servers
//! on one request (Huawei's ListAiApiKeys, the documented sample):
//!
//! - `wiremock-list`: wiremock-rs serving the exact bytes keygate-mock answers, as a plain
//!   `ResponseTemplate` (no keygate code on the request path);
//! - `compare-chart`: the chart of the script's results (SVG, drawn by plotters).
//!
//! Nothing here is a library for users; the crate is not published.

/// The request the benchmark sends: Huawei ListAiApiKeys of the documented app.
pub const PATH: &str = "/v2/77b6a44cba5143ab91d13ab9a8ff44fd/apigw/instances/eddc4d25480b4cd6b512f270a1b8b341/apps/9ed8b7fe84224de681e7d7a5587e76dc/ai-api-keys";
