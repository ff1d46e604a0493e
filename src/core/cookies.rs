//! Cookies, as strings for `document.cookie`: the optional mirror of the decision for servers, and
//! the deletion of what the categories that are not accepted left behind (their cookies, and their
//! Web Storage keys). Pure: the page's host, path, scheme, current cookies and keys are parameters.

use crate::core::config::{Category, Config, CookieMirror, SameSite};
use crate::core::map::Set;
use crate::core::record::ConsentRecord;
use crate::json;

/// A cookie longer than this is not written (browsers drop cookies over 4096 bytes).
pub const MAX_COOKIE_BYTES: usize = 4000;

/// The `document.cookie` assignment that mirrors `record`: a percent-encoded JSON object
/// `{"v":1,"revision":1,"accepted":["essential","statistics"],"id":"...","updated":..,"expires":..}`
/// with the configured attributes. `None` when it would exceed [`MAX_COOKIE_BYTES`].
///
/// ```
/// use consent_banner::config::{Config, CookieMirror};
/// use consent_banner::consent::{decide, Action};
/// use consent_banner::cookies;
/// use consent_banner::record::Source;
///
/// let now = 1_800_000_000_000;
/// let record = decide(&Config::default(), None, &Action::AcceptAll, now, "id-1", Source::Banner);
/// let cookie = cookies::mirror(&CookieMirror::default(), &record, now, true).unwrap();
/// assert!(cookie.starts_with("consent=%7B%22v%22%3A1%2C"));
/// assert!(cookie.ends_with("; Path=/; Max-Age=15724800; SameSite=Lax; Secure"));
/// ```
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

