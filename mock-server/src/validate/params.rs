//! One parameter: find its text, read it as its type, clamp it, check it.

use std::borrow::Cow;

use serde_json::Value;

use super::Failure;
use crate::index::params::{ArrayStyle, Coerce, Location, ParamSpec, Shape};
use crate::request::Inputs;

/// Checks one parameter of the request.
pub(crate) fn check(spec: &ParamSpec, inputs: &Inputs<'_>) -> Result<(), Failure> {
    // The common cases (absent, or one plain or bounded value) without collecting values.
    if let Some(one) = single(spec, inputs) {
        match (one, spec.range) {
            (None, _) => return absent(spec),
            (Some(_), _)
                if spec.validator.is_none() && spec.shape == Shape::Scalar(Coerce::String) =>
            {
                return Ok(());
            }
            (Some(text), Some(range)) => return in_range(spec, range, &[Cow::Borrowed(text)]),
            _ => {}
        }
    }
    let raw = raw_values(spec, inputs)?;
    if raw.is_empty() {
        return absent(spec);
    }
    if spec.validator.is_none() && spec.shape == Shape::Scalar(Coerce::String) {
        // Any text is acceptable: skip building JSON (the common case on the hot path).
        return match raw.len() {
            1 => Ok(()),
            n => Err(invalid(
                spec,
                &raw.join(","),
                format!("{} is given {n} times", spec.name),
            )),
        };
    }
    if let (Some(range), Shape::Scalar(Coerce::Integer)) = (spec.range, spec.shape) {
        return in_range(spec, range, &raw);
    }
    let value = match spec.shape {
        Shape::Scalar(coerce) => scalar(spec, coerce, &raw)?,
        Shape::Array(coerce, style) => array(spec, coerce, style, &raw)?,
    };
    let Some(validator) = &spec.validator else {
        return Ok(());
    };
    match validator.validate(&value) {
        Ok(()) => Ok(()),
        Err(error) => Err(invalid(spec, &raw.join(","), error.to_string())),
    }
}

/// An integer checked against its bounds without building JSON (the hot path's `limit`).
fn in_range(
    spec: &ParamSpec,
    (min, max): (Option<i64>, Option<i64>),
    raw: &[Cow<'_, str>],
) -> Result<(), Failure> {
    let value = scalar(spec, Coerce::Integer, raw)?;
    let number = value.as_i64().unwrap_or_default();
    let text = || raw.join(",");
    if let Some(min) = min
        && number < min
    {
        return Err(invalid(
            spec,
            &text(),
            format!("{number} is less than the minimum of {min}"),
        ));
    }
    if let Some(max) = max
        && number > max
    {
        return Err(invalid(
            spec,
            &text(),
            format!("{number} is greater than the maximum of {max}"),
        ));
    }
    Ok(())
}

/// `Some(None)`: a scalar parameter is absent; `Some(Some(text))`: given once, as readable
/// text; `None`: anything else (repeated, an array, unreadable), for the general path.
fn single<'i>(spec: &'i ParamSpec, inputs: &'i Inputs<'_>) -> Option<Option<&'i str>> {
    let Shape::Scalar(_) = spec.shape else {
        return None;
    };
    match spec.location {
        Location::Path => match inputs.path.get(spec.capture) {
            Some(Some(text)) => Some(Some(text.as_ref())),
            Some(None) => None,
            None => Some(None),
        },
        Location::Query => {
            let mut values = spec.query_values(inputs);
            match (values.next(), values.next()) {
                (first, None) => Some(first),
                _ => None,
            }
        }
        Location::Header => {
            let mut values = inputs.request.headers.get_all(spec.header.as_ref()?).iter();
            match (values.next(), values.next()) {
                (None, _) => Some(None),
                (Some(value), None) => value.to_str().ok().map(Some),
                _ => None,
            }
        }
        Location::Cookie => None,
    }
}

/// A parameter that was not sent: refused if required.
fn absent(spec: &ParamSpec) -> Result<(), Failure> {
    match spec.required {
        true => Err(Failure::new(
            &spec.missing_kind,
            spec.location.as_str(),
            &spec.name,
            "",
            format!("{} is required", spec.name),
        )),
        false => Ok(()),
    }
}

