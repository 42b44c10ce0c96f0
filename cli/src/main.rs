//! `pagerduty`: PagerDuty from a shell, cron job or monitoring hook, on pagerduty-client.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use pagerduty_client::{is_transient, Error, Options, RetryPolicy, TokenKind};

mod commands;
mod keys;
mod output;
mod queue;

const EXIT_CODES: &str = "\
Keys are read from the environment (PAGERDUTY_TOKEN for REST, PAGERDUTY_ROUTING_KEY for events)
or from a file (--token-file, --routing-key-file), never from the command line.

Exit codes:
  0  done (for events: PagerDuty accepted the event)
  1  another failure (an answer that cannot be read, a list cut at PagerDuty's 10,000-record cap,
     an untrusted certificate, an unknown host)
  2  invalid input: a flag, a value, a key of the wrong shape or a missing key; nothing was sent
  3  rejected by PagerDuty (400 invalid event, 401, 403, 404, another 4xx)
  4  gave up: PagerDuty kept failing (429, 5xx) or could not be reached until --retry-for ran out
  5  webhook verify: the signature does not match";

/// PagerDuty from the command line: events, incidents, on-call, any REST path, webhooks.
#[derive(Parser, Debug)]
#[command(name = "pagerduty", version, after_help = EXIT_CODES, max_term_width = 100)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Debug)]
#[command(next_help_heading = "Global options")]
struct Global {
    /// Service region of the account
    #[arg(
        long,
        global = true,
        value_enum,
        env = "PAGERDUTY_REGION",
        hide_env_values = true
    )]
    region: Option<Region>,
    /// Base URL instead of a region (a proxy, or the local simulator)
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "PAGERDUTY_BASE_URL",
        hide_env_values = true
    )]
    base_url: Option<String>,
    /// Your PagerDuty login email, sent as `From` on the REST writes that need it
    #[arg(
        long,
        global = true,
        value_name = "EMAIL",
        env = "PAGERDUTY_FROM",
        hide_env_values = true
    )]
    from: Option<String>,
    /// File holding the REST API key (else $PAGERDUTY_TOKEN)
    #[arg(long, global = true, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// Kind of REST key
    #[arg(long, global = true, value_enum, default_value = "general")]
    token_kind: Kind,
    /// File holding the integration (routing) key (else $PAGERDUTY_ROUTING_KEY)
    #[arg(long, global = true, value_name = "FILE")]
    routing_key_file: Option<PathBuf>,
    /// PEM file of extra certificate authorities to trust
    #[arg(long, global = true, value_name = "FILE")]
    ca_file: Option<PathBuf>,
    /// Keep retrying 429s, 5xx and lost connections for this long
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 60)]
    retry_for: u64,
    /// Each attempt's timeout
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 30)]
    timeout: u64,
    /// JSON on stdout, for scripts
    #[arg(long, global = true)]
    json: bool,
    /// Show each request and attempt on stderr (method, path, status, waits; never a key)
    #[arg(short, long, global = true)]
    verbose: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum Region {
    Us,
    Eu,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum Kind {
    /// General access (account) key
    General,
    /// A user's personal token
    User,
    /// OAuth access token (Bearer)
    Oauth,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Send an event: trigger, acknowledge or resolve an alert, or a change event
    #[command(subcommand)]
    Event(commands::EventCmd),
    /// List incidents
    #[command(subcommand)]
    Incidents(commands::IncidentsCmd),
    /// Look at or work one incident
    #[command(subcommand)]
    Incident(commands::IncidentCmd),
    /// Who is on call now
    Oncall(commands::OncallArgs),
    /// Any REST API call
    Api(commands::ApiArgs),
    /// Webhooks v3
    #[command(subcommand)]
    Webhook(commands::WebhookCmd),
    /// A durable queue of events in a directory (see `event … --queue DIR`)
    #[command(subcommand)]
    Queue(queue::QueueCmd),
    /// Print a shell completion script
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
}

/// The exit code for an error (see `EXIT_CODES`).
fn exit_code(e: &Error) -> u8 {
    match e.code() {
        "invalid_input" | "wrong_key_kind" => 2,
        "invalid_signature" => 5,
        _ if is_transient(e) => 4,
        "unauthorized" | "forbidden" | "not_found" | "invalid_event" | "http_error" => 3,
        _ => 1,
    }
}

/// One line on stderr naming the cause (the core's messages never hold a key; PagerDuty's
/// status and request id are in them), then the stable code.
fn report(e: &Error, dedup_key: Option<&str>) {
    let gave_up = if exit_code(e) == 4 { "gave up: " } else { "" };
    let mut line = format!("pagerduty: {gave_up}{e} [{}]", e.code());
    if let Some(k) = dedup_key {
        line.push_str(&format!(
            "; dedup_key {k}: resend with --dedup-key {k} and no second alert opens"
        ));
    }
    eprintln!("{}", line.replace(['\n', '\r'], " "));
}

impl Global {
    fn options(&self) -> Result<Options, Error> {
        let mut o = Options::new()
            .timeout(Duration::from_secs(self.timeout.max(1)))
            .retry(RetryPolicy {
                deadline: Duration::from_secs(self.retry_for),
                ..RetryPolicy::default()
            })
            .token_kind(match self.token_kind {
                Kind::General => TokenKind::General,
                Kind::User => TokenKind::User,
                Kind::Oauth => TokenKind::OAuth,
            })
            .user_agent(concat!("pagerduty-cli/", env!("CARGO_PKG_VERSION")));
        o = match (&self.base_url, self.region) {
            (Some(url), _) => o.region(url),
            (None, Some(Region::Eu)) => o.region("eu"),
            (None, _) => o.region("us"),
        };
        if let Some(from) = &self.from {
            o = o.from(from);
        }
        if let Some(ca) = &self.ca_file {
            o = o.ca_file(ca);
        }
        Ok(o)
    }

    fn rest(&self) -> Result<pagerduty_client::blocking::RestClient, Error> {
        let token = keys::load(
            self.token_file.as_deref(),
            "PAGERDUTY_TOKEN",
            "--token-file",
        )?;
        pagerduty_client::blocking::RestClient::with_options(&token, &self.options()?)
    }

    fn routing_key(&self) -> Result<String, Error> {
        keys::load(
            self.routing_key_file.as_deref(),
            "PAGERDUTY_ROUTING_KEY",
            "--routing-key-file",
        )
    }

    fn events(&self) -> Result<pagerduty_client::blocking::EventsClient, Error> {
        pagerduty_client::blocking::EventsClient::with_options(
            &self.routing_key()?,
            &self.options()?,
        )
    }
}

/// Lines on stderr for `target`'s events at `level` and above (and each span when it closes,
/// with `spans`); never a key (the client's spans and events hold none).
pub fn log_to_stderr(target: &str, level: tracing_subscriber::filter::LevelFilter, spans: bool) {
    use tracing_subscriber::fmt::format::FmtSpan;
    use tracing_subscriber::prelude::*;
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false)
        .with_span_events(if spans { FmtSpan::CLOSE } else { FmtSpan::NONE })
        .compact();
    let targets = tracing_subscriber::filter::Targets::new().with_target(target, level);
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(targets)
        .try_init();
}

