//! A durable outbox in a directory: an event that [`Outbox::trigger`] (or any enqueue)
//! accepted reaches PagerDuty through crashes, restarts, outages and rate limits.
//!
//! The rules are the core's ([`pagerduty_core::outbox`]): order per routing key, pacing per
//! key, retries without a deadline until `max_age`, dead letters. This module keeps the bytes
//! and sends:
//!
//! - `DIR/journal` (mode 0600: it holds routing keys) is appended and `fsync`ed before an
//!   enqueue returns and before each send; a torn last record (a crash in the middle of an
//!   append) is cut off when the journal is opened.
//! - `DIR/flock` is `flock`ed by the one process that owns the journal (and names its pid;
//!   Node.js owners, which cannot flock, hold `DIR/lock` instead, and each side checks the
//!   other's): two processes never deliver the same journal. Another process hands events over with [`spool`]: a file in
//!   `DIR/incoming/`, durable when `spool` returns, taken in by the owner (once, even if the
//!   owner crashes between taking it in and removing it).
//! - Sending happens in [`Outbox::flush`] (on the calling thread, until the queue is empty or
//!   the timeout passes), or on a background thread ([`Outbox::start`]), or in
//!   [`Outbox::run`] (a long-running sender: `pagerduty queue run`). Killing the process at
//!   any point is safe: what was sent and not yet recorded is sent again, which PagerDuty
//!   treats as a duplicate while the alert is open.
//!
//! ```
//! # let mock = pagerduty_mock::BackgroundMock::start(pagerduty_mock::Config::default())?;
//! # let (url, routing_key) = (mock.url(), "pdmockintegrationkey000000000001");
//! # let dir = std::env::temp_dir().join(format!("pd-outbox-doc-{}", std::process::id()));
//! use std::time::Duration;
//! use pagerduty_client::outbox::Outbox;
//! use pagerduty_client::{Options, Severity, Trigger};
//!
//! let outbox = Outbox::open(&dir, &Options::new().region(&url))?;
//! let queued = outbox.trigger(routing_key, &Trigger::new("Disk full on db-1", "db-1", Severity::Critical))?;
//! // The event is on disk now; it is sent by flush, a background sender, or the next opener.
//! let stats = outbox.flush(Duration::from_secs(30))?;
//! assert_eq!((stats.queued, stats.delivered), (0, 1));
//! # assert!(queued.dedup_key.is_some());
//! # drop(outbox); std::fs::remove_dir_all(&dir).ok();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use pagerduty_core::credentials::IntegrationKey;
use pagerduty_core::events::{Action, ChangeEvent, EventOp, Events, Trigger, V1Event};
use pagerduty_core::outbox::{self as core, Config, Next};
use pagerduty_core::Error;

pub use pagerduty_core::outbox::{fingerprint, DeadLetter, KeyStats, Kind, Outcome, Stats};

use crate::options::Options;
use crate::transport::{random_bytes, Transport};

/// How the outbox paces, expires and syncs (set with [`Options::outbox`]; `{"outbox": {...}}`
/// in the options JSON every binding reads).
pub use pagerduty_core::outbox::Config as OutboxOptions;

/// An event on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    /// Its id in the journal.
    pub id: u64,
    /// Its dedup_key (v1: incident_key), fixed now: the caller's or a generated one; `None`
    /// for change events.
    pub dedup_key: Option<String>,
}

struct State {
    core: core::Outbox,
    journal: File,
    /// Set when a write or sync failed: the outbox must be reopened (the disk may be behind).
    failed: Option<String>,
}

struct Inner {
    dir: PathBuf,
    events: Events,
    transport: Transport,
    fsync: bool,
    state: Mutex<State>,
    /// Notified after every change of the queue (for flushers waiting on a sender thread).
    changed: Condvar,
    /// Wakes the sender (an enqueue, a close).
    wake: tokio::sync::Notify,
    /// The runtime the sends run on; held by whoever drives (one at a time).
    driver: Mutex<tokio::runtime::Runtime>,
    closed: AtomicBool,
    sender: Mutex<Option<JoinHandle<()>>>,
    _lock: File,
}

