//! `richtext::parse` on any summary text: never panics, and every link it keeps passed
//! `check_link` (no `javascript:` or `data:` target ever reaches an href).
#![no_main]

use consent_banner::config::check_link;
use consent_banner::richtext::{parse, Block, Inline};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for block in parse(text) {
        let runs: Vec<Vec<Inline>> = match block {
            Block::Paragraph(runs) => vec![runs],
            Block::List(items) => items,
        };
        for inline in runs.into_iter().flatten() {
            if let Inline::Link { href, .. } = inline {
                assert_eq!(check_link(&href), Ok(()), "{href:?}");
            }
        }
    }
});
