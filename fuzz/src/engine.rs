//! Running a target for a time budget.
//!
//! The command (`pims-fuzz [TARGET] --seconds N`) supervises: it starts a
//! worker process (the same binary, `worker`), which makes input after input
//! from the seed and the input's index and runs each under guard on a thread
//! of its own, while its main thread watches the clock. The worker reports
//! every input's index before it runs it, every failure, and its statistics
//! at the end. A hang (an input longer than the time limit) ends the worker;
//! so does a crash (a stack overflow, an abort), which no `catch_unwind` can
//! catch: the supervisor then knows which input was running, and starts a
//! new worker from the next one. When the budget is spent, each distinct
//! failure is made again from its index, confirmed and minimised in child
//! processes (`exec`, killed when they overrun), and written to
//! `fuzz/artifacts/<target>/<hash>/`. Failures whose signature is one of the
//! known ones (`fuzz/known/*/signature`) are reported, not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use pims_codegen::spec::Scalar;

use crate::decode::Decoded;
use crate::guard::{self, Failure, Kind};
use crate::input::{Input, MessageInput, Target};
use crate::mutate::json::Words;
use crate::mutate::text::Pools;
use crate::rng::Rng;
use crate::seeds::{self, SpecSeed};
use crate::targets::{self, Ran};

/// One input in this many runs the deep checks (determinism), by index.
pub const DEEP_EVERY: u64 = 16;

/// What a target needs to make inputs.
#[derive(Debug)]
pub struct Context {
    /// The target.
    pub target: Target,
    specs: Vec<SpecSeed>,
    pools: Pools,
    messages: Vec<MessageInput>,
    words: Words,
}

impl Context {
    /// Reads the seeds of `target` from the project at `root`.
    pub fn load(target: Target, root: &Path) -> Result<Context, String> {
        let mut ctx = Context {
            target,
            specs: Vec::new(),
            pools: Pools::default(),
            messages: Vec::new(),
            words: Words::default(),
        };
        match target {
            Target::Spec => {
                ctx.specs =
                    seeds::spec_seeds(root).map_err(|e| format!("cannot read the seeds: {e}"))?;
                let texts: Vec<String> = ctx
                    .specs
                    .iter()
                    .flat_map(|s| s.input.files.iter())
                    .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                ctx.pools = Pools::harvest(texts.iter().map(String::as_str));
            }
            Target::Message => {
                let ir = pims_codegen::analyze(&root.join("spec"))
                    .into_ir()
                    .map_err(|_| "spec/ has errors: run `cargo xtask codegen` to see them")?;
                for module in &ir.modules {
                    for op in &module.operations {
                        if crate::decode::find(&module.api, op.verb.as_str(), &op.name).is_none() {
                            return Err(format!(
                                "{} {} is in spec/ but not in pims-fuzz's dispatch: rebuild it",
                                module.api, op.name
                            ));
                        }
                    }
                }
                ctx.messages = seeds::message_seeds(&ir);
                ctx.words = words(&ir, &ctx.messages);
            }
        }
        Ok(ctx)
    }

    /// Input `index` of the run with `seed`, and the seed it started from.
    pub fn generate(&self, seed: u64, index: u64) -> (Input, String) {
        let mut rng = Rng::for_input(seed, index);
        match self.target {
            Target::Spec => {
                let (input, origin) =
                    crate::mutate::spec::input(&mut rng, &self.specs, &self.pools);
                (Input::Spec(input), origin)
            }
            Target::Message => {
                let input = crate::mutate::json::input(&mut rng, &self.messages, &self.words);
                let origin = format!("{} {} {}", input.api, input.name, input.kind.name());
                (Input::Message(input), origin)
            }
        }
    }
}

fn json_words(v: &serde_json::Value, strings: &mut BTreeSet<String>, keys: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::String(s) => {
            strings.insert(s.clone());
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| json_words(i, strings, keys)),
        serde_json::Value::Object(map) => {
            for (k, item) in map {
                keys.insert(k.clone());
                json_words(item, strings, keys);
            }
        }
        _ => {}
    }
}

