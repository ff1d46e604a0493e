//! Export lines (NDJSON and CSV) and the dates they are asked by.

use crate::store::Row;

/// `YYYY-MM-DD` → ms since the epoch at 00:00 UTC; a plain integer is taken as ms.
///
/// # Errors
///
/// When it is neither.
pub fn parse_day(text: &str) -> Result<i64, String> {
    if let Ok(ms) = text.parse::<i64>() {
        return Ok(ms);
    }
    let parts: Vec<&str> = text.split('-').collect();
    let bad = || format!("{text:?}: expected YYYY-MM-DD or ms since the epoch");
    if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
        return Err(bad());
    }
    let y: i64 = parts[0].parse().map_err(|_| bad())?;
    let m: i64 = parts[1].parse().map_err(|_| bad())?;
    let d: i64 = parts[2].parse().map_err(|_| bad())?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    Ok(days_from_civil(y, m, d) * 86_400_000)
}

// Howard Hinnant's algorithms (public domain), proleptic Gregorian, UTC.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// ms since the epoch → `2026-11-30T10:50:00.000Z`.
pub fn iso(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rest = ms.rem_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000
    )
}

/// One row as a JSON object (the NDJSON line, without the newline; also `show`'s receipts).
pub fn json(row: &Row) -> serde_json::Value {
    let c = &row.content;
    let categories: serde_json::Value =
        serde_json::from_str(&c.categories).unwrap_or(serde_json::Value::Null);
    serde_json::json!({
        "seq": row.seq,
        "consentId": c.consent_id,
        "time": c.time_ms,
        "timeIso": iso(c.time_ms),
        "receivedAt": iso(c.received_ms),
        "revision": c.revision,
        "action": c.action,
        "source": c.source,
        "categories": categories,
        "language": c.language,
        "textsSha256": c.texts_sha256,
        "client": c.client,
        "prevHash": row.prev_hash,
        "hash": row.hash,
    })
}

/// The CSV header line.
pub const CSV_HEADER: &str = "seq,consent_id,time,time_iso,received_at,revision,action,source,categories,language,texts_sha256,client,prev_hash,hash\n";

fn csv_field(out: &mut String, value: &str) {
    // A leading = + - @ would be a formula in a spreadsheet: prefix a quote mark.
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&value);
    }
}

/// One row as a CSV line, with its newline.
pub fn csv(row: &Row) -> String {
    let c = &row.content;
    let mut out = String::new();
    for (i, value) in [
        row.seq.to_string(),
        c.consent_id.clone(),
        c.time_ms.to_string(),
        iso(c.time_ms),
        iso(c.received_ms),
        c.revision.to_string(),
        c.action.clone(),
        c.source.clone(),
        c.categories.clone(),
        c.language.clone(),
        c.texts_sha256.clone(),
        c.client.clone().unwrap_or_default(),
        row.prev_hash.clone(),
        row.hash.clone(),
    ]
    .iter()
    .enumerate()
    {
        if i > 0 {
            out.push(',');
        }
        csv_field(&mut out, value);
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_iso_times_round_trip() {
        assert_eq!(parse_day("1970-01-01"), Ok(0));
        assert_eq!(
            iso(parse_day("2026-11-30").unwrap()),
            "2026-11-30T00:00:00.000Z"
        );
        let ms = parse_day("2024-02-29").unwrap();
        assert_eq!(iso(ms + 3_723_004), "2024-02-29T01:02:03.004Z");
        assert_eq!(iso(1_796_000_000_000), "2026-11-30T00:53:20.000Z");
        assert!(parse_day("2024-13-01").is_err());
        assert!(parse_day("yesterday").is_err());
    }

    #[test]
    fn csv_quotes_what_needs_it_and_defuses_formulas() {
        let mut out = String::new();
        csv_field(&mut out, r#"{"a":true,"b":false}"#);
        assert_eq!(out, r#""{""a"":true,""b"":false}""#);
        let mut out = String::new();
        csv_field(&mut out, "=cmd");
        assert_eq!(out, "'=cmd");
    }
}
