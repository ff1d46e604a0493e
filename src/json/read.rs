//! The reader: a pull parser that the typed reads drive field by field, with serde_json's
//! acceptance, messages and positions; and the quoting of values in messages (`debug`).

use super::write::push_u64;

/// An error as serde_json reports it, before its position is rendered.
#[derive(Debug)]
pub(crate) struct Error {
    message: String,
    /// Byte offset the error is reported at; `None` until the enclosing value fixes it, as
    /// serde_json does for errors raised by a visitor.
    at: Option<usize>,
    /// The path of the value, for errors of the data's shape (serde_json's `Category::Data`).
    path: Option<String>,
}

/// A rendered error: the path of the value (empty for syntax errors and the top level) and
/// serde_json's message with its position (`... at line 1 column 5`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub path: String,
    pub message: String,
}

impl Failure {
    /// `path: message`, or the message alone when there is no path.
    pub fn with_path(self) -> String {
        if self.path.is_empty() {
            self.message
        } else {
            self.path + ": " + &self.message
        }
    }
}

const EOF_LIST: &str = "EOF while parsing a list";
const EOF_OBJECT: &str = "EOF while parsing an object";
const EOF_STRING: &str = "EOF while parsing a string";
const EOF_VALUE: &str = "EOF while parsing a value";
const EXPECTED_COLON: &str = "expected `:`";
const EXPECTED_LIST_COMMA_OR_END: &str = "expected `,` or `]`";
const EXPECTED_OBJECT_COMMA_OR_END: &str = "expected `,` or `}`";
const EXPECTED_IDENT: &str = "expected ident";
const EXPECTED_VALUE: &str = "expected value";
const INVALID_ESCAPE: &str = "invalid escape";
const INVALID_NUMBER: &str = "invalid number";
const NUMBER_OUT_OF_RANGE: &str = "number out of range";
const CONTROL_CHARACTER: &str = "control character (\\u0000-\\u001F) found while parsing a string";
const KEY_MUST_BE_A_STRING: &str = "key must be a string";
const LONE_SURROGATE: &str = "lone leading surrogate in hex escape";
const TRAILING_COMMA: &str = "trailing comma";
const TRAILING_CHARACTERS: &str = "trailing characters";
const UNEXPECTED_END_OF_HEX_ESCAPE: &str = "unexpected end of hex escape";

/// A number as serde_json's parser classifies it. Floats keep where they start, to be shown as
/// written.
enum Number {
    U64(u64),
    I64(i64),
    F64(usize),
}

/// `a * 10 + b` would exceed `max` (serde_json's `overflow!`).
fn overflows(a: u64, b: u64, max: u64) -> bool {
    a >= max / 10 && (a > max / 10 || b > max % 10)
}

/// serde_json's powers of ten from `1e289` on: below that, no `u64` significand reaches infinity.
const POW10_FROM_289: [f64; 20] = [
    1e289, 1e290, 1e291, 1e292, 1e293, 1e294, 1e295, 1e296, 1e297, 1e298, 1e299, 1e300, 1e301,
    1e302, 1e303, 1e304, 1e305, 1e306, 1e307, 1e308,
];

/// Reads JSON text the way serde_json's `Deserializer` reads it into typed values.
pub(crate) struct Reader<'a> {
    text: &'a str,
    index: usize,
    /// Path of the value being read: `categories[1].label`.
    path: String,
}

/// Parses `text` with `read`, then checks that only whitespace follows.
pub(crate) fn parse<'a, T>(
    text: &'a str,
    read: impl FnOnce(&mut Reader<'a>) -> Result<T, Error>,
) -> Result<T, Failure> {
    let mut reader = Reader {
        text,
        index: 0,
        path: String::new(),
    };
    let result = read(&mut reader).and_then(|value| match reader.whitespace() {
        Some(_) => Err(reader.peek_error(TRAILING_CHARACTERS)),
        None => Ok(value),
    });
    result.map_err(|error| reader.render(error))
}

