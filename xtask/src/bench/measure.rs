//! Running a command and measuring it: wall time, and peak memory (the
//! largest resident set of the process and its descendants, from GNU time's
//! `%M`, when `/usr/bin/time` is there).

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// One measured run.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// Wall time.
    pub wall: Duration,
    /// Peak resident set, in KiB, of the process and its descendants.
    pub peak_kib: Option<u64>,
}

const TIME: &str = "/usr/bin/time";

/// Whether GNU time is there to measure peak memory.
pub fn can_measure_memory() -> bool {
    Command::new(TIME)
        .args(["-f", "%M", "true"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs `cmd`, failing (with its output) when it fails.
pub fn run(mut cmd: Command, memory: bool, scratch: &Path) -> Result<(Sample, Output), String> {
    let shown = format!("{cmd:?}");
    let report = scratch.join("time.out");
    let mut wrapped = if memory {
        let mut w = Command::new(TIME);
        w.arg("-f").arg("%M").arg("-o").arg(&report);
        w.arg(cmd.get_program()).args(cmd.get_args());
        for (k, v) in cmd.get_envs() {
            match v {
                Some(v) => w.env(k, v),
                None => w.env_remove(k),
            };
        }
        if let Some(dir) = cmd.get_current_dir() {
            w.current_dir(dir);
        }
        w
    } else {
        std::mem::replace(&mut cmd, Command::new("true"))
    };
    let start = Instant::now();
    let output = wrapped
        .output()
        .map_err(|e| format!("{shown}: cannot run: {e}"))?;
    let wall = start.elapsed();
    if !output.status.success() {
        return Err(format!(
            "{shown} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let peak_kib = if memory {
        std::fs::read_to_string(&report)
            .ok()
            .and_then(|t| t.lines().last().and_then(|l| l.trim().parse().ok()))
    } else {
        None
    };
    Ok((Sample { wall, peak_kib }, output))
}

/// The fastest, median and slowest of some values.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    /// The smallest.
    pub min: f64,
    /// The median (the upper one for an even count).
    pub median: f64,
    /// The largest.
    pub max: f64,
}

impl Stats {
    /// Of `values` (not empty).
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Stats> {
        let mut v: Vec<f64> = values.into_iter().collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        Some(Stats {
            min: v[0],
            median: v[v.len() / 2],
            max: v[v.len() - 1],
        })
    }

    /// Seconds of wall time.
    pub fn wall(samples: &[Sample]) -> Option<Stats> {
        Stats::of(samples.iter().map(|s| s.wall.as_secs_f64()))
    }

    /// Peak memory, in GiB.
    pub fn peak_gib(samples: &[Sample]) -> Option<Stats> {
        let kib: Vec<f64> = samples
            .iter()
            .filter_map(|s| s.peak_kib.map(|k| k as f64 / (1024.0 * 1024.0)))
            .collect();
        (kib.len() == samples.len())
            .then(|| Stats::of(kib))
            .flatten()
    }

    /// `min / median / max` with `digits` decimals and a unit.
    pub fn show(&self, digits: usize, unit: &str) -> String {
        format!(
            "{:.d$} / {:.d$} / {:.d$} {unit}",
            self.min,
            self.median,
            self.max,
            d = digits
        )
    }

    /// Each figure times `k`.
    pub fn scaled(&self, k: f64) -> Stats {
        Stats {
            min: self.min * k,
            median: self.median * k,
            max: self.max * k,
        }
    }
}

/// `ours / peer` as `0.74×` (medians), with the range of pairwise ratios.
pub fn ratio(ours: &[f64], peer: &[f64]) -> String {
    let (Some(o), Some(p)) = (
        Stats::of(ours.iter().copied()),
        Stats::of(peer.iter().copied()),
    ) else {
        return "n/a".into();
    };
    // run r of ours was measured next to run r of peer
    let pairs = Stats::of(ours.iter().zip(peer).map(|(o, p)| o / p));
    match pairs {
        Some(pairs) => format!(
            "{:.2}× (medians; pairwise {:.2}–{:.2}×)",
            o.median / p.median,
            pairs.min,
            pairs.max
        ),
        None => format!("{:.2}×", o.median / p.median),
    }
}