fn words(ir: &pims_codegen::ir::Ir, messages: &[MessageInput]) -> Words {
    let mut strings = BTreeSet::new();
    let mut keys = BTreeSet::new();
    for m in messages {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&m.text) {
            json_words(&v, &mut strings, &mut keys);
        }
    }
    let types = ir
        .types
        .iter()
        .chain(ir.modules.iter().flat_map(|m| m.types.iter()));
    for t in types {
        match &t.kind {
            pims_codegen::ir::TypeDefKind::Enum(e) => {
                for v in &e.variants {
                    if let Scalar::Str(s) = &v.value {
                        strings.insert(s.clone());
                    }
                }
            }
            pims_codegen::ir::TypeDefKind::Struct(s) => {
                for f in &s.fields {
                    keys.insert(f.wire.clone());
                    keys.insert(pims_codegen::naming::rust::field(&f.wire));
                }
            }
            pims_codegen::ir::TypeDefKind::Alias(_) | pims_codegen::ir::TypeDefKind::Request(_) => {
            }
        }
    }
    Words {
        strings: strings.into_iter().collect(),
        keys: keys.into_iter().collect(),
        codes: ir.errors.iter().map(|e| e.code).collect(),
        labels: ir.errors.iter().map(|e| e.label.clone()).collect(),
    }
}

/// Counts of a run, merged across workers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Inputs run.
    pub inputs: u64,
    /// Spec inputs that checked clean.
    pub clean: u64,
    /// Diagnostic codes seen.
    pub codes: BTreeSet<String>,
    /// Messages that decoded to data.
    pub data: u64,
    /// Messages that decoded to a typed error.
    pub errors: u64,
    /// Messages refused.
    pub refused: u64,
}

impl Stats {
    fn add(&mut self, ran: &Ran) {
        self.inputs += 1;
        match ran {
            Ran::Spec(s) => {
                self.clean += u64::from(s.clean);
                self.codes.extend(s.codes.iter().map(|c| (*c).to_owned()));
            }
            Ran::Message(Decoded::Data) => self.data += 1,
            Ran::Message(Decoded::Error) => self.errors += 1,
            Ran::Message(Decoded::Refused) => self.refused += 1,
        }
    }

    /// Adds the counts of `other`, but its inputs: the supervisor counts
    /// those as the worker announces them.
    fn merge(&mut self, other: &Stats) {
        self.clean += other.clean;
        self.codes.extend(other.codes.iter().cloned());
        self.data += other.data;
        self.errors += other.errors;
        self.refused += other.refused;
    }

    fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "inputs": self.inputs, "clean": self.clean, "codes": self.codes,
            "data": self.data, "errors": self.errors, "refused": self.refused,
        })
    }

    fn from_json(v: &serde_json::Value) -> Stats {
        let n = |k: &str| v.get(k).and_then(serde_json::Value::as_u64).unwrap_or(0);
        Stats {
            inputs: n("inputs"),
            clean: n("clean"),
            codes: v
                .get("codes")
                .and_then(serde_json::Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|c| c.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            data: n("data"),
            errors: n("errors"),
            refused: n("refused"),
        }
    }
}

fn failure_json(f: &Failure) -> String {
    serde_json::json!({"kind": f.kind.name(), "place": f.place, "message": f.message}).to_string()
}

