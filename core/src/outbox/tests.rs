use std::collections::HashMap;

use super::*;
use crate::events::{Severity, Trigger};
use crate::region::{Endpoints, Region};

const KEY_A: &str = "R0123456789ABCDEF0123456789ABCDA";
const KEY_B: &str = "R0123456789ABCDEF0123456789ABCDB";

fn events() -> Events {
    Events::new(Endpoints::region(Region::Us))
}

fn config() -> Config {
    Config {
        rate_limit: 0,
        ..Config::default()
    }
}

fn key(k: &str) -> IntegrationKey {
    IntegrationKey::new(k).unwrap()
}

fn trigger(k: &str, dedup: &str) -> EventOp {
    let mut t = Trigger::new("disk full", "db-1", Severity::Critical);
    t.dedup_key = Some(dedup.into());
    events().trigger(&key(k), &t, [7; 16]).unwrap()
}

fn resolve(k: &str, dedup: &str) -> EventOp {
    events().resolve(&key(k), dedup).unwrap()
}

/// An outbox and the bytes of its journal, kept as a binding keeps them.
struct Disk {
    outbox: Outbox,
    journal: Vec<u8>,
}

impl Disk {
    fn new(config: Config) -> Disk {
        let (mut outbox, _) = Outbox::open(events(), config, b"", 0).unwrap();
        let journal = outbox.take_pending();
        Disk { outbox, journal }
    }

    fn sync(&mut self) {
        let bytes = self.outbox.take_pending();
        self.journal.extend_from_slice(&bytes);
    }

    fn enqueue(&mut self, op: &EventOp, now: u64) -> u64 {
        let id = self.outbox.enqueue(op, now).unwrap();
        self.sync();
        id
    }

    fn poll(&mut self, now: u64) -> Next {
        let next = self.outbox.poll(now);
        self.sync();
        next
    }

    fn answer(&mut self, id: u64, status: u16, body: &str, now: u64) -> Outcome {
        let outcome = self
            .outbox
            .handle_response(id, Response::new(status, vec![], body), now, u64::MAX / 2)
            .unwrap();
        self.sync();
        outcome
    }

    fn reopen(&self, config: Config) -> (Outbox, Recovered) {
        Outbox::open(events(), config, &self.journal, 99).unwrap()
    }
}

fn send(next: Next) -> Delivery {
    match next {
        Next::Send(d) => d,
        other => panic!("expected a send, got {other:?}"),
    }
}

fn body(d: &Delivery) -> Value {
    serde_json::from_str(d.request.body.as_deref().unwrap()).unwrap()
}

#[test]
fn an_enqueued_event_is_sent_to_the_configured_host_with_its_key_and_dedup_key() {
    let mut disk = Disk::new(config());
    let id = disk.enqueue(&trigger(KEY_A, "db-1/disk"), 1_000);
    let d = send(disk.poll(1_000));
    assert_eq!(d.id, id);
    assert_eq!(d.attempt, 1);
    assert_eq!(d.request.url, "https://events.pagerduty.com/v2/enqueue");
    let b = body(&d);
    assert_eq!(b["routing_key"], KEY_A);
    assert_eq!(b["dedup_key"], "db-1/disk");
    assert_eq!(b["payload"]["summary"], "disk full");
    assert_eq!(disk.answer(id, 202, "{}", 1_001), Outcome::Delivered);
    let (mut reopened, recovered) = disk.reopen(config());
    assert_eq!(recovered.torn_bytes, 0);
    assert_eq!(reopened.queued(), 0);
    assert_eq!(reopened.stats(2_000).delivered, 1);
    assert!(matches!(reopened.poll(2_000), Next::Idle));
}

#[test]
fn the_journal_holds_the_key_once_and_never_in_an_event_record() {
    let mut disk = Disk::new(config());
    for i in 0..10 {
        disk.enqueue(&trigger(KEY_A, &format!("k{i}")), 1);
    }
    let text = String::from_utf8_lossy(&disk.journal);
    assert_eq!(text.matches(KEY_A).count(), 1);
}

