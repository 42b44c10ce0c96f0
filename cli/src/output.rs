//! What goes to stdout (tables for people, JSON for scripts) and the progress bar on stderr.

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressStyle};
use pagerduty_client::{Error, Page};

/// How lists are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns with a header.
    Table,
    /// One JSON array.
    Json,
    /// One JSON object per line.
    Ndjson,
}

/// A write to stdout that failed; a closed pipe (`| head`) ends the program quietly.
pub fn write_failed(e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    Error::Transport(format!("cannot write the output: {e}"))
}

/// Prints one line.
pub fn line(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").map_err(write_failed)
}

/// Prints a JSON value on one line.
pub fn json(v: &serde_json::Value) -> Result<(), Error> {
    line(&v.to_string())
}

/// Prints a JSON value indented, for people.
pub fn pretty(v: &serde_json::Value) -> Result<(), Error> {
    line(&serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string()))
}

/// A table of rows under a header, columns as wide as their widest cell (the last one is not
/// padded).
pub fn table(header: &[&str], rows: &[Vec<String>]) -> Result<(), Error> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut print = |cells: &mut dyn Iterator<Item = &str>| -> std::io::Result<()> {
        let cells: Vec<&str> = cells.collect();
        let last = cells.len().saturating_sub(1);
        for (i, cell) in cells.iter().enumerate() {
            if i == last {
                writeln!(out, "{cell}")?;
            } else {
                write!(out, "{cell:<w$}  ", w = widths[i])?;
            }
        }
        Ok(())
    };
    print(&mut header.iter().copied()).map_err(write_failed)?;
    for row in rows {
        print(&mut row.iter().map(String::as_str)).map_err(write_failed)?;
    }
    out.flush().map_err(write_failed)
}

/// Items printed as they arrive, as a JSON array or one per line. Each item is the JSON text
/// PagerDuty sent (no decode and re-encode), compacted only when it spans lines.
pub struct JsonList {
    out: std::io::BufWriter<std::io::StdoutLock<'static>>,
    ndjson: bool,
    count: u64,
}

impl JsonList {
    /// Starts the list (`[` for an array).
    pub fn start(ndjson: bool) -> Result<JsonList, Error> {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        if !ndjson {
            out.write_all(b"[").map_err(write_failed)?;
        }
        Ok(JsonList {
            out,
            ndjson,
            count: 0,
        })
    }

    /// One item's JSON text.
    pub fn item(&mut self, text: &str) -> Result<(), Error> {
        let compact;
        let text = if text.contains('\n') {
            compact = serde_json::from_str::<serde_json::Value>(text)
                .map(|v| v.to_string())
                .unwrap_or_else(|_| text.replace('\n', " "));
            compact.as_str()
        } else {
            text
        };
        let w = &mut self.out;
        let r = if self.ndjson {
            writeln!(w, "{text}")
        } else if self.count == 0 {
            w.write_all(text.as_bytes())
        } else {
            w.write_all(b",").and_then(|_| w.write_all(text.as_bytes()))
        };
        self.count += 1;
        r.map_err(write_failed)
    }

    /// Ends the list (`]`), also after an error, so that what was printed stays valid JSON.
    pub fn finish(mut self) -> Result<(), Error> {
        if !self.ndjson {
            self.out.write_all(b"]\n").map_err(write_failed)?;
        }
        self.out.flush().map_err(write_failed)
    }
}

/// The progress of a walk through a list, on stderr, drawn only when stderr is a terminal and
/// only once the walk proves long (a second page follows).
pub struct Progress {
    bar: Option<ProgressBar>,
    done: u64,
    what: &'static str,
}

impl Progress {
    /// Whether a bar can be drawn at all (stderr is a terminal): lets the caller ask
    /// PagerDuty for a total only then.
    pub fn wanted() -> bool {
        std::io::stderr().is_terminal()
    }

    /// A walk over `what` ("incidents").
    pub fn new(what: &'static str) -> Progress {
        Progress {
            bar: None,
            done: 0,
            what,
        }
    }

    /// After each page.
    pub fn page(&mut self, page: &Page) {
        self.done += page.len() as u64;
        if self.bar.is_none() && page.more && Self::wanted() {
            let bar = match page.total {
                Some(total) => ProgressBar::new(total).with_style(
                    ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} ({eta} left)")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                ),
                None => ProgressBar::new_spinner().with_style(
                    ProgressStyle::with_template("{spinner} {pos} {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                ),
            };
            bar.set_message(self.what);
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(self.done);
        }
    }

    /// Clears the bar.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
