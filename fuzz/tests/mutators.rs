//! The mutators themselves: making inputs ends, and the same seed and index
//! make the same input (what lets a crashed worker's input be made again).

use std::time::Duration;

use pims_fuzz::engine::Context;
use pims_fuzz::guard;
use pims_fuzz::input::{Input, Target};

#[test]
fn inputs_are_made_quickly_and_again_alike() {
    for target in Target::ALL {
        let made = guard::with_time_limit(Duration::from_secs(120), move || {
            let ctx = Context::load(*target, &pims_fuzz::root()).expect("the seeds load");
            let mut changed = 0;
            for index in 0..150 {
                let (a, origin) = ctx.generate(5, index);
                let (b, _) = ctx.generate(5, index);
                assert_eq!(
                    a, b,
                    "{target} input {index} (from {origin}) is made differently twice"
                );
                if let Input::Message(m) = &a {
                    assert!(
                        m.text.len() <= pims_fuzz::mutate::json::MAX_TEXT * 2,
                        "{target} input {index} is too large"
                    );
                }
                changed += usize::from(ctx.generate(6, index).0 != a);
            }
            Ok(changed)
        });
        let changed = made.unwrap_or_else(|f| panic!("{target}: {f}"));
        assert!(
            changed > 130,
            "{target}: another seed changes the inputs ({changed} of 150)"
        );
    }
}
