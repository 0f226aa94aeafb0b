//! Flow control: at most one frame in flight. After each frame the terminal is asked for a
//! Device Status Report (`ESC [ 5 n`); its answer (`ESC [ 0 n`) comes back once every byte
//! before it has been read, so no new frame is sent until it does — the changes in between
//! merge into the next frame (ratatui's diff), and a slow link is never more than one frame
//! behind, as with mosh. The answer times measure the link; a slow one turns on the
//! low-bandwidth mode. A terminal that never answers gets frames at a fixed rate.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// The query appended to every frame.
pub const QUERY: &[u8] = b"\x1b[5n";

/// No answer at all this long after the first query: the terminal does not answer, and
/// frames go out at the fixed rate (an answer arriving later turns flow control back on).
pub const SILENT_AFTER: Duration = Duration::from_secs(3);
/// An answer this overdue is taken as lost and the next frame is sent anyway (a frame
/// larger than the link carries in this time is delayed no more than that).
pub const GIVE_UP: Duration = Duration::from_secs(10);
/// Below this delivery rate the link is slow: low-bandwidth mode turns on...
pub const SLOW_BELOW: f64 = 24_000.0;
/// ...and above this it turns off again.
pub const FAST_ABOVE: f64 = 64_000.0;
/// Answers kept for the estimates.
const SAMPLES: usize = 24;
/// Frames at least this large say something about the link's rate (small ones only about
/// its delay).
const RATE_BYTES: usize = 1500;

#[derive(Clone, Copy, Debug)]
struct Sent {
    at: Instant,
    bytes: usize,
}

/// What the answers have measured so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Estimate {
    /// The shortest answer time: the link's delay (seconds).
    pub delay: Option<f64>,
    /// Bytes per second the link delivered for large frames (the median).
    pub rate: Option<f64>,
    pub answers: u64,
}

#[derive(Debug)]
pub struct Link {
    outstanding: VecDeque<Sent>,
    /// (bytes, seconds) of the latest answers.
    samples: VecDeque<(usize, f64)>,
    first_query: Option<Instant>,
    answers: u64,
    /// The terminal has not answered: fixed-rate frames.
    silent: bool,
    /// Low-bandwidth mode: asked for (`--low-bandwidth`), or measured.
    forced: bool,
    measured_slow: bool,
}

impl Link {
    pub fn new(low_bandwidth: bool) -> Self {
        Link {
            outstanding: VecDeque::new(),
            samples: VecDeque::new(),
            first_query: None,
            answers: 0,
            silent: false,
            forced: low_bandwidth,
            measured_slow: false,
        }
    }

    /// A query went out at `at`, after a frame of `bytes`.
    pub fn sent(&mut self, bytes: usize, at: Instant) {
        self.first_query.get_or_insert(at);
        self.outstanding.push_back(Sent { at, bytes });
        // A terminal that never answers must not grow this without end.
        if self.outstanding.len() > 256 {
            self.outstanding.pop_front();
        }
    }

    /// The terminal answered the oldest query at `now`.
    pub fn answered(&mut self, now: Instant) {
        self.answers += 1;
        self.silent = false;
        let Some(s) = self.outstanding.pop_front() else {
            return;
        };
        self.samples
            .push_back((s.bytes, now.duration_since(s.at).as_secs_f64()));
        if self.samples.len() > SAMPLES {
            self.samples.pop_front();
        }
        if let Some(rate) = self.estimate().rate {
            if rate < SLOW_BELOW {
                self.measured_slow = true;
            } else if rate > FAST_ABOVE {
                self.measured_slow = false;
            }
        }
    }

    /// Forget the queries in flight (after a stop: the shell may have read the answers).
    pub fn forget(&mut self) {
        self.outstanding.clear();
    }

    /// Whether a frame may go out now: nothing in flight, or the terminal does not answer, or
    /// the answer is overdue.
    pub fn may_send(&mut self, now: Instant) -> bool {
        let Some(oldest) = self.outstanding.front() else {
            return true;
        };
        if self.answers == 0
            && self
                .first_query
                .is_some_and(|t| now.duration_since(t) >= SILENT_AFTER)
        {
            self.silent = true;
        }
        self.silent || now.duration_since(oldest.at) >= GIVE_UP
    }

    /// When [`Link::may_send`] turns true by itself, if something is in flight.
    pub fn deadline(&self) -> Option<Instant> {
        let oldest = self.outstanding.front()?;
        if self.silent {
            return None;
        }
        let give_up = oldest.at + GIVE_UP;
        Some(match (self.answers, self.first_query) {
            (0, Some(t)) => give_up.min(t + SILENT_AFTER),
            _ => give_up,
        })
    }

    /// Queries still waiting for their answer.
    pub fn in_flight(&self) -> usize {
        self.outstanding.len()
    }

    /// How long the answers in flight should take at most, from what was measured: the bytes
    /// still on their way at the link's rate, and its delay twice, with a margin.
    pub fn drain_time(&self) -> Duration {
        let e = self.estimate();
        let bytes: usize = self.outstanding.iter().map(|s| s.bytes).sum();
        let delay = e.delay.unwrap_or(0.05);
        let carry = e.rate.map_or(0.0, |r| bytes as f64 / r);
        Duration::from_secs_f64(2.0 * delay + carry + 0.2)
    }

