//! The code blocks of generated rustdoc: rustdoc compiles every Rust code
//! block of every doc comment as a doctest, so each must be one the generator
//! wrote (its examples start with `use <crate>::`) and must parse. Spec text
//! must never open one.

use crate::guard::Kind;

/// A fenced code block of a markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    /// The info string (`rust,ignore`, `json`, empty).
    pub info: String,
    /// The lines inside, joined with `\n`.
    pub text: String,
    /// The 1-based line of the opening fence.
    pub line: usize,
}

/// The fenced code blocks of `markdown`, as CommonMark opens and closes them
/// (up to three spaces of indentation; ``` or ~~~, three or more; a
/// backtick fence's info string holds no backtick; an unclosed block runs to
/// the end).
pub fn fences(markdown: &str) -> Vec<Fence> {
    let mut out = Vec::new();
    // the fence character, its length, the info string, the opening line, the lines inside
    let mut open: Option<(char, usize, String, usize, Vec<&str>)> = None;
    for (i, line) in markdown.split('\n').enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let body = line.trim_start_matches(' ');
        let fence_char = body.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = fence_char.map_or(0, |c| body.len() - body.trim_start_matches(c).len());
        if let Some((c, len, _, _, lines)) = &mut open {
            let closes = indent <= 3
                && fence_char == Some(*c)
                && run >= *len
                && body[run..].trim().is_empty();
            if !closes {
                lines.push(line);
                continue;
            }
            if let Some((_, _, info, at, lines)) = open.take() {
                out.push(Fence {
                    info,
                    text: lines.join("\n"),
                    line: at,
                });
            }
        } else if indent <= 3 && run >= 3 {
            let c = fence_char.unwrap_or('`');
            let info = body[run..].trim().to_owned();
            if c == '`' && info.contains('`') {
                continue;
            }
            open = Some((c, run, info, i + 1, Vec::new()));
        }
    }
    if let Some((_, _, info, at, lines)) = open {
        out.push(Fence {
            info,
            text: lines.join("\n"),
            line: at,
        });
    }
    out
}

/// Whether rustdoc compiles a code block with this info string: it does for
/// an empty one and for rustdoc's own tags, unless `ignore` is among them.
pub fn compiled(info: &str) -> bool {
    let mut rust = true;
    let mut seen_rust = false;
    let mut seen_other = false;
    let mut ignored = false;
    for token in info
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
    {
        match token {
            "rust" | "should_panic" | "no_run" | "compile_fail" | "test_harness"
            | "standalone_crate" => seen_rust = true,
            "ignore" => {
                seen_rust = true;
                ignored = true;
            }
            t if t.starts_with("ignore-") => seen_rust = true,
            t if t.starts_with("edition") => seen_rust = true,
            _ => seen_other = true,
        }
    }
    rust &= !seen_other || seen_rust;
    rust && !ignored
}

