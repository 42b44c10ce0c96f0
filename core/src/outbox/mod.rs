//! A durable outbox for events, sans-IO: an event that `enqueue` accepted reaches PagerDuty
//! through crashes, restarts, outages and rate limits.
//!
//! The core owns the rules and the journal's format; a binding owns the file (or IndexedDB, or
//! whatever keeps bytes) and the transport. The contract a binding keeps:
//!
//! 1. **Open**: read the whole journal, [`Outbox::open`] it, cut the file to
//!    [`Recovered::valid_len`] (a torn last record is dropped), then append
//!    [`Outbox::take_pending`] (a new journal's header).
//! 2. **After every call that changes state** ([`Outbox::enqueue`], [`Outbox::poll`],
//!    [`Outbox::handle_response`], [`Outbox::handle_transport_error`], [`Outbox::retry_dead`]),
//!    append [`Outbox::take_pending`] and make it durable (fsync) **before** acting on the
//!    result: before `enqueue` returns to its caller, before a [`Next::Send`] is sent.
//! 3. **Send** what [`Outbox::poll`] says, report each answer, and poll again after a
//!    [`Next::Wait`], an answer, or an enqueue.
//! 4. **Compact** when [`Outbox::should_compact`]: write [`Outbox::compact`] to a new file,
//!    fsync it, rename it over the journal.
//!
//! The rules:
//! - **Order per routing key**: one event of a key is out at a time and the next waits until it
//!   is delivered or dead, so an acknowledge or resolve never overtakes its trigger. Keys do not
//!   wait for each other (up to [`Config::max_in_flight`] at once).
//! - **Pacing per key** ([`pacing`]): at most [`Config::rate_limit`] sends in any
//!   [`Config::rate_window`] (PagerDuty allows about 120 events a minute per integration key),
//!   so a burst is paced instead of answered with 429s.
//! - **Retries without a deadline**: a 429, a 5xx, a 408, Events v1's 403 or any transport
//!   failure is retried, with the retry policy's backoff (or the wait PagerDuty names), for as
//!   long as the event is younger than [`Config::max_age`] (24 h). Resending is safe: the
//!   dedup_key is fixed at enqueue, so a re-sent trigger is a no-op while its alert is open.
//! - **Dead letters**: any other answer (400 with PagerDuty's errors, 401/403/404 for a key that
//!   does not exist, a redirect), or an event older than `max_age` (code `expired`), is written
//!   as dead with the reason and never sent again, unless [`Outbox::retry_dead`] puts it back.
//! - Whatever a server answers is scrubbed of the routing key before it is kept.

mod journal;
pub mod pacing;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Duration;

use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::credentials::IntegrationKey;
use crate::error::Error;
use crate::events::{EventOp, Events};
use crate::http::{Request, Response};
use crate::retry::{RetryPolicy, TransportError};

pub use journal::{crc32c, read, read_spool, Kind, Record, Replay, FORMAT};
use pacing::Pacer;

/// How the outbox paces, retries and expires.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Sends per routing key in any `rate_window` (PagerDuty allows about 120 a minute);
    /// 0 turns pacing off.
    pub rate_limit: u32,
    /// The window `rate_limit` counts over (a minute; 2% is added for the network's jitter).
    pub rate_window: Duration,
    /// An event not delivered this long after it was enqueued is dead (code `expired`).
    pub max_age: Duration,
    /// Backoff between attempts (`base_delay`, `max_delay`); its `deadline` and
    /// `max_attempts` are not used: `max_age` bounds the retries.
    pub retry: RetryPolicy,
    /// Events out at once, over all keys.
    pub max_in_flight: u32,
    /// For the binding: make every append durable (`fsync`) before going on (the default,
    /// and the guarantee). Off only for tests and benchmarks that accept losing the last
    /// events to a power cut (a crashed process loses nothing either way).
    pub fsync: bool,
}

/// Every key of the options object's `outbox` object (every binding reads it the same way:
/// `{"outbox": {"rate_limit": 120, "rate_window_ms": 60000, "max_age_ms": 86400000,
/// "max_in_flight": 16, "fsync": true}}`).
pub const CONFIG_KEYS: [&str; 5] = [
    "rate_limit",
    "rate_window_ms",
    "max_age_ms",
    "max_in_flight",
    "fsync",
];

