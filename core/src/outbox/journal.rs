//! The outbox's journal: an append-only sequence of framed, checksummed, versioned records.
//!
//! A frame is `len: u32 LE`, `crc: u32 LE` (CRC-32C of the payload), then `len` payload bytes:
//! a format version byte ([`FORMAT`]) and one JSON [`Record`]. The first record of a journal is
//! a [`Record::Header`]. Records are only ever appended; a compaction writes a new journal.
//!
//! Recovery ([`read`]): records are read until the first frame that is not whole and valid. If
//! no valid frame starts anywhere after it, what follows is a torn write (a crash in the middle
//! of an append, or a zero-filled tail after a power loss) and is cut off; an earlier record is
//! never lost. If a valid frame does follow, the journal was damaged in the middle: that is an
//! error, never a silent loss of the events after it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::Error;

/// The format version byte every record starts with.
pub const FORMAT: u8 = 1;
/// Bytes before a record's payload.
pub const FRAME_HEADER: usize = 8;
/// The largest payload accepted (an event body is at most 512 KB).
pub const MAX_PAYLOAD: usize = 2 * 1024 * 1024;

/// Which events endpoint an event goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Events API v2 (`/v2/enqueue`): trigger, acknowledge, resolve.
    V2,
    /// Change events (`/v2/change/enqueue`).
    Change,
    /// Events API v1 (`/generic/2010-04-15/create_event.json`).
    V1,
}

impl Kind {
    /// The body field that carries the key.
    pub fn key_field(self) -> &'static str {
        match self {
            Kind::V1 => "service_key",
            Kind::V2 | Kind::Change => "routing_key",
        }
    }
}

/// One journal record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Record {
    /// The first record: what the journal is, and what compactions have counted.
    Header {
        /// When the journal (or the compaction that wrote it) began, Unix ms.
        created_ms: u64,
        /// Events delivered in records that a compaction dropped.
        #[serde(default)]
        delivered_before: u64,
        /// The next event id (ids stay unique across compactions).
        #[serde(default)]
        next_id: u64,
    },
    /// A routing key, written once; events refer to it by `key_ref`.
    Key {
        /// The number events use.
        key_ref: u32,
        /// The integration key itself (the journal's file mode keeps it private).
        key: String,
    },
    /// An event accepted by `enqueue`.
    Enqueued {
        /// The event's id, unique in the journal.
        id: u64,
        /// The routing key's [`Record::Key`].
        key_ref: u32,
        /// The endpoint.
        kind: Kind,
        /// The dedup_key (v1: incident_key), fixed at enqueue; none for change events.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dedup_key: Option<String>,
        /// When `enqueue` accepted it, Unix ms.
        at_ms: u64,
        /// The request body without its key.
        event: Map<String, Value>,
        /// The spool file it was taken from (see [`Record::Spooled`]), so that a file taken
        /// in just before a crash is not taken twice.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        origin: Option<String>,
    },
    /// The one record of a spool file: an event handed over by a process that does not own
    /// the journal (it is taken into the journal by the owner, as [`Record::Enqueued`]).
    Spooled {
        /// The integration key.
        key: String,
        /// The endpoint.
        kind: Kind,
        /// The dedup_key, fixed now.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dedup_key: Option<String>,
        /// When it was spooled, Unix ms (its age counts from then).
        at_ms: u64,
        /// The request body without its key.
        event: Map<String, Value>,
    },
    /// PagerDuty accepted the event.
    Delivered {
        /// The event.
        id: u64,
        /// When, Unix ms.
        at_ms: u64,
    },
    /// The event will not be sent again (unless retried by hand).
    Dead {
        /// The event.
        id: u64,
        /// When, Unix ms.
        at_ms: u64,
        /// The error's stable code (`invalid_event`, `expired`, …).
        code: String,
        /// Why, in words (PagerDuty's message and errors when it answered).
        reason: String,
        /// The HTTP status, when PagerDuty (or something) answered.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<u16>,
        /// PagerDuty's `errors[]`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        errors: Vec<String>,
        /// Attempts made.
        attempts: u32,
    },
    /// A dead event put back at the end of its key's queue, its age counted from now.
    Requeued {
        /// The event.
        id: u64,
        /// When, Unix ms.
        at_ms: u64,
    },
}

