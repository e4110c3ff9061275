//! `cargo xtask bench --peer`: pims-codegen against a peer generator,
//! progenitor, on the same contract (our OpenAPI export of it), side by side
//! in one run. The figures are those of issue 10:
//!
//! - generation time, ours (`pims-codegen generate` from the spec) and the
//!   peer's (`cargo progenitor` from our OpenAPI export), and crate-only
//!   `cargo check` of both generated crates (dependencies prebuilt, the
//!   crate's `src/lib.rs` touched, incremental off) with rustc's peak memory:
//!   for `spec/` and for a synthetic spec of `--ops` operations;
//! - the incremental `cargo check` of a crate expanding the spec with a macro
//!   against the generated files, for both generators (`spec/`);
//! - our `generate` time and peak memory at `--big-ops` operations.
//!
//! Ours and the peer's runs alternate (ours first in even runs, the peer's in
//! odd ones), and every figure is min / median / max over `--runs`: the
//! machine is shared, so no single time means much.
//!
//! Everything is under `target/bench/` (crates, their own target folder);
//! cargo-progenitor is installed into `target/tools/`.

mod measure;
mod synth;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use measure::{Sample, Stats, ratio};

/// The peer, pinned: its figures move with its version.
const PROGENITOR: &str = "0.15.1";

const USAGE: &str = "usage: cargo xtask bench --peer [--ops N] [--big-ops N] [--runs N] [--only spec|synth|macro|big]...
  --ops N      operations of the synthetic spec compared with the peer (default 1000)
  --big-ops N  operations of the synthetic spec for our `generate` alone (default 10000)
  --runs N     runs of each measurement, ours and the peer's interleaved (default 3)
  --only PART  run only these parts (repeatable): spec, synth, macro, big";

#[derive(Debug)]
struct Options {
    ops: usize,
    big_ops: usize,
    runs: usize,
    parts: Vec<String>,
}