/// A durable queue of events in a directory (see the module docs). Cheap to clone; clones
/// share the journal. Closed when the last clone is dropped or [`Outbox::close`] is called.
#[derive(Clone)]
pub struct Outbox {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox")
            .field("dir", &self.inner.dir)
            .finish_non_exhaustive()
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::Transport(format!("outbox: {what} {}: {e}", path.display()))
}

fn private_file(path: &Path, append: bool) -> std::io::Result<File> {
    let mut o = OpenOptions::new();
    o.read(true).create(true);
    if append {
        o.append(true);
    } else {
        o.write(true).truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        o.mode(0o600);
        let file = o.open(path)?;
        // A journal made wider by hand (or by an old umask) is narrowed: it holds keys.
        if file.metadata()?.permissions().mode() & 0o077 != 0 {
            file.set_permissions(fs::Permissions::from_mode(0o600))?;
        }
        Ok(file)
    }
    #[cfg(not(unix))]
    o.open(path)
}

fn private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    fs::create_dir_all(dir)
}

/// This host's name, for the owner files (a pid means nothing on another host).
fn host() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_owned())
        .unwrap_or_default()
}

fn pid_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// The pid and host an owner file names, if it names a live process on this host.
fn live_owner(path: &Path) -> Option<u32> {
    let text = fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    let pid: u32 = lines.next()?.trim().parse().ok()?;
    let host_line = lines.next().unwrap_or("").trim();
    (host_line == host() && pid != std::process::id() && pid_alive(pid)).then_some(pid)
}

/// Takes the directory: `flock` on `DIR/flock` (native owners), then the pid in it, then a
/// check that no Node process (which cannot flock) holds `DIR/lock`. Each side writes its
/// mark before it looks for the other's, so two openers racing may both refuse, never both
/// own.
fn own(dir: &Path) -> Result<File, Error> {
    let path = dir.join("flock");
    let mut lock = private_file(&path, true).map_err(|e| io_error("cannot open", &path, e))?;
    let refused = |who: String| {
        Error::invalid(
            "dir",
            format!(
                "{} is owned by another process ({who}): spool events to it instead",
                dir.display()
            ),
        )
    };
    match lock.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            let who = live_owner(&path).map_or("its lock is held".into(), |p| format!("pid {p}"));
            return Err(refused(who));
        }
        Err(fs::TryLockError::Error(e)) => return Err(io_error("cannot lock", &path, e)),
    }
    lock.set_len(0)
        .and_then(|()| write!(lock, "{}\n{}\nnative\n", std::process::id(), host()))
        .and_then(|()| lock.sync_data())
        .map_err(|e| io_error("cannot write", &path, e))?;
    if let Some(pid) = live_owner(&dir.join("lock")) {
        let _ = lock.set_len(0);
        return Err(refused(format!("a Node.js outbox, pid {pid}")));
    }
    Ok(lock)
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

