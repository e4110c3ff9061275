//! Hostile spec text cannot break the book: tables keep their columns, code
//! blocks stay closed, no markup reaches the page, links still resolve.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::book_files;
use crate::emit::{Files, Settings};
use crate::ir::{Deprecation, Ir};

/// Text with every kind of trouble: a pipe, backticks, an unbalanced fence,
/// HTML, a link, emphasis, an entity, a backslash, a heading, newlines.
const HOSTILE: &str = "a | b ` c ``` d\n```\n<script>alert(1)</script> [x](http://e.test) *y* _z_ &amp; \\ # e\n\n- f ````";

const MANIFEST: &str = r#"
sdk: { name: Test SDK, version: "1.0" }
securities:
  login: { description: Signed in. }
components:
  Things: { title: Things, security: [login], compatibility: [PSA], since: "1.0" }
errors:
  - { code: 2001, name: NotReady, category: generic, label: Not ready }
  - { code: 2002, name: Broken, category: generic, label: Broken }
"#;

const API: &str = r#"
api: pims.test.things
component: Things
operations:
  - name: doThing
    verb: subscribe
    since: "1.0"
    related: ["pims.test.things#doThing", pims.test.things]
    selector: { type: doThing }
    parameters:
      text: { type: string, required: true, example: "x" }
      nested:
        type: object
        fields:
          inner: { type: string, example: "y" }
    result:
      type: object
      fields:
        value: { type: string, required: true, example: "v" }
    events:
      type: object
      fields:
        value: { type: string, required: true, example: "v" }
    errors: [2001, 2002]
"#;

/// The IR of the small spec above, with hostile text put everywhere the spec has text.
fn hostile_ir() -> Ir {
    let analysis = crate::analyze_files(
        Path::new("spec"),
        vec![
            (PathBuf::from("pims.yaml"), MANIFEST.as_bytes().to_vec()),
            (PathBuf::from("test/things.yaml"), API.as_bytes().to_vec()),
        ],
    );
    assert!(
        !analysis.diagnostics.has_errors(),
        "{:?}",
        analysis.diagnostics
    );
    let mut ir = analysis.ir().cloned().expect("the test spec lowers");
    ir.sdk_name = HOSTILE.to_owned();
    ir.errors[0].label = HOSTILE.to_owned();
    ir.errors[1].description = Some(HOSTILE.to_owned());
    ir.securities[0].description = Some(HOSTILE.to_owned());
    ir.components[0].title = Some(HOSTILE.to_owned());
    ir.components[0].description = Some(HOSTILE.to_owned());
    let module = &mut ir.modules[0];
    module.description = Some(HOSTILE.to_owned());
    let op = &mut module.operations[0];
    op.title = HOSTILE.to_owned();
    op.description = Some(HOSTILE.to_owned());
    op.deprecated = Some(Deprecation::Because(HOSTILE.to_owned()));
    op.params[0].doc = Some(HOSTILE.to_owned());
    op.params[0].example = Some(HOSTILE.into());
    op.examples[0].parameters["text"] = HOSTILE.into();
    op.examples[0].summary = Some(HOSTILE.to_owned());
    op.examples[0].events = vec![serde_json::json!({ "value": HOSTILE })];
    ir
}

/// Lines outside fenced code blocks, and the bodies of the blocks by info
/// string; panics on a block that is not closed (CommonMark's rules: a
/// closing fence has at least as many backticks as the opening one).
fn split_fences(text: &str) -> (Vec<&str>, Vec<(String, String)>) {
    let mut prose = Vec::new();
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    for line in text.lines() {
        let ticks = line.chars().take_while(|c| *c == '`').count();
        let only_ticks = line[ticks..].trim().is_empty();
        match open.as_mut() {
            None if ticks >= 3 => open = Some((ticks, line[ticks..].to_owned(), String::new())),
            None => prose.push(line),
            Some((n, _, _)) if ticks >= *n && only_ticks => {
                if let Some((_, info, body)) = open.take() {
                    blocks.push((info, body));
                }
            }
            Some((_, _, body)) => {
                body.push_str(line);
                body.push('\n');
            }
        }
    }
    assert!(open.is_none(), "a code block is not closed");
    (prose, blocks)
}

/// Positions of `c` not escaped by a backslash.
fn unescaped(line: &str, c: char) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for ch in line.chars() {
        if ch == c && !escaped {
            count += 1;
        }
        escaped = ch == '\\' && !escaped;
    }
    count
}

/// The text of a line outside its code spans (CommonMark: a run of n
/// unescaped backticks opens a span that the next run of exactly n closes);
/// `None` when a span is not closed.
fn outside_code_spans(line: &str) -> Option<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut escaped = false;
    while i < chars.len() {
        let c = chars[i];
        if c != '`' || escaped {
            escaped = c == '\\' && !escaped;
            out.push(c);
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|c| **c == '`').count();
        let mut j = i + run;
        loop {
            if j >= chars.len() {
                return None;
            }
            let closing = chars[j..].iter().take_while(|c| **c == '`').count();
            if closing == run {
                break;
            }
            j += closing.max(1);
        }
        i = j + run;
    }
    Some(out)
}

fn assert_page_is_safe(path: &Path, text: &str) {
    let (prose, _) = split_fences(text);
    let mut table_columns: Option<usize> = None;
    for (i, line) in prose.iter().enumerate() {
        let where_ = format!("{}:{}: {line}", path.display(), i + 1);
        let text =
            outside_code_spans(line).unwrap_or_else(|| panic!("an unclosed code span in {where_}"));
        if i > 0 {
            assert!(
                !text.replace("<br>", "").replace("<wbr>", "").contains('<'),
                "markup in {where_}"
            );
        }
        if line.starts_with('|') {
            let pipes = unescaped(line, '|');
            let expected = *table_columns.get_or_insert(pipes);
            assert_eq!(pipes, expected, "a table row has other columns: {where_}");
        } else {
            table_columns = None;
        }
    }
}

