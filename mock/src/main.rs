//! `pagerduty-mock [--port N] [--host IP] [--seed N] [--incidents N] [--tls --cert-out FILE]
//!                 [--faults FILE.json] [--rest-rate-limit N/SECS] [--events-rate-limit N/SECS]`
//!
//! Prints `pagerduty-mock listening on URL` as its first line (scripts parse it), then
//! `  stray listener: URL` (where the `redirect` fault sends clients), the keys, and serves until
//! interrupted.

use std::io::Write;

use pagerduty_mock::ratelimit::Limit;
use pagerduty_mock::{keys, Config};

fn usage() -> ! {
    eprintln!(
        "usage: pagerduty-mock [--port N] [--host IP] [--seed N] [--incidents N] [--tls] [--cert-out FILE]\n\
         \x20                     [--faults FILE.json] [--rest-rate-limit N/SECS] [--events-rate-limit N/SECS]"
    );
    std::process::exit(2)
}

fn limit(s: &str) -> Limit {
    let (n, w) = s.split_once('/').unwrap_or((s, "60"));
    match (n.parse(), w.parse()) {
        (Ok(limit), Ok(window_secs)) => Limit { limit, window_secs },
        _ => usage(),
    }
}

fn main() {
    let mut config = Config::default();
    let mut cert_out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--port" => config.port = value().parse().unwrap_or_else(|_| usage()),
            "--host" => config.host = value().parse().unwrap_or_else(|_| usage()),
            "--seed" => config.seed = value().parse().unwrap_or_else(|_| usage()),
            "--incidents" => config.incidents = value().parse().unwrap_or_else(|_| usage()),
            "--tls" => config.tls = true,
            "--cert-out" => cert_out = Some(value()),
            "--faults" => {
                let path = value();
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
                    eprintln!("{path}: {e}");
                    std::process::exit(2)
                });
                config.faults = serde_json::from_str(&text)
                    .map_err(|e| e.to_string())
                    .and_then(pagerduty_mock::parse_rules)
                    .unwrap_or_else(|e| {
                        eprintln!("{path}: {e}");
                        std::process::exit(2)
                    });
            }
            "--rest-rate-limit" => config.rest_limit = limit(&value()),
            "--events-rate-limit" => config.events_limit = limit(&value()),
            "-h" | "--help" => usage(),
            _ => usage(),
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async move {
        let mock = match pagerduty_mock::start(config).await {
            Ok(m) => m,
            Err(e) => {
                eprintln!("pagerduty-mock: cannot start: {e}");
                std::process::exit(1)
            }
        };
        if let (Some(path), Some(pem)) = (&cert_out, mock.cert_pem()) {
            std::fs::write(path, pem).expect("write the certificate");
        }
        println!("pagerduty-mock listening on {}", mock.url());
        println!("  stray listener: {}", mock.stray_url());
        println!("  REST keys: {} (full), {} (read-only), {} (user), {} (observer); From: ada@example.com",
            keys::FULL_ACCESS, keys::READ_ONLY, keys::USER_TOKEN, keys::OBSERVER_TOKEN);
        println!("  routing keys: {} (PSVC001), {} (PSVC002)", keys::ROUTING_KEY_1, keys::ROUTING_KEY_2);
        let _ = std::io::stdout().flush();
        let _ = tokio::signal::ctrl_c().await;
    });
}
