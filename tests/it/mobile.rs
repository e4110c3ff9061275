//! The Kotlin and Swift clients, from what Rust can see: headers, names,
//! escaping of docs, the check table as the runtime's, the keyword spec.
//! (`.ci/run` compiles the Kotlin and runs its JUnit tests, and parses every
//! Swift file with tree-sitter-swift.)

use std::path::Path;

use pims_codegen::emit::{self, Files};
use pims_codegen::ir::Ir;

fn ir_of(dir: &Path) -> Ir {
    pims_codegen::analyze(dir).into_ir().unwrap_or_else(|a| {
        panic!(
            "{} has errors:\n{}",
            dir.display(),
            a.render(pims_codegen::diag::Format::Human)
        )
    })
}

fn kotlin(ir: &Ir) -> Files {
    emit::kotlin::files(ir, &crate::settings("spec"), "test", "pims.sdk").expect("kotlin")
}

fn swift(ir: &Ir) -> Files {
    emit::swift::package_files(ir, &crate::settings("spec"), "test", "PimsSdk").expect("swift")
}

fn all_text(files: &Files) -> String {
    files.values().cloned().collect::<Vec<_>>().join("\n")
}

/// An api file whose description tries to end KDoc comments, open nested
/// ones, start tags, links, HTML and code.
const HOSTILE: &str = r#"api: pims.authentication.smscode
component: StrongAuthentication
description: "ends */ here, opens /* there, @param x, <b>bold</b> [link](http://x) `code"
operations:
  - name: phoneNumberCertification
    verb: get
    since: "2.0"
    description: "*/ fun evil() {} /* \n@Suppress(\"x\") $danger ${x} \\(interpolated)"
    selector:
      type: "phone$Number\"Certification"
    parameters:
      phoneNumber:
        type: string
        pattern: "^\\+?[0-9]{6,15}$"
        required: true
        description: "*/ val injected = 1 /*"
        example: "0612345678"
    result: none
    errors: [2001]
"#;

fn hostile_ir() -> Ir {
    let manifest = std::fs::read(crate::root().join("spec/pims.yaml")).expect("manifest");
    pims_codegen::analyze_files(
        Path::new("spec"),
        vec![
            ("pims.yaml".into(), manifest),
            (
                "authentication/smscode.yaml".into(),
                HOSTILE.as_bytes().to_vec(),
            ),
        ],
    )
    .into_ir()
    .unwrap_or_else(|a| panic!("{}", a.render(pims_codegen::diag::Format::Human)))
}