fn hostile_book() -> Files {
    book_files(&hostile_ir(), &Settings::new("spec"), "test").expect("the book is generated")
}

#[test]
fn hostile_text_breaks_no_table_fence_or_page() {
    let files = hostile_book();
    for (path, text) in &files {
        if path.extension().is_some_and(|e| e == "md") {
            assert_page_is_safe(path, text);
        }
    }
    // the title stays one TOML string on one line
    let toml = &files[Path::new("book.toml")];
    assert_eq!(
        toml.lines().filter(|l| l.starts_with("title")).count(),
        1,
        "{toml}"
    );
    assert!(toml.contains(r#"title = "a | b ` c ``` d\u000A```\u000A<script>"#));
}

#[test]
fn hostile_text_reaches_code_and_messages_intact() {
    let files = hostile_book();
    let page = files
        .iter()
        .find(|(p, _)| p.starts_with("src/apis"))
        .map(|(_, t)| t.as_str())
        .expect("the operation's page");
    let (_, blocks) = split_fences(page);
    let messages: Vec<Value> = blocks
        .iter()
        .filter(|(info, _)| info == "json")
        .map(|(_, body)| serde_json::from_str(body).expect("a message is JSON"))
        .collect();
    assert_eq!(messages[1]["error"]["label"], HOSTILE, "the label, exactly");
    assert_eq!(
        messages[3]["result"]["value"], HOSTILE,
        "the event, exactly"
    );
    let kotlin = &blocks
        .iter()
        .find(|(i, _)| i == "kotlin")
        .expect("kotlin")
        .1;
    assert!(kotlin.contains(r#"Pair("text", "a | b ` c ``` d\n```\n<script>"#));
    assert!(kotlin.contains(r"&amp; \\ # e\n\n- f ````"));
    let swift = &blocks.iter().find(|(i, _)| i == "swift").expect("swift").1;
    assert!(swift.contains(r#""text": "a | b ` c ``` d\n```\n<script>"#));
    // the error row: one cell, the label with its lines kept apart
    assert!(page.contains(
        r"| [2001](../../errors.md#error-2001) | a \| b \` c \`\`\` d<br>\`\`\`<br>&lt;script&gt;alert(1)&lt;/script&gt; \[x\](http://e.test) \*y\* \_z\_ &amp;amp; \\ # e<br>- f \`\`\`\` |"
    ));
}

#[test]
fn hostile_titles_keep_links_and_the_summary_whole() {
    let files = hostile_book();
    let summary = &files[Path::new("src/SUMMARY.md")];
    let op_line = summary
        .lines()
        .find(|l| l.contains("apis/pims.test.things/doThing.md"))
        .expect("the operation in the summary");
    assert!(op_line.starts_with("    - [a \\| b \\` c"), "{op_line}");
    assert!(op_line.ends_with("](apis/pims.test.things/doThing.md)"));
    let page = &files[Path::new("src/apis/pims.test.things/doThing.md")];
    assert!(
        page.contains("\n# pims.test.things-a \\| b \\` c \\`\\`\\` d \\`\\`\\` &lt;script&gt;")
    );
    assert!(
        page.contains("&amp;amp; \\\\ \\# e - f"),
        "a heading's `#` is escaped"
    );
}

#[test]
fn hostile_descriptions_keep_only_their_inline_markdown() {
    let files = hostile_book();
    let page = &files[Path::new("src/apis/pims.test.things/doThing.md")];
    // the code span (``` d ```), the link and the emphasis are kept; the
    // lone backtick, the HTML, the entity and the list marker are text
    let description = concat!(
        "\na \\| b \\` c `d` &lt;script&gt;alert(1)&lt;/script&gt; [x](http://e.test) *y* *z* ",
        "&amp;amp; \\\\ # e\n\n\\- f \\`\\`\\`\\`\n",
    );
    assert!(page.contains(description), "{page}");
    // in a table cell too, where the paragraphs are kept apart with `<br>`
    assert!(page.contains(
        "| text<br>*required* | String | a \\| b \\` c `d` &lt;script&gt;alert(1)&lt;/script&gt; [x](http://e.test) *y* *z* &amp;amp; \\\\ # e<br>- f \\`\\`\\`\\`<br>Example: `````"
    ));
    // labels and titles are literal: no markup from them
    assert!(page.contains("| [2001](../../errors.md#error-2001) | a \\| b \\` c \\`\\`\\` d<br>"));
}

#[test]
fn the_output_is_deterministic() {
    assert_eq!(hostile_book(), hostile_book());
}

#[test]
fn a_related_api_without_operations_links_to_the_index() {
    let mut ir = hostile_ir();
    let mut empty = ir.modules[0].clone();
    empty.api = "pims.test.empty".to_owned();
    empty.operations.clear();
    ir.modules.push(empty);
    ir.modules[0].operations[0].related =
        vec!["pims.test.empty".to_owned(), "pims.nowhere".to_owned()];
    let files = book_files(&ir, &Settings::new("spec"), "test").expect("generated");
    let page = &files[Path::new("src/apis/pims.test.things/doThing.md")];
    assert!(page.contains("- [pims.test.empty](../../apis.md)\n- pims.nowhere\n"));
}
