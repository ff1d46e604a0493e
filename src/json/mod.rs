//! A small JSON reader and writer for the few shapes this crate reads and writes (the config, the
//! stored record, the API's choices; the record, events, receipts and the cookie mirror), in place
//! of serde and serde_json: a few KB of wasm instead of about 60.
//!
//! The reader is a pull parser that the typed reads (`config::read`, `record::read`, ...) drive
//! field by field. It follows serde_json's deserializer step by step, so it accepts and rejects the
//! same texts and words its errors the same way, at the same `line` and `column`: `invalid type:
//! integer `7`, expected a string at line 4 column 33`, `unknown field ...`, `missing field ...`,
//! `EOF while parsing a value ...`. Three differences, all deliberate (`tests/support/reference.rs`
//! keeps the serde_json definition and the tests compare both):
//!
//! - a struct is a JSON object only (`invalid type: sequence, expected struct CookieMirror`);
//!   serde_json also takes an array of its fields in order (`"cookie": ["x", null, "/"]`);
//! - a unit enum (`sameSite`, a record's `source`) is a string only
//!   (`invalid type: map, expected one of `Lax`, `Strict`, `None``); serde_json also takes
//!   `{"Lax": null}`, so a record with `"source": {"banner": null}` was valid in the UI and invalid
//!   in the loader;
//! - a floating point number in an error is shown as written (`1.50`, `1e3`), not re-formatted.
//!
//! Data errors (of the value's type, an unknown or missing field) also carry the path of the value
//! (`categories[1].label`), tracked while reading.
//!
//! The writer produces what `serde_json::to_string` produces: compact, with serde_json's string
//! escapes.

mod read;
mod write;

pub(crate) use read::*;
pub(crate) use write::*;

#[cfg(test)]
mod tests {
    use super::*;

    /// `{:?}` output with the `\u{..}` escapes that [`debug`] shows as the character itself turned
    /// back into it (its deliberate difference), for comparing the two.
    fn unescape_printable(rust: &str) -> String {
        let mut out = String::new();
        let mut rest = rust;
        while let Some(i) = rest.find("\\u{") {
            let (before, after) = rest.split_at(i);
            out.push_str(before);
            let decoded = after[3..].split_once('}').and_then(|(hex, tail)| {
                let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                (!escaped(c)).then_some((c, tail))
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

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        for text in [
            "",
            "plain",
            "quote \" backslash \\ slash /",
            "\u{0}\u{1}\u{8}\u{9}\u{a}\u{c}\u{d}\u{1f}\u{7f}",
            "é ✓ 😀 \u{2028}",
            "</script>",
        ] {
            let mut out = String::new();
            push_str(&mut out, text);
            assert_eq!(out, serde_json::to_string(text).unwrap());
        }
        for n in [0, 1, 9, 10, 1_796_000_000_000, u64::MAX] {
            let mut out = String::new();
            push_u64(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn debug_quotes_strings_as_rust_does() {
        for text in [
            "",
            "a\"b",
            "it's",
            "back\\slash",
            "\n\t\r\0\u{7f}",
            "e\u{301}",
            "\u{301}",
            "zero\u{200b}width",
            "😀",
            "\u{10ffff}",
            "\u{fffe}",
            "bidi \u{202e}override\u{2066}",
            "bom\u{feff} separator\u{2028}",
        ] {
            assert_eq!(debug(text), unescape_printable(&format!("{text:?}")));
        }
    }

    #[test]
    fn debug_shows_what_rust_escapes_without_unicode_tables_as_it_is() {
        // The deliberate difference: a combining mark at the start, a private-use and a
        // noncharacter code point are escaped by `{:?}`, shown as they are here.
        assert_eq!(
            format!("{:?}", "\u{301}\u{e000}\u{fffe}"),
            r#""\u{301}\u{e000}\u{fffe}""#
        );
        assert_eq!(
            debug("\u{301}\u{e000}\u{fffe}"),
            "\"\u{301}\u{e000}\u{fffe}\""
        );
        // Invisible characters that could disguise a message are escaped as `{:?}` does.
        assert_eq!(debug("a\u{202e}b\u{200b}"), r#""a\u{202e}b\u{200b}""#);
        assert_eq!(debug("\u{7f}\u{9f}\u{1}"), r#""\u{7f}\u{9f}\u{1}""#);
    }

    #[test]
    fn every_character_debug_escapes_is_one_rust_escapes_too() {
        for c in (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|&c| escaped(c))
        {
            assert_ne!(
                format!("{c:?}"),
                format!("'{c}'"),
                "{c:?} is not escaped by Rust"
            );
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn any_string_is_written_and_quoted_as_serde_json_and_rust_do(text in proptest::prelude::any::<String>()) {
            let mut out = String::new();
            push_str(&mut out, &text);
            proptest::prop_assert_eq!(&out, &serde_json::to_string(&text).unwrap());
            proptest::prop_assert_eq!(debug(&text), unescape_printable(&format!("{text:?}")));
        }
    }
}
