//! Error labels with placeholders.
//!
//! A catalogue label such as `Missing [PARAMETER] parameter` is a template: the
//! facade sends it either as written or with the placeholder filled in
//! (`Missing phoneNumber parameter`). [`captures`] recovers what was filled in,
//! [`fill`] writes a label back.

/// A piece of a label template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'t> {
    Text(&'t str),
    /// The placeholder as written, brackets included.
    Hole(&'t str),
}

/// Whether `inner` (between the brackets) names a placeholder: letters,
/// digits, spaces, `_` or `-`, with at least one letter. `[]` and `[%]` are text.
pub fn is_placeholder(inner: &str) -> bool {
    inner.chars().any(char::is_alphabetic)
        && inner
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-'))
}

/// The pieces of a label template, in order, found as they are read (no
/// allocation: labels are decoded with every `FAILED` message).
#[derive(Debug, Clone)]
struct Pieces<'t> {
    template: &'t str,
    /// Where the text not yet given starts.
    text_start: usize,
    /// Where to look for the next `[`.
    at: usize,
    /// A hole found after text, given next.
    pending: Option<Piece<'t>>,
}

fn pieces(template: &str) -> Pieces<'_> {
    Pieces {
        template,
        text_start: 0,
        at: 0,
        pending: None,
    }
}

impl<'t> Iterator for Pieces<'t> {
    type Item = Piece<'t>;

    fn next(&mut self) -> Option<Piece<'t>> {
        if let Some(p) = self.pending.take() {
            return Some(p);
        }
        let t = self.template;
        while let Some(open) = t
            .get(self.at..)
            .and_then(|r| r.find('['))
            .map(|i| self.at + i)
        {
            let Some(close) = t[open..].find(']').map(|i| open + i) else {
                break;
            };
            if is_placeholder(&t[open + 1..close]) {
                let hole = Piece::Hole(&t[open..=close]);
                let text = (open > self.text_start).then(|| Piece::Text(&t[self.text_start..open]));
                self.text_start = close + 1;
                self.at = close + 1;
                return match text {
                    Some(text) => {
                        self.pending = Some(hole);
                        Some(text)
                    }
                    None => Some(hole),
                };
            }
            self.at = open + 1;
        }
        self.at = t.len();
        if self.text_start < t.len() {
            let text = Piece::Text(&t[self.text_start..]);
            self.text_start = t.len();
            return Some(text);
        }
        None
    }
}

/// The placeholders of a label, as written (`[PARAMETER]`), in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    pieces(template)
        .filter_map(|p| match p {
            Piece::Hole(h) => Some(h),
            Piece::Text(_) => None,
        })
        .collect()
}

/// Labels longer than this are not searched for placeholder values.
const MAX_LABEL: usize = 4096;

/// What the facade filled in for each placeholder of `template`, in order.
///
/// A placeholder sent as written, or a label that does not follow the
/// template, gives `None`: this never fails.
pub fn captures<const N: usize>(template: &str, label: &str) -> [Option<String>; N] {
    let mut out: [Option<String>; N] = std::array::from_fn(|_| None);
    if label.len() > MAX_LABEL {
        return out;
    }
    let mut found: [(&str, &str); N] = [("", ""); N];
    if match_from(pieces(template), label, &mut found, 0) {
        for (slot, (hole, value)) in out.iter_mut().zip(found) {
            if value != hole {
                *slot = Some(value.to_owned());
            }
        }
    }
    out
}

/// Whether `label` follows `template`: as written, or with any of its
/// placeholders filled in. Never fails; labels longer than 4096 bytes follow
/// only if they are the template itself.
pub fn follows(template: &str, label: &str) -> bool {
    if label == template {
        return true;
    }
    label.len() <= MAX_LABEL && match_from(pieces(template), label, &mut [], 0)
}

