//! keygate's contract tests: one binary, one module per concern.

mod seed_samples;
mod spec_conformance;
