//! Cookies, as strings for `document.cookie`: the optional mirror of the decision for servers, and
//! the deletion of a declined category's cookies. Pure: the page's host, path, scheme and current
//! cookies are parameters.

use crate::config::{Config, CookieMirror, SameSite};
use crate::json;
use crate::map::Set;
use crate::record::ConsentRecord;

/// A cookie longer than this is not written (browsers drop cookies over 4096 bytes).
pub const MAX_COOKIE_BYTES: usize = 4000;

/// The `document.cookie` assignment that mirrors `record`: a percent-encoded JSON object
/// `{"v":1,"revision":1,"accepted":["essential","statistics"],"id":"...","updated":..,"expires":..}`
/// with the configured attributes. `None` when it would exceed [`MAX_COOKIE_BYTES`].
pub fn mirror(
    mirror: &CookieMirror,
    record: &ConsentRecord,
    now: u64,
    https: bool,
) -> Option<String> {
    let mut json = "{\"v\":".to_string();
    json::push_u64(&mut json, record.v.into());
    json.push_str(",\"revision\":");
    json::push_u64(&mut json, record.revision.into());
    json.push_str(",\"accepted\":");
    json::push_strings(
        &mut json,
        record
            .categories
            .iter()
            .filter(|(_, on)| **on)
            .map(|(id, _)| id.as_str()),
    );
    json.push_str(",\"id\":");
    json::push_str(&mut json, &record.id);
    json.push_str(",\"updated\":");
    json::push_u64(&mut json, record.updated);
    json.push_str(",\"expires\":");
    json::push_u64(&mut json, record.expires);
    json.push('}');
    let max_age = record.expires.saturating_sub(now) / 1000;
    let mut cookie = mirror.name.clone() + "=" + &encode(&json) + "; Path=" + &mirror.path;
    cookie.push_str("; Max-Age=");
    json::push_u64(&mut cookie, max_age);
    if let Some(domain) = &mirror.domain {
        cookie.push_str("; Domain=");
        cookie.push_str(domain);
    }
    cookie.push_str(match mirror.same_site {
        SameSite::Lax => "; SameSite=Lax",
        SameSite::Strict => "; SameSite=Strict",
        SameSite::None => "; SameSite=None",
    });
    if mirror.secure.unwrap_or(https) || mirror.same_site == SameSite::None {
        cookie.push_str("; Secure");
    }
    (cookie.len() <= MAX_COOKIE_BYTES).then_some(cookie)
}

/// The `document.cookie` assignment that deletes the mirror cookie (after a reset).
pub fn mirror_deletion(mirror: &CookieMirror) -> String {
    let mut cookie = mirror.name.clone() + "=; Max-Age=0; Path=" + &mirror.path;
    if let Some(domain) = &mirror.domain {
        cookie.push_str("; Domain=");
        cookie.push_str(domain);
    }
    cookie
}

/// Percent-encodes everything but unreserved characters, as `encodeURIComponent` does.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(byte as char);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
    }
    out
}

/// The names in a `document.cookie` string.
pub fn names(cookie_header: &str) -> Set {
    crate::consent::ids(cookie_header.split(';').filter_map(|pair| {
        let name = pair.split('=').next()?.trim();
        (!name.is_empty()).then(|| name.to_string())
    }))
}

/// `true` when `name` matches `pattern` (exact, or a prefix when the pattern ends with `*`).
pub fn matches(pattern: &str, name: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => name == pattern,
    }
}

/// True when `host` (`location.hostname`, which the browser has already parsed) is an IP address:
/// an IPv6 one in brackets, or one whose last label (before a trailing dot) is a number, which
/// the URL standard parses as IPv4. Without `std::net`'s address parser (1 KB of wasm).
fn is_ip_host(host: &str) -> bool {
    let name = host.strip_suffix('.').unwrap_or(host);
    let mut last = name.bytes().rev().take_while(|&b| b != b'.').peekable();
    host.starts_with('[')
        || host.contains(':')
        || (last.peek().is_some() && last.all(|b| b.is_ascii_digit()))
}

