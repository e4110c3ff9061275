//! Markdown building blocks of the book, and the escaping of spec text.
//!
//! Everything taken from the spec goes through one of these functions.
//! Names, labels, titles and values are literal ([`inline`], [`cell`],
//! [`heading`], [`code`]): they read as text and never as markdown or HTML.
//! Descriptions are Markdown ([`markdown`], [`paragraphs`],
//! [`markdown_cell`]): their code spans, emphasis and `http`/`https`/`mailto`
//! links are kept (parsed by `emit::markdown`, the parser rustdoc's text
//! shares), and everything else is escaped as in literal text. Either way a
//! `|` cannot split a table cell, a backtick cannot open a code span it does
//! not close, `<script>` cannot reach the page as markup, a ```` ``` ````
//! cannot open or close a code block, and a paragraph cannot open a block.
//! The only HTML the book emits is `<br>`, for line breaks inside table cells,
//! `<wbr>`, where a long name may break (and the `@generated` comment).
//!
//! mdBook expands `{{#include FILE}}` and its kin before it reads the
//! Markdown, in text, code spans and code blocks alike: no `{{` from the spec
//! ever reaches a page. In text each brace is escaped; a code span is split
//! between the braces; a code block writes the second brace as its language's
//! escape (inside a string literal, the only place generated code holds one).

use std::fmt::Write as _;

use crate::emit::markdown::{self, Flavor};

/// Characters that markdown could read as syntax inside a line: escaped with a
/// backslash (`<`, `>` and `&` become entities instead, see [`inline`]).
const SPECIALS: &[char] = &['\\', '`', '*', '_', '[', ']', '|', '~', '{', '}'];

/// Spec text as one line of markdown text: whitespace runs (newlines included)
/// become one space, markdown specials are backslash-escaped and `<`, `>`, `&`
/// become entities.
pub fn inline(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    escape_chars(&joined)
}

/// Escapes the characters of one line (see [`SPECIALS`]).
fn escape_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if SPECIALS.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// How the book writes the text and code spans of Markdown spec text.
struct Book {
    /// In a table cell, where a `|` ends the cell even inside a code span.
    cell: bool,
}

impl Flavor for Book {
    fn text(&self, text: &str) -> String {
        escape_chars(text)
    }

    fn code(&self, text: &str) -> String {
        if self.cell {
            code_cell(text)
        } else {
            code(text)
        }
    }
}

/// Markdown spec text (a description) as one line: its inline markup kept,
/// everything else escaped as by [`inline`].
pub fn markdown(text: &str) -> String {
    markdown::render(&markdown::inline(text), &Book { cell: false })
}

