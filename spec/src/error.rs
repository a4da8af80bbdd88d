//! Why a spec cannot be used.

use std::path::PathBuf;

/// A spec that cannot be served or generated from, found when it is loaded.
///
/// Every message names the spec file and the place inside it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// A spec file could not be read.
    #[error("cannot read spec {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Not YAML, or not an OpenAPI 3.0 document.
    #[error("{spec}: not an OpenAPI 3.0 document: {message}")]
    Parse {
        /// Spec file name.
        spec: String,
        /// The parser's message.
        message: String,
    },
    /// A documented response (with a body) has no example to serve.
    #[error(
        "{spec}: {operation} response {status} ({media_type}) has no example; \
         every documented response needs at least one"
    )]
    MissingExample {
        /// Spec file name.
        spec: String,
        /// operationId.
        operation: String,
        /// Response key (`200`, `4XX`, `default`).
        status: String,
        /// Media type of the content without example.
        media_type: String,
    },
    /// Two operations answer the same method on the same path shape.
    #[error("ambiguous route: {first} and {second} match the same requests")]
    AmbiguousRoute {
        /// `spec: METHOD /path (operationId)`.
        first: String,
        /// `spec: METHOD /path (operationId)`.
        second: String,
    },
    /// Two specs declare the same vendor.
    #[error("specs {first} and {second} both declare vendor {vendor:?}")]
    DuplicateVendor {
        /// The vendor.
        vendor: String,
        /// First spec file name.
        first: String,
        /// Second spec file name.
        second: String,
    },
    /// Anything else that cannot be used: a dangling `$ref`, a bad extension, a schema the
    /// validator refuses, a path template that is not supported.
    #[error("{spec}: {location}: {message}")]
    Invalid {
        /// Spec file name.
        spec: String,
        /// Where in the spec (operation, parameter, extension).
        location: String,
        /// What is wrong.
        message: String,
    },
}

/// Shorthand for [`SpecError::Invalid`].
pub fn invalid(spec: &str, location: impl Into<String>, message: impl Into<String>) -> SpecError {
    SpecError::Invalid {
        spec: spec.to_owned(),
        location: location.into(),
        message: message.into(),
    }
}
