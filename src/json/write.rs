//! The writer: compact JSON, byte for byte as `serde_json::to_string` writes it.

use crate::core::map::Map;

/// Appends `n` in decimal.
pub(crate) fn push_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &digit in &digits[i..] {
        out.push(char::from(digit));
    }
}

/// Appends `text` as a JSON string, escaped as serde_json escapes it.
pub(crate) fn push_str(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\x08' => "\\b",
            b'\x0c' => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

/// Appends `,"key":` (without the comma for the first field of an object, when `out` ends with
/// `{`).
pub(crate) fn push_key(out: &mut String, key: &str) {
    if !out.ends_with('{') {
        out.push(',');
    }
    push_str(out, key);
    out.push(':');
}

/// Appends `true` or `false`.
pub(crate) fn push_bool(out: &mut String, value: bool) {
    out.push_str(if value { "true" } else { "false" });
}

/// Appends a decision per category id: `{"essential":true,"statistics":false}`.
pub(crate) fn push_decisions(out: &mut String, decisions: &Map<bool>) {
    out.push('{');
    for (id, on) in decisions {
        push_key(out, id);
        push_bool(out, *on);
    }
    out.push('}');
}

/// Appends an array of strings.
pub(crate) fn push_strings<'s>(out: &mut String, items: impl IntoIterator<Item = &'s str>) {
    out.push('[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_str(out, item);
    }
    out.push(']');
}

/// Appends a number, or `null`.
pub(crate) fn push_optional_u64(out: &mut String, value: Option<u64>) {
    match value {
        Some(n) => push_u64(out, n),
        None => out.push_str("null"),
    }
}
