//! A spec is untrusted input (docs/untrusted-input.md): its text never
//! becomes code, a doctest, markup or an mdBook directive; every spec that
//! checks clean generates code that compiles; a message the spec forbids is
//! refused. Each test here reproduces a defect found by attacking the
//! generator, and fails without its fix.

use std::path::{Path, PathBuf};

use pims_codegen::emit::{self, Files, Settings};
use proc_macro2::{TokenStream, TokenTree};

/// Names Rust reserves or cannot spell as written, everywhere the format
/// takes a name: the expansion compiling, warning-free, is the first
/// assertion (`with__1x` once slipped through as a lint only).
#[deny(warnings)]
mod rust_names {
    pims_macros::sdk!("specs/rust-names");
}

/// The files of `tests/specs/good`, as text, by path in the spec folder.
fn good_files() -> Vec<(PathBuf, String)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                let text = std::fs::read_to_string(&path).expect("text");
                out.push((path.strip_prefix(root).unwrap().to_path_buf(), text));
            }
        }
    }
    let root = crate::root().join("tests/specs/good");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out.sort();
    out
}

/// Replaces, in `file`, the value of the first line `<indent><key>: …` after
/// `after` with `text` as a literal block scalar.
fn set_block(files: &mut [(PathBuf, String)], file: &str, after: &str, key: &str, text: &str) {
    let (_, body) = files
        .iter_mut()
        .find(|(p, _)| p == Path::new(file))
        .expect("the file");
    let start = body.find(after).expect("the anchor");
    let prefix = format!("{key}: ");
    let at = start
        + body[start..]
            .lines()
            .scan(0, |offset, line| {
                let here = *offset;
                *offset += line.len() + 1;
                Some((here, line))
            })
            .find(|(_, l)| l.trim_start().starts_with(&prefix))
            .map(|(o, _)| o)
            .expect("the key");
    let end = at + body[at..].find('\n').unwrap_or(body.len() - at);
    let line = &body[at..end];
    let indent = &line[..line.len() - line.trim_start().len()];
    let mut block = format!("{indent}{key}: |\n");
    for l in text.lines() {
        block.push_str(&format!("{indent}  {l}\n"));
    }
    block.pop();
    body.replace_range(at..end, &block);
}

fn analyze(files: &[(PathBuf, String)]) -> pims_codegen::Analysis {
    pims_codegen::analyze_files(
        Path::new("spec"),
        files
            .iter()
            .map(|(p, t)| (p.clone(), t.clone().into_bytes()))
            .collect(),
    )
}

fn checked(files: &[(PathBuf, String)]) -> pims_codegen::ir::Ir {
    analyze(files).into_ir().unwrap_or_else(|a| {
        panic!(
            "the spec checks:\n{}",
            a.render(pims_codegen::diag::Format::Human)
        )
    })
}

/// Every doc attribute of a Rust file, grouped: the consecutive `#[doc]`s of
/// one item (or of the module) joined into one text.
fn doc_blocks(text: &str) -> Vec<String> {
    fn walk(tokens: TokenStream, blocks: &mut Vec<String>, current: &mut Option<String>) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            let doc = match (&tokens[i], tokens.get(i + 1), tokens.get(i + 2)) {
                (TokenTree::Punct(p), Some(TokenTree::Group(g)), _) if p.as_char() == '#' => {
                    Some((doc_of(g.stream()), 2))
                }
                (TokenTree::Punct(p), Some(TokenTree::Punct(bang)), Some(TokenTree::Group(g)))
                    if p.as_char() == '#' && bang.as_char() == '!' =>
                {
                    Some((doc_of(g.stream()), 3))
                }
                _ => None,
            };
            match doc {
                Some((Some(line), width)) => {
                    let block = current.get_or_insert_with(String::new);
                    block.push_str(&line);
                    block.push('\n');
                    i += width;
                    continue;
                }
                Some((None, width)) => {
                    i += width;
                    continue;
                }
                None => {}
            }
            if let Some(block) = current.take() {
                blocks.push(block);
            }
            if let TokenTree::Group(g) = &tokens[i] {
                walk(g.stream(), blocks, current);
            }
            i += 1;
        }
        if let Some(block) = current.take() {
            blocks.push(block);
        }
    }
    fn doc_of(attr: TokenStream) -> Option<String> {
        let tokens: Vec<TokenTree> = attr.into_iter().collect();
        match tokens.as_slice() {
            [
                TokenTree::Ident(id),
                TokenTree::Punct(eq),
                TokenTree::Literal(lit),
            ] if id == "doc" && eq.as_char() == '=' => {
                syn::parse_str::<syn::LitStr>(&lit.to_string())
                    .ok()
                    .map(|s| s.value())
            }
            _ => None,
        }
    }
    let stream: TokenStream = text.parse().expect("generated Rust tokenizes");
    let mut blocks = Vec::new();
    walk(stream, &mut blocks, &mut None);
    blocks
}

