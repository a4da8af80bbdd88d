//! The client shell every vendor shares, written from its spec: credentials, builder with the
//! endpoint's URL variables, the progenitor hooks, and what the runtime needs of the client.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::transform::{ServerVariable, SpecFacts};

/// The shell's items, at the top level of the generated module.
pub(crate) fn shell(facts: &SpecFacts) -> TokenStream {
    let vendor = &facts.vendor;
    let credentials_doc = format!(
        "What a {vendor} client signs with. Built with the constructors of this module's \
         `Credentials`; prints no secret."
    );
    let setters = facts
        .server_variables
        .iter()
        .map(|variable| server_setter(&facts.server_url, variable));
    quote! {
        #[doc = #credentials_doc]
        #[derive(Clone, Debug)]
        pub struct Credentials(pub(crate) crate::runtime::Credentials);

        /// Builds a [`Client`]: see [`crate::runtime::ClientBuilder`].
        pub type ClientBuilder = crate::runtime::ClientBuilder<Client>;

        pub use crate::runtime::ClientState;

        impl Client {
            /// Starts building a client that authenticates with `credentials`.
            pub fn builder(credentials: Credentials) -> ClientBuilder {
                crate::runtime::ClientBuilder::new(credentials.0)
            }
        }

        impl ClientBuilder {
            #(#setters)*
        }

        impl crate::runtime::GeneratedClient for Client {
            const VENDOR: &'static crate::runtime::Vendor = &VENDOR;

            fn from_parts(
                base_url: &str,
                http: reqwest::Client,
                state: crate::runtime::ClientState,
            ) -> Self {
                Self::new_with_client(base_url, http, state)
            }
        }

        impl ClientHooks<crate::runtime::ClientState> for Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &OperationInfo,
            ) -> ::std::result::Result<(), Error<E>> {
                crate::runtime::prepare(&self.inner, request, info)
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                crate::runtime::exec(self, request, info).await
            }
        }
    }
}

/// A builder method that fills one `{variable}` of the endpoint URL.
fn server_setter(url: &str, variable: &ServerVariable) -> TokenStream {
    let method = format_ident!("{}", variable.name.to_snake_case());
    let name = &variable.name;
    let mut doc = format!(
        "Fills `{{{name}}}` in the endpoint `{url}` (default `{}`).",
        variable.default
    );
    if !variable.description.is_empty() {
        doc.push_str(&format!(" {}", variable.description));
    }
    doc.push_str(" An endpoint set in the options wins.");
    quote! {
        #[doc = #doc]
        pub fn #method(self, value: impl Into<String>) -> Self {
            self.server_variable(#name, value.into())
        }
    }
}