fn failure_from_json(text: &str) -> Option<Failure> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    let kind = match v.get("kind")?.as_str()? {
        "panic" => Kind::Panic,
        "emitter-error" => Kind::Emitter,
        "does-not-parse" => Kind::Unparseable,
        "invariant" => Kind::Invariant,
        "hang" => Kind::Hang,
        _ => Kind::Crash,
    };
    Some(Failure::new(
        kind,
        v.get("place")?.as_str()?,
        v.get("message")?.as_str()?,
    ))
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// The worker: runs inputs `from..` of `seed` until `until_ms` (Unix time),
/// reporting on stdout. Exits 3 on a hang.
pub fn worker(ctx: Context, seed: u64, from: u64, until_ms: u64, limit: Duration) -> ! {
    guard::install_hook(false);
    let current = Arc::new(AtomicU64::new(from));
    let started = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let generating = Arc::new(AtomicBool::new(false));
    let (c, s, d, g) = (
        current.clone(),
        started.clone(),
        done.clone(),
        generating.clone(),
    );
    let runner = std::thread::Builder::new()
        .name("pims-fuzz-input".into())
        .stack_size(guard::STACK)
        .spawn(move || {
            let mut stats = Stats::default();
            let mut index = from;
            let mut reported = now_ms();
            while now_ms() < until_ms {
                // counts go out every second: a worker that dies loses little
                if now_ms() - reported >= 1000 {
                    say(&format!("P {}", stats.to_json()));
                    stats = Stats::default();
                    reported = now_ms();
                }
                say(&format!("X {index}"));
                c.store(index, Ordering::SeqCst);
                g.store(true, Ordering::SeqCst);
                s.store(now_ms().max(1), Ordering::SeqCst);
                let (input, _) = ctx.generate(seed, index);
                g.store(false, Ordering::SeqCst);
                let result = targets::run(&input, index.is_multiple_of(DEEP_EVERY));
                s.store(0, Ordering::SeqCst);
                match result {
                    Ok(ran) => stats.add(&ran),
                    Err(f) => {
                        stats.inputs += 1;
                        say(&format!("F {index} {}", failure_json(&f)));
                    }
                }
                index += 1;
            }
            say(&format!("S {}", stats.to_json()));
            d.store(true, Ordering::SeqCst);
        });
    if let Err(e) = runner {
        eprintln!("cannot start the worker thread: {e}");
        std::process::exit(2);
    }
    let limit_ms = limit.as_millis() as u64;
    loop {
        std::thread::sleep(Duration::from_millis(50));
        if done.load(Ordering::SeqCst) {
            std::process::exit(0);
        }
        let at = started.load(Ordering::SeqCst);
        if at != 0 && now_ms().saturating_sub(at) > limit_ms {
            let index = current.load(Ordering::SeqCst);
            if generating.load(Ordering::SeqCst) {
                eprintln!("making input {index} does not end: a bug of pims-fuzz's mutators");
                std::process::exit(4);
            }
            say(&format!("F {index} {}", failure_json(&guard::hang(limit))));
            std::process::exit(3);
        }
    }
}

/// Runs the input stored at `dir` once, in this process, and prints the
/// outcome as one JSON line (`{"pass":true}` or the failure): what the
/// supervisor's child processes do to confirm and minimise.
pub fn exec(dir: &Path, limit: Duration, deep: bool) -> ! {
    guard::install_hook(false);
    let input = match Input::read(dir) {
        Ok(input) => input,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    match targets::run_with_limit(&input, deep, limit) {
        Ok(_) => {
            say("{\"pass\":true}");
            std::process::exit(0);
        }
        Err(f) => {
            say(&failure_json(&f));
            std::process::exit(if f.kind == Kind::Hang { 3 } else { 1 });
        }
    }
}

/// A failure found while fuzzing.
#[derive(Debug, Clone)]
struct Found {
    failure: Failure,
    index: u64,
    count: u64,
}

/// The settings of a run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The workspace root.
    pub root: PathBuf,
    /// The seed of the inputs.
    pub seed: u64,
    /// The time budget of each target.
    pub seconds: u64,
    /// An input running longer than this is a hang.
    pub limit: Duration,
    /// The longest a failure's minimisation may take.
    pub minimize: Duration,
}

/// What a run of one target found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// New findings, as written: (artifact folder, failure).
    pub new: Vec<(PathBuf, Failure)>,
    /// Findings with a known signature.
    pub known: Vec<Failure>,
}

/// The signatures of `fuzz/known/*/signature`.
pub fn known_signatures(root: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if let Ok(entries) = std::fs::read_dir(root.join("fuzz/known")) {
        for entry in entries.flatten() {
            if let Ok(s) = std::fs::read_to_string(entry.path().join("signature")) {
                out.insert(s.trim().to_owned());
            }
        }
    }
    out
}

