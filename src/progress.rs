//! The progress bar: the stage a run is in and how far it got, on stderr.
//!
//! The pipeline names each stage as it starts it, with what the stage counts: bytes of
//! input (counted by the [`Corpus`](crate::corpus::Corpus) as it reads), or documents.
//! The rate and the time left are the stage's mean so far, shown only once it has run a
//! second and done a few percent: the first moments (opening files, a batch parsed ahead)
//! say little about the rest.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use indicatif::{
    BinaryBytes, HumanCount, HumanDuration, ProgressBar, ProgressDrawTarget, ProgressFinish,
    ProgressState, ProgressStyle,
};

/// Progress of a run: the stage, bytes of input read of their total, documents, rate and
/// time left, on an [`indicatif`] bar. The default shows nothing.
#[derive(Debug, Clone, Default)]
pub struct Progress(Option<Arc<Bar>>);

#[derive(Debug)]
struct Bar {
    bar: ProgressBar,
    /// Documents read in a stage that counts bytes (the bar's position), or the documents
    /// a stage works on.
    docs: Arc<AtomicU64>,
    /// Whether a stage was started (and is drawn).
    started: AtomicBool,
}

/// What a stage counts, and of how many.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Work {
    /// Bytes of input read, of this many (`None` for a stream: unknown), and documents.
    Bytes(Option<u64>),
    /// Bytes of a stream copied (no documents yet, no total).
    Copy,
    /// Documents done, of this many.
    Docs(u64),
    /// Work on this many documents that does not tell how far it got.
    Whole(u64),
}

/// How often the bar is redrawn.
const TICK: Duration = Duration::from_millis(250);

/// The stage must have run this long before a rate or time left is shown.
const STEADY_AFTER: Duration = Duration::from_secs(1);

/// ... and done at least this share of its work (1/50 = 2%) before the time left is.
const STEADY_SHARE: u64 = 50;

impl Progress {
    /// Progress on stderr when it is a terminal (and `TERM` is set, not `dumb`); else none.
    pub fn stderr() -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(4))
            .with_finish(ProgressFinish::AndClear);
        if bar.is_hidden() {
            return Progress(None);
        }
        Progress(Some(Arc::new(Bar {
            bar,
            docs: Arc::new(AtomicU64::new(0)),
            started: AtomicBool::new(false),
        })))
    }

    /// Starts stage `name`, counting `work`. Its first state is drawn at once, however
    /// short the stage.
    pub(crate) fn stage(&self, name: &'static str, work: Work) {
        let Some(b) = &self.0 else { return };
        // No frame mixes two stages: the ticker, which draws at any time, is stopped while
        // the style (which holds the stage's name and total) and the counts change.
        b.bar.disable_steady_tick();
        if b.started.swap(true, Ordering::Relaxed) {
            // The end of the stage before, whatever the rate limit let through last.
            b.bar.force_draw();
        }
        let whole = match work {
            Work::Whole(docs) => docs,
            Work::Bytes(_) | Work::Copy | Work::Docs(_) => 0,
        };
        b.docs.store(whole, Ordering::Relaxed);
        b.bar.set_style(style(name, work, &b.docs));
        b.bar.reset();
        b.bar.force_draw();
        // Redraws while the stage does not report (finding duplicates): the spinner and
        // the clock show it is working.
        b.bar.enable_steady_tick(TICK);
    }

    /// `bytes` more bytes of input read.
    pub(crate) fn read_bytes(&self, bytes: u64) {
        if let Some(b) = &self.0 {
            b.bar.inc(bytes);
        }
    }

    /// One more document read.
    pub(crate) fn read_doc(&self) {
        if let Some(b) = &self.0 {
            b.docs.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// `docs` more documents done (in a stage counting [`Work::Docs`]).
    pub(crate) fn done(&self, docs: usize) {
        if let Some(b) = &self.0 {
            b.bar.inc(docs as u64);
        }
    }

    /// Removes the bar (a later stage draws it again): the run is done.
    pub fn finish(&self) {
        if let Some(b) = &self.0 {
            b.bar.disable_steady_tick();
            if b.started.swap(false, Ordering::Relaxed) {
                b.bar.force_draw();
            }
            b.bar.finish_and_clear();
        }
    }
}

/// The bar of stage `name`, counting `work`; `docs` is read whenever it is drawn. The
/// name and total are part of the template, so that changing the style changes them too.
fn style(name: &str, work: Work, docs: &Arc<AtomicU64>) -> ProgressStyle {
    let (counts, total) = match work {
        Work::Bytes(Some(total)) => (
            format!(
                "{{binary_bytes}}/{}, {{docs}} documents{{rate}}{{left}}",
                BinaryBytes(total)
            ),
            Some(total),
        ),
        Work::Bytes(None) => ("{binary_bytes}, {docs} documents{rate}".into(), None),
        Work::Copy => ("{binary_bytes}{rate}".into(), None),
        Work::Docs(total) => (
            format!(
                "{{human_pos}}/{} documents{{rate}}{{left}}",
                HumanCount(total)
            ),
            Some(total),
        ),
        Work::Whole(_) => ("{docs} documents".into(), None),
    };
    let template = format!("{{spinner}} {name} [{{elapsed_precise}}] {counts}");
    let docs = Arc::clone(docs);
    let bytes = matches!(work, Work::Bytes(_) | Work::Copy);
    ProgressStyle::with_template(&template)
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
        .with_key(
            "docs",
            move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}", HumanCount(docs.load(Ordering::Relaxed)));
            },
        )
        .with_key(
            "rate",
            move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                if let Some(per_sec) = mean_rate(state.pos(), state.elapsed()) {
                    let _ = if bytes {
                        write!(w, ", {}/s", BinaryBytes(per_sec as u64))
                    } else {
                        write!(w, ", {}/s", HumanCount(per_sec as u64))
                    };
                }
            },
        )
        .with_key(
            "left",
            move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let left = total.and_then(|total| time_left(state.pos(), total, state.elapsed()));
                if let Some(left) = left {
                    let _ = write!(w, ", ETA {:#}", HumanDuration(left));
                }
            },
        )
}

