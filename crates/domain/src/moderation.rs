//! The inbox's moderation rules: word lists (Hebrew and English) that flag a message for review
//! or hide it, and a limit on links. Pure: the inbox applies the verdict and keeps the record.
//!
//! Words are compared in the folded form of [`search_fold`] (no niqqud, final letters as
//! regular ones, lower case), whole words only, so "class" does not catch "classic". A Hebrew
//! word also matches behind the one-letter prefixes that Hebrew writes joined to the word
//! (ו ה ב כ ל מ ש, up to three of them: "ובספאם" matches "ספאם"). A line of several words is
//! a phrase: its words must follow each other.

use crate::people::search_fold;

/// The most words or phrases kept in one list.
pub const MAX_WORDS: usize = 500;
/// The longest word or phrase, in characters.
pub const MAX_WORD_CHARS: usize = 80;

/// What the rules say about a message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Verdict {
    /// Hide it (from the public where the network allows, and from the inbox's default view).
    pub hide: bool,
    /// Why it was flagged or hidden: `word:{word}` or `links:{n}`; empty when it passed.
    pub reason: String,
}

/// One entry of a word list: its folded form (compared) and the form typed (shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub folded: String,
    pub shown: String,
}

/// A word list as typed (one word or phrase per line, commas also separate), without empty or
/// repeated entries. Returns `None` when it is too long.
pub fn parse_list(text: &str) -> Option<Vec<Entry>> {
    let mut out: Vec<Entry> = Vec::new();
    for raw in text.split(['\n', ',']) {
        let folded = search_fold(raw);
        if folded.is_empty() || out.iter().any(|e| e.folded == folded) {
            continue;
        }
        if raw.trim().chars().count() > MAX_WORD_CHARS {
            return None;
        }
        out.push(Entry {
            folded,
            shown: raw.trim().to_string(),
        });
    }
    (out.len() <= MAX_WORDS).then_some(out)
}

const PREFIXES: [char; 7] = ['ו', 'ה', 'ב', 'כ', 'ל', 'מ', 'ש'];

/// Whether the folded word `token` is `word`, or `word` behind up to three Hebrew prefixes.
fn word_is(token: &str, word: &str) -> bool {
    if token == word {
        return true;
    }
    let starts_hebrew = word
        .chars()
        .next()
        .is_some_and(|c| ('\u{05D0}'..='\u{05EA}').contains(&c));
    if !starts_hebrew {
        return false;
    }
    let mut rest = token;
    for _ in 0..3 {
        let mut chars = rest.chars();
        if !chars.next().is_some_and(|c| PREFIXES.contains(&c)) {
            return false;
        }
        rest = chars.as_str();
        if rest == word {
            return true;
        }
    }
    false
}

/// The first entry of `list` found in `text` (as typed).
pub fn find<'a>(text: &str, list: &'a [Entry]) -> Option<&'a str> {
    let folded = search_fold(text);
    let tokens: Vec<&str> = folded.split_whitespace().collect();
    list.iter()
        .find(|entry| {
            let words: Vec<&str> = entry.folded.split_whitespace().collect();
            let Some((first, rest)) = words.split_first() else {
                return false;
            };
            tokens.iter().enumerate().any(|(i, t)| {
                word_is(t, first)
                    && rest
                        .iter()
                        .enumerate()
                        .all(|(j, w)| tokens.get(i + 1 + j).is_some_and(|t| t == w))
            })
        })
        .map(|e| e.shown.as_str())
}

/// How many web addresses `text` holds (`http://`, `https://` or `www.`).
pub fn count_links(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| {
            let w = w.to_ascii_lowercase();
            w.contains("http://") || w.contains("https://") || w.starts_with("www.")
        })
        .count()
}

/// The verdict on `text`: a hide word hides it; a flag word, or more links than `max_links`
/// (0: no limit), flags it.
pub fn judge(text: &str, hide: &[Entry], flag: &[Entry], max_links: usize) -> Verdict {
    if let Some(w) = find(text, hide) {
        return Verdict {
            hide: true,
            reason: format!("word:{w}"),
        };
    }
    if let Some(w) = find(text, flag) {
        return Verdict {
            hide: false,
            reason: format!("word:{w}"),
        };
    }
    let links = count_links(text);
    if max_links > 0 && links > max_links {
        return Verdict {
            hide: false,
            reason: format!("links:{links}"),
        };
    }
    Verdict::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(s: &str) -> Vec<Entry> {
        parse_list(s).unwrap()
    }

    #[test]
    fn hebrew_words_match_behind_prefixes_and_without_niqqud() {
        let l = list("ספאם\nכסף קל");
        assert_eq!(find("זה ממש ספאם", &l), Some("ספאם"));
        assert_eq!(find("ובספאם הזה", &l), Some("ספאם"));
        assert_eq!(find("סְפָאם!", &l), Some("ספאם"));
        assert_eq!(find("רוצים כסף קל? כנסו", &l), Some("כסף קל"));
        // Not a prefix letter, and not a phrase in order.
        assert_eq!(find("תספאם", &l), None);
        assert_eq!(find("קל כסף", &l), None);
        // Final letters fold: a word typed with a final mem matches its regular form.
        let m = list("שלום");
        assert_eq!(find("ושלומ לכולם", &m), Some("שלום"));
    }

    #[test]
    fn english_words_are_whole_and_case_blind() {
        let l = list("Casino, free money");
        assert_eq!(find("Best CASINO in town", &l), Some("Casino"));
        assert_eq!(find("casinos", &l), None);
        assert_eq!(find("get FREE money now", &l), Some("free money"));
        assert_eq!(find("money free", &l), None);
    }

    #[test]
    fn the_verdict_hides_before_it_flags_and_counts_links() {
        let hide = list("מטומטם");
        let flag = list("casino");
        assert!(judge("אתם מטומטמים", &hide, &flag, 3).reason.is_empty());
        let v = judge("כולכם מטומטם casino", &hide, &flag, 3);
        assert!(v.hide);
        assert_eq!(v.reason, "word:מטומטם");
        let v = judge("casino", &hide, &flag, 3);
        assert!(!v.hide);
        let links = "https://a.example http://b.example www.c.example https://d.example";
        assert_eq!(judge(links, &hide, &flag, 3).reason, "links:4");
        assert_eq!(judge(links, &hide, &flag, 0), Verdict::default());
        assert_eq!(judge("תודה רבה!", &hide, &flag, 3), Verdict::default());
    }

    #[test]
    fn lists_refuse_what_is_too_long() {
        assert!(parse_list(&"א".repeat(81)).is_none());
        let many: String = (0..501).map(|i| format!("w{i}\n")).collect();
        assert!(parse_list(&many).is_none());
        assert_eq!(list(" a \n\nA\nb,c").len(), 3);
    }
}
