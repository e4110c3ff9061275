//! `pims-codegen explain CODE`: what a rule checks, a failing example and its
//! fix. The examples are the bad-spec cases of `tests/specs/bad/` (embedded at
//! build time), which the test suite checks: each case is refused with its
//! code, and with its `# fix:` lines applied it checks clean, so what this
//! page shows stays true.
//!
//! A case is one or more files, each introduced by `# file: <path>`, checked
//! on top of the project's `spec/pims.yaml` (a case may bring its own, or go
//! without one: a first line `# without: pims.yaml`). Lines `# fix: OLD => NEW`
//! before the first file say how to fix it (`\n` is a line break,
//! `\u{202e}` a character, `\\` a backslash; each OLD is replaced once).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::diag::{self, Code, Format};

include!(concat!(env!("OUT_DIR"), "/bad_cases.rs"));

/// One bad-spec case.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// The rule's slug (`unknown-key`).
    pub slug: &'static str,
    /// The case file's text.
    pub text: &'static str,
}

/// Every case, by slug.
pub fn cases() -> impl Iterator<Item = Case> {
    CASES.iter().map(|(slug, text)| Case { slug, text })
}

/// The case of `code`, if it has one.
pub fn case(code: Code) -> Option<Case> {
    cases().find(|c| c.slug == code.slug())
}

/// The files of a case text: `(path, text)`.
pub fn case_files(text: &str) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("# file: ") {
            files.push((PathBuf::from(path.trim()), String::new()));
        } else if let Some((_, body)) = files.last_mut() {
            body.push_str(line);
        }
    }
    files
}

/// The `# fix:` lines of a case text: `(old, new)`.
pub fn fixes(text: &str) -> Vec<(String, String)> {
    text.lines()
        .take_while(|l| !l.starts_with("# file: "))
        .filter_map(|l| l.strip_prefix("# fix: "))
        .filter_map(|l| {
            let (old, new) = l
                .split_once(" => ")
                .or_else(|| l.strip_suffix(" =>").map(|old| (old, "")))?;
            Some((unescape(old), unescape(new)))
        })
        .collect()
}

/// `\n`, `\\` and `\u{…}` in a fix line.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('\\') => out.push('\\'),
            Some('u') if chars.peek() == Some(&'{') => {
                chars.next();
                let hex: String = chars.by_ref().take_while(|c| *c != '}').collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(c) => out.push(c),
                    None => out.push_str(&format!("\\u{{{hex}}}")),
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The case text with its fixes applied; an error names a fix whose OLD
/// text is not in the case.
pub fn fixed(text: &str) -> Result<String, String> {
    let mut out: String = text
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("# fix: "))
        .collect();
    for (old, new) in fixes(text) {
        match out.find(&old) {
            Some(at) => out.replace_range(at..at + old.len(), &new),
            None => return Err(format!("the fix `{old}` matches nothing")),
        }
    }
    Ok(out)
}

/// Loads and checks a case text as a spec folder shown as `spec`.
pub fn analyze(text: &str) -> crate::Analysis {
    let mut files = case_files(text);
    let without_manifest = text.starts_with("# without: pims.yaml\n");
    if !without_manifest && !files.iter().any(|(p, _)| p == Path::new("pims.yaml")) {
        files.push(("pims.yaml".into(), MANIFEST.to_owned()));
    }
    crate::analyze_files(
        Path::new("spec"),
        files
            .into_iter()
            .map(|(p, t)| (p, t.into_bytes()))
            .collect(),
    )
}

