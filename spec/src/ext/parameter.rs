//! Parameter-level extensions: clamping, array style, error kinds.

use serde::Deserialize;

use super::{Extensions, read};

/// What a parameter's `x-keygate*` extensions say.
#[derive(Debug, Clone, Default)]
pub struct ParameterExt {
    /// `x-keygate-clamp`.
    pub clamp: Option<ClampExt>,
    /// `x-keygate-array-style`.
    pub array_style: Option<ArrayStyle>,
    /// `x-keygate-errors`.
    pub errors: ParamErrorsExt,
    /// `x-keygate-aliases`: other wire names the service accepts for this parameter (older
    /// spellings); clients send the declared name.
    pub aliases: Vec<String>,
}

impl ParameterExt {
    /// Reads the extensions of a parameter object.
    pub fn read(parameter: &(impl Extensions + ?Sized)) -> Result<Self, String> {
        Ok(Self {
            clamp: read(parameter, "x-keygate-clamp")?,
            array_style: read(parameter, "x-keygate-array-style")?,
            errors: read(parameter, "x-keygate-errors")?.unwrap_or_default(),
            aliases: read(parameter, "x-keygate-aliases")?.unwrap_or_default(),
        })
    }
}

/// `x-keygate-array-style`: how an array travels when no OpenAPI style says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ArrayStyle {
    /// `name.0=a&name.1=b`.
    #[serde(rename = "indexed-0")]
    Indexed0,
}

/// `x-keygate-clamp`: out-of-range values are replaced instead of rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClampExt {
    /// Values below this become `below_min`.
    #[serde(default)]
    pub min: Option<i64>,
    /// Replacement for values below `min`.
    #[serde(default)]
    pub below_min: Option<i64>,
    /// Values above this become `above_max`.
    #[serde(default)]
    pub max: Option<i64>,
    /// Replacement for values above `max`.
    #[serde(default)]
    pub above_max: Option<i64>,
}

impl ClampExt {
    /// `number` as the service turns it: replaced when out of range, else unchanged.
    pub fn apply(&self, number: i64) -> i64 {
        if let Some(min) = self.min
            && number < min
        {
            return self.below_min.unwrap_or(min);
        }
        if let Some(max) = self.max
            && number > max
        {
            return self.above_max.unwrap_or(max);
        }
        number
    }
}

/// `x-keygate-errors`: error kinds used for this parameter instead of the generic ones.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamErrorsExt {
    /// Kind used when the parameter is absent.
    #[serde(default)]
    pub missing: Option<String>,
    /// Kind used when the value is not acceptable.
    #[serde(default)]
    pub invalid: Option<String>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn clamping_follows_the_extension() {
        let clamp = ClampExt {
            min: Some(1),
            below_min: Some(20),
            max: Some(500),
            above_max: Some(500),
        };
        assert_eq!(clamp.apply(0), 20);
        assert_eq!(clamp.apply(-5), 20);
        assert_eq!(clamp.apply(9999), 500);
        assert_eq!(clamp.apply(7), 7);
    }

    #[test]
    fn parameter_extensions_read_and_refuse_unknown_styles() {
        let p = json!({"x-keygate-array-style": "indexed-0", "x-keygate-errors": {"missing": "m"}});
        let ext = ParameterExt::read(&p).unwrap();
        assert_eq!(ext.array_style, Some(ArrayStyle::Indexed0));
        assert_eq!(ext.errors.missing.as_deref(), Some("m"));
        assert!(ParameterExt::read(&json!({"x-keygate-array-style": "indexed-1"})).is_err());
    }
}
