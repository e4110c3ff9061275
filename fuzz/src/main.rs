//! `pims-fuzz`: the fuzz targets of pims-codegen, on stable Rust. Run it
//! through `cargo xtask fuzz`, which builds it in release.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use pims_fuzz::engine::{self, Settings};
use pims_fuzz::guard;
use pims_fuzz::input::{Input, Target};
use pims_fuzz::targets;

const USAGE: &str = "usage: cargo xtask fuzz [spec|message]... [--seconds N] [--seed S] [--timeout S] [--minimize-seconds N]
       cargo xtask fuzz replay PATH...
       cargo xtask fuzz minimize PATH [--seconds N]
  Runs each target named (all when none is) for N seconds (default 60); the
  inputs follow from the seed (default: from the clock, printed). A failure
  is minimised and written to fuzz/artifacts/<target>/<hash>/; failures whose
  signature is in fuzz/known/ are reported but not counted. Exit 1 on a new
  finding. `replay` runs stored inputs (artifacts, fuzz/regressions/, fuzz/known/);
  `minimize` shrinks a stored failing input in place, while it fails the same way.";

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}\n{USAGE}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("replay") => replay(&args[1..]),
        Some("minimize") => minimize(&args[1..]),
        Some("worker") => worker(&args[1..]),
        Some("exec") => exec(&args[1..]),
        Some("--help" | "-h" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => fuzz(&args),
    }
}

fn number<T: std::str::FromStr>(value: Option<&String>, flag: &str) -> Result<T, String> {
    value
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("{flag} needs a number"))
}

fn seconds(value: Option<&String>, flag: &str) -> Result<Duration, String> {
    let s: f64 = number(value, flag)?;
    if s.is_finite() && s > 0.0 {
        Ok(Duration::from_secs_f64(s))
    } else {
        Err(format!("{flag} needs a positive number"))
    }
}

fn fuzz(args: &[String]) -> ExitCode {
    let mut targets = Vec::new();
    let mut settings = Settings {
        root: pims_fuzz::root(),
        seed: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_secs() % 1_000_000),
        seconds: 60,
        limit: Duration::from_secs(5),
        minimize: Duration::from_secs(120),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let parsed = match arg.as_str() {
            "--seconds" => number(it.next(), arg).map(|n| settings.seconds = n),
            "--seed" => number(it.next(), arg).map(|n| settings.seed = n),
            "--timeout" => seconds(it.next(), arg).map(|d| settings.limit = d),
            "--minimize-seconds" => seconds(it.next(), arg).map(|d| settings.minimize = d),
            name => match Target::parse(name) {
                Some(t) if !targets.contains(&t) => {
                    targets.push(t);
                    Ok(())
                }
                Some(_) => Err(format!("{name} is named twice")),
                None => Err(format!(
                    "unknown target or option {name:?}: the targets are spec and message"
                )),
            },
        };
        if let Err(e) = parsed {
            return usage(&e);
        }
    }
    if targets.is_empty() {
        targets = Target::ALL.to_vec();
    }
    let mut new = Vec::new();
    let mut known = 0;
    for target in targets {
        match engine::fuzz(target, &settings) {
            Ok(report) => {
                known += report.known.len();
                new.extend(report.new);
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if known > 0 {
        println!("{known} known failure(s) found again (fuzz/known/): not counted");
    }
    if new.is_empty() {
        println!("no new finding (seed {})", settings.seed);
        return ExitCode::SUCCESS;
    }
    println!("{} new finding(s) (seed {}):", new.len(), settings.seed);
    for (dir, failure) in &new {
        let shown = dir
            .strip_prefix(&settings.root)
            .unwrap_or(dir)
            .display()
            .to_string();
        println!("  {failure}\n    replay: cargo xtask fuzz replay {shown}");
    }
    ExitCode::from(1)
}

fn replay(paths: &[String]) -> ExitCode {
    if paths.is_empty() {
        return usage("replay needs the folder of a stored input");
    }
    guard::install_hook(true);
    let mut failed = 0;
    for path in paths {
        let dir = PathBuf::from(path);
        let input = match Input::read(&dir) {
            Ok(input) => input,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
        let recorded = std::fs::read_to_string(dir.join("signature")).ok();
        match targets::run_with_limit(&input, true, Duration::from_secs(20)) {
            Ok(_) => println!("{path}: passes"),
            Err(f) => {
                failed += 1;
                println!("{path}: fails\n  {f}\n  signature: {}", f.signature());
                if let Some(r) = recorded {
                    let same = r.trim() == f.signature();
                    println!(
                        "  {}",
                        if same {
                            "as recorded".to_owned()
                        } else {
                            format!("recorded: {}", r.trim())
                        }
                    );
                }
            }
        }
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn minimize(args: &[String]) -> ExitCode {
    let (Some(path), rest) = (args.first(), args.get(1..).unwrap_or_default()) else {
        return usage("minimize needs the folder of a stored input");
    };
    let budget = match rest {
        [] => Duration::from_secs(120),
        [flag, n] if flag == "--seconds" => match seconds(Some(n), flag) {
            Ok(d) => d,
            Err(e) => return usage(&e),
        },
        _ => return usage("minimize takes a folder and --seconds N"),
    };
    guard::install_hook(false);
    let dir = PathBuf::from(path);
    let input = match Input::read(&dir) {
        Ok(input) => input,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let limit = Duration::from_secs(5);
    let Err(failure) = targets::run_with_limit(&input, true, limit) else {
        println!("{path}: passes: nothing to minimise");
        return ExitCode::SUCCESS;
    };
    let signature = failure.signature();
    let small = pims_fuzz::minimize::minimize(input.clone(), budget, &mut |candidate| {
        targets::run_with_limit(candidate, true, limit).is_err_and(|f| f.signature() == signature)
    });
    // the folder's input is replaced; what it says of the finding stays
    for stale in ["spec", "root", "operation.txt", "message.json"] {
        let p = dir.join(stale);
        let _ = if p.is_dir() {
            std::fs::remove_dir_all(&p)
        } else {
            std::fs::remove_file(&p)
        };
    }
    if let Err(e) = small.write(&dir) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    println!("{path}: minimised, still fails: {failure}");
    ExitCode::SUCCESS
}

fn worker(args: &[String]) -> ExitCode {
    let run = || -> Result<(), String> {
        let target = args
            .first()
            .and_then(|t| Target::parse(t))
            .ok_or("worker needs a target")?;
        let mut seed = 0;
        let mut from = 0;
        let mut until = 0;
        let mut limit = Duration::from_secs(5);
        let mut it = args[1..].iter();
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--seed" => seed = number(it.next(), arg)?,
                "--from" => from = number(it.next(), arg)?,
                "--until-ms" => until = number(it.next(), arg)?,
                "--timeout" => limit = seconds(it.next(), arg)?,
                other => return Err(format!("unknown worker option {other:?}")),
            }
        }
        let ctx = engine::Context::load(target, &pims_fuzz::root())?;
        engine::worker(ctx, seed, from, until, limit)
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn exec(args: &[String]) -> ExitCode {
    let Some(path) = args.first() else {
        return usage("exec needs the folder of a stored input");
    };
    let mut limit = Duration::from_secs(5);
    let mut deep = false;
    let mut it = args[1..].iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--timeout" => match seconds(it.next(), arg) {
                Ok(d) => limit = d,
                Err(e) => return usage(&e),
            },
            "--deep" => deep = true,
            other => return usage(&format!("unknown exec option {other:?}")),
        }
    }
    engine::exec(&PathBuf::from(path), limit, deep)
}
