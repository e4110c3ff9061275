//! Minimisation: the smallest input found that still fails the same way.
//! A spec folder loses the files it does not need, then each file loses
//! lines, then characters; a message loses characters. Each candidate is run
//! by the caller's test (in a child process, so a crash or a hang in a
//! candidate is only an answer), until the time budget is spent.

use std::time::{Duration, Instant};

use crate::input::{Input, SpecInput};

/// Removes chunks of `units` (halving their size, down to one; small chunks
/// at every offset, not only at multiples of their size) while `test` still
/// holds, until `deadline`.
pub fn shrink<T: Clone>(
    mut units: Vec<T>,
    deadline: Instant,
    test: &mut dyn FnMut(&[T]) -> bool,
) -> Vec<T> {
    let mut chunk = (units.len() / 2).max(1);
    loop {
        let mut progress = false;
        let mut i = 0;
        while i < units.len() {
            if Instant::now() > deadline {
                return units;
            }
            let end = (i + chunk).min(units.len());
            let candidate: Vec<T> = units[..i].iter().chain(&units[end..]).cloned().collect();
            if test(&candidate) {
                units = candidate;
                progress = true;
            } else if chunk <= 4 {
                i += 1;
            } else {
                i += chunk;
            }
        }
        if chunk == 1 {
            if !progress {
                return units;
            }
        } else {
            chunk = (chunk / 2).max(1);
        }
    }
}

fn lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

fn try_file(
    input: &SpecInput,
    file: usize,
    bytes: Vec<u8>,
    fails: &mut dyn FnMut(&Input) -> bool,
) -> bool {
    let mut candidate = input.clone();
    candidate.files[file].1 = bytes;
    fails(&Input::Spec(candidate))
}

fn shrink_lines(
    input: &mut SpecInput,
    file: usize,
    deadline: Instant,
    fails: &mut dyn FnMut(&Input) -> bool,
) {
    let kept = shrink(lines(&input.files[file].1), deadline, &mut |units| {
        try_file(input, file, units.concat(), fails)
    });
    input.files[file].1 = kept.concat();
}

/// Removes whole YAML blocks (an error entry, a field, an operation, with
/// what is indented under them), last first, while the failure holds.
fn shrink_blocks(
    input: &mut SpecInput,
    file: usize,
    deadline: Instant,
    fails: &mut dyn FnMut(&Input) -> bool,
) {
    let Ok(text) = String::from_utf8(input.files[file].1.clone()) else {
        return;
    };
    let mut text = text;
    let mut i = crate::mutate::yaml::lines(&text).len();
    while i > 0 && Instant::now() < deadline {
        i -= 1;
        let lines = crate::mutate::yaml::lines(&text);
        if i >= lines.len() || lines[i].inert {
            continue;
        }
        let block = crate::mutate::yaml::block(&lines, i);
        if block.len() < 2 {
            continue;
        }
        let span = lines[block.start].span.start..lines[block.end - 1].span.end;
        let mut candidate = text.clone();
        candidate.replace_range(span, "");
        if try_file(input, file, candidate.clone().into_bytes(), fails) {
            text = candidate;
        }
    }
    input.files[file].1 = text.into_bytes();
}

fn shrink_chars(
    input: &mut SpecInput,
    file: usize,
    deadline: Instant,
    fails: &mut dyn FnMut(&Input) -> bool,
) {
    let bytes = input.files[file].1.clone();
    let kept = match String::from_utf8(bytes) {
        Ok(text) => {
            let chars: Vec<char> = text.chars().collect();
            shrink(chars, deadline, &mut |units| {
                try_file(
                    input,
                    file,
                    units.iter().collect::<String>().into_bytes(),
                    fails,
                )
            })
            .iter()
            .collect::<String>()
            .into_bytes()
        }
        Err(e) => shrink(e.into_bytes(), deadline, &mut |units| {
            try_file(input, file, units.to_vec(), fails)
        }),
    };
    input.files[file].1 = kept;
}

/// The smallest input found, within `budget`, for which `fails` still holds.
pub fn minimize(input: Input, budget: Duration, fails: &mut dyn FnMut(&Input) -> bool) -> Input {
    let deadline = Instant::now() + budget;
    match input {
        Input::Spec(mut spec) => {
            if spec.root != "spec" {
                let mut candidate = spec.clone();
                candidate.root = "spec".to_owned();
                if fails(&Input::Spec(candidate.clone())) {
                    spec = candidate;
                }
            }
            let files = spec.files.clone();
            let kept = shrink(files, deadline, &mut |units| {
                let mut candidate = spec.clone();
                candidate.files = units.to_vec();
                fails(&Input::Spec(candidate))
            });
            spec.files = kept;
            // lines of every file first, smallest file first (the api file
            // the failure is usually in), then characters
            let mut order: Vec<usize> = (0..spec.files.len()).collect();
            order.sort_by_key(|&i| spec.files[i].1.len());
            for &file in &order {
                shrink_blocks(&mut spec, file, deadline, fails);
                shrink_lines(&mut spec, file, deadline, fails);
            }
            for &file in &order {
                shrink_chars(&mut spec, file, deadline, fails);
            }
            Input::Spec(spec)
        }
        Input::Message(mut message) => {
            let chars: Vec<char> = message.text.chars().collect();
            let kept = shrink(chars, deadline, &mut |units| {
                let mut candidate = message.clone();
                candidate.text = units.iter().collect();
                fails(&Input::Message(candidate))
            });
            message.text = kept.into_iter().collect();
            Input::Message(message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{MessageInput, MessageKind};

    #[test]
    fn shrink_keeps_only_what_the_test_needs() {
        let units: Vec<u32> = (0..100).collect();
        let far = Instant::now() + Duration::from_secs(30);
        let kept = shrink(units, far, &mut |u| u.contains(&17) && u.contains(&90));
        assert_eq!(kept, vec![17, 90]);
    }

    #[test]
    fn a_spec_loses_files_lines_and_characters() {
        let input = Input::Spec(SpecInput {
            root: "odd".into(),
            files: vec![
                (
                    "pims.yaml".into(),
                    b"sdk:\n  name: x\nerrors: []\n".to_vec(),
                ),
                (
                    "a/b.yaml".into(),
                    b"api: pims.a.b\nname: Self\nother: 1\n".to_vec(),
                ),
            ],
        });
        let small = minimize(input, Duration::from_secs(30), &mut |i| match i {
            Input::Spec(s) => s
                .files
                .iter()
                .any(|(_, b)| String::from_utf8_lossy(b).contains("Self")),
            Input::Message(_) => false,
        });
        let Input::Spec(s) = small else {
            panic!("a spec")
        };
        assert_eq!(s.root, "spec");
        assert_eq!(s.files.len(), 1);
        assert_eq!(s.files[0].1, b"Self");
    }

    #[test]
    fn a_message_loses_characters() {
        let input = Input::Message(MessageInput {
            api: "pims.a".into(),
            verb: "get".into(),
            name: "b".into(),
            kind: MessageKind::Reply,
            text: r#"{"status":"FAILED","error":{"code":1e400}}"#.into(),
        });
        let small = minimize(input, Duration::from_secs(30), &mut |i| match i {
            Input::Message(m) => m.text.contains("1e400"),
            Input::Spec(_) => false,
        });
        let Input::Message(m) = small else {
            panic!("a message")
        };
        assert_eq!(m.text, "1e400");
    }
}
