//! `webhook`: sign or verify a webhook delivery from the command line.
//!
//! ```text
//! webhook sign   --scheme heilo --secret K [--timestamp UNIX] < body
//! webhook sign   --scheme healthie --secret K --path '/hooks/healthie?tenant=7' [--dialect guide] < body
//! webhook verify --scheme speakr --secret K [--secret K2] --header 'Speakr-Signature: sha256=…' < body
//! ```
//!
//! `sign` prints the headers to send, one `Name: value` per line. `verify` reads the raw
//! body from standard input; on success it prints `event: <type>` and
//! `idempotency-key: <key>` and exits 0, on failure it prints the reason to standard
//! error and exits 1.
// The doc comments of the argument types are clap's terminal help text, where `<hex>` is a
// placeholder, not an HTML tag.
#![allow(rustdoc::invalid_html_tags)]

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::{Parser, Subcommand, ValueEnum};
use http::{HeaderMap, HeaderName, HeaderValue};
use webhook_verify::healthie::{self, Dialect, Mode};
use webhook_verify::{generic, hedy, heilo, speakr, Secrets, Verified, Verify};

/// Sign or verify webhook deliveries (Hedy, Speakr, Heilo, Healthie, generic).
#[derive(Debug, Parser)]
#[command(
    name = "webhook",
    version,
    about = "Sign or verify webhook deliveries (Hedy, Speakr, Heilo, Healthie, generic)",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the headers that sign the body read from standard input.
    Sign(SignArgs),
    /// Verify the body read from standard input against the given headers.
    Verify(VerifyArgs),
}

/// The signature scheme.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum SchemeArg {
    /// X-Hedy-Signature: <hex>
    Hedy,
    /// Speakr-Signature: sha256=<hex>
    Speakr,
    /// heilo-signature: t=<unix>,v1=<hex>
    Heilo,
    /// Content-Digest + Signature (Legacy, Guide or RFC 9421 dialect)
    Healthie,
    /// X-Webhook-Signature: sha256=<hex>
    Generic,
}

/// A Healthie dialect.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum DialectArg {
    /// Space-separated base, `sig1=<hex>`.
    Legacy,
    /// LF-joined `"@method": POST` lines, `sig1=:<hex>:`.
    Guide,
    /// Strict RFC 9421, `sig1=:<base64>:`.
    Rfc9421,
}

impl From<DialectArg> for Dialect {
    fn from(d: DialectArg) -> Self {
        match d {
            DialectArg::Legacy => Dialect::Legacy,
            DialectArg::Guide => Dialect::Guide,
            DialectArg::Rfc9421 => Dialect::Rfc9421,
        }
    }
}

#[derive(Debug, clap::Args)]
struct SignArgs {
    /// Signature scheme.
    #[arg(long, value_enum)]
    scheme: SchemeArg,
    /// Signing secret (its UTF-8 bytes are the HMAC key).
    #[arg(long)]
    secret: String,
    /// Unix time to sign with (Heilo `t`, Healthie `created`); default: now.
    #[arg(long)]
    timestamp: Option<u64>,
    /// HTTP method (Healthie).
    #[arg(long, default_value = "POST")]
    method: String,
    /// Path and query as registered with the vendor, e.g. `/hooks/healthie?tenant=7` (Healthie).
    #[arg(long)]
    path: Option<String>,
    /// Healthie dialect to sign in.
    #[arg(long, value_enum, default_value = "legacy")]
    dialect: DialectArg,
}

#[derive(Debug, clap::Args)]
struct VerifyArgs {
    /// Signature scheme.
    #[arg(long, value_enum)]
    scheme: SchemeArg,
    /// A secret to accept; repeat for rotation (any one may match).
    #[arg(long, required = true)]
    secret: Vec<String>,
    /// A received header as `Name: value`; repeat for each header.
    #[arg(long = "header", short = 'H')]
    headers: Vec<String>,
    /// HTTP method (Healthie).
    #[arg(long, default_value = "POST")]
    method: String,
    /// Path and query as registered with the vendor, e.g. `/hooks/healthie?tenant=7` (Healthie).
    #[arg(long)]
    path: Option<String>,
    /// Accept only this Healthie dialect (default: auto-detect).
    #[arg(long, value_enum)]
    dialect: Option<DialectArg>,
    /// Pretend the current Unix time is this (Heilo tolerance, Healthie `created`).
    #[arg(long)]
    now: Option<u64>,
    /// Also print the scheme, dialect variant and matching secret index.
    #[arg(long, short)]
    verbose: bool,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn read_stdin() -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    std::io::stdin()
        .read_to_end(&mut body)
        .map_err(|e| format!("cannot read the body from standard input: {e}"))?;
    Ok(body)
}