impl Default for Config {
    fn default() -> Self {
        Config {
            rate_limit: 120,
            rate_window: Duration::from_secs(60),
            max_age: Duration::from_secs(24 * 3600),
            retry: RetryPolicy::default(),
            max_in_flight: 16,
            fsync: true,
        }
    }
}

/// What [`Outbox::open`] found in the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Recovered {
    /// Cut the journal to this many bytes before appending.
    pub valid_len: u64,
    /// Bytes of a torn last record that were dropped (0 after a clean stop).
    pub torn_bytes: u64,
    /// Records read.
    pub records: u64,
}

/// What to do next.
#[derive(Debug)]
#[must_use]
pub enum Next {
    /// Send this event and report the answer with its id.
    Send(Delivery),
    /// Nothing to send for this long (pacing or backoff); poll again then, or sooner after an
    /// answer or an enqueue.
    Wait(Duration),
    /// Nothing to send until an answer comes or an event is enqueued (nothing queued, every
    /// key's event already out, or `max_in_flight` reached).
    Idle,
}

/// One send of one event.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The event's id (for [`Outbox::handle_response`]).
    pub id: u64,
    /// The request (the key in its body, to the configured events host only).
    pub request: Request,
    /// Which attempt this is (1 = the first).
    pub attempt: u32,
}

/// What an answer did to an event.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// PagerDuty accepted it.
    Delivered,
    /// It will be sent again after this long.
    Retry {
        /// The wait.
        after: Duration,
        /// What went wrong, scrubbed of the key.
        error: String,
    },
    /// It is a dead letter.
    Dead(DeadLetter),
}

/// An event that will not be sent again unless retried by hand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeadLetter {
    /// The event's id.
    pub id: u64,
    /// Its routing key's fingerprint ([`fingerprint`]): never the key.
    pub key: String,
    /// The endpoint.
    pub kind: Kind,
    /// The dedup_key (v1: incident_key).
    pub dedup_key: Option<String>,
    /// When it was enqueued (or last retried by hand), Unix ms.
    pub enqueued_ms: u64,
    /// When it died, Unix ms.
    pub dead_ms: u64,
    /// A stable code: an error code (`invalid_event`, `unauthorized`, `not_found`,
    /// `http_error`, …) or `expired`.
    pub code: String,
    /// Why, in words: PagerDuty's message and errors when it answered.
    pub reason: String,
    /// The HTTP status, when something answered.
    pub status: Option<u16>,
    /// PagerDuty's `errors[]`.
    pub errors: Vec<String>,
    /// Attempts made.
    pub attempts: u32,
    /// The event's body, without the key.
    pub event: Map<String, Value>,
}

/// One routing key's backlog.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyStats {
    /// The key's fingerprint ([`fingerprint`]).
    pub key: String,
    /// Events waiting or out.
    pub queued: u64,
    /// Events out now (0 or 1).
    pub in_flight: u64,
    /// Sends in the pacing window that ends now.
    pub sent_in_window: u64,
    /// Milliseconds until this key may send again (0: now).
    pub next_send_in_ms: u64,
    /// The last failure of the event at the head of the queue, scrubbed of the key.
    pub last_error: Option<String>,
}

/// A snapshot of the outbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Events not yet delivered or dead (in flight included).
    pub queued: u64,
    /// Events out now.
    pub in_flight: u64,
    /// Events delivered over the journal's life.
    pub delivered: u64,
    /// Dead letters.
    pub dead: u64,
    /// Age of the oldest queued event, ms (0 when none).
    pub oldest_age_ms: u64,
    /// The pace: sends per key per window (0: off).
    pub rate_limit: u32,
    /// The pace's window, ms.
    pub rate_window_ms: u64,
    /// Per routing key with a backlog, in key order.
    pub keys: Vec<KeyStats>,
}

