//! Rust names for wire names, as a Rust user would guess them.
//!
//! progenitor snake-cases a parameter's wire name word by word, so `secretIDs` becomes
//! `secret_i_ds`. A reader sees "secret IDs": an all-caps run followed by a lone plural `s`
//! is one word. The wire name itself is kept in the spec and on the wire.

/// `secretIDs` → `secret_ids`, `pageNumber` → `page_number`, `HTTPServer` → `http_server`,
/// `api-version` → `api_version`, `$filter` → `filter`.
pub(crate) fn rust_name(wire: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for part in wire.split(|c: char| !c.is_ascii_alphanumeric()) {
        split_camel(part, &mut words);
    }
    words.join("_")
}

/// Appends the lowercase words of one alphanumeric run.
fn split_camel(part: &str, words: &mut Vec<String>) {
    let chars: Vec<char> = part.chars().collect();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 && starts_word(&chars, i) && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
}

/// Whether the capital at `i` opens a word: after a lowercase letter or a digit, or as the
/// last capital of a run that a lowercase word follows (`HTTPServer`) — but not before a lone
/// plural `s` (`IDs`).
fn starts_word(chars: &[char], i: usize) -> bool {
    let at = |j: usize| chars.get(j).copied();
    let lower = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase());
    let (prev, c, next) = (chars[i - 1], chars[i], at(i + 1));
    if !c.is_ascii_uppercase() {
        return false;
    }
    if prev.is_ascii_lowercase() || prev.is_ascii_digit() {
        return true;
    }
    let plural = next == Some('s') && !lower(at(i + 2));
    prev.is_ascii_uppercase() && lower(next) && !plural
}

/// The builder field and setter name of a parameter: [`rust_name`], or with a trailing `_`
/// where that is a keyword (as progenitor names them).
pub(crate) fn field_name(wire: &str) -> String {
    let name = rust_name(wire);
    if syn::parse_str::<syn::Ident>(&name).is_ok() {
        name
    } else {
        format!("{name}_")
    }
}

/// The name progenitor 0.15 gives a parameter (its `sanitize(name, Case::Snake)`): heck's
/// snake case after turning every character that cannot continue an identifier into `-`.
pub(crate) fn progenitor_name(wire: &str) -> String {
    use heck::ToSnakeCase;
    let cleaned: String = wire
        .replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = cleaned.to_snake_case();
    let name = match name.chars().next() {
        None => "x".to_owned(),
        Some(c) if c.is_alphabetic() || c == '_' => name,
        Some(_) => format!("_{name}"),
    };
    if syn::parse_str::<syn::Ident>(&name).is_ok() {
        name
    } else {
        format!("{name}_")
    }
}

#[cfg(test)]
mod tests {
    use super::rust_name;

    #[test]
    fn names_read_as_words() {
        for (wire, rust) in [
            ("secretIDs", "secret_ids"),
            ("pageNumber", "page_number"),
            ("HTTPServer", "http_server"),
            ("getURLs", "get_urls"),
            ("api-version", "api_version"),
            ("$filter", "filter"),
            ("If-Match", "if_match"),
            ("resourceGroupName", "resource_group_name"),
            ("ai_api_key_id", "ai_api_key_id"),
            ("limit", "limit"),
            ("IDsList", "ids_list"),
            ("v2Keys", "v2_keys"),
        ] {
            assert_eq!(rust_name(wire), rust, "{wire}");
        }
    }

    #[test]
    fn progenitor_splits_every_capital() {
        assert_eq!(super::progenitor_name("secretIDs"), "secret_i_ds");
        assert_eq!(super::progenitor_name("$filter"), "filter");
        assert_eq!(super::progenitor_name("api-version"), "api_version");
    }

    #[test]
    fn keywords_get_a_trailing_underscore() {
        assert_eq!(super::field_name("type"), "type_");
        assert_eq!(super::field_name("secretIDs"), "secret_ids");
    }
}
