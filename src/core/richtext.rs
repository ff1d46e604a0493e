//! The small safe text format of the policy summary: paragraphs separated by a blank line, list
//! items starting with `* ` or `- `, `**bold**`, and `[links](https://...)`. It is parsed into
//! [`Block`]s rendered as text nodes: markup in the text stays text, never HTML.

use crate::core::config::check_link;

/// A block of the summary.
///
/// ```
/// use consent_banner::richtext::{parse, Block, Inline};
///
/// let blocks = parse("We use:\n\n* **cookies** for your lists\n* logs");
/// assert_eq!(blocks[0], Block::Paragraph(vec![Inline::Text("We use:".into())]));
/// let Block::List(items) = &blocks[1] else { panic!("a list") };
/// assert_eq!(items.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// A bulleted list, one entry per item.
    List(Vec<Vec<Inline>>),
}

/// A run of text inside a block.
///
/// ```
/// use consent_banner::richtext::{parse, Block, Inline};
///
/// let blocks = parse("See [the policy](/privacy) or [this](javascript:alert(1)).");
/// let Block::Paragraph(inlines) = &blocks[0] else { panic!("a paragraph") };
/// assert_eq!(inlines[1], Inline::Link { text: "the policy".into(), href: "/privacy".into() });
/// assert_eq!(inlines[3], Inline::Text("this".into())); // an unsafe link is its text
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Strong text.
    Bold(String),
    /// A link whose target passed [`check_link`]; other links render as their text.
    Link {
        /// Shown text.
        text: String,
        /// Target.
        href: String,
    },
}

/// Parses the summary text into blocks.
///
/// ```
/// use consent_banner::richtext::{parse, Block, Inline};
///
/// assert_eq!(
///     parse("<b>Hi</b> **there**"),
///     [Block::Paragraph(vec![Inline::Text("<b>Hi</b> ".into()), Inline::Bold("there".into())])]
/// );
/// ```
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut items: Vec<Vec<Inline>> = Vec::new();
    let flush_paragraph = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(inline(&paragraph.join(" "))));
            paragraph.clear();
        }
    };
    for line in text.lines().map(str::trim) {
        let item = line.strip_prefix("* ").or_else(|| line.strip_prefix("- "));
        if let Some(item) = item {
            flush_paragraph(&mut paragraph, &mut blocks);
            items.push(inline(item.trim()));
            continue;
        }
        if !items.is_empty() {
            blocks.push(Block::List(std::mem::take(&mut items)));
        }
        if line.is_empty() {
            flush_paragraph(&mut paragraph, &mut blocks);
        } else {
            paragraph.push(line);
        }
    }
    if !items.is_empty() {
        blocks.push(Block::List(items));
    }
    flush_paragraph(&mut paragraph, &mut blocks);
    blocks
}

fn inline(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("**") {
            if let Some(end) = find_pair(after, b"**").filter(|&end| end > 0) {
                push_text(&mut out, &mut plain);
                out.push(Inline::Bold(after[..end].to_string()));
                rest = &after[end + 2..];
                continue;
            }
        }
        if c == '[' {
            if let Some((label, href, after)) = link(rest) {
                push_text(&mut out, &mut plain);
                out.push(match check_link(href) {
                    Ok(()) => Inline::Link {
                        text: label.to_string(),
                        href: href.to_string(),
                    },
                    Err(_) => Inline::Text(label.to_string()),
                });
                rest = after;
                continue;
            }
        }
        plain.push(c);
        rest = &rest[c.len_utf8()..];
    }
    push_text(&mut out, &mut plain);
    out
}

/// Splits `[label](href)rest`.
fn link(text: &str) -> Option<(&str, &str, &str)> {
    let close = find_pair(text, b"](")?;
    let label = &text[1..close];
    let after = &text[close + 2..];
    let end = after.find(')')?;
    (!label.is_empty() && !label.contains('[')).then(|| (label, &after[..end], &after[end + 1..]))
}

/// Where the two ASCII bytes `pair` first occur in `text` (a char boundary, both being ASCII):
/// `str::find` with a `&str` pattern brings a two-way searcher (~1.5 KB of wasm) for this.
fn find_pair(text: &str, pair: &[u8; 2]) -> Option<usize> {
    text.as_bytes().windows(2).position(|w| w == pair)
}

fn push_text(out: &mut Vec<Inline>, plain: &mut String) {
    if !plain.is_empty() {
        out.push(Inline::Text(std::mem::take(plain)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn find_pair_finds_what_str_find_finds(text in "[*\\](a-é]{0,12}") {
            proptest::prop_assert_eq!(find_pair(&text, b"**"), text.find("**"));
            proptest::prop_assert_eq!(find_pair(&text, b"]("), text.find("]("));
        }
    }

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn paragraphs_lists_bold_and_links() {
        let blocks =
            parse("We log **IP addresses**.\nSee [policy](/privacy).\n\n* one\n- two\nafter");
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph(vec![
                    text("We log "),
                    Inline::Bold("IP addresses".into()),
                    text(". See "),
                    Inline::Link {
                        text: "policy".into(),
                        href: "/privacy".into()
                    },
                    text("."),
                ]),
                Block::List(vec![vec![text("one")], vec![text("two")]]),
                Block::Paragraph(vec![text("after")]),
            ]
        );
    }

    #[test]
    fn markup_and_unsafe_links_stay_text() {
        let blocks = parse("<img src=x onerror=alert(1)> [click](javascript:evil) **");
        assert_eq!(
            blocks,
            vec![Block::Paragraph(vec![
                text("<img src=x onerror=alert(1)> "),
                text("click"),
                text(" **"),
            ])]
        );
    }

    #[test]
    fn empty_text_has_no_blocks() {
        assert!(parse("").is_empty());
        assert!(parse("\n\n").is_empty());
    }
}
