//! What the engine knows about one vendor's service: everything root-level in its spec.

use std::collections::HashMap;
use std::sync::Arc;

use http::HeaderName;
use http::header::AUTHORIZATION;
use keygate_auth::Presence;
use keygate_spec::ext::{self, ErrorFields, IdFormat};
use keygate_spec::{Spec, SpecError, invalid, refs};
use openapiv3::{APIKeyLocation, SecurityScheme};

use crate::render::template::ErrorTemplate;

/// One spec's service-wide behaviour.
#[derive(Debug)]
pub(crate) struct Service {
    /// `x-keygate.vendor`, or the file's name for a plain spec.
    pub(crate) vendor: Arc<str>,
    /// `info.version`, the `{apiVersion}` placeholder.
    pub(crate) api_version: Box<str>,
    /// Where fresh request ids go; `None` when the service sends none.
    pub(crate) request_id: Option<RequestIdPlan>,
    /// Error templates by kind.
    pub(crate) errors: HashMap<Box<str>, ErrorTemplate>,
    /// Security schemes by name.
    pub(crate) schemes: Vec<Scheme>,
    /// The error dialect, for answers no template covers.
    pub(crate) error_fields: Option<ErrorFields>,
    /// `x-keygate.resources`: what the mock keeps between requests.
    pub(crate) resources: Vec<super::stateful::Resource>,
}

/// `x-keygate.requestId`, ready to use.
#[derive(Debug, Clone)]
pub(crate) struct RequestIdPlan {
    /// Response header carrying the id.
    pub(crate) header: Option<HeaderName>,
    /// Shape of the id.
    pub(crate) format: IdFormat,
    /// Top-level body fields overwritten with it.
    pub(crate) body_fields: Vec<String>,
    /// `(request header, response header)` pairs copied back.
    pub(crate) echo: Vec<(HeaderName, HeaderName)>,
}

/// Where a scheme's credential travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CredentialSlot {
    /// A header, e.g. `X-Auth-Token` or `Authorization`.
    Header(HeaderName),
    /// A query (or form) parameter.
    Query(String),
    /// `Authorization: Bearer <token>` (OAuth2, OpenID Connect, HTTP bearer).
    Bearer,
}

/// A security scheme of the spec.
#[derive(Debug)]
pub(crate) struct Scheme {
    /// Name under `components/securitySchemes`.
    pub(crate) name: String,
    /// `x-keygate-auth`, if given.
    pub(crate) auth_id: Option<String>,
    /// The keygate-auth scheme `auth_id` names, if keygate-auth implements it: it checks
    /// presence, verifies, and says which parameters belong to the credential.
    pub(crate) auth: Option<&'static dyn keygate_auth::Scheme>,
    /// Where the credential travels: what presence means for a scheme without `auth`.
    pub(crate) slot: CredentialSlot,
    /// `auth`'s presence rule, copied out of it: one indirect call less per request.
    pub(crate) presence: Option<Presence>,
    /// The headers the presence check reads, parsed once: a lookup by `&str` parses the
    /// name on every request.
    pub(crate) presence_headers: Box<[HeaderName]>,
}

impl Service {
    /// Compiles the root-level parts of `spec`.
    pub(crate) fn build(spec: &Spec) -> Result<Self, SpecError> {
        let ext = &spec.keygate;
        let errors = ext
            .errors
            .iter()
            .map(|(kind, t)| {
                let body = spec
                    .error_template_body(kind)
                    .cloned()
                    .or_else(|| serde_yaml::to_value(&t.body).ok())
                    .unwrap_or(serde_yaml::Value::Null);
                ErrorTemplate::compile(t, body)
                    .map(|c| (Box::from(kind.as_str()), c))
                    .map_err(|m| invalid(&spec.name, format!("x-keygate.errors.{kind}"), m))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            vendor: Arc::from(ext.vendor.as_str()),
            api_version: spec.openapi.info.version.as_str().into(),
            request_id: request_id_plan(spec)?,
            errors,
            schemes: build_schemes(spec)?,
            error_fields: ext.error_fields.clone(),
            resources: ext
                .resources
                .iter()
                .map(|(name, ext)| super::stateful::Resource {
                    name: name.as_str().into(),
                    ext: ext.clone(),
                })
                .collect(),
        })
    }