/// The first 12 hex digits of the key's SHA-256: names a key in stats and dead letters
/// without revealing it (`printf %s KEY | sha256sum | cut -c1-12`).
pub fn fingerprint(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, Clone)]
struct Entry {
    key_ref: u32,
    kind: Kind,
    dedup_key: Option<String>,
    queued_ms: u64,
    event: Map<String, Value>,
    attempts: u32,
    not_before_ms: u64,
    in_flight: bool,
    last_error: Option<String>,
}

#[derive(Debug)]
struct Key {
    key: IntegrationKey,
    fingerprint: String,
}

/// The outbox's state: the journal replayed, and the scheduler.
#[derive(Debug)]
pub struct Outbox {
    events: Events,
    config: Config,
    keys: BTreeMap<u32, Key>,
    key_refs: HashMap<String, u32>,
    queues: BTreeMap<u32, VecDeque<u64>>,
    entries: HashMap<u64, Entry>,
    dead: BTreeMap<u64, (Entry, DeadLetter)>,
    pacers: HashMap<u32, Pacer>,
    next_id: u64,
    delivered: u64,
    in_flight: u32,
    rotate: u32,
    pending: Vec<u8>,
    records: u64,
    origins: std::collections::HashSet<String>,
}

impl Outbox {
    /// Replays a journal's bytes (empty for a new journal). `events` builds the requests (its
    /// endpoints are where every event goes, whatever host was configured when it was
    /// enqueued). Errors only for a journal damaged in the middle or written by a newer
    /// version: a torn last record is dropped, see [`Recovered`].
    pub fn open(
        events: Events,
        config: Config,
        journal: &[u8],
        now_ms: u64,
    ) -> Result<(Outbox, Recovered), Error> {
        let replay = journal::read(journal)?;
        let mut outbox = Outbox {
            events,
            config,
            keys: BTreeMap::new(),
            key_refs: HashMap::new(),
            queues: BTreeMap::new(),
            entries: HashMap::new(),
            dead: BTreeMap::new(),
            pacers: HashMap::new(),
            next_id: 1,
            delivered: 0,
            in_flight: 0,
            rotate: 0,
            pending: Vec::new(),
            records: replay.records.len() as u64,
            origins: Default::default(),
        };
        let recovered = Recovered {
            valid_len: replay.valid_len as u64,
            torn_bytes: replay.torn_bytes as u64,
            records: replay.records.len() as u64,
        };
        if replay.records.is_empty() {
            outbox.append(&Record::Header {
                created_ms: now_ms,
                delivered_before: 0,
                next_id: 1,
            });
        }
        for record in replay.records {
            outbox.apply(record)?;
        }
        Ok((outbox, recovered))
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Changes the configuration (pacing, max_age, backoff, in-flight cap): it is not in the
    /// journal, each opener gives its own.
    pub fn set_config(&mut self, config: Config) {
        self.config = config;
    }

    /// Journal bytes to append and make durable before acting on the last call's result.
    pub fn take_pending(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.pending)
    }

    /// Accepts an event built by [`Events`] (trigger, acknowledge, resolve, change, v1): its
    /// body, dedup_key and routing key go into the journal. Returns its id. Nothing is sent
    /// here; the event is durable once [`Outbox::take_pending`] is.
    pub fn enqueue(&mut self, op: &EventOp, now_ms: u64) -> Result<u64, Error> {
        let (kind, key, event) = split(op)?;
        let id = self.add(
            kind,
            &key,
            op.dedup_key().map(str::to_owned),
            event,
            now_ms,
            None,
        )?;
        Ok(id)
    }

    /// Takes in a spool file's bytes ([`spool`]) named `origin` (unique per file: its name).
    /// `None` when a file of that name was already taken in (a crash came between the
    /// journal's append and the file's removal): remove the file again, nothing is queued.
    pub fn ingest(&mut self, bytes: &[u8], origin: &str) -> Result<Option<u64>, Error> {
        if self.origins.contains(origin) {
            return Ok(None);
        }
        let replay = journal::read_spool(bytes)?;
        let Record::Spooled {
            key,
            kind,
            dedup_key,
            at_ms,
            event,
        } = replay
        else {
            return Err(Error::decoding(
                None,
                b"",
                None,
                "a spool file without an event",
            ));
        };
        let key = IntegrationKey::new(&key)?;
        self.add(kind, &key, dedup_key, event, at_ms, Some(origin.to_owned()))
            .map(Some)
    }

