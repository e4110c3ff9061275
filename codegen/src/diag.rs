//! Diagnostics: every problem found in one run, each located, with a stable
//! code, what was expected, what was found and a suggestion where one is likely.
//!
//! Rendered for people (with the source line and a caret), as JSON Lines, or
//! as GitHub workflow annotations.

use std::fmt::Write as _;

use crate::source::{Loc, Sources, display_path};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The spec is refused: nothing is written.
    Error,
    /// Legal but suspect; refused only with `--deny-warnings`.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($( #[doc = $doc:literal] $variant:ident = $code:literal, $slug:literal; )*) => {
        /// The stable code of a diagnostic. Codes are never reused or renumbered.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( #[doc = $doc] $variant, )*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code, e.g. `E101`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// A short name, e.g. `unknown-key`.
            pub fn slug(self) -> &'static str {
                match self { $(Code::$variant => $slug,)* }
            }

            /// What the code means, in one sentence.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $doc.trim_start(),)* }
            }

            /// The code named `name`: `E101`, `e101` or `unknown-key`.
            pub fn find(name: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|c| {
                    c.as_str().eq_ignore_ascii_case(name) || c.slug() == name
                })
            }

            /// Whether it is a warning's code.
            pub fn is_warning(self) -> bool {
                self.as_str().starts_with('W')
            }
        }
    };
}

codes! {
    /// A file or folder could not be read.
    Io = "E001", "io";
    /// A file is not UTF-8.
    NotUtf8 = "E002", "not-utf8";
    /// A file holds no YAML document.
    EmptyFile = "E003", "empty-file";
    /// The YAML is malformed.
    YamlSyntax = "E004", "yaml-syntax";
    /// The YAML exceeds a limit (alias expansion, nesting, size).
    YamlLimit = "E005", "yaml-limit";
    /// A mapping has the same key twice.
    DuplicateKey = "E006", "duplicate-key";
    /// The spec folder has no `pims.yaml`.
    MissingManifest = "E007", "missing-manifest";
    /// A control or bidi character that spec text may not hold.
    HiddenCharacter = "E008", "hidden-character";
    /// A key the format does not know (often a typo).
    UnknownKey = "E101", "unknown-key";
    /// A value of the wrong kind (a list where a map was expected, …).
    WrongKind = "E102", "wrong-kind";
    /// A required key is missing.
    MissingKey = "E103", "missing-key";
    /// A value the format does not allow here.
    InvalidValue = "E104", "invalid-value";
    /// A version that is not `MAJOR.MINOR` or `MAJOR.MINOR.PATCH`.
    BadVersion = "E105", "bad-version";
    /// A name that is not in the form its place requires.
    BadName = "E106", "bad-name";
    /// An error code that is not in the catalogue.
    UnknownErrorCode = "E201", "unknown-error-code";
    /// A component that `pims.yaml` does not declare.
    UnknownComponent = "E202", "unknown-component";
    /// A security that `pims.yaml` does not declare.
    UnknownSecurity = "E203", "unknown-security";
    /// A named type that no `types:` declares.
    UnknownType = "E204", "unknown-type";
    /// A `related` entry that names no api or operation.
    UnknownRelated = "E205", "unknown-related";
    /// Two operations of one api with the same name.
    DuplicateOperation = "E301", "duplicate-operation";
    /// Two operations of one api that a call could not tell apart.
    AmbiguousOperations = "E302", "ambiguous-operations";
    /// `events` on an operation that is not a `subscribe`.
    EventsNotSubscribe = "E303", "events-not-subscribe";
    /// An api file whose path does not match its api name.
    ApiPathMismatch = "E304", "api-path-mismatch";
    /// Names that collide once turned into Rust.
    NameCollision = "E305", "name-collision";
    /// A `pattern` that is not a valid regular expression.
    InvalidRegex = "E306", "invalid-regex";
    /// An example (or default) that does not fit its type.
    ExampleMismatch = "E307", "example-mismatch";
    /// A selector key that is also a parameter.
    SelectorClash = "E308", "selector-clash";
    /// A code, type or api declared twice.
    DuplicateDefinition = "E309", "duplicate-definition";
    /// A type that contains itself without an array in between.
    RecursiveType = "E310", "recursive-type";
    /// Bounds that contradict each other (`minimum` above `maximum`, …).
    BadBounds = "E311", "bad-bounds";
    /// An operation without errors.
    NoErrors = "W401", "no-errors";
    /// A result or event field without an example.
    NoExample = "W402", "no-example";
    /// An enumeration whose example is not one of its members.
    ExampleNotMember = "W403", "example-not-member";
    /// A version newer than the SDK release the spec describes.
    FutureVersion = "W404", "future-version";
    /// `updated` before `since`.
    VersionOrder = "W405", "version-order";
    /// A field on one platform only that is marked required.
    PlatformRequired = "W406", "platform-required";
}

