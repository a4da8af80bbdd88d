//! `CallJson` for the `dynamic` feature: one arm per operation, setting each parameter from
//! the JSON argument of its wire name.

use std::collections::BTreeMap;

use heck::{ToPascalCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::naming::field_name;
use crate::rewrite::BuilderField;
use crate::transform::{OperationFacts, SpecError, SpecFacts};

/// The `CallJson` implementation and the vendor's `dynamic` entry.
pub(crate) fn call_json(
    facts: &SpecFacts,
    fields: &BTreeMap<String, Vec<BuilderField>>,
) -> Result<TokenStream, SpecError> {
    let arms = facts
        .operations
        .iter()
        .map(|op| {
            let builder = op.id.to_pascal_case();
            let fields = fields.get(&builder).ok_or_else(|| {
                SpecError(format!(
                    "progenitor emitted no builder {builder} for {}",
                    op.id
                ))
            })?;
            arm(op, fields)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(quote! {
        /// This vendor's way into `keygate_sdk::dynamic`.
        #[cfg(feature = "dynamic")]
        pub(crate) static DYNAMIC: crate::runtime::dynamic::Entry =
            crate::runtime::dynamic::entry_for::<Client>();

        #[cfg(feature = "dynamic")]
        impl crate::runtime::dynamic::CallJson for Client {
            fn call_json<'a>(
                &'a self,
                operation: &'a str,
                arguments: &'a crate::runtime::dynamic::Arguments,
            ) -> crate::runtime::dynamic::Answer<'a> {
                Box::pin(async move {
                    use crate::runtime::dynamic::{argument, only_known, to_json};
                    match operation {
                        #(#arms)*
                        other => Err(crate::runtime::dynamic::unknown_operation(&VENDOR, other)),
                    }
                })
            }
        }
    })
}

/// One operation: refuse unknown arguments, set each known one, send.
fn arm(op: &OperationFacts, fields: &[BuilderField]) -> Result<TokenStream, SpecError> {
    let id = &op.id;
    let method = format_ident!("{}", op.id.to_snake_case());
    let mut known = Vec::new();
    let mut setters = Vec::new();
    for field in fields {
        let wire = wire_name(op, &field.name)?;
        let setter = format_ident!("{}", field.name);
        let ty = &field.setter_type;
        setters.push(quote! {
            if let Some(value) = argument::<#ty>(arguments, #wire)? {
                call = call.#setter(value);
            }
        });
        known.push(wire);
    }
    Ok(quote! {
        #id => {
            only_known(arguments, &[#(#known),*])?;
            #[allow(unused_mut)]
            let mut call = self.#method();
            #(#setters)*
            to_json(call.send().await)
        }
    })
}

/// The wire name of a builder field: `body`, or the parameter it was named after.
fn wire_name(op: &OperationFacts, field: &str) -> Result<String, SpecError> {
    if field == "body" {
        return Ok("body".to_owned());
    }
    op.parameters
        .iter()
        .find(|wire| field_name(wire) == field)
        .cloned()
        .ok_or_else(|| {
            SpecError(format!(
                "{}: the builder field {field} matches no parameter of the spec",
                op.id
            ))
        })
}