#[test]
fn every_file_starts_with_the_generated_header_in_its_comment_syntax() {
    let ir = crate::project_ir();
    for (path, text) in kotlin(&ir).iter().chain(swift(&ir).iter()) {
        let first = if path.ends_with("Package.swift") {
            // the tools version must be the first line of a manifest
            text.lines().nth(1)
        } else {
            text.lines().next()
        };
        assert_eq!(
            first,
            Some(format!("// {}", pims_codegen::emit::header("test")).as_str()),
            "{}",
            path.display()
        );
        assert!(
            pims_codegen::emit::is_ours(path, text.as_bytes(), "test"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn spec_text_never_ends_a_kdoc_comment_or_becomes_code() {
    let files = kotlin(&hostile_ir());
    let api = files
        .iter()
        .find(|(p, _)| p.ends_with("Smscode.kt"))
        .map(|(_, t)| t.clone())
        .expect("the api file");
    for (i, line) in api.lines().enumerate() {
        let t = line.trim();
        // `*/` only closes comments the emitter opened, alone on their line
        if t.contains("*/") {
            assert!(
                t == "*/"
                    || (t.starts_with("/**") && t.ends_with("*/") && t.matches("*/").count() == 1),
                "line {}: {line}",
                i + 1
            );
        }
        if t.starts_with('*') && t.len() > 1 {
            assert!(!t[1..].contains("/*"), "line {}: {line}", i + 1);
            assert!(
                !t[1..].trim_start().starts_with('@'),
                "a KDoc tag, line {}: {line}",
                i + 1
            );
        }
    }
    // the prose is on comment lines only, escaped
    for line in api
        .lines()
        .filter(|l| l.contains("evil") || l.contains("injected"))
    {
        assert!(line.trim_start().starts_with("* "), "{line}");
    }
    assert!(
        // `*/ … /*` is emphasis to Markdown: kept as such, its slashes as entities
        api.contains(r"*&#47; fun evil() \{\} &#47;* @Suppress"),
        "{api}"
    );
    assert!(!api.contains("<b>"), "HTML stays text");
    // the selector value is a string literal whose `$` and `"` cannot interpolate or close it
    assert!(
        api.contains(r#"map["type"] = "phone\$Number\"Certification""#),
        "{api}"
    );
}

#[test]
fn spec_text_stays_in_docc_lines() {
    let files = swift(&hostile_ir());
    let api = files
        .iter()
        .find(|(p, _)| p.ends_with("Authentication.Smscode.swift"))
        .map(|(_, t)| t.clone())
        .expect("the api file");
    // every line holding spec prose is a `///` line; no code line holds it
    for line in api.lines() {
        if line.contains("interpolated") || line.contains("injected") || line.contains("evil") {
            assert!(line.trim_start().starts_with("///"), "{line}");
        }
    }
    assert!(
        api.contains(r#"map["type"] = "phone$Number\"Certification""#),
        "{api}"
    );
    assert!(!api.contains("<b>"));
}

#[test]
fn the_check_table_is_the_runtimes_with_patterns_in_each_dialect() {
    let ir = crate::project_ir();
    let kt = all_text(&kotlin(&ir));
    let sw = all_text(&swift(&ir));
    // the pattern as written (for messages) and as java.util.regex / ICU match it
    assert!(
        kt.contains(r#"Rule.Pattern("^\\+?[0-9]{6,15}\$", "^\\+?[0-9]{6,15}\\z")"#),
        "Kotlin check"
    );
    assert!(
        sw.contains(r#".pattern("^\\+?[0-9]{6,15}$", icu: "^\\+?[0-9]{6,15}\\z")"#),
        "Swift check"
    );
    // as many rows as the Rust runtime's table, operation by operation
    let rows: usize = ir
        .modules
        .iter()
        .flat_map(|m| &m.operations)
        .map(|op| op.checks.len())
        .sum();
    assert_eq!(kt.matches("Check(listOf(").count(), rows);
    assert_eq!(sw.matches("PimsCheck([").count(), rows);
}

#[test]
fn what_the_clients_cannot_match_alike_is_refused_by_the_checker() {
    let spec = HOSTILE.replace(
        r#"pattern: "^\\+?[0-9]{6,15}$""#,
        r#"pattern: "(?x) ^ [0-9]+ $""#,
    );
    let manifest = std::fs::read(crate::root().join("spec/pims.yaml")).expect("manifest");
    let analysis = pims_codegen::analyze_files(
        Path::new("spec"),
        vec![
            ("pims.yaml".into(), manifest),
            ("authentication/smscode.yaml".into(), spec.into_bytes()),
        ],
    );
    let found: Vec<String> = analysis
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code.as_str(), d.message))
        .collect();
    assert!(
        found
            .iter()
            .any(|d| d.starts_with("E306") && d.contains("verbose")),
        "{found:?}"
    );
}

#[test]
fn the_keyword_spec_gets_escaped_names_in_every_target() {
    let ir = ir_of(&crate::root().join("tests/specs/keywords"));
    let kt = all_text(&kotlin(&ir));
    for expected in [
        "val `object`: String",
        "val `fun`: Long? = null",
        "val `when`: Types.Self_? = null",
        "val `is`: Types.Type_? = null",
        "val `in`: List<",
        "package pims.sdk.keyword.object_",
        "package pims.sdk.self.default_",
        "object Self : __PimsError()",
        "data class Object(",
        "data class String_(",
        "val code_: String?",
        "val operation_: String?",
        "data class Map_(",
        "sealed class Result_(",
        "object Companion_ : __Self_(\"Companion\")",
        "val _1x: String?",
        "val unnamed: String?",
    ] {
        assert!(kt.contains(expected), "Kotlin lacks {expected:?}");
    }
    let sw = all_text(&swift(&ir));
    for expected in [
        "public var object: String",
        "public var `func`: String?",
        "public var `let`: Self_?",
        "public var self_: String?",
        "public var `default`: Double?",
        "case `protocol`",
        "case self_",
        "public struct Type_: Equatable",
        "public enum Self_: Equatable",
        "public enum Result_: Equatable",
        "extension Keyword.Object {",
        "extension Self_.Default {",
        "public var toParameters_: String?",
        "public var code_: String?",
        "case code_(operation_: String?)",
    ] {
        assert!(sw.contains(expected), "Swift lacks {expected:?}");
    }
}

#[test]
fn the_checked_in_clients_are_the_default_packages() {
    let root = crate::root();
    assert!(
        root.join("generated-kotlin/src/main/kotlin/pims/sdk/Runtime.kt")
            .is_file()
    );
    assert!(
        root.join("generated-swift/Sources/PimsSdk/PimsRuntime.swift")
            .is_file()
    );
    // the hand-written tests sit beside the generated folders, never inside them
    for hand in [
        "generated-kotlin/src/test/kotlin/pims/sdk/SeedConformanceTest.kt",
        "generated-swift/Tests/PimsSdkTests/SeedConformanceTests.swift",
        "generated-swift/Package.swift",
    ] {
        let text = std::fs::read_to_string(root.join(hand)).expect(hand);
        assert!(
            !pims_codegen::emit::is_ours(
                std::path::Path::new(hand),
                text.as_bytes(),
                xtask::COMMAND
            ),
            "{hand}"
        );
    }
}