/// Matches `pieces` against the whole of `label`, each hole taking at least
/// one character; the first hole takes as little as it can. The `k`-th hole's
/// value goes to `found[k]` (holes past `found` are matched, not kept).
fn match_from<'t, 'l>(
    mut pieces: Pieces<'t>,
    label: &'l str,
    found: &mut [(&'t str, &'l str)],
    k: usize,
) -> bool {
    match pieces.next() {
        None => label.is_empty(),
        Some(Piece::Text(text)) => {
            label.starts_with(text) && match_from(pieces, &label[text.len()..], found, k)
        }
        Some(Piece::Hole(hole)) => {
            let attempt = |end: usize, found: &mut [(&'t str, &'l str)]| {
                if end == 0 {
                    return false;
                }
                if let Some(slot) = found.get_mut(k) {
                    *slot = (hole, &label[..end]);
                }
                match_from(pieces.clone(), &label[end..], found, k + 1)
            };
            match pieces.clone().next() {
                None => attempt(label.len(), found),
                Some(Piece::Text(next)) => label
                    .match_indices(next)
                    .any(|(end, _)| attempt(end, found)),
                // two holes side by side: the first takes one character at a time
                Some(Piece::Hole(_)) => label
                    .char_indices()
                    .skip(1)
                    .any(|(end, _)| attempt(end, found)),
            }
        }
    }
}