/// `-v`: the client's spans on stderr, each when it closes.
fn verbose() {
    log_to_stderr(
        "pagerduty_client",
        tracing_subscriber::filter::LevelFilter::DEBUG,
        true,
    );
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Err(e) = keys::refuse_keys_on_command_line(&args) {
        report(&e, None);
        return ExitCode::from(2);
    }
    let cli = Cli::parse_from(args);
    if cli.global.verbose {
        verbose();
    }
    let result = match &cli.command {
        Command::Event(cmd) => commands::event(&cli.global, cmd),
        Command::Incidents(cmd) => commands::incidents(&cli.global, cmd).map_err(Into::into),
        Command::Incident(cmd) => commands::incident(&cli.global, cmd).map_err(Into::into),
        Command::Oncall(args) => commands::oncall(&cli.global, args).map_err(Into::into),
        Command::Api(args) => commands::api(&cli.global, args).map_err(Into::into),
        Command::Webhook(cmd) => commands::webhook(&cli.global, cmd).map_err(Into::into),
        Command::Queue(cmd) => queue::queue(&cli.global, cmd).map_err(Into::into),
        Command::Completions { shell } => {
            clap_complete::generate(
                *shell,
                &mut Cli::command(),
                "pagerduty",
                &mut std::io::stdout(),
            );
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            report(&failure.error, failure.dedup_key.as_deref());
            ExitCode::from(exit_code(&failure.error))
        }
    }
}

/// A failure and, for events, the key the event carried.
pub struct Failure {
    error: Error,
    dedup_key: Option<String>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure {
            error,
            dedup_key: None,
        }
    }
}

impl From<pagerduty_client::EventError> for Failure {
    fn from(e: pagerduty_client::EventError) -> Failure {
        Failure {
            dedup_key: e.dedup_key.clone(),
            error: e.error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