/// The `document.cookie` assignments that delete the cookies of every declined category that are
/// present now: on the current host, on each parent domain (down to two labels) and on `/`, the
/// mirror's path and every directory of the current path.
pub fn deletions(
    config: &Config,
    record: &ConsentRecord,
    present: &Set,
    host: &str,
    path: &str,
) -> Vec<String> {
    let declined: Vec<&str> = config
        .categories
        .iter()
        .filter(|c| !c.required && record.categories.get(&c.id) != Some(&true))
        .flat_map(|c| c.cookies.iter().map(String::as_str))
        .collect();
    let doomed: Vec<&String> = present
        .iter()
        .filter(|name| declined.iter().any(|p| matches(p, name)))
        .collect();
    if doomed.is_empty() {
        return Vec::new();
    }
    let mut domains = vec![String::new()];
    let labels: Vec<&str> = host.split('.').collect();
    let is_ip = is_ip_host(host);
    if !is_ip {
        for start in 0..labels.len().saturating_sub(1) {
            domains.push("; Domain=.".to_string() + &labels[start..].join("."));
        }
    }
    let mut paths = Set::new();
    paths.insert("/".to_string());
    if let Some(mirror) = &config.cookie {
        paths.insert(mirror.path.clone());
    }
    let mut prefix = String::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        prefix.push('/');
        prefix.push_str(segment);
        paths.insert(prefix.clone());
    }
    let mut out = Vec::new();
    for name in doomed {
        for domain in &domains {
            for p in &paths {
                out.push(name.clone() + "=; Max-Age=0; Path=" + p + domain);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::{decide, Action};
    use crate::record::Source;

    const NOW: u64 = 1_800_000_000_000;

    fn config(json: &str) -> Config {
        Config::from_json(json).unwrap()
    }

    #[test]
    fn mirror_carries_the_accepted_categories_with_the_configured_attributes() {
        let c = config(r#"{"cookie":{"domain":".example.org"}}"#);
        let r = decide(&c, None, &Action::AcceptAll, NOW, "id-1", Source::Banner);
        let cookie = mirror(c.cookie.as_ref().unwrap(), &r, NOW, true).unwrap();
        assert!(cookie.starts_with(
            "consent=%7B%22v%22%3A1%2C%22revision%22%3A1%2C%22accepted%22%3A%5B%22essential%22"
        ));
        assert!(cookie
            .ends_with("; Path=/; Max-Age=15724800; Domain=.example.org; SameSite=Lax; Secure"));
        let plain = mirror(&CookieMirror::default(), &r, NOW, false).unwrap();
        assert!(
            !plain.contains("Secure"),
            "no Secure on http unless asked: {plain}"
        );
        assert!(plain.len() < 4096);
    }

    #[test]
    fn the_mirror_is_deleted_where_it_was_set() {
        let c = config(r#"{"cookie":{"name":"cb","domain":".example.org","path":"/app"}}"#);
        assert_eq!(
            mirror_deletion(c.cookie.as_ref().unwrap()),
            "cb=; Max-Age=0; Path=/app; Domain=.example.org"
        );
    }

    #[test]
    fn same_site_none_is_always_secure() {
        let c = config(r#"{"cookie":{"sameSite":"None"}}"#);
        let r = decide(&c, None, &Action::RejectAll, NOW, "id", Source::Banner);
        let cookie = mirror(c.cookie.as_ref().unwrap(), &r, NOW, false).unwrap();
        assert!(cookie.ends_with("; SameSite=None; Secure"), "{cookie}");
    }

    #[test]
    fn declined_category_cookies_are_deleted_on_host_parents_and_paths() {
        let c = config(
            r#"{"categories":[{"id":"essential","label":"E","required":true,"cookies":["session"]},
                {"id":"statistics","label":"S","cookies":["_ga*","_stats"]}]}"#,
        );
        let r = decide(&c, None, &Action::RejectAll, NOW, "id", Source::Banner);
        let present = names("session=1; _ga=2; _ga_XYZ=3; other=4");
        let out = deletions(&c, &r, &present, "www.example.org", "/blog/post");
        assert!(out.contains(&"_ga=; Max-Age=0; Path=/".to_string()));
        assert!(out.contains(&"_ga_XYZ=; Max-Age=0; Path=/blog; Domain=.example.org".to_string()));
        assert!(
            out.contains(&"_ga=; Max-Age=0; Path=/blog/post; Domain=.www.example.org".to_string())
        );
        assert!(!out
            .iter()
            .any(|d| d.starts_with("session=") || d.starts_with("other=")));
        assert!(
            !out.iter().any(|d| d.contains("Domain=.org")),
            "never the top-level domain"
        );
    }

    #[test]
    fn accepted_categories_keep_their_cookies() {
        let c = config(r#"{"categories":[{"id":"statistics","label":"S","cookies":["_ga*"]}]}"#);
        let r = decide(&c, None, &Action::AcceptAll, NOW, "id", Source::Banner);
        assert!(deletions(&c, &r, &names("_ga=1"), "127.0.0.1", "/").is_empty());
    }

    #[test]
    fn ip_hosts_are_told_from_names() {
        for host in [
            "127.0.0.1",
            "10.0.0.255",
            "[::1]",
            "[2001:db8::1]",
            "::1",
            "192.168.1.1.",
        ] {
            assert!(is_ip_host(host), "{host}");
        }
        for host in [
            "localhost",
            "example.org",
            "www.example.org",
            "1.example.org",
            "a1",
            "x.1a",
            "",
        ] {
            assert!(!is_ip_host(host), "{host}");
        }
        // Agrees with std's parser on every dotted or colon host it reads as an address.
        for host in ["127.0.0.1", "0.0.0.0", "255.255.255.255", "::", "fe80::1"] {
            assert_eq!(
                is_ip_host(host),
                host.parse::<std::net::IpAddr>().is_ok(),
                "{host}"
            );
        }
    }

    #[test]
    fn ip_hosts_get_no_domain_attribute() {
        let c = config(r#"{"categories":[{"id":"statistics","label":"S","cookies":["_ga"]}]}"#);
        let r = decide(&c, None, &Action::RejectAll, NOW, "id", Source::Banner);
        let out = deletions(&c, &r, &names("_ga=1"), "127.0.0.1", "/");
        assert_eq!(out, vec!["_ga=; Max-Age=0; Path=/".to_string()]);
    }
}
