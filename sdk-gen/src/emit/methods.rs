//! Each operation builder's public `send` (through the runtime's attempt loop, returning the
//! SDK's own types) and, for paged lists, `into_stream`.

use std::collections::BTreeMap;

use heck::ToPascalCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::naming::field_name;
use crate::rewrite::UNMAPPED_SEND;
use crate::transform::{Moves, PageStyle, Pagination, SpecError, SpecFacts};

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
        let stream = op.pagination.as_ref().map(|p| into_stream(p, index));
        let index = syn::Index::from(index);
        impls.push(quote! {
            impl<'a> #builder<'a> {
                #[doc = #send_doc]
                pub async fn send(
                    self,
                ) -> ::std::result::Result<crate::runtime::Response<#success>, crate::runtime::Error> {
                    // Boxed: progenitor's request future is kilobytes, and every future
                    // wrapping it (and the caller's executor) would copy it on each move.
                    crate::runtime::run(
                        &super::VENDOR.operations[#index],
                        Box::pin(self.#unmapped()),
                    )
                    .await
                }
                #stream
            }
        });
    }
    Ok(quote! { #(#impls)* })
}

/// A paged operation builder's `into_stream`.
fn into_stream(paging: &Pagination, index: usize) -> TokenStream {
    let item = format_ident!("{}", paging.item_schema.to_pascal_case());
    let items = &paging.items;
    match &paging.moves {
        Moves::Position {
            style,
            position_param,
            size_param,
            default_size,
            total,
        } => {
            let position = format_ident!("{}", field_name(position_param));
            let size = format_ident!("{}", field_name(size_param));
            let style = match style {
                PageStyle::Offset => quote!(crate::runtime::Style::Offset),
                PageStyle::Page => quote!(crate::runtime::Style::Page),
            };
            let doc = format!(
                "Every item of every page, as a lazy stream: a page is fetched only when the \
                 stream reaches it, starting at the `{position_param}` set on this builder, and \
                 the stream ends at the total the service reports (or at an empty page)."
            );
            quote! {
                #[doc = #doc]
                pub fn into_stream(self) -> crate::runtime::Items<'a, types::#item> {
                    let paging = crate::runtime::Paging {
                        style: #style,
                        start: crate::runtime::position_of(&self.#position),
                        size: crate::runtime::position_of(&self.#size),
                        default_size: #default_size,
                        items: #items,
                        total: #total,
                    };
                    crate::runtime::items(self, paging, |builder, position| {
                        builder.#position(crate::runtime::Position(position)).send()
                    })
                }
            }
        }
        Moves::Link { next_link } => {
            let index = syn::Index::from(index);
            let doc = "Every item of every page, as a lazy stream: the first page as this \
                       builder asks for it, then each page the service links to, followed as \
                       the service wrote the link (on the client's own endpoint only), until a \
                       page links to none.";
            quote! {
                #[doc = #doc]
                pub fn into_stream(self) -> crate::runtime::Items<'a, types::#item> {
                    let client = self.client;
                    let paging = crate::runtime::LinkPaging {
                        items: #items,
                        next_link: #next_link,
                    };
                    crate::runtime::items_by_link(self.send(), paging, move |link| {
                        crate::runtime::follow_link(
                            client,
                            &super::VENDOR.operations[#index],
                            link,
                        )
                    })
                }
            }
        }
    }
}
