//! The inline Markdown of spec text, parsed once into a list of safe tokens
//! that the book (`book::md`) and rustdoc (`docs`) each render in their own
//! escaping.
//!
//! Descriptions are Markdown, and rustdoc and mdBook render it. Only a small
//! inline subset is kept: code spans, emphasis (`*a*`, `_a_`), strong
//! emphasis (`**a**`, `__a__`), links to `http`, `https` and `mailto`
//! targets, and bare `http(s)://` URLs. Everything else is [`Inline::Text`],
//! which the renderers escape character by character: HTML, entities, block
//! syntax, images, footnotes, mdBook directives, other links (`javascript:`,
//! relative paths) all stay text. An opening marker without its closing one
//! stays text too.
//!
//! The rules follow CommonMark where they matter for what is kept (code spans
//! first, then links, then emphasis; a delimiter run opens when left-flanking
//! and closes when right-flanking, `_` not inside a word), and are simpler
//! where CommonMark is intricate: runs of three or more delimiters, link
//! titles and reference links are text. Because every literal character is
//! escaped when rendered, the renderer's reader sees exactly these tokens.

/// One piece of inline Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Literal text, unescaped: the renderer escapes every character it must.
    Text(String),
    /// A code span's content (one line).
    Code(String),
    /// `*text*` or `_text_`.
    Emphasis(Vec<Inline>),
    /// `**text**` or `__text__`.
    Strong(Vec<Inline>),
    /// `[text](target)`: the target starts with `http://`, `https://` or
    /// `mailto:` (backslash escapes of the source already undone); render it
    /// with [`target`].
    Link {
        /// The link's text (no links inside).
        text: Vec<Inline>,
        /// Where it points, unencoded.
        target: String,
    },
    /// A bare `http(s)://` URL in the text (or a `<…>` autolink).
    Url(String),
}

/// Spec text as paragraphs of inline Markdown: blank lines separate
/// paragraphs, the lines of a paragraph are joined with one space (every
/// whitespace run becomes one space), empty paragraphs are dropped.
pub fn paragraphs(text: &str) -> Vec<Vec<Inline>> {
    text.split("\n\n")
        .map(one_line)
        .filter(|p| !p.is_empty())
        .map(|p| parse(&p, Mode::Markdown))
        .collect()
}

/// Spec text as one paragraph of inline Markdown (whitespace runs, newlines
/// and blank lines included, become one space).
pub fn inline(text: &str) -> Vec<Inline> {
    parse(&one_line(text), Mode::Markdown)
}

/// Literal spec text (a name, a label, a category) as tokens, on one line:
/// nothing in it is markup, but a bare `http(s)://` URL is still a URL
/// (rustdoc warns about bare URLs).
pub fn literal(text: &str) -> Vec<Inline> {
    parse(&one_line(text), Mode::Literal)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How a target writes the two things that differ between them: literal
/// text, with every character its reader could take for syntax escaped, and
/// a code span.
pub trait Flavor {
    /// Literal text, escaped.
    fn text(&self, text: &str) -> String;
    /// A code span holding `code`.
    fn code(&self, code: &str) -> String;
}

/// `tokens` as one line of Markdown in `flavor`: emphasis as `*`/`**` (or
/// `_`/`__` where a `*` stands next to it), links as `[text](target)` with
/// the target encoded by [`target`], bare URLs as links to themselves.
pub fn render(tokens: &[Inline], flavor: &impl Flavor) -> String {
    let mut out = String::new();
    render_into(tokens, flavor, None, &mut out);
    out
}

/// `tokens` as a paragraph that starts a line: like [`render`], but a code
/// span that would start the line with a fence-like run of three backticks
/// is written as text, so the line cannot open a code block.
pub fn render_paragraph(tokens: &[Inline], flavor: &impl Flavor) -> String {
    if let Some(Inline::Code(code)) = tokens.first()
        && flavor.code(code).starts_with("```")
    {
        let mut rest = vec![Inline::Text(code.clone())];
        rest.extend_from_slice(&tokens[1..]);
        return render(&rest, flavor);
    }
    render(tokens, flavor)
}

/// Renders `tokens` inside a delimiter `parent` (`*` or `_`), if any.
fn render_into(tokens: &[Inline], flavor: &impl Flavor, parent: Option<char>, out: &mut String) {
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Inline::Text(text) => {
                // `!` before a link would make it an image
                match text.strip_suffix('!') {
                    Some(head)
                        if matches!(
                            tokens.get(i + 1),
                            Some(Inline::Link { .. } | Inline::Url(_))
                        ) =>
                    {
                        out.push_str(&flavor.text(head));
                        out.push_str("\\!");
                    }
                    _ => out.push_str(&flavor.text(text)),
                }
            }
            Inline::Code(code) => out.push_str(&flavor.code(code)),
            Inline::Emphasis(children) | Inline::Strong(children) => {
                // the other character where a `*` (or `_`) touches this one,
                // so that two runs never merge into one
                let touching = [
                    out.chars().last().filter(|c| matches!(c, '*' | '_')),
                    parent.filter(|_| i + 1 == tokens.len()),
                ];
                let ch = if touching.contains(&Some('*')) {
                    '_'
                } else {
                    '*'
                };
                let delimiter = if matches!(token, Inline::Strong(_)) {
                    format!("{ch}{ch}")
                } else {
                    ch.to_string()
                };
                out.push_str(&delimiter);
                render_into(children, flavor, Some(ch), out);
                out.push_str(&delimiter);
            }
            Inline::Link { text, target: to } => {
                out.push('[');
                render_into(text, flavor, None, out);
                out.push_str("](");
                out.push_str(&target(to));
                out.push(')');
            }
            Inline::Url(url) => {
                out.push('[');
                out.push_str(&flavor.text(url));
                out.push_str("](");
                out.push_str(&target(url));
                out.push(')');
            }
        }
    }
}

