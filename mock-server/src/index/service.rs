//! What the engine knows about one vendor's service: everything root-level in its spec.

use std::collections::HashMap;
use std::sync::Arc;

use http::HeaderName;
use openapiv3::{APIKeyLocation, SecurityScheme};

use crate::auth::schemes::{self, SchemeAdapter};
use crate::error::{SpecError, invalid};
use crate::render::template::ErrorTemplate;
use crate::spec::LoadedSpec;
use crate::spec::extensions::{ErrorFieldsExt, IdFormat};
use crate::spec::{raw, refs};

/// One spec's service-wide behaviour.
#[derive(Debug)]
pub(crate) struct Service {
    /// `x-keygate.vendor`.
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
    pub(crate) error_fields: Option<ErrorFieldsExt>,
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
    /// The keygate-auth verifier for `auth_id`, if the mock knows it.
    pub(crate) adapter: Option<&'static SchemeAdapter>,
    /// Where the credential travels.
    pub(crate) slot: CredentialSlot,
}

impl Service {
    /// Compiles the root-level parts of `spec`.
    pub(crate) fn build(spec: &LoadedSpec) -> Result<Self, SpecError> {
        let ext = &spec.ext;
        let errors = ext
            .errors
            .iter()
            .map(|(kind, t)| {
                let body = raw::walk(&spec.raw, &spec.raw, &["x-keygate", "errors", kind, "body"])
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
            api_version: spec.doc.info.version.as_str().into(),
            request_id: request_id_plan(spec)?,
            errors,
            schemes: build_schemes(spec)?,
            error_fields: ext.error_fields.clone(),
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

fn request_id_plan(spec: &LoadedSpec) -> Result<Option<RequestIdPlan>, SpecError> {
    let Some(ext) = &spec.ext.request_id else {
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

fn build_schemes(spec: &LoadedSpec) -> Result<Vec<Scheme>, SpecError> {
    let Some(components) = &spec.doc.components else {
        return Ok(Vec::new());
    };
    components
        .security_schemes
        .iter()
        .map(|(name, item)| {
            let location = format!("components.securitySchemes.{name}");
            let scheme =
                refs::resolve(&spec.doc, item).map_err(|m| invalid(&spec.name, &location, m))?;
            build_scheme(spec, &location, name, scheme)
        })
        .collect()
}

fn build_scheme(
    spec: &LoadedSpec,
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
        SecurityScheme::HTTP { extensions, .. } => (
            CredentialSlot::Header(http::header::AUTHORIZATION),
            extensions,
        ),
        SecurityScheme::OAuth2 { extensions, .. }
        | SecurityScheme::OpenIDConnect { extensions, .. } => (CredentialSlot::Bearer, extensions),
    };
    let auth_id = extensions
        .get("x-keygate-auth")
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| invalid(&spec.name, location, "x-keygate-auth must be a string"))
        })
        .transpose()?;
    Ok(Scheme {
        name: name.to_owned(),
        adapter: auth_id.as_deref().and_then(schemes::adapter),
        auth_id,
        slot,
    })
}
