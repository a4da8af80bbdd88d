//! Leaner request building in progenitor's `send` bodies, with the same bytes on the wire.
//!
//! progenitor writes, for every call: an `api-version` header (carrying `info.version`) that
//! the SDK must then remove again, in a `HeaderMap` of its own merged into the request; and
//! the URL with `format!`, each path parameter copied by `to_string()` and percent-encoded
//! into a `String` of its own by `encode_path`. Here the header goes (with the map, when it
//! held nothing else), and the URL is written into one `String`, each parameter encoded into
//! it in place by the runtime's `push_path_param` (progenitor's `encode_path`, without the
//! intermediate `String`s).
//!
//! And the answer: the SDK's attempt loop reads it in full (to read it in the vendor's dialect
//! before progenitor does), so a `reqwest::Response` rebuilt from those bytes only for
//! progenitor to read them again is skipped: the `send` calls the runtime's `send` in place of
//! `ClientHooks::exec`, and decodes the bytes as read with the same results as
//! `ResponseValue::from_response`, `ResponseValue::empty` and `Error::UnexpectedResponse`.
//! `ClientHooks::post`, which the emitted hooks leave at progenitor's no-op, is not called.

use std::collections::BTreeSet;

use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, Item, Stmt};

use crate::rewrite::UNMAPPED_SEND;

/// The header progenitor adds to every request.
const API_VERSION: &str = "api-version";

/// Rewrites every builder's unmapped `send` in `items` (the builder module).
pub(crate) fn lean_requests(items: &mut [Item]) {
    let text_fields = text_fields_by_builder(items);
    for item in items.iter_mut() {
        let Item::Impl(block) = item else { continue };
        let Some(builder) = crate::rewrite::self_type_name(&block.self_ty) else {
            continue;
        };
        let texts = text_fields.iter().find(|(name, _)| *name == builder);
        let empty = BTreeSet::new();
        let texts = texts.map_or(&empty, |(_, fields)| fields);
        for member in &mut block.items {
            if let ImplItem::Fn(method) = member
                && method.sig.ident == UNMAPPED_SEND
            {
                drop_api_version(&mut method.block.stmts);
                write_url_in_place(&mut method.block.stmts, texts);
                decode_as_read(&mut method.block.stmts);
            }
        }
    }
}

/// Each builder's fields that hold a `String`: their path parameters need no `to_string()`.
fn text_fields_by_builder(items: &[Item]) -> Vec<(String, BTreeSet<String>)> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(builder) => Some(builder),
            _ => None,
        })
        .map(|builder| {
            let texts = builder
                .fields
                .iter()
                .filter(|field| {
                    let ty = &field.ty;
                    quote!(#ty).to_string()
                        == quote!(Result<::std::string::String, String>).to_string()
                })
                .filter_map(|field| field.ident.as_ref().map(ToString::to_string))
                .collect();
            (builder.ident.to_string(), texts)
        })
        .collect()
}

/// Removes the `api-version` header; the header map too, when nothing else goes in it.
fn drop_api_version(stmts: &mut Vec<Stmt>) {
    let before = stmts.len();
    stmts.retain(|stmt| !(mentions(stmt, "header_map") && mentions_literal(stmt, API_VERSION)));
    if stmts.len() == before {
        return;
    }
    let users = stmts
        .iter()
        .filter(|stmt| mentions(stmt, "header_map"))
        .count();
    // The map's declaration and `.headers(header_map)`: nothing else uses it.
    if users == 2 {
        stmts.retain(|stmt| !is_header_map_declaration(stmt));
        for stmt in stmts.iter_mut() {
            DropHeadersCall.visit_stmt_mut(stmt);
        }
    } else {
        for stmt in stmts
            .iter_mut()
            .filter(|stmt| is_header_map_declaration(stmt))
        {
            ShrinkCapacity.visit_stmt_mut(stmt);
        }
    }
}