/// Runs `target` for the budget: the supervisor's loop, then confirmation,
/// minimisation and artifacts.
pub fn fuzz(target: Target, settings: &Settings) -> Result<Report, String> {
    guard::install_hook(false);
    let ctx = Context::load(target, &settings.root)?;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let start = Instant::now();
    let until_ms = now_ms() + settings.seconds * 1000;
    let mut next = 0u64;
    let mut stats = Stats::default();
    let mut found: BTreeMap<String, Found> = BTreeMap::new();
    let record = |failure: Failure, index: u64, found: &mut BTreeMap<String, Found>| {
        found
            .entry(failure.signature())
            .and_modify(|f| f.count += 1)
            .or_insert(Found {
                failure,
                index,
                count: 1,
            });
    };
    eprintln!(
        "fuzzing {target} for {} s (seed {})",
        settings.seconds, settings.seed
    );
    while now_ms() < until_ms {
        let mut child = Command::new(&exe)
            .args([
                "worker",
                target.name(),
                "--seed",
                &settings.seed.to_string(),
            ])
            .args([
                "--from",
                &next.to_string(),
                "--until-ms",
                &until_ms.to_string(),
            ])
            .args(["--timeout", &settings.limit.as_secs_f64().to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start a worker: {e}"))?;
        let mut stderr = child.stderr.take();
        let tail = std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(e) = stderr.as_mut() {
                let _ = e.read_to_string(&mut text);
            }
            text
        });
        let mut last = next;
        let mut ended_well = false;
        if let Some(out) = child.stdout.take() {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(i) = line.strip_prefix("X ") {
                    last = i.parse().unwrap_or(last);
                    stats.inputs += 1;
                } else if let Some(json) = line.strip_prefix("P ") {
                    if let Ok(v) = serde_json::from_str(json) {
                        stats.merge(&Stats::from_json(&v));
                    }
                } else if let Some(rest) = line.strip_prefix("F ") {
                    let (i, json) = rest.split_once(' ').unwrap_or((rest, ""));
                    if let (Ok(i), Some(f)) = (i.parse(), failure_from_json(json)) {
                        record(f, i, &mut found);
                    }
                } else if let Some(json) = line.strip_prefix("S ") {
                    if let Ok(v) = serde_json::from_str(json) {
                        stats.merge(&Stats::from_json(&v));
                    }
                    ended_well = true;
                }
            }
        }
        let status = child
            .wait()
            .map_err(|e| format!("cannot wait for the worker: {e}"))?;
        let stderr = tail.join().unwrap_or_default();
        if status.success() && ended_well {
            break;
        }
        if status.code() == Some(2) {
            return Err(format!("the worker could not start: {}", stderr.trim()));
        }
        if status.code() == Some(4) {
            return Err(stderr.trim().to_owned());
        }
        if status.code() != Some(3) {
            let message = stderr
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .to_owned();
            record(
                Failure::new(Kind::Crash, status.to_string(), message),
                last,
                &mut found,
            );
        }
        next = last + 1;
    }
    let elapsed = start.elapsed().as_secs_f64();
    print_stats(target, &stats, elapsed, &ctx);

    let known = known_signatures(&settings.root);
    let mut report = Report::default();
    for (signature, f) in found {
        let (input, origin) = ctx.generate(settings.seed, f.index);
        if known.contains(&signature) {
            eprintln!("known ({}×): {}", f.count, f.failure);
            report.known.push(f.failure);
            continue;
        }
        eprintln!("found ({}×): {}", f.count, f.failure);
        let work = settings
            .root
            .join("fuzz/artifacts")
            .join(target.name())
            .join(format!(".work-{}", std::process::id()));
        // minimise without the deep checks when the failure does not need them
        // a crash or a hang is probed in child processes, which can die or be
        // killed; anything else in this process, under guard, which is faster
        let in_process = !matches!(f.failure.kind, Kind::Hang | Kind::Crash);
        let mut probe = Probe {
            exe: &exe,
            work: &work,
            limit: settings.limit,
            deep: false,
            in_process,
            runs: 0,
        };
        if probe.run(&input).is_none_or(|f| f.signature() != signature) {
            probe.deep = true;
        }
        match probe.run(&input) {
            Some(again) if again.signature() == signature => {}
            Some(other) if other.signature() != signature && other.kind != Kind::Hang => {
                eprintln!("  made again, it fails another way: {other}");
            }
            _ if f.failure.kind == Kind::Hang => {
                eprintln!("  a slow input that ran in time when made again: not counted");
                let _ = std::fs::remove_dir_all(&work);
                continue;
            }
            other => eprintln!("  made again, it gives {other:?}"),
        }
        let started = Instant::now();
        let small = crate::minimize::minimize(input, settings.minimize, &mut |candidate| {
            probe
                .run(candidate)
                .is_some_and(|g| g.signature() == signature)
        });
        eprintln!(
            "  minimised in {:.1} s ({} runs)",
            started.elapsed().as_secs_f64(),
            probe.runs
        );
        let _ = std::fs::remove_dir_all(&work);
        let dir = write_artifact(
            &settings.root,
            &small,
            &f.failure,
            settings.seed,
            f.index,
            &origin,
        )
        .map_err(|e| format!("cannot write the artifact: {e}"))?;
        report.new.push((dir, f.failure));
    }
    Ok(report)
}