/// The lines of a doc block that open a code block (a fence, possibly inside
/// list items or quotes, or an indented block), as CommonMark reads them.
fn code_block_openers(doc: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut previous_blank = true;
    for line in doc.lines() {
        let mut rest = line.strip_prefix(' ').unwrap_or(line);
        if previous_blank && rest.starts_with("    ") && !rest.trim().is_empty() {
            out.push(line.to_owned());
        }
        loop {
            let trimmed = rest.trim_start_matches(' ');
            if rest.len() - trimmed.len() > 3 {
                break;
            }
            rest = trimmed;
            if let Some(r) = rest.strip_prefix('>') {
                rest = r.strip_prefix(' ').unwrap_or(r);
            } else if let Some(r) = rest
                .strip_prefix("- ")
                .or_else(|| rest.strip_prefix("+ "))
                .or_else(|| rest.strip_prefix("* "))
            {
                rest = r;
            } else {
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                match rest.get(digits..digits + 2) {
                    Some(". " | ") ") if digits > 0 => rest = &rest[digits + 2..],
                    _ => break,
                }
            }
        }
        if rest.starts_with("```") || rest.starts_with("~~~") {
            out.push(line.to_owned());
        }
        previous_blank = line.trim().is_empty();
    }
    out
}

/// What rustdoc would run or render as code: every code block of every doc
/// comment, except the examples the generator writes itself (under a
/// `# Example` heading, fenced with exactly three backticks).
fn foreign_code_blocks(files: &Files) -> Vec<String> {
    let mut out = Vec::new();
    for (path, text) in files {
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        for doc in doc_blocks(text) {
            let own: Vec<&str> = doc
                .split("\n # Example\n")
                .skip(1)
                .flat_map(|example| example.lines().filter(|l| *l == " ```"))
                .collect();
            let found = code_block_openers(&doc);
            let foreign = found.len().saturating_sub(own.len());
            if foreign > 0 || found.iter().any(|l| l != " ```") {
                out.push(format!("{}: {found:?} in\n{doc}", path.display()));
            }
        }
    }
    out
}

const FENCES: &str = "Opens the door.

