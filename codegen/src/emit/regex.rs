//! Spec patterns (regex-lite syntax, what the Rust runtime matches with) in
//! the dialects of the other clients: `java.util.regex` (Kotlin) and ICU
//! (`NSRegularExpression`, Swift), so that a check refuses the same strings
//! everywhere.
//!
//! The clients compile the translated pattern with Unix line endings
//! (`Pattern.UNIX_LINES`, `.useUnixLineSeparators`), so `.` excludes `\n`
//! only, as in regex-lite, and search it unanchored (`find()`,
//! `firstMatch`), as `is_match` does. What the translation changes:
//!
//! | regex-lite | Java | ICU | why |
//! |---|---|---|---|
//! | `$` (no `m` flag) | `\z` | `\z` | Java and ICU's `$` also match before a final `\n` |
//! | `\d` `\s` `\w` (ASCII) | kept | `[0-9]` … | ICU's are Unicode |
//! | `[[:alpha:]]` … | `A-Za-z` … | `A-Za-z` … | Java reads `[:` as text; ICU's are Unicode |
//! | `\b` `\B` `\<` `\>` `\b{start}` … (ASCII) | lookarounds on `[0-9A-Za-z_]` | same | the others' word boundaries are Unicode |
//! | `\v` (vertical tab) | `\x0B` | `\x0B` | Java's and ICU's `\v` is any vertical space |
//! | `\a` | `\x07` | `\x07` | |
//! | `\u{7F}` `\U{7F}` `\U0000007F` | `\x{7F}` | `\x{7F}` | |
//! | `(?P<n>x)` `(?<n>x)` | `(?:x)` | `(?:x)` | group names follow other rules; captures are not used |
//! | `]` first in a class | `\]` | `\]` | |
//!
//! Refused (the checker reports them, E306): the flags `U` (swap greed),
//! `R` (CRLF) and `x` (verbose), and the class operators `--` and `~~`.
//! Not translated, and documented: `(?i)` is ASCII-only in regex-lite and
//! Java but Unicode in ICU, so a Swift check ignores the case of non-ASCII
//! letters where the Rust one does not.

/// The target dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `java.util.regex.Pattern`, compiled with `UNIX_LINES`.
    Java,
    /// ICU, as `NSRegularExpression` with `.useUnixLineSeparators`.
    Icu,
}

const WORD: &str = "[0-9A-Za-z_]";

/// Whether `pattern` can be matched the same way by every client: `Err`
/// names the construct that cannot.
pub fn portable(pattern: &str) -> Result<(), String> {
    translate(pattern, Dialect::Java).map(|_| ())
}

/// `pattern` (valid regex-lite syntax) in `dialect`.
pub fn translate(pattern: &str, dialect: Dialect) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let multiline = has_flag(&chars, 'm');
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0;
    // nesting of character classes, and whether the class just opened
    let mut depth = 0usize;
    let mut class_start = false;
    while i < chars.len() {
        let c = chars[i];
        let at_class_start = std::mem::take(&mut class_start);
        if c == '\\' {
            let (text, used) = escape(&chars, i, depth > 0, dialect);
            out.push_str(&text);
            i += used;
            continue;
        }
        if depth == 0 {
            match c {
                '$' if !multiline => out.push_str("\\z"),
                '[' => {
                    depth = 1;
                    out.push('[');
                    class_start = true;
                    if chars.get(i + 1) == Some(&'^') {
                        out.push('^');
                        i += 1;
                    }
                }
                '(' if chars.get(i + 1) == Some(&'?') => {
                    let (text, used) = group(&chars, i)?;
                    out.push_str(&text);
                    i += used;
                    continue;
                }
                c => out.push(c),
            }
            i += 1;
            continue;
        }
        // inside a class
        match c {
            ']' if at_class_start => out.push_str("\\]"),
            ']' => {
                depth -= 1;
                out.push(']');
            }
            '[' if chars.get(i + 1) == Some(&':') => {
                let Some(end) = find(&chars, i + 2, ":]") else {
                    out.push_str("\\[");
                    i += 1;
                    continue;
                };
                let name: String = chars[i + 2..end].iter().collect();
                let (negated, name) = match name.strip_prefix('^') {
                    Some(n) => (true, n.to_owned()),
                    None => (false, name),
                };
                let set = posix(&name).ok_or_else(|| format!("the class `[:{name}:]`"))?;
                if negated {
                    out.push_str(&format!("[^{set}]"));
                } else {
                    out.push_str(set);
                }
                i = end + 2;
                continue;
            }
            '[' => {
                depth += 1;
                out.push('[');
                class_start = true;
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                return Err("the class difference `--`".to_owned());
            }
            '~' if chars.get(i + 1) == Some(&'~') => {
                return Err("the class symmetric difference `~~`".to_owned());
            }
            c => out.push(c),
        }
        i += 1;
    }
    Ok(out)
}