/// One problem, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// Where.
    pub loc: Loc,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What was expected there.
    pub expected: Option<String>,
    /// What was found instead.
    pub found: Option<String>,
    /// The likely fix (`did you mean `required`?`).
    pub help: Option<String>,
    /// Other places that explain this one (`first defined here`).
    pub notes: Vec<(Loc, String)>,
}

/// The longest text a diagnostic echoes from the spec, in characters: a
/// longer message, expectation, finding, hint or note is cut with `…`.
pub const MAX_ECHO: usize = 240;

/// `text`, cut to [`MAX_ECHO`] characters with `…`, control and bidi
/// characters written as escapes (a diagnostic is read on a terminal).
pub fn echo(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX_ECHO {
            out.push('…');
            break;
        }
        if crate::check::is_hidden_char(c) && c != '\n' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

impl Diagnostic {
    /// An error with `code` at `loc`.
    pub fn error(code: Code, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            loc,
            message: echo(&message.into()),
            expected: None,
            found: None,
            help: None,
            notes: Vec::new(),
        }
    }

    /// A warning with `code` at `loc`.
    pub fn warning(code: Code, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, loc, message)
        }
    }

    /// Says what was expected.
    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(echo(&expected.into()));
        self
    }

    /// Says what was found.
    pub fn found(mut self, found: impl Into<String>) -> Self {
        self.found = Some(echo(&found.into()));
        self
    }

    /// Suggests a fix.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(echo(&help.into()));
        self
    }

    /// Suggests a fix where there is one.
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        if let Some(help) = help {
            self.help = Some(echo(&help));
        }
        self
    }

    /// Points at another place.
    pub fn note(mut self, loc: Loc, note: impl Into<String>) -> Self {
        self.notes.push((loc, echo(&note.into())));
        self
    }
}

/// Every diagnostic of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records one.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.list.push(diagnostic);
    }

    /// Records all of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
    }

    /// Whether any is an error.
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity == Severity::Error)
    }

    /// How many errors and warnings.
    pub fn counts(&self) -> (usize, usize) {
        let errors = self
            .list
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        (errors, self.list.len() - errors)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The manifest's first (its problems explain the others), then by file
    /// path, line, column and code; duplicates removed.
    pub fn sorted(mut self, sources: &Sources) -> Vec<Diagnostic> {
        self.list.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                let path = sources.path(d.loc.file);
                (
                    !path.ends_with("pims.yaml"),
                    display_path(path),
                    d.loc.line,
                    d.loc.col,
                    d.code,
                    d.message.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        self.list.dedup();
        self.list
    }

    /// Unsorted.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people: the source line and a caret.
    Human,
    /// One JSON object per line.
    Json,
    /// GitHub workflow annotations (`::error file=…`).
    Github,
    /// One SARIF 2.1.0 log, for code-scanning tools.
    Sarif,
}

impl Format {
    /// Every format, by its name on the command line.
    pub const NAMES: &'static [(&'static str, Format)] = &[
        ("human", Format::Human),
        ("json", Format::Json),
        ("github", Format::Github),
        ("sarif", Format::Sarif),
    ];
}

/// How the human format looks: with colours (a terminal) or plain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// The command that explains a code.
pub fn explain_command(code: Code) -> String {
    format!("pims-codegen explain {}", code.as_str())
}

/// Renders `diagnostics` in `format`, without colours.
pub fn render(diagnostics: &[Diagnostic], sources: &Sources, format: Format) -> String {
    render_styled(diagnostics, sources, format, Style::default())
}

/// Renders `diagnostics` in `format`; `style` applies to the human format.
pub fn render_styled(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    format: Format,
    style: Style,
) -> String {
    let mut out = String::new();
    if format == Format::Sarif {
        let mut text =
            serde_json::to_string_pretty(&sarif(diagnostics, sources)).unwrap_or_default();
        text.push('\n');
        return text;
    }
    for d in diagnostics {
        match format {
            Format::Human => render_human(&mut out, d, sources, style),
            Format::Json => {
                out.push_str(&to_json(d, sources).to_string());
                out.push('\n');
            }
            Format::Github => render_github(&mut out, d, sources),
            Format::Sarif => {}
        }
    }
    out
}

