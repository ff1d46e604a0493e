//! `consent-banner render`: the snippets of a prerendered first layer, for static site generators
//! and templates (README "Prerendered first layer"). Feature `ssr`:
//!
//! ```sh
//! cargo run --release --features ssr --bin consent-banner -- render --config site.json --lang en
//! ```
//!
//! Exit status: 0, 1 for a config or `dist/` file that cannot be used, 2 for wrong arguments.

use std::ffi::OsString;
use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use consent_banner::prerender::{
    render, Loader, RenderError, RenderOptions, Snippets, DEFAULT_BASE, LOADER_FILE, VERSION,
};

const USAGE: &str = "\
usage: consent-banner render --config FILE [--lang TAG] [--base URL] [--dist DIR] [--inline-loader] [--json]

Prints the snippets of a page with the banner's first layer prerendered: the one for <head>, the
one for the start of <body>, and what the Content-Security-Policy must add.

  --config FILE     the site's config (JSON, as in the page); - reads standard input
  --lang TAG        the page's language, its <html lang> (the config's language comes first;
                    without either, en)
  --base URL        where dist/ is served, ending in / (default /consent-banner/)
  --dist DIR        the built dist/ folder, for the loader's file (default dist)
  --inline-loader   put the loader in the head snippet (no request before the decision)
  --json            one JSON object {head, body, csp, hash, language, textsSha256, version}
";

/// The command line, read.
struct Args {
    config: String,
    lang: Option<String>,
    base: String,
    dist: PathBuf,
    inline_loader: bool,
    json: bool,
}

/// Why the command stops: a message, and the exit status.
struct Failure {
    message: String,
    status: u8,
}

fn usage_error(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into() + "\n\n" + USAGE,
        status: 2,
    }
}

fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Option<Args>, Failure> {
    let mut args = args.into_iter().map(|arg| {
        arg.into_string()
            .map_err(|arg| usage_error(format!("not UTF-8: {}", arg.to_string_lossy())))
    });
    match args.next().transpose()?.as_deref() {
        Some("render") => {}
        Some("-h" | "--help" | "help") => return Ok(None),
        Some(other) => return Err(usage_error(format!("unknown command {other:?}"))),
        None => return Err(usage_error("missing the command (render)")),
    }
    let (mut config, mut lang, mut base, mut dist) = (None, None, None, None);
    let (mut inline_loader, mut json) = (false, false);
    while let Some(arg) = args.next().transpose()? {
        let (name, inline_value) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name.to_string(), Some(value.into())),
            _ => (arg, None),
        };
        let slot = match name.as_str() {
            "--config" => &mut config,
            "--lang" => &mut lang,
            "--base" => &mut base,
            "--dist" => &mut dist,
            "--inline-loader" if inline_value.is_none() => {
                inline_loader = true;
                continue;
            }
            "--json" if inline_value.is_none() => {
                json = true;
                continue;
            }
            "-h" | "--help" => return Ok(None),
            _ => return Err(usage_error(format!("unknown argument {name:?}"))),
        };
        let value = match inline_value {
            Some(value) => value,
            None => args
                .next()
                .transpose()?
                .ok_or_else(|| usage_error(format!("{name} needs a value")))?,
        };
        if slot.replace(value).is_some() {
            return Err(usage_error(format!("{name} given twice")));
        }
    }
    Ok(Some(Args {
        config: config.ok_or_else(|| usage_error("missing --config FILE"))?,
        lang,
        base: base.unwrap_or_else(|| DEFAULT_BASE.into()),
        dist: PathBuf::from(dist.unwrap_or_else(|| "dist".into())),
        inline_loader,
        json,
    }))
}

fn read_text(path: &str) -> Result<String, Failure> {
    let text = if path == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        fs::read_to_string(path)
    };
    text.map_err(|e| Failure {
        message: format!("{path}: {e}"),
        status: 1,
    })
}

fn run(args: &Args) -> Result<String, Failure> {
    let config = read_text(&args.config)?;
    let loader_path = args.dist.join(LOADER_FILE);
    let loader = fs::read(&loader_path).map_err(|e| Failure {
        message: format!(
            "{}: {e} (build dist/ first: bash scripts/build.sh; or give --dist)",
            loader_path.display()
        ),
        status: 1,
    })?;
    let loader_text;
    let loader = if args.inline_loader {
        loader_text = String::from_utf8(loader).map_err(|_| Failure {
            message: format!("{}: not UTF-8", loader_path.display()),
            status: 1,
        })?;
        Loader::Inline(&loader_text)
    } else {
        Loader::External(&loader)
    };
    let options = RenderOptions {
        language: args.lang.as_deref(),
        base: &args.base,
        ..RenderOptions::new(&config, loader)
    };
    let snippets = render(&options).map_err(|error| Failure {
        message: match &error {
            RenderError::Config(_) => format!("{}: {error}", args.config),
            _ => error.to_string(),
        },
        status: if matches!(error, RenderError::Base(_)) {
            2
        } else {
            1
        },
    })?;
    Ok(if args.json {
        snippets.to_json() + "\n"
    } else {
        text(&snippets)
    })
}

/// The snippets with a comment before each saying where it goes.
fn text(snippets: &Snippets) -> String {
    let mut out = format!(
        "<!-- <head>: the consent banner's config and loader (consent-banner {VERSION}, language {}), \
         before any tag it gates -->\n{}\n\n\
         <!-- <body>: its FIRST child, before any content from users (the loader adopts only a \
         direct child of <body> whose hash matches) -->\n{}\n\n\
         <!-- Content-Security-Policy: add these sources -->\nstyle-src {}\n",
        snippets.language, snippets.head, snippets.body, snippets.csp.style_src
    );
    if let Some(script) = &snippets.csp.script_src {
        out += &format!("script-src {script}\n");
    }
    out
}

fn main() -> ExitCode {
    let result = parse(std::env::args_os().skip(1)).and_then(|args| match args {
        Some(args) => run(&args),
        None => Ok(USAGE.to_string()),
    });
    match result {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(Failure { message, status }) => {
            eprintln!("consent-banner: {message}");
            ExitCode::from(status)
        }
    }
}