#[test]
fn a_resolve_never_overtakes_its_trigger_and_keys_do_not_wait_for_each_other() {
    let mut disk = Disk::new(config());
    let t = disk.enqueue(&trigger(KEY_A, "x"), 0);
    let r = disk.enqueue(&resolve(KEY_A, "x"), 0);
    let other = disk.enqueue(&trigger(KEY_B, "y"), 0);
    assert_eq!(send(disk.poll(0)).id, t);
    // Key A's next event waits for its trigger; key B's goes.
    assert_eq!(send(disk.poll(0)).id, other);
    assert!(matches!(disk.poll(0), Next::Idle));
    // The trigger fails: retried (after a wait), the resolve still behind it.
    match disk.answer(t, 502, "", 10) {
        Outcome::Retry { after, .. } => assert!(after <= Duration::from_millis(500)),
        o => panic!("{o:?}"),
    }
    let mut now = 10;
    let d = loop {
        match disk.poll(now) {
            Next::Send(d) => break d,
            Next::Wait(w) => now += w.as_millis() as u64,
            Next::Idle => panic!("idle with a trigger queued"),
        }
    };
    assert_eq!((d.id, d.attempt), (t, 2));
    disk.answer(t, 202, "{}", now);
    let d = send(disk.poll(now));
    assert_eq!(d.id, r);
    assert_eq!(body(&d)["event_action"], "resolve");
}

#[test]
fn retries_have_no_deadline_until_max_age_then_the_event_is_dead() {
    let cfg = Config {
        max_age: Duration::from_secs(3600),
        ..config()
    };
    let mut disk = Disk::new(cfg.clone());
    let id = disk.enqueue(&trigger(KEY_A, "x"), 0);
    let mut now = 0;
    let mut attempts = 0;
    let dead = loop {
        match disk.poll(now) {
            Next::Send(d) => {
                attempts += 1;
                match disk.answer(d.id, 503, "", now) {
                    Outcome::Dead(dead) => break dead,
                    Outcome::Retry { .. } => {}
                    o => panic!("{o:?}"),
                }
            }
            Next::Wait(w) => now += w.as_millis() as u64,
            // Expired while waiting for its next attempt.
            Next::Idle => break disk.outbox.dead_letters().remove(0),
        }
    };
    // An hour of 503s at most 10 s apart: hundreds of attempts, not six.
    assert!(attempts > 300, "{attempts}");
    assert_eq!(dead.id, id);
    assert_eq!(dead.code, "expired");
    assert!(dead.reason.contains("max_age (3600 s)"), "{}", dead.reason);
    assert_eq!(disk.outbox.stats(now).dead, 1);
    // A queued event that is already too old is dead at the next poll, never sent.
    let late = disk.enqueue(&trigger(KEY_A, "late"), now);
    assert!(matches!(disk.poll(now + 3_600_000), Next::Idle));
    let (reopened, _) = disk.reopen(cfg);
    let letters = reopened.dead_letters();
    assert_eq!(letters.len(), 2);
    assert_eq!(letters[1].id, late);
    assert_eq!(letters[1].attempts, 0);
}

#[test]
fn refused_events_are_dead_letters_with_pagerdutys_errors_and_no_key() {
    let mut disk = Disk::new(config());
    let id = disk.enqueue(&trigger(KEY_A, "x"), 0);
    let d = send(disk.poll(0));
    let answer = format!(
        r#"{{"status":"invalid event","message":"Event object is invalid","errors":["routing key {KEY_A} is not valid"]}}"#
    );
    let Outcome::Dead(dead) = disk.answer(d.id, 400, &answer, 5) else {
        panic!()
    };
    assert_eq!(dead.id, id);
    assert_eq!(dead.code, "invalid_event");
    assert_eq!(dead.status, Some(400));
    assert_eq!(dead.errors.len(), 1);
    assert_eq!(dead.key, fingerprint(KEY_A));
    let all = serde_json::to_string(&disk.outbox.dead_letters()).unwrap();
    assert!(!all.contains(KEY_A), "{all}");
    assert!(all.contains("Event object is invalid"));
    // The journal's dead record is scrubbed too (the key is there once, in its key record).
    assert_eq!(
        String::from_utf8_lossy(&disk.journal)
            .matches(KEY_A)
            .count(),
        1
    );
    for (status, code) in [
        (401, "unauthorized"),
        (404, "not_found"),
        (302, "http_error"),
    ] {
        disk.enqueue(&trigger(KEY_B, &format!("s{status}")), 0);
        let d = send(disk.poll(0));
        let Outcome::Dead(dead) = disk.answer(d.id, status, "", 0) else {
            panic!("{status}")
        };
        assert_eq!(dead.code, code);
    }
}

