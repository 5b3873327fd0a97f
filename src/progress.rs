//! The binary's progress display: a bar on stderr while a catalogue is
//! read, then the step under way. Shown only when stderr is a terminal and
//! the run has taken over a second; silent otherwise (pipes, files, tests).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Runs shorter than this show nothing.
const QUIET_FOR: Duration = Duration::from_secs(1);

pub struct Bar {
    bar: ProgressBar,
    start: Instant,
    terminal: bool,
    shown: AtomicBool,
}

impl Bar {
    pub fn new() -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} tệp ({elapsed})")
        {
            bar.set_style(style);
        }
        bar.set_message("Đọc danh mục");
        Bar {
            bar,
            start: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            shown: AtomicBool::new(false),
        }
    }

    /// The step now under way (`Phân tích`, `Ghi kết quả`).
    pub fn step(&self, what: &'static str) {
        self.bar.set_message(what);
        self.show_if_long();
    }

    /// Runs `f` (which prints) with the bar out of the way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    fn show_if_long(&self) {
        if self.terminal
            && !self.shown.load(Ordering::Relaxed)
            && self.start.elapsed() >= QUIET_FOR
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(Duration::from_millis(200));
        }
    }
}

impl tthc::load::Progress for Bar {
    fn files_found(&self, total: usize) {
        self.bar.set_length(total as u64);
    }

    fn file_parsed(&self) {
        self.bar.inc(1);
        self.show_if_long();
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
