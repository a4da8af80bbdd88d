//! Keeping a Redis URL's password out of every message.

/// The password of a Redis URL, as written and percent-decoded: from its user info
/// (`redis://user:PASSWORD@host`) and from a `pass=` query parameter (Unix socket URLs).
pub(super) fn secrets_of(url: &str) -> Vec<String> {
    let mut raw = Vec::new();
    let after_scheme = url.find("://").map_or(url, |at| &url[at + 3..]);
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    if let Some((user_info, _)) = authority.rsplit_once('@') {
        raw.push(
            user_info
                .split_once(':')
                .map_or(user_info, |(_, pass)| pass),
        );
    }
    if let Some((_, query)) = url.split_once('?') {
        raw.extend(
            query
                .split('&')
                .filter_map(|pair| pair.strip_prefix("pass=")),
        );
    }
    let mut secrets = Vec::new();
    for secret in raw.into_iter().filter(|s| !s.is_empty()) {
        let decoded = percent_encoding::percent_decode_str(secret).decode_utf8_lossy();
        if decoded != secret {
            secrets.push(decoded.into_owned());
        }
        secrets.push(secret.to_owned());
    }
    // Longest first, so that no shorter secret leaves a longer one half-scrubbed.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets
}

/// `message` with every secret replaced by `***`.
pub(super) fn scrub(message: &str, secrets: &[String]) -> String {
    secrets.iter().fold(message.to_owned(), |message, secret| {
        message.replace(secret.as_str(), "***")
    })
}