#[test]
fn a_rate_limit_answer_waits_as_told_and_v1_403_is_a_rate_limit() {
    let mut disk = Disk::new(config());
    disk.enqueue(&trigger(KEY_A, "x"), 0);
    let d = send(disk.poll(0));
    let o = disk
        .outbox
        .handle_response(
            d.id,
            Response::new(429, vec![("retry-after".into(), "7".into())], ""),
            0,
            0,
        )
        .unwrap();
    assert!(matches!(o, Outcome::Retry { after, .. } if after == Duration::from_secs(7)));
    assert!(matches!(disk.poll(1000), Next::Wait(w) if w == Duration::from_secs(6)));
    let v1 = events()
        .v1(
            &key(KEY_B),
            crate::events::Action::Trigger,
            &crate::events::V1Event {
                description: Some("x".into()),
                ..Default::default()
            },
            [1; 16],
        )
        .unwrap();
    disk.enqueue(&v1, 0);
    let d = send(disk.poll(0));
    assert!(d
        .request
        .url
        .ends_with("/generic/2010-04-15/create_event.json"));
    assert_eq!(body(&d)["service_key"], KEY_B);
    assert!(matches!(
        disk.answer(d.id, 403, "", 0),
        Outcome::Retry { .. }
    ));
}

#[test]
fn transport_failures_are_retried_and_a_large_2xx_is_delivered() {
    let mut disk = Disk::new(config());
    disk.enqueue(&trigger(KEY_A, "x"), 0);
    let d = send(disk.poll(0));
    let o = disk
        .outbox
        .handle_transport_error(
            d.id,
            TransportError::Fatal(format!("certificate for {KEY_A} not trusted")),
            0,
            0,
        )
        .unwrap();
    let Outcome::Retry { error, .. } = o else {
        panic!()
    };
    assert!(!error.contains(KEY_A), "{error}");
    let d = send(disk.poll(0));
    assert_eq!(d.attempt, 2);
    let o = disk
        .outbox
        .handle_transport_error(
            d.id,
            TransportError::TooLarge {
                status: 202,
                limit: 10,
            },
            0,
            0,
        )
        .unwrap();
    assert_eq!(o, Outcome::Delivered);
    // An answer for an event that is not out is the binding's bug, said so.
    assert!(disk
        .outbox
        .handle_response(d.id, Response::new(202, vec![], ""), 0, 0)
        .is_err());
}

#[test]
fn a_burst_to_one_key_is_paced_to_the_limit_and_no_faster() {
    let mut disk = Disk::new(Config::default());
    for i in 0..1000 {
        disk.enqueue(&trigger(KEY_A, &format!("k{i}")), 0);
    }
    let mut now = 0;
    let mut sends = Vec::new();
    while disk.outbox.queued() > 0 {
        match disk.poll(now) {
            Next::Send(d) => {
                sends.push(now);
                disk.answer(d.id, 202, "{}", now);
            }
            Next::Wait(w) => now += w.as_millis() as u64,
            Next::Idle => panic!("idle"),
        }
    }
    for (i, &t) in sends.iter().enumerate() {
        assert!(sends[i..].iter().take_while(|&&u| u < t + 60_000).count() <= 120);
    }
    // The fastest 120-a-minute schedule ends at 8 minutes; this one within 2% of it.
    assert_eq!(*sends.last().unwrap(), 8 * pacing::padded(60_000));
    let stats = disk.outbox.stats(now);
    assert_eq!(stats.delivered, 1000);
    assert_eq!((stats.rate_limit, stats.rate_window_ms), (120, 60_000));
}