/// The schemes a link may point to.
const SCHEMES: &[&str] = &["http://", "https://", "mailto:"];

/// Whether `target` is a link the book and rustdoc may render: an allowed
/// scheme (any case) followed by something.
fn allowed(target: &str) -> bool {
    SCHEMES.iter().any(|s| {
        target.len() > s.len()
            && target
                .get(..s.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(s))
    })
}

/// A link target as a Markdown link destination that cannot end the link or
/// be read as anything else: percent-encoded except for the characters URLs
/// are made of, with `&` backslash-escaped (so that no entity is decoded) and
/// `(`, `)`, `<`, `>`, `[`, `]`, `{`, `}`, `|`, `\`, `` ` ``, quotes, spaces
/// and everything outside ASCII encoded. A `%` that starts no escape is
/// encoded too.
pub fn target(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'&' => out.push_str("\\&"),
            b'%' if bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit) =>
            {
                out.push('%');
            }
            b if b.is_ascii_alphanumeric() => out.push(b as char),
            b'-' | b'.' | b'_' | b'~' | b':' | b'/' | b'?' | b'#' | b'@' | b'!' | b'$' | b'+'
            | b',' | b';' | b'=' | b'\'' => out.push(b as char),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// What the lexer looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Everything this module keeps.
    Markdown,
    /// A link's text: everything but links and URLs.
    LinkText,
    /// Literal text: bare URLs only.
    Literal,
}

/// Parses one line.
fn parse(line: &str, mode: Mode) -> Vec<Inline> {
    let chars: Vec<char> = line.chars().collect();
    group(lex(&chars, 0, chars.len(), mode))
}

/// What the lexer finds, before delimiters are paired.
#[derive(Debug)]
enum Atom {
    Text(String),
    Code(String),
    Link(Vec<Inline>, String),
    Url(String),
    /// A run of `*` or `_`, and whether it can open or close emphasis.
    Delim {
        ch: char,
        len: usize,
        open: bool,
        close: bool,
    },
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || (!c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace())
}

