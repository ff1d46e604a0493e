//! `consent-banner render` (src/bin/consent-banner.rs) as a site's build runs it: the snippets it
//! prints, its JSON, its errors and exit codes. Each test writes its own config and `dist/`.
#![cfg(all(not(target_arch = "wasm32"), feature = "ssr"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use consent_banner::prerender::{embed_config, snippet_hash};
use serde_json::Value;

const LOADER: &str = "(function(){/* the prerendered loader */})();\n";

/// A folder of its own under target/ with `dist/consent-banner-prerendered.js` and `site.json`.
fn site(name: &str, config: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("prerender-cli")
        .join(name);
    std::fs::create_dir_all(dir.join("dist")).unwrap();
    std::fs::write(dir.join("dist/consent-banner-prerendered.js"), LOADER).unwrap();
    std::fs::write(dir.join("site.json"), config).unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_consent-banner"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn json(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["render", "--config", "site.json", "--json"];
    args.extend_from_slice(extra);
    let output = run(dir, &args);
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn base64_sha256(bytes: &[u8]) -> String {
    use base64ct::{Base64, Encoding};
    Base64::encode_string(&consent_banner::receipt::sha256(bytes))
}

#[test]
fn render_prints_the_head_and_body_snippets_and_the_csp_with_where_each_goes() {
    let dir = site("parts", r#"{"revision": 2}"#);
    let output = run(&dir, &["render", "--config", "site.json", "--lang", "de"]);
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let parts: Vec<&str> = text.split("\n\n").collect();
    assert_eq!(parts.len(), 3, "{text}");
    let (head, body, csp) = (parts[0], parts[1], parts[2]);
    assert!(head.starts_with("<!-- <head>:"), "{head}");
    assert!(head.contains("\n<script type=\"application/json\" id=\"consent-banner-config\">{\"revision\": 2}</script>\n<script src=\"/consent-banner/consent-banner-prerendered.js\" integrity=\"sha384-"), "{head}");
    assert!(body.starts_with("<!-- <body>: its FIRST child"), "{body}");
    let hash = snippet_hash("de", r#"{"revision": 2}"#);
    assert!(
        body.contains(&format!("\n<consent-banner data-prerendered=\"{hash}\" ")),
        "{body}"
    );
    assert!(
        body.contains("<template shadowrootmode=\"open\"><style>"),
        "{body}"
    );
    assert!(
        body.contains(">Alle akzeptieren</button>"),
        "German: {body}"
    );
    assert!(body.ends_with("</template></consent-banner>"), "{body}");
    assert!(csp.starts_with("<!-- Content-Security-Policy"), "{csp}");
    assert!(csp.contains("\nstyle-src 'sha256-"), "{csp}");
    assert!(!csp.contains("script-src"), "no inline script: {csp}");
}

#[test]
fn the_json_form_has_the_same_parts_and_the_loader_s_integrity() {
    let dir = site("json", "");
    let value = json(&dir, &["--base", "/static/cb/"]);
    let head = value["head"].as_str().unwrap();
    let sri = {
        use base64ct::{Base64, Encoding};
        use sha2::{Digest, Sha384};
        Base64::encode_string(&Sha384::digest(LOADER.as_bytes()))
    };
    assert!(head.ends_with(&format!("<script src=\"/static/cb/consent-banner-prerendered.js\" integrity=\"sha384-{sri}\" crossorigin=\"anonymous\" data-prerendered></script>")), "{head}");
    assert_eq!(value["hash"], snippet_hash("en", ""));
    assert_eq!(value["language"], "en");
    assert_eq!(value["version"], env!("CARGO_PKG_VERSION"));
    assert!(value["csp"]["scriptSrc"].is_null());
    let body = value["body"].as_str().unwrap();
    let style = body
        .split("<style>")
        .nth(1)
        .unwrap()
        .split("</style>")
        .next()
        .unwrap();
    assert_eq!(
        value["csp"]["styleSrc"],
        format!("'sha256-{}'", base64_sha256(style.as_bytes()))
    );
    assert!(body.contains(&format!(
        "data-texts-sha256=\"{}\"",
        value["textsSha256"].as_str().unwrap()
    )));
}

#[test]
fn a_script_end_tag_in_a_config_text_cannot_end_the_config_script() {
    let config = r#"{"texts": {"en": {"title": "</script><script>alert(1)</script>"}}}"#;
    let dir = site("escape", config);
    let value = json(&dir, &[]);
    let head = value["head"].as_str().unwrap();
    assert_eq!(head.matches("</script>").count(), 2, "{head}");
    assert!(
        head.contains(r#""title": "\u003c/script>\u003cscript>alert(1)\u003c/script>""#),
        "{head}"
    );
    let body = value["body"].as_str().unwrap();
    assert!(!body.contains("<script"), "{body}");
    assert!(
        body.contains("&lt;/script&gt;&lt;script&gt;alert(1)"),
        "{body}"
    );
    assert_eq!(value["hash"], snippet_hash("en", &embed_config(config)));
}

#[test]
fn the_hash_changes_when_the_config_changes() {
    let first = json(&site("stale-1", r#"{"revision": 1}"#), &[]);
    let same = json(&site("stale-2", r#"{"revision": 1}"#), &[]);
    let changed = json(&site("stale-3", r#"{"revision": 2}"#), &[]);
    assert_eq!(first["hash"], same["hash"]);
    assert_ne!(first["hash"], changed["hash"]);
    let german = json(&site("stale-4", r#"{"revision": 1}"#), &["--lang", "de"]);
    assert_ne!(first["hash"], german["hash"]);
}

#[test]
fn the_inline_loader_s_csp_hash_is_the_sha256_of_its_text() {
    let dir = site("inline", "");
    let value = json(&dir, &["--inline-loader", "--base=/cb/"]);
    let head = value["head"].as_str().unwrap();
    let start = head
        .find("<script data-prerendered data-base=\"/cb/\">")
        .unwrap();
    let inline = &head[start..];
    let text = &inline[inline.find('>').unwrap() + 1..inline.rfind("</script>").unwrap()];
    assert_eq!(text, LOADER);
    assert_eq!(
        value["csp"]["scriptSrc"],
        format!("'sha256-{}'", base64_sha256(text.as_bytes()))
    );
    let output = run(
        &dir,
        &["render", "--config", "site.json", "--inline-loader"],
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(&format!(
            "\nscript-src {}\n",
            value["csp"]["scriptSrc"].as_str().unwrap()
        )),
        "{text}"
    );
}

#[test]
fn a_broken_config_exits_1_with_the_field_named_message() {
    let dir = site(
        "broken",
        r#"{"categories": [{"id": "statistics", "label": "A"}, {"id": "statistics", "label": "B"}]}"#,
    );
    let output = run(&dir, &["render", "--config", "site.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "consent-banner: site.json: config: categories[1].id: duplicate \"statistics\"\n"
    );
}

#[test]
fn a_missing_loader_file_exits_1_and_names_it() {
    let dir = site("no-dist", "");
    let output = run(
        &dir,
        &["render", "--config", "site.json", "--dist", "elsewhere"],
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("consent-banner: elsewhere/consent-banner-prerendered.js: "),
        "{stderr}"
    );
}

#[test]
fn wrong_arguments_exit_2_with_the_usage() {
    let dir = site("args", "");
    for (args, message) in [
        (&[][..], "missing the command (render)"),
        (&["render"][..], "missing --config FILE"),
        (&["render", "--config"][..], "--config needs a value"),
        (
            &["render", "--config", "site.json", "--colour"][..],
            "unknown argument \"--colour\"",
        ),
        (
            &["render", "--config", "a", "--config", "b"][..],
            "--config given twice",
        ),
        (
            &["render", "--config", "site.json", "--base", "/cb"][..],
            "base: must end with \"/\" (got \"/cb\")",
        ),
        (&["draw"][..], "unknown command \"draw\""),
    ] {
        let output = run(&dir, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.starts_with(&format!("consent-banner: {message}")),
            "{args:?}: {stderr}"
        );
    }
    let help = run(&dir, &["--help"]);
    assert!(help.status.success());
    assert!(String::from_utf8(help.stdout)
        .unwrap()
        .starts_with("usage: consent-banner render"));
}