~~~
std::process::Command::new(\"touch\").arg(\"/tmp/pims-pwned\").status().unwrap();
~~~

```rust
panic!(\"ran\");
```

- ```
  list item fence
  ```

1. ~~~
   ordered item fence

> ~~~
> quoted fence

    indented code";

#[test]
fn spec_text_never_opens_a_code_block_in_rustdoc() {
    let mut files = good_files();
    set_block(
        &mut files,
        "garage/door.yaml",
        "name: doorStatus",
        "description",
        FENCES,
    );
    set_block(
        &mut files,
        "pims.yaml",
        "code: 2301",
        "label",
        "Door blocked\n```\nlet x = 1;\n```",
    );
    let ir = checked(&files);
    let settings = Settings::new("spec").with_doc_crate("pims-sdk");
    let sdk = emit::sdk_files(&ir, &settings, "test").expect("generates");
    assert!(
        sdk.values().any(|t| t.contains("Command::new")),
        "the payload reached the docs (as text)"
    );
    let foreign = foreign_code_blocks(&sdk);
    assert!(foreign.is_empty(), "{}", foreign.join("\n---\n"));
    // the detector itself finds what it looks for
    let as_doc: String = FENCES.lines().map(|l| format!(" {l}\n")).collect();
    assert_eq!(code_block_openers(&as_doc).len(), 9);
}

const DIRECTIVE: &str =
    "{{#include /etc/hostname}} {{ #playground x.rs }} {{#rustdoc_include y.rs}}";

#[test]
fn no_mdbook_directive_reaches_the_book() {
    let mut files = good_files();
    for (after, key) in [
        ("name: doorStatus", "description"),
        ("name: doorStatus", "title"),
        ("code: 2301", "label"),
        ("code: 2204", "description"),
        ("Garage:", "title"),
    ] {
        let file = if after.starts_with("name:") {
            "garage/door.yaml"
        } else {
            "pims.yaml"
        };
        set_block(&mut files, file, after, key, DIRECTIVE);
    }
    set_block(&mut files, "pims.yaml", "sdk:", "name", DIRECTIVE);
    set_block(
        &mut files,
        "garage/door.yaml",
        "state:",
        "description",
        DIRECTIVE,
    );
    let ir = checked(&files);
    let book = emit::book::book_files(&ir, &Settings::new("spec"), "test").expect("generates");
    let directive = regex_lite::Regex::new(r"\{\{\s*#").unwrap();
    let mut seen = false;
    for (path, text) in &book {
        // book.toml is configuration, not a page: no preprocessor reads it
        if path == Path::new("book.toml") {
            continue;
        }
        seen |= text.contains("include /etc/hostname");
        assert!(
            !directive.is_match(text),
            "{}: an mdBook directive survives:\n{}",
            path.display(),
            text.lines().find(|l| directive.is_match(l)).unwrap_or("")
        );
    }
    assert!(seen, "the payload reached the book (as text)");
}

#[test]
fn no_spec_string_is_html_in_rustdoc() {
    let mut files = good_files();
    let img = "<img src=x onerror=alert(1)>";
    set_block(&mut files, "pims.yaml", "sdk:", "name", img);
    set_block(&mut files, "pims.yaml", "code: 2301", "label", img);
    set_block(&mut files, "pims.yaml", "code: 2301", "category", img);
    let ir = checked(&files);
    let settings = Settings::new("spec").with_doc_crate("pims-sdk");
    let crate_files = emit::crate_files(
        &ir,
        &settings,
        "test",
        "pims-sdk",
        &emit::RuntimeDep::Path("../runtime".into()),
    )
    .expect("generates");
    let raw_tag = regex_lite::Regex::new(r"(^|[^\\`])<img").unwrap();
    let mut seen = false;
    for (path, text) in &crate_files {
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        for doc in doc_blocks(text) {
            seen |= doc.contains("img src=x");
            for line in doc.lines() {
                // in a code span the tag is text
                let outside: String = line.split('`').step_by(2).collect();
                assert!(
                    !raw_tag.is_match(&outside),
                    "{}: live HTML in rustdoc: {line}",
                    path.display()
                );
            }
        }
    }
    assert!(seen, "the payload reached the docs (as text)");
}

/// Control and bidi characters are refused by `check` (E008); the emitters
/// escape them too, so an IR that holds them (bypassing the checker) still
/// gives Rust that rustc accepts: no bare CR in a doc comment, no bidi
/// control in a literal.
#[test]
fn hidden_characters_are_refused_and_never_reach_rust() {
    let hidden = "a\rb\u{202e}c\u{2066}d\u{0}e\u{1b}[31m\u{2028}f";
    let mut files = good_files();
    let (_, door) = files
        .iter_mut()
        .find(|(p, _)| p == Path::new("garage/door.yaml"))
        .unwrap();
    let escaped = r#""a\rb\u202Ec\u2066d\0e\e[31m\u2028f""#;
    let plain = "Returns the door's state, its motor's health and where the garage is.";
    assert!(door.contains(plain));
    *door = door.replacen(plain, escaped, 1);
    let refused = analyze(&files);
    let e008: Vec<_> = refused
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "E008")
        .collect();
    assert!(!e008.is_empty(), "check refuses hidden characters");
    assert!(refused.ir().is_none());

    let mut ir = checked(&good_files());
    ir.sdk_name = hidden.to_owned();
    ir.errors[0].label = hidden.to_owned();
    ir.errors[0].category = hidden.to_owned();
    let module = ir
        .modules
        .iter_mut()
        .find(|m| m.operations.iter().any(|o| !o.params.is_empty()))
        .expect("an operation with parameters");
    module.description = Some(hidden.to_owned());
    let op = module
        .operations
        .iter_mut()
        .find(|o| !o.params.is_empty())
        .unwrap();
    op.description = Some(hidden.to_owned());
    op.params[0].doc = Some(hidden.to_owned());
    op.params[0].example = Some(hidden.into());
    let settings = Settings::new(&format!("sp{hidden}ec")).with_doc_crate("pims-sdk");
    let files = emit::sdk_files(&ir, &settings, "test").expect("generates");
    for (path, text) in &files {
        if path.extension().is_some_and(|e| e == "rs") {
            let bad: Vec<char> = text
                .chars()
                .filter(|c| pims_codegen::check::is_hidden_char(*c))
                .collect();
            assert!(bad.is_empty(), "{}: {bad:?}", path.display());
        }
    }
}

