//! The fuzz corpus as tests.
//!
//! - Every case of `fuzz/regressions/<target>/<name>/` replays clean: a bug
//!   the fuzzer found stays fixed. A spec case checks clean, so it goes
//!   through every emitter, unless it holds a file `refused` (a bug of the
//!   front end: then it must be refused, with located diagnostics).
//! - Every case of `fuzz/known/<name>/` still fails as its `signature`
//!   file records: these are bugs found and not fixed yet. When one passes,
//!   its bug is fixed: move the case to `fuzz/regressions/<target>/` (and
//!   delete its `signature`), so it stays fixed.
//!
//! One test, so that the panic hook, which is global, records the panics of
//! one input at a time.

use std::path::{Path, PathBuf};
use std::time::Duration;

use pims_fuzz::guard;
use pims_fuzz::input::{Input, Target};
use pims_fuzz::targets;

fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn regressions_stay_fixed_and_known_failures_still_fail() {
    guard::install_hook(true);
    let root = pims_fuzz::root().join("fuzz");
    let limit = Duration::from_secs(60);
    let mut replayed = 0;
    for target in Target::ALL {
        let found = cases(&root.join("regressions").join(target.name()));
        assert!(
            !found.is_empty(),
            "fuzz/regressions/{target}/ holds no case"
        );
        for case in found {
            let input = Input::read(&case).unwrap_or_else(|e| panic!("{}: {e}", case.display()));
            assert_eq!(
                input.target(),
                *target,
                "{}: a case of another target",
                case.display()
            );
            match targets::run_with_limit(&input, true, limit) {
                Err(f) => panic!(
                    "{} fails again: {f}\nreplay: cargo xtask fuzz replay {}",
                    case.display(),
                    case.display()
                ),
                Ok(targets::Ran::Spec(stats)) => assert_eq!(
                    stats.clean,
                    !case.join("refused").exists(),
                    "{}: checks clean unless it holds `refused` (codes: {:?})",
                    case.display(),
                    stats.codes
                ),
                Ok(targets::Ran::Message(_)) => {}
            }
            replayed += 1;
        }
    }
    assert!(replayed >= 2);
    for case in cases(&root.join("known")) {
        let recorded = std::fs::read_to_string(case.join("signature")).unwrap_or_else(|e| {
            panic!(
                "{}: a known failure needs its signature: {e}",
                case.display()
            )
        });
        let input = Input::read(&case).unwrap_or_else(|e| panic!("{}: {e}", case.display()));
        match targets::run_with_limit(&input, true, limit) {
            Ok(_) => panic!(
                "{} passes now: its bug is fixed. Move it to fuzz/regressions/{}/ and delete its `signature`",
                case.display(),
                input.target()
            ),
            Err(f) => assert_eq!(
                f.signature(),
                recorded.trim(),
                "{} fails another way than recorded: {f}",
                case.display()
            ),
        }
    }
}
