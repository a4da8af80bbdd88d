//! Operation-level extensions: pagination and idempotency.

use serde::Deserialize;

use super::{Extensions, read};

/// What an operation's `x-keygate*` extensions say.
#[derive(Debug, Clone, Default)]
pub struct OperationExt {
    /// `x-keygate-pagination`.
    pub pagination: Option<PaginationExt>,
    /// `x-keygate-idempotent`: whether a failed call may be sent again, where the method's
    /// default is wrong (a POST that only reads; a PUT that creates, an update without
    /// `If-Match`, a write sent as GET).
    pub idempotent: Option<bool>,
}

impl OperationExt {
    /// Whether a failed call of this operation, sent with `method`, may be sent again: the
    /// extension where it says, else HTTP's rule (GET, HEAD, PUT, DELETE, OPTIONS, TRACE).
    pub fn is_idempotent(&self, method: &str) -> bool {
        self.idempotent.unwrap_or_else(|| {
            ["get", "head", "put", "delete", "options", "trace"]
                .iter()
                .any(|m| m.eq_ignore_ascii_case(method))
        })
    }
}

impl OperationExt {
    /// Reads the extensions of an operation object.
    pub fn read(operation: &(impl Extensions + ?Sized)) -> Result<Self, String> {
        let pagination = read::<PaginationExt>(operation, "x-keygate-pagination")?;
        if let Some(p) = &pagination {
            p.check()?;
        }
        Ok(Self {
            pagination,
            idempotent: read::<bool>(operation, "x-keygate-idempotent")?,
        })
    }
}

/// `x-keygate-pagination`: which parameters choose the window of a listing and where the page
/// sits in the success body (JSON pointers).
///
/// `offset` and `page` styles move through the pages by their parameters and stop at the
/// total; `next-link` follows the link each page gives to the next (`nextLink`), and its
/// `offset`/`limit` name the parameters the service builds that link from.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PaginationExt {
    /// `offset` (`offset`/`limit`), `page` (`page`/`pageSize`) or `next-link`.
    pub style: PageStyle,
    /// Offset parameter (offset and next-link styles).
    #[serde(default)]
    pub offset: Option<String>,
    /// Limit parameter (offset and next-link styles).
    #[serde(default)]
    pub limit: Option<String>,
    /// Page-number parameter, 1-based (page style).
    #[serde(default)]
    pub page: Option<String>,
    /// Page-size parameter (page style).
    #[serde(default)]
    pub page_size: Option<String>,
    /// The items array.
    pub items: String,
    /// The total count (required by the offset and page styles).
    #[serde(default)]
    pub total: Option<String>,
    /// The link to the next page (next-link style); absent or empty on the last page.
    #[serde(default)]
    pub next_link: Option<String>,
    /// Number of items in this page.
    #[serde(default)]
    pub count: Option<String>,
    /// The page (or offset) echoed back.
    #[serde(default)]
    pub page_field: Option<String>,
    /// The page size (or limit) echoed back.
    #[serde(default)]
    pub page_size_field: Option<String>,
}

impl PaginationExt {
    /// The position parameter (offset or page number) and the page-size parameter (limit or
    /// page size), as the style names them.
    pub fn parameters(&self) -> Result<(&str, &str), String> {
        let (position, size, roles) = match self.style {
            PageStyle::Offset | PageStyle::NextLink => {
                (&self.offset, &self.limit, ("offset", "limit"))
            }
            PageStyle::Page => (&self.page, &self.page_size, ("page", "pageSize")),
        };
        fn named<'a>(
            name: &'a Option<String>,
            style: PageStyle,
            role: &str,
        ) -> Result<&'a str, String> {
            name.as_deref()
                .ok_or_else(|| format!("x-keygate-pagination: style {style:?} needs {role}"))
        }
        Ok((
            named(position, self.style, roles.0)?,
            named(size, self.style, roles.1)?,
        ))
    }
}

impl PaginationExt {
    /// Refuses an extension its style cannot work with.
    fn check(&self) -> Result<(), String> {
        self.parameters()?;
        let needs = match self.style {
            PageStyle::Offset | PageStyle::Page => ("total", self.total.is_none()),
            PageStyle::NextLink => ("nextLink", self.next_link.is_none()),
        };
        match needs {
            (field, true) => Err(format!(
                "x-keygate-pagination: style {:?} needs {field}",
                self.style
            )),
            _ => Ok(()),
        }
    }
}

/// How a listing's window is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageStyle {
    /// `offset` (0-based) and `limit`.
    Offset,
    /// `page` (1-based) and `pageSize`.
    Page,
    /// The link each page gives to the next (Azure's `nextLink`), followed as it is.
    NextLink,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn pagination_names_its_parameters_by_style() {
        let op = json!({"x-keygate-pagination": {"style": "page", "page": "pageNumber",
            "pageSize": "pageSize", "items": "/data/items", "total": "/data/totalSize"},
            "x-keygate-idempotent": true});
        let ext = OperationExt::read(&op).unwrap();
        assert!(ext.is_idempotent("post"));
        assert!(OperationExt::default().is_idempotent("PUT"));
        assert!(!OperationExt::default().is_idempotent("patch"));
        let paging = ext.pagination.unwrap();
        assert_eq!(paging.parameters().unwrap(), ("pageNumber", "pageSize"));
        let incomplete = json!({"x-keygate-pagination": {"style": "offset", "offset": "o",
            "items": "/i", "total": "/t"}});
        assert!(
            OperationExt::read(&incomplete)
                .unwrap_err()
                .contains("limit")
        );
    }
}