#[test]
fn a_newline_in_the_spec_path_stays_in_its_comment() {
    let ir = checked(&good_files());
    let settings = Settings::new("spec\nfn injected() {}\n//");
    let files = emit::sdk_files(&ir, &settings, "test").expect("generates");
    let mut sources = 0;
    for (path, text) in &files {
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            !file
                .items
                .iter()
                .any(|i| matches!(i, syn::Item::Fn(f) if f.sig.ident == "injected")),
            "{}: the path became code",
            path.display()
        );
        sources += text
            .lines()
            .filter(|l| l.starts_with("// Source: spec\\nfn"))
            .count();
    }
    assert!(
        sources > 0,
        "the path is shown, escaped, in the Source comments"
    );
}

#[test]
fn rust_names_generate_code_that_compiles() {
    use rust_names::crate_::self_::{Self_, SelfError, SelfLevels, SelfResult};
    use rust_names::types::{Error as ErrorType, Self_ as SelfType, Type};

    // the setters of keyword-named fields
    let request = Self_::new()
        .with_self_("s")
        .with_crate_("c")
        .with_super_("u")
        .with_field("_")
        .with_1x("x")
        .with_type(Type::Minus1)
        .with_levels(SelfLevels::Minus1);
    // an api named like a root module steps aside; the named types stay
    let _: Option<rust_names::types_::Types> = None;
    assert_eq!(
        <rust_names::types_::Types as pims_runtime::Operation>::API,
        "pims.types"
    );
    let sent = pims_runtime::encode_parameters(&request).expect("valid");
    let keys: Vec<&str> = sent.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["self", "crate", "super", "_", "1x", "type", "levels"]
    );
    assert_eq!(sent["type"], "-1");
    assert_eq!(sent["levels"], -1, "`-1` is a member of its own");
    assert_eq!(
        serde_json::to_value(SelfLevels::_1).unwrap(),
        1,
        "and `1` stays `1`"
    );
    for value in [Type::Self_, Type::Crate, Type::Empty, Type::Super] {
        let wire = serde_json::to_value(&value).unwrap();
        assert_eq!(serde_json::from_value::<Type>(wire).unwrap(), value);
    }

    let reply = pims_runtime::decode_reply::<Self_>(
        r#"{"transactionId":"t","status":"SUCCEEDED","result":{"Self":{"self":"me"},"error":{"crate":"c"}}}"#,
    )
    .expect("decodes");
    let result: SelfResult = reply.outcome.expect("succeeded");
    let self_: Option<SelfType> = result.self_;
    let error: Option<ErrorType> = result.error;
    assert_eq!(self_.and_then(|s| s.self_).as_deref(), Some("me"));
    assert_eq!(error.and_then(|e| e.crate_).as_deref(), Some("c"));
    let failed = pims_runtime::decode_reply::<Self_>(
        r#"{"transactionId":"t","status":"FAILED","error":{"code":2001,"label":"me failed with c"}}"#,
    )
    .expect("decodes");
    match failed.outcome {
        // the details of the error named `Error` are `errors::Error`
        Err(SelfError::Error(details)) => {
            let details: rust_names::errors::Error = details;
            assert_eq!(
                (details.self_.as_deref(), details.crate_.as_deref()),
                (Some("me"), Some("c"))
            );
            assert_eq!(details.label(), "me failed with c");
        }
        other => panic!("{other:?}"),
    }
    let failed = pims_runtime::decode_reply::<Self_>(
        r#"{"transactionId":"t","status":"FAILED","error":{"code":2000,"label":"Self is in trouble"}}"#,
    )
    .expect("decodes");
    assert_eq!(failed.outcome, Err(SelfError::Self_));
}

