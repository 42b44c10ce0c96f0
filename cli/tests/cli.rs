//! The `pagerduty` command end to end against the simulator: every subcommand, the exit codes,
//! `--json` parsed, keys refused on the command line, no key in any output (every run is
//! checked), and the progress bar only on a terminal.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use pagerduty_mock::faults::Fault;
use pagerduty_mock::keys::{
    FULL_ACCESS, OBSERVER_TOKEN, READ_ONLY, ROUTING_KEY_1, ROUTING_KEY_2, USER_TOKEN,
};
use pagerduty_mock::{BackgroundMock, Config};
use serde_json::Value;

const ALL_KEYS: [&str; 6] = [
    FULL_ACCESS,
    READ_ONLY,
    USER_TOKEN,
    OBSERVER_TOKEN,
    ROUTING_KEY_1,
    ROUTING_KEY_2,
];

fn mock(incidents: usize, faults: Vec<Fault>) -> BackgroundMock {
    BackgroundMock::start(Config {
        incidents,
        faults,
        ..Config::default()
    })
    .unwrap()
}

/// `pagerduty` with only the simulator's settings and keys in its environment.
fn pd(m: &BackgroundMock) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin!("pagerduty"));
    c.env_clear()
        .env("PAGERDUTY_BASE_URL", m.url())
        .env("PAGERDUTY_TOKEN", FULL_ACCESS)
        .env("PAGERDUTY_ROUTING_KEY", ROUTING_KEY_1)
        .env("PAGERDUTY_FROM", "ada@example.com");
    c
}

struct Run {
    code: i32,
    out: String,
    err: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.out).unwrap_or_else(|e| panic!("{e}: {:?}", self.out))
    }
}

/// Runs it; no key may appear in what it printed, whatever happened; an error is one line on
/// stderr.
fn run(c: &mut Command, args: &[&str]) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = c.args(args).output().unwrap();
    let r = Run {
        code: status.code().unwrap_or(-1),
        out: String::from_utf8(stdout).unwrap(),
        err: String::from_utf8(stderr).unwrap(),
    };
    for key in ALL_KEYS {
        assert!(
            !r.out.contains(key) && !r.err.contains(key),
            "a key was printed by {args:?}: {} {}",
            r.out,
            r.err
        );
    }
    if r.code != 0 && r.code != 2 {
        // (-v adds the spans before it.)
        let ours: Vec<&str> = r
            .err
            .lines()
            .filter(|l| l.starts_with("pagerduty: "))
            .collect();
        assert_eq!(ours.len(), 1, "one line names the cause: {}", r.err);
        assert_eq!(r.err.lines().last(), Some(ours[0]), "{}", r.err);
    }
    r
}

fn ok(c: &mut Command, args: &[&str]) -> Run {
    let r = run(c, args);
    assert_eq!(r.code, 0, "{args:?}: {}", r.err);
    r
}