fn tokens(stmt: &Stmt) -> String {
    quote!(#stmt).to_string()
}

fn mentions(stmt: &Stmt, ident: &str) -> bool {
    tokens(stmt)
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .any(|word| word == ident)
}

fn mentions_literal(stmt: &Stmt, text: &str) -> bool {
    tokens(stmt).contains(&format!("\"{text}\""))
}

fn is_header_map_declaration(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::Local(local) if quote!(#local).to_string().starts_with("let mut header_map"))
}

/// `builder.headers(header_map)` becomes `builder`.
struct DropHeadersCall;

impl VisitMut for DropHeadersCall {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if let Expr::MethodCall(call) = expr
            && call.method == "headers"
            && call.args.len() == 1
            && quote!(#call).to_string().ends_with("headers (header_map)")
        {
            *expr = (*call.receiver).clone();
        }
    }
}

/// `HeaderMap::with_capacity(n)` becomes `n - 1`: the `api-version` slot is gone.
struct ShrinkCapacity;

impl VisitMut for ShrinkCapacity {
    fn visit_lit_int_mut(&mut self, lit: &mut syn::LitInt) {
        if let Ok(n) = lit.base10_parse::<usize>() {
            let n = n.saturating_sub(1).max(1);
            *lit = syn::LitInt::new(&format!("{n}usize"), lit.span());
        }
    }
}

/// `let url = format!("{}/a/{}", client.baseurl, encode_path(&x.to_string()));` becomes a
/// block that pushes each piece into one `String`. Left as it is when the macro has any
/// other shape.
fn write_url_in_place(stmts: &mut [Stmt], texts: &BTreeSet<String>) {
    for stmt in stmts.iter_mut() {
        let Stmt::Local(local) = stmt else { continue };
        let syn::Pat::Ident(name) = &local.pat else {
            continue;
        };
        if name.ident != "url" {
            continue;
        }
        let Some(init) = &mut local.init else {
            continue;
        };
        let Expr::Macro(mac) = &*init.expr else {
            continue;
        };
        if let Some(block) = url_writer(&mac.mac, texts) {
            *init.expr = block;
        }
    }
}

/// The pushes that write what `format!` (`mac`) would, or `None` for a macro of another shape.
fn url_writer(mac: &syn::Macro, texts: &BTreeSet<String>) -> Option<Expr> {
    if !mac.path.is_ident("format") {
        return None;
    }
    let args = mac
        .parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated)
        .ok()?;
    let mut args = args.into_iter();
    let Some(Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(template),
        ..
    })) = args.next()
    else {
        return None;
    };
    let template = template.value();
    let pieces: Vec<&str> = template.split("{}").collect();
    if pieces.iter().any(|p| p.contains(['{', '}'])) {
        return None;
    }
    let args: Vec<Expr> = args.collect();
    if args.len() + 1 != pieces.len() {
        return None;
    }
    let (base, params) = args.split_first()?;
    if quote!(#base).to_string() != "client . baseurl" || !pieces[0].is_empty() {
        return None;
    }
    let mut pushes = Vec::new();
    if !pieces[1].is_empty() {
        let piece = pieces[1];
        pushes.push(quote!(url.push_str(#piece);));
    }
    for (param, piece) in params.iter().zip(&pieces[2..]) {
        let value = encoded_param(param, texts)?;
        pushes.push(quote!(crate::runtime::push_path_param(&mut url, #value);));
        if !piece.is_empty() {
            pushes.push(quote!(url.push_str(#piece);));
        }
    }
    // The fixed text, and room for ids of the usual length: one allocation in the common case.
    let capacity = pieces.iter().map(|p| p.len()).sum::<usize>() + 40 * params.len();
    syn::parse2(quote!({
        let mut url = String::with_capacity(client.baseurl.len() + #capacity);
        url.push_str(&client.baseurl);
        #(#pushes)*
        url
    }))
    .ok()
}

/// The `&str` a path parameter `encode_path(&x.to_string())` encodes: `&x` itself when the
/// field holds a `String`. `None` when `expr` is not an `encode_path` call.
fn encoded_param(expr: &Expr, texts: &BTreeSet<String>) -> Option<Expr> {
    let Expr::Call(call) = expr else { return None };
    let Expr::Path(func) = &*call.func else {
        return None;
    };
    if !func.path.is_ident("encode_path") || call.args.len() != 1 {
        return None;
    }
    let arg = call.args.first()?;
    let text_field = match arg {
        Expr::Reference(reference) => match &*reference.expr {
            Expr::MethodCall(to_string)
                if to_string.method == "to_string" && to_string.args.is_empty() =>
            {
                match &*to_string.receiver {
                    Expr::Path(field) => field
                        .path
                        .get_ident()
                        .filter(|ident| texts.contains(&ident.to_string()))
                        .cloned(),
                    _ => None,
                }
            }
            _ => None,
        },
        _ => None,
    };
    Some(match text_field {
        Some(field) => syn::parse_quote!(&#field),
        None => arg.clone(),
    })
}

/// progenitor's exec/post/read sequence, on the answer as the runtime read it.
fn decode_as_read(stmts: &mut Vec<Stmt>) {
    // syn's trees compare only with its `extra-traits`: compare their tokens.
    let exec = quote!(let result = client.exec(request, &info).await;).to_string();
    let post = quote!(client.post(&result, &info).await?;).to_string();
    let Some(at) = stmts.iter().position(|stmt| tokens(stmt) == exec) else {
        return;
    };
    stmts[at] = syn::parse_quote!(
        let result = crate::runtime::send(client, request, &info).await;
    );
    stmts.retain(|stmt| tokens(stmt) != post);
    for stmt in stmts.iter_mut() {
        ReadAnswer.visit_stmt_mut(stmt);
    }
}

/// `ResponseValue::from_response(response).await`, `ResponseValue::empty(response)` and
/// `Error::UnexpectedResponse(response)` become the runtime answer's `decode()`, `empty()` and
/// `unexpected()`.
struct ReadAnswer;

impl VisitMut for ReadAnswer {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let text = quote!(#expr).to_string();
        let replacement: Option<Expr> = match text.as_str() {
            "ResponseValue :: from_response (response) . await" => {
                Some(syn::parse_quote!(response.decode()))
            }
            "ResponseValue :: empty (response)" => Some(syn::parse_quote!(response.empty())),
            "Error :: UnexpectedResponse (response)" => {
                Some(syn::parse_quote!(response.unexpected()))
            }
            _ => None,
        };
        if let Some(replacement) = replacement {
            *expr = replacement;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(expr: &Expr) -> String {
        quote!(#expr).to_string()
    }

    #[test]
    fn the_url_is_written_in_place_and_other_shapes_are_left_to_format() {
        let texts = BTreeSet::from(["id".to_owned()]);
        let mac: syn::Macro = syn::parse_quote!(format!(
            "{}/a/{}/b/{}",
            client.baseurl,
            encode_path(&id.to_string()),
            encode_path(&n.to_string()),
        ));
        let written = text(&url_writer(&mac, &texts).expect("rewritten"));
        let expected = [
            "url . push_str (& client . baseurl) ;",
            "url . push_str (\"/a/\") ;",
            "push_path_param (& mut url , & id) ;",
            "url . push_str (\"/b/\") ;",
            "push_path_param (& mut url , & n . to_string ()) ; url }",
        ];
        let mut rest = written.as_str();
        for piece in expected {
            let at = rest
                .find(piece)
                .unwrap_or_else(|| panic!("{piece} in {written}"));
            rest = &rest[at + piece.len()..];
        }
        for other in [
            syn::parse_quote!(format!("{}/a/{id}", client.baseurl)),
            syn::parse_quote!(format!("{}/a/{}", other.baseurl, encode_path(&id))),
            syn::parse_quote!(format!("{}/a/{}", client.baseurl, id)),
            syn::parse_quote!(concat!("{}/a", client.baseurl)),
        ] {
            assert!(url_writer(&other, &texts).is_none(), "{}", quote!(#other));
        }
    }
}
