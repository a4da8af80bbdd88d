//! The client shell every vendor shares: builder, state, and how a generated client is made.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use keygate_auth::{CredentialKind, Scheme};

use super::credentials::Credentials;
use super::quirks::{HasQuirks, Quirks};
use super::vendor::Vendor;
use crate::error::Error;
use crate::options::ClientOptions;
use crate::retry::RetryPolicy;

/// What the runtime needs of a generated client: sdk-gen implements it for each vendor's
/// progenitor `Client`.
pub trait GeneratedClient: HasQuirks + Sized {
    /// The vendor's tables, from its spec.
    const VENDOR: &'static Vendor;

    /// The client over a base URL, an HTTP client and the runtime state.
    fn from_parts(base_url: &str, http: reqwest::Client, state: ClientState) -> Self;
}

/// Builds a vendor's `Client`: credentials, endpoint and timeouts ([`ClientOptions`]), the
/// endpoint's URL variables, and the vendor's own settings.
pub struct ClientBuilder<C: GeneratedClient> {
    credentials: Credentials,
    server_values: Vec<(&'static str, String)>,
    options: ClientOptions,
    quirks: C::Quirks,
    client: PhantomData<fn() -> C>,
}

impl<C: GeneratedClient> ClientBuilder<C> {
    /// A builder with the vendor's defaults.
    pub(crate) fn new(credentials: Credentials) -> Self {
        Self {
            credentials,
            server_values: Vec::new(),
            options: ClientOptions::default(),
            quirks: C::Quirks::default(),
            client: PhantomData,
        }
    }

    /// Endpoint override (a private endpoint, a proxy, the mock), timeouts, retries.
    pub fn options(mut self, options: ClientOptions) -> Self {
        self.options = options;
        self
    }

    /// The client; fails when a setting the vendor needs is missing, or when no scheme of
    /// the vendor signs with the credentials given.
    pub fn build(self) -> Result<C, Error> {
        self.quirks.check()?;
        let vendor = C::VENDOR;
        let scheme = scheme_for(vendor, self.credentials.kind())?;
        let values: Vec<(&str, &str)> = self
            .server_values
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        let base_url = self.options.base_url(&vendor.server, &values);
        let region = self
            .quirks
            .region()
            .map(str::to_owned)
            .or_else(|| vendor.server.variable("region", &values).map(str::to_owned));
        let state = ClientState(Arc::new(State {
            vendor,
            region,
            scheme,
            credentials: self.credentials,
            retry: self.options.retry.clone(),
            quirks: Box::new(self.quirks),
        }));
        Ok(C::from_parts(
            &base_url,
            self.options.build_http_client()?,
            state,
        ))
    }

    /// Fills the endpoint URL's `{name}` (a region).
    pub(crate) fn server_variable(mut self, name: &'static str, value: String) -> Self {
        self.server_values.retain(|(n, _)| *n != name);
        self.server_values.push((name, value));
        self
    }

    /// The vendor's own settings, for its builder methods.
    pub(crate) fn quirks_mut(&mut self) -> &mut C::Quirks {
        &mut self.quirks
    }
}

impl<C: GeneratedClient> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("vendor", &C::VENDOR.name)
            .field("credentials", &self.credentials)
            .field("server_values", &self.server_values)
            .field("options", &self.options)
            .field("settings", &self.quirks)
            .finish()
    }
}

/// The first of the vendor's schemes that signs with this kind of credential.
fn scheme_for(vendor: &Vendor, kind: CredentialKind) -> Result<&'static dyn Scheme, Error> {
    vendor
        .schemes
        .iter()
        .filter_map(|id| keygate_auth::scheme(id))
        .find(|scheme| scheme.credential_kind() == kind)
        .ok_or_else(|| {
            Error::credentials(format!("{} clients do not sign with {kind}", vendor.name))
        })
}

/// A client's credentials and settings. Opaque: build clients with their `Client::builder`.
#[derive(Clone)]
pub struct ClientState(Arc<State>);

struct State {
    vendor: &'static Vendor,
    /// The region calls go to, where the vendor has regions.
    region: Option<String>,
    scheme: &'static dyn Scheme,
    credentials: Credentials,
    retry: RetryPolicy,
    quirks: Box<dyn Prepare>,
}

impl ClientState {
    pub(crate) fn vendor(&self) -> &'static Vendor {
        self.0.vendor
    }

    /// The region calls go to: the endpoint's `{region}` or the vendor's region setting.
    #[cfg(feature = "inventory")]
    pub(crate) fn region(&self) -> Option<&str> {
        self.0.region.as_deref()
    }

    pub(crate) fn scheme(&self) -> &'static dyn Scheme {
        self.0.scheme
    }

    pub(crate) fn credentials(&self) -> &Credentials {
        &self.0.credentials
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.0.retry
    }

    /// Shapes a request the vendor's own way, once per call.
    pub(crate) fn prepare(&self, request: &mut reqwest::Request) -> Result<(), Error> {
        self.0.quirks.prepare(request)
    }
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientState")
            .field("vendor", &self.0.vendor.name)
            .field("region", &self.0.region)
            .field("scheme", &self.0.scheme.id())
            .field("credentials", &self.0.credentials)
            .field("settings", &self.0.quirks)
            .field("retry", &self.0.retry)
            .finish()
    }
}

/// The part of [`Quirks`] a built client uses, object-safe.
trait Prepare: fmt::Debug + Send + Sync {
    fn prepare(&self, request: &mut reqwest::Request) -> Result<(), Error>;
}

impl<Q: Quirks> Prepare for Q {
    fn prepare(&self, request: &mut reqwest::Request) -> Result<(), Error> {
        Quirks::prepare(self, request)
    }
}
