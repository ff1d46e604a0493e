//! The serde_json-based parsers that the hand-written reader (`src/json/`) replaced, kept as the
//! reference for the differential tests (`tests/differential.rs`) and the fuzz targets (`fuzz/`),
//! which include this file. Needs the crate's `serde` feature; never in the shipped wasm.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use consent_banner::config::{Config, ConfigError, MAX_CONFIG_BYTES};
use consent_banner::map::Map;
use consent_banner::record::{ConsentRecord, Stored, FORMAT_VERSION, MAX_RECORD_BYTES};

/// [`Config::from_json`] with serde_json: the same size limit and validation; a data error is
/// prefixed with its path as serde_path_to_error tracks it (with the key for a duplicate field, as
/// the crate has always named it).
///
/// # Errors
///
/// As [`Config::from_json`].
pub fn config_from_json(text: &str) -> Result<Config, ConfigError> {
    if text.len() > MAX_CONFIG_BYTES {
        return Err(ConfigError::Parse(format!(
            "too large ({} bytes, at most {MAX_CONFIG_BYTES})",
            text.len()
        )));
    }
    let config = if text.trim().is_empty() {
        Config::default()
    } else {
        let mut de = serde_json::Deserializer::from_str(text);
        match serde_path_to_error::deserialize::<_, Config>(&mut de) {
            Ok(config) => {
                de.end().map_err(|e| ConfigError::Parse(e.to_string()))?;
                config
            }
            Err(e) => {
                let root = e.path().iter().next().is_none();
                let mut path = e.path().to_string();
                let e = e.into_inner();
                if root || e.classify() != serde_json::error::Category::Data {
                    path.clear();
                }
                let message = e.to_string();
                if let Some(key) = message
                    .strip_prefix("duplicate field `")
                    .and_then(|rest| rest.split('`').next())
                {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                return Err(ConfigError::Parse(if path.is_empty() {
                    message
                } else {
                    format!("{path}: {message}")
                }));
            }
        }
    };
    config.validate()?;
    Ok(config)
}

/// [`Stored::parse`] as it was with serde_json.
pub fn stored_parse(text: Option<&str>) -> Stored {
    let Some(text) = text else {
        return Stored::Empty;
    };
    if text.len() > MAX_RECORD_BYTES {
        return Stored::Corrupt(format!("record too large ({} bytes)", text.len()));
    }
    #[derive(serde::Deserialize)]
    struct Version {
        v: u64,
    }
    match serde_json::from_str::<Version>(text) {
        Ok(Version { v }) if v > u64::from(FORMAT_VERSION) => {
            return Stored::Newer(u32::try_from(v).unwrap_or(u32::MAX))
        }
        Ok(Version { v }) if v < u64::from(FORMAT_VERSION) => {
            return Stored::Corrupt(format!("unknown record version {v}"))
        }
        Ok(_) => {}
        Err(e) => return Stored::Corrupt(format!("not a consent record: {e}")),
    }
    match serde_json::from_str::<ConsentRecord>(text) {
        Ok(record) => Stored::Record(record),
        Err(e) => Stored::Corrupt(format!("not a consent record: {e}")),
    }
}

/// The choices of `Ui::set` as serde_json read them.
///
/// # Errors
///
/// serde_json's message.
pub fn decisions_from_json(text: &str) -> Result<Map<bool>, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// Compares [`Config::from_json`] with [`config_from_json`] on `text`: `Err` says how they
/// differ, beyond the documented differences (see `json`).
///
/// # Errors
///
/// A description of the difference.
pub fn check_config(text: &str) -> Result<(), String> {
    let ours = Config::from_json(text).map_err(|e| e.to_string());
    let reference = config_from_json(text).map_err(|e| e.to_string());
    match (&ours, &reference) {
        (Ok(a), Ok(b)) if a == b => Ok(()),
        (Err(a), b) if documented_difference(a, b.as_ref().err().map(String::as_str)) => Ok(()),
        (Err(a), Err(b)) if normalized(a) == normalized(b) => Ok(()),
        _ => Err(format!("{text:?}: json {ours:?}, serde_json {reference:?}")),
    }
}

/// Compares [`Stored::parse`] with [`stored_parse`] on `text`, as [`check_config`] does.
///
/// # Errors
///
/// A description of the difference.
pub fn check_record(text: &str) -> Result<(), String> {
    let ours = Stored::parse(Some(text));
    let reference = stored_parse(Some(text));
    let same = match (&ours, &reference) {
        (Stored::Corrupt(a), Stored::Corrupt(b)) => {
            documented_difference(a, Some(b)) || normalized(a) == normalized(b)
        }
        (Stored::Corrupt(a), Stored::Record(_) | Stored::Newer(_)) => {
            documented_difference(a, None)
        }
        _ => ours == reference,
    };
    if same {
        Ok(())
    } else {
        Err(format!("{text:?}: json {ours:?}, serde_json {reference:?}"))
    }
}

/// Compares the reader of `Ui::set`'s choices with [`decisions_from_json`] on `text`.
///
/// # Errors
///
/// A description of the difference.
pub fn check_choices(text: &str) -> Result<(), String> {
    let ours = consent_banner::record::read_choices(text);
    let reference = decisions_from_json(text);
    if ours.as_ref().map_err(|e| normalized(e)) == reference.as_ref().map_err(|e| normalized(e)) {
        Ok(())
    } else {
        Err(format!("{text:?}: json {ours:?}, serde_json {reference:?}"))
    }
}

/// `{:?}` output with its `\u{..}` escapes turned back into the characters, so that messages
/// quoted by Rust (serde_json) and by the crate (which shows some characters as they are, see
/// `json::push_debug`) compare equal. (Which characters the crate escapes is pinned by its own
/// tests.)
pub fn unescape_printable(debug: &str) -> String {
    let mut out = String::new();
    let mut rest = debug;
    while let Some(i) = rest.find("\\u{") {
        let (before, after) = rest.split_at(i);
        out.push_str(before);
        let decoded = after[3..].split_once('}').and_then(|(hex, tail)| {
            let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
            Some((c, tail))
        });
        match decoded {
            Some((c, tail)) => {
                out.push(c);
                rest = tail;
            }
            None => {
                out.push_str(&after[..3]);
                rest = &after[3..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// serde_json shows a float as zmij formats it, `json` as it was written; and `{:?}` escapes
/// characters `json` shows as they are (see [`unescape_printable`]).
fn normalized(message: &str) -> String {
    let message = unescape_printable(message);
    let mut out = String::new();
    let mut rest = message.as_str();
    while let Some(i) = rest.find("floating point `") {
        let (before, after) = rest.split_at(i + "floating point `".len());
        out.push_str(before);
        out.push_str("F`");
        rest = after.split_once('`').map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

/// The line and column at the end of a serde_json message.
fn position(message: &str) -> Option<(usize, usize)> {
    let (_, at) = message.rsplit_once(" at line ")?;
    let (line, column) = at.split_once(" column ")?;
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// The documented differences: `json` reads a struct only from an object and a unit enum only
/// from a string. True when `ours` is such an error and serde_json, reading the same text,
/// did not fail before it (`reference` is its error, `None` when it accepted the text; an
/// error without a position comes from validation, after reading).
fn documented_difference(ours: &str, reference: Option<&str>) -> bool {
    let shape = ours.contains("invalid type: sequence, expected struct ")
        || ours.contains("invalid type: map, expected one of `");
    shape
        && reference
            .and_then(position)
            .is_none_or(|reference| Some(reference) >= position(ours))
}
