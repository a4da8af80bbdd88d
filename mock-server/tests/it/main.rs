//! keygate-mock over real sockets: one binary, one module per concern.

mod admin;
mod auth;
mod bad_input;
mod binary;
mod common;
mod connections;
mod examples;
mod faults;
mod limits;
mod pagination;
mod plain_spec;
mod prefer;
mod request_id;
mod routing;
mod shutdown;
mod tencent;
mod tls;
mod validation;
mod wiremock_adapter;