/// Markdown spec text as paragraphs: blank lines separate paragraphs, the
/// lines of a paragraph are joined, inline markup is kept, and a paragraph
/// that would start a block (heading, list, quote, fence, table, thematic
/// break) has its first character escaped.
pub fn paragraphs(text: &str) -> String {
    markdown::paragraphs(text)
        .iter()
        .map(|p| block_safe(markdown::render_paragraph(p, &Book { cell: false })))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Markdown spec text as a table cell: paragraphs kept apart with `<br>`,
/// inline markup kept.
pub fn markdown_cell(text: &str) -> String {
    markdown::paragraphs(text)
        .iter()
        .map(|p| markdown::render(p, &Book { cell: true }))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Escapes what would make `line` start a block when it begins a line.
fn block_safe(line: String) -> String {
    let first = line.chars().next();
    if first.is_some_and(|c| matches!(c, '#' | '>' | '-' | '+' | '=' | ':')) {
        return format!("\\{line}");
    }
    // an ordered list item: `1.` or `1)`
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line
}

/// A dotted path as text that may break across lines after its dots:
/// escaped like [`inline`], with `<wbr>` after each `.`
/// (`vehicle.<wbr>status`), so that a long path does not widen its table.
pub fn path(text: &str) -> String {
    breakable(text, false)
}

/// Literal text as a table cell, like [`cell`], that may also break after
/// its dots and between camel-case words (a label such as
/// `error.gigya.social.login.need.social.link`).
pub fn breakable_cell(text: &str) -> String {
    text.lines()
        .map(type_name)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("<br>")
}

/// A type name as text that may break after its dots and between the words
/// of its camel case (`Vehicle<wbr>Status`).
pub fn type_name(text: &str) -> String {
    breakable(text, true)
}

fn breakable(text: &str, words: bool) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(text.len() + 16);
    let mut previous: Option<char> = None;
    for c in text.chars() {
        if words && c.is_uppercase() && previous.is_some_and(char::is_lowercase) {
            out.push_str("<wbr>");
        }
        out.push_str(&escape_chars(c.encode_utf8(&mut [0; 4])));
        if c == '.' {
            out.push_str("<wbr>");
        }
        previous = Some(c);
    }
    out
}

/// Spec text as a heading's text: like [`inline`], with every `#` escaped too
/// (a trailing `#` would otherwise close the heading).
pub fn heading(text: &str) -> String {
    inline(text).replace('#', "\\#")
}

/// Spec text as a table cell: lines kept apart with `<br>`, everything else as
/// in [`inline`].
pub fn cell(text: &str) -> String {
    text.lines()
        .map(|l| inline(l.trim()))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("<br>")
}

/// A value in inline code, with a backtick fence longer than any run of
/// backticks in it; newlines become spaces.
pub fn code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    // `{{` would be read by mdBook: two spans that meet between the braces
    if let Some(at) = text.find("{{") {
        return format!("{}{}", code(&text[..=at]), code(&text[at + 1..]));
    }
    let fence = "`".repeat(longest_run(&text, '`') + 1);
    // CommonMark strips one space from each end when both ends have one
    let pad = if text.starts_with('`')
        || text.ends_with('`')
        || text.trim().is_empty()
        || (text.starts_with(' ') && text.ends_with(' '))
    {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// [`code`] for a table cell: a `|` would end the cell even inside a code span.
pub fn code_cell(text: &str) -> String {
    code(text).replace('|', "\\|")
}

/// The longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut current) = (0, 0);
    for ch in text.chars() {
        if ch == c {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 0;
        }
    }
    longest
}

/// A fenced code block: the fence is longer than any backtick run of the
/// content (three at least), so the content can neither close it nor open another.
pub fn fenced(info: &str, content: &str) -> String {
    let brace = match info.split(',').next().unwrap_or_default() {
        "json" | "kotlin" => "\\u007b",
        "rust" | "swift" => "\\u{7b}",
        // not a language the book writes: an invisible break
        _ => "\u{200b}{",
    };
    let content = &content.replace("{{", &format!("{{{brace}"));
    let fence = "`".repeat((longest_run(content, '`') + 1).max(3));
    let mut out = format!("{fence}{info}\n{content}");
    if !content.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&fence);
    out.push('\n');
    out
}

/// A link: escaped text, and a target made of the book's own paths.
pub fn link(text: &str, target: &str) -> String {
    format!("[{}]({target})", inline(text))
}

/// A table: a header row, a separator and the rows, cells already escaped.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(
        out,
        "|{}",
        header.iter().map(|_| "---|").collect::<String>()
    );
    for row in rows {
        let cells: Vec<&str> = row
            .iter()
            .map(|c| if c.is_empty() { " " } else { c.as_str() })
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out
}

/// The path of `to` relative to the folder of `from` (both relative to the
/// book's `src`, with `/` separators).
pub fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut out: Vec<&str> = vec![".."; from_dirs.len() - common];
    out.extend(&to_parts[common..]);
    out.join("/")
}

