//! The auth step, configured: the mode, the test credentials, and the nonces seen.

use std::collections::HashMap;

use keygate_auth::{SecretString, SignableRequest, VerifyError};

use super::replay::ReplayGuard;
use super::{AuthFailure, AuthMode, Credential, presence};
use crate::index::Operation;
use crate::index::service::{Scheme, Service};
use crate::request::Inputs;

/// The auth step, configured.
#[derive(Debug, Default)]
pub(crate) struct Authenticator {
    mode: AuthMode,
    /// vendor -> access key id -> secret.
    secrets: HashMap<String, HashMap<String, SecretString>>,
    replay: ReplayGuard,
}

impl Authenticator {
    pub(crate) fn new(mode: AuthMode, credentials: &[Credential]) -> Self {
        let mut secrets: HashMap<String, HashMap<String, SecretString>> = HashMap::new();
        for c in credentials {
            secrets
                .entry(c.vendor.clone())
                .or_default()
                .insert(c.access_key_id.clone(), c.secret.clone());
        }
        Self {
            mode,
            secrets,
            replay: ReplayGuard::default(),
        }
    }

    pub(crate) fn mode(&self) -> AuthMode {
        self.mode
    }

    /// Passes when one of the operation's security alternatives passes entirely. Otherwise
    /// reports the failure of the alternative the client evidently tried (a credential that
    /// is there but wrong beats one that is absent).
    pub(crate) fn check(
        &self,
        service: &Service,
        op: &Operation,
        inputs: &Inputs<'_>,
        now: i64,
    ) -> Result<(), AuthFailure> {
        if self.mode == AuthMode::Off || op.security.is_empty() {
            return Ok(());
        }
        let mut reported: Option<AuthFailure> = None;
        for alternative in &op.security {
            let outcome = alternative
                .iter()
                .try_for_each(|&i| self.check_scheme(service, &service.schemes[i], inputs, now));
            let Err(failure) = outcome else {
                return Ok(());
            };
            let better = match &reported {
                None => true,
                Some(current) => current.kind == "auth-missing" && failure.kind != "auth-missing",
            };
            if better {
                reported = Some(failure);
            }
        }
        reported.map_or(Ok(()), Err)
    }

    /// Presence, then (verify mode, a scheme keygate-auth implements) the signature and the
    /// nonce.
    fn check_scheme(
        &self,
        service: &Service,
        scheme: &Scheme,
        inputs: &Inputs<'_>,
        now: i64,
    ) -> Result<(), AuthFailure> {
        presence::check(scheme, inputs)?;
        match (scheme.auth, self.mode) {
            (Some(auth), AuthMode::Verify) => self.verify(service, auth, inputs, now),
            _ => Ok(()),
        }
    }

    /// Recomputes the signature with the configured secrets, then remembers the nonce for
    /// the scheme's time window.
    // Out of line: inlined into `check`, its large frame (a header list, the signable
    // request) slowed every presence-mode request measurably.
    #[inline(never)]
    fn verify(
        &self,
        service: &Service,
        scheme: &dyn keygate_auth::Scheme,
        inputs: &Inputs<'_>,
        now: i64,
    ) -> Result<(), AuthFailure> {
        let request = inputs.request;
        let headers: Vec<(String, String)> = request
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let signable = SignableRequest {
            method: request.method.as_str(),
            host: request.host(),
            path: request.uri.path(),
            query: request.uri.query().unwrap_or(""),
            headers: &headers,
            body: &request.body,
        };
        let secrets = self.secrets.get(service.vendor.as_ref());
        let lookup = |id: &str| secrets.and_then(|s| s.get(id)).cloned();
        let verified = scheme
            .verify(&signable, &lookup, now)
            .map_err(|error| match error {
                VerifyError::SignatureMismatch => match scheme.mismatch_detail(&signable) {
                    Some(detail) => AuthFailure::verify(error).with_detail(detail),
                    None => AuthFailure::verify(error),
                },
                other => AuthFailure::verify(other),
            })?;
        // `None`: nothing to check offline beyond the form (a token); no nonce: nothing to
        // replay (Huawei signs none).
        let Some(verified) = verified else {
            return Ok(());
        };
        let Some(nonce) = &verified.nonce else {
            return Ok(());
        };
        let window = i64::try_from(scheme.window_secs()).unwrap_or(i64::MAX);
        let expires_at = verified.timestamp_unix.saturating_add(window);
        match self.replay.first_use(
            &service.vendor,
            &verified.access_key_id,
            nonce,
            expires_at,
            now,
        ) {
            true => Ok(()),
            false => Err(AuthFailure::new(
                "nonce-replayed",
                format!("Nonce {nonce} was used already"),
            )),
        }
    }
}