fn render_human(out: &mut String, d: &Diagnostic, sources: &Sources, style: Style) {
    let color = match d.severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
    };
    let _ = writeln!(
        out,
        "{}: {}",
        style.paint(
            color,
            &format!("{}[{}]", d.severity.as_str(), d.code.as_str())
        ),
        style.paint("1", &d.message)
    );
    quote_source(out, d.loc, sources, style, color);
    let label_width = if d.expected.is_some() || d.found.is_some() {
        8
    } else {
        0
    };
    if let Some(expected) = &d.expected {
        let _ = writeln!(out, "   = {:<label_width$} {expected}", "expected:");
    }
    if let Some(found) = &d.found {
        let _ = writeln!(out, "   = {:<label_width$} {found}", "found:");
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "   = {} {help}", style.paint("1;36", "help:"));
    }
    for (loc, note) in &d.notes {
        let _ = writeln!(out, "{} {note}", style.paint("1;32", "note:"));
        quote_source(out, *loc, sources, style, "1;32");
    }
    let _ = writeln!(
        out,
        "   = {} ({}): {}",
        d.code.as_str(),
        d.code.slug(),
        explain_command(d.code)
    );
    out.push('\n');
}

/// `--> path:line:col`, then the line with a caret under the token.
fn quote_source(out: &mut String, loc: Loc, sources: &Sources, style: Style, color: &str) {
    let _ = writeln!(
        out,
        "  {} {}",
        style.paint("1;34", "-->"),
        sources.display(loc)
    );
    let Some(text) = sources.get(loc.file).and_then(|s| s.line(loc.line)) else {
        return;
    };
    let number = loc.line.to_string();
    let pad = " ".repeat(number.len());
    let (shown, col) = source_window(text, loc.col.max(1) as usize);
    let bar = style.paint("1;34", "|");
    let _ = writeln!(out, " {pad} {bar}");
    let _ = writeln!(out, " {} {bar} {shown}", style.paint("1;34", &number));
    let width = token_width(&shown, col).min(SOURCE_WINDOW);
    let _ = writeln!(
        out,
        " {pad} {bar} {}{}",
        " ".repeat(col - 1),
        style.paint(color, &"^".repeat(width))
    );
}

/// How much of a source line is quoted, in characters.
const SOURCE_WINDOW: usize = 160;

/// The part of `line` to quote, and the 1-based column of `col` in it: tabs
/// as spaces, hidden characters as escapes, a long line cut around `col` with `…`.
fn source_window(line: &str, col: usize) -> (String, usize) {
    let mut cells: Vec<String> = Vec::new();
    let mut at = 1;
    for (i, c) in line.chars().enumerate() {
        if i + 1 == col {
            at = cells.len() + 1;
        }
        if c == '\t' {
            cells.push(" ".to_owned());
        } else if crate::check::is_hidden_char(c) {
            cells.push(c.escape_default().collect());
        } else {
            cells.push(c.to_string());
        }
    }
    if col > line.chars().count() {
        at = cells.len() + 1;
    }
    let start = if cells.len() <= SOURCE_WINDOW {
        0
    } else {
        at.saturating_sub(SOURCE_WINDOW / 3 + 1)
    };
    let end = (start + SOURCE_WINDOW).min(cells.len());
    let mut shown = String::new();
    let mut col_shown = at - start;
    if start > 0 {
        shown.push('…');
        col_shown += 1;
    }
    for cell in &cells[start..end] {
        shown.push_str(cell);
    }
    // an escape is several characters wide: the caret column counts them
    let before: usize = cells[start..at.saturating_sub(1).max(start)]
        .iter()
        .map(|c| c.chars().count() - 1)
        .sum();
    col_shown += before;
    if end < cells.len() {
        shown.push('…');
    }
    (shown, col_shown)
}

/// The width of the token starting at 1-based character `col`.
fn token_width(line: &str, col: usize) -> usize {
    let rest: Vec<char> = line.chars().skip(col - 1).collect();
    let Some(&first) = rest.first() else {
        return 1;
    };
    let width = if first == '"' || first == '\'' {
        rest.iter()
            .skip(1)
            .position(|&c| c == first)
            .map_or(rest.len(), |end| end + 2)
    } else if first == '[' || first == '{' {
        1
    } else {
        rest.iter()
            .position(|&c| c.is_whitespace() || matches!(c, ':' | ',' | ']' | '}' | '#'))
            .unwrap_or(rest.len())
    };
    width.max(1)
}

