//! Bytes out of what start-up prepared: bodies serialized with holes, listing windows, error
//! templates with placeholders, fresh request ids, and the built-in answers for kinds a spec
//! does not define.
//!
//! Nothing here knows the index or the request pipeline: the index prepares these parts, and
//! the engine puts them together per request.

pub(crate) mod body;
pub(crate) mod builtin;
pub(crate) mod page;
pub(crate) mod request_id;
pub(crate) mod template;