impl Outbox {
    /// Opens (or creates) the outbox in `dir`, owning it: the journal is read and repaired
    /// (a torn last record cut off), events spooled by other processes are taken in, and
    /// nothing is sent until [`Outbox::flush`], [`Outbox::start`] or [`Outbox::run`].
    /// `options` gives the events endpoint (region or base URL), timeout, CA, `User-Agent`
    /// and the outbox's settings ([`Options::outbox`]); of its retry policy only the delays
    /// are used (the outbox retries until `max_age`, not a deadline).
    ///
    /// Fails with `invalid_input` (field `dir`) when another process owns the directory; hand
    /// events to that process with [`spool`] instead.
    pub fn open(dir: impl AsRef<Path>, options: &Options) -> Result<Outbox, Error> {
        let dir = dir.as_ref().to_path_buf();
        private_dir(&dir.join("incoming")).map_err(|e| io_error("cannot create", &dir, e))?;
        let lock = own(&dir)?;
        let events = options.events()?;
        let transport = Transport::new(&options.settings()?)?;
        let path = dir.join("journal");
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(io_error("cannot read", &path, e)),
        };
        let config = Config {
            retry: options.core().retry.clone(),
            ..options.core().outbox.clone()
        };
        let fsync = config.fsync;
        let (core, recovered) = core::Outbox::open(events.clone(), config, &bytes, now_ms())?;
        let journal = private_file(&path, true).map_err(|e| io_error("cannot open", &path, e))?;
        if recovered.valid_len < bytes.len() as u64 {
            journal
                .set_len(recovered.valid_len)
                .map_err(|e| io_error("cannot repair", &path, e))?;
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Transport(format!("cannot start the I/O runtime: {e}")))?;
        let inner = Arc::new(Inner {
            dir,
            events,
            transport,
            fsync,
            state: Mutex::new(State {
                core,
                journal,
                failed: None,
            }),
            changed: Condvar::new(),
            wake: tokio::sync::Notify::new(),
            driver: Mutex::new(runtime),
            closed: AtomicBool::new(false),
            sender: Mutex::new(None),
            _lock: lock,
        });
        {
            let mut state = inner.lock();
            inner.sync(&mut state)?;
            if bytes.is_empty() {
                sync_dir(&inner.dir).map_err(|e| io_error("cannot sync", &inner.dir, e))?;
            }
        }
        inner.ingest()?;
        Ok(Outbox { inner })
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.inner.dir
    }

    /// The core's events builder this outbox was opened with (for events built from specs;
    /// whatever host it names, events go to this outbox's endpoint).
    pub fn builder(&self) -> &Events {
        &self.inner.events
    }

    /// Queues a trigger for `routing_key`. Its dedup_key is fixed now (the trigger's, or a
    /// generated one) so that a resend never opens a second alert.
    pub fn trigger(&self, routing_key: &str, trigger: &Trigger) -> Result<Queued, Error> {
        let key = IntegrationKey::new(routing_key)?;
        let op = self.inner.events.trigger(&key, trigger, random_bytes()?)?;
        self.enqueue(&op)
    }

    /// Queues an acknowledge of the alert with `dedup_key`.
    pub fn acknowledge(&self, routing_key: &str, dedup_key: &str) -> Result<Queued, Error> {
        self.follow_up(routing_key, Action::Acknowledge, dedup_key)
    }

    /// Queues a resolve of the alert with `dedup_key`.
    pub fn resolve(&self, routing_key: &str, dedup_key: &str) -> Result<Queued, Error> {
        self.follow_up(routing_key, Action::Resolve, dedup_key)
    }

    fn follow_up(&self, routing_key: &str, action: Action, dedup: &str) -> Result<Queued, Error> {
        let key = IntegrationKey::new(routing_key)?;
        let op = self.inner.events.follow_up(&key, action, dedup)?;
        self.enqueue(&op)
    }

    /// Queues a change event.
    pub fn change(&self, routing_key: &str, change: &ChangeEvent) -> Result<Queued, Error> {
        let key = IntegrationKey::new(routing_key)?;
        let op = self.inner.events.change(&key, change)?;
        self.enqueue(&op)
    }

    /// Queues a legacy Events API v1 event.
    pub fn v1(&self, routing_key: &str, action: Action, event: &V1Event) -> Result<Queued, Error> {
        let key = IntegrationKey::new(routing_key)?;
        let op = self.inner.events.v1(&key, action, event, random_bytes()?)?;
        self.enqueue(&op)
    }

    /// Queues an event built with the core (its key, body and dedup_key are kept; it is sent
    /// to this outbox's events endpoint). Returns once the event is on disk (fsync).
    pub fn enqueue(&self, op: &EventOp) -> Result<Queued, Error> {
        let mut state = self.inner.lock();
        self.inner.check(&state)?;
        let id = state.core.enqueue(op, now_ms())?;
        self.inner.sync(&mut state)?;
        drop(state);
        self.inner.wake.notify_one();
        Ok(Queued {
            id,
            dedup_key: op.dedup_key().map(str::to_owned),
        })
    }

    /// Sends until nothing is queued or `timeout` passes (a paced or failing queue may not
    /// empty); the stats at the end. With a sender running ([`Outbox::start`]) it waits for
    /// that sender instead.
    pub fn flush(&self, timeout: Duration) -> Result<Stats, Error> {
        let deadline = Instant::now() + timeout;
        match self.inner.driver.try_lock() {
            Ok(runtime) => {
                let inner = self.inner.clone();
                runtime.block_on(drive(&inner, Some(deadline)))?;
            }
            Err(_) => {
                let mut state = self.inner.lock();
                while state.core.queued() > 0 && state.failed.is_none() {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() || self.inner.closed.load(Ordering::SeqCst) {
                        break;
                    }
                    state = self
                        .inner
                        .changed
                        .wait_timeout(state, left.min(Duration::from_millis(250)))
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
            }
        }
        self.stats()
    }

    /// Sends on the calling thread until [`Outbox::close`] (from another thread) or an error
    /// writing the journal: a long-running sender (`pagerduty queue run`). Killing the
    /// process instead is safe.
    pub fn run(&self) -> Result<(), Error> {
        let runtime = self.inner.driver.lock().unwrap_or_else(|e| e.into_inner());
        let inner = self.inner.clone();
        runtime.block_on(drive(&inner, None))
    }

    /// Starts a background thread that sends as events come (idempotent); it stops at
    /// [`Outbox::close`].
    pub fn start(&self) -> Result<(), Error> {
        self.inner.check(&self.inner.lock())?;
        let mut sender = self.inner.sender.lock().unwrap_or_else(|e| e.into_inner());
        if sender.is_some() {
            return Ok(());
        }
        let weak = Arc::downgrade(&self.inner);
        let handle = std::thread::Builder::new()
            .name("pagerduty-outbox".into())
            .spawn(move || {
                let Some(inner) = weak.upgrade() else { return };
                let runtime = inner.driver.lock().unwrap_or_else(|e| e.into_inner());
                // An error here is a journal write failure: `failed` keeps it for the stats.
                let _ = runtime.block_on(drive(&inner, None));
            })
            .map_err(|e| Error::Transport(format!("cannot start the sender thread: {e}")))?;
        *sender = Some(handle);
        Ok(())
    }

    /// Stops the sender (sends in flight are dropped: they are sent again by the next
    /// opener) and makes every later call fail with `cancelled`. The directory stays owned
    /// until the last clone is dropped.
    pub fn close(&self) {
        self.inner.closed.store(true, Ordering::SeqCst);
        self.inner.wake.notify_one();
        self.inner.changed.notify_all();
        let handle = self
            .inner
            .sender
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(h) = handle {
            if h.thread().id() != std::thread::current().id() {
                let _ = h.join();
            }
        }
    }

    /// A snapshot: queued, in flight, delivered, dead, oldest age, and per key (by
    /// fingerprint) the backlog, pacing and last error.
    pub fn stats(&self) -> Result<Stats, Error> {
        let mut state = self.inner.lock();
        self.inner.check(&state)?;
        Ok(state.core.stats(now_ms()))
    }

    /// The dead letters, with PagerDuty's reasons.
    pub fn dead_letters(&self) -> Result<Vec<DeadLetter>, Error> {
        let state = self.inner.lock();
        self.inner.check(&state)?;
        Ok(state.core.dead_letters())
    }

    /// Puts dead letters back at the end of their keys' queues (those in `ids`, or all);
    /// how many.
    pub fn retry_dead(&self, ids: Option<&[u64]>) -> Result<u64, Error> {
        let mut state = self.inner.lock();
        self.inner.check(&state)?;
        let n = state.core.retry_dead(ids, now_ms());
        self.inner.sync(&mut state)?;
        drop(state);
        self.inner.wake.notify_one();
        Ok(n)
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.closed.store(true, Ordering::SeqCst);
        // No longer the owner (the flock goes with the file).
        let _ = self._lock.set_len(0);
    }
}