fn parse(args: &[&str]) -> Result<Options, String> {
    let mut o = Options {
        ops: 1000,
        big_ops: 10_000,
        runs: 3,
        parts: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            it.next()
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{name} needs a positive number"))
        };
        match *arg {
            "--ops" => o.ops = number("--ops")?,
            "--big-ops" => o.big_ops = number("--big-ops")?,
            "--runs" => o.runs = number("--runs")?,
            "--only" => match it.next().copied() {
                Some(p @ ("spec" | "synth" | "macro" | "big")) => o.parts.push(p.to_owned()),
                _ => return Err("--only needs spec, synth, macro or big".into()),
            },
            "--help" | "-h" => return Err("help".into()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if o.parts.is_empty() {
        o.parts = ["spec", "synth", "macro", "big"].map(String::from).to_vec();
    }
    Ok(o)
}

/// Runs the peer benchmark.
pub fn peer(args: &[&str]) -> ExitCode {
    let options = match parse(args) {
        Ok(o) => o,
        Err(e) if e == "help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // `big` is ours alone: no need to build the peer for it
    let peer_needed = options.parts.iter().any(|p| p != "big");
    match Bench::new(peer_needed).and_then(|b| b.run(&options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

struct Bench {
    root: PathBuf,
    /// `target/bench`.
    work: PathBuf,
    ours: PathBuf,
    progenitor: PathBuf,
    memory: bool,
}

/// A spec, both generated crates, and where they are.
struct Workload {
    label: String,
    spec: PathBuf,
    ops: usize,
    dir: PathBuf,
}

impl Workload {
    fn openapi(&self) -> PathBuf {
        self.dir.join("openapi.json")
    }
    fn ours(&self) -> PathBuf {
        self.dir.join("ours")
    }
    fn peer(&self) -> PathBuf {
        self.dir.join("peer")
    }
    fn crate_name(&self, who: &str) -> String {
        format!(
            "{who}-{}",
            self.dir
                .file_name()
                .map_or("x".into(), |n| n.to_string_lossy())
        )
    }
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

impl Bench {
    fn new(peer_needed: bool) -> Result<Bench, String> {
        let root = xtask::root();
        let target = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(t) => root.join(t),
            None => root.join("target"),
        };
        let work = target.join("bench");
        std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
        let tools = target.join("tools");
        let progenitor = tools.join("bin/cargo-progenitor");
        if peer_needed && !progenitor.exists() {
            eprintln!(
                "installing cargo-progenitor {PROGENITOR} into {}",
                tools.display()
            );
            let status = cargo()
                .args([
                    "install",
                    "--locked",
                    "--quiet",
                    "cargo-progenitor",
                    "--version",
                    PROGENITOR,
                    "--root",
                ])
                .arg(&tools)
                .status()
                .map_err(|e| format!("cargo install: {e}"))?;
            if !status.success() {
                return Err("cargo install cargo-progenitor failed".into());
            }
        }
        eprintln!("building pims-codegen (release)");
        let status = cargo()
            .args([
                "build",
                "--release",
                "--quiet",
                "-p",
                "pims-codegen",
                "--bin",
                "pims-codegen",
            ])
            .current_dir(&root)
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .map_err(|e| format!("cargo build: {e}"))?;
        if !status.success() {
            return Err("cargo build -p pims-codegen failed".into());
        }
        Ok(Bench {
            ours: target.join("release/pims-codegen"),
            root,
            work,
            progenitor,
            memory: measure::can_measure_memory(),
        })
    }

    fn run(&self, o: &Options) -> Result<(), String> {
        let memory = if self.memory {
            "peak memory from /usr/bin/time"
        } else {
            "no /usr/bin/time: peak memory not measured"
        };
        println!(
            "pims-codegen against progenitor {PROGENITOR}, {} runs each, interleaved; min / median / max; {memory}",
            o.runs
        );
        let want = |p: &str| o.parts.iter().any(|x| x == p);
        let spec = Workload {
            label: "spec/".into(),
            spec: self.root.join("spec"),
            ops: operations(&self.root.join("spec"))?,
            dir: self.work.join("spec"),
        };
        if want("spec") || want("macro") {
            self.compare(&spec, o.runs)?;
        }
        if want("macro") {
            self.macros(&spec, o.runs)?;
        }
        let mut small_peak = None;
        if want("synth") {
            let w = self.synthetic(o.ops)?;
            small_peak = self.compare(&w, o.runs)?;
        }
        if want("big") {
            let w = self.synthetic(o.big_ops)?;
            self.big(&w, o.runs, small_peak.map(|p| (o.ops, p)))?;
        }
        Ok(())
    }

    fn synthetic(&self, ops: usize) -> Result<Workload, String> {
        let dir = self.work.join(format!("synth{ops}"));
        let spec = dir.join("spec");
        synth::write(&spec, ops).map_err(|e| format!("{}: {e}", spec.display()))?;
        let counted = operations(&spec)?;
        if counted != ops {
            return Err(format!(
                "the synthetic spec has {counted} operations, not {ops}"
            ));
        }
        Ok(Workload {
            label: format!("synthetic, {ops} ops"),
            spec,
            ops,
            dir,
        })
    }

    fn scratch(&self) -> &Path {
        &self.work
    }

    fn generate_ours(&self, w: &Workload) -> Result<Sample, String> {
        let out = w.ours();
        remove(&out)?;
        let mut cmd = Command::new(&self.ours);
        cmd.arg("generate")
            .arg(&w.spec)
            .arg("--out")
            .arg(&out)
            .arg("--runtime-path")
            .arg(self.root.join("runtime"))
            .arg("--name")
            .arg(w.crate_name("ours"));
        Ok(measure::run(cmd, self.memory, self.scratch())?.0)
    }

    fn generate_peer(&self, w: &Workload) -> Result<Sample, String> {
        let out = w.peer();
        remove(&out)?;
        let mut cmd = Command::new(&self.progenitor);
        cmd.arg("progenitor")
            .arg("-i")
            .arg(w.openapi())
            .arg("-o")
            .arg(&out)
            .arg("-n")
            .arg(w.crate_name("peer"))
            .arg("-v")
            .arg("0.1.0");
        Ok(measure::run(cmd, self.memory, self.scratch())?.0)
    }

    /// Generation, then crate-only check, ours against the peer's; returns
    /// our median peak memory of `generate`, in KiB.
    fn compare(&self, w: &Workload, runs: usize) -> Result<Option<f64>, String> {
        println!("\n{} ({} operations)", w.label, w.ops);
        let mut export = Command::new(&self.ours);
        export
            .arg("openapi")
            .arg(&w.spec)
            .arg("--out")
            .arg(w.openapi());
        measure::run(export, false, self.scratch())?;

        let (mut ours, mut peer) = (Vec::new(), Vec::new());
        for r in 0..runs {
            if r % 2 == 0 {
                ours.push(self.generate_ours(w)?);
                peer.push(self.generate_peer(w)?);
            } else {
                peer.push(self.generate_peer(w)?);
                ours.push(self.generate_ours(w)?);
            }
        }
        standalone(&w.peer())?;
        let wall = |s: &[Sample]| s.iter().map(|s| s.wall.as_secs_f64()).collect::<Vec<_>>();
        println!(
            "  generate     ours {}   peer {}   ours/peer {}",
            show_wall(&ours),
            show_wall(&peer),
            ratio(&wall(&ours), &wall(&peer))
        );
        if let (Some(o), Some(p)) = (Stats::peak_gib(&ours), Stats::peak_gib(&peer)) {
            println!(
                "               peak memory: ours {}   peer {}",
                o.scaled(1024.0).show(0, "MiB"),
                p.scaled(1024.0).show(0, "MiB")
            );
        }
        let our_peak =
            Stats::of(ours.iter().filter_map(|s| s.peak_kib.map(|k| k as f64))).map(|s| s.median);

        let (ours_crate, peer_crate) = (w.ours(), w.peer());
        let (ours_name, peer_name) = (w.crate_name("ours"), w.crate_name("peer"));
        eprintln!("  building the dependencies of both crates (not measured)");
        self.check(&ours_crate, &ours_name, false, true)?;
        self.check(&peer_crate, &peer_name, false, true)?;
        let (mut ours, mut peer) = (Vec::new(), Vec::new());
        for r in 0..runs {
            if r % 2 == 0 {
                ours.push(self.check(&ours_crate, &ours_name, false, false)?);
                peer.push(self.check(&peer_crate, &peer_name, false, false)?);
            } else {
                peer.push(self.check(&peer_crate, &peer_name, false, false)?);
                ours.push(self.check(&ours_crate, &ours_name, false, false)?);
            }
        }
        let per_op = 1000.0 / w.ops as f64;
        let show = |s: &[Sample]| {
            let wall = Stats::wall(s).map_or("n/a".into(), |t| {
                format!(
                    "{} ({} per op)",
                    t.show(1, "s"),
                    t.scaled(per_op).show(1, "ms")
                )
            });
            let peak = Stats::peak_gib(s).map_or(String::new(), |m| {
                format!(", rustc peak {}", m.show(2, "GiB"))
            });
            format!("{wall}{peak}")
        };
        println!("  cargo check  ours {}", show(&ours));
        println!("               peer {}", show(&peer));
        println!(
            "               ours/peer time {}",
            ratio(&wall(&ours), &wall(&peer))
        );
        let peak = |s: &[Sample]| {
            s.iter()
                .filter_map(|s| s.peak_kib.map(|k| k as f64))
                .collect::<Vec<_>>()
        };
        if self.memory {
            println!(
                "               ours/peer peak memory {}",
                ratio(&peak(&ours), &peak(&peer))
            );
        }
        Ok(our_peak)
    }

    /// `cargo check` of the crate at `dir` alone: its `src/lib.rs` touched,
    /// dependencies already built (checked from the output: one crate checked).
    fn check(
        &self,
        dir: &Path,
        name: &str,
        incremental: bool,
        warm_up: bool,
    ) -> Result<Sample, String> {
        let lib = dir.join("src/lib.rs");
        std::fs::File::options()
            .write(true)
            .open(&lib)
            .and_then(|f| f.set_modified(std::time::SystemTime::now()))
            .map_err(|e| format!("{}: {e}", lib.display()))?;
        let mut cmd = cargo();
        cmd.arg("check")
            .args(if warm_up { &[][..] } else { &["--offline"][..] })
            .args(["--color", "never"])
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", self.work.join("target"))
            .env("CARGO_INCREMENTAL", if incremental { "1" } else { "0" });
        let (sample, output) = measure::run(cmd, self.memory, self.scratch())?;
        if !warm_up {
            let err = String::from_utf8_lossy(&output.stderr);
            let built: Vec<&str> = err
                .lines()
                .map(str::trim_start)
                .filter(|l| l.starts_with("Checking ") || l.starts_with("Compiling "))
                .collect();
            if built.len() != 1 || !built[0].starts_with(&format!("Checking {name} ")) {
                return Err(format!(
                    "{}: not a crate-only check: {built:?}",
                    dir.display()
                ));
            }
        }
        Ok(sample)
    }

    /// The incremental check of a crate that expands the spec with a macro,
    /// against the generated files, for both generators.
    fn macros(&self, w: &Workload, runs: usize) -> Result<(), String> {
        println!(
            "\nmacro against generated files, incremental `cargo check`, {}",
            w.label
        );
        let ours_macro = w.dir.join("ours-macro");
        let peer_macro = w.dir.join("peer-macro");
        write_crate(
            &ours_macro,
            &format!(
                "[package]\nname = \"ours-macro\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\npims-macros = {{ path = {macros:?} }}\npims-runtime = {{ path = {runtime:?} }}\n\n[features]\nschemars = [\"pims-runtime/schemars\"]\n\n[workspace]\n",
                macros = self.root.join("macros").display().to_string(),
                runtime = self.root.join("runtime").display().to_string(),
            ),
            &format!("pims_macros::sdk!({:?});\n", w.spec.display().to_string()),
        )?;
        // the peer's macro crate: the generated crate's dependencies, and progenitor
        let generated = std::fs::read_to_string(w.peer().join("Cargo.toml"))
            .map_err(|e| format!("{}: {e}", w.peer().display()))?;
        let deps = generated
            .split_once("[dependencies]")
            .map(|(_, d)| d.split("\n[").next().unwrap_or(d))
            .unwrap_or("");
        write_crate(
            &peer_macro,
            &format!(
                "[package]\nname = \"peer-macro\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nprogenitor = \"={PROGENITOR}\"{deps}\n[workspace]\n"
            ),
            &format!(
                "progenitor::generate_api!({:?});\n",
                w.openapi().display().to_string()
            ),
        )?;
        let crates = [
            (w.ours(), w.crate_name("ours")),
            (ours_macro, "ours-macro".to_owned()),
            (w.peer(), w.crate_name("peer")),
            (peer_macro, "peer-macro".to_owned()),
        ];
        eprintln!("  building the dependencies of the macro crates (not measured)");
        for (dir, name) in &crates {
            self.check(dir, name, true, true)?;
            self.check(dir, name, true, false)?;
        }
        let mut samples: [Vec<Sample>; 4] = Default::default();
        for r in 0..runs {
            // rotate the order, so that no crate always follows another
            for k in 0..crates.len() {
                let i = (k + r) % crates.len();
                samples[i].push(self.check(&crates[i].0, &crates[i].1, true, false)?);
            }
        }
        let wall = |s: &[Sample]| s.iter().map(|s| s.wall.as_secs_f64()).collect::<Vec<_>>();
        println!(
            "  ours  files {}   macro {}   macro/files {}",
            show_wall(&samples[0]),
            show_wall(&samples[1]),
            ratio(&wall(&samples[1]), &wall(&samples[0]))
        );
        println!(
            "  peer  files {}   macro {}   macro/files {}",
            show_wall(&samples[2]),
            show_wall(&samples[3]),
            ratio(&wall(&samples[3]), &wall(&samples[2]))
        );
        Ok(())
    }

    /// Our `generate` alone at a large size: time and peak memory.
    fn big(&self, w: &Workload, runs: usize, small: Option<(usize, f64)>) -> Result<(), String> {
        println!("\n{}: our `generate` alone", w.label);
        let samples = (0..runs)
            .map(|_| self.generate_ours(w))
            .collect::<Result<Vec<_>, _>>()?;
        println!("  generate     {}", show_wall(&samples));
        if let Some(peak) = Stats::of(samples.iter().filter_map(|s| s.peak_kib.map(mib))) {
            let mut line = format!("  peak memory  {}", peak.show(0, "MiB"));
            if let Some((ops, small_kib)) = small
                && w.ops > ops
            {
                let per_op = (peak.median * 1024.0 - small_kib) / (w.ops - ops) as f64;
                line.push_str(&format!(
                    " ({per_op:.0} KiB per operation, from the medians at {ops} and {} operations)",
                    w.ops
                ));
            }
            println!("{line}");
        }
        Ok(())
    }
}

fn show_wall(samples: &[Sample]) -> String {
    Stats::wall(samples).map_or("n/a".into(), |t| {
        if t.max < 1.0 {
            t.scaled(1000.0).show(0, "ms")
        } else {
            t.show(2, "s")
        }
    })
}

/// The number of operations of the spec at `dir`, which must check.
fn operations(dir: &Path) -> Result<usize, String> {
    let analysis = pims_codegen::analyze(dir);
    if analysis.diagnostics.iter().next().is_some() {
        return Err(format!(
            "{} does not check cleanly:\n{}",
            dir.display(),
            analysis.render(pims_codegen::diag::Format::Human)
        ));
    }
    let ir = analysis
        .into_ir()
        .map_err(|_| format!("{}: no IR", dir.display()))?;
    Ok(ir.modules.iter().map(|m| m.operations.len()).sum())
}

fn remove(dir: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("{}: {e}", dir.display())),
    }
}

/// Makes the peer's crate a workspace of its own (it is generated inside ours).
fn standalone(dir: &Path) -> Result<(), String> {
    let path = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    if !text.lines().any(|l| l.trim() == "[workspace]") {
        std::fs::write(&path, format!("{text}\n[workspace]\n"))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// Writes a crate (unless it is already so, to keep cargo's fingerprints).
fn write_crate(dir: &Path, manifest: &str, lib: &str) -> Result<(), String> {
    for (rel, text) in [("Cargo.toml", manifest), ("src/lib.rs", lib)] {
        let path = dir.join(rel);
        if std::fs::read_to_string(&path).is_ok_and(|t| t == text) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}
