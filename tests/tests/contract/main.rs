//! keygate's contract tests: one binary, one module per concern.

mod architecture;
mod docs_tables;
mod pagination;
mod resilience;
mod sdk_against_mock;
mod sdk_calls;
mod seed_samples;
mod signing_end_to_end;
mod spec_conformance;
mod user_guide;
