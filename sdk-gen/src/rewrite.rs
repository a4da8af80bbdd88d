//! Edits to progenitor's syntax tree: its `send` methods return progenitor's own error, whose
//! `Display` prints raw response bodies, so each is renamed and kept private, and the
//! generator's mapped `send` takes its place.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use syn::{GenericArgument, ImplItem, Item, PathArguments, Type, Visibility};

use crate::emit::UNMAPPED_SEND;
use crate::transform::SpecError;

/// Renames every operation builder's `send`, and returns each builder's success type.
pub(crate) fn hide_progenitor_send(
    file: &mut syn::File,
) -> Result<BTreeMap<String, Type>, SpecError> {
    let mut success_types = BTreeMap::new();
    for item in builder_module(file)?.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let Type::Path(self_ty) = block.self_ty.as_ref() else {
            continue;
        };
        let Some(builder) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        for member in &mut block.items {
            let ImplItem::Fn(method) = member else {
                continue;
            };
            if method.sig.ident != "send" {
                continue;
            }
            method.sig.ident = syn::Ident::new(UNMAPPED_SEND, method.sig.ident.span());
            method.vis = Visibility::Inherited;
            let syn::ReturnType::Type(_, output) = &method.sig.output else {
                return Err(SpecError(format!("{builder}::send returns nothing")));
            };
            let success = success_type(output).ok_or_else(|| {
                SpecError(format!(
                    "{builder}::send does not return Result<ResponseValue<T>, _>"
                ))
            })?;
            success_types.insert(builder.clone(), success);
        }
    }
    Ok(success_types)
}

/// Appends `items` to the top-level `mod builder`.
pub(crate) fn extend_builder_module(
    file: &mut syn::File,
    items: TokenStream,
) -> Result<(), SpecError> {
    let parsed: syn::File = syn::parse2(items)
        .map_err(|e| SpecError(format!("emitted builder code does not parse: {e}")))?;
    builder_module(file)?.extend(parsed.items);
    Ok(())
}

fn builder_module(file: &mut syn::File) -> Result<&mut Vec<Item>, SpecError> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(module) if module.ident == "builder" => {
                module.content.as_mut().map(|(_, items)| items)
            }
            _ => None,
        })
        .ok_or_else(|| {
            SpecError(
                "progenitor's output has no `mod builder` (is the Builder interface set?)".into(),
            )
        })
}

/// `T` of `Result<ResponseValue<T>, _>`.
fn success_type(output: &Type) -> Option<Type> {
    let response_value = first_generic(output, "Result")?;
    first_generic(&response_value, "ResponseValue")
}

fn first_generic(ty: &Type, expected: &str) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != expected {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|arg| match arg {
        GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}