/// Whether any flag group of the pattern sets `flag`.
fn has_flag(chars: &[char], flag: char) -> bool {
    let mut i = 0;
    while i + 1 < chars.len() {
        if chars[i] == '\\' {
            i += 2;
            continue;
        }
        if chars[i] == '(' && chars[i + 1] == '?' {
            let mut j = i + 2;
            while j < chars.len() && !matches!(chars[j], ')' | ':') {
                if chars[j] == '-' {
                    break;
                }
                if chars[j] == flag {
                    return true;
                }
                j += 1;
            }
        }
        i += 1;
    }
    false
}

fn find(chars: &[char], from: usize, needle: &str) -> Option<usize> {
    let needle: Vec<char> = needle.chars().collect();
    (from..chars.len().saturating_sub(needle.len() - 1)).find(|&k| chars[k..].starts_with(&needle))
}

/// `(?…`: a named group becomes a non-capturing one; flags are checked.
fn group(chars: &[char], i: usize) -> Result<(String, usize), String> {
    let rest = &chars[i + 2..];
    let named = match rest {
        ['P', '<', ..] => Some(i + 4),
        ['<', next, ..] if !matches!(next, '=' | '!') => Some(i + 3),
        _ => None,
    };
    if let Some(name_start) = named {
        let end = (name_start..chars.len())
            .find(|&k| chars[k] == '>')
            .unwrap_or(chars.len() - 1);
        return Ok(("(?:".to_owned(), end + 1 - i));
    }
    // flags: (?flags) or (?flags:
    let mut j = i + 2;
    while j < chars.len() && !matches!(chars[j], ')' | ':') {
        match chars[j] {
            'U' => return Err("the flag `U` (swapped greed)".to_owned()),
            'R' => return Err("the flag `R` (CRLF mode)".to_owned()),
            'x' => return Err("the flag `x` (verbose mode)".to_owned()),
            _ => {}
        }
        j += 1;
    }
    Ok(("(?".to_owned(), 2))
}

/// An escape at `chars[i]`: its translation and how many characters it took.
fn escape(chars: &[char], i: usize, in_class: bool, dialect: Dialect) -> (String, usize) {
    let Some(&c) = chars.get(i + 1) else {
        return ("\\\\".to_owned(), 1);
    };
    let braces = |from: usize| -> Option<(String, usize)> {
        if chars.get(from) != Some(&'{') {
            return None;
        }
        let end = (from..chars.len()).find(|&k| chars[k] == '}')?;
        Some((chars[from + 1..end].iter().collect(), end + 1 - i))
    };
    match c {
        'd' | 'D' | 's' | 'S' | 'w' | 'W' if dialect == Dialect::Icu => {
            let set = match c.to_ascii_lowercase() {
                'd' => "0-9",
                's' => "\\t\\n\\x0B\\f\\r\\x20",
                _ => "0-9A-Za-z_",
            };
            let text = match (c.is_ascii_uppercase(), in_class) {
                (false, true) => set.to_owned(),
                (false, false) => format!("[{set}]"),
                (true, _) => format!("[^{set}]"),
            };
            (text, 2)
        }
        'v' => ("\\x0B".to_owned(), 2),
        'a' => ("\\x07".to_owned(), 2),
        'u' | 'U' => match braces(i + 2) {
            Some((hex, used)) => (format!("\\x{{{hex}}}"), used),
            None if c == 'U' => {
                let hex: String = chars.iter().skip(i + 2).take(8).collect();
                (format!("\\x{{{hex}}}"), 2 + hex.chars().count())
            }
            None => ("\\u".to_owned(), 2),
        },
        'b' if !in_class => match braces(i + 2) {
            Some((kind, used)) => {
                let text = match kind.as_str() {
                    "start" => format!("(?<!{WORD})(?={WORD})"),
                    "end" => format!("(?<={WORD})(?!{WORD})"),
                    "start-half" => format!("(?<!{WORD})"),
                    "end-half" => format!("(?!{WORD})"),
                    _ => format!("\\b{{{kind}}}"),
                };
                (text, used)
            }
            None => (
                format!("(?:(?<={WORD})(?!{WORD})|(?<!{WORD})(?={WORD}))"),
                2,
            ),
        },
        'B' if !in_class => (
            format!("(?:(?<={WORD})(?={WORD})|(?<!{WORD})(?!{WORD}))"),
            2,
        ),
        '<' if !in_class => (format!("(?<!{WORD})(?={WORD})"), 2),
        '>' if !in_class => (format!("(?<={WORD})(?!{WORD})"), 2),
        c => (format!("\\{c}"), 2),
    }
}

