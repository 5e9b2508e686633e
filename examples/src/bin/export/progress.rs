//! Progress: an indicatif bar (counts, rate, ETA) when standard output is a terminal, plain
//! lines at most every few seconds (and a last one) when it is not.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How often plain lines are printed, at most.
const LINE_EVERY: Duration = Duration::from_secs(2);

/// The progress of the items to fetch.
pub struct Progress {
    total: u64,
    started: Instant,
    kind: Kind,
}

enum Kind {
    Bar(ProgressBar),
    Lines { last: Mutex<Option<Instant>> },
}

impl Progress {
    /// Progress over `total` items, shown the way standard output allows.
    pub fn new(total: u64) -> Progress {
        let kind = if std::io::stdout().is_terminal() {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stdout());
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:30} {pos}/{len} items  {per_sec}  ETA {eta}  {msg}",
            ) {
                bar.set_style(style);
            }
            Kind::Bar(bar)
        } else {
            Kind::Lines {
                last: Mutex::new(None),
            }
        };
        Progress {
            total,
            started: Instant::now(),
            kind,
        }
    }

    /// A message above the bar (or a line of its own) on standard error.
    pub fn note(&self, message: &str) {
        match &self.kind {
            Kind::Bar(bar) => bar.suspend(|| eprintln!("{message}")),
            Kind::Lines { .. } => eprintln!("{message}"),
        }
    }

    /// Another item is done: `done` of them so far, `failed` of which failed.
    pub fn item_done(&self, done: u64, failed: u64) {
        match &self.kind {
            Kind::Bar(bar) => {
                bar.set_position(done);
                if failed > 0 {
                    bar.set_message(format!("{failed} failed"));
                }
            }
            Kind::Lines { last } => {
                let now = Instant::now();
                let Ok(mut last) = last.lock() else { return };
                let due = last.is_none_or(|t| now.duration_since(t) >= LINE_EVERY);
                if due || done == self.total {
                    *last = Some(now);
                    println!("{}", self.line(done, failed));
                }
            }
        }
    }

    /// The run is over.
    pub fn finish(&self) {
        if let Kind::Bar(bar) = &self.kind {
            bar.finish_and_clear();
        }
    }

    /// `export: 3/10 items (1 failed), 2.5 items/s, ETA 3 s`.
    fn line(&self, done: u64, failed: u64) -> String {
        let elapsed = self.started.elapsed().as_secs_f64();
        let rate = if elapsed > 0.0 {
            done as f64 / elapsed
        } else {
            0.0
        };
        let eta = if rate > 0.0 {
            format!("{:.0} s", (self.total - done.min(self.total)) as f64 / rate)
        } else {
            "?".to_owned()
        };
        format!(
            "export: {done}/{} items ({failed} failed), {rate:.1} items/s, ETA {eta}",
            self.total
        )
    }
}