/// Units per second over the stage so far (`done` in `elapsed`), once it has run
/// [`STEADY_AFTER`].
fn mean_rate(done: u64, elapsed: Duration) -> Option<f64> {
    (elapsed >= STEADY_AFTER && done > 0).then(|| done as f64 / elapsed.as_secs_f64())
}

/// The time the rest of a stage takes at its mean rate so far, once that rate is shown
/// and the stage has done a [`STEADY_SHARE`]th of its work.
fn time_left(done: u64, of: u64, elapsed: Duration) -> Option<Duration> {
    if done.saturating_mul(STEADY_SHARE) < of {
        return None;
    }
    let per_sec = mean_rate(done, elapsed)?;
    Some(Duration::from_secs_f64(
        of.saturating_sub(done) as f64 / per_sec,
    ))
}

/// The frames a [`Progress`] draws, recorded for tests: every line the bar writes.
#[cfg(test)]
#[derive(Debug, Clone, Default)]
pub(crate) struct Frames(Arc<std::sync::Mutex<Vec<String>>>);

#[cfg(test)]
impl Frames {
    /// Progress drawn into these frames, as on a terminal 200 columns wide.
    pub(crate) fn progress(&self) -> Progress {
        let target = ProgressDrawTarget::term_like(Box::new(self.clone()));
        Progress(Some(Arc::new(Bar {
            bar: ProgressBar::with_draw_target(None, target),
            docs: Arc::new(AtomicU64::new(0)),
            started: AtomicBool::new(false),
        })))
    }

    /// The names of the stages drawn, in order, once for each run of frames of one stage
    /// (a stage started again right after itself shows once).
    pub(crate) fn stages(&self) -> Vec<String> {
        let lines = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let mut stages: Vec<String> = lines
            .iter()
            .filter_map(|line| {
                // `{spinner} {name} [{elapsed}] …`
                let (_, rest) = line.split_once(' ')?;
                Some(rest.split_once(" [")?.0.to_string())
            })
            .collect();
        stages.dedup();
        stages
    }

    fn record(&self, s: &str) {
        if !s.trim().is_empty() {
            let mut lines = self.0.lock().unwrap_or_else(|e| e.into_inner());
            lines.push(s.to_string());
        }
    }
}

#[cfg(test)]
impl indicatif::TermLike for Frames {
    fn width(&self) -> u16 {
        200
    }
    fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.record(s);
        Ok(())
    }
    fn write_str(&self, s: &str) -> std::io::Result<()> {
        self.record(s);
        Ok(())
    }
    fn clear_line(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn flush(&self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_and_time_left_wait_for_a_steady_stage() {
        let secs = Duration::from_secs_f64;
        // Not before a second, nor before 2% of the work.
        assert_eq!(mean_rate(500, secs(0.5)), None);
        assert_eq!(time_left(500, 1000, secs(0.5)), None);
        assert_eq!(time_left(19, 1000, secs(30.0)), None);
        assert_eq!(mean_rate(0, secs(30.0)), None);
        // The mean rate: 100 in 2 s, 900 left at 50/s.
        assert_eq!(mean_rate(100, secs(2.0)), Some(50.0));
        assert_eq!(time_left(100, 1000, secs(2.0)), Some(secs(18.0)));
        assert_eq!(time_left(1000, 1000, secs(2.0)), Some(secs(0.0)));
        // Past the total (a file that grew): nothing left, not a wrap-around.
        assert_eq!(time_left(1200, 1000, secs(2.0)), Some(secs(0.0)));
    }

    #[test]
    fn frames_name_each_stage_drawn_once_per_run_of_frames() {
        let frames = Frames::default();
        let progress = frames.progress();
        progress.stage("reading", Work::Bytes(Some(10)));
        progress.read_bytes(5);
        progress.stage("finding duplicates", Work::Whole(3));
        progress.stage("writing", Work::Whole(3));
        progress.stage("writing", Work::Whole(3));
        progress.finish();
        assert_eq!(
            frames.stages(),
            ["reading", "finding duplicates", "writing"]
        );
    }

    #[test]
    fn the_default_draws_nothing() {
        let progress = Progress::default();
        progress.stage("reading", Work::Bytes(Some(10)));
        progress.read_bytes(5);
        progress.read_doc();
        progress.done(1);
        progress.finish();
        assert!(progress.0.is_none());
    }
}