    pub fn silent(&self) -> bool {
        self.silent
    }

    pub fn low_bandwidth(&self) -> bool {
        self.forced || self.measured_slow
    }

    pub fn estimate(&self) -> Estimate {
        let delay = self
            .samples
            .iter()
            .map(|s| s.1)
            .min_by(|a, b| a.total_cmp(b));
        let floor = delay.unwrap_or(0.0);
        let mut rates: Vec<f64> = self
            .samples
            .iter()
            .filter(|(b, t)| *b >= RATE_BYTES && t - floor > 0.002)
            .map(|(b, t)| *b as f64 / (t - floor))
            .collect();
        rates.sort_by(|a, b| a.total_cmp(b));
        // Three large frames before a rate is believed.
        let rate = (rates.len() >= 3).then(|| rates[rates.len() / 2]);
        Estimate {
            delay,
            rate,
            answers: self.answers,
        }
    }

    /// One line for the help overlay: what was measured and what the app does about it.
    pub fn describe(&self) -> String {
        if self.silent {
            return "the terminal does not answer status queries: fixed frame rate".into();
        }
        let e = self.estimate();
        let mut parts = Vec::new();
        match e.delay {
            Some(d) => parts.push(format!("answers in {}", duration(d))),
            None => parts.push("waiting for the terminal's first answer".into()),
        }
        if let Some(r) = e.rate {
            parts.push(format!("≈ {} delivered", rate(r)));
        }
        if self.low_bandwidth() {
            parts.push(if self.forced {
                "low-bandwidth mode (asked for)".into()
            } else {
                "slow: low-bandwidth mode".into()
            });
        }
        format!("link: {}", parts.join(" · "))
    }
}

fn duration(s: f64) -> String {
    if s < 0.001 {
        format!("{:.0} µs", s * 1e6)
    } else if s < 1.0 {
        format!("{:.0} ms", s * 1e3)
    } else {
        format!("{s:.1} s")
    }
}

fn rate(b: f64) -> String {
    if b >= 1e6 {
        format!("{:.1} MB/s", b / 1e6)
    } else {
        format!("{:.1} KB/s", b / 1e3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_frame_in_flight_until_the_terminal_answers() {
        let t0 = Instant::now();
        let mut l = Link::new(false);
        assert!(l.may_send(t0));
        l.sent(5000, t0);
        assert!(!l.may_send(t0 + Duration::from_millis(500)));
        l.answered(t0 + Duration::from_millis(600));
        assert!(l.may_send(t0 + Duration::from_millis(600)));
        assert_eq!(l.in_flight(), 0);
    }

    #[test]
    fn a_terminal_that_never_answers_gets_frames_at_a_fixed_rate() {
        let t0 = Instant::now();
        let mut l = Link::new(false);
        l.sent(100, t0);
        assert!(!l.may_send(t0 + Duration::from_secs(2)));
        assert_eq!(l.deadline(), Some(t0 + SILENT_AFTER));
        assert!(l.may_send(t0 + SILENT_AFTER));
        assert!(l.silent());
        for i in 0..1000 {
            l.sent(100, t0 + Duration::from_millis(3000 + i));
        }
        assert!(l.in_flight() <= 256, "the queue is bounded");
        // A late answer turns flow control back on.
        l.answered(t0 + Duration::from_secs(5));
        assert!(!l.silent());
        assert!(!l.may_send(t0 + Duration::from_secs(5)));
    }

    #[test]
    fn an_overdue_answer_is_given_up_on() {
        let t0 = Instant::now();
        let mut l = Link::new(false);
        l.sent(100, t0);
        l.answered(t0 + Duration::from_millis(50));
        l.sent(100, t0 + Duration::from_secs(1));
        assert!(!l.may_send(t0 + Duration::from_secs(9)));
        assert!(l.may_send(t0 + Duration::from_secs(11)));
    }

    #[test]
    fn a_64_kbit_link_measures_slow_and_a_local_one_fast() {
        let t0 = Instant::now();
        let mut slow = Link::new(false);
        let mut fast = Link::new(false);
        let mut t = t0;
        for i in 0..10 {
            let bytes = if i % 2 == 0 { 200 } else { 6000 };
            // 8000 bytes/s after a 40 ms delay.
            slow.sent(bytes, t);
            slow.answered(t + Duration::from_secs_f64(0.04 + bytes as f64 / 8000.0));
            // 100 MB/s after 0.2 ms.
            fast.sent(bytes, t);
            fast.answered(t + Duration::from_secs_f64(0.0002 + bytes as f64 / 1e8));
            t += Duration::from_secs(1);
        }
        let e = slow.estimate();
        assert!((e.delay.unwrap_or(0.0) - 0.065).abs() < 0.001, "{e:?}");
        let r = e.rate.unwrap_or(0.0);
        assert!((6000.0..9000.0).contains(&r), "{e:?}");
        assert!(slow.low_bandwidth());
        assert!(!fast.low_bandwidth(), "{:?}", fast.estimate());
        assert!(
            slow.describe().contains("low-bandwidth"),
            "{}",
            slow.describe()
        );
    }
}