/// YAML ends a line at a lone `\r` too: a diagnostic after one names the line
/// the parser means, and quotes that line.
#[test]
fn a_lone_carriage_return_moves_no_diagnostic() {
    let mut files = good_files();
    let (_, door) = files
        .iter_mut()
        .find(|(p, _)| p == Path::new("garage/door.yaml"))
        .unwrap();
    // the first three line breaks become lone CRs, then a typo
    for _ in 0..3 {
        *door = door.replacen('\n', "\r", 1);
    }
    *door = door.replacen("    verb: get", "    verbb: get", 1);
    let expected_line = pims_codegen::source::lines(door)
        .position(|l| l.contains("verbb"))
        .expect("the typo")
        + 1;
    let analysis = analyze(&files);
    let d = analysis
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "E101")
        .expect("the typo is reported");
    assert_eq!(d.loc.line as usize, expected_line);
    let shown = analysis.render(pims_codegen::diag::Format::Human);
    assert!(
        shown.contains(&format!(" {expected_line} |     verbb: get")),
        "{shown}"
    );
}

/// A `SUCCEEDED` message without the `result` its operation's spec says it
/// carries (an object here) is not a success with every field absent.
#[test]
fn a_missing_result_is_refused_where_the_spec_requires_one() {
    use rust_names::crate_::self_::Self_;
    for message in [
        r#"{"transactionId":"t","status":"SUCCEEDED"}"#,
        r#"{"transactionId":"t","status":"SUCCEEDED","zesult":{}}"#,
        r#"{"transactionId":"t","status":"SUCCEEDED","result":null}"#,
    ] {
        let e = pims_runtime::decode_reply::<Self_>(message).expect_err(message);
        assert_eq!(e.path, "result", "{message}: {e}");
    }
    // `{}` is an object: every field of this result is optional
    assert!(
        pims_runtime::decode_reply::<Self_>(
            r#"{"transactionId":"t","status":"SUCCEEDED","result":{}}"#
        )
        .is_ok()
    );
    // no data: missing, null and {} all mean it
    use pims_sdk::authentication::smscode::PhoneNumberCertification;
    for result in ["", r#","result":null"#, r#","result":{}"#] {
        let message = format!(r#"{{"transactionId":"t","status":"SUCCEEDED"{result}}}"#);
        let reply = pims_runtime::decode_reply::<PhoneNumberCertification>(&message);
        assert_eq!(reply.map(|r| r.outcome), Ok(Ok(())), "{message}");
    }
}

#[test]
fn an_integer_out_of_range_says_so() {
    let mut files = good_files();
    let (_, manifest) = files
        .iter_mut()
        .find(|(p, _)| p == Path::new("pims.yaml"))
        .unwrap();
    *manifest = manifest.replacen("code: 2000", "code: 99999999999999999999", 1);
    let analysis = analyze(&files);
    let d = analysis
        .diagnostics
        .iter()
        .find(|d| d.message.contains("99999999999999999999"))
        .expect("the code is reported");
    assert_eq!(
        d.message,
        "the integer 99999999999999999999 is out of range"
    );
    assert!(!d.message.contains("found a number"));
}

#[test]
fn a_huge_value_is_echoed_short() {
    let mut files = good_files();
    let huge = "9".repeat(70_000);
    let (_, manifest) = files
        .iter_mut()
        .find(|(p, _)| p == Path::new("pims.yaml"))
        .unwrap();
    *manifest = manifest.replacen("version: \"1.4\"", &format!("version: \"{huge}\""), 1);
    let shown = analyze(&files).render(pims_codegen::diag::Format::Human);
    assert!(shown.len() < 2_000, "{} bytes of diagnostics", shown.len());
    assert!(shown.contains('…'));
}

/// Spec text with links of every kind, and emphasis around directives.
const LINKS: &str = r"Read [the guide](https://e.test/guide) or [mail us](mailto:a@e.test).
[click](javascript:alert(1)) [click2](JavaScript:alert(1)) [page](other.md) [data](data:text/html,x)
[paren](http://e.test/a\)b) [angle](<http://e.test/c)d>) [nested](http://e.test/x(y)z)
[directive](<http://e.test/{{#include /etc/hostname}}>) [bare](http://e.test/{{#include /x}}) *{{#include /etc/hostname}}* **{{#playground x.rs}}**
![img](http://e.test/i.png) <https://e.test/auto> https://e.test/bare_url. [amp](http://e.test/?a=1&lt;b)";

/// The spec's links, as both renderings must point them.
const KEPT: &[&str] = &[
    "https://e.test/guide",
    "mailto:a@e.test",
    "http://e.test/a%29b",
    "http://e.test/c%29d",
    "http://e.test/x%28y%29z",
    "http://e.test/%7B%7B#include%20/etc/hostname%7D%7D",
    // not a link (a space in its target), but a URL up to the space
    "http://e.test/%7B%7B#include",
    "http://e.test/i.png",
    "https://e.test/auto",
    "https://e.test/bare_url",
    "http://e.test/?a=1&lt;b",
];

/// What CommonMark (pulldown-cmark, which mdBook and rustdoc both use, with
/// the extensions either enables) reads in `text`: the link targets, the
/// text inside emphasis and strong emphasis, and every event that is HTML,
/// an image or a code block.
#[derive(Debug, Default)]
struct Reading {
    links: Vec<String>,
    emphasised: Vec<String>,
    strong: Vec<String>,
    html: Vec<String>,
    images: Vec<String>,
    code_blocks: usize,
}

fn read_markdown(text: &str) -> Reading {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_DEFINITION_LIST;
    let mut reading = Reading::default();
    // the text of the emphasis (and strong emphasis) being read
    let (mut emphasis, mut strong): (Option<String>, Option<String>) = (None, None);
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => reading.links.push(dest_url.to_string()),
            Event::Start(Tag::Image { dest_url, .. }) => reading.images.push(dest_url.to_string()),
            Event::Start(Tag::CodeBlock(_)) => reading.code_blocks += 1,
            Event::Start(Tag::Emphasis) => emphasis = Some(String::new()),
            Event::End(TagEnd::Emphasis) => reading.emphasised.extend(emphasis.take()),
            Event::Start(Tag::Strong) => strong = Some(String::new()),
            Event::End(TagEnd::Strong) => reading.strong.extend(strong.take()),
            Event::Html(h) | Event::InlineHtml(h) => reading.html.push(h.to_string()),
            Event::Text(t) | Event::Code(t) => {
                for open in [&mut emphasis, &mut strong].into_iter().flatten() {
                    open.push_str(&t);
                }
            }
            _ => {}
        }
    }
    reading
}

/// The scheme of a link target (`http`), `None` for a path (`../a.md`,
/// `super::Type`).
fn scheme(target: &str) -> Option<&str> {
    let (scheme, rest) = target.split_once(':')?;
    let is_scheme = !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (is_scheme && !rest.starts_with(':')).then_some(scheme)
}

fn assert_reads_as_kept(where_: &str, reading: &Reading) {
    let external: Vec<&str> = reading
        .links
        .iter()
        .map(String::as_str)
        .filter(|l| scheme(l).is_some())
        .collect();
    for link in &external {
        assert!(
            matches!(scheme(link), Some("http" | "https" | "mailto")),
            "{where_}: a link to {link}"
        );
    }
    for kept in KEPT {
        assert!(
            external.contains(kept),
            "{where_}: no link to {kept} in {external:?}"
        );
    }
    assert!(
        !reading.links.iter().any(|l| l.ends_with("other.md")),
        "{where_}: a relative link from the spec survives"
    );
    assert!(reading.images.is_empty(), "{where_}: {:?}", reading.images);
    assert!(
        reading
            .emphasised
            .contains(&"{{#include /etc/hostname}}".to_owned()),
        "{where_}: emphasis lost: {:?}",
        reading.emphasised
    );
    assert!(
        reading.strong.contains(&"{{#playground x.rs}}".to_owned()),
        "{where_}: strong emphasis lost: {:?}",
        reading.strong
    );
}

#[test]
fn spec_links_reach_the_book_and_rustdoc_only_to_web_and_mail() {
    let mut files = good_files();
    set_block(
        &mut files,
        "garage/door.yaml",
        "name: doorStatus",
        "description",
        LINKS,
    );
    set_block(&mut files, "pims.yaml", "code: 2204", "description", LINKS);
    let ir = checked(&files);

    let book = emit::book::book_files(&ir, &Settings::new("spec"), "test").expect("generates");
    let plain = emit::book::book_files(&checked(&good_files()), &Settings::new("spec"), "test")
        .expect("generates");
    let directive = regex_lite::Regex::new(r"\{\{\s*#").unwrap();
    for page in ["src/apis/pims.garage.door/doorStatus.md", "src/errors.md"] {
        let text = &book[Path::new(page)];
        assert!(!directive.is_match(text), "{page}: a directive survives");
        let reading = read_markdown(text);
        assert_reads_as_kept(page, &reading);
        assert_eq!(
            reading.code_blocks,
            read_markdown(&plain[Path::new(page)]).code_blocks,
            "{page}: the text opened a code block"
        );
        let html: Vec<&String> = reading
            .html
            .iter()
            .filter(|h| *h != "<br>" && *h != "<wbr>" && !h.starts_with("<!-- @generated"))
            .collect();
        assert!(html.is_empty(), "{page}: HTML {html:?}");
    }

    let settings = Settings::new("spec").with_doc_crate("pims-sdk");
    let sdk = emit::sdk_files(&ir, &settings, "test").expect("generates");
    let mut docs_with_links = 0;
    for (path, text) in &sdk {
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        for doc in doc_blocks(text) {
            let reading = read_markdown(&doc);
            assert!(
                reading.html.is_empty(),
                "{}: HTML {:?}",
                path.display(),
                reading.html
            );
            if doc.contains("the guide") {
                assert_reads_as_kept(&path.display().to_string(), &reading);
                docs_with_links += 1;
            }
        }
    }
    // the operation's doc, and the error's wherever it is a variant
    assert!(
        docs_with_links >= 2,
        "{docs_with_links} docs hold the links"
    );
}

/// The block structure CommonMark reads in `text`: how many headings,
/// quotes, code blocks, lists, list items, tables, rows, footnotes and
/// definition lists (spec text must change none of them), and every event
/// that is HTML or an image, every link target.
fn blocks_of(text: &str) -> (Vec<(String, usize)>, Vec<String>, Vec<String>) {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_DEFINITION_LIST;
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    let (mut markup, mut links) = (Vec::new(), Vec::new());
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(tag) => {
                let kind = match &tag {
                    Tag::Heading { .. } => "heading",
                    Tag::BlockQuote(_) => "quote",
                    Tag::CodeBlock(_) => "code block",
                    Tag::List(_) => "list",
                    Tag::Item => "item",
                    Tag::Table(_) => "table",
                    Tag::TableRow => "row",
                    Tag::FootnoteDefinition(_) => "footnote",
                    Tag::DefinitionList => "definition list",
                    Tag::HtmlBlock => "html block",
                    Tag::Image { dest_url, .. } => {
                        markup.push(format!("image {dest_url}"));
                        continue;
                    }
                    Tag::Link { dest_url, .. } => {
                        links.push(dest_url.to_string());
                        continue;
                    }
                    _ => continue,
                };
                *counts.entry(kind.to_owned()).or_default() += 1;
            }
            Event::Html(h) | Event::InlineHtml(h)
                if h.as_ref() != "<br>"
                    && h.as_ref() != "<wbr>"
                    && !h.starts_with("<!-- @generated") =>
            {
                markup.push(h.to_string());
            }
            Event::FootnoteReference(f) => markup.push(format!("footnote {f}")),
            _ => {}
        }
    }
    (counts.into_iter().collect(), markup, links)
}