    fn add(
        &mut self,
        kind: Kind,
        key: &IntegrationKey,
        dedup_key: Option<String>,
        event: Map<String, Value>,
        at_ms: u64,
        origin: Option<String>,
    ) -> Result<u64, Error> {
        let key_ref = self.key_ref(key);
        let id = self.next_id;
        let record = Record::Enqueued {
            id,
            key_ref,
            kind,
            dedup_key,
            at_ms,
            event,
            origin,
        };
        self.append(&record);
        self.apply(record)?;
        Ok(id)
    }

    /// What to do next at `now_ms` (Unix ms). Events older than `max_age` at the head of a
    /// queue become dead letters here.
    pub fn poll(&mut self, now_ms: u64) -> Next {
        let mut wait: Option<u64> = None;
        let refs: Vec<u32> = self
            .queues
            .range(self.rotate..)
            .chain(self.queues.range(..self.rotate))
            .map(|(r, _)| *r)
            .collect();
        for key_ref in refs {
            if self.in_flight >= self.config.max_in_flight.max(1) {
                return Next::Idle;
            }
            let Some(id) = self.head(key_ref, now_ms) else {
                continue;
            };
            let entry = &self.entries[&id];
            if entry.in_flight {
                continue;
            }
            let (limit, window_ms) = (self.config.rate_limit, self.window_ms());
            let ready = self
                .pacers
                .entry(key_ref)
                .or_default()
                .ready_at(now_ms, limit, window_ms)
                .max(entry.not_before_ms);
            if ready > now_ms {
                wait = Some(wait.map_or(ready - now_ms, |w| w.min(ready - now_ms)));
                continue;
            }
            match self.delivery(id) {
                Ok(delivery) => {
                    self.rotate = key_ref.wrapping_add(1);
                    let entry = self.entries.get_mut(&id).expect("head is an entry");
                    entry.in_flight = true;
                    entry.attempts += 1;
                    self.in_flight += 1;
                    return Next::Send(Delivery {
                        attempt: entry.attempts,
                        ..delivery
                    });
                }
                Err(e) => {
                    // The journal's event no longer builds (the endpoint changed to one that
                    // refuses it): never sent, so never retried.
                    self.kill(id, now_ms, &e, "invalid_input");
                }
            }
        }
        match wait {
            Some(ms) => Next::Wait(Duration::from_millis(ms)),
            None => Next::Idle,
        }
    }

    /// PagerDuty's answer to the send of event `id`.
    pub fn handle_response(
        &mut self,
        id: u64,
        mut response: Response,
        now_ms: u64,
        random: u64,
    ) -> Result<Outcome, Error> {
        let (key, api) = self.take_in_flight(id, now_ms)?;
        response.redact(&[key]);
        if response.is_success() {
            return Ok(self.deliver(id, now_ms));
        }
        let error = crate::events::parse_event_response(&response, api, None)
            .err()
            .unwrap_or_else(|| Error::Transport("an unexpected answer".into()));
        let retryable = matches!(response.status, 408 | 429 | 500..=599)
            || (response.status == 403 && api == crate::response_error::Api::EventsV1);
        if retryable {
            Ok(self.back_off(id, now_ms, random, response.retry_after(), &error))
        } else {
            Ok(self.kill(id, now_ms, &error, error.kind().as_str()))
        }
    }

    /// The transport got no answer to the send of event `id`. Always retried (an event is
    /// safe to resend), but for an answer too large to read, which counts as its status says.
    pub fn handle_transport_error(
        &mut self,
        id: u64,
        error: TransportError,
        now_ms: u64,
        random: u64,
    ) -> Result<Outcome, Error> {
        let (key, _) = self.take_in_flight(id, now_ms)?;
        let error = match error {
            TransportError::TooLarge { status, .. } if (200..300).contains(&status) => {
                return Ok(self.deliver(id, now_ms));
            }
            TransportError::TooLarge { status, limit } => Error::decoding(
                Some(status),
                b"",
                None,
                format!("an answer larger than {limit} bytes"),
            ),
            TransportError::Timeout(m) => Error::Timeout(m),
            TransportError::Connect(m) | TransportError::Other(m) | TransportError::Fatal(m) => {
                Error::Transport(m)
            }
        };
        let error = error.redacted(&[key.as_str()]);
        Ok(self.back_off(id, now_ms, random, None, &error))
    }

