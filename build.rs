//! Minifies `src/ui/banner.css` into `$OUT_DIR/banner.min.css` for `include_str!`, and its first
//! part (the first layer's rules) into `banner.first.min.css` for a prerendered first layer:
//! comments and layout whitespace cost bytes on every first visit and tell the browser nothing.

use std::{env, fs, path::Path};

fn main() {
    let source = "src/ui/banner.css";
    println!("cargo:rerun-if-changed={source}");
    let css = fs::read_to_string(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    let dir = env::var("OUT_DIR").unwrap_or_else(|e| panic!("OUT_DIR: {e}"));
    // The first layer's part (without the "ui only" parts): all a prerendered first layer
    // carries in the page (src/prerender.rs); the UI adopts the whole stylesheet, in the same
    // order.
    let mut first = String::new();
    let mut rest = css.as_str();
    while let Some((before, after)) = rest.split_once("/* ui only { */") {
        first.push_str(before);
        rest = after
            .split_once("/* } ui only */")
            .unwrap_or_else(|| panic!("{source}: \"ui only {{\" without \"}} ui only\""))
            .1;
    }
    first.push_str(rest);
    for (name, text) in [
        ("banner.min.css", css.as_str()),
        ("banner.first.min.css", &first),
    ] {
        let out = Path::new(&dir).join(name);
        fs::write(&out, minify(text)).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    }
}

/// Drops comments, collapses whitespace, and removes it around `{ } ; , >` and after `:` (never
/// before `:`, where it separates a descendant combinator from a pseudo-class).
fn minify(css: &str) -> String {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .split_once("*/")
            .map_or("", |(_, after)| after);
    }
    text.push_str(rest);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(collapsed.len());
    let mut chars = collapsed.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let next = chars.peek().copied();
            let prev = out.chars().last();
            let tight = |ch: Option<char>| matches!(ch, Some('{' | '}' | ';' | ',' | '>'));
            // After `:` only: `a :hover` keeps its space, `color: red` loses it.
            if tight(next) || tight(prev) || prev == Some(':') {
                continue;
            }
        }
        out.push(c);
    }
    out.replace(";}", "}")
}