/// The atoms of `chars[start..end]`, as `mode` says.
fn lex(chars: &[char], start: usize, end: usize, mode: Mode) -> Vec<Atom> {
    let markup = mode != Mode::Literal;
    let links = mode != Mode::LinkText;
    let mut atoms = Vec::new();
    let mut text = String::new();
    let mut i = start;
    // lengths of backtick runs that no run closes from here on
    let mut unclosed: Vec<usize> = Vec::new();
    let flush = |text: &mut String, atoms: &mut Vec<Atom>| {
        if !text.is_empty() {
            atoms.push(Atom::Text(std::mem::take(text)));
        }
    };
    while i < end {
        let c = chars[i];
        match c {
            '\\' if markup && i + 1 < end && chars[i + 1].is_ascii_punctuation() => {
                text.push(chars[i + 1]);
                i += 2;
            }
            '`' if markup => {
                let run = run_length(chars, i, end, '`');
                let close = if unclosed.contains(&run) {
                    None
                } else {
                    closing_backticks(chars, i + run, end, run)
                };
                if close.is_none() && !unclosed.contains(&run) {
                    unclosed.push(run);
                }
                match close {
                    Some(close) => {
                        flush(&mut text, &mut atoms);
                        atoms.push(Atom::Code(code_content(&chars[i + run..close])));
                        i = close + run;
                    }
                    None => {
                        text.extend(&chars[i..i + run]);
                        i += run;
                    }
                }
            }
            '[' if markup && links => match link(chars, i, end) {
                Some((label, target, next)) => {
                    flush(&mut text, &mut atoms);
                    let label = lex(chars, label.0, label.1, Mode::LinkText);
                    atoms.push(Atom::Link(group(label), target));
                    i = next;
                }
                None => {
                    text.push('[');
                    i += 1;
                }
            },
            '<' if markup && links => match autolink(chars, i, end) {
                Some((url, next)) => {
                    flush(&mut text, &mut atoms);
                    atoms.push(Atom::Url(url));
                    i = next;
                }
                None => {
                    text.push('<');
                    i += 1;
                }
            },
            'h' | 'H' if links && (i == 0 || url_may_follow(chars[i - 1])) => {
                match bare_url(chars, i, end) {
                    Some(next) => {
                        flush(&mut text, &mut atoms);
                        atoms.push(Atom::Url(chars[i..next].iter().collect()));
                        i = next;
                    }
                    None => {
                        text.push(c);
                        i += 1;
                    }
                }
            }
            '*' | '_' if markup => {
                let len = run_length(chars, i, end, c);
                let before = if i == 0 { ' ' } else { chars[i - 1] };
                let after = chars.get(i + len).copied().unwrap_or(' ');
                let left = !after.is_whitespace()
                    && (!is_punctuation(after) || before.is_whitespace() || is_punctuation(before));
                let right = !before.is_whitespace()
                    && (!is_punctuation(before) || after.is_whitespace() || is_punctuation(after));
                let (open, close) = if c == '*' {
                    (left, right)
                } else {
                    (
                        left && (!right || is_punctuation(before)),
                        right && (!left || is_punctuation(after)),
                    )
                };
                flush(&mut text, &mut atoms);
                atoms.push(Atom::Delim {
                    ch: c,
                    len,
                    open: open && len <= 2,
                    close: close && len <= 2,
                });
                i += len;
            }
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    flush(&mut text, &mut atoms);
    atoms
}

/// What may stand just before a bare URL (GFM's rule).
fn url_may_follow(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | '*' | '_' | '~' | '"' | '\'')
}

fn run_length(chars: &[char], at: usize, end: usize, c: char) -> usize {
    chars[at..end].iter().take_while(|x| **x == c).count()
}

/// Where the run of exactly `run` backticks that closes a code span starts.
fn closing_backticks(chars: &[char], from: usize, end: usize, run: usize) -> Option<usize> {
    let mut j = from;
    while j < end {
        if chars[j] == '`' {
            let n = run_length(chars, j, end, '`');
            if n == run {
                return Some(j);
            }
            j += n;
        } else {
            j += 1;
        }
    }
    None
}

/// A code span's content: one leading and one trailing space stripped when
/// both are there and it is not all spaces (CommonMark).
fn code_content(chars: &[char]) -> String {
    let s: String = chars.iter().collect();
    if s.len() >= 2 && s.starts_with(' ') && s.ends_with(' ') && !s.trim().is_empty() {
        s[1..s.len() - 1].to_owned()
    } else {
        s
    }
}

/// How far a link's text, or its target, or a bare URL may reach: spec text
/// is untrusted, and a run of `[` must cost at most this much per `[`, not
/// the rest of the text. A longer link is text.
const MAX_LINK: usize = 1_000;

/// How many emphasis openers may wait for their closers at once.
const MAX_OPEN: usize = 32;

/// `[label](target)` at `at`: the label's range, the unescaped target and
/// where the link ends; `None` if it is not a link to an allowed scheme.
fn link(chars: &[char], at: usize, end: usize) -> Option<((usize, usize), String, usize)> {
    // the closing bracket, past escapes and code spans, brackets balanced
    let mut depth = 0usize;
    let mut j = at + 1;
    let limit = end.min(at + 1 + MAX_LINK);
    let close = loop {
        if j >= limit {
            return None;
        }
        match chars[j] {
            '\\' if j + 1 < end && chars[j + 1].is_ascii_punctuation() => j += 2,
            '`' => {
                let run = run_length(chars, j, limit, '`');
                j = match closing_backticks(chars, j + run, limit, run) {
                    Some(c) => c + run,
                    None => j + run,
                };
            }
            '[' => {
                depth += 1;
                j += 1;
            }
            ']' if depth == 0 => break j,
            ']' => {
                depth -= 1;
                j += 1;
            }
            _ => j += 1,
        }
    };
    if close == at + 1 || chars.get(close + 1) != Some(&'(') || close + 1 >= end {
        return None;
    }
    let (target, after) = destination(chars, close + 2, end)?;
    let mut k = after;
    while k < end && chars[k] == ' ' {
        k += 1;
    }
    if k >= end || chars[k] != ')' || !allowed(&target) {
        return None;
    }
    // links hold no links: the inner one wins (CommonMark)
    if chars[at + 1..close].windows(2).any(|w| w == [']', '(']) {
        return None;
    }
    Some(((at + 1, close), target, k + 1))
}

/// A link destination at `at`: `<…>` or a run without spaces whose
/// parentheses balance; backslash escapes undone.
fn destination(chars: &[char], at: usize, end: usize) -> Option<(String, usize)> {
    let mut out = String::new();
    let end = end.min(at + MAX_LINK);
    if chars.get(at) == Some(&'<') {
        let mut j = at + 1;
        while j < end {
            match chars[j] {
                '\\' if j + 1 < end && chars[j + 1].is_ascii_punctuation() => {
                    out.push(chars[j + 1]);
                    j += 2;
                }
                '>' => return Some((out, j + 1)),
                '<' => return None,
                c => {
                    out.push(c);
                    j += 1;
                }
            }
        }
        return None;
    }
    let mut depth = 0usize;
    let mut j = at;
    while j < end {
        match chars[j] {
            '\\' if j + 1 < end && chars[j + 1].is_ascii_punctuation() => {
                out.push(chars[j + 1]);
                j += 2;
                continue;
            }
            c if c.is_whitespace() || c.is_control() => break,
            '(' => depth += 1,
            ')' if depth == 0 => break,
            ')' => depth -= 1,
            _ => {}
        }
        out.push(chars[j]);
        j += 1;
    }
    (depth == 0 && !out.is_empty()).then_some((out, j))
}

/// `<http://…>` at `at`: the URL and where it ends (CommonMark's autolink:
/// no spaces, no `<`, no backslash escapes), allowed schemes only.
fn autolink(chars: &[char], at: usize, end: usize) -> Option<(String, usize)> {
    let mut j = at + 1;
    while j < end {
        match chars[j] {
            '>' => {
                let url: String = chars[at + 1..j].iter().collect();
                return allowed(&url).then_some((url, j + 1));
            }
            c if c == '<' || c.is_whitespace() || c.is_control() => return None,
            _ => j += 1,
        }
    }
    None
}

/// The end of a bare `http://` or `https://` URL at `at`: up to a space or a
/// character URLs do not hold in text (`<`, `>`, `"`, `` ` ``, `)`, `]`),
/// trailing punctuation left out.
fn bare_url(chars: &[char], at: usize, end: usize) -> Option<usize> {
    let mut j = at;
    while j < end
        && j - at <= MAX_LINK
        && !chars[j].is_whitespace()
        && !matches!(chars[j], '<' | '>' | '"' | '`' | ')' | ']' | '[' | '(')
    {
        j += 1;
    }
    if j - at > MAX_LINK {
        return None;
    }
    while j > at
        && matches!(
            chars[j - 1],
            '.' | ',' | ';' | ':' | '!' | '?' | '*' | '_' | '~' | '\'' | '\\'
        )
    {
        j -= 1;
    }
    let candidate: String = chars[at..j].iter().collect();
    ["http://", "https://"]
        .iter()
        .any(|s| {
            candidate.len() > s.len()
                && candidate
                    .get(..s.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(s))
        })
        .then_some(j)
}

/// An open delimiter (character, length; none for the top level) and what
/// follows it so far.
type Frame = (Option<(char, usize)>, Vec<Inline>);

/// Pairs delimiters into emphasis: a closer takes the nearest opener of the
/// same character and length; openers left between them, and every
/// delimiter without a partner, are text.
fn group(atoms: Vec<Atom>) -> Vec<Inline> {
    // frames[0] is the top level; each other frame is an open delimiter
    let mut frames: Vec<Frame> = vec![(None, Vec::new())];
    for atom in atoms {
        let node = match atom {
            Atom::Text(t) => Inline::Text(t),
            Atom::Code(c) => Inline::Code(c),
            Atom::Link(text, target) => Inline::Link { text, target },
            Atom::Url(u) => Inline::Url(u),
            Atom::Delim {
                ch,
                len,
                open,
                close,
            } => {
                let opener = if close {
                    frames
                        .iter()
                        .rposition(|(d, _)| *d == Some((ch, len)))
                        .filter(|at| *at > 0)
                } else {
                    None
                };
                if let Some(at) = opener {
                    while frames.len() > at + 1 {
                        unwind(&mut frames);
                    }
                    let (_, children) = frames.pop().unwrap_or_default();
                    let node = if len == 1 {
                        Inline::Emphasis(children)
                    } else {
                        Inline::Strong(children)
                    };
                    push(&mut frames, node);
                    continue;
                }
                if open && frames.len() <= MAX_OPEN {
                    frames.push((Some((ch, len)), Vec::new()));
                    continue;
                }
                Inline::Text(std::iter::repeat_n(ch, len).collect())
            }
        };
        push(&mut frames, node);
    }
    while frames.len() > 1 {
        unwind(&mut frames);
    }
    frames.pop().map(|(_, nodes)| nodes).unwrap_or_default()
}

/// Closes the innermost open frame as text: its delimiter, then its nodes.
fn unwind(frames: &mut Vec<Frame>) {
    if let Some((delim, nodes)) = frames.pop() {
        if let Some((ch, len)) = delim {
            push(frames, Inline::Text(std::iter::repeat_n(ch, len).collect()));
        }
        for node in nodes {
            push(frames, node);
        }
    }
}

/// Appends `node` to the innermost frame, merging adjacent text.
fn push(frames: &mut [Frame], node: Inline) {
    let Some((_, nodes)) = frames.last_mut() else {
        return;
    };
    if let (Some(Inline::Text(last)), Inline::Text(t)) = (nodes.last_mut(), &node) {
        last.push_str(t);
        return;
    }
    nodes.push(node);
}

#[cfg(test)]
mod tests {
    use super::Inline::*;
    use super::*;

    fn t(s: &str) -> Inline {
        Text(s.to_owned())
    }

    #[test]
    fn code_spans_first() {
        assert_eq!(
            inline("with a leading `+`."),
            [t("with a leading "), Code("+".into()), t(".")]
        );
        assert_eq!(inline("`` a`b ``"), [Code("a`b".into())]);
        assert_eq!(inline("` `` `"), [Code("``".into())]);
        assert_eq!(
            inline("`*a*` *b*"),
            [Code("*a*".into()), t(" "), Emphasis(vec![t("b")])]
        );
        assert_eq!(inline("an ` alone"), [t("an ` alone")]);
        assert_eq!(
            inline("``a`"),
            [t("``a`")],
            "runs of other lengths do not close"
        );
        assert_eq!(
            inline("\\`a`"),
            [t("`a`")],
            "an escaped backtick opens nothing"
        );
    }

    #[test]
    fn emphasis_pairs_or_stays_text() {
        assert_eq!(
            inline("*a* and _b_"),
            [Emphasis(vec![t("a")]), t(" and "), Emphasis(vec![t("b")])]
        );
        assert_eq!(
            inline("**a** __b__"),
            [Strong(vec![t("a")]), t(" "), Strong(vec![t("b")])]
        );
        assert_eq!(
            inline("**a *b* c**"),
            [Strong(vec![t("a "), Emphasis(vec![t("b")]), t(" c")])]
        );
        assert_eq!(inline("*a"), [t("*a")]);
        assert_eq!(inline("a * b * c"), [t("a * b * c")], "not flanking");
        assert_eq!(
            inline("snake_case_name"),
            [t("snake_case_name")],
            "`_` inside a word"
        );
        assert_eq!(
            inline("2*3*4"),
            [t("2"), Emphasis(vec![t("3")]), t("4")],
            "`*` inside a word"
        );
        assert_eq!(inline("***a***"), [t("***a***")], "runs of three are text");
        assert_eq!(inline("**a*"), [t("**a*")], "lengths must match");
        assert_eq!(
            inline("*a **b* c**"),
            [Emphasis(vec![t("a **b")]), t(" c**")],
            "an opener left inside is text"
        );
        assert_eq!(inline("\\*a*"), [t("*a*")]);
    }

    #[test]
    fn links_to_allowed_schemes_only() {
        assert_eq!(
            inline("see [the *docs*](https://e.test/a_(b)) now"),
            [
                t("see "),
                Link {
                    text: vec![t("the "), Emphasis(vec![t("docs")])],
                    target: "https://e.test/a_(b)".into()
                },
                t(" now")
            ]
        );
        assert_eq!(
            inline("[m](mailto:a@e.test)"),
            [Link {
                text: vec![t("m")],
                target: "mailto:a@e.test".into()
            }]
        );
        assert_eq!(
            inline("[x](javascript:alert(1))"),
            [t("[x](javascript:alert(1))")]
        );
        assert_eq!(inline("[x](JavaScript:a)"), [t("[x](JavaScript:a)")]);
        assert_eq!(inline("[x](page.md)"), [t("[x](page.md)")]);
        assert_eq!(inline("[x](http://)"), [t("[x](http://)")]);
        assert_eq!(
            inline("[x](<http://a b>)")[0],
            Link {
                text: vec![t("x")],
                target: "http://a b".into()
            }
        );
        assert_eq!(
            inline("[x](http://e.test \"title\")"),
            [t("[x]("), Url("http://e.test".into()), t(" \"title\")")],
            "titles are not kept: text, with its URL"
        );
        assert_eq!(
            inline("[a [b](http://e.test)](http://f.test)")[0],
            t("[a "),
            "no link inside a link"
        );
        assert_eq!(
            inline("[`]`](http://e.test)"),
            [Link {
                text: vec![Code("]".into())],
                target: "http://e.test".into()
            }]
        );
        assert_eq!(
            inline("![img](http://e.test/i.png)"),
            [
                t("!"),
                Link {
                    text: vec![t("img")],
                    target: "http://e.test/i.png".into()
                }
            ],
            "the renderers escape the `!`"
        );
    }

    #[test]
    fn bare_urls_and_autolinks() {
        assert_eq!(
            inline("at https://e.test/a_b. Or <http://f.test>"),
            [
                t("at "),
                Url("https://e.test/a_b".into()),
                t(". Or "),
                Url("http://f.test".into())
            ]
        );
        assert_eq!(inline("<javascript:x>"), [t("<javascript:x>")]);
        assert_eq!(inline("xhttp://e.test"), [t("xhttp://e.test")]);
    }

    #[test]
    fn targets_cannot_break_out() {
        assert_eq!(
            target("https://e.test/a?b=1&c=2"),
            "https://e.test/a?b=1\\&c=2"
        );
        assert_eq!(target("http://e.test/a)b(c"), "http://e.test/a%29b%28c");
        assert_eq!(
            target("http://e.test/{{#include x}}"),
            "http://e.test/%7B%7B#include%20x%7D%7D"
        );
        assert_eq!(
            target("http://e.test/<é>|\\`\""),
            "http://e.test/%3C%C3%A9%3E%7C%5C%60%22"
        );
        assert_eq!(target("http://e.test/%41%zz"), "http://e.test/%41%25zz");
    }

    #[test]
    fn long_runs_of_markers_stay_text() {
        // 5,000 openers with no closer: text, each found within a bounded
        // window (MAX_LINK), not by rescanning the rest of the line
        for unit in ["[", "*a ", "<", "(h", "[a](", "*h ", "[a]"] {
            let text = unit.repeat(5_000);
            assert!(inline(&text) == [t(text.trim())], "{unit:?}");
        }
        // nesting is bounded: the openers past MAX_OPEN, and the closers
        // they leave without a partner, are text
        fn depth(tokens: &[Inline]) -> usize {
            tokens
                .iter()
                .map(|t| match t {
                    Emphasis(c) | Strong(c) => 1 + depth(c),
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        }
        let deep = format!("{}x{}", "*a ".repeat(100), " b*".repeat(100));
        let tokens = inline(&deep);
        assert_eq!(depth(&tokens), MAX_OPEN);
        assert!(
            matches!(tokens.as_slice(), [Emphasis(_), Text(rest)] if rest.matches('*').count() == 100 - MAX_OPEN)
        );
    }

    #[test]
    fn paragraphs_are_lines() {
        assert_eq!(
            paragraphs("a\n*b\nc*\n\n\n  d  "),
            [vec![t("a "), Emphasis(vec![t("b c")])], vec![t("d")]]
        );
        assert_eq!(literal("*a* `b` \\*"), [t("*a* `b` \\*")]);
        assert_eq!(
            literal("see http://e.test"),
            [t("see "), Url("http://e.test".into())]
        );
    }
}
