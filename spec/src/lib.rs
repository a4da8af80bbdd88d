//! Reads keygate's OpenAPI specs, in one place for every crate that needs them: the SDK
//! generator, the mock server and the contract tests.
//!
//! ```
//! use keygate_spec::{Spec, ext::OperationExt};
//!
//! let specs = Spec::embedded()?;
//! let huawei = specs.iter().find(|s| s.vendor() == "huawei").expect("an embedded spec");
//! let (_, path) = huawei.openapi.paths.paths.first().expect("a path");
//! let list = path.as_item().and_then(|item| item.get.as_ref()).expect("a GET");
//! let ext = OperationExt::read(&list.extensions)?;
//! let paging = ext.pagination.expect("ListAiApiKeys pages");
//! assert_eq!(paging.parameters()?, ("offset", "limit"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! - [`SpecSource`]: spec text, from this package's own `*.yaml` files (compiled in: a new
//!   file is picked up without editing a list), a path, or memory.
//! - [`Spec`]: a parsed spec. A file without `x-keygate` is a plain OpenAPI file and gets the
//!   defaults of [`ext::ServiceExt::plain`].
//! - [`refs`]: the one `$ref` resolver, with a cycle guard.
//! - [`ext`]: the one typed reader of the `x-keygate*` extensions (spec/README.md).
//! - [`json_schema`]: OpenAPI 3.0 schemas checked as JSON Schema.

pub mod ext;
pub mod json_schema;
pub mod refs;

mod document;
mod error;
mod source;

pub use document::{Spec, check_distinct_vendors};
pub use error::{SpecError, invalid};
pub use source::{SpecSource, spec_dir};