impl<'a> Reader<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.index).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek();
        if byte.is_some() {
            self.index += 1;
        }
        byte
    }

    fn peek_digit(&self) -> Option<u8> {
        self.peek().filter(u8::is_ascii_digit)
    }

    /// Skips whitespace; the next byte, not consumed.
    fn whitespace(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.index += 1;
        }
        self.peek()
    }

    /// A syntax error caused by the byte just read.
    fn error(&self, message: &str) -> Error {
        Error {
            message: message.into(),
            at: Some(self.index),
            path: None,
        }
    }

    /// A syntax error caused by the next byte.
    fn peek_error(&self, message: &str) -> Error {
        Error {
            message: message.into(),
            at: Some((self.index + 1).min(self.text.len())),
            path: None,
        }
    }

    /// An error of the data's shape at the current path; its position is fixed by the enclosing
    /// value.
    pub fn data(&self, message: String) -> Error {
        Error {
            message,
            at: None,
            path: Some(self.path.clone()),
        }
    }

    /// Places an error without a position where the reader is now.
    fn fix(&self, mut error: Error) -> Error {
        error.at.get_or_insert(self.index);
        error
    }

    fn render(&self, error: Error) -> Failure {
        let at = error.at.unwrap_or(self.index);
        let before = &self.bytes()[..at];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = 1 + before[..line_start].iter().filter(|&&b| b == b'\n').count();
        let mut message = error.message;
        message.push_str(" at line ");
        push_u64(&mut message, line as u64);
        message.push_str(" column ");
        push_u64(&mut message, (at - line_start) as u64);
        Failure {
            path: error.path.unwrap_or_default(),
            message,
        }
    }

    fn ident(&mut self, rest: &[u8]) -> Result<(), Error> {
        for &expected in rest {
            match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(byte) if byte != expected => return Err(self.error(EXPECTED_IDENT)),
                Some(_) => {}
            }
        }
        Ok(())
    }

    // --- values ---------------------------------------------------------------------------------

    /// `invalid type: <what the next value is>, expected <expected>`, after reading that value
    /// (serde_json's `peek_invalid_type`).
    fn invalid_type(&mut self, expected: &str) -> Error {
        let found = match self.peek().unwrap_or(0) {
            b'n' => {
                self.index += 1;
                if let Err(error) = self.ident(b"ull") {
                    return error;
                }
                "null".to_string()
            }
            b't' | b'f' => {
                let value = self.next() == Some(b't');
                if let Err(error) = self.ident(if value { b"rue" } else { b"alse" }) {
                    return error;
                }
                format_bool(value)
            }
            b'-' | b'0'..=b'9' => match self.number() {
                Ok(number) => self.describe(number),
                Err(error) => return error,
            },
            b'"' => {
                self.index += 1;
                match self.string_body() {
                    Ok(text) => {
                        let mut found = "string ".to_string();
                        push_debug(&mut found, &text);
                        found
                    }
                    Err(error) => return error,
                }
            }
            b'[' => "sequence".to_string(),
            b'{' => "map".to_string(),
            _ => return self.peek_error(EXPECTED_VALUE),
        };
        self.fix(self.data("invalid type: ".to_string() + &found + ", expected " + expected))
    }

    fn describe(&self, number: Number) -> String {
        let mut found = String::new();
        match number {
            Number::U64(n) => {
                found.push_str("integer `");
                push_u64(&mut found, n);
            }
            Number::I64(n) => {
                found.push_str("integer `-");
                push_u64(&mut found, n.unsigned_abs());
            }
            Number::F64(start) => {
                found.push_str("floating point `");
                found.push_str(&self.text[start..self.index]);
            }
        }
        found.push('`');
        found
    }

    /// `null`, consumed; `false` (nothing consumed) for anything else (serde_json's
    /// `deserialize_option`).
    pub fn null(&mut self) -> Result<bool, Error> {
        if self.whitespace() != Some(b'n') {
            return Ok(false);
        }
        self.index += 1;
        self.ident(b"ull")?;
        Ok(true)
    }

    /// A boolean.
    pub fn bool(&mut self) -> Result<bool, Error> {
        match self.whitespace() {
            None => Err(self.peek_error(EOF_VALUE)),
            Some(b't') => {
                self.index += 1;
                self.ident(b"rue").map(|()| true)
            }
            Some(b'f') => {
                self.index += 1;
                self.ident(b"alse").map(|()| false)
            }
            Some(_) => Err(self.invalid_type("a boolean")),
        }
    }

    /// A string.
    pub fn string(&mut self) -> Result<String, Error> {
        match self.whitespace() {
            None => Err(self.peek_error(EOF_VALUE)),
            Some(b'"') => {
                self.index += 1;
                self.string_body()
            }
            Some(_) => Err(self.invalid_type("a string")),
        }
    }

    /// A string or `null`.
    pub fn optional_string(&mut self) -> Result<Option<String>, Error> {
        Ok(if self.null()? {
            None
        } else {
            Some(self.string()?)
        })
    }

    /// A `u32`.
    pub fn u32(&mut self) -> Result<u32, Error> {
        self.unsigned("u32", u32::MAX.into()).map(|n| n as u32)
    }

    /// A `u64`.
    pub fn u64(&mut self) -> Result<u64, Error> {
        self.unsigned("u64", u64::MAX)
    }

    fn unsigned(&mut self, expected: &str, max: u64) -> Result<u64, Error> {
        match self.whitespace() {
            None => return Err(self.peek_error(EOF_VALUE)),
            Some(b'-' | b'0'..=b'9') => {}
            Some(_) => return Err(self.invalid_type(expected)),
        }
        let (kind, number) = match self.number()? {
            Number::U64(n) if n <= max => return Ok(n),
            number @ (Number::U64(_) | Number::I64(_)) => ("invalid value: ", number),
            number => ("invalid type: ", number),
        };
        let message = kind.to_string() + &self.describe(number) + ", expected " + expected;
        Err(self.fix(self.data(message)))
    }

    /// One of `names`, written as a string: serde's `try_from = "String"`, with the message of
    /// [`one_of`].
    pub fn name<T: Copy>(&mut self, names: &[(&str, T)]) -> Result<T, Error> {
        let name = self.string()?;
        one_of(&name, names).map_err(|message| self.data(message))
    }

    /// A unit variant of a derived enum: one of `names`, written as a string.
    pub fn variant<T: Copy>(&mut self, names: &[(&'static str, T)]) -> Result<T, Error> {
        let message = match self.whitespace() {
            None => return Err(self.peek_error(EOF_VALUE)),
            Some(b'"') => {
                self.index += 1;
                let name = self.string_body()?;
                if let Some((_, value)) = names.iter().find(|(n, _)| *n == name) {
                    return Ok(*value);
                }
                "unknown variant `".to_string() + &name + "`, expected "
            }
            // serde_json also takes `{"Lax": null}`.
            Some(b'{') => "invalid type: map, expected ".to_string(),
            Some(_) => return Err(self.peek_error(EXPECTED_VALUE)),
        };
        let mut message = message;
        push_one_of(&mut message, names.iter().map(|(n, _)| *n));
        Err(self.fix(self.data(message)))
    }

    // --- containers -----------------------------------------------------------------------------

    /// A struct: `fields` are its JSON names in declaration order, `required` the bit mask of those
    /// without a default. `field(reader, i)` reads the value of field `i`. Unknown fields are an
    /// error when `deny_unknown`, else skipped.
    pub fn object(
        &mut self,
        expected: &str,
        fields: &[&'static str],
        required: u32,
        deny_unknown: bool,
        field: &mut dyn FnMut(&mut Reader<'a>, usize) -> Result<(), Error>,
    ) -> Result<(), Error> {
        match self.whitespace() {
            None => return Err(self.peek_error(EOF_VALUE)),
            Some(b'{') => self.index += 1,
            Some(_) => return Err(self.invalid_type(expected)),
        }
        let result = self.fields(fields, required, deny_unknown, field);
        self.close(result, Self::end_object)
    }

    fn fields(
        &mut self,
        fields: &[&'static str],
        required: u32,
        deny_unknown: bool,
        field: &mut dyn FnMut(&mut Reader<'a>, usize) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut seen = 0u32;
        let mut first = true;
        while self.next_key(&mut first)? {
            let key = self.string_body()?;
            let path_len = self.push_key(&key);
            let Some(i) = fields.iter().position(|f| *f == key) else {
                if deny_unknown {
                    let mut message = "unknown field `".to_string() + &key + "`, expected ";
                    push_one_of(&mut message, fields.iter().copied());
                    return Err(self.data(message));
                }
                self.colon()?;
                self.ignore_value()?;
                self.path.truncate(path_len);
                continue;
            };
            if seen & (1 << i) != 0 {
                return Err(self.data("duplicate field `".to_string() + fields[i] + "`"));
            }
            seen |= 1 << i;
            self.colon()?;
            field(self, i)?;
            self.path.truncate(path_len);
        }
        match fields
            .iter()
            .enumerate()
            .find(|(i, _)| required & !seen & (1 << i) != 0)
        {
            Some((_, name)) => Err(self.data("missing field `".to_string() + name + "`")),
            None => Ok(()),
        }
    }

    /// A map with string keys; `entry(reader, key)` reads the value of `key`. A repeated key is
    /// read again (the caller's insert keeps the last).
    pub fn map(
        &mut self,
        entry: &mut dyn FnMut(&mut Reader<'a>, String) -> Result<(), Error>,
    ) -> Result<(), Error> {
        match self.whitespace() {
            None => return Err(self.peek_error(EOF_VALUE)),
            Some(b'{') => self.index += 1,
            Some(_) => return Err(self.invalid_type("a map")),
        }
        let mut entries = || {
            let mut first = true;
            while self.next_key(&mut first)? {
                let key = self.string_body()?;
                self.colon()?;
                let path_len = self.push_key(&key);
                entry(self, key)?;
                self.path.truncate(path_len);
            }
            Ok(())
        };
        let result = entries();
        self.close(result, Self::end_object)
    }

    /// A sequence; `element(reader)` reads one element.
    pub fn seq(
        &mut self,
        element: &mut dyn FnMut(&mut Reader<'a>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        match self.whitespace() {
            None => return Err(self.peek_error(EOF_VALUE)),
            Some(b'[') => self.index += 1,
            Some(_) => return Err(self.invalid_type("a sequence")),
        }
        let mut elements = || {
            let mut index = 0;
            loop {
                match self.whitespace() {
                    None => return Err(self.peek_error(EOF_LIST)),
                    Some(b']') => return Ok(()),
                    Some(_) if index == 0 => {}
                    Some(b',') => {
                        self.index += 1;
                        match self.whitespace() {
                            Some(b']') => return Err(self.peek_error(TRAILING_COMMA)),
                            Some(_) => {}
                            None => return Err(self.peek_error(EOF_VALUE)),
                        }
                    }
                    Some(_) => return Err(self.peek_error(EXPECTED_LIST_COMMA_OR_END)),
                }
                let path_len = self.path.len();
                self.path.push('[');
                push_u64(&mut self.path, index);
                self.path.push(']');
                element(self)?;
                self.path.truncate(path_len);
                index += 1;
            }
        };
        let result = elements();
        self.close(result, Self::end_seq)
    }

    /// serde_json ends a container whatever its content's result, then places an error without a
    /// position after the closing bracket.
    fn close(
        &mut self,
        result: Result<(), Error>,
        end: fn(&mut Self) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let ended = end(self);
        result.and(ended).map_err(|error| self.fix(error))
    }

    /// Whether another key follows in an object (serde_json's `has_next_key`); at its `"`.
    fn next_key(&mut self, first: &mut bool) -> Result<bool, Error> {
        let peek = match self.whitespace() {
            None => return Err(self.peek_error(EOF_OBJECT)),
            Some(b'}') => return Ok(false),
            Some(peek) => peek,
        };
        if std::mem::take(first) {
            if peek != b'"' {
                return Err(self.peek_error(KEY_MUST_BE_A_STRING));
            }
        } else if peek == b',' {
            self.index += 1;
            match self.whitespace() {
                Some(b'"') => {}
                Some(b'}') => return Err(self.peek_error(TRAILING_COMMA)),
                Some(_) => return Err(self.peek_error(KEY_MUST_BE_A_STRING)),
                None => return Err(self.peek_error(EOF_VALUE)),
            }
        } else {
            return Err(self.peek_error(EXPECTED_OBJECT_COMMA_OR_END));
        }
        self.index += 1;
        Ok(true)
    }

    fn push_key(&mut self, key: &str) -> usize {
        let len = self.path.len();
        if len > 0 {
            self.path.push('.');
        }
        self.path.push_str(key);
        len
    }

    fn colon(&mut self) -> Result<(), Error> {
        match self.whitespace() {
            Some(b':') => {
                self.index += 1;
                Ok(())
            }
            Some(_) => Err(self.peek_error(EXPECTED_COLON)),
            None => Err(self.peek_error(EOF_OBJECT)),
        }
    }

    fn end_object(&mut self) -> Result<(), Error> {
        match self.whitespace() {
            Some(b'}') => {
                self.index += 1;
                Ok(())
            }
            Some(b',') => Err(self.peek_error(TRAILING_COMMA)),
            Some(_) => Err(self.peek_error(TRAILING_CHARACTERS)),
            None => Err(self.peek_error(EOF_OBJECT)),
        }
    }

    fn end_seq(&mut self) -> Result<(), Error> {
        match self.whitespace() {
            Some(b']') => {
                self.index += 1;
                Ok(())
            }
            Some(b',') => {
                self.index += 1;
                match self.whitespace() {
                    Some(b']') => Err(self.peek_error(TRAILING_COMMA)),
                    _ => Err(self.peek_error(TRAILING_CHARACTERS)),
                }
            }
            Some(_) => Err(self.peek_error(TRAILING_CHARACTERS)),
            None => Err(self.peek_error(EOF_LIST)),
        }
    }

    // --- strings --------------------------------------------------------------------------------

    /// The rest of a string whose `"` was read, unescaped.
    fn string_body(&mut self) -> Result<String, Error> {
        let mut out = String::new();
        let mut start = self.index;
        loop {
            let Some(byte) = self.peek() else {
                return Err(self.error(EOF_STRING));
            };
            match byte {
                b'"' | b'\\' => {
                    out.push_str(&self.text[start..self.index]);
                    self.index += 1;
                    if byte == b'"' {
                        return Ok(out);
                    }
                    self.escape(&mut out)?;
                    start = self.index;
                }
                0..=0x1f => {
                    self.index += 1;
                    return Err(self.error(CONTROL_CHARACTER));
                }
                _ => self.index += 1,
            }
        }
    }

    /// An escape whose `\` was read; `out` receives the character, when there is one.
    fn escape_into(&mut self, out: Option<&mut String>) -> Result<(), Error> {
        let Some(byte) = self.next() else {
            return Err(self.error(EOF_STRING));
        };
        let c = match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\x08',
            b'f' => '\x0c',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let mut n = self.hex4()?;
                let Some(out) = out else {
                    return Ok(());
                };
                if (0xDC00..=0xDFFF).contains(&n) {
                    return Err(self.error(LONE_SURROGATE));
                }
                if (0xD800..=0xDBFF).contains(&n) {
                    for expected in [b'\\', b'u'] {
                        let Some(byte) = self.next() else {
                            return Err(self.error(EOF_STRING));
                        };
                        if byte != expected {
                            return Err(self.error(UNEXPECTED_END_OF_HEX_ESCAPE));
                        }
                    }
                    let low = self.hex4()?;
                    if !(0xDC00..=0xDFFF).contains(&low) {
                        return Err(self.error(LONE_SURROGATE));
                    }
                    n = 0x1_0000 + ((n - 0xD800) << 10 | (low - 0xDC00));
                }
                out.extend(char::from_u32(n));
                return Ok(());
            }
            _ => return Err(self.error(INVALID_ESCAPE)),
        };
        if let Some(out) = out {
            out.push(c);
        }
        Ok(())
    }

    fn escape(&mut self, out: &mut String) -> Result<(), Error> {
        self.escape_into(Some(out))
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let Some(digits) = self.bytes().get(self.index..self.index + 4) else {
            self.index = self.text.len();
            return Err(self.error(EOF_STRING));
        };
        self.index += 4;
        let mut n = 0;
        for &digit in digits {
            let value = match digit {
                b'0'..=b'9' => digit - b'0',
                b'a'..=b'f' => digit - b'a' + 10,
                b'A'..=b'F' => digit - b'A' + 10,
                _ => return Err(self.error(INVALID_ESCAPE)),
            };
            n = n << 4 | u32::from(value);
        }
        Ok(n)
    }

    // --- numbers --------------------------------------------------------------------------------

    /// A number, at its first byte (`-` or a digit).
    fn number(&mut self) -> Result<Number, Error> {
        let start = self.index;
        let positive = self.peek() != Some(b'-');
        if !positive {
            self.index += 1;
        }
        let significand = match self.next() {
            None => return Err(self.error(EOF_VALUE)),
            Some(b'0') => {
                if self.peek_digit().is_some() {
                    return Err(self.peek_error(INVALID_NUMBER));
                }
                0
            }
            Some(digit @ b'1'..=b'9') => {
                let mut significand = u64::from(digit - b'0');
                while let Some(digit) = self.peek_digit() {
                    let digit = u64::from(digit - b'0');
                    if overflows(significand, digit, u64::MAX) {
                        // Too long for a u64: a float; the further digits scale it.
                        let mut exponent = 0;
                        while self.peek_digit().is_some() {
                            self.index += 1;
                            exponent += 1;
                        }
                        self.fraction_and_exponent(significand, exponent)?;
                        return Ok(Number::F64(start));
                    }
                    self.index += 1;
                    significand = significand * 10 + digit;
                }
                significand
            }
            Some(_) => return Err(self.error(INVALID_NUMBER)),
        };
        if let Some(b'.' | b'e' | b'E') = self.peek() {
            self.fraction_and_exponent(significand, 0)?;
            return Ok(Number::F64(start));
        }
        Ok(if positive {
            Number::U64(significand)
        } else {
            // `-0` and anything below i64::MIN are floats, as in serde_json.
            match (significand as i64).wrapping_neg() {
                n if n >= 0 => Number::F64(start),
                n => Number::I64(n),
            }
        })
    }

    /// The optional `.digits` and `e[+-]digits` of a float, with serde_json's checks: digits where
    /// they must be, and no overflow to infinity.
    fn fraction_and_exponent(
        &mut self,
        mut significand: u64,
        mut exponent: i32,
    ) -> Result<(), Error> {
        if self.peek() == Some(b'.') {
            self.index += 1;
            let mut digits = 0;
            while let Some(digit) = self.peek_digit() {
                let digit = u64::from(digit - b'0');
                if overflows(significand, digit, u64::MAX) {
                    // serde_json ignores the digits that do not fit.
                    while self.peek_digit().is_some() {
                        self.index += 1;
                    }
                    digits = digits.max(1);
                    break;
                }
                self.index += 1;
                significand = significand * 10 + digit;
                exponent -= 1;
                digits += 1;
            }
            if digits == 0 {
                return Err(self.peek_error(match self.peek() {
                    Some(_) => INVALID_NUMBER,
                    None => EOF_VALUE,
                }));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.index += 1;
            let positive = match self.peek() {
                Some(b'-') => {
                    self.index += 1;
                    false
                }
                Some(b'+') => {
                    self.index += 1;
                    true
                }
                _ => true,
            };
            let mut value = match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(digit @ b'0'..=b'9') => i32::from(digit - b'0'),
                Some(_) => return Err(self.error(INVALID_NUMBER)),
            };
            while let Some(digit) = self.peek_digit() {
                self.index += 1;
                let digit = i32::from(digit - b'0');
                if overflows(value as u64, digit as u64, i32::MAX as u64) {
                    if significand != 0 && positive {
                        return Err(self.error(NUMBER_OUT_OF_RANGE));
                    }
                    while self.peek_digit().is_some() {
                        self.index += 1;
                    }
                    return Ok(());
                }
                value = value * 10 + digit;
            }
            exponent = if positive {
                exponent.saturating_add(value)
            } else {
                exponent.saturating_sub(value)
            };
        }
        // serde_json multiplies the significand by 10^exponent and rejects infinity.
        let infinite = significand != 0
            && match exponent {
                ..=288 => false,
                289..=308 => {
                    (significand as f64 * POW10_FROM_289[(exponent - 289) as usize]).is_infinite()
                }
                _ => true,
            };
        if infinite {
            return Err(self.error(NUMBER_OUT_OF_RANGE));
        }
        Ok(())
    }

    // --- skipping -------------------------------------------------------------------------------

    /// Skips one value of any shape, checking its syntax as serde_json's `ignore_value` does.
    fn ignore_value(&mut self) -> Result<(), Error> {
        let mut stack: Vec<u8> = Vec::new();
        let mut enclosing: Option<u8> = None;
        loop {
            let peek = match self.whitespace() {
                None => return Err(self.peek_error(EOF_VALUE)),
                Some(peek) => peek,
            };
            let opened = match peek {
                b'n' => {
                    self.index += 1;
                    self.ident(b"ull")?;
                    None
                }
                b't' => {
                    self.index += 1;
                    self.ident(b"rue")?;
                    None
                }
                b'f' => {
                    self.index += 1;
                    self.ident(b"alse")?;
                    None
                }
                b'-' => {
                    self.index += 1;
                    self.ignore_number()?;
                    None
                }
                b'0'..=b'9' => {
                    self.ignore_number()?;
                    None
                }
                b'"' => {
                    self.index += 1;
                    self.ignore_string()?;
                    None
                }
                b'[' | b'{' => {
                    stack.extend(enclosing.take());
                    self.index += 1;
                    Some(peek)
                }
                _ => return Err(self.peek_error(EXPECTED_VALUE)),
            };
            let (mut accept_comma, mut frame) = match opened {
                Some(frame) => (false, frame),
                None => match enclosing.take().or_else(|| stack.pop()) {
                    Some(frame) => (true, frame),
                    None => return Ok(()),
                },
            };
            loop {
                match self.whitespace() {
                    Some(b',') if accept_comma => {
                        self.index += 1;
                        break;
                    }
                    Some(b']') if frame == b'[' => {}
                    Some(b'}') if frame == b'{' => {}
                    Some(_) if accept_comma => {
                        return Err(self.peek_error(if frame == b'[' {
                            EXPECTED_LIST_COMMA_OR_END
                        } else {
                            EXPECTED_OBJECT_COMMA_OR_END
                        }))
                    }
                    Some(_) => break,
                    None => {
                        return Err(self.peek_error(if frame == b'[' {
                            EOF_LIST
                        } else {
                            EOF_OBJECT
                        }))
                    }
                }
                self.index += 1;
                frame = match stack.pop() {
                    Some(frame) => frame,
                    None => return Ok(()),
                };
                accept_comma = true;
            }
            if frame == b'{' {
                match self.whitespace() {
                    Some(b'"') => self.index += 1,
                    Some(_) => return Err(self.peek_error(KEY_MUST_BE_A_STRING)),
                    None => return Err(self.peek_error(EOF_OBJECT)),
                }
                self.ignore_string()?;
                match self.whitespace() {
                    Some(b':') => self.index += 1,
                    Some(_) => return Err(self.peek_error(EXPECTED_COLON)),
                    None => return Err(self.peek_error(EOF_OBJECT)),
                }
            }
            enclosing = Some(frame);
        }
    }

    /// Skips a number after its sign (serde_json's `ignore_integer`): syntax only, any size.
    fn ignore_number(&mut self) -> Result<(), Error> {
        match self.next() {
            Some(b'0') => {
                if self.peek_digit().is_some() {
                    return Err(self.peek_error(INVALID_NUMBER));
                }
            }
            Some(b'1'..=b'9') => self.skip_digits(),
            _ => return Err(self.error(INVALID_NUMBER)),
        }
        if self.peek() == Some(b'.') {
            self.index += 1;
            if self.peek_digit().is_none() {
                return Err(self.peek_error(INVALID_NUMBER));
            }
            self.skip_digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.index += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.index += 1;
            }
            if !self.next().is_some_and(|b| b.is_ascii_digit()) {
                return Err(self.error(INVALID_NUMBER));
            }
            self.skip_digits();
        }
        Ok(())
    }

    fn skip_digits(&mut self) {
        while self.peek_digit().is_some() {
            self.index += 1;
        }
    }

    /// Skips the rest of a string (serde_json's `ignore_str`: escapes checked, surrogates not).
    fn ignore_string(&mut self) -> Result<(), Error> {
        loop {
            match self.peek() {
                None => return Err(self.error(EOF_STRING)),
                Some(b'"') => {
                    self.index += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.index += 1;
                    self.escape_into(None)?;
                }
                Some(0..=0x1f) => return Err(self.error(CONTROL_CHARACTER)),
                Some(_) => self.index += 1,
            }
        }
    }
}

fn format_bool(value: bool) -> String {
    (if value {
        "boolean `true`"
    } else {
        "boolean `false`"
    })
    .to_string()
}

/// The value named `value` in `names`, or a message naming the allowed values (the parser adds
/// the field's path).
pub(crate) fn one_of<T: Copy>(value: &str, names: &[(&str, T)]) -> Result<T, String> {
    if let Some((_, v)) = names.iter().find(|(name, _)| *name == value) {
        return Ok(*v);
    }
    let mut message = debug(value) + " is not one of ";
    for (i, (name, _)) in names.iter().enumerate() {
        if i > 0 {
            message.push_str(", ");
        }
        push_debug(&mut message, name);
    }
    Err(message)
}

/// serde's list of allowed names: `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b`, `c` ``.
fn push_one_of<'n>(out: &mut String, names: impl ExactSizeIterator<Item = &'n str>) {
    let count = names.len();
    if count > 2 {
        out.push_str("one of ");
    }
    for (i, name) in names.enumerate() {
        if i > 0 {
            out.push_str(if count == 2 { " or " } else { ", " });
        }
        out.push('`');
        out.push_str(name);
        out.push('`');
    }
}

/// Appends `text` quoted as Rust's `{:?}` shows a string: `\"`, `\\`, `\0`, `\t`, `\r`, `\n`, and
/// `\u{..}` for the characters [`escaped`] names. One deliberate difference: the other characters
/// `{:?}` escapes (unassigned or private-use code points, a combining mark at the start) appear as
/// they are, because telling them apart takes Unicode tables (2.3 KB brotli of the wasm).
pub(crate) fn push_debug(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            c if escaped(c) => {
                out.push_str("\\u{");
                let n = u32::from(c);
                for shift in (0..8).rev().map(|i| i * 4) {
                    if n >> shift != 0 || shift == 0 {
                        out.push(char::from_digit((n >> shift) & 15, 16).unwrap_or('0'));
                    }
                }
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The characters [`push_debug`] shows as `\u{..}`: the control characters, and the invisible
/// ones that could disguise a message (zero-width characters and joiners, bidirectional
/// controls, line and paragraph separators, word joiners and invisible operators, the byte order
/// mark). `{:?}` escapes all of them too.
pub(crate) fn escaped(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}')
}

/// `text` as Rust's `{:?}` shows a string.
pub(crate) fn debug(text: &str) -> String {
    let mut out = String::new();
    push_debug(&mut out, text);
    out
}