fn invalid(spec: &ParamSpec, value: &str, detail: impl Into<String>) -> Failure {
    Failure::new(
        &spec.invalid_kind,
        spec.location.as_str(),
        &spec.name,
        value,
        detail,
    )
}

/// The parameter's wire text: one entry per occurrence (per index for `indexed-0`).
fn raw_values<'i>(
    spec: &'i ParamSpec,
    inputs: &'i Inputs<'_>,
) -> Result<Vec<Cow<'i, str>>, Failure> {
    Ok(match spec.location {
        Location::Path => match inputs.path.get(spec.capture) {
            Some(Some(text)) => vec![Cow::Borrowed(text.as_ref())],
            Some(None) => return Err(invalid(spec, "", "the path segment is not valid UTF-8")),
            None => Vec::new(),
        },
        Location::Query if spec.shape_is_indexed() => indexed(spec, inputs)?,
        Location::Query => spec.query_values(inputs).map(Cow::Borrowed).collect(),
        Location::Header => spec
            .header
            .iter()
            .flat_map(|name| inputs.request.headers.get_all(name))
            .map(|v| {
                v.to_str()
                    .map(Cow::Borrowed)
                    .map_err(|_| invalid(spec, "", "the header value is not visible ASCII"))
            })
            .collect::<Result<_, _>>()?,
        Location::Cookie => Vec::new(),
    })
}

/// `name.0=a&name.1=b`, in index order; indices must run 0, 1, 2, ... without gaps.
fn indexed<'i>(spec: &'i ParamSpec, inputs: &'i Inputs<'_>) -> Result<Vec<Cow<'i, str>>, Failure> {
    let prefix = format!("{}.", spec.name);
    let mut found: Vec<(usize, &str)> = Vec::new();
    for (name, value) in inputs.pairs() {
        let Some(index) = name.strip_prefix(prefix.as_str()) else {
            continue;
        };
        let index = index
            .parse::<usize>()
            .map_err(|_| invalid(spec, name, format!("{name} is not {prefix}<index>")))?;
        found.push((index, value.as_ref()));
    }
    found.sort_by_key(|(i, _)| *i);
    for (expected, (index, _)) in found.iter().enumerate() {
        if *index != expected {
            return Err(invalid(
                spec,
                "",
                format!(
                    "{prefix}{expected} is missing or repeated: indices must run from 0 without gaps"
                ),
            ));
        }
    }
    Ok(found.into_iter().map(|(_, v)| Cow::Borrowed(v)).collect())
}

fn scalar(spec: &ParamSpec, coerce: Coerce, raw: &[Cow<'_, str>]) -> Result<Value, Failure> {
    if raw.len() > 1 {
        return Err(invalid(
            spec,
            &raw.join(","),
            format!("{} is given {} times", spec.name, raw.len()),
        ));
    }
    let value = read(spec, coerce, &raw[0])?;
    Ok(match (&spec.clamp, value.as_i64()) {
        (Some(clamp), Some(number)) => Value::from(clamp.apply(number)),
        _ => value,
    })
}

fn array(
    spec: &ParamSpec,
    coerce: Coerce,
    style: ArrayStyle,
    raw: &[Cow<'_, str>],
) -> Result<Value, Failure> {
    let items: Vec<&str> = match style {
        ArrayStyle::Repeated | ArrayStyle::Indexed0 => raw.iter().map(AsRef::as_ref).collect(),
        ArrayStyle::Delimited(separator) => raw.iter().flat_map(|r| r.split(separator)).collect(),
    };
    items
        .into_iter()
        .map(|item| read(spec, coerce, item))
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

/// Wire text to JSON, by the schema's type.
fn read(spec: &ParamSpec, coerce: Coerce, text: &str) -> Result<Value, Failure> {
    let fail = |what: &str| invalid(spec, text, format!("{text:?} is not {what}"));
    match coerce {
        Coerce::String => Ok(Value::String(text.to_owned())),
        Coerce::Integer => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| fail("a 64-bit integer")),
        Coerce::Number => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| fail("a number")),
        Coerce::Boolean => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(fail("true or false")),
        },
    }
}