    /// Puts dead letters back at the end of their keys' queues, their age counted from now:
    /// the ones in `ids`, or all when `None`. Returns how many.
    pub fn retry_dead(&mut self, ids: Option<&[u64]>, now_ms: u64) -> u64 {
        let chosen: Vec<u64> = match ids {
            Some(ids) => ids
                .iter()
                .copied()
                .filter(|id| self.dead.contains_key(id))
                .collect(),
            None => self.dead.keys().copied().collect(),
        };
        for &id in &chosen {
            self.append(&Record::Requeued { id, at_ms: now_ms });
            self.requeue(id, now_ms);
        }
        chosen.len() as u64
    }

    /// The dead letters, oldest id first.
    pub fn dead_letters(&self) -> Vec<DeadLetter> {
        self.dead.values().map(|(_, d)| d.clone()).collect()
    }

    /// A snapshot at `now_ms`.
    pub fn stats(&mut self, now_ms: u64) -> Stats {
        let mut keys = Vec::new();
        let mut oldest = 0;
        for (key_ref, queue) in &self.queues {
            let Some(&head) = queue.front() else { continue };
            let entry = &self.entries[&head];
            let window_ms = self.config.rate_window.as_millis() as u64;
            let pacer = self.pacers.entry(*key_ref).or_default();
            let ready = pacer
                .ready_at(now_ms, self.config.rate_limit, window_ms)
                .max(entry.not_before_ms);
            for id in queue {
                oldest = oldest.max(now_ms.saturating_sub(self.entries[id].queued_ms));
            }
            keys.push(KeyStats {
                key: self.keys[key_ref].fingerprint.clone(),
                queued: queue.len() as u64,
                in_flight: u64::from(entry.in_flight),
                sent_in_window: pacer.in_window(now_ms, window_ms) as u64,
                next_send_in_ms: if entry.in_flight {
                    0
                } else {
                    ready.saturating_sub(now_ms)
                },
                last_error: entry.last_error.clone(),
            });
        }
        Stats {
            queued: self.entries.len() as u64,
            in_flight: u64::from(self.in_flight),
            delivered: self.delivered,
            dead: self.dead.len() as u64,
            oldest_age_ms: oldest,
            rate_limit: self.config.rate_limit,
            rate_window_ms: self.config.rate_window.as_millis() as u64,
            keys,
        }
    }

    /// Forgets the sends out now, whose answers will never be reported (the binding dropped
    /// them: a flush that timed out, a close): they are sent again at the next poll. A late
    /// answer for one of them is refused as not out.
    pub fn abandon_in_flight(&mut self, now_ms: u64) {
        for entry in self.entries.values_mut().filter(|e| e.in_flight) {
            entry.in_flight = false;
            // It may have reached the server: it counts for pacing.
            self.pacers.entry(entry.key_ref).or_default().record(now_ms);
        }
        self.in_flight = 0;
    }

    fn window_ms(&self) -> u64 {
        self.config.rate_window.as_millis() as u64
    }

    /// Events not yet delivered or dead (in flight included).
    pub fn queued(&self) -> usize {
        self.entries.len()
    }

    /// Events out now.
    pub fn in_flight(&self) -> usize {
        self.in_flight as usize
    }

    /// Whether the journal is mostly delivered records: more than 4,096 records, over half of
    /// them no longer needed.
    pub fn should_compact(&self) -> bool {
        self.records > 4096 && self.live_records() * 2 < self.records
    }

