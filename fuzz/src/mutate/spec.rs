//! Spec folders: a seed folder with one or more files mutated, files added,
//! removed or moved, an api renamed together with its file, the folder's
//! path changed.

use std::path::{Path, PathBuf};

use super::dict;
use super::text::{self, Pools};
use super::yaml::{self, Role};
use crate::input::SpecInput;
use crate::rng::Rng;
use crate::seeds::{Group, SpecSeed};

/// How often each group of seeds is picked: mostly small folders, which run fast.
fn group_weight(group: Group) -> u32 {
    match group {
        Group::Whole => 3,
        Group::Slice => 70,
        Group::Good => 15,
        // refused by design: they reach the diagnostics, rarely an emitter
        Group::Bad => 12,
    }
}

fn is_manifest(path: &Path) -> bool {
    path == Path::new("pims.yaml")
}

/// A new spec input from `seeds`; also says which seed it started from.
pub fn input(rng: &mut Rng, seeds: &[SpecSeed], pools: &Pools) -> (SpecInput, String) {
    let weights: Vec<u32> = seeds.iter().map(|s| group_weight(s.group)).collect();
    let seed = &seeds[rng.weighted(&weights)];
    let mut input = seed.input.clone();
    // few mutations at a time: most mutations make a spec that is refused,
    // and only a spec that checks clean reaches the emitters
    let mut n = 1;
    while n < 8 && rng.chance(2, 5) {
        n += 1;
    }
    for _ in 0..n {
        mutate_folder(rng, &mut input, pools);
    }
    (input, seed.name.clone())
}

fn pick_file(rng: &mut Rng, input: &SpecInput) -> Option<usize> {
    if input.files.is_empty() {
        return None;
    }
    let apis: Vec<usize> = (0..input.files.len())
        .filter(|&i| !is_manifest(&input.files[i].0))
        .collect();
    if !apis.is_empty() && rng.chance(7, 10) {
        Some(*rng.pick(&apis))
    } else {
        Some(rng.below(input.files.len()))
    }
}

fn free_path(input: &SpecInput, path: PathBuf) -> Option<PathBuf> {
    (!input.files.iter().any(|(p, _)| *p == path)).then_some(path)
}

fn segments(rng: &mut Rng) -> Vec<&'static str> {
    (0..rng.between(1, 3))
        .map(|_| *rng.pick(dict::SEGMENTS))
        .collect()
}

/// Whether `text[at..at + len]` is a whole word.
fn whole_word(text: &str, at: usize, len: usize) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    !text[..at].chars().next_back().is_some_and(word)
        && !text[at + len..].chars().next().is_some_and(word)
}

/// Renames a name (a type, a field, an error, a component, an enumeration
/// member, …) in every file where it is written as a whole word.
fn rename_everywhere(rng: &mut Rng, input: &mut SpecInput, pools: &Pools) {
    let Some(i) = pick_file(rng, input) else {
        return;
    };
    let Ok(text) = std::str::from_utf8(&input.files[i].1) else {
        return;
    };
    let lines = yaml::lines(text);
    let names: Vec<(String, Role)> = yaml::sites(text, &lines)
        .into_iter()
        .filter(|s| s.role.is_name())
        .map(|s| (text[s.span].trim_matches(['"', '\'']).to_owned(), s.role))
        .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .collect();
    if names.is_empty() {
        return;
    }
    let (old, role) = rng.pick(&names).clone();
    let new = match rng.below(4) {
        0 => rng.word(dict::HAZARDS).to_owned(),
        1 => rng.word(dict::NAMES).to_owned(),
        // a real name of the same kind: two definitions of one name
        2 => pools
            .by_role
            .get(&role)
            .filter(|p| !p.is_empty())
            .map_or_else(|| old.clone(), |p| rng.pick(p).clone()),
        _ => text::near_miss(rng, &old),
    };
    let plain = new.chars().all(|c| c.is_alphanumeric() || c == '_') && !new.is_empty();
    let written = if plain {
        new
    } else {
        text::scalar(rng, &new, true)
    };
    for (_, bytes) in &mut input.files {
        let Ok(t) = std::str::from_utf8(bytes) else {
            continue;
        };
        let mut out = String::with_capacity(t.len());
        let mut last = 0;
        for (at, _) in t.match_indices(old.as_str()) {
            if at >= last && whole_word(t, at, old.len()) {
                out.push_str(&t[last..at]);
                out.push_str(&written);
                last = at + old.len();
            }
        }
        out.push_str(&t[last..]);
        *bytes = out.into_bytes();
    }
}

fn mutate_folder(rng: &mut Rng, input: &mut SpecInput, pools: &Pools) {
    match rng.weighted(&[72, 5, 2, 3, 3, 1, 2, 12]) {
        0 => {
            if let Some(i) = pick_file(rng, input) {
                text::mutate(rng, &mut input.files[i].1, pools);
            }
        }
        // an api renamed, its file moved to match
        1 => {
            let Some(i) = pick_file(rng, input).filter(|&i| !is_manifest(&input.files[i].0)) else {
                return;
            };
            let Ok(text) = std::str::from_utf8(&input.files[i].1) else {
                return;
            };
            let lines = yaml::lines(text);
            let Some(site) = yaml::sites(text, &lines)
                .into_iter()
                .find(|s| s.role == Role::Api && !s.key)
            else {
                return;
            };
            let segs = segments(rng);
            let new = format!(
                "{}pims.{}{}",
                &text[..site.span.start],
                segs.join("."),
                &text[site.span.end..]
            );
            let mut path: PathBuf = segs.iter().collect();
            path.set_extension("yaml");
            if let Some(path) = free_path(input, path) {
                input.files[i] = (path, new.into_bytes());
            }
        }
        // a file moved, its api kept
        2 => {
            if let Some(i) = pick_file(rng, input) {
                let mut path: PathBuf = segments(rng).iter().collect();
                path.set_extension(if rng.chance(1, 8) { "YAML" } else { "yaml" });
                if let Some(path) = free_path(input, path) {
                    input.files[i].0 = path;
                }
            }
        }
        // a file removed
        3 => {
            if let Some(i) = pick_file(rng, input)
                && (!is_manifest(&input.files[i].0) || rng.chance(1, 10))
            {
                input.files.remove(i);
            }
        }
        // a file copied elsewhere: the same api twice, or a path that does not match
        4 => {
            if let Some(i) = pick_file(rng, input) {
                let mut path: PathBuf = segments(rng).iter().collect();
                path.set_extension("yaml");
                if let Some(path) = free_path(input, path) {
                    let copy = input.files[i].1.clone();
                    input.files.push((path, copy));
                }
            }
        }
        // an empty file
        5 => {
            let bodies: [&[u8]; 6] = [b"", b"\n", b"# only a comment\n", b"---\n", b"~\n", b"[]\n"];
            let body = *rng.pick(&bodies);
            let mut path: PathBuf = segments(rng).iter().collect();
            path.set_extension("yaml");
            if let Some(path) = free_path(input, path) {
                input.files.push((path, body.to_vec()));
            }
        }
        // the folder's own path, as it shows in headers and docs
        6 => input.root = (*rng.pick(dict::ROOTS)).to_owned(),
        // a name renamed wherever it is written, so that the spec stays valid
        _ => rename_everywhere(rng, input, pools),
    }
    input.files.sort_by(|a, b| a.0.cmp(&b.0));
}
