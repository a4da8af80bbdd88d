//! `VENDOR`: everything the spec says that the runtime reads at run time.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use crate::transform::{Location, OperationFacts, SpecFacts};

/// The `VENDOR` table and the conversion of generated types' errors.
pub(crate) fn tables(facts: &SpecFacts) -> TokenStream {
    let vendor = &facts.vendor;
    let url = &facts.server_url;
    let variables = facts.server_variables.iter().map(|v| {
        let (name, default) = (&v.name, &v.default);
        quote! { (#name, #default) }
    });
    let operations = facts.operations.iter().map(|op| operation(vendor, op));
    let d = &facts.dialect;
    let (code, message, request_id, retryable) = (&d.code, &d.message, &d.request_id, &d.retryable);
    let header = optional(d.request_id_header.as_deref());
    let ok_code = optional(d.ok_code.as_deref());
    let schemes = &facts.schemes;
    quote! {
        /// What the spec says about this vendor that the runtime reads at run time.
        pub(crate) static VENDOR: crate::runtime::Vendor = crate::runtime::Vendor {
            name: #vendor,
            server: crate::runtime::Server {
                url: #url,
                variables: &[#(#variables),*],
            },
            operations: &[#(#operations),*],
            dialect: crate::runtime::Dialect {
                code: &[#(#code),*],
                message: &[#(#message),*],
                request_id: &[#(#request_id),*],
                request_id_header: #header,
                ok_code: #ok_code,
                retryable: &[#(#retryable),*],
            },
            schemes: &[#(#schemes),*],
        };

        /// A value that does not fit a generated type (a `pattern`, a length) is an invalid
        /// request, so `TryFrom` conversions work with `?` in code returning `keygate_sdk::Error`.
        impl ::std::convert::From<types::error::ConversionError> for crate::runtime::Error {
            fn from(error: types::error::ConversionError) -> Self {
                crate::runtime::Error::InvalidRequest { message: error.to_string() }
            }
        }
    }
}

fn optional(value: Option<&str>) -> TokenStream {
    match value {
        Some(text) => quote! { Some(#text) },
        None => quote! { None },
    }
}

fn operation(vendor: &str, op: &OperationFacts) -> TokenStream {
    let id = &op.id;
    let key = op.id.to_snake_case();
    let idempotent = op.idempotent;
    let constants = op.constants.iter().map(|c| {
        let location = match c.location {
            Location::Query => quote!(crate::runtime::Location::Query),
            Location::Header => quote!(crate::runtime::Location::Header),
        };
        let (name, value) = (&c.name, &c.value);
        quote! { crate::runtime::Constant { location: #location, name: #name, value: #value } }
    });
    let indexed = &op.indexed_arrays;
    quote! {
        crate::runtime::Operation {
            vendor: #vendor,
            id: #id,
            key: #key,
            idempotent: #idempotent,
            constants: &[#(#constants),*],
            indexed_arrays: &[#(#indexed),*],
        }
    }
}