fn healthie_path(path: Option<String>) -> Result<String, String> {
    path.ok_or_else(|| {
        "--path is required for healthie (the path and query as registered, e.g. /hooks/healthie?tenant=7)".to_owned()
    })
}

fn sign(args: SignArgs) -> Result<(), String> {
    let body = read_stdin()?;
    let ts = args.timestamp.unwrap_or_else(now);
    let headers = match args.scheme {
        SchemeArg::Hedy => hedy::sign(&args.secret, &body),
        SchemeArg::Speakr => speakr::sign(&args.secret, &body),
        SchemeArg::Generic => generic::sign(&args.secret, &body),
        SchemeArg::Heilo => heilo::sign(&args.secret, ts, &body),
        SchemeArg::Healthie => healthie::sign(
            &args.secret,
            args.dialect.into(),
            &args.method,
            &healthie_path(args.path)?,
            &body,
            ts,
        ),
    };
    let mut out = std::io::stdout().lock();
    for (name, value) in headers {
        let value = value
            .to_str()
            .map_err(|_| format!("header {name} is not printable"))?;
        writeln!(out, "{name}: {value}").map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn parse_headers(lines: &[String]) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("--header {line:?} is not `Name: value`"))?;
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| format!("invalid header name in {line:?}"))?;
        let value = HeaderValue::from_str(value.trim())
            .map_err(|_| format!("invalid header value in {line:?}"))?;
        map.append(name, value);
    }
    Ok(map)
}

fn verifier(args: &VerifyArgs) -> Result<Box<dyn Verify>, String> {
    let secrets = Secrets::new(&args.secret);
    let clock_now = args.now;
    Ok(match args.scheme {
        SchemeArg::Hedy => Box::new(hedy::Verifier::new(secrets)),
        SchemeArg::Speakr => Box::new(speakr::Verifier::new(secrets)),
        SchemeArg::Generic => Box::new(generic::Verifier::new(secrets)),
        SchemeArg::Heilo => {
            let v = heilo::Verifier::new(secrets);
            Box::new(match clock_now {
                Some(t) => v.with_clock(move || t),
                None => v,
            })
        }
        SchemeArg::Healthie => {
            let path = healthie_path(args.path.clone())?;
            let mode = match args.dialect {
                None => Mode::Auto,
                Some(DialectArg::Legacy) => Mode::Legacy,
                Some(DialectArg::Guide) => Mode::Guide,
                Some(DialectArg::Rfc9421) => Mode::Rfc9421,
            };
            let v = healthie::Verifier::new(secrets, &args.method, path).mode(mode);
            Box::new(match clock_now {
                Some(t) => v.with_clock(move || t),
                None => v,
            })
        }
    })
}

fn print_verified(v: &Verified<&[u8]>, verbose: bool) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    let w = |out: &mut std::io::StdoutLock<'_>, line: String| {
        writeln!(out, "{line}").map_err(|e| e.to_string())
    };
    w(
        &mut out,
        format!("event: {}", v.event_type().unwrap_or("-")),
    )?;
    w(
        &mut out,
        format!("idempotency-key: {}", v.idempotency_key()),
    )?;
    if verbose {
        w(&mut out, format!("scheme: {}", v.scheme()))?;
        w(&mut out, format!("secret-index: {}", v.secret_index()))?;
        if let Some(variant) = v.variant() {
            w(&mut out, format!("variant: {variant}"))?;
        }
    }
    Ok(())
}

fn verify(args: VerifyArgs) -> Result<(), String> {
    let headers = parse_headers(&args.headers)?;
    let verifier = verifier(&args)?;
    let body = read_stdin()?;
    let verified = verifier
        .verify(&headers, &body)
        .map_err(|e| format!("verification failed: {e}"))?;
    print_verified(&verified, args.verbose)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Sign(args) => sign(args),
        Command::Verify(args) => verify(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(reason) => {
            eprintln!("webhook: {reason}");
            ExitCode::FAILURE
        }
    }
}
