//! Mutations of one spec file, aimed by what [`super::yaml`] reads of it:
//! spec-level (names, codes, verbs, selectors, enumerations, types, whole
//! snippets of the format), YAML-level (near-miss keys, scalars of another
//! kind, duplicate keys, indentation, anchors and aliases, documents,
//! control and bidi characters, quoting, comments, blocks moved between
//! files) and byte-level as a fallback.

use std::collections::{BTreeMap, BTreeSet};

use super::dict;
use super::yaml::{self, Line, Role, Site};
use crate::rng::Rng;

/// What the seeds hold, by role: real names, codes and types to reuse
/// (a type name of another file, a sibling's selector value), and blocks to
/// move between files.
#[derive(Debug, Clone, Default)]
pub struct Pools {
    /// Texts of sites, by role.
    pub by_role: BTreeMap<Role, Vec<String>>,
    /// Blocks of lines, their indentation removed.
    pub blocks: Vec<String>,
}

impl Pools {
    /// Collects the pools of `texts`.
    pub fn harvest<'a>(texts: impl IntoIterator<Item = &'a str>) -> Pools {
        let mut by_role: BTreeMap<Role, BTreeSet<String>> = BTreeMap::new();
        let mut blocks = BTreeSet::new();
        for text in texts {
            let lines = yaml::lines(text);
            for site in yaml::sites(text, &lines) {
                by_role
                    .entry(site.role)
                    .or_default()
                    .insert(text[site.span].to_owned());
            }
            for i in 0..lines.len() {
                if lines[i].inert || lines[i].key.is_none() {
                    continue;
                }
                let b = yaml::block(&lines, i);
                if b.len() > 1 && b.len() <= 40 {
                    blocks.insert(dedent(text, &lines[b]));
                }
            }
        }
        Pools {
            by_role: by_role
                .into_iter()
                .map(|(r, s)| (r, s.into_iter().collect()))
                .collect(),
            blocks: blocks.into_iter().collect(),
        }
    }

    fn pick(&self, rng: &mut Rng, role: Role) -> Option<String> {
        let pool = self.by_role.get(&role)?;
        (!pool.is_empty()).then(|| rng.pick(pool).clone())
    }
}