/// Where a token ends: the 1-based line and the column just after it (the
/// width the caret would have), on the token's line.
pub fn end_of(loc: Loc, sources: &Sources) -> (u32, u32) {
    let width = sources
        .get(loc.file)
        .and_then(|s| s.line(loc.line))
        .map_or(1, |line| token_width(line, loc.col.max(1) as usize));
    (loc.line, loc.col.max(1) + width as u32)
}

fn location_json(
    loc: Loc,
    sources: &Sources,
    map: &mut serde_json::Map<String, serde_json::Value>,
) {
    map.insert("file".into(), display_path(sources.path(loc.file)).into());
    map.insert("line".into(), loc.line.into());
    map.insert("column".into(), loc.col.into());
    if loc.line > 0 {
        let (line, col) = end_of(loc, sources);
        map.insert("endLine".into(), line.into());
        map.insert("endColumn".into(), col.into());
    }
}

/// One diagnostic as a JSON object: its code, severity, place (with where the
/// token ends), message, expectation, finding, hint, notes, and the command
/// that explains the code.
pub fn to_json(d: &Diagnostic, sources: &Sources) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    map.insert("code".into(), d.code.as_str().into());
    map.insert("name".into(), d.code.slug().into());
    map.insert("severity".into(), d.severity.as_str().into());
    location_json(d.loc, sources, &mut map);
    map.insert("message".into(), d.message.clone().into());
    for (key, value) in [
        ("expected", &d.expected),
        ("found", &d.found),
        ("help", &d.help),
    ] {
        if let Some(value) = value {
            map.insert(key.into(), value.clone().into());
        }
    }
    if !d.notes.is_empty() {
        let notes = d
            .notes
            .iter()
            .map(|(loc, note)| {
                let mut n = serde_json::Map::new();
                location_json(*loc, sources, &mut n);
                n.insert("message".into(), note.clone().into());
                serde_json::Value::Object(n)
            })
            .collect();
        map.insert("notes".into(), serde_json::Value::Array(notes));
    }
    map.insert("explain".into(), explain_command(d.code).into());
    serde_json::Value::Object(map)
}

fn github_props(loc: Loc, sources: &Sources, title: &str) -> String {
    let mut props = format!(
        "file={}",
        escape_property(&display_path(sources.path(loc.file)))
    );
    if loc.line > 0 {
        let (_, end) = end_of(loc, sources);
        let _ = write!(props, ",line={},col={},endColumn={end}", loc.line, loc.col);
    }
    let _ = write!(props, ",title={}", escape_property(title));
    props
}

fn render_github(out: &mut String, d: &Diagnostic, sources: &Sources) {
    let title = format!("{} {}", d.code.as_str(), d.code.slug());
    let mut message = d.message.clone();
    if let Some(expected) = &d.expected {
        let _ = write!(message, "\nexpected: {expected}");
    }
    if let Some(found) = &d.found {
        let _ = write!(message, "\nfound: {found}");
    }
    if let Some(help) = &d.help {
        let _ = write!(message, "\nhelp: {help}");
    }
    for (loc, note) in &d.notes {
        let _ = write!(message, "\nnote: {note} ({})", sources.display(*loc));
    }
    let _ = write!(message, "\nexplain: {}", explain_command(d.code));
    let _ = writeln!(
        out,
        "::{} {}::{}",
        d.severity.as_str(),
        github_props(d.loc, sources, &title),
        escape_data(&message)
    );
    // the other places get an annotation of their own, so they show in the diff too
    for (loc, note) in &d.notes {
        let _ = writeln!(
            out,
            "::notice {}::{}",
            github_props(*loc, sources, &format!("{title} (note)")),
            escape_data(&format!("{note}: {}", d.message))
        );
    }
}

fn sarif_location(loc: Loc, sources: &Sources) -> serde_json::Value {
    let mut physical = serde_json::json!({
        "artifactLocation": { "uri": display_path(sources.path(loc.file)) },
    });
    if loc.line > 0 {
        let (end_line, end_col) = end_of(loc, sources);
        physical["region"] = serde_json::json!({
            "startLine": loc.line,
            "startColumn": loc.col.max(1),
            "endLine": end_line,
            "endColumn": end_col,
        });
    }
    serde_json::json!({ "physicalLocation": physical })
}

