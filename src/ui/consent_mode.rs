//! Google Consent Mode v2 in a Yew app: what the loader does for the embed (README "Google
//! Consent Mode v2"), done by [`super::ConsentProvider`]: the default when it is created (then
//! the `set` calls, and the update at once with a stored decision), an update on every change.
//! The calls are computed here as the JSON arrays of `gtag`'s arguments (pure, tested natively);
//! [`call`] applies one to the page's `window.gtag`.

use crate::core::config::GoogleConsentMode;
use crate::core::map::Map;
use crate::json;

/// Each mapped consent type, in the order the map (sorted by category id) first names it, and whether it is granted: a
/// type is granted when every category that lists it is on in `categories`.
fn types(mode: &GoogleConsentMode, categories: &Map<bool>) -> Vec<(&'static str, bool)> {
    let mut types: Vec<(&'static str, bool)> = Vec::new();
    for (id, listed) in &mode.map {
        let on = categories.get(id) == Some(&true);
        for name in listed.iter().map(|t| t.name()) {
            match types.iter_mut().find(|(n, _)| *n == name) {
                Some((_, granted)) => *granted &= on,
                None => types.push((name, on)),
            }
        }
    }
    types
}

/// `{"analytics_storage":"granted",...` without the closing brace.
fn push_types(out: &mut String, types: &[(&str, bool)]) {
    out.push('{');
    for (i, (name, granted)) in types.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json::push_str(out, name);
        out.push(':');
        json::push_str(out, if *granted { "granted" } else { "denied" });
    }
}

/// `["consent","update",{types}]` for the state `categories`.
pub(crate) fn update(mode: &GoogleConsentMode, categories: &Map<bool>) -> String {
    let mut out = "[\"consent\",\"update\",".to_string();
    push_types(&mut out, &types(mode, categories));
    out.push_str("}]");
    out
}

/// The calls at start, in the loader's order: the default (with `wait_for_update` and `region`);
/// with a `region` and categories the GPC signal declines, a second default without a region
/// that denies their types everywhere; the `set` calls; with a decision, the update.
pub(crate) fn start(
    mode: &GoogleConsentMode,
    categories: &Map<bool>,
    decided: bool,
    gpc_declined: &[String],
) -> Vec<String> {
    let mut calls = Vec::new();
    let mut default = "[\"consent\",\"default\",".to_string();
    push_types(&mut default, &types(mode, categories));
    default.push_str(if mode.map.is_empty() { "" } else { "," });
    default.push_str("\"wait_for_update\":");
    json::push_u64(&mut default, mode.wait_for_update.into());
    if !mode.region.is_empty() {
        default.push_str(",\"region\":");
        json::push_strings(&mut default, mode.region.iter().map(String::as_str));
    }
    default.push_str("}]");
    calls.push(default);
    if !mode.region.is_empty() && !gpc_declined.is_empty() {
        let refused: Vec<(&str, bool)> = mode
            .map
            .iter()
            .filter(|(id, _)| gpc_declined.contains(id))
            .flat_map(|(_, listed)| listed.iter().map(|t| (t.name(), false)))
            .collect();
        let mut out = "[\"consent\",\"default\",".to_string();
        push_types(&mut out, &refused);
        out.push_str("}]");
        calls.push(out);
    }
    if mode.ads_data_redaction {
        calls.push("[\"set\",\"ads_data_redaction\",true]".into());
    }
    if mode.url_passthrough {
        calls.push("[\"set\",\"url_passthrough\",true]".into());
    }
    if decided {
        calls.push(update(mode, categories));
    }
    calls
}

/// Calls `window.gtag(...args)` with the arguments in `args_json`, when the page defines `gtag`
/// (Google's snippet does). Without it nothing is called: `gtag` must push the `arguments` object
/// itself, which only a script of the page can define (the loader does; code compiled to wasm
/// cannot without `eval`).
pub(crate) fn call(args_json: &str) {
    use wasm_bindgen::{JsCast, JsValue};
    let Some(window) = web_sys::window() else {
        return;
    };
    let gtag = js_sys::Reflect::get(&window, &JsValue::from_str("gtag"))
        .ok()
        .and_then(|gtag| gtag.dyn_into::<js_sys::Function>().ok());
    let args = js_sys::JSON::parse(args_json)
        .ok()
        .and_then(|args| args.dyn_into::<js_sys::Array>().ok());
    if let (Some(gtag), Some(args)) = (gtag, args) {
        let _ = gtag.apply(&window, &args);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::Config;

    fn mode(json: &str) -> GoogleConsentMode {
        Config::from_json(&("{\"googleConsentMode\":".to_string() + json + "}"))
            .unwrap_or_else(|e| panic!("{e}"))
            .google_consent_mode
            .unwrap()
    }

    fn state(pairs: &[(&str, bool)]) -> Map<bool> {
        pairs.iter().map(|(k, v)| ((*k).to_string(), *v)).collect()
    }

    #[test]
    fn a_first_visit_denies_every_type_with_the_wait_and_region_and_updates_nothing() {
        let mode = mode(
            r#"{"map":{"statistics":["analytics_storage"],"functional":["functionality_storage"]},
                "waitForUpdate":800,"region":["DE"],"adsDataRedaction":true}"#,
        );
        let off = state(&[
            ("essential", true),
            ("functional", false),
            ("statistics", false),
        ]);
        assert_eq!(
            start(&mode, &off, false, &[]),
            [
                r#"["consent","default",{"functionality_storage":"denied","analytics_storage":"denied","wait_for_update":800,"region":["DE"]}]"#,
                r#"["set","ads_data_redaction",true]"#,
            ]
        );
    }

    #[test]
    fn a_stored_decision_is_the_default_and_an_update_at_once() {
        let mode = mode(
            r#"{"map":{"statistics":["analytics_storage","ad_storage"],"functional":["ad_storage"]}}"#,
        );
        let on = state(&[("functional", false), ("statistics", true)]);
        assert_eq!(
            start(&mode, &on, true, &[]),
            [
                r#"["consent","default",{"ad_storage":"denied","analytics_storage":"granted","wait_for_update":500}]"#,
                r#"["consent","update",{"ad_storage":"denied","analytics_storage":"granted"}]"#,
            ],
            "a type is granted only when every category listing it is on"
        );
    }

    #[test]
    fn the_gpc_signal_denies_its_types_outside_the_region_too() {
        let mode = mode(
            r#"{"map":{"statistics":["analytics_storage"],"functional":["ad_user_data"]},"region":["FR"]}"#,
        );
        let calls = start(&mode, &state(&[]), false, &["functional".to_string()]);
        assert_eq!(
            calls[1],
            r#"["consent","default",{"ad_user_data":"denied"}]"#
        );
    }
}