    /// A new journal holding only what is still needed (keys in use, queued events in order,
    /// dead letters), and the count of delivered events. Write it to a new file, make it
    /// durable and rename it over the old journal before the next append; pending bytes are
    /// part of it (and dropped).
    pub fn compact(&mut self, now_ms: u64) -> Vec<u8> {
        let mut out = Vec::new();
        let mut records = 0u64;
        let mut put = |r: &Record, out: &mut Vec<u8>| {
            journal::encode(r, out);
            records += 1;
        };
        put(
            &Record::Header {
                created_ms: now_ms,
                delivered_before: self.delivered,
                next_id: self.next_id,
            },
            &mut out,
        );
        let used: std::collections::BTreeSet<u32> = self
            .entries
            .values()
            .chain(self.dead.values().map(|(e, _)| e))
            .map(|e| e.key_ref)
            .collect();
        for key_ref in used {
            let key = self.keys[&key_ref].key.expose().to_owned();
            put(&Record::Key { key_ref, key }, &mut out);
        }
        for (id, (entry, d)) in &self.dead {
            put(&enqueued(*id, entry), &mut out);
            put(
                &Record::Dead {
                    id: *id,
                    at_ms: d.dead_ms,
                    code: d.code.clone(),
                    reason: d.reason.clone(),
                    status: d.status,
                    errors: d.errors.clone(),
                    attempts: d.attempts,
                },
                &mut out,
            );
        }
        for queue in self.queues.values() {
            for id in queue {
                put(&enqueued(*id, &self.entries[id]), &mut out);
            }
        }
        self.records = records;
        self.pending.clear();
        out
    }

    fn live_records(&self) -> u64 {
        1 + self.keys.len() as u64 + self.entries.len() as u64 + 2 * self.dead.len() as u64
    }

    fn append(&mut self, record: &Record) {
        journal::encode(record, &mut self.pending);
        self.records += 1;
    }

    fn key_ref(&mut self, key: &IntegrationKey) -> u32 {
        if let Some(r) = self.key_refs.get(key.expose()) {
            return *r;
        }
        let key_ref = self.keys.keys().next_back().map_or(1, |r| r + 1);
        self.append(&Record::Key {
            key_ref,
            key: key.expose().to_owned(),
        });
        self.insert_key(key_ref, key.clone());
        key_ref
    }

    fn insert_key(&mut self, key_ref: u32, key: IntegrationKey) {
        self.key_refs.insert(key.expose().to_owned(), key_ref);
        self.keys.insert(
            key_ref,
            Key {
                fingerprint: fingerprint(key.expose()),
                key,
            },
        );
    }

    /// Applies one record to the state (replay, and new records alike).
    fn apply(&mut self, record: Record) -> Result<(), Error> {
        match record {
            Record::Header {
                delivered_before,
                next_id,
                ..
            } => {
                self.delivered = delivered_before;
                self.next_id = self.next_id.max(next_id);
            }
            Record::Key { key_ref, key } => {
                let key = IntegrationKey::new(&key).map_err(|e| {
                    Error::decoding(
                        None,
                        b"",
                        None,
                        format!("outbox journal: key {key_ref}: {e}"),
                    )
                })?;
                self.insert_key(key_ref, key);
            }
            Record::Enqueued {
                id,
                key_ref,
                kind,
                dedup_key,
                at_ms,
                event,
                origin,
            } => {
                if let Some(origin) = origin {
                    self.origins.insert(origin);
                }
                if !self.keys.contains_key(&key_ref) {
                    return Err(Error::decoding(
                        None,
                        b"",
                        None,
                        format!("outbox journal: event {id} names key {key_ref}, never recorded"),
                    ));
                }
                self.next_id = self.next_id.max(id + 1);
                self.entries.insert(
                    id,
                    Entry {
                        key_ref,
                        kind,
                        dedup_key,
                        queued_ms: at_ms,
                        event,
                        attempts: 0,
                        not_before_ms: 0,
                        in_flight: false,
                        last_error: None,
                    },
                );
                self.queues.entry(key_ref).or_default().push_back(id);
            }
            Record::Delivered { id, .. } => {
                if self.remove_queued(id).is_some() {
                    self.delivered += 1;
                }
            }
            Record::Dead {
                id,
                at_ms,
                code,
                reason,
                status,
                errors,
                attempts,
            } => {
                if let Some(entry) = self.remove_queued(id) {
                    let letter = DeadLetter {
                        id,
                        key: self.keys[&entry.key_ref].fingerprint.clone(),
                        kind: entry.kind,
                        dedup_key: entry.dedup_key.clone(),
                        enqueued_ms: entry.queued_ms,
                        dead_ms: at_ms,
                        code,
                        reason,
                        status,
                        errors,
                        attempts,
                        event: entry.event.clone(),
                    };
                    self.dead.insert(id, (entry, letter));
                }
            }
            Record::Requeued { id, at_ms } => self.requeue(id, at_ms),
            Record::Spooled { .. } => {
                return Err(Error::decoding(
                    None,
                    b"",
                    None,
                    "outbox journal: a spool record in the journal",
                ))
            }
        }
        Ok(())
    }

