//! The fault stage: what a fired [`Fault`](crate::Fault) rule makes of a served request.

use std::borrow::Cow;

use super::respond::ErrorValues;
use super::{Answer, Engine};
use crate::fault::{FaultAnswer, Hit};
use crate::index::Operation;
use crate::request::Inputs;
use crate::select::Preference;

/// Says where an injected error comes from, for `{detail}` placeholders.
const DETAIL: &str = "keygate-mock injected fault";

impl Engine {
    /// The answer the fired rules ask for, with their latency; without an answer of their
    /// own, the normal one.
    pub(super) fn inject<'e>(
        &'e self,
        op: &'e Operation,
        inputs: &Inputs<'_>,
        preference: &Preference<'_>,
        hit: Hit,
    ) -> Answer<'e> {
        let request = inputs.request;
        let values = ErrorValues {
            detail: DETAIL,
            ..ErrorValues::default()
        };
        let mut answer = match &hit.answer {
            None => self.select(op, inputs, preference),
            Some(FaultAnswer::Error(kind)) => self.fail(Some(op.service), kind, values, request),
            Some(FaultAnswer::Documented { code, example }) => {
                let documented = Preference {
                    code: Some(Cow::Owned(code.to_string())),
                    example: example.as_deref().map(Cow::Borrowed),
                };
                self.select(op, inputs, &documented)
            }
            Some(FaultAnswer::Drop) => {
                let mut answer = self.fail(Some(op.service), "internal-error", values, request);
                answer.drop = true;
                answer
            }
        };
        answer.delay = hit.delay;
        answer
    }
}