/// The `document.cookie` assignments that delete the mirror cookie (after a reset): where it is
/// set now, and wherever an older config may have left it that the page can see (every path
/// prefix of `path`, the host and each parent domain of `host`).
///
/// ```
/// use consent_banner::config::CookieMirror;
///
/// let mirror = CookieMirror::default();
/// let deletions = consent_banner::cookies::mirror_deletion(&mirror, "www.example.org", "/");
/// assert!(deletions.contains(&"consent=; Max-Age=0; Path=/".to_string()));
/// assert!(deletions.contains(&"consent=; Max-Age=0; Path=/; Domain=.example.org".to_string()));
/// ```
pub fn mirror_deletion(mirror: &CookieMirror, host: &str, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(domain) = &mirror.domain {
        out.push(mirror.name.clone() + "=; Max-Age=0; Path=" + &mirror.path + "; Domain=" + domain);
    }
    delete_everywhere(
        &mut out,
        &mirror.name,
        host,
        &visible_paths(path, Some(&mirror.path)),
    );
    out
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
///
/// ```
/// let names = consent_banner::cookies::names("_ga=GA1.2.3; theme=dark");
/// assert_eq!(names.iter().collect::<Vec<_>>(), ["_ga", "theme"]);
/// ```
pub fn names(cookie_header: &str) -> Set {
    crate::core::consent::ids(cookie_header.split(';').filter_map(|pair| {
        let name = pair.split('=').next()?.trim();
        (!name.is_empty()).then(|| name.to_string())
    }))
}

pub use crate::core::config::matches_pattern as matches;

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

/// The paths at which a cookie is visible on a page at `path`: every prefix ending before or at a
/// `/` (`/`, `/a`, `/a/`, `/a/b`, `/a/b/` for `/a/b/c`) and `path` itself, plus `extra` (the
/// mirror's path). A prefix holding a byte that a cookie attribute cannot carry (`;`, a control
/// character, a space: `location.pathname` keeps `;` as it is) is left out: written into
/// `Path=`, it would add attributes of its own.
fn visible_paths(path: &str, extra: Option<&str>) -> Set {
    let mut paths = Set::new();
    paths.insert("/".to_string());
    let mut add = |p: &str| {
        if p.starts_with('/') && p.bytes().all(|b| b.is_ascii_graphic() && b != b';') {
            paths.insert(p.to_string());
        }
    };
    for (i, b) in path.bytes().enumerate() {
        if b == b'/' {
            add(&path[..i]);
            add(&path[..=i]);
        }
    }
    add(path);
    if let Some(extra) = extra {
        add(extra);
    }
    paths
}

/// Pushes the deletions of cookie `name` at each of `paths`, on the host and on each parent domain
/// of `host` (down to two labels; none for an IP address).
fn delete_everywhere(out: &mut Vec<String>, name: &str, host: &str, paths: &Set) {
    let mut domains = vec![String::new()];
    if !is_ip_host(host) {
        let labels: Vec<&str> = host.split('.').collect();
        for start in 0..labels.len().saturating_sub(1) {
            domains.push("; Domain=.".to_string() + &labels[start..].join("."));
        }
    }
    for domain in &domains {
        for p in paths {
            out.push(name.to_string() + "=; Max-Age=0; Path=" + p + domain);
        }
    }
}

/// `true` when some pattern of a category that is not accepted (declined, or no decision yet)
/// matches `name`. Required categories are always accepted.
fn doomed(
    config: &Config,
    accepted: &Set,
    name: &str,
    patterns: fn(&Category) -> &[String],
) -> bool {
    config
        .categories
        .iter()
        .filter(|c| !c.required && !accepted.contains(&c.id))
        .any(|c| patterns(c).iter().any(|p| matches(p, name)))
}

/// The `document.cookie` assignments that delete the cookies present now (`present`) of every
/// category that is not in `accepted` (see [`crate::core::consent::accepted`]): on the current host and
/// on each parent domain (down to two labels), at every path the page can see (`/`, each prefix of
/// `path` with and without its trailing `/`, `path`) and the mirror's path.
///
/// ```
/// use consent_banner::config::{Category, Config};
/// use consent_banner::consent::ids;
/// use consent_banner::cookies;
///
/// let config = Config {
///     categories: vec![Category::new("statistics", "Statistics").cookies(["_ga*"])],
///     ..Config::default()
/// };
/// let nothing_accepted = ids([]);
/// let present = cookies::names("_ga=GA1.2.3; theme=dark");
/// let out = cookies::deletions(&config, &nothing_accepted, &present, "example.org", "/");
/// assert_eq!(out, ["_ga=; Max-Age=0; Path=/", "_ga=; Max-Age=0; Path=/; Domain=.example.org"]);
/// ```
pub fn deletions(
    config: &Config,
    accepted: &Set,
    present: &Set,
    host: &str,
    path: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut paths = None;
    for name in present {
        if doomed(config, accepted, name, |c| &c.cookies) {
            let paths = paths.get_or_insert_with(|| {
                visible_paths(path, config.cookie.as_ref().map(|m| m.path.as_str()))
            });
            delete_everywhere(&mut out, name, host, paths);
        }
    }
    out
}

/// The Web Storage keys (of `keys`, those in `localStorage` or `sessionStorage` now) to remove:
/// those matching a `storage` pattern of a category that is not in `accepted`. Never the banner's
/// own `storageKey`.
///
/// ```
/// use consent_banner::config::{Category, Config};
/// use consent_banner::consent::ids;
///
/// let config = Config {
///     categories: vec![Category::new("analytics", "Analytics").storage(["ph_*"])],
///     ..Config::default()
/// };
/// let keys = ["ph_session".to_string(), "consent-banner".to_string(), "cart".to_string()];
/// let out = consent_banner::cookies::storage_deletions(&config, &ids([]), &keys);
/// assert_eq!(out, ["ph_session"]);
/// ```
pub fn storage_deletions<'a>(config: &Config, accepted: &Set, keys: &'a [String]) -> Vec<&'a str> {
    keys.iter()
        .map(String::as_str)
        .filter(|key| *key != config.storage_key && doomed(config, accepted, key, |c| &c.storage))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::consent::{accepted, decide, Action};
    use crate::core::record::Source;

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
        let out = mirror_deletion(c.cookie.as_ref().unwrap(), "127.0.0.1", "/");
        assert_eq!(
            out,
            [
                "cb=; Max-Age=0; Path=/app; Domain=.example.org",
                "cb=; Max-Age=0; Path=/",
                "cb=; Max-Age=0; Path=/app",
            ]
        );
    }

    #[test]
    fn a_mirror_left_at_any_visible_path_or_domain_is_deleted_too() {
        let c = config(r#"{"cookie":{}}"#);
        let out = mirror_deletion(c.cookie.as_ref().unwrap(), "www.example.org", "/shop/cart");
        for path in ["/", "/shop", "/shop/", "/shop/cart"] {
            for domain in ["", "; Domain=.www.example.org", "; Domain=.example.org"] {
                let line = format!("consent=; Max-Age=0; Path={path}{domain}");
                assert!(out.contains(&line), "{line} in {out:#?}");
            }
        }
        assert_eq!(out.len(), 12);
    }

    fn declined(c: &Config) -> Set {
        let r = decide(c, None, &Action::RejectAll, NOW, "id", Source::Banner);
        accepted(c, Some(&r), NOW)
    }

    fn paths_of(out: &[String]) -> Vec<&str> {
        out.iter()
            .map(|line| {
                let path = line.split("; Path=").nth(1).unwrap();
                path.split("; ").next().unwrap()
            })
            .collect()
    }

    #[test]
    fn cookies_are_deleted_at_every_path_prefix_with_and_without_its_slash() {
        let c = config(r#"{"categories":[{"id":"statistics","label":"S","cookies":["_ga"]}]}"#);
        let out = deletions(&c, &declined(&c), &names("_ga=1"), "127.0.0.1", "/a/b/c");
        assert_eq!(
            paths_of(&out),
            ["/", "/a", "/a/", "/a/b", "/a/b/", "/a/b/c"]
        );
        let out = deletions(&c, &declined(&c), &names("_ga=1"), "127.0.0.1", "/a/b/");
        assert_eq!(paths_of(&out), ["/", "/a", "/a/", "/a/b", "/a/b/"]);
        let out = deletions(&c, &declined(&c), &names("_ga=1"), "127.0.0.1", "/a//b");
        assert_eq!(paths_of(&out), ["/", "/a", "/a/", "/a//", "/a//b"]);
    }

    #[test]
    fn a_path_holding_a_semicolon_never_reaches_a_cookie_attribute() {
        let c = config(r#"{"categories":[{"id":"statistics","label":"S","cookies":["_ga"]}]}"#);
        let page = "/ok/a;Max-Age=99999/b;Domain=elsewhere.example/c";
        let out = deletions(&c, &declined(&c), &names("_ga=1"), "127.0.0.1", page);
        assert_eq!(
            paths_of(&out),
            ["/", "/ok", "/ok/"],
            "the safe prefixes are kept"
        );
        assert!(
            out.iter().all(|line| line.matches(';').count() == 2),
            "{out:#?}"
        );
        let out = deletions(&c, &declined(&c), &names("_ga=1"), "127.0.0.1", "/x\t/y z/");
        assert_eq!(paths_of(&out), ["/"]);
    }

    #[test]
    fn cookies_of_categories_not_yet_decided_are_deleted() {
        let c = config(
            r#"{"categories":[{"id":"essential","label":"E","required":true,"cookies":["sid"]},
                {"id":"statistics","label":"S","cookies":["_ga*"]}]}"#,
        );
        let none = accepted(&c, None, NOW);
        let out = deletions(&c, &none, &names("sid=1; _ga_X=2"), "127.0.0.1", "/");
        assert_eq!(out, ["_ga_X=; Max-Age=0; Path=/"]);
    }

    #[test]
    fn storage_keys_of_categories_not_accepted_are_deleted_but_never_the_record() {
        let c = config(
            r#"{"storageKey":"cb","categories":[{"id":"essential","label":"E","required":true,"storage":["sess*"]},
                {"id":"statistics","label":"S","storage":["ph_*","__mpq_x"]},
                {"id":"ads","label":"A","storage":["c"]}]}"#,
        );
        let keys: Vec<String> = [
            "cb",
            "ph_a_posthog",
            "__mpq_x",
            "__mpq_xy",
            "session",
            "c",
            "other",
        ]
        .map(String::from)
        .into();
        assert_eq!(
            storage_deletions(&c, &declined(&c), &keys),
            ["ph_a_posthog", "__mpq_x", "c"]
        );
        let stats = crate::core::consent::ids(["essential".to_string(), "statistics".to_string()]);
        assert_eq!(storage_deletions(&c, &stats, &keys), ["c"]);
        // A config built in Rust skips validation: the record's key is still never deleted.
        let mut unchecked = c.clone();
        unchecked.categories[2].storage = vec!["*".into()];
        assert!(!storage_deletions(&unchecked, &declined(&c), &keys).contains(&"cb"));
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
        let out = deletions(
            &c,
            &accepted(&c, Some(&r), NOW),
            &present,
            "www.example.org",
            "/blog/post",
        );
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
        let on = accepted(&c, Some(&r), NOW);
        assert!(deletions(&c, &on, &names("_ga=1"), "127.0.0.1", "/").is_empty());
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
        let out = deletions(&c, &declined(&c), &names("_ga=1"), "127.0.0.1", "/");
        assert_eq!(out, vec!["_ga=; Max-Age=0; Path=/".to_string()]);
    }
}