    fn requeue(&mut self, id: u64, now_ms: u64) {
        if let Some((mut entry, _)) = self.dead.remove(&id) {
            entry.queued_ms = now_ms;
            entry.attempts = 0;
            entry.not_before_ms = 0;
            entry.last_error = None;
            self.queues.entry(entry.key_ref).or_default().push_back(id);
            self.entries.insert(id, entry);
        }
    }

    fn remove_queued(&mut self, id: u64) -> Option<Entry> {
        let entry = self.entries.remove(&id)?;
        if entry.in_flight {
            self.in_flight -= 1;
        }
        if let Some(queue) = self.queues.get_mut(&entry.key_ref) {
            if let Some(at) = queue.iter().position(|&q| q == id) {
                queue.remove(at);
            }
            if queue.is_empty() {
                self.queues.remove(&entry.key_ref);
            }
        }
        Some(entry)
    }

    /// The id at the head of a key's queue, after expiring the too old.
    fn head(&mut self, key_ref: u32, now_ms: u64) -> Option<u64> {
        loop {
            let id = *self.queues.get(&key_ref)?.front()?;
            let entry = &self.entries[&id];
            let age = now_ms.saturating_sub(entry.queued_ms);
            if entry.in_flight || age < self.config.max_age.as_millis() as u64 {
                return Some(id);
            }
            let reason = format!(
                "not delivered within max_age ({} s){}",
                self.config.max_age.as_secs(),
                entry
                    .last_error
                    .as_deref()
                    .map(|e| format!("; the last attempt: {e}"))
                    .unwrap_or_default()
            );
            self.bury(id, now_ms, "expired".into(), reason, None, Vec::new());
        }
    }

    fn delivery(&self, id: u64) -> Result<Delivery, Error> {
        let entry = &self.entries[&id];
        let key = &self.keys[&entry.key_ref].key;
        let mut body = entry.event.clone();
        body.insert(
            entry.kind.key_field().to_owned(),
            Value::String(key.expose().to_owned()),
        );
        let op = self
            .events
            .rebuild(entry.kind, Value::Object(body), entry.dedup_key.clone())?;
        Ok(Delivery {
            id,
            request: op.request,
            attempt: entry.attempts + 1,
        })
    }

    /// Ends the in-flight state of `id`: its key (to scrub answers with) and API. The send
    /// counts for pacing as made now, when its answer came (the server saw it at or before
    /// this moment: a send stamped when it left could arrive late and be counted in the
    /// server's next window). One event per key is out at a time, so the pacer has every
    /// earlier send of the key when it is asked again.
    fn take_in_flight(
        &mut self,
        id: u64,
        now_ms: u64,
    ) -> Result<(String, crate::response_error::Api), Error> {
        let entry = self
            .entries
            .get_mut(&id)
            .filter(|e| e.in_flight)
            .ok_or_else(|| Error::invalid("id", format!("event {id} is not out")))?;
        entry.in_flight = false;
        self.in_flight -= 1;
        self.pacers.entry(entry.key_ref).or_default().record(now_ms);
        let api = match entry.kind {
            Kind::V1 => crate::response_error::Api::EventsV1,
            Kind::V2 | Kind::Change => crate::response_error::Api::EventsV2,
        };
        Ok((self.keys[&entry.key_ref].key.expose().to_owned(), api))
    }

    fn deliver(&mut self, id: u64, now_ms: u64) -> Outcome {
        self.append(&Record::Delivered { id, at_ms: now_ms });
        self.remove_queued(id);
        self.delivered += 1;
        Outcome::Delivered
    }

