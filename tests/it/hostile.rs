//! Hostile input: messages from a facade and spec files that try to break
//! things get a typed error or a located diagnostic, never a panic or a hang.

use pims_runtime::decode_reply;
use pims_sdk::authentication::smscode::{PhoneNumberCertification, ValidateEnrollmentCode};

fn decode(text: &str) -> Result<String, String> {
    decode_reply::<ValidateEnrollmentCode>(text)
        .map(|r| format!("{:?}", r.outcome))
        .map_err(|e| e.to_string())
}

#[test]
fn hostile_messages_give_typed_errors() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_result = format!(
        r#"{{"transactionId":"t","status":"SUCCEEDED","result":{}{}}}"#,
        "{\"a\":".repeat(10_000),
        "1".to_owned() + &"}".repeat(10_000)
    );
    let cases: Vec<(String, &str)> = vec![
        ("".into(), "not valid JSON"),
        ("nul".into(), "not valid JSON"),
        (deep, "not valid JSON"),
        (deep_result, "not valid JSON"),
        ("[]".into(), "expected a JSON object"),
        ("42".into(), "expected a JSON object"),
        (r#"{"status":"SUCCEEDED"}"#.into(), "transactionId"),
        (r#"{"transactionId":7,"status":"SUCCEEDED"}"#.into(), "transactionId"),
        (r#"{"transactionId":"t"}"#.into(), "status"),
        (r#"{"transactionId":"t","status":"OK"}"#.into(), "unknown status"),
        (r#"{"transactionId":"t","status":"SUCEEDED"}"#.into(), "unknown status"),
        (r#"{"transactionId":"t","status":null}"#.into(), "status"),
        (r#"{"transactionId":"t","status":"RESULT","result":{}}"#.into(), "RESULT is an event"),
        (r#"{"transactionId":"t","status":"FAILED"}"#.into(), "error"),
        (r#"{"transactionId":"t","status":"FAILED","error":"boom"}"#.into(), "error"),
        (r#"{"transactionId":"t","status":"FAILED","error":{"label":"x"}}"#.into(), "code"),
        (r#"{"transactionId":"t","status":"FAILED","error":{"code":"2001","label":"x"}}"#.into(), "code"),
        (r#"{"transactionId":"t","status":"FAILED","error":{"code":99999999999999999999999,"label":"x"}}"#.into(), "code"),
        (r#"{"transactionId":"t","status":"FAILED","error":{"code":1e400,"label":"x"}}"#.into(), "not valid JSON"),
        (r#"{"transactionId":"t","status":"FAILED","error":{"code":2001,"label":null}}"#.into(), "label"),
        (r#"{"transactionId":"t","status":"SUCCEEDED","result":[]}"#.into(), "result"),
        (r#"{"transactionId":"t","status":"SUCCEEDED","result":{"status":5}}"#.into(), "result.status"),
        (r#"{"transactionId":"t","status":"SUCCEEDED","result":{}}"#.into(), "status"),
        (r#"{"transactionId":"t","status":"SUCCEEDED","result":"AlreadyEnrolled"}"#.into(), "result"),
    ];
    for (message, named) in cases {
        let shown: String = message.chars().take(80).collect();
        match decode(&message) {
            Ok(v) => panic!("{shown} decoded to {v}"),
            Err(e) => assert!(e.contains(named), "{shown}: {e} does not name {named}"),
        }
    }
}

#[test]
fn unlisted_enum_members_decode_into_the_catch_all() {
    let m = r#"{"transactionId":"t","status":"SUCCEEDED","result":{"status":"EnrolledElsewhere","extra":1}}"#;
    let reply = decode_reply::<ValidateEnrollmentCode>(m).expect("decodes");
    let status = reply.outcome.expect("succeeded").status;
    match status {
        pims_sdk::authentication::smscode::ValidateEnrollmentCodeResultStatus::Unlisted(u) => {
            assert_eq!(u.as_str(), Some("EnrolledElsewhere"));
        }
        other => panic!("{other:?}"),
    }
}

/// A small deterministic generator, so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "null",
    "true",
    "-1",
    "1e308",
    "1e999",
    "9223372036854775808",
    "\"SUCCEEDED\"",
    "\"FAILED\"",
    "\"RESULT\"",
    "\"error\"",
    "\"result\"",
    "\"code\"",
    "\\u0000",
    "\u{10ffff}",
];

#[test]
fn mutated_messages_never_panic() {
    let seeds = [
        r#"{"transactionId":"953cfefb-bc72","status":"SUCCEEDED","result":null}"#,
        r#"{"transactionId":"953cfefb-bc72","status":"FAILED","error":{"code":2101,"label":"Missing [PARAMETER] parameter"}}"#,
        r#"{"transactionId":"t","status":"SUCCEEDED","result":{"status":"AlreadyEnrolled"}}"#,
    ];
    let mut rng = Lcg(7);
    for round in 0..20_000 {
        let mut text: Vec<char> = seeds[round % seeds.len()].chars().collect();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(text.len() + 1);
            match rng.below(3) {
                0 if !text.is_empty() => {
                    text.remove(at.min(text.len() - 1));
                }
                1 => {
                    let piece = PIECES[rng.below(PIECES.len())];
                    for (i, c) in piece.chars().enumerate() {
                        text.insert(at + i, c);
                    }
                }
                _ => {
                    let end = (at + rng.below(8)).min(text.len());
                    let cut: Vec<char> = text[at.min(end)..end].to_vec();
                    let to = rng.below(text.len() + 1);
                    for (i, c) in cut.into_iter().enumerate() {
                        text.insert(to + i, c);
                    }
                }
            }
        }
        let text: String = text.into_iter().collect();
        let _ = decode_reply::<PhoneNumberCertification>(&text);
        let _ = decode_reply::<ValidateEnrollmentCode>(&text);
    }
}

fn analyze_one(rel: &str, bytes: Vec<u8>) -> pims_codegen::Analysis {
    let manifest = std::fs::read(crate::root().join("spec/pims.yaml")).expect("manifest");
    pims_codegen::analyze_files(
        std::path::Path::new("spec"),
        vec![("pims.yaml".into(), manifest), (rel.into(), bytes)],
    )
}

fn codes(a: &pims_codegen::Analysis) -> Vec<&'static str> {
    a.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn hostile_spec_files_get_located_errors() {
    let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
    let mut prev = 'a';
    for c in 'b'..='m' {
        bomb.push_str(&format!("{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        prev = c;
    }
    let mut deep_block = String::new();
    for i in 0..5000 {
        deep_block.push_str(&" ".repeat(i));
        deep_block.push_str("a:\n");
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("bomb.yaml", bomb.into_bytes(), "E005"),
        ("deep.yaml", deep_block.into_bytes(), "E005"),
        ("flow.yaml", "[".repeat(200_000).into_bytes(), "E005"),
        (
            "latin1.yaml",
            b"api: pims.x\ndescription: caf\xe9\n".to_vec(),
            "E002",
        ),
        ("empty.yaml", Vec::new(), "E003"),
        ("comments.yaml", b"# nothing here\n".to_vec(), "E003"),
        ("list.yaml", b"- 1\n- 2\n".to_vec(), "E102"),
        ("tabs.yaml", b"api:\n\t- x\n".to_vec(), "E004"),
    ];
    for (rel, bytes, code) in cases {
        let a = analyze_one(rel, bytes);
        let found = codes(&a);
        assert!(
            found.contains(&code),
            "{rel}: expected {code}, found {found:?}"
        );
        assert!(a.ir().is_none(), "{rel}: nothing is generated");
        for d in a.diagnostics.iter() {
            assert!(
                a.sources.get(d.loc.file).is_some(),
                "{rel}: every diagnostic names its file"
            );
        }
    }
}

#[test]
fn mutated_specs_never_panic() {
    let original =
        std::fs::read(crate::root().join("spec/authentication/smscode.yaml")).expect("spec");
    let mut rng = Lcg(11);
    for _ in 0..300 {
        let mut bytes = original.clone();
        for _ in 0..1 + rng.below(6) {
            let at = rng.below(bytes.len());
            match rng.below(4) {
                0 => {
                    bytes.remove(at);
                }
                1 => bytes.insert(at, b"{}[]:-&*!|>'\"#\n\t 0"[rng.below(18)]),
                2 => bytes[at] = bytes[rng.below(bytes.len())],
                _ => {
                    let end = (at + rng.below(40)).min(bytes.len());
                    let chunk = bytes[at..end].to_vec();
                    let to = rng.below(bytes.len());
                    bytes.splice(to..to, chunk);
                }
            }
        }
        let a = analyze_one("authentication/smscode.yaml", bytes);
        if a.ir().is_none() {
            assert!(a.diagnostics.has_errors(), "refused without saying why");
        }
    }
}