/// The diagnostics as one SARIF 2.1.0 log: every code as a rule, every
/// diagnostic as a result, its notes as related locations.
pub fn sarif(diagnostics: &[Diagnostic], sources: &Sources) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = Code::ALL
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.as_str(),
                "name": c.slug(),
                "shortDescription": { "text": c.summary() },
                "help": { "text": format!("Run `{}`.", explain_command(*c)) },
                "defaultConfiguration": {
                    "level": if c.is_warning() { "warning" } else { "error" },
                },
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            for (label, value) in [
                ("expected", &d.expected),
                ("found", &d.found),
                ("help", &d.help),
            ] {
                if let Some(value) = value {
                    let _ = write!(text, "\n{label}: {value}");
                }
            }
            let related: Vec<serde_json::Value> = d
                .notes
                .iter()
                .enumerate()
                .map(|(i, (loc, note))| {
                    let mut l = sarif_location(*loc, sources);
                    l["id"] = i.into();
                    l["message"] = serde_json::json!({ "text": note });
                    l
                })
                .collect();
            let mut result = serde_json::json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
                "level": d.severity.as_str(),
                "message": { "text": text },
                "locations": [sarif_location(d.loc, sources)],
            });
            if !related.is_empty() {
                result["relatedLocations"] = serde_json::Value::Array(related);
            }
            result
        })
        .collect();
    serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "pims-codegen",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/pims-codegen/pims-codegen",
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

/// GitHub's escaping of an annotation's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of an annotation's property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The closest of `candidates` to `word`, if one is close enough to be a likely typo:
/// similar (Jaro-Winkler), few edits away for its length, or the same word cut short.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .filter_map(|c| {
            let other = c.to_lowercase();
            if other == lower {
                return Some((c, 2.0));
            }
            let edits = strsim::damerau_levenshtein(&lower, &other);
            let longest = lower.chars().count().max(other.chars().count());
            let near = edits <= (longest / 4).max(2);
            let cut_short =
                lower.len() >= 3 && (other.starts_with(&lower) || lower.starts_with(&other));
            let score = strsim::jaro_winkler(&lower, &other);
            ((near && score >= 0.8) || cut_short).then_some((c, score))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(c, _)| c)
}

/// `did you mean `x`?` for the closest candidate, if any.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// `` `a`, `b` or `c` ``.
pub fn one_of<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    match quoted.len() {
        0 => "nothing".to_owned(),
        1 => quoted[0].clone(),
        n => format!("{} or {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{} twice", code.as_str());
        }
    }

    #[test]
    fn suggestions_find_typos_and_not_strangers() {
        let keys = ["type", "required", "description", "example"];
        assert_eq!(closest("requried", keys), Some("required"));
        assert_eq!(closest("Required", keys), Some("required"));
        assert_eq!(closest("zzz", keys), None);
        assert_eq!(closest("str", ["string", "integer"]), Some("string"));
        assert_eq!(
            closest("StrongAuthentification", ["StrongAuthentication", "Media"]),
            Some("StrongAuthentication")
        );
        assert_eq!(
            closest(
                "pims.authentication.trustedphonenumbr",
                ["pims.authentication.smscode"]
            ),
            None
        );
        assert_eq!(
            closest("2012", ["2101", "2102", "3000"]),
            Some("2102").or(Some("2101"))
        );
    }

    #[test]
    fn caret_covers_the_token() {
        assert_eq!(token_width("    requried: true", 5), 8);
        assert_eq!(token_width(r#"  example: "0612""#, 12), 6);
        assert_eq!(token_width("", 1), 1);
    }

    #[test]
    fn long_values_are_echoed_once_and_cut() {
        let long = "x".repeat(70_000);
        let d = Diagnostic::error(Code::InvalidValue, Loc::default(), format!("bad `{long}`"))
            .found(long.clone());
        assert_eq!(d.message.chars().count(), MAX_ECHO + 1);
        assert!(d.message.ends_with('…'));
        assert!(d.found.unwrap().ends_with('…'));
        let (shown, col) = source_window(&format!("key: {long}"), 6);
        assert!(
            shown.chars().count() <= SOURCE_WINDOW + 2,
            "{}",
            shown.len()
        );
        assert_eq!(col, 6);
        let (shown, col) = source_window(&format!("{long}: here"), 70_003);
        assert!(shown.starts_with('…') && shown.contains("here"));
        assert_eq!(shown.chars().nth(col - 1), Some('h'));
    }

    #[test]
    fn hidden_characters_are_shown_as_escapes() {
        let (shown, col) = source_window("a: \u{202e}b", 5);
        assert_eq!(shown, "a: \\u{202e}b");
        assert_eq!(shown.chars().nth(col - 1), Some('b'));
        assert_eq!(echo("x\u{1b}[31m"), "x\\u{1b}[31m");
    }

    #[test]
    fn github_escaping() {
        assert_eq!(escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