/// A file only its owner may read, in a fresh directory under target/.
fn secret_file(name: &str, text: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli-{}-{}",
        std::process::id(),
        name
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    path
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn events_trigger_acknowledge_resolve_and_change_and_print_the_key() {
    let m = mock(0, vec![]);
    let r = ok(
        &mut pd(&m),
        &[
            "event",
            "trigger",
            "--summary",
            "Disk full on db-1",
            "--source",
            "db-1",
            "--severity",
            "critical",
            "--component",
            "postgres",
            "--group",
            "db",
            "--class",
            "disk",
            "--custom-details",
            r#"{"free_percent": 3}"#,
            "--link",
            "https://runbooks.example/disk",
            "--image",
            "https://graphs.example/disk.png",
        ],
    );
    let key = r.out.trim().to_owned();
    assert!(!key.is_empty() && !key.contains('\n'), "{:?}", r.out);
    let payload = m.with_state(|s| s.alerts[0].body.clone());
    assert_eq!(payload["custom_details"]["free_percent"], 3);
    assert_eq!(payload["component"], "postgres");
    assert_eq!(payload["severity"], "critical");

    // The key from a file instead of the environment; --json for scripts.
    let file = secret_file("routing-key", &format!("{ROUTING_KEY_1}\n"));
    let r = ok(
        pd(&m).env_remove("PAGERDUTY_ROUTING_KEY"),
        &[
            "--json",
            "--routing-key-file",
            s(&file),
            "event",
            "acknowledge",
            "--dedup-key",
            &key,
        ],
    );
    assert_eq!(r.json()["dedup_key"], key.as_str());
    assert_eq!(r.json()["status"], "success");
    let r = ok(&mut pd(&m), &["event", "resolve", "--dedup-key", &key]);
    assert_eq!(r.out.trim(), key);
    assert_eq!(
        m.with_state(|s| s.alerts[0].status.clone()),
        "resolved",
        "trigger, acknowledge and resolve reached the same alert"
    );
    let r = ok(
        &mut pd(&m),
        &[
            "--json",
            "event",
            "change",
            "--summary",
            "deployed v2",
            "--source",
            "ci",
            "--link",
            "https://ci.example/1",
        ],
    );
    assert_eq!(r.json()["status"], "success");
    // A given dedup_key is the one printed.
    let r = ok(
        &mut pd(&m),
        &[
            "event",
            "trigger",
            "--summary",
            "x",
            "--source",
            "y",
            "--severity",
            "info",
            "--dedup-key",
            "mine-1",
        ],
    );
    assert_eq!(r.out.trim(), "mine-1");
}

#[test]
fn event_exit_codes_tell_invalid_input_from_rejected_from_gave_up() {
    let m = mock(0, vec![]);
    let trigger = [
        "event",
        "trigger",
        "--summary",
        "x",
        "--source",
        "y",
        "--severity",
        "info",
    ];

    // 2: invalid input, nothing sent.
    let r = run(
        &mut pd(&m),
        &[
            "event",
            "trigger",
            "--summary",
            "x",
            "--source",
            "y",
            "--severity",
            "dire",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.err);
    let r = run(
        &mut pd(&m),
        &[
            "event",
            "trigger",
            "--summary",
            "",
            "--source",
            "y",
            "--severity",
            "info",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(r.err.contains("summary"), "{}", r.err);
    let r = run(
        &mut pd(&m),
        &[&trigger[..], &["--custom-details", "{not json"]].concat(),
    );
    assert_eq!(r.code, 2);
    assert!(r.err.contains("custom-details"), "{}", r.err);
    let r = run(pd(&m).env_remove("PAGERDUTY_ROUTING_KEY"), &trigger);
    assert_eq!(r.code, 2);
    assert!(
        r.err.contains("PAGERDUTY_ROUTING_KEY") && r.err.contains("--routing-key-file"),
        "{}",
        r.err
    );
    let r = run(pd(&m).env("PAGERDUTY_ROUTING_KEY", FULL_ACCESS), &trigger);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("wrong kind of key"), "{}", r.err);
    assert_eq!(m.with_state(|s| s.counters.events_received), 0);

    // 3: PagerDuty refused it; the key it carried is still printed, to resend with.
    let r = run(
        pd(&m).env("PAGERDUTY_ROUTING_KEY", "pdmockintegrationkey000000000099"),
        &trigger,
    );
    assert_eq!(r.code, 3, "{}", r.err);
    assert!(r.err.contains("invalid_event"), "{}", r.err);
    let key = r.out.trim();
    assert!(
        !key.is_empty() && r.err.contains(&format!("--dedup-key {key}")),
        "{} {}",
        r.out,
        r.err
    );
    let r = run(
        pd(&m).env("PAGERDUTY_ROUTING_KEY", "pdmockintegrationkey000000000099"),
        &[&["--json"], &trigger[..]].concat(),
    );
    assert_eq!(r.code, 3);
    assert_eq!(r.json()["error"]["code"], "invalid_event");
    assert_eq!(r.json()["error"]["status"], 400);
    assert!(r.json()["dedup_key"].is_string());

    // 4: PagerDuty kept failing until --retry-for ran out.
    m.set_faults(vec![Fault {
        route: "/v2/enqueue".into(),
        server_error: 1.0,
        ..Default::default()
    }]);
    let r = run(&mut pd(&m), &[&trigger[..], &["--retry-for", "1"]].concat());
    assert_eq!(r.code, 4, "{}", r.err);
    assert!(r.err.starts_with("pagerduty: gave up: "), "{}", r.err);
    assert!(!r.out.trim().is_empty(), "the key is printed for a resend");

    // 1: no such host is neither refused by PagerDuty nor worth retrying.
    let r = run(
        &mut pd(&m),
        &[
            &["--base-url", "https://no-such-host.invalid"],
            &trigger[..],
        ]
        .concat(),
    );
    assert_eq!(r.code, 1, "{}", r.err);
    assert!(r.err.contains("could not resolve host"), "{}", r.err);

    let help = ok(&mut pd(&m), &["--help"]);
    assert!(
        help.out.contains("Exit codes") && help.out.contains("4  gave up"),
        "{}",
        help.out
    );
}

#[test]
fn a_key_on_the_command_line_is_refused_and_never_repeated() {
    let m = mock(0, vec![]);
    for args in [
        vec![
            "event",
            "trigger",
            "--routing-key",
            ROUTING_KEY_1,
            "--summary",
            "x",
        ],
        vec!["--token", FULL_ACCESS, "incidents", "list"],
        vec!["incidents", "list", &format!("--token={FULL_ACCESS}")],
        vec!["api", "GET", "/users", "--api-key", FULL_ACCESS],
    ] {
        let r = run(&mut pd(&m), &args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(
            r.err.contains("shell's history") && r.err.contains("`ps`"),
            "{}",
            r.err
        );
    }
    // The key given where a file name goes is not repeated either.
    let r = run(
        &mut pd(&m),
        &["--token-file", FULL_ACCESS, "incidents", "list"],
    );
    assert_eq!(r.code, 2);
    assert!(r.err.contains("not shown"), "{}", r.err);
    assert_eq!(m.with_state(|s| s.counters.requests), 0);
}

#[test]
fn incidents_list_as_a_table_json_and_ndjson_with_no_bar_off_a_terminal() {
    let m = mock(250, vec![]);
    let r = ok(&mut pd(&m), &["incidents", "list"]);
    let lines: Vec<&str> = r.out.lines().collect();
    assert!(lines[0].starts_with("#") && lines[0].contains("STATUS") && lines[0].contains("TITLE"));
    assert_eq!(lines.len(), 251);
    assert_eq!(r.err, "", "no progress bar when stderr is not a terminal");
    let r = ok(&mut pd(&m), &["--json", "incidents", "list"]);
    assert_eq!(r.json().as_array().unwrap().len(), 250);
    assert_eq!(r.err, "");
    let r = ok(
        &mut pd(&m),
        &["incidents", "list", "--ndjson", "--status", "triggered"],
    );
    let items: Vec<Value> = r
        .out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!items.is_empty() && items.len() < 250);
    assert!(items.iter().all(|i| i["status"] == "triggered"));
    let r = ok(
        &mut pd(&m),
        &[
            "incidents",
            "list",
            "--json",
            "--service",
            "PSVC002",
            "--status",
            "acknowledged",
            "--status",
            "resolved",
        ],
    );
    let items = r.json();
    assert!(items
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["service"]["id"] == "PSVC002" && i["status"] != "triggered"));
    let r = ok(
        &mut pd(&m),
        &["incidents", "list", "--json", "--since", "1h"],
    );
    let recent = r.json().as_array().unwrap().len();
    assert!(
        recent > 0 && recent < 250,
        "seeded ~6 minutes apart: {recent}"
    );
    let r = run(&mut pd(&m), &["incidents", "list", "--since", "yesterday"]);
    assert_eq!(r.code, 2, "{}", r.err);
    let r = run(&mut pd(&m), &["incidents", "list", "--json", "--ndjson"]);
    assert_eq!(r.code, 2);
}

#[test]
fn incident_get_ack_resolve_and_note() {
    let m = mock(3, vec![]);
    let id = "Q0000000000001";
    let r = ok(&mut pd(&m), &["incident", "get", id]);
    assert!(
        r.out.contains(&format!("id         {id}")) && r.out.contains("status"),
        "{}",
        r.out
    );
    assert_eq!(
        ok(&mut pd(&m), &["--json", "incident", "get", id]).json()["id"],
        id
    );
    assert_eq!(
        ok(&mut pd(&m), &["incident", "ack", id]).out.trim(),
        format!("{id} acknowledged")
    );
    let r = ok(&mut pd(&m), &["incident", "note", id, "freed 20 GB"]);
    assert!(r.out.trim().starts_with('P'), "{}", r.out);
    let r = ok(&mut pd(&m), &["--json", "incident", "resolve", id]);
    assert_eq!(r.json()["status"], "resolved");
    // No From with an account key: said before anything is sent.
    let r = run(
        pd(&m).env_remove("PAGERDUTY_FROM"),
        &["incident", "ack", id],
    );
    assert_eq!(r.code, 2);
    assert!(r.err.contains("From"), "{}", r.err);
    let r = run(&mut pd(&m), &["incident", "get", "PNOPE99"]);
    assert_eq!(r.code, 3);
    assert!(r.err.contains("not_found"), "{}", r.err);
    let r = run(
        pd(&m).env("PAGERDUTY_TOKEN", READ_ONLY),
        &["incident", "resolve", id],
    );
    assert_eq!(r.code, 3);
    assert!(r.err.contains("forbidden"), "{}", r.err);
    let r = run(
        pd(&m).env("PAGERDUTY_TOKEN", "nottherightkeyxxxxxx"),
        &["incident", "get", id],
    );
    assert_eq!(r.code, 3);
    assert!(r.err.contains("unauthorized"), "{}", r.err);
}

#[test]
fn oncall_lists_who_is_on_call() {
    let m = mock(0, vec![]);
    let r = ok(&mut pd(&m), &["oncall"]);
    assert!(
        r.out.starts_with("LEVEL") && r.out.contains("Ada Responder"),
        "{}",
        r.out
    );
    let r = ok(&mut pd(&m), &["oncall", "--schedule", "PSCHED1", "--json"]);
    assert!(r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["user"]["id"] == "PUSER01"));
    let r = ok(&mut pd(&m), &["oncall", "--ndjson"]);
    assert_eq!(r.out.lines().count(), 2);
}

#[test]
fn api_reaches_any_path_and_walks_lists() {
    let m = mock(250, vec![]);
    let r = ok(
        &mut pd(&m),
        &["--json", "api", "GET", "/services", "--query", "limit=1"],
    );
    assert_eq!(r.json()["services"].as_array().unwrap().len(), 1);
    let r = ok(&mut pd(&m), &["api", "get", "/services/PSVC001"]);
    assert!(
        r.out.contains("\n  \"service\""),
        "pretty for people: {}",
        r.out
    );
    let r = ok(
        &mut pd(&m),
        &[
            "api",
            "GET",
            "/incidents",
            "--all",
            "-q",
            "statuses[]=triggered",
        ],
    );
    let items: Vec<Value> = serde_json::from_str(&r.out).unwrap();
    assert!(!items.is_empty() && items.iter().all(|i| i["status"] == "triggered"));
    let r = ok(
        &mut pd(&m),
        &["api", "GET", "/incidents", "--all", "--ndjson"],
    );
    assert_eq!(r.out.lines().count(), 250);
    let r = ok(
        &mut pd(&m),
        &[
            "--json",
            "api",
            "POST",
            "/incidents/Q0000000000002/notes",
            "--data",
            r#"{"note":{"content":"hi"}}"#,
        ],
    );
    assert_eq!(r.json()["note"]["content"], "hi");
    let body = secret_file(
        "body.json",
        r#"{"incident":{"type":"incident_reference","status":"acknowledged"}}"#,
    );
    let r = ok(
        &mut pd(&m),
        &[
            "--json",
            "api",
            "PUT",
            "/incidents/Q0000000000002",
            "--data",
            &format!("@{}", s(&body)),
        ],
    );
    assert_eq!(r.json()["incident"]["status"], "acknowledged");
    let r = ok(
        pd(&m).write_stdin(r#"{"incident":{"type":"incident_reference","status":"resolved"}}"#),
        &[
            "--json",
            "api",
            "PUT",
            "/incidents/Q0000000000002",
            "--data",
            "-",
        ],
    );
    assert_eq!(r.json()["incident"]["status"], "resolved");
    let r = run(&mut pd(&m), &["api", "DELETE", "/services/PNOPE99"]);
    assert_eq!(r.code, 3);
    for bad in [
        vec!["api", "POST", "/incidents", "--all"],
        vec!["api", "GET", "/incidents/../users"],
        vec!["api", "GET", "https://elsewhere.example/incidents"],
        vec!["api", "GET", "/incidents", "--query", "novalue"],
        vec!["api", "POST", "/incidents", "--data", "{not json"],
    ] {
        let r = run(&mut pd(&m), &bad);
        assert_eq!(r.code, 2, "{bad:?}: {}", r.err);
    }
    assert_eq!(m.stray()["count"], 0);
}

#[test]
fn webhook_verify_checks_the_signature_over_stdin() {
    let m = mock(0, vec![]);
    let body = r#"{"event":{"id":"01","event_type":"incident.triggered","resource_type":"incident","occurred_at":"2026-11-30T00:00:00Z","data":{"id":"Q1"}}}"#;
    let wrong = webhook_signature(body, "another-secret");
    let good = webhook_signature(body, "the-webhook-secret");
    let secrets = secret_file("webhook-secrets", "old-secret\nthe-webhook-secret\n");
    let r = ok(
        pd(&m).write_stdin(body),
        &[
            "webhook",
            "verify",
            "--secret-file",
            s(&secrets),
            "--signature",
            &good,
        ],
    );
    assert!(r.out.starts_with("incident.triggered Q1"), "{}", r.out);
    let r = ok(
        pd(&m)
            .write_stdin(body)
            .env("HTTP_X_PAGERDUTY_SIGNATURE", &good),
        &["--json", "webhook", "verify", "--secret-file", s(&secrets)],
    );
    assert_eq!(r.json()["event_type"], "incident.triggered");
    let r = run(
        pd(&m).write_stdin(body),
        &[
            "webhook",
            "verify",
            "--secret-file",
            s(&secrets),
            "--signature",
            &wrong,
        ],
    );
    assert_eq!(r.code, 5, "{}", r.err);
    assert!(r.err.contains("invalid_signature"));
    let r = run(
        pd(&m).write_stdin(body),
        &["webhook", "verify", "--secret-file", s(&secrets)],
    );
    assert_eq!(r.code, 5, "no signature at all: {}", r.err);
    let r = run(
        pd(&m).write_stdin(body.replace("Q1", "Q2")),
        &[
            "webhook",
            "verify",
            "--secret-file",
            s(&secrets),
            "--signature",
            &good,
        ],
    );
    assert_eq!(r.code, 5, "a changed body");
    for secret in ["old-secret", "the-webhook-secret"] {
        assert!(!r.err.contains(secret));
    }
}

/// `v1=HEX` of HMAC-SHA256, as PagerDuty signs.
fn webhook_signature(body: &str, secret: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

#[test]
fn completions_for_bash_zsh_and_fish() {
    let m = mock(0, vec![]);
    for shell in ["bash", "zsh", "fish"] {
        let r = ok(&mut pd(&m), &["completions", shell]);
        assert!(
            r.out.contains("pagerduty") && r.out.contains("incidents"),
            "{shell}"
        );
    }
}

#[test]
fn verbose_shows_attempts_and_a_hostile_server_gets_no_key_into_any_output() {
    let m = mock(
        0,
        vec![Fault {
            route: "/v2/enqueue".into(),
            fail_streak: 2,
            fail_streak_fraction: 1.0,
            ..Default::default()
        }],
    );
    let r = ok(
        &mut pd(&m),
        &[
            "-v",
            "event",
            "trigger",
            "--summary",
            "x",
            "--source",
            "y",
            "--severity",
            "info",
        ],
    );
    assert!(
        r.err.contains("attempt=3") && r.err.contains("path=\"/v2/enqueue\""),
        "{}",
        r.err
    );
    assert!(r.err.contains("wait_ms="), "{}", r.err);
    m.set_faults(vec![Fault {
        echo_key: 1.0,
        ..Default::default()
    }]);
    for args in [
        vec![
            "-v",
            "event",
            "trigger",
            "--summary",
            "x",
            "--source",
            "y",
            "--severity",
            "info",
        ],
        vec!["-v", "incidents", "list"],
        vec!["-v", "--json", "api", "GET", "/users"],
    ] {
        let r = run(&mut pd(&m), &args);
        assert_eq!(r.code, 3, "{args:?}: {}", r.err);
        assert!(r.err.contains("<redacted>"), "{}", r.err);
    }
}

#[test]
fn a_progress_bar_is_drawn_on_a_terminal_and_only_there() {
    // Off a terminal: tested above (stderr stays empty). On one, through `script`'s pty when
    // the machine has it; five slow pages make the walk long enough to draw.
    let m = mock(
        500,
        vec![Fault {
            route: "/incidents".into(),
            latency_ms: 150,
            ..Default::default()
        }],
    );
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped the terminal half: no `script` here");
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin!("pagerduty");
    let out = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("{} incidents list >/dev/null", bin.display()),
            "/dev/null",
        ])
        .env_clear()
        .env("PAGERDUTY_BASE_URL", m.url())
        .env("PAGERDUTY_TOKEN", FULL_ACCESS)
        .env("TERM", "xterm")
        .output()
        .unwrap();
    let tty = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{tty}");
    assert!(
        tty.contains("/500 incidents"),
        "a bar with the total: {tty:?}"
    );
    assert!(!tty.contains(FULL_ACCESS));
}