/// Runs candidate inputs in child processes.
struct Probe<'a> {
    exe: &'a Path,
    work: &'a Path,
    limit: Duration,
    deep: bool,
    in_process: bool,
    runs: u64,
}

impl Probe<'_> {
    /// The failure of `input`, or `None` when it passes.
    fn run(&mut self, input: &Input) -> Option<Failure> {
        self.runs += 1;
        if self.in_process {
            return targets::run_with_limit(input, self.deep, self.limit).err();
        }
        let _ = std::fs::remove_dir_all(self.work);
        if input.write(self.work).is_err() {
            return None;
        }
        let mut child = Command::new(self.exe)
            .arg("exec")
            .arg(self.work)
            .args(["--timeout", &self.limit.as_secs_f64().to_string()])
            .args(self.deep.then_some("--deep"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .ok()?;
        let deadline = Instant::now() + self.limit * 2 + Duration::from_secs(5);
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() > deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Some(guard::hang(self.limit));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
                Err(_) => return None,
            }
        };
        let mut out = String::new();
        let mut err = String::new();
        if let Some(mut o) = child.stdout.take() {
            let _ = o.read_to_string(&mut out);
        }
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        if let Some(f) = failure_from_json(out.trim()) {
            return Some(f);
        }
        if status.success() {
            return None;
        }
        let message = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .to_owned();
        Some(Failure::new(Kind::Crash, status.to_string(), message))
    }
}

fn print_stats(target: Target, stats: &Stats, seconds: f64, ctx: &Context) {
    let rate = stats.inputs as f64 / seconds.max(0.001);
    let mut line = format!(
        "{target}: {} inputs in {seconds:.1} s ({rate:.0} execs/s)",
        stats.inputs
    );
    match target {
        Target::Spec => {
            let all: Vec<&str> = pims_codegen::diag::Code::ALL
                .iter()
                .map(|c| c.as_str())
                .collect();
            let missing: Vec<&str> = all
                .iter()
                .copied()
                .filter(|c| !stats.codes.contains(*c))
                .collect();
            line.push_str(&format!(
                "; {} clean ({:.0}%), {} of {} diagnostic codes seen",
                stats.clean,
                100.0 * stats.clean as f64 / stats.inputs.max(1) as f64,
                all.len() - missing.len(),
                all.len()
            ));
            if !missing.is_empty() {
                line.push_str(&format!(" (not seen: {})", missing.join(" ")));
            }
        }
        Target::Message => {
            let n = stats.inputs.max(1) as f64;
            line.push_str(&format!(
                "; {} operations, {} seed messages; decoded to data {:.0}%, to a typed error {:.0}%, refused {:.0}%",
                crate::decode::OPERATIONS.len(),
                ctx.messages.len(),
                100.0 * stats.data as f64 / n,
                100.0 * stats.errors as f64 / n,
                100.0 * stats.refused as f64 / n
            ));
        }
    }
    println!("{line}");
}

fn write_artifact(
    root: &Path,
    input: &Input,
    failure: &Failure,
    seed: u64,
    index: u64,
    origin: &str,
) -> std::io::Result<PathBuf> {
    let target = input.target();
    let dir = root
        .join("fuzz/artifacts")
        .join(target.name())
        .join(format!("{:016x}", input.digest()));
    let _ = std::fs::remove_dir_all(&dir);
    input.write(&dir)?;
    let shown = dir.strip_prefix(root).unwrap_or(&dir).display().to_string();
    std::fs::write(dir.join("signature"), format!("{}\n", failure.signature()))?;
    let root = match input {
        Input::Spec(s) if s.root != "spec" => format!("spec folder analysed as: {:?}\n", s.root),
        _ => String::new(),
    };
    std::fs::write(
        dir.join("finding.txt"),
        format!(
            "target: {target}\nkind: {}\nplace: {}\nmessage: {}\n{root}found by: cargo xtask fuzz {target} --seed {seed} (input {index}, from {origin}), then minimised\nreplay: cargo xtask fuzz replay {shown}\n",
            failure.kind.name(),
            failure.place,
            failure.message
        ),
    )?;
    Ok(dir)
}