/// Spec text made of the pieces Markdown (and mdBook) care about, drawn by
/// a small deterministic generator: every run sees the same texts.
fn markdown_soup(seed: &mut u64) -> String {
    const PIECES: &[&str] = &[
        "*",
        "**",
        "_",
        "__",
        "`",
        "``",
        "```",
        "~~~",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "&",
        "!",
        "\\",
        "#",
        "-",
        "+",
        "1.",
        "2)",
        " ",
        " ",
        " ",
        "\n",
        "\n\n",
        "|",
        "~",
        ":",
        "=",
        "    ",
        "\t",
        "{{#include /etc/hostname}}",
        "{{",
        "}}",
        "{",
        "}",
        "http://e.test/a_b",
        "javascript:alert(1)",
        "mailto:a@e.test",
        "a",
        "b c",
        "&amp;",
        "&#60;",
        "<b>",
        "](",
        "[x](http://e.test/a)",
        "[y](javascript:z)",
        "*a*",
        "`c`",
        "[^1]",
        "[^1]: note",
        "---",
        "> ",
        "- ",
        "* ",
        "<!--",
        "-->",
        "<https://e.test>",
        "![i](http://e.test/i.png)",
        "$",
        "|---|",
        "\\*",
        "\\`",
        "é",
    ];
    let mut next = || {
        // xorshift64
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    };
    let len = 1 + next() % 40;
    (0..len)
        .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
        .collect()
}

