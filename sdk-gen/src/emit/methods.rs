//! The code the generator adds to progenitor's output: the wire tables the SDK's hooks read,
//! and per-operation `send` / `into_stream` methods that return `keygate_sdk` types.

use heck::{ToPascalCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use std::collections::BTreeMap;

use crate::transform::{Location, OperationFacts, PageStyle, SpecError, SpecFacts};

/// Name progenitor's own `send` gets once the generator has renamed it.
pub(crate) const UNMAPPED_SEND: &str = "send_unmapped";

/// `SERVER` and `OPERATIONS`, at the top level of the generated module.
pub(crate) fn tables(facts: &SpecFacts) -> TokenStream {
    let vendor = &facts.vendor;
    let url = &facts.server_url;
    let variables = facts
        .server_variables
        .iter()
        .map(|(name, default)| quote! { (#name, #default) });
    let operations = facts.operations.iter().map(|op| operation(vendor, op));
    quote! {
        /// The spec's first server: URL template and its variables with their defaults.
        pub(crate) const SERVER: crate::wire::Server = crate::wire::Server {
            url: #url,
            variables: &[#(#variables),*],
        };

        /// Per-operation wire facts that progenitor's client does not carry.
        pub(crate) static OPERATIONS: &[crate::wire::Operation] = &[#(#operations),*];

        /// A value that does not fit a generated type (a `pattern`, a length) is an invalid
        /// request, so `TryFrom` conversions work with `?` in code returning `keygate_sdk::Error`.
        impl ::std::convert::From<types::error::ConversionError> for crate::Error {
            fn from(error: types::error::ConversionError) -> Self {
                crate::Error::InvalidRequest { message: error.to_string() }
            }
        }
    }
}

fn operation(vendor: &str, op: &OperationFacts) -> TokenStream {
    let id = &op.id;
    let key = op.id.to_snake_case();
    let idempotent = op.idempotent;
    let constants = op.constants.iter().map(|c| {
        let location = match c.location {
            Location::Query => quote!(crate::wire::Location::Query),
            Location::Header => quote!(crate::wire::Location::Header),
        };
        let (name, value) = (&c.name, &c.value);
        quote! { crate::wire::Constant { location: #location, name: #name, value: #value } }
    });
    let indexed = &op.indexed_arrays;
    quote! {
        crate::wire::Operation {
            vendor: #vendor,
            id: #id,
            key: #key,
            idempotent: #idempotent,
            constants: &[#(#constants),*],
            indexed_arrays: &[#(#indexed),*],
        }
    }
}

/// The public methods added to each operation's builder, inside `mod builder`.
///
/// `success_types` maps each builder's name to the success type its `send` decodes, as read
/// from progenitor's output.
pub(crate) fn builder_methods(
    facts: &SpecFacts,
    success_types: &BTreeMap<String, syn::Type>,
) -> Result<TokenStream, SpecError> {
    let unmapped = format_ident!("{}", UNMAPPED_SEND);
    let mut impls = Vec::new();
    for (index, op) in facts.operations.iter().enumerate() {
        let builder_name = op.id.to_pascal_case();
        let success = success_types.get(&builder_name).ok_or_else(|| {
            SpecError(format!(
                "progenitor emitted no builder named {builder_name} for {}",
                op.id
            ))
        })?;
        let builder = format_ident!("{}", builder_name);
        let retry_note = if op.idempotent {
            "Safe to repeat: throttling, 5xx and transport failures are retried as the client's \
             [`RetryPolicy`](crate::RetryPolicy) allows."
                .to_owned()
        } else {
            format!(
                "Not marked idempotent in the spec (a {}), so it is sent once and not retried, \
                 unless the vendor module's documentation lists it as a read.",
                op.method
            )
        };
        let send_doc = format!(
            "Sends `{}`: the SDK adds the operation's fixed parameters and the credentials, \
             signs the request, and maps every failure to [`crate::Error`].\n\n{retry_note}",
            op.id
        );
        let stream = op.pagination.as_ref().map(|p| {
            let item = format_ident!("{}", p.item_schema.to_pascal_case());
            let position = format_ident!("{}", p.position_param.to_snake_case());
            let size = format_ident!("{}", p.size_param.to_snake_case());
            let style = match p.style {
                PageStyle::Offset => quote!(crate::paginate::Style::Offset),
                PageStyle::Page => quote!(crate::paginate::Style::Page),
            };
            let (items, total, default_size) = (&p.items, &p.total, p.default_size);
            let doc = format!(
                "Every item of every page, as a lazy stream: a page is fetched only when the \
                 stream reaches it, starting at the `{}` set on this builder, and the stream \
                 ends at the total the service reports (or at an empty page).",
                p.position_param
            );
            quote! {
                #[doc = #doc]
                pub fn into_stream(self) -> crate::paginate::Items<'a, types::#item> {
                    let paging = crate::paginate::Paging {
                        style: #style,
                        start: crate::paginate::position_of(&self.#position),
                        size: crate::paginate::position_of(&self.#size),
                        default_size: #default_size,
                        items: #items,
                        total: #total,
                    };
                    crate::paginate::items(self, paging, |builder, position| {
                        builder.#position(crate::paginate::Position(position)).send()
                    })
                }
            }
        });
        let index = syn::Index::from(index);
        impls.push(quote! {
            impl<'a> #builder<'a> {
                #[doc = #send_doc]
                pub async fn send(
                    self,
                ) -> ::std::result::Result<crate::Response<#success>, crate::Error> {
                    // Boxed: progenitor's request future is kilobytes, and every future
                    // wrapping it (and the caller's executor) would copy it on each move.
                    crate::call::run(&super::OPERATIONS[#index], Box::pin(self.#unmapped()))
                        .await
                }
                #stream
            }
        });
    }
    Ok(quote! { #(#impls)* })
}