/// What each rule checks, beyond its one-line summary.
fn details(code: Code) -> &'static str {
    use Code::*;
    match code {
        Io => {
            "A file or folder of the spec could not be read: it does not exist, the permissions refuse it, or it is not a regular file (a FIFO, a device). The message names the path and the system's reason."
        }
        NotUtf8 => {
            "Spec files are UTF-8 text. The message gives the line and column of the first byte that is not, and what was read before it. Save the file as UTF-8 (editors call it \"UTF-8 without BOM\")."
        }
        EmptyFile => {
            "A spec file holds one YAML document, a mapping. A file that is empty, or holds only comments, describes nothing: write its content or delete it."
        }
        YamlSyntax => {
            "The file is not valid YAML: an unclosed bracket, a tab used for indentation, a key without a value, or a second document in the file. The location is where the parser gave up, which may be just after the real mistake."
        }
        YamlLimit => {
            "Parsing is bounded so that a hostile file cannot hang or exhaust the machine: nesting deeper than 64 levels, an alias that expands to too many nodes (a \"billion laughs\"), or too many nodes in all. Spec files are small: write a repeated shape once, as a named type."
        }
        DuplicateKey => {
            "YAML would keep only one of two equal keys in a mapping, silently. The checker reports the second and keeps the first: merge the two or rename one."
        }
        MissingManifest => {
            "A spec folder has a `pims.yaml` at its root: the SDK, its securities, components, error catalogue and shared types. Pass the folder that holds it, or create it (docs/spec-format.md shows one)."
        }
        HiddenCharacter => {
            "A control character (other than tab and line feed), a bidi control such as U+202E, or a line or paragraph separator, anywhere in a spec file (comments included) or written as an escape in a quoted string. Such characters are invisible in most editors and reviews, can make text read differently than it is (\"Trojan source\"), and break generated code. Delete them."
        }
        UnknownKey => {
            "A key the spec format does not have at that place, most often a typo (`descriptoin`) or a key of another type (`minLength` is `min_length`, and it applies to strings). The hint names the closest key that would be accepted there."
        }
        WrongKind => {
            "A value of the wrong kind: a list where a map is expected, a number where a string is, `yes` where a boolean is (write `true`). An unquoted `0612345678` is a number to YAML: quote it."
        }
        MissingKey => {
            "A key the format requires is absent: an operation's `verb`, a field's `type`, an array's `items`, a component's `since`."
        }
        InvalidValue => {
            "A value outside the ones allowed at that place: an unknown verb (`unsubscribe` is implied by `subscribe`), an unknown built-in type, a platform other than `android` and `ios`, an integer beyond 64 bits, an empty label."
        }
        BadVersion => {
            "Releases are written `MAJOR.MINOR` or `MAJOR.MINOR.PATCH`, as strings (`\"2.0\"`: unquoted, YAML reads 2.0 as a number and loses trailing zeros)."
        }
        BadName => {
            "Names have the form their place requires: UpperCamel for named types, components, errors and enumeration member names; lowerCamel letters and digits for operations; lowercase segments for apis (`pims.vehicle.tirepressure`)."
        }
        UnknownErrorCode => {
            "An operation lists a code the catalogue (`errors:` in pims.yaml) does not define. The hint suggests a code only when the digits look swapped (2120 for 2102); otherwise look the code up in the catalogue."
        }
        UnknownComponent => {
            "The api (or operation) names a component that pims.yaml does not declare. The hint names the closest declared one."
        }
        UnknownSecurity => {
            "An operation or component names a security that pims.yaml does not declare under `securities:`."
        }
        UnknownType => {
            "A field names a type that is neither built in (`string`, `integer`, `number`, `boolean`, `object`, `array`, `any`) nor declared under `types:`. Built-in types are lowercase."
        }
        UnknownRelated => {
            "A `related` entry names an api (`pims.x.y`) or an operation (`pims.x.y#name`) that the spec does not have."
        }
        DuplicateOperation => {
            "Two operations of one api have the same name: names identify operations in the generated code, the docs and `diff`."
        }
        AmbiguousOperations => {
            "A call could not tell two operations of one api apart: same verb, and a selector and required parameters that do not separate them. Give them different selector values, or say with `compatibility` or `platforms` that they are one call on different vehicles or phones."
        }
        EventsNotSubscribe => {
            "`events` describes what a subscription sends after it is acknowledged: only a `subscribe` operation has them."
        }
        ApiPathMismatch => {
            "An api's file is where its name says: `pims.a.b` lives in `a/b.yaml` under the spec folder, and each api has one file."
        }
        NameCollision => {
            "Two spec names would become one name in generated code, in some target language: `phoneNumber` and `phone_number` are both the Rust field `phone_number`; `daily` and `Daily` both the variant `Daily`; `Unlisted` is every enumeration's catch-all. Rename one, or give an enumeration member a `name`."
        }
        InvalidRegex => {
            "A `pattern` is checked before a call is sent, with Rust's `regex-lite` syntax: it must compile."
        }
        ExampleMismatch => {
            "An example (or default) must fit its type: the right kind, inside its bounds and pattern, a member of its enumeration, and a message that fits the operation (known parameters, a listed error code, no result where none is returned)."
        }
        SelectorClash => {
            "A selector key is sent by the generated code itself: a parameter of the same name would be sent twice."
        }
        DuplicateDefinition => {
            "Something that must be unique is defined twice: an error code, a named type, an api, an enumeration member, a code in an operation's list."
        }
        RecursiveType => {
            "A type that contains itself without an array in between has no finite value. Make the inner one optional through an array, or break the cycle."
        }
        BadBounds => {
            "Bounds contradict each other: `minimum` above `maximum`, `min_length` above `max_length`, `min_items` above `max_items`: no value could be valid."
        }
        NoErrors => {
            "Every call can fail (the facade itself may not be initialized): an operation lists the codes it can fail with, so that its error type has a variant for each."
        }
        NoExample => {
            "Received fields carry an example: it documents the value and feeds the docs, the doctests and the schemas' examples."
        }
        ExampleNotMember => {
            "A received enumeration's example is not one of its members. It is legal, since an unlisted member decodes into the catch-all, but it is most often a typo or a member missing from the list."
        }
        FutureVersion => "A version newer than the SDK release the spec describes (`sdk.version`).",
        VersionOrder => {
            "`updated` comes before `since`: an operation cannot change before it exists."
        }
        PlatformRequired => {
            "A field that exists on one platform only (`platforms: [ios]`) cannot be required: calls from the other platform leave it out."
        }
    }
}

