use yew::prelude::*;

use crate::core::richtext::{parse, Block, Inline};

/// The policy summary (the safe text format of [`crate::core::richtext`]) as text nodes: markup in
/// the text stays text. Nodes for a parent's `view`, no component of its own (which costs ~1 KB of
/// wasm; the text is parsed again when the first layer renders, a few times per page at most).
pub(crate) fn summary(text: &str) -> Html {
    let inline = |runs: &Vec<Inline>| -> Html {
        runs.iter()
            .map(|run| match run {
                Inline::Text(text) => html! { {text.clone()} },
                Inline::Bold(text) => html! { <strong>{text.clone()}</strong> },
                Inline::Link { text, href } => html! {
                    <a href={href.clone()} target="_blank" rel="noopener">{text.clone()}</a>
                },
            })
            .collect()
    };
    parse(text)
        .iter()
        .map(|block| match block {
            Block::Paragraph(runs) => html! { <p>{inline(runs)}</p> },
            Block::List(items) => html! {
                <ul>{for items.iter().map(|item| html! { <li>{inline(item)}</li> })}</ul>
            },
        })
        .collect()
}