    fn back_off(
        &mut self,
        id: u64,
        now_ms: u64,
        random: u64,
        hinted: Option<Duration>,
        error: &Error,
    ) -> Outcome {
        let max_age = self.config.max_age.as_millis() as u64;
        let entry = self
            .entries
            .get_mut(&id)
            .expect("checked by take_in_flight");
        let after = hinted.unwrap_or_else(|| {
            let ceiling = self.config.retry.ceiling(entry.attempts);
            ceiling.mul_f64((random >> 11) as f64 / (1u64 << 53) as f64)
        });
        entry.last_error = Some(error.to_string());
        if now_ms.saturating_sub(entry.queued_ms) >= max_age {
            let reason = format!(
                "not delivered within max_age ({} s); the last attempt: {error}",
                max_age / 1000
            );
            return self.bury(
                id,
                now_ms,
                "expired".into(),
                reason,
                error.status(),
                errors(error),
            );
        }
        entry.not_before_ms = now_ms + after.as_millis() as u64;
        Outcome::Retry {
            after,
            error: error.to_string(),
        }
    }

    fn kill(&mut self, id: u64, now_ms: u64, error: &Error, code: &str) -> Outcome {
        self.bury(
            id,
            now_ms,
            code.to_owned(),
            error.to_string(),
            error.status(),
            errors(error),
        )
    }

    fn bury(
        &mut self,
        id: u64,
        now_ms: u64,
        code: String,
        reason: String,
        status: Option<u16>,
        errors: Vec<String>,
    ) -> Outcome {
        let attempts = self.entries.get(&id).map_or(0, |e| e.attempts);
        let record = Record::Dead {
            id,
            at_ms: now_ms,
            code,
            reason,
            status,
            errors,
            attempts,
        };
        self.append(&record);
        // Applying a Dead record for a queued id cannot fail.
        let _ = self.apply(record);
        Outcome::Dead(self.dead[&id].1.clone())
    }
}

fn errors(error: &Error) -> Vec<String> {
    error.api().map(|a| a.errors.clone()).unwrap_or_default()
}

fn enqueued(id: u64, entry: &Entry) -> Record {
    Record::Enqueued {
        id,
        key_ref: entry.key_ref,
        kind: entry.kind,
        dedup_key: entry.dedup_key.clone(),
        at_ms: entry.queued_ms,
        event: entry.event.clone(),
        origin: None,
    }
}

/// An event's endpoint, key and body without the key.
fn split(op: &EventOp) -> Result<(Kind, IntegrationKey, Map<String, Value>), Error> {
    let url = op.request.url.as_str();
    let kind = if url.ends_with("/v2/change/enqueue") {
        Kind::Change
    } else if url.ends_with("/create_event.json") {
        Kind::V1
    } else {
        Kind::V2
    };
    let body = op.request.body.as_deref().unwrap_or("");
    let mut event = crate::json_text::parse_object(body.as_bytes())
        .map_err(|e| Error::invalid("event", format!("is not a JSON object: {e}")))?;
    let key = match event.remove(kind.key_field()) {
        Some(Value::String(k)) => IntegrationKey::new(&k)?,
        _ => {
            return Err(Error::invalid(
                kind.key_field(),
                "is missing from the event",
            ))
        }
    };
    Ok((kind, key, event))
}

/// A spool file's bytes for `op`: how a process that does not own a journal hands an event
/// to the one that does. Write them to a temporary file, fsync, rename into the spool
/// directory (a unique name: it is the event's `origin`), fsync the directory; the owner
/// takes it in with [`Outbox::ingest`] and then removes the file.
pub fn spool(op: &EventOp, now_ms: u64) -> Result<Vec<u8>, Error> {
    let (kind, key, event) = split(op)?;
    let mut out = Vec::new();
    journal::encode(
        &Record::Spooled {
            key: key.expose().to_owned(),
            kind,
            dedup_key: op.dedup_key().map(str::to_owned),
            at_ms: now_ms,
            event,
        },
        &mut out,
    );
    Ok(out)
}

#[cfg(test)]
mod tests;