/// Any text a description can hold changes no block of the page it is on,
/// makes no HTML, image or footnote, and links only to the web or a mailbox:
/// the book and rustdoc both, read by CommonMark as mdBook and rustdoc read
/// them.
#[test]
fn no_description_changes_the_structure_of_a_page_or_a_doc() {
    let base = checked(&good_files());
    let module_at = base
        .modules
        .iter()
        .position(|m| m.operations.iter().any(|o| !o.params.is_empty()))
        .expect("an operation with parameters");
    let op_at = base.modules[module_at]
        .operations
        .iter()
        .position(|o| !o.params.is_empty())
        .unwrap();
    let with = |text: &str| {
        let mut ir = base.clone();
        ir.securities[0].description = Some(text.to_owned());
        ir.components[0].description = Some(text.to_owned());
        ir.errors[0].description = Some(text.to_owned());
        let module = &mut ir.modules[module_at];
        module.description = Some(text.to_owned());
        let op = &mut module.operations[op_at];
        op.description = Some(text.to_owned());
        op.deprecated = Some(pims_codegen::ir::Deprecation::Because(text.to_owned()));
        op.params[0].doc = Some(text.to_owned());
        ir
    };
    let plain = with("plain text");
    let page_path = {
        let m = &plain.modules[module_at];
        format!("src/apis/{}/{}.md", m.api, m.operations[op_at].name)
    };
    let book_of = |ir: &pims_codegen::ir::Ir| {
        emit::book::book_files(ir, &Settings::new("spec"), "test").expect("generates")
    };
    let settings = Settings::new("spec").with_doc_crate("pims-sdk");
    let sdk_of = |ir: &pims_codegen::ir::Ir| -> Files {
        emit::sdk_files(ir, &settings, "test").expect("generates")
    };
    let plain_book = book_of(&plain);
    let plain_sdk = sdk_of(&plain);
    let pages = [page_path.as_str(), "src/apis.md", "src/errors.md"];
    let allowed =
        |link: &String| scheme(link).is_none_or(|s| matches!(s, "http" | "https" | "mailto"));

    let mut seed = 0x9e37_79b9_7f4a_7c15;
    for round in 0..100 {
        let text = markdown_soup(&mut seed);
        let ir = with(&text);
        let book = book_of(&ir);
        for page in pages {
            let (blocks, markup, links) = blocks_of(&book[Path::new(page)]);
            let (plain_blocks, _, _) = blocks_of(&plain_book[Path::new(page)]);
            assert_eq!(blocks, plain_blocks, "round {round}, {page}, with {text:?}");
            assert!(
                markup.is_empty(),
                "round {round}, {page}: {markup:?} from {text:?}"
            );
            assert!(
                links.iter().all(allowed),
                "round {round}, {page}: {links:?} from {text:?}"
            );
        }
        // rustdoc's text for it: paragraphs and nothing else
        let doc = emit::docs::escape(&text)
            .iter()
            .map(|l| format!(" {l}\n"))
            .collect::<String>();
        let (blocks, markup, links) = blocks_of(&doc);
        assert!(
            blocks.is_empty(),
            "round {round}: {blocks:?} from {text:?} as\n{doc}"
        );
        assert!(markup.is_empty(), "round {round}: {markup:?} from {text:?}");
        assert!(
            links.iter().all(allowed),
            "round {round}: {links:?} from {text:?}"
        );
        // and a few times, the whole crate: the docs of the Rust files the
        // text reached, against the plain ones (slower: formatting and parsing)
        if round % 12 != 0 {
            continue;
        }
        let sdk = sdk_of(&ir);
        let (mut docs, mut plain_docs) = (Vec::new(), Vec::new());
        for (path, source) in &sdk {
            if path.extension().is_some_and(|e| e == "rs") && plain_sdk[path] != *source {
                docs.extend(doc_blocks(source));
                plain_docs.extend(doc_blocks(&plain_sdk[path]));
            }
        }
        assert!(!docs.is_empty(), "round {round}: the text reached no doc");
        assert_eq!(docs.len(), plain_docs.len(), "round {round}: {text:?}");
        for (doc, plain_doc) in docs.iter().zip(&plain_docs) {
            let (blocks, markup, links) = blocks_of(doc);
            let (plain_blocks, _, _) = blocks_of(plain_doc);
            assert_eq!(blocks, plain_blocks, "round {round}: {text:?} in\n{doc}");
            assert!(markup.is_empty(), "round {round}: {markup:?} from {text:?}");
            assert!(
                links.iter().all(allowed),
                "round {round}: {links:?} from {text:?}"
            );
        }
    }
}