impl Drop for Outbox {
    fn drop(&mut self) {
        // The sender thread holds only a weak reference while it waits to start; once
        // running it holds a strong one, so the last user's drop must stop it.
        if Arc::strong_count(&self.inner) <= 2
            && self
                .inner
                .sender
                .lock()
                .map(|s| s.is_some())
                .unwrap_or(false)
        {
            self.close();
        }
    }
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn check(&self, state: &State) -> Result<(), Error> {
        if let Some(f) = &state.failed {
            return Err(Error::Transport(format!(
                "outbox: {f}; reopen the outbox (the journal is intact up to the failed write)"
            )));
        }
        if self.closed.load(Ordering::SeqCst) {
            return Err(Error::Cancelled("the outbox was closed".into()));
        }
        Ok(())
    }

    /// Appends what the core has pending and makes it durable; compacts when the core says.
    fn sync(&self, state: &mut State) -> Result<(), Error> {
        let path = self.dir.join("journal");
        let bytes = state.core.take_pending();
        if !bytes.is_empty() {
            let before = state.journal.metadata().map(|m| m.len()).ok();
            let written = state.journal.write_all(&bytes).and_then(|()| {
                if self.fsync {
                    state.journal.sync_data()
                } else {
                    Ok(())
                }
            });
            if let Err(e) = written {
                // Never leave half a record for the next append to bury in the middle.
                if let Some(len) = before {
                    let _ = state.journal.set_len(len);
                }
                let e = io_error("cannot write", &path, e);
                state.failed = Some(e.to_string());
                return Err(e);
            }
        }
        if state.core.should_compact() {
            let image = state.core.compact(now_ms());
            let tmp = self.dir.join("journal.tmp");
            let result = (|| -> std::io::Result<File> {
                let mut f = private_file(&tmp, false)?;
                f.write_all(&image)?;
                f.sync_all()?;
                fs::rename(&tmp, &path)?;
                sync_dir(&self.dir)?;
                private_file(&path, true)
            })();
            match result {
                Ok(f) => state.journal = f,
                Err(e) => {
                    // The old journal is whole, but the core's counts are the compacted
                    // image's: stop here, a reopen replays the old journal.
                    let e = io_error("cannot compact", &path, e);
                    state.failed = Some(e.to_string());
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// Takes in the spool files in `DIR/incoming` (oldest name first).
    fn ingest(&self) -> Result<(), Error> {
        let incoming = self.dir.join("incoming");
        let mut names: Vec<String> = match fs::read_dir(&incoming) {
            Ok(rd) => rd
                .filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.ends_with(".spool"))
                .collect(),
            Err(_) => return Ok(()),
        };
        if names.is_empty() {
            return Ok(());
        }
        names.sort();
        let mut taken = Vec::new();
        {
            let mut state = self.lock();
            self.check(&state)?;
            for name in names {
                let path = incoming.join(&name);
                let Ok(bytes) = fs::read(&path) else { continue };
                match state.core.ingest(&bytes, &name) {
                    Ok(_) => taken.push(path),
                    Err(e) => {
                        // Not an event (a stray or damaged file): set aside, never lost silently.
                        let _ = fs::rename(&path, path.with_extension("bad"));
                        tracing::warn!(file = %name, error = %e, "outbox: a spool file was set aside");
                    }
                }
            }
            self.sync(&mut state)?;
        }
        for path in &taken {
            let _ = fs::remove_file(path);
        }
        if !taken.is_empty() {
            let _ = sync_dir(&incoming);
            self.wake.notify_one();
        }
        Ok(())
    }
}

/// The send loop: until the queue is empty or `deadline` passes (flush), or until closed.
/// Sends still out when it ends are dropped, and sent again by the next drive.
async fn drive(inner: &Arc<Inner>, deadline: Option<Instant>) -> Result<(), Error> {
    let result = drive_until(inner, deadline).await;
    inner.lock().core.abandon_in_flight(now_ms());
    result
}

async fn drive_until(inner: &Arc<Inner>, deadline: Option<Instant>) -> Result<(), Error> {
    let mut out: tokio::task::JoinSet<(
        u64,
        Result<pagerduty_core::http::Response, pagerduty_core::retry::TransportError>,
    )> = tokio::task::JoinSet::new();
    let limit = inner.transport.settings().max_response_bytes;
    let mut last_ingest = Instant::now();
    loop {
        if inner.closed.load(Ordering::SeqCst) {
            return Ok(());
        }
        if last_ingest.elapsed() >= Duration::from_millis(250) {
            inner.ingest()?;
            last_ingest = Instant::now();
        }
        let mut wait = Duration::from_millis(250);
        {
            let mut state = inner.lock();
            inner.check(&state)?;
            loop {
                match state.core.poll(now_ms()) {
                    Next::Send(d) => {
                        // Durable before it leaves (a dead letter expired by poll, too).
                        inner.sync(&mut state)?;
                        let client = inner.transport.client.clone();
                        out.spawn(async move {
                            let r = crate::transport::attempt(&client, &d.request, limit).await;
                            (d.id, r)
                        });
                    }
                    Next::Wait(w) => {
                        wait = wait.min(w.max(Duration::from_millis(1)));
                        break;
                    }
                    Next::Idle => break,
                }
            }
            inner.sync(&mut state)?;
            if deadline.is_some() && state.core.queued() == 0 && out.is_empty() {
                return Ok(());
            }
        }
        if let Some(d) = deadline {
            let left = d.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(());
            }
            wait = wait.min(left);
        }
        tokio::select! {
            Some(done) = out.join_next(), if !out.is_empty() => {
                let Ok((id, result)) = done else { continue };
                let mut state = inner.lock();
                let random = u64::from_le_bytes(random_bytes()?[..8].try_into().unwrap_or([1; 8]));
                let outcome = match result {
                    Ok(response) => state.core.handle_response(id, response, now_ms(), random),
                    Err(e) => state.core.handle_transport_error(id, e, now_ms(), random),
                };
                if let Ok(Outcome::Dead(d)) = &outcome {
                    tracing::warn!(id = d.id, code = %d.code, key = %d.key, "outbox: an event is a dead letter");
                }
                inner.sync(&mut state)?;
                drop(state);
                inner.changed.notify_all();
            }
            _ = tokio::time::sleep(wait) => {}
            _ = inner.wake.notified() => {}
        }
    }
}

/// Hands an event to the process that owns `dir` (or to whoever opens it next), without
/// owning it: a file in `DIR/incoming/`, durable (fsync, rename, fsync of the directory)
/// when this returns. Returns the event's dedup_key.
pub fn spool(dir: impl AsRef<Path>, op: &EventOp) -> Result<Option<String>, Error> {
    let incoming = dir.as_ref().join("incoming");
    private_dir(&incoming).map_err(|e| io_error("cannot create", &incoming, e))?;
    let bytes = core::spool(op, now_ms())?;
    let r = random_bytes()?;
    let name = format!(
        "{:016}-{}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
        now_ms(),
        std::process::id(),
        r[0],
        r[1],
        r[2],
        r[3],
        r[4],
        r[5]
    );
    let tmp = incoming.join(format!(".{name}.tmp"));
    let path = incoming.join(format!("{name}.spool"));
    (|| -> std::io::Result<()> {
        let mut f = private_file(&tmp, false)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, &path)?;
        sync_dir(&incoming)
    })()
    .map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_error("cannot spool to", &incoming, e)
    })?;
    Ok(op.dedup_key().map(str::to_owned))
}

/// Reads an outbox without owning it (its owner may be running): the stats, the dead
/// letters, and the spool files waiting in `DIR/incoming`. A journal being appended to may
/// show a torn last record; it is ignored here.
pub fn inspect(dir: impl AsRef<Path>) -> Result<(Stats, Vec<DeadLetter>, usize), Error> {
    let dir = dir.as_ref();
    let path = dir.join("journal");
    let bytes = match fs::read(&path) {
        Ok(b) => b,
        // Nothing taken in yet (events may be spooled).
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && dir.is_dir() => Vec::new(),
        Err(e) => return Err(io_error("cannot read", &path, e)),
    };
    let (mut core, _) = core::Outbox::open(Events::default(), Config::default(), &bytes, now_ms())?;
    let spooled = fs::read_dir(dir.join("incoming"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().ends_with(".spool"))
                .count()
        })
        .unwrap_or(0);
    Ok((core.stats(now_ms()), core.dead_letters(), spooled))
}
