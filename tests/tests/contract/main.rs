//! keygate's contract tests: one binary, one module per concern.

mod architecture;
mod docs_tables;
mod inventory;
mod lifecycle;
mod pagination;
mod resilience;
mod sdk_against_mock;
mod sdk_calls;
mod seed_samples;
mod signing_end_to_end;
mod spec_conformance;
mod state_concurrency;
mod state_outage;
mod tls;
mod user_guide;