fn dedent(text: &str, lines: &[Line]) -> String {
    let own = lines
        .first()
        .map_or(0, |l| if l.dash { l.indent } else { l.col });
    let mut out = String::new();
    for l in lines {
        let raw = &text[l.span.clone()];
        let cut = raw.len() - raw.trim_start_matches(' ').len();
        out.push_str(&raw[cut.min(own)..]);
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn indent_lines(block: &str, col: usize) -> String {
    let pad = " ".repeat(col);
    let mut out = String::new();
    for line in block.split_inclusive('\n') {
        if line.trim().is_empty() {
            out.push_str(line);
        } else {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A YAML scalar for `s`: plain where it can be (sometimes where it cannot),
/// else double or single quoted.
pub fn scalar(rng: &mut Rng, s: &str, flow: bool) -> String {
    let specials: &[char] = if flow {
        &[
            ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ':',
            '?',
        ]
    } else {
        &[
            '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', '[', '{', ':', '?',
        ]
    };
    let plain_safe = !s.is_empty()
        && !s.starts_with([' ', '-', '~'])
        && !s.ends_with(' ')
        && !s.chars().any(|c| c.is_control() || specials.contains(&c));
    let choice = rng.below(20);
    if (plain_safe && choice < 11) || choice == 0 {
        return s.to_owned();
    }
    if choice < 16 || s.chars().any(char::is_control) {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        return out;
    }
    format!("'{}'", s.replace('\'', "''"))
}

/// A near miss of `word`: a typo, another case, snake and camel swapped, a
/// plural, a prefix or suffix.
pub fn near_miss(rng: &mut Rng, word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    if chars.is_empty() {
        return "x".to_owned();
    }
    let i = rng.below(chars.len());
    match rng.below(12) {
        0 => chars
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, c)| c)
            .collect(),
        1 if chars.len() > 1 => {
            let mut c = chars.clone();
            let j = (i + 1) % c.len();
            c.swap(i, j);
            c.into_iter().collect()
        }
        2 => {
            let mut c = chars.clone();
            c.insert(i, chars[i]);
            c.into_iter().collect()
        }
        3 => word.to_uppercase(),
        4 => word.to_lowercase(),
        5 => {
            let mut c = chars.clone();
            c[0] = if c[0].is_uppercase() {
                c[0].to_lowercase().next().unwrap_or(c[0])
            } else {
                c[0].to_uppercase().next().unwrap_or(c[0])
            };
            c.into_iter().collect()
        }
        6 => to_snake(word),
        7 => to_camel(word),
        8 => format!("{word}s"),
        9 => word.strip_suffix('s').unwrap_or(word).to_owned() + "_",
        10 => format!("_{word}"),
        _ => format!("{word} "),
    }
}

fn to_snake(word: &str) -> String {
    let mut out = String::new();
    for (i, c) in word.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

fn to_camel(word: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in word.chars() {
        if c == '_' || c == '-' || c == ' ' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn replace(text: &str, span: std::ops::Range<usize>, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(&text[..span.start]);
    out.push_str(with);
    out.push_str(&text[span.end..]);
    out
}

/// A name for a name site: a keyword or an odd name, a real name of the
/// same role, a near miss, or a sibling's name (a collision).
fn name(rng: &mut Rng, pools: &Pools, role: Role, own: &str, siblings: &[String]) -> String {
    match rng.below(10) {
        0..=2 => (*rng.pick(dict::HAZARDS)).to_owned(),
        3 | 4 => (*rng.pick(dict::NAMES)).to_owned(),
        5 => pools.pick(rng, role).unwrap_or_else(|| own.to_owned()),
        6 => near_miss(rng, own.trim_matches(['"', '\''])),
        7 if !siblings.is_empty() => {
            let s = rng.pick(siblings).trim_matches(['"', '\'']).to_owned();
            if rng.chance(1, 2) {
                s
            } else {
                near_miss(rng, &s)
            }
        }
        8 => dict::long_name(rng.pick(&[64, 255, 256, 1000, 70_000]).to_owned()),
        _ => format!("{}{}", *rng.pick(dict::NAMES), *rng.pick(dict::NAMES)),
    }
}

/// A replacement for a value site of `role`.
fn value_for(rng: &mut Rng, pools: &Pools, site: &Site, own: &str) -> String {
    let flow = site.flow;
    let from_pool = |rng: &mut Rng| pools.pick(rng, site.role);
    let raw: String = match site.role {
        Role::TypeRef => match rng.below(3) {
            0 => (*rng.pick(dict::TYPES)).to_owned(),
            1 => from_pool(rng).unwrap_or_else(|| "string".into()),
            _ => pools
                .pick(rng, Role::TypeName)
                .unwrap_or_else(|| "Self".into()),
        },
        Role::ErrorCode => match rng.below(2) {
            0 => (*rng.pick(dict::CODES)).to_owned(),
            _ => from_pool(rng).unwrap_or_else(|| "2001".into()),
        },
        Role::Verb => (*rng.pick(dict::VERBS)).to_owned(),
        Role::Version => (*rng.pick(dict::VERSIONS)).to_owned(),
        Role::Number => (*rng.pick(dict::NUMBERS)).to_owned(),
        Role::Pattern => (*rng.pick(dict::PATTERNS)).to_owned(),
        Role::Bool => (*rng.pick(&[
            "true", "false", "yes", "~", "1", "\"true\"", "True", "[]", "reason",
        ]))
        .to_owned(),
        Role::Text | Role::Example => {
            let t = *rng.pick(dict::TEXTS);
            let body = if rng.chance(1, 2) {
                t.to_owned()
            } else {
                let inner = own.trim_matches(['"', '\'']);
                let at = rng.below(inner.len() + 1);
                let at = (0..=at)
                    .rev()
                    .find(|&i| inner.is_char_boundary(i))
                    .unwrap_or(0);
                format!("{}{t}{}", &inner[..at], &inner[at..])
            };
            return scalar(rng, &body, flow);
        }
        Role::Api => {
            let n = rng.between(1, 3);
            let segs: Vec<&str> = (0..n).map(|_| *rng.pick(dict::SEGMENTS)).collect();
            match rng.below(4) {
                0 => near_miss(rng, own),
                _ => format!("pims.{}", segs.join(".")),
            }
        }
        Role::Related => match rng.below(3) {
            0 => format!(
                "{}#{}",
                pools.pick(rng, Role::Api).unwrap_or_default(),
                *rng.pick(dict::NAMES)
            ),
            1 => near_miss(rng, own),
            _ => from_pool(rng).unwrap_or_default(),
        },
        Role::ComponentRef
        | Role::SecurityRef
        | Role::Platform
        | Role::Format
        | Role::SelectorValue
        | Role::Other => match rng.below(4) {
            0 => (*rng.pick(dict::NAMES)).to_owned(),
            1 => near_miss(rng, own),
            _ => from_pool(rng).unwrap_or_else(|| own.to_owned()),
        },
        _ => (*rng.pick(dict::NAMES)).to_owned(),
    };
    if raw.starts_with(['"', '\'', '[', '{', '.', '-', '+', '~'])
        || raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '#')
    {
        raw
    } else {
        scalar(rng, &raw, flow)
    }
}

const SNIPPETS_FIELDS: &[&str] = &[
    "$N1: { type: $T }",
    "$N1: { type: string, required: true, example: $X }",
    "$N1: { type: integer, values: $E }",
    "$N1: { type: string, values: $E }",
    "$N1:\n  type: object\n  fields:\n    $N2: { type: $T, required: true }",
    "$N1:\n  type: array\n  items:\n    type: array\n    items: { type: $T }",
    "$N1:\n  type: string\n  values:\n    - value: $N2\n      name: $N3\n    - value: $N3",
    "$N1: { type: $T, nullable: true, default: $X }",
    "$N1: { type: number, minimum: $NUM, maximum: $NUM }",
    "$N1: { type: string, pattern: $PAT, min_length: $NUM }",
    "$N1: { type: object, additional: true }",
    "$N1: { type: array, items: { type: integer, values: $E }, min_items: $NUM }",
    "$N1: { type: boolean, values: [{ value: true, description: $X }] }",
    "$N1: { type: any, example: { $N2: [$NUM] } }",
];

const SNIPPETS_TYPES: &[&str] = &[
    "$N1:\n  type: object\n  fields:\n    $N2: { type: $T }",
    "$N1: { type: string, values: $E }",
    "$N1: { type: integer, values: $E }",
    "$N1: { type: $N2 }",
    "$N1: { type: array, items: { type: $N1 } }",
    "$N1:\n  type: object\n  fields:\n    next: { type: $N1 }",
    "$N1: { type: string, pattern: $PAT }",
];

const SNIPPETS_ERRORS: &[&str] = &[
    "- code: $C\n  name: $N1\n  category: $N2\n  label: $X",
    "- code: $C\n  name: $N1\n  category: generic\n  label: \"[$N2] and [$N3]\"\n  sub_codes: true",
    "- code: $C\n  name: $N1\n  category: input\n  label: \"Missing [$N2] parameter\"",
];

const SNIPPETS_VALUES: &[&str] = &[
    "- value: $N1\n  name: $N2",
    "- $N1",
    "- value: $NUM",
    "- { value: $N1, description: $X }",
];

const SNIPPETS_OPERATIONS: &[&str] = &[
    "- name: $N1\n  verb: $V\n  since: \"2.0\"\n  selector: { $N2: $N3 }\n  parameters:\n    $N2: { type: string, required: true }\n  result:\n    type: object\n    fields:\n      $N3: { type: $T, example: $X }\n  errors: [$C]",
    "- name: $N1\n  verb: subscribe\n  since: \"2.0\"\n  events:\n    type: object\n    fields:\n      $N2: { type: integer, values: $E }\n  examples:\n    - parameters: {}\n      result: {}\n      events: [{ $N2: $NUM }]",
    "- name: $N1\n  verb: get\n  since: \"2.0\"\n  result: { type: array, items: { type: $T } }",
];

const SNIPPETS_SELECTOR: &[&str] = &["$N1: $N2", "$N1: $NUM", "$N1: true", "$N1: ~", "$N1: [a]"];

const SNIPPETS_EXAMPLES: &[&str] = &[
    "- summary: $X\n  parameters: {}\n  result: {}",
    "- parameters: { $N1: $N2 }\n  error: $C",
    "- parameters: {}\n  events: [{}, { $N1: 1 }]",
    "- parameters: { $N1: $NUM }\n  result: { $N2: $X }",
];

const SNIPPETS_NAMED: &[&str] = &[
    "$N1:\n  description: $X",
    "$N1:\n  title: $X\n  security: []\n  compatibility: [PSA]\n  since: \"2.0\"",
];

fn snippets_for(key: &str) -> Option<&'static [&'static str]> {
    Some(match key {
        "parameters" | "fields" => SNIPPETS_FIELDS,
        "types" => SNIPPETS_TYPES,
        "errors" => SNIPPETS_ERRORS,
        "values" => SNIPPETS_VALUES,
        "operations" => SNIPPETS_OPERATIONS,
        "selector" => SNIPPETS_SELECTOR,
        "examples" => SNIPPETS_EXAMPLES,
        "securities" | "components" => SNIPPETS_NAMED,
        _ => return None,
    })
}

fn fill(rng: &mut Rng, pools: &Pools, template: &str) -> String {
    let mut out = template.to_owned();
    let names: Vec<String> = (0..3)
        .map(|_| {
            let n = if rng.chance(3, 4) {
                (*rng.pick(dict::NAMES)).to_owned()
            } else {
                pools
                    .pick(rng, Role::FieldName)
                    .unwrap_or_else(|| "x".into())
            };
            scalar(rng, &n, true)
        })
        .collect();
    let mut take = |token: &str, out: &mut String, make: &mut dyn FnMut(&mut Rng) -> String| {
        while let Some(at) = out.find(token) {
            let v = make(rng);
            out.replace_range(at..at + token.len(), &v);
        }
    };
    take("$NUM", &mut out, &mut |r| {
        (*r.pick(dict::NUMBERS)).to_owned()
    });
    take("$N1", &mut out, &mut |_| names[0].clone());
    take("$N2", &mut out, &mut |_| names[1].clone());
    take("$N3", &mut out, &mut |_| names[2].clone());
    take("$T", &mut out, &mut |r| {
        if r.chance(1, 2) {
            (*r.pick(dict::TYPES)).to_owned()
        } else {
            pools
                .pick(r, Role::TypeName)
                .unwrap_or_else(|| "string".into())
        }
    });
    take("$E", &mut out, &mut |r| {
        (*r.pick(dict::ENUM_LISTS)).to_owned()
    });
    take("$C", &mut out, &mut |r| {
        if r.chance(1, 2) {
            (*r.pick(dict::CODES)).to_owned()
        } else {
            pools
                .pick(r, Role::ErrorCode)
                .unwrap_or_else(|| "2001".into())
        }
    });
    take("$X", &mut out, &mut |r| {
        let t = *r.pick(dict::TEXTS);
        scalar(r, t, true)
    });
    take("$PAT", &mut out, &mut |r| {
        (*r.pick(dict::PATTERNS)).to_owned()
    });
    take("$V", &mut out, &mut |r| (*r.pick(dict::VERBS)).to_owned());
    out
}

/// A nested object `depth` levels deep, as a field.
fn deep_field(rng: &mut Rng, depth: usize) -> String {
    let mut out = String::new();
    for d in 0..depth {
        let pad = "  ".repeat(2 * d);
        let n = if rng.chance(1, 4) {
            (*rng.pick(dict::NAMES)).to_owned()
        } else {
            format!("level{d}")
        };
        out.push_str(&format!(
            "{pad}{}:\n{pad}  type: object\n{pad}  fields:\n",
            scalar(rng, &n, false)
        ));
    }
    let pad = "  ".repeat(2 * depth);
    out.push_str(&format!("{pad}leaf: {{ type: string }}\n"));
    out
}

const CONTROLS: &[&str] = &[
    "\r", "\u{202e}", "\u{2066}", "\u{2069}", "\u{200f}", "\u{feff}", "\u{0}", "\u{85}",
    "\u{2028}", "\t", "\u{200b}", "\u{7f}", "\u{1b}", "\u{301}", "\r\n", "\u{fffe}",
];

/// One mutation of `text`, or `None` when the chosen one does not apply.
fn try_once(rng: &mut Rng, text: &str, pools: &Pools) -> Option<String> {
    let lines = yaml::lines(text);
    let sites = yaml::sites(text, &lines);
    let live: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].inert).collect();
    let weights = [32, 12, 5, 6, 8, 4, 4, 6, 4, 3, 2, 4, 3, 2, 4, 12, 3, 2, 1];
    match rng.weighted(&weights) {
        // a name: a keyword, a real name, a near miss, a collision
        0 => {
            let names: Vec<&Site> = sites.iter().filter(|s| s.role.is_name()).collect();
            if names.is_empty() {
                return None;
            }
            let site = *rng.pick(&names);
            let siblings: Vec<String> = names
                .iter()
                .filter(|s| s.role == site.role && s.span != site.span)
                .map(|s| text[s.span.clone()].to_owned())
                .collect();
            let own = &text[site.span.clone()];
            let new = name(rng, pools, site.role, own, &siblings);
            let new = scalar(rng, &new, site.flow);
            Some(replace(text, site.span.clone(), &new))
        }
        // a reference, a code, a verb, a version, a bound, …
        1 => {
            let refs: Vec<&Site> = sites
                .iter()
                .filter(|s| !s.key && !s.role.is_name() && s.role != Role::Text)
                .collect();
            if refs.is_empty() {
                return None;
            }
            let site = *rng.pick(&refs);
            let own = &text[site.span.clone()];
            let new = value_for(rng, pools, site, own);
            Some(replace(text, site.span.clone(), &new))
        }
        // prose that breaks out of where it lands
        2 => {
            let texts: Vec<&Site> = sites
                .iter()
                .filter(|s| matches!(s.role, Role::Text | Role::Example) && !s.key)
                .collect();
            if texts.is_empty() {
                return None;
            }
            let site = *rng.pick(&texts);
            let own = &text[site.span.clone()];
            let new = value_for(rng, pools, site, own);
            Some(replace(text, site.span.clone(), &new))
        }
        // a key of the format, misspelt
        3 => {
            let keys: Vec<&Site> = sites
                .iter()
                .filter(|s| s.key && s.role == Role::FormatKey)
                .collect();
            if keys.is_empty() {
                return None;
            }
            let site = *rng.pick(&keys);
            let base = if rng.chance(1, 3) {
                (*rng.pick(dict::KEYS)).to_owned()
            } else {
                text[site.span.clone()].to_owned()
            };
            let new = if rng.chance(1, 4) {
                base
            } else {
                near_miss(rng, &base)
            };
            Some(replace(text, site.span.clone(), &new))
        }
        // a scalar of another kind
        4 => {
            let values: Vec<&Site> = sites.iter().filter(|s| !s.key).collect();
            if values.is_empty() {
                return None;
            }
            let site = *rng.pick(&values);
            let mut new = *rng.pick(dict::SCALARS);
            if site.flow {
                while new.starts_with(['|', '>', '?', ':', '-']) {
                    new = *rng.pick(dict::SCALARS);
                }
            }
            Some(replace(text, site.span.clone(), new))
        }
        // numbers at their edges
        5 => {
            let numbers: Vec<&Site> = sites
                .iter()
                .filter(|s| {
                    !s.key
                        && text[s.span.clone()]
                            .starts_with(|c: char| c.is_ascii_digit() || c == '-')
                })
                .collect();
            if numbers.is_empty() {
                return None;
            }
            let site = *rng.pick(&numbers);
            Some(replace(text, site.span.clone(), rng.word(dict::NUMBERS)))
        }
        // a key twice
        6 => {
            let keyed: Vec<usize> = live
                .iter()
                .copied()
                .filter(|&i| lines[i].key.is_some() && lines[i].value.is_some())
                .collect();
            if keyed.is_empty() {
                return None;
            }
            let i = *rng.pick(&keyed);
            let l = &lines[i];
            let raw = &text[l.span.clone()];
            let mut copy = raw.to_owned();
            if l.dash {
                // the copy is a key of the same item
                copy = format!("{}{}", " ".repeat(l.col), &raw[l.col.min(raw.len())..]);
            }
            if !copy.ends_with('\n') {
                copy.push('\n');
            }
            if rng.chance(1, 2)
                && let Some(v) = &l.value
            {
                let rel = v.start - l.span.start;
                let rel_end = v.end - l.span.start;
                if !l.dash && rel_end <= copy.len() {
                    copy.replace_range(rel..rel_end, rng.word(dict::SCALARS));
                }
            }
            let at = if raw.ends_with('\n') {
                l.span.end
            } else {
                text.len()
            };
            let sep = if raw.ends_with('\n') { "" } else { "\n" };
            Some(format!("{}{sep}{copy}{}", &text[..at], &text[at..]))
        }
        // a block twice (an operation, a field, an error, a type), the copy perhaps renamed
        7 => {
            let starts: Vec<usize> = live
                .iter()
                .copied()
                .filter(|&i| yaml::block(&lines, i).len() > 1)
                .collect();
            if starts.is_empty() {
                return None;
            }
            let i = *rng.pick(&starts);
            let b = yaml::block(&lines, i);
            let span = lines[b.start].span.start..lines[b.end - 1].span.end;
            let mut copy = text[span.clone()].to_owned();
            if !copy.ends_with('\n') {
                copy.insert(0, '\n');
            }
            if rng.chance(2, 3) {
                // rename the copy's first name
                if let Some(site) = sites.iter().find(|s| {
                    s.role.is_name() && s.span.start >= span.start && s.span.end <= span.end
                }) {
                    let own = text[site.span.clone()].to_owned();
                    let renamed = if rng.chance(1, 2) {
                        near_miss(rng, &own)
                    } else {
                        name(rng, pools, site.role, &own, &[])
                    };
                    let renamed = scalar(rng, &renamed, site.flow);
                    let rel = site.span.start - span.start
                        + usize::from(
                            copy.starts_with('\n') && !text[span.clone()].starts_with('\n'),
                        );
                    let rel_end = rel + site.span.len();
                    if rel_end <= copy.len()
                        && copy.is_char_boundary(rel)
                        && copy.is_char_boundary(rel_end)
                    {
                        copy.replace_range(rel..rel_end, &renamed);
                    }
                }
            }
            Some(format!("{}{copy}{}", &text[..span.end], &text[span.end..]))
        }
        // a line or a block removed
        8 => {
            let i = *rng.pick(if live.is_empty() { return None } else { &live });
            let b = if rng.chance(1, 2) {
                yaml::block(&lines, i)
            } else {
                i..i + 1
            };
            let span = lines[b.start].span.start..lines[b.end - 1].span.end;
            Some(replace(text, span, ""))
        }
        // two siblings swapped
        9 => {
            let i = *rng.pick(if live.is_empty() { return None } else { &live });
            let p = yaml::parent(&lines, i);
            let own = if lines[i].dash {
                lines[i].indent
            } else {
                lines[i].col
            };
            let sib = live.iter().copied().find(|&j| {
                j > i
                    && yaml::parent(&lines, j) == p
                    && (if lines[j].dash {
                        lines[j].indent
                    } else {
                        lines[j].col
                    }) == own
                    && lines[j].dash == lines[i].dash
            })?;
            let a = yaml::block(&lines, i);
            let b = yaml::block(&lines, sib);
            if a.end > b.start {
                return None;
            }
            let sa = lines[a.start].span.start..lines[a.end - 1].span.end;
            let sb = lines[b.start].span.start..lines[b.end - 1].span.end;
            let mut ta = text[sa.clone()].to_owned();
            let mut tb = text[sb.clone()].to_owned();
            if !ta.ends_with('\n') {
                ta.push('\n');
            }
            if !tb.ends_with('\n') {
                tb.push('\n');
            }
            Some(format!(
                "{}{tb}{}{ta}{}",
                &text[..sa.start],
                &text[sa.end..sb.start],
                &text[sb.end..]
            ))
        }
        // a line or a block shifted, or a tab
        10 | 11 => {
            let i = *rng.pick(if live.is_empty() { return None } else { &live });
            let b = if rng.chance(1, 2) {
                yaml::block(&lines, i)
            } else {
                i..i + 1
            };
            let delta: isize = *rng.pick(&[-4, -2, -1, 1, 2, 4]);
            let tab = rng.chance(1, 8);
            let mut out = String::from(&text[..lines[b.start].span.start]);
            for l in &lines[b.clone()] {
                let raw = &text[l.span.clone()];
                if tab {
                    out.push('\t');
                    out.push_str(raw);
                } else if delta > 0 {
                    out.push_str(&" ".repeat(delta as usize));
                    out.push_str(raw);
                } else {
                    let cut = (-delta as usize).min(l.indent);
                    out.push_str(&raw[cut..]);
                }
            }
            out.push_str(&text[lines[b.end - 1].span.end..]);
            Some(out)
        }
        // anchors and aliases
        12 => {
            let opens: Vec<usize> = live
                .iter()
                .copied()
                .filter(|&i| lines[i].key.is_some())
                .collect();
            if opens.is_empty() {
                return None;
            }
            let a = *rng.pick(&opens);
            let name = format!("a{}", rng.below(3));
            let key_end = lines[a].key.as_ref()?.end;
            let colon = key_end + text[key_end..].find(':')? + 1;
            let mut out = format!("{} &{name}{}", &text[..colon], &text[colon..]);
            match rng.below(4) {
                // an alias somewhere else
                0 | 1 => {
                    let lines2 = yaml::lines(&out);
                    let keyed: Vec<usize> = (0..lines2.len())
                        .filter(|&i| !lines2[i].inert && lines2[i].key.is_some())
                        .collect();
                    let j = *rng.pick(&keyed);
                    let kend = lines2[j].key.as_ref()?.end;
                    let c = kend + out[kend..].find(':')? + 1;
                    let line_end =
                        lines2[j].span.end - usize::from(out[..lines2[j].span.end].ends_with('\n'));
                    if c <= line_end {
                        out = format!("{} *{name}{}", &out[..c], &out[line_end..]);
                    }
                }
                // a merge key
                2 => {
                    let at = lines[a].span.end.min(out.len());
                    let at = (at..=out.len())
                        .find(|&k| out.is_char_boundary(k))
                        .unwrap_or(out.len());
                    let pad = " ".repeat(lines[a].col + 2);
                    out.insert_str(at, &format!("{pad}<<: *{name}\n"));
                }
                // an alias to nothing
                _ => {
                    out = replace(
                        &out,
                        out.len()..out.len(),
                        &format!("\nextra: *nothing{}\n", rng.below(9)),
                    );
                }
            }
            Some(out)
        }
        // documents
        13 => {
            let marks = [
                "---\n",
                "...\n",
                "%YAML 1.2\n---\n",
                "--- !!map\n",
                "--- |\n  text\n",
                "---\n---\n",
            ];
            let mark = *rng.pick(&marks);
            match rng.below(3) {
                0 => Some(format!("{text}\n---\n{text}")),
                _ => {
                    let i = rng.below(lines.len() + 1);
                    let at = lines.get(i).map_or(text.len(), |l| l.span.start);
                    Some(format!("{}{mark}{}", &text[..at], &text[at..]))
                }
            }
        }
        // control, bidi and invisible characters
        14 => {
            let c = *rng.pick(CONTROLS);
            let targets: Vec<&Site> = sites
                .iter()
                .filter(|s| !s.key || rng.chance(1, 4))
                .collect();
            let at = if !targets.is_empty() && rng.chance(3, 4) {
                let s = *rng.pick(&targets);
                let mut at = rng.between(s.span.start, s.span.end);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                at
            } else {
                let mut at = rng.below(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                at
            };
            Some(format!("{}{c}{}", &text[..at], &text[at..]))
        }
        // a snippet of the format where it belongs
        15 => {
            let opens: Vec<usize> = live
                .iter()
                .copied()
                .filter(|&i| {
                    lines[i].key.as_ref().is_some_and(|k| {
                        snippets_for(&text[k.clone()]).is_some() || &text[k.clone()] == "values"
                    })
                })
                .collect();
            if opens.is_empty() {
                return None;
            }
            let i = *rng.pick(&opens);
            let key = text[lines[i].key.clone()?].to_owned();
            if let Some(v) = lines[i].value.clone()
                && (text[v.clone()].starts_with('[') || text[v.clone()].starts_with('{'))
            {
                // a flow collection: replace it
                let new = if key == "values" {
                    (*rng.pick(dict::ENUM_LISTS)).to_owned()
                } else if key == "errors" {
                    format!(
                        "[{}, {}]",
                        *rng.pick(dict::CODES),
                        pools.pick(rng, Role::ErrorCode).unwrap_or_default()
                    )
                } else {
                    let t = *rng.pick(snippets_for(&key).unwrap_or(SNIPPETS_FIELDS));
                    let filled = fill(rng, pools, t);
                    if filled.contains('\n') {
                        return None;
                    }
                    format!("{{ {filled} }}")
                };
                return Some(replace(text, v, &new));
            }
            if lines[i].value.is_some() {
                return None;
            }
            let child = lines
                .get(i + 1)
                .filter(|l| !l.inert && l.indent > lines[i].col)
                .map_or(lines[i].col + 2, |l| l.indent);
            let snippet = if (key == "fields" || key == "parameters") && rng.chance(1, 6) {
                {
                    let depth = rng.between(2, 40);
                    deep_field(rng, depth)
                }
            } else {
                let t = *rng.pick(snippets_for(&key).unwrap_or(SNIPPETS_FIELDS));
                fill(rng, pools, t)
            };
            let block = indent_lines(&snippet, child);
            // first among the children, or after one of them
            let b = yaml::block(&lines, i);
            let at = if rng.chance(1, 2) || b.len() == 1 {
                lines[i].span.end
            } else {
                lines[b.end - 1].span.end
            };
            let sep = if text[..at].ends_with('\n') { "" } else { "\n" };
            Some(format!("{}{sep}{block}{}", &text[..at], &text[at..]))
        }
        // a block from another file
        16 => {
            if pools.blocks.is_empty() || live.is_empty() {
                return None;
            }
            let block = rng.pick(&pools.blocks).clone();
            let i = *rng.pick(&live);
            let col = if lines[i].dash {
                lines[i].indent
            } else {
                lines[i].col
            };
            let at = lines[i].span.start;
            Some(format!(
                "{}{}{}",
                &text[..at],
                indent_lines(&block, col),
                &text[at..]
            ))
        }
        // quoting and tags
        17 => {
            let values: Vec<&Site> = sites.iter().filter(|s| !s.key).collect();
            if values.is_empty() {
                return None;
            }
            let site = *rng.pick(&values);
            let own = &text[site.span.clone()];
            let new = match rng.below(5) {
                0 => format!("\"{own}\""),
                1 => format!("'{own}'"),
                2 => own.trim_matches(['"', '\'']).to_owned(),
                3 => format!(
                    "{} {own}",
                    rng.pick(&[
                        "!!str", "!!int", "!!float", "!!binary", "!x", "!!null", "!!seq"
                    ])
                ),
                _ => format!("{own} # comment"),
            };
            Some(replace(text, site.span.clone(), &new))
        }
        // comments
        _ => {
            let mut at = rng.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            Some(format!(
                "{}{}{}",
                &text[..at],
                rng.pick(&[" #", "# ", "#", " # x: [\n"]),
                &text[at..]
            ))
        }
    }
}

/// One mutation of a spec file's bytes: grammar-aware most of the time,
/// byte-level otherwise (and when the bytes are not UTF-8).
pub fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>, pools: &Pools) {
    if rng.chance(1, 16) {
        super::bytes::mutate(rng, bytes);
        return;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        super::bytes::mutate(rng, bytes);
        return;
    };
    for _ in 0..8 {
        if let Some(new) = try_once(rng, text, pools)
            && new.as_bytes() != bytes.as_slice()
        {
            *bytes = new.into_bytes();
            return;
        }
    }
    super::bytes::mutate(rng, bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "api: pims.a.b\ncomponent: C\noperations:\n  - name: doIt\n    verb: get\n    since: \"2.0\"\n    parameters:\n      phone: { type: string, required: true }\n    result:\n      type: object\n      fields:\n        status:\n          type: string\n          values: [a, b]\n    errors: [2001]\n";

    #[test]
    fn mutations_are_deterministic_and_varied() {
        let pools = Pools::harvest([SPEC]);
        let mut distinct = BTreeSet::new();
        for seed in 0..300 {
            let mut a = SPEC.as_bytes().to_vec();
            let mut b = SPEC.as_bytes().to_vec();
            mutate(&mut Rng::new(seed), &mut a, &pools);
            mutate(&mut Rng::new(seed), &mut b, &pools);
            assert_eq!(a, b, "seed {seed}");
            assert_ne!(a, SPEC.as_bytes(), "seed {seed} changed nothing");
            distinct.insert(a);
        }
        assert!(distinct.len() > 250, "{} distinct of 300", distinct.len());
    }

    #[test]
    fn names_reach_keywords() {
        let pools = Pools::harvest([SPEC]);
        let mut renamed = 0;
        for seed in 0..4000 {
            let mut a = SPEC.as_bytes().to_vec();
            mutate(&mut Rng::new(seed), &mut a, &pools);
            let t = String::from_utf8_lossy(&a);
            if t.contains("Self") {
                renamed += 1;
            }
        }
        assert!(renamed >= 8, "`Self` {renamed} times in 4000 mutations");
    }

    #[test]
    fn scalars_quote_what_must_be() {
        let mut rng = Rng::new(3);
        for _ in 0..50 {
            let s = scalar(&mut rng, "a: b", false);
            assert!(s.starts_with(['"', '\'']) || s == "a: b");
            let e = scalar(&mut rng, "", true);
            assert!(e == "\"\"" || e == "''" || e.is_empty());
        }
        assert_eq!(near_miss(&mut Rng::new(0), "").len(), 1);
    }
}