/// The ASCII set of a POSIX class, as class content.
fn posix(name: &str) -> Option<&'static str> {
    Some(match name {
        "alnum" => "0-9A-Za-z",
        "alpha" => "A-Za-z",
        "ascii" => "\\x00-\\x7F",
        "blank" => "\\t\\x20",
        "cntrl" => "\\x00-\\x1F\\x7F",
        "digit" => "0-9",
        "graph" => "!-~",
        "lower" => "a-z",
        "print" => "\\x20-~",
        "punct" => "!-/:-@\\[-`{-~",
        "space" => "\\t\\n\\x0B\\f\\r\\x20",
        "upper" => "A-Z",
        "word" => "0-9A-Za-z_",
        "xdigit" => "0-9A-Fa-f",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn java(p: &str) -> String {
        translate(p, Dialect::Java).unwrap()
    }

    fn icu(p: &str) -> String {
        translate(p, Dialect::Icu).unwrap()
    }

    #[test]
    fn the_end_is_the_end() {
        assert_eq!(java("^\\+?[0-9]{6,15}$"), "^\\+?[0-9]{6,15}\\z");
        assert_eq!(java("a\\$b[$]"), "a\\$b[$]");
        // with the multi-line flag, `$` means the end of a line everywhere
        assert_eq!(java("(?m)^a$"), "(?m)^a$");
    }

    #[test]
    fn perl_classes_are_ascii_in_icu() {
        assert_eq!(java("\\d+"), "\\d+");
        assert_eq!(icu("\\d+\\W"), "[0-9]+[^0-9A-Za-z_]");
        assert_eq!(icu("[\\d_]"), "[0-9_]");
        assert_eq!(icu("[\\S]"), "[[^\\t\\n\\x0B\\f\\r\\x20]]");
    }

    #[test]
    fn posix_classes_are_spelt_out() {
        assert_eq!(java("[[:alpha:]_]"), "[A-Za-z_]");
        assert_eq!(java("[[:^digit:]]"), "[[^0-9]]");
        assert!(translate("[[:nope:]]", Dialect::Java).is_err());
    }

    #[test]
    fn escapes_and_groups() {
        assert_eq!(
            java("\\v\\a\\u{7F}\\U0000007F\\u00e9"),
            "\\x0B\\x07\\x{7F}\\x{0000007F}\\u00e9"
        );
        assert_eq!(
            java("(?P<year>\\d{4})-(?<m>\\d\\d)"),
            "(?:\\d{4})-(?:\\d\\d)"
        );
        assert_eq!(java("(?i)abc(?-i:d)"), "(?i)abc(?-i:d)");
        assert_eq!(java("[]a]"), "[\\]a]");
        assert_eq!(java("[^]a]"), "[^\\]a]");
        assert!(java("\\bword\\b").starts_with("(?:(?<=[0-9A-Za-z_])"));
        assert_eq!(java("\\<"), "(?<![0-9A-Za-z_])(?=[0-9A-Za-z_])");
    }

    #[test]
    fn what_cannot_be_matched_alike_is_refused() {
        assert!(portable("(?U)a*").is_err());
        assert!(portable("(?x) a b").is_err());
        assert!(portable("(?mR)^a$").is_err());
        assert!(portable("[a-z--aeiou]").is_err());
        assert!(portable("[a-z~~x]").is_err());
        assert!(portable("[a-z&&[^x]]").is_ok());
        assert!(portable("^[A-Z0-9]{17}$").is_ok());
    }
}