/// A path segment made of safe characters only (`A-Z a-z 0-9 . _ -`), so
/// that a link to it needs no escaping; anything else becomes `_`.
pub fn segment(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    match s.as_str() {
        "" | "." | ".." => format!("_{s}"),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_text_escapes_markdown_and_html() {
        assert_eq!(
            inline("a | b `c` <script>x</script> [l](u) *e* _u_ ~s~ & \\"),
            "a \\| b \\`c\\` &lt;script&gt;x&lt;/script&gt; \\[l\\](u) \\*e\\* \\_u\\_ \\~s\\~ &amp; \\\\"
        );
        assert_eq!(inline("one\n  two\tthree"), "one two three");
    }

    #[test]
    fn paragraphs_cannot_start_blocks() {
        assert_eq!(paragraphs("# title"), "\\# title");
        assert_eq!(paragraphs("- item\n\n1. first"), "\\- item\n\n1\\. first");
        assert_eq!(paragraphs("```rust\ncode"), "\\`\\`\\`rust code");
        assert_eq!(paragraphs("a\nb\n\n\nc"), "a b\n\nc");
    }

    #[test]
    fn descriptions_keep_their_inline_markdown() {
        assert_eq!(
            paragraphs("digits, with an optional leading `+`."),
            "digits, with an optional leading `+`."
        );
        assert_eq!(
            markdown("*a* **b** _c_ [d](https://e.test/x_(y)?a&b) <https://f.test>"),
            "*a* **b** *c* [d](https://e.test/x_%28y%29?a\\&b) [https://f.test](https://f.test)"
        );
        assert_eq!(
            markdown("*a* <b> `c|d` [x](javascript:alert(1)) 1 * 2 {{#include f}}"),
            "*a* &lt;b&gt; `c|d` \\[x\\](javascript:alert(1)) 1 \\* 2 \\{\\{#include f\\}\\}"
        );
        assert_eq!(markdown_cell("`c|d` a|b\n\n*e*"), "`c\\|d` a\\|b<br>*e*");
        assert_eq!(
            markdown("see![i](http://e.test/i.png)"),
            "see\\![i](http://e.test/i.png)"
        );
        assert_eq!(markdown("`{{#include f}}`"), "`{``{#include f}}`");
        assert_eq!(markdown("*{{#include f}}*"), "*\\{\\{#include f\\}\\}*");
        assert_eq!(markdown("**_a_ b**"), "**_a_ b**", "no run of three");
        assert_eq!(markdown("*a*_b_"), "*a*_b_");
    }

    #[test]
    fn a_paragraph_opens_no_block_with_markup_either() {
        assert_eq!(
            paragraphs("``` ``a ```"),
            "\\`\\`a",
            "a fence-like code span"
        );
        assert_eq!(paragraphs("b ``` ``a ```"), "b ``` ``a ```");
        assert_eq!(paragraphs("`` ` `` b"), "`` ` `` b");
        assert_eq!(paragraphs("*a*\n\n- b\n\n> c"), "*a*\n\n\\- b\n\n&gt; c");
        assert_eq!(
            paragraphs("* a\n\n***\n\n1. x"),
            "\\* a\n\n\\*\\*\\*\n\n1\\. x"
        );
    }

    #[test]
    fn long_names_may_break_at_dots_and_words() {
        assert_eq!(
            path("vehicle.status[].fuelLevel"),
            "vehicle.<wbr>status\\[\\].<wbr>fuelLevel"
        );
        assert_eq!(
            type_name("VehicleStatus.fuelLevel"),
            "Vehicle<wbr>Status.<wbr>fuel<wbr>Level"
        );
        assert_eq!(path("VIN <b>|x"), "VIN &lt;b&gt;\\|x");
        assert_eq!(breakable_cell("a.bC\n\nc|d"), "a.<wbr>b<wbr>C<br>c\\|d");
    }

    #[test]
    fn cells_keep_lines_apart() {
        assert_eq!(cell("a|b\nc <d>"), "a\\|b<br>c &lt;d&gt;");
    }

    #[test]
    fn code_spans_and_fences_outgrow_the_content() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(code_cell("a|b"), "`a\\|b`");
        assert_eq!(fenced("json", "{}"), "```json\n{}\n```\n");
        assert_eq!(fenced("", "````\n"), "`````\n````\n`````\n");
    }

    #[test]
    fn no_mdbook_directive_survives() {
        let directive = "{{#include /etc/hostname}}";
        assert_eq!(inline(directive), "\\{\\{#include /etc/hostname\\}\\}");
        assert_eq!(code(directive), "`{``{#include /etc/hostname}}`");
        assert_eq!(code("a{{{b"), "`a{``{``{b`");
        let json = format!("{{\"label\": \"{directive}\"}}");
        let block = fenced("json", &json);
        assert!(!block.contains("{{"), "{block}");
        let value: serde_json::Value = serde_json::from_str(block.lines().nth(1).unwrap()).unwrap();
        assert_eq!(value["label"], directive, "the same value");
        assert!(!fenced("rust,ignore", &format!("{directive:?}")).contains("{{"));
        assert!(!fenced("text", directive).contains("{{"));
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative("apis/a/b.md", "errors.md"), "../../errors.md");
        assert_eq!(relative("apis/a/b.md", "apis/a/c.md"), "c.md");
        assert_eq!(relative("apis/a/b.md", "apis/x/c.md"), "../x/c.md");
        assert_eq!(relative("errors.md", "apis/x/c.md"), "apis/x/c.md");
        assert_eq!(
            relative("components/C.md", "components.md"),
            "../components.md"
        );
    }

    #[test]
    fn segments_are_safe() {
        assert_eq!(segment("pims.a.b"), "pims.a.b");
        assert_eq!(segment("a b/(c)"), "a_b__c_");
        assert_eq!(segment(".."), "_..");
    }
}