/// The code of a doctest as the compiler sees it: hidden lines (`# `) shown.
fn unhide(text: &str) -> String {
    text.lines()
        .map(|l| {
            let t = l.trim_start();
            if t == "#" {
                ""
            } else if let Some(rest) = t.strip_prefix("# ") {
                rest
            } else if let Some(rest) = t.strip_prefix("##") {
                rest
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every doc comment of `file` (its inner docs, its items, their fields,
/// variants and associated items), as rustdoc joins it.
pub fn docs(file: &syn::File) -> Vec<String> {
    let mut out = Vec::new();
    push_doc(&file.attrs, &mut out);
    for item in &file.items {
        item_docs(item, &mut out);
    }
    out
}

fn push_doc(attrs: &[syn::Attribute], out: &mut Vec<String>) {
    let mut lines = Vec::new();
    for attr in attrs {
        if !attr.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(nv) = &attr.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            lines.extend(s.value().split('\n').map(str::to_owned));
        }
    }
    if lines.is_empty() {
        return;
    }
    let common = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let text = lines
        .iter()
        .map(|l| {
            if l.len() >= common {
                &l[common..]
            } else {
                l.trim_start()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    out.push(text);
}

fn fields_docs(fields: &syn::Fields, out: &mut Vec<String>) {
    for field in fields {
        push_doc(&field.attrs, out);
    }
}

fn item_docs(item: &syn::Item, out: &mut Vec<String>) {
    use syn::Item;
    match item {
        Item::Struct(s) => {
            push_doc(&s.attrs, out);
            fields_docs(&s.fields, out);
        }
        Item::Enum(e) => {
            push_doc(&e.attrs, out);
            for v in &e.variants {
                push_doc(&v.attrs, out);
                fields_docs(&v.fields, out);
            }
        }
        Item::Impl(i) => {
            push_doc(&i.attrs, out);
            for it in &i.items {
                match it {
                    syn::ImplItem::Fn(f) => push_doc(&f.attrs, out),
                    syn::ImplItem::Const(c) => push_doc(&c.attrs, out),
                    syn::ImplItem::Type(t) => push_doc(&t.attrs, out),
                    _ => {}
                }
            }
        }
        Item::Mod(m) => {
            push_doc(&m.attrs, out);
            for it in m.content.iter().flat_map(|(_, items)| items) {
                item_docs(it, out);
            }
        }
        Item::Fn(f) => push_doc(&f.attrs, out),
        Item::Const(c) => push_doc(&c.attrs, out),
        Item::Static(s) => push_doc(&s.attrs, out),
        Item::Type(t) => push_doc(&t.attrs, out),
        Item::Trait(t) => push_doc(&t.attrs, out),
        Item::Use(u) => push_doc(&u.attrs, out),
        _ => {}
    }
}

/// Checks every compiled code block of the docs of `file`: it must be one of
/// the generator's examples (`use <doc_crate>::` first) and parse.
pub fn check(file: &syn::File, doc_crate: Option<&str>) -> Result<(), (Kind, String)> {
    for doc in docs(file) {
        for fence in fences(&doc) {
            if !compiled(&fence.info) {
                continue;
            }
            let code = unhide(&fence.text);
            let first = code.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            let ours = doc_crate.is_some_and(|c| first.starts_with(&format!("use {c}::")));
            if !ours {
                return Err((
                    Kind::Invariant,
                    format!(
                        "a code block that rustdoc compiles is not one of the generator's examples\ninfo string {:?}, first line {:?}",
                        fence.info,
                        first.chars().take(80).collect::<String>()
                    ),
                ));
            }
            // rustdoc wraps the code in `fn main` unless it declares one
            let declares_main = syn::parse_file(&code).is_ok_and(|f| {
                f.items
                    .iter()
                    .any(|i| matches!(i, syn::Item::Fn(f) if f.sig.ident == "main"))
            });
            if declares_main {
                continue;
            }
            let program = format!("fn main() {{\n{code}\n}}");
            if let Err(e) = syn::parse_file(&program) {
                let line = program
                    .lines()
                    .nth(e.span().start().line.saturating_sub(1))
                    .unwrap_or("");
                return Err((
                    Kind::Unparseable,
                    format!(
                        "a doctest does not parse: {e}\nat {:?}",
                        line.chars().take(200).collect::<String>()
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_open_and_close_as_commonmark_does() {
        let md = "text\n```\nlet a = 1;\n\nlet b = 2;\n```\n  ~~~~ json\n{}\n~~~\n~~~~\n````x`\nnot a fence\n```rust,ignore\nopen";
        let found = fences(md);
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0].info, "");
        assert_eq!(found[0].text, "let a = 1;\n\nlet b = 2;");
        assert_eq!(found[0].line, 2);
        assert_eq!(found[1].info, "json");
        assert_eq!(found[1].text, "{}\n~~~");
        assert_eq!(found[2].info, "rust,ignore");
        assert_eq!(found[2].text, "open", "an unclosed block runs to the end");
    }

    #[test]
    fn compiled_follows_rustdoc() {
        assert!(compiled(""));
        assert!(compiled("rust"));
        assert!(compiled("no_run"));
        assert!(compiled("edition2021"));
        assert!(!compiled("rust,ignore"));
        assert!(!compiled("text"));
        assert!(!compiled("json"));
        assert!(!compiled("some words here"));
        assert!(compiled("should_panic words"));
    }

    #[test]
    fn spec_text_opening_a_doctest_is_found() {
        let ours: syn::File = syn::parse_quote! {
            /// Example:
            ///
            /// ```
            /// use my_sdk::X;
            /// # Ok::<(), ()>(())
            /// ```
            pub struct X;
        };
        assert_eq!(check(&ours, Some("my_sdk")), Ok(()));
        let main_in_a_string: syn::File = syn::parse_quote! {
            /// ```
            /// use my_sdk::X;
            /// let a = r#"fn main() {}"#;
            /// ```
            pub struct X;
        };
        assert_eq!(
            check(&main_in_a_string, Some("my_sdk")),
            Ok(()),
            "rustdoc wraps it in a main"
        );
        let injected: syn::File = syn::parse_quote! {
            pub struct X {
                /// A field.
                ///
                /// ~~~
                /// std::process::exit(1);
                /// ~~~
                pub a: u8,
            }
        };
        let (kind, message) = check(&injected, Some("my_sdk")).expect_err("found");
        assert_eq!(kind, Kind::Invariant, "{message}");
        let broken: syn::File = syn::parse_quote! {
            /// ```
            /// use my_sdk::X;
            /// let a = r#"x"#"#;
            /// ```
            pub struct X;
        };
        let (kind, message) = check(&broken, Some("my_sdk")).expect_err("found");
        assert_eq!(kind, Kind::Unparseable, "{message}");
    }
}