#[test]
fn stats_show_the_backlog_per_key_without_the_key() {
    let mut disk = Disk::new(Config::default());
    disk.enqueue(&trigger(KEY_A, "a1"), 1_000);
    disk.enqueue(&trigger(KEY_A, "a2"), 2_000);
    disk.enqueue(&trigger(KEY_B, "b1"), 3_000);
    let d = send(disk.poll(5_000));
    disk.answer(d.id, 500, r#"{"message":"oops"}"#, 5_000);
    let stats = disk.outbox.stats(5_000);
    assert_eq!(
        (stats.queued, stats.in_flight, stats.delivered, stats.dead),
        (3, 0, 0, 0)
    );
    assert_eq!(stats.oldest_age_ms, 4_000);
    assert_eq!(stats.keys.len(), 2);
    assert_eq!(stats.keys[0].queued, 2);
    assert_eq!(stats.keys[0].sent_in_window, 1);
    assert!(stats.keys[0].last_error.as_deref().unwrap().contains("500"));
    let json = serde_json::to_string(&stats).unwrap();
    assert!(!json.contains(KEY_A) && !json.contains(KEY_B), "{json}");
}

#[test]
fn dead_letters_retried_by_hand_go_to_the_back_of_their_queue() {
    let mut disk = Disk::new(config());
    let first = disk.enqueue(&trigger(KEY_A, "x"), 0);
    let d = send(disk.poll(0));
    disk.answer(d.id, 400, "{}", 0);
    let second = disk.enqueue(&trigger(KEY_A, "y"), 1);
    assert_eq!(disk.outbox.retry_dead(None, 2), 1);
    disk.sync();
    assert_eq!(send(disk.poll(2)).id, second);
    disk.answer(second, 202, "{}", 2);
    let d = send(disk.poll(2));
    assert_eq!((d.id, d.attempt), (first, 1));
    // The journal says the same after a restart.
    let (mut reopened, _) = disk.reopen(config());
    assert_eq!(reopened.dead_letters().len(), 0);
    assert_eq!(send(reopened.poll(3)).id, first);
    assert_eq!(disk.outbox.retry_dead(Some(&[12345]), 3), 0);
}

#[test]
fn compaction_keeps_what_is_needed_and_the_counts() {
    let mut disk = Disk::new(config());
    for i in 0..5000 {
        let id = disk.enqueue(&trigger(KEY_A, &format!("k{i}")), i);
        let d = send(disk.poll(i));
        assert_eq!(d.id, id);
        disk.answer(id, if i % 1000 == 0 { 400 } else { 202 }, "{}", i);
    }
    let resolve_id = disk.enqueue(&resolve(KEY_B, "k1"), 9);
    disk.enqueue(&trigger(KEY_B, "k2"), 9);
    assert!(disk.outbox.should_compact());
    let before = disk.journal.len();
    let compacted = disk.outbox.compact(10);
    assert!(!disk.outbox.should_compact());
    assert!(
        compacted.len() * 50 < before,
        "{} of {before}",
        compacted.len()
    );
    let (mut reopened, _) = Outbox::open(events(), config(), &compacted, 11).unwrap();
    let stats = reopened.stats(11);
    assert_eq!((stats.queued, stats.delivered, stats.dead), (2, 4995, 5));
    assert_eq!(send(reopened.poll(11)).id, resolve_id);
    // New ids never reuse old ones.
    let new = reopened.enqueue(&trigger(KEY_A, "new"), 12).unwrap();
    assert!(new > resolve_id + 1);
}

#[test]
fn a_journal_cut_anywhere_in_its_last_record_reopens_with_every_earlier_event() {
    let mut disk = Disk::new(config());
    for i in 0..5 {
        disk.enqueue(&trigger(KEY_A, &format!("k{i}")), i);
    }
    let before = disk.journal.len();
    disk.enqueue(&trigger(KEY_A, "last"), 9);
    for cut in before..disk.journal.len() {
        let (outbox, recovered) =
            Outbox::open(events(), config(), &disk.journal[..cut], 10).unwrap();
        assert_eq!(outbox.queued(), 5, "cut at {cut}");
        assert_eq!(recovered.valid_len as usize, before);
        assert_eq!(recovered.torn_bytes as usize, cut - before);
    }
}

/// A model of the whole guarantee: a sender that crashes at random points (its unsynced
/// journal bytes lost), a server that loses answers and fails, and PagerDuty's alert rules.
/// Every event whose enqueue returned is delivered; each trigger opens exactly one alert; a
/// resolve never comes before its trigger.
#[test]
fn crashes_at_random_points_lose_nothing_and_open_one_alert_each() {
    use crate::test_rng::Rng;
    for seed in 1..=6u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut journal: Vec<u8> = Vec::new();
        let mut open: HashMap<String, u32> = HashMap::new(); // dedup → alert number
        let mut alerts_of: HashMap<String, u32> = HashMap::new(); // dedup → alerts opened
        let mut returned: Vec<String> = Vec::new();
        let mut now = 0u64;
        let pairs = 200;
        let mut next_pair = 0;
        let mut crashes = 0;
        'run: loop {
            let (mut outbox, recovered) = Outbox::open(events(), config(), &journal, now).unwrap();
            journal.truncate(recovered.valid_len as usize);
            journal.extend(outbox.take_pending());
            let mut out: Vec<(u64, String, String)> = Vec::new();
            loop {
                now += 1;
                if rng.chance(2) {
                    crashes += 1; // between two steps: everything synced is kept
                    continue 'run;
                }
                if next_pair < pairs && rng.chance(30) {
                    let dedup = format!("alert-{next_pair}");
                    next_pair += 1;
                    for op in [trigger(KEY_A, &dedup), resolve(KEY_A, &dedup)] {
                        outbox.enqueue(&op, now).unwrap();
                        let pending = outbox.take_pending();
                        if rng.chance(3) {
                            // A crash inside enqueue: a torn append, and enqueue never returned.
                            crashes += 1;
                            let part = (rng.next() as usize) % (pending.len() + 1);
                            journal.extend_from_slice(&pending[..part]);
                            continue 'run;
                        }
                        journal.extend(pending);
                    }
                    returned.push(dedup);
                }
                if let Next::Send(d) = outbox.poll(now) {
                    journal.extend(outbox.take_pending());
                    let b = body(&d);
                    out.push((
                        d.id,
                        b["event_action"].as_str().unwrap().to_owned(),
                        b["dedup_key"].as_str().unwrap().to_owned(),
                    ));
                }
                if out.is_empty() {
                    if next_pair == pairs && outbox.queued() == 0 {
                        break 'run;
                    }
                    continue;
                }
                let (id, action, dedup) = out.remove((rng.next() as usize) % out.len());
                // The server: fails before processing, or processes (then maybe loses the answer).
                let answer = if rng.chance(20) {
                    Ok(Response::new(503, vec![], ""))
                } else {
                    match action.as_str() {
                        "trigger" if !open.contains_key(&dedup) => {
                            let n = alerts_of.entry(dedup.clone()).or_default();
                            *n += 1;
                            assert_eq!(*n, 1, "seed {seed}: {dedup} opened a second alert");
                            open.insert(dedup.clone(), *n);
                        }
                        "resolve" => {
                            open.remove(&dedup);
                        }
                        _ => {}
                    }
                    if rng.chance(5) {
                        Err(TransportError::Other("connection reset".into()))
                    } else {
                        Ok(Response::new(202, vec![], "{}"))
                    }
                };
                match answer {
                    Ok(r) => outbox.handle_response(id, r, now, rng.next()),
                    Err(e) => outbox.handle_transport_error(id, e, now, rng.next()),
                }
                .unwrap();
                journal.extend(outbox.take_pending());
            }
        }
        assert!(crashes >= 20, "seed {seed}: only {crashes} crashes");
        for dedup in &returned {
            assert_eq!(alerts_of.get(dedup), Some(&1), "seed {seed}: {dedup}");
            assert!(!open.contains_key(dedup), "seed {seed}: {dedup} left open");
        }
        assert!(
            returned.len() > pairs * 8 / 10,
            "seed {seed}: {}",
            returned.len()
        );
    }
}

#[test]
fn a_spool_file_is_taken_in_once_even_across_a_crash_before_its_removal() {
    let mut disk = Disk::new(config());
    let file = spool(&trigger(KEY_A, "spooled"), 500).unwrap();
    let id = disk.outbox.ingest(&file, "0001-a.spool").unwrap().unwrap();
    disk.sync();
    assert_eq!(disk.outbox.ingest(&file, "0001-a.spool").unwrap(), None);
    // After a restart (the file still there: the crash came before its removal).
    let (mut reopened, _) = disk.reopen(config());
    assert_eq!(reopened.ingest(&file, "0001-a.spool").unwrap(), None);
    let d = send(reopened.poll(600));
    assert_eq!(d.id, id);
    assert_eq!(body(&d)["dedup_key"], "spooled");
    assert_eq!(body(&d)["routing_key"], KEY_A);
    // Its age counts from when it was spooled.
    assert_eq!(reopened.stats(1_500).oldest_age_ms, 1_000);
    // A torn or foreign file is an error, never an event.
    assert!(reopened.ingest(&file[..file.len() - 1], "x").is_err());
    assert!(reopened.ingest(b"hello", "y").is_err());
}