    /// Index of the scheme named `name`.
    pub(crate) fn scheme_index(&self, name: &str) -> Option<usize> {
        self.schemes.iter().position(|s| s.name == name)
    }
}

fn header_name(spec: &str, location: &str, name: &str) -> Result<HeaderName, SpecError> {
    HeaderName::try_from(name)
        .map_err(|_| invalid(spec, location, format!("{name:?} is not a header name")))
}

fn request_id_plan(spec: &Spec) -> Result<Option<RequestIdPlan>, SpecError> {
    let Some(ext) = &spec.keygate.request_id else {
        return Ok(None);
    };
    let location = "x-keygate.requestId";
    let header = ext
        .header
        .as_deref()
        .map(|h| header_name(&spec.name, location, h))
        .transpose()?;
    let echo = ext
        .echo
        .iter()
        .map(|(from, to)| {
            Ok((
                header_name(&spec.name, location, from)?,
                header_name(&spec.name, location, to)?,
            ))
        })
        .collect::<Result<_, SpecError>>()?;
    Ok(Some(RequestIdPlan {
        header,
        format: ext.format,
        body_fields: ext.body_fields.clone(),
        echo,
    }))
}

fn build_schemes(spec: &Spec) -> Result<Vec<Scheme>, SpecError> {
    let Some(components) = &spec.openapi.components else {
        return Ok(Vec::new());
    };
    components
        .security_schemes
        .iter()
        .map(|(name, item)| {
            let location = format!("components.securitySchemes.{name}");
            let scheme = refs::component(&spec.openapi, item)
                .map_err(|e| invalid(&spec.name, &location, e.to_string()))?;
            build_scheme(spec, &location, name, scheme)
        })
        .collect()
}

fn build_scheme(
    spec: &Spec,
    location: &str,
    name: &str,
    scheme: &SecurityScheme,
) -> Result<Scheme, SpecError> {
    let (slot, extensions) = match scheme {
        SecurityScheme::APIKey {
            location: APIKeyLocation::Header,
            name: header,
            extensions,
            ..
        } => (
            CredentialSlot::Header(header_name(&spec.name, location, header)?),
            extensions,
        ),
        SecurityScheme::APIKey {
            location: APIKeyLocation::Query,
            name: param,
            extensions,
            ..
        } => (CredentialSlot::Query(param.clone()), extensions),
        SecurityScheme::APIKey { .. } => {
            return Err(invalid(
                &spec.name,
                location,
                "cookie credentials are not supported",
            ));
        }
        SecurityScheme::HTTP {
            scheme, extensions, ..
        } if scheme.eq_ignore_ascii_case("bearer") => (CredentialSlot::Bearer, extensions),
        SecurityScheme::HTTP { extensions, .. } => {
            (CredentialSlot::Header(AUTHORIZATION), extensions)
        }
        SecurityScheme::OAuth2 { extensions, .. }
        | SecurityScheme::OpenIDConnect { extensions, .. } => (CredentialSlot::Bearer, extensions),
    };
    let auth_id = ext::scheme_auth(extensions).map_err(|m| invalid(&spec.name, location, m))?;
    let auth = auth_id.as_deref().and_then(keygate_auth::scheme);
    let presence = auth.map(|a| *a.presence());
    let presence_headers = presence_headers(presence.as_ref(), &slot);
    Ok(Scheme {
        name: name.to_owned(),
        auth,
        auth_id,
        slot,
        presence,
        presence_headers,
    })
}

/// The headers a scheme's presence check reads: the ones its keygate-auth rule names, else
/// its slot's.
fn presence_headers(presence: Option<&Presence>, slot: &CredentialSlot) -> Box<[HeaderName]> {
    let header = match (presence, slot) {
        (Some(Presence::Authorization { .. } | Presence::Bearer), _) => Some(AUTHORIZATION),
        // keygate-auth's own name: valid, else its lookups are merely slower.
        (Some(Presence::Header(name)), _) => HeaderName::try_from(*name).ok(),
        (Some(Presence::Params(_)), _) => None,
        (None, CredentialSlot::Header(name)) => Some(name.clone()),
        (None, CredentialSlot::Bearer) => Some(AUTHORIZATION),
        (None, CredentialSlot::Query(_)) => None,
    };
    header.into_iter().collect()
}
