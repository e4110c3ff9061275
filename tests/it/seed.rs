//! The seed doc page (`../shared/seed/`) of
//! `pims.authentication.smscode-phoneNumberCertification`, and the fixture of
//! its facts that stands in for it when `../shared` is absent: read once, for
//! the conformance and the book tests.

use serde_json::{Value, json};

/// The page, below `../shared`.
pub const SEED: &str = "seed/000_3f4e4fb5320b7893.txt";

/// The fixture of the page's facts.
pub fn fixture() -> Value {
    let path = crate::root().join("tests/fixtures/seed-phoneNumberCertification.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("fixture is JSON")
}

/// The facts of the seed page: from the page itself when `../shared` is
/// there, else from the fixture that stands in for it.
pub fn facts() -> Value {
    match crate::shared() {
        Some(shared) => {
            let text = std::fs::read_to_string(shared.join(SEED)).expect("the seed page");
            facts_of_page(&text)
        }
        None => fixture(),
    }
}

/// The facts of the page: parameter rows, the samples' parameters, the
/// error rows and the documented messages.
pub fn facts_of_page(text: &str) -> Value {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    // parameter rows: the first line of the table, then the line after each `… true|false`
    let start = lines
        .iter()
        .position(|l| l.starts_with("Param name"))
        .expect("the parameter table");
    let mut parameter_rows = Vec::new();
    let mut next_is_name = true;
    for l in &lines[start + 1..] {
        if *l == "Output Data" {
            break;
        }
        if l.is_empty() {
            continue;
        }
        if next_is_name {
            parameter_rows.push(json!(l));
            next_is_name = false;
        } else if l.ends_with(" true") || l.ends_with(" false") {
            next_is_name = true;
        }
    }
    // the error table: a code line, then the label
    let start = lines
        .iter()
        .position(|l| *l == "Error Code Error Label")
        .expect("the error table");
    let mut error_rows = Vec::new();
    let mut code = None;
    for l in lines[start + 1..].iter().filter(|l| !l.is_empty()) {
        match (l.parse::<i64>(), code.take()) {
            (Ok(c), None) if (2000..3000).contains(&c) => code = Some(c),
            (_, Some(c)) => error_rows.push(json!([c, l])),
            _ => break,
        }
    }
    // the messages: the JSON blocks, comment lines left out
    let mut messages = Vec::new();
    let mut block: Option<String> = None;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("//") || t.starts_with("/*") {
            continue;
        }
        if t == "{" && block.is_none() {
            block = Some(String::new());
        }
        if let Some(b) = block.as_mut() {
            b.push_str(t);
            b.push('\n');
            if line.starts_with("    }") && !line.starts_with("     ") {
                messages.push(serde_json::from_str::<Value>(b).expect("a documented message"));
                block = None;
            }
        }
    }
    json!({
        "parameter_rows": parameter_rows,
        "kotlin_parameters": kotlin_pairs(text),
        "swift_parameters": swift_pairs(text),
        "error_rows": error_rows,
        "messages": messages,
    })
}

/// The `(key, value)` pairs of the Kotlin sample's `Pair("k", "v")` lines.
pub fn kotlin_pairs(code: &str) -> Vec<Value> {
    code.lines()
        .filter_map(|l| {
            let rest = l.trim().strip_prefix("Pair(\"")?;
            let (k, rest) = rest.split_once("\", \"")?;
            let v = rest.split_once("\")")?.0;
            Some(json!([k, v]))
        })
        .collect()
}

/// The `"k": "v"` entries of the Swift sample's `parameters: [ … ]`.
pub fn swift_pairs(code: &str) -> Vec<Value> {
    code.lines()
        .skip_while(|l| !l.contains("parameters: ["))
        .skip(1)
        .take_while(|l| l.trim() != "]")
        .filter_map(|l| {
            let (k, v) = l.trim().trim_end_matches(',').split_once(": ")?;
            Some(json!([k.trim_matches('"'), v.trim_matches('"')]))
        })
        .collect()
}
