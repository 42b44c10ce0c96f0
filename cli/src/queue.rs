//! `pagerduty queue …` and `event … --queue DIR`: the durable outbox from a shell.
//!
//! `event … --queue DIR` always spools (a file in `DIR/incoming/`, durable when the command
//! exits 0) and sends nothing, so it never competes for the directory with `queue run`, the
//! long-running sender that owns it (a systemd unit), or `queue flush`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use serde_json::json;

use pagerduty_client::outbox::{self, Outbox, OutboxOptions, Stats};
use pagerduty_client::{Error, EventOp};

use crate::output;
use crate::Global;

#[derive(Subcommand, Debug)]
pub enum QueueCmd {
    /// Send what is queued until it is empty or --timeout passes (exit 4 if events remain)
    Flush(FlushArgs),
    /// Queued, in flight, delivered and dead events, and the backlog per routing key
    Status(DirArg),
    /// List the dead letters (events PagerDuty refused, or older than --max-age) with reasons
    Dead(DirArg),
    /// Queue dead letters again (all, or those given with --id)
    Retry(RetryArgs),
    /// Send as events come, until killed (a systemd service; killing it at any point is safe)
    Run(RunArgs),
}

#[derive(Args, Debug)]
pub struct DirArg {
    /// The queue's directory
    dir: PathBuf,
}

#[derive(Args, Debug)]
pub struct Pace {
    /// Sends per routing key per minute (PagerDuty allows about 120); 0 = no pacing
    #[arg(long, value_name = "N", default_value_t = 120)]
    rate_limit: u32,
    /// An event not delivered this long after it was queued becomes a dead letter
    #[arg(long, value_name = "SECONDS", default_value_t = 86_400)]
    max_age: u64,
}

#[derive(Args, Debug)]
pub struct FlushArgs {
    /// The queue's directory
    dir: PathBuf,
    /// Stop trying after this long
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    timeout: u64,
    #[command(flatten)]
    pace: Pace,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// The queue's directory
    dir: PathBuf,
    #[command(flatten)]
    pace: Pace,
}

#[derive(Args, Debug)]
pub struct RetryArgs {
    /// The queue's directory
    dir: PathBuf,
    /// A dead letter's id (repeat for several; all when not given)
    #[arg(long)]
    id: Vec<u64>,
}

fn open(g: &Global, dir: &PathBuf, pace: Option<&Pace>) -> Result<Outbox, Error> {
    let mut config = OutboxOptions::default();
    if let Some(p) = pace {
        config.rate_limit = p.rate_limit;
        config.max_age = Duration::from_secs(p.max_age);
    }
    Outbox::open(dir, &g.options()?.outbox(config))
}

/// Hands an event to the queue in `dir`; prints its dedup_key (or `{"status":"queued",…}`).
pub fn spool(g: &Global, dir: &PathBuf, op: &EventOp) -> Result<(), Error> {
    let dedup_key = outbox::spool(dir, op)?;
    if g.json {
        output::json(&json!({"status": "queued", "dedup_key": dedup_key}))
    } else {
        match dedup_key {
            Some(k) => output::line(&k),
            None => Ok(()),
        }
    }
}

pub fn queue(g: &Global, cmd: &QueueCmd) -> Result<(), Error> {
    match cmd {
        QueueCmd::Flush(a) => {
            let outbox = open(g, &a.dir, Some(&a.pace))?;
            let stats = outbox.flush(Duration::from_secs(a.timeout))?;
            print_stats(g, &stats, 0)?;
            if stats.queued > 0 {
                return Err(Error::Timeout(format!(
                    "{} events still queued after {} s (they stay queued: run `pagerduty queue flush` or `queue run` again)",
                    stats.queued, a.timeout
                )));
            }
            Ok(())
        }
        QueueCmd::Status(a) => {
            let (stats, _, spooled) = outbox::inspect(&a.dir)?;
            print_stats(g, &stats, spooled)
        }
        QueueCmd::Dead(a) => {
            let (_, dead, _) = outbox::inspect(&a.dir)?;
            if g.json {
                return output::json(&serde_json::to_value(&dead).unwrap_or_default());
            }
            let rows: Vec<Vec<String>> = dead
                .iter()
                .map(|d| {
                    vec![
                        d.id.to_string(),
                        d.key.clone(),
                        d.dedup_key.clone().unwrap_or_default(),
                        d.code.clone(),
                        d.attempts.to_string(),
                        d.reason.clone(),
                    ]
                })
                .collect();
            output::table(
                &["ID", "KEY", "DEDUP_KEY", "CODE", "ATTEMPTS", "REASON"],
                &rows,
            )
        }
        QueueCmd::Retry(a) => {
            let outbox = open(g, &a.dir, None)?;
            let ids = (!a.id.is_empty()).then_some(a.id.as_slice());
            let n = outbox.retry_dead(ids)?;
            if g.json {
                output::json(&json!({ "requeued": n }))
            } else {
                output::line(&format!("{n} queued again"))
            }
        }
        QueueCmd::Run(a) => {
            let outbox = open(g, &a.dir, Some(&a.pace))?;
            dead_letters_on_stderr();
            eprintln!(
                "pagerduty: sending from {} (queued: {})",
                a.dir.display(),
                outbox.stats()?.queued
            );
            outbox.run()
        }
    }
}

/// Dead letters (never a key: they are named by fingerprint) as lines on stderr, for the
/// service's log (`-v` already shows everything).
fn dead_letters_on_stderr() {
    crate::log_to_stderr(
        "pagerduty_client::outbox",
        tracing_subscriber::filter::LevelFilter::WARN,
        false,
    );
}

fn print_stats(g: &Global, stats: &Stats, spooled: usize) -> Result<(), Error> {
    if g.json {
        let mut v = serde_json::to_value(stats).unwrap_or_default();
        v["spooled"] = json!(spooled);
        return output::json(&v);
    }
    output::line(&format!(
        "queued {}  in flight {}  delivered {}  dead {}  spooled {}  oldest {:.1} s  pace {}/{} s",
        stats.queued,
        stats.in_flight,
        stats.delivered,
        stats.dead,
        spooled,
        stats.oldest_age_ms as f64 / 1000.0,
        stats.rate_limit,
        stats.rate_window_ms / 1000
    ))?;
    if stats.keys.is_empty() {
        return Ok(());
    }
    let rows: Vec<Vec<String>> = stats
        .keys
        .iter()
        .map(|k| {
            vec![
                k.key.clone(),
                k.queued.to_string(),
                k.sent_in_window.to_string(),
                format!("{:.1}", k.next_send_in_ms as f64 / 1000.0),
                k.last_error.clone().unwrap_or_default(),
            ]
        })
        .collect();
    output::table(
        &["KEY", "QUEUED", "SENT/WINDOW", "NEXT_S", "LAST_ERROR"],
        &rows,
    )
}