/// Appends `record`'s frame to `out`.
pub fn encode(record: &Record, out: &mut Vec<u8>) {
    let mut payload = Vec::with_capacity(128);
    payload.push(FORMAT);
    // A Record holds only strings, numbers and JSON values: serializing cannot fail.
    serde_json::to_writer(&mut payload, record).unwrap_or_default();
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc32c(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
}

/// What [`read`] found.
#[derive(Debug, Default)]
pub struct Replay {
    /// The records, in order.
    pub records: Vec<Record>,
    /// Bytes of whole, valid records: the journal should be cut to this length.
    pub valid_len: usize,
    /// Bytes after them that were a torn write (0 when the journal ended cleanly).
    pub torn_bytes: usize,
}

/// Reads a journal's bytes (see the module docs for what is recovered and what is an error).
pub fn read(bytes: &[u8]) -> Result<Replay, Error> {
    let mut replay = Replay::default();
    let mut at = 0;
    while at < bytes.len() {
        let Some(payload) = frame_at(bytes, at) else {
            if let Some(next) = (at + 1..bytes.len()).find(|&p| frame_at(bytes, p).is_some()) {
                return Err(corrupt(at, format!("a damaged record, with valid ones after it (at byte {next}): the journal was changed by something other than an append")));
            }
            replay.torn_bytes = bytes.len() - at;
            break;
        };
        if payload[0] != FORMAT {
            return Err(corrupt(
                at,
                format!(
                    "record format {} (this version reads format {FORMAT}): written by a newer version?",
                    payload[0]
                ),
            ));
        }
        let record: Record = serde_json::from_slice(&payload[1..])
            .map_err(|e| corrupt(at, format!("an unreadable record: {e}")))?;
        if replay.records.is_empty() && !matches!(record, Record::Header { .. }) {
            return Err(corrupt(
                at,
                "not an outbox journal (no header record)".into(),
            ));
        }
        replay.records.push(record);
        at += FRAME_HEADER + payload.len();
        replay.valid_len = at;
    }
    Ok(replay)
}

/// The one record of a spool file, which must be whole.
pub fn read_spool(bytes: &[u8]) -> Result<Record, Error> {
    let payload = frame_at(bytes, 0)
        .filter(|p| FRAME_HEADER + p.len() == bytes.len() && p[0] == FORMAT)
        .ok_or_else(|| corrupt(0, "a spool file that is not one whole record".into()))?;
    serde_json::from_slice(&payload[1..])
        .map_err(|e| corrupt(0, format!("an unreadable spool record: {e}")))
}

/// The payload of a whole frame with a matching checksum at `at`.
fn frame_at(bytes: &[u8], at: usize) -> Option<&[u8]> {
    let header = bytes.get(at..at + FRAME_HEADER)?;
    let len = u32::from_le_bytes(header[0..4].try_into().ok()?) as usize;
    let crc = u32::from_le_bytes(header[4..8].try_into().ok()?);
    if len == 0 || len > MAX_PAYLOAD {
        return None;
    }
    let payload = bytes.get(at + FRAME_HEADER..at + FRAME_HEADER + len)?;
    (crc32c(payload) == crc).then_some(payload)
}

fn corrupt(at: usize, why: String) -> Error {
    Error::decoding(None, b"", None, format!("outbox journal, byte {at}: {why}"))
}

/// CRC-32C (Castagnoli), the checksum of ext4, iSCSI and SCTP.
pub fn crc32c(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0x82F6_3B78 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };
    let mut crc = !0u32;
    for &b in data {
        crc = TABLE[((crc ^ b as u32) & 0xff) as usize] ^ (crc >> 8);
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Record> {
        vec![
            Record::Header {
                created_ms: 1,
                delivered_before: 0,
                next_id: 1,
            },
            Record::Key {
                key_ref: 1,
                key: "R0123456789ABCDEF0123456789ABCDE".into(),
            },
            Record::Enqueued {
                id: 1,
                key_ref: 1,
                kind: Kind::V2,
                dedup_key: Some("k-1".into()),
                at_ms: 5,
                event: serde_json::from_str(
                    r#"{"event_action":"trigger","payload":{"summary":"ü ✓"}}"#,
                )
                .unwrap(),
                origin: None,
            },
            Record::Delivered { id: 1, at_ms: 9 },
            Record::Dead {
                id: 2,
                at_ms: 9,
                code: "invalid_event".into(),
                reason: "bad".into(),
                status: Some(400),
                errors: vec!["x".into()],
                attempts: 1,
            },
            Record::Requeued { id: 2, at_ms: 10 },
        ]
    }

    fn journal(records: &[Record]) -> Vec<u8> {
        let mut out = Vec::new();
        records.iter().for_each(|r| encode(r, &mut out));
        out
    }

    #[test]
    fn crc32c_matches_the_standard_check_value() {
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
    }

    #[test]
    fn records_round_trip() {
        let bytes = journal(&sample());
        let replay = read(&bytes).unwrap();
        assert_eq!(replay.records, sample());
        assert_eq!(replay.valid_len, bytes.len());
        assert_eq!(replay.torn_bytes, 0);
    }

    #[test]
    fn a_journal_cut_at_every_byte_of_its_last_record_keeps_every_earlier_record() {
        let records = sample();
        let whole = journal(&records);
        let before = journal(&records[..records.len() - 1]);
        for cut in before.len()..whole.len() {
            let replay = read(&whole[..cut]).unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
            assert_eq!(replay.records, records[..records.len() - 1], "cut at {cut}");
            assert_eq!(replay.valid_len, before.len());
            assert_eq!(replay.torn_bytes, cut - before.len());
        }
    }

    #[test]
    fn a_zero_filled_or_garbage_tail_is_a_torn_write() {
        let records = sample();
        let mut bytes = journal(&records);
        let len = bytes.len();
        bytes.extend_from_slice(&[0u8; 4096]);
        let replay = read(&bytes).unwrap();
        assert_eq!(replay.records.len(), records.len());
        assert_eq!(replay.valid_len, len);
        // The last record's checksum bytes flipped: torn, the others kept.
        let mut bytes = journal(&records);
        let last = journal(&records[..records.len() - 1]).len();
        bytes[last + 5] ^= 0xff;
        let replay = read(&bytes).unwrap();
        assert_eq!(replay.records.len(), records.len() - 1);
    }

    #[test]
    fn damage_in_the_middle_is_an_error_not_a_silent_loss() {
        let records = sample();
        let mut bytes = journal(&records);
        let second = journal(&records[..2]).len();
        bytes[second + 12] ^= 0x01;
        let e = read(&bytes).unwrap_err();
        assert!(e.to_string().contains("damaged record"), "{e}");
    }

    #[test]
    fn refuses_files_that_are_not_journals_and_newer_formats() {
        let mut bytes = Vec::new();
        encode(&Record::Delivered { id: 1, at_ms: 1 }, &mut bytes);
        assert!(read(&bytes).unwrap_err().to_string().contains("no header"));
        let mut payload = vec![2u8];
        payload.extend_from_slice(br#"{"t":"header","created_ms":1}"#);
        let mut bytes = (payload.len() as u32).to_le_bytes().to_vec();
        bytes.extend_from_slice(&crc32c(&payload).to_le_bytes());
        bytes.extend_from_slice(&payload);
        assert!(read(&bytes)
            .unwrap_err()
            .to_string()
            .contains("newer version"));
        assert_eq!(read(b"").unwrap().records.len(), 0);
    }
}