/// Writes `template` with each placeholder replaced by its value, or left as
/// written where the value is `None`.
pub fn fill(template: &str, values: &[Option<&str>]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut values = values.iter();
    for piece in pieces(template) {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Hole(hole) => match values.next() {
                Some(Some(value)) => out.push_str(value),
                _ => out.push_str(hole),
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filled_placeholder_is_captured() {
        let [p] = captures(
            "Missing [PARAMETER] parameter",
            "Missing phoneNumber parameter",
        );
        assert_eq!(p.as_deref(), Some("phoneNumber"));
    }

    #[test]
    fn placeholder_as_written_is_none() {
        let [p] = captures(
            "Missing [PARAMETER] parameter",
            "Missing [PARAMETER] parameter",
        );
        assert_eq!(p, None);
    }

    #[test]
    fn a_label_off_the_template_is_none() {
        let [p] = captures("Missing [PARAMETER] parameter", "something else");
        assert_eq!(p, None);
        let [p] = captures("Missing [PARAMETER] parameter", "Missing  parameter");
        assert_eq!(p, None, "a hole takes at least one character");
    }

    #[test]
    fn several_placeholders() {
        let [m, v] = captures::<2>(
            "[Method] is deprecated since [version]",
            "get is deprecated since 2.3",
        );
        assert_eq!(m.as_deref(), Some("get"));
        assert_eq!(v.as_deref(), Some("2.3"));
        let [a, b, c] = captures::<3>(
            "Invalid return [Parsing error] ou [No data] ou [invalid Data]",
            "Invalid return bad json ou [No data] ou x ou y",
        );
        assert_eq!(a.as_deref(), Some("bad json"));
        assert_eq!(b, None);
        assert_eq!(c.as_deref(), Some("x ou y"));
    }

    #[test]
    fn placeholder_at_the_start_and_end() {
        let [c] = captures("[Component] not loaded", "Media not loaded");
        assert_eq!(c.as_deref(), Some("Media"));
        let [i] = captures(
            "Can't remove trip with identifier: [IDENTIFIER]",
            "Can't remove trip with identifier: 71",
        );
        assert_eq!(i.as_deref(), Some("71"));
    }

    #[test]
    fn huge_labels_are_not_searched() {
        let label = format!("Missing {} parameter", "x".repeat(100_000));
        let [p] = captures("Missing [PARAMETER] parameter", &label);
        assert_eq!(p, None);
    }

    #[test]
    fn brackets_without_a_word_are_text() {
        assert_eq!(placeholders("Value [%] out of range [Min]"), ["[Min]"]);
        assert_eq!(placeholders("List [] is empty"), Vec::<&str>::new());
        let [m] = captures::<1>("Value [%] out of range [Min]", "Value [%] out of range 5");
        assert_eq!(m.as_deref(), Some("5"));
    }

    #[test]
    fn a_label_follows_its_template_filled_or_not() {
        let template = "Missing [PARAMETER] parameter";
        assert!(follows(template, template));
        assert!(follows(template, "Missing phoneNumber parameter"));
        assert!(!follows(template, "Missing  parameter"));
        assert!(!follows(template, "Invalid phoneNumber parameter"));
        assert!(follows("Server Error", "Server Error"));
        assert!(!follows("Server Error", "Server error"));
    }

    #[test]
    fn fill_round_trips() {
        assert_eq!(
            fill("Missing [PARAMETER] parameter", &[Some("pinCode")]),
            "Missing pinCode parameter"
        );
        assert_eq!(
            fill("Missing [PARAMETER] parameter", &[None]),
            "Missing [PARAMETER] parameter"
        );
        assert_eq!(fill("Server Error", &[]), "Server Error");
    }

    /// The captures as the first version found them (pieces in a `Vec`,
    /// candidate ends collected): the same answers on many templates and labels.
    #[test]
    fn the_same_captures_as_the_first_version() {
        fn old_pieces(template: &str) -> Vec<Piece<'_>> {
            let mut out = Vec::new();
            let mut text_start = 0;
            let mut at = 0;
            while let Some(open) = template[at..].find('[').map(|i| at + i) {
                let Some(close) = template[open..].find(']').map(|i| open + i) else {
                    break;
                };
                if is_placeholder(&template[open + 1..close]) {
                    if open > text_start {
                        out.push(Piece::Text(&template[text_start..open]));
                    }
                    out.push(Piece::Hole(&template[open..=close]));
                    text_start = close + 1;
                    at = close + 1;
                } else {
                    at = open + 1;
                }
            }
            if text_start < template.len() {
                out.push(Piece::Text(&template[text_start..]));
            }
            out
        }
        fn old_match<'t, 'l>(
            pieces: &[Piece<'t>],
            label: &'l str,
            found: &mut Vec<(&'t str, &'l str)>,
        ) -> bool {
            match pieces.split_first() {
                None => label.is_empty(),
                Some((Piece::Text(text), rest)) => {
                    label.starts_with(text) && old_match(rest, &label[text.len()..], found)
                }
                Some((Piece::Hole(hole), rest)) => {
                    let ends: Vec<usize> = match rest.first() {
                        None => vec![label.len()],
                        Some(Piece::Text(next)) => label
                            .match_indices(next)
                            .map(|(i, _)| i)
                            .filter(|&i| i > 0)
                            .collect(),
                        Some(Piece::Hole(_)) => {
                            label.char_indices().skip(1).map(|(i, _)| i).collect()
                        }
                    };
                    for end in ends {
                        if end == 0 {
                            continue;
                        }
                        found.push((hole, &label[..end]));
                        if old_match(rest, &label[end..], found) {
                            return true;
                        }
                        found.pop();
                    }
                    false
                }
            }
        }
        fn old_captures<const N: usize>(template: &str, label: &str) -> [Option<String>; N] {
            let mut out: [Option<String>; N] = std::array::from_fn(|_| None);
            let pieces = old_pieces(template);
            let mut found = Vec::new();
            if old_match(&pieces, label, &mut found) {
                for (slot, (hole, value)) in out.iter_mut().zip(found) {
                    if value != hole {
                        *slot = Some(value.to_owned());
                    }
                }
            }
            out
        }
        let templates = [
            "Missing [PARAMETER] parameter",
            "[A][B]",
            "[A] x [B] x",
            "x[A]x[B]x[C]",
            "Value [%] out of range [Min]",
            "[A]",
            "a [ b ] c [D",
            "[A]aa[B]",
            "",
            "plain",
            "é[Ü]ß[x y]",
        ];
        let parts = [
            "", "x", " x ", "aa", "a", "[A]", "[B]", "é", "ß", "Ü", "%", " ",
        ];
        let mut labels = Vec::new();
        for a in parts {
            for b in parts {
                for c in parts {
                    labels.push(format!("{a}{b}{c}"));
                }
            }
        }
        for t in templates {
            assert_eq!(
                placeholders(t),
                old_pieces(t)
                    .iter()
                    .filter_map(|p| match p {
                        Piece::Hole(h) => Some(*h),
                        Piece::Text(_) => None,
                    })
                    .collect::<Vec<_>>(),
                "{t}"
            );
            for base in &labels {
                let filled = fill(t, &[Some(base), Some(base), Some(base)]);
                for l in [base.as_str(), filled.as_str()] {
                    assert_eq!(captures::<2>(t, l), old_captures::<2>(t, l), "{t:?} {l:?}");
                    assert_eq!(captures::<3>(t, l), old_captures::<3>(t, l), "{t:?} {l:?}");
                }
            }
        }
    }
}
