//! The seeds pass every check of their target unmutated: the checks hold for
//! the project's own spec, so a failure the fuzzer reports comes from its
//! mutation. `spec/` and `tests/specs/good/` check clean (and so go through
//! every emitter); the cases of `tests/specs/bad/` are refused (those with
//! warnings only check clean) without a failure; every seed message decodes.

use std::time::Duration;

use pims_fuzz::guard;
use pims_fuzz::input::Input;
use pims_fuzz::seeds::{self, Group};
use pims_fuzz::targets::{self, Ran};

#[test]
fn every_seed_passes_unmutated() {
    guard::install_hook(true);
    let root = pims_fuzz::root();
    let limit = Duration::from_secs(120);
    let specs = seeds::spec_seeds(&root).expect("the seeds load");
    assert!(specs.iter().any(|s| s.group == Group::Bad));
    for seed in specs.iter().filter(|s| s.group != Group::Slice) {
        let ran = targets::run_with_limit(&Input::Spec(seed.input.clone()), true, limit)
            .unwrap_or_else(|f| panic!("{}: {f}", seed.name));
        let Ran::Spec(stats) = ran else {
            panic!("a spec")
        };
        // the bad cases named `warn-*` have warnings only
        let clean = seed.group != Group::Bad || seed.name.contains("/warn-");
        assert_eq!(stats.clean, clean, "{}: {:?}", seed.name, stats.codes);
    }
    let ir = pims_codegen::analyze(&root.join("spec"))
        .into_ir()
        .expect("spec/ checks clean");
    let messages = seeds::message_seeds(&ir);
    assert!(messages.len() > 100);
    let mut data = 0;
    for m in messages {
        let shown = format!("{} {} {}: {}", m.api, m.name, m.kind.name(), m.text);
        match targets::run(&Input::Message(m), true) {
            Ok(Ran::Message(pims_fuzz::decode::Decoded::Refused)) => panic!("refused: {shown}"),
            Ok(Ran::Message(pims_fuzz::decode::Decoded::Data)) => data += 1,
            Ok(_) => {}
            Err(f) => panic!("{shown}: {f}"),
        }
    }
    assert!(data > 50, "{data} seed messages decode to data");
}