/// The page of `code`: what it checks, then the failing case with its
/// diagnostics and the fix.
pub fn page(code: Code) -> String {
    let mut out = format!(
        "{} ({}): {}\n\n{}\n",
        code.as_str(),
        code.slug(),
        code.summary(),
        wrap(details(code), 78)
    );
    let Some(case) = case(code) else {
        out.push_str(
            "\nNo example: this is about reading files, which a spec's text cannot show.\n",
        );
        return out;
    };
    let analysis = analyze(case.text);
    let list: Vec<diag::Diagnostic> = analysis
        .diagnostics
        .clone()
        .sorted(&analysis.sources)
        .into_iter()
        .filter(|d| d.code == code)
        .take(2)
        .collect();
    let _ = writeln!(
        out,
        "\nExample (tests/specs/bad/{}{}.yaml):\n",
        if code.is_warning() { "warn-" } else { "" },
        code.slug()
    );
    out.push_str(&diag::render(&list, &analysis.sources, Format::Human));
    let fixes = fixes(case.text);
    if !fixes.is_empty() {
        out.push_str("Fixed:\n\n");
        for (old, new) in fixes {
            for line in old.lines() {
                let _ = writeln!(out, "  - {line}");
            }
            for line in new.lines() {
                let _ = writeln!(out, "  + {line}");
            }
            out.push('\n');
        }
    }
    out
}

/// One line per code, for `explain` without a code.
pub fn index() -> String {
    let mut out = String::from("Every diagnostic code (`pims-codegen explain CODE` for one):\n\n");
    for code in Code::ALL {
        let _ = writeln!(
            out,
            "  {} {:<22} {}",
            code.as_str(),
            code.slug(),
            code.summary()
        );
    }
    out
}

fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fix_lines_unescape() {
        let text =
            "# fix: a\\nb => c\n# fix: \\u{202e}x =>\n# file: x.yaml\n# fix: not one => no\n";
        assert_eq!(
            fixes(text),
            [
                ("a\nb".to_owned(), "c".to_owned()),
                ("\u{202e}x".to_owned(), String::new())
            ]
        );
    }

    #[test]
    fn every_code_has_a_page() {
        for code in Code::ALL {
            let page = page(*code);
            assert!(page.starts_with(code.as_str()), "{page}");
            assert!(page.len() > 120, "{page}");
        }
        assert!(index().lines().count() > Code::ALL.len());
    }

    #[test]
    fn a_page_shows_the_failing_case_and_its_fix() {
        let page = page(Code::UnknownKey);
        assert!(page.contains("error[E101]"), "{page}");
        assert!(page.contains("spec/authentication/smscode.yaml"), "{page}");
        assert!(
            page.contains("  - descriptoin:\n  + description:"),
            "{page}"
        );
    }
}
