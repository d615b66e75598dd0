//! People (contacts, members, donors, volunteers): normalization of phone numbers and email
//! addresses, the Hebrew-aware search form of names, and the pieces of spreadsheet import and
//! export (text decoding, column guessing, yes/no cells, formula-injection escaping).
//!
//! Everything here is pure and total: no function panics on any input, and Hebrew (multi-byte)
//! text is never sliced by bytes.

use std::borrow::Cow;
use std::collections::HashSet;

use phonenumber::{Mode, country};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::validate::{self, InputError};

/// The longest phone input we look at, in characters (separators and marks included).
pub const MAX_PHONE_CHARS: usize = 64;

/// The most digits a phone input may hold: 15 (E.164) plus a two-digit international prefix.
const MAX_PHONE_DIGITS: usize = 17;

/// The longest email address, in bytes (RFC 5321).
pub const MAX_EMAIL_BYTES: usize = 254;

// ---------------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------------

/// A phone number in E.164 form (`+972501234567`).
///
/// Israeli numbers may be written in any local or international form ("050-234-5678",
/// "03-1234567", "+972 50 234 5678", "00972502345678", "972502345678", "+972 (0)50…"); other
/// countries' numbers must be international ("+1 212 555 0100"). Only digits, one leading `+`,
/// and the separators space, `-`, `.`, `/`, `(`, `)` (plus invisible direction marks, common in
/// right-to-left text) are accepted: letters, extensions and `*`/`#` codes are rejected rather
/// than silently dropped. The number must be valid according to the libphonenumber metadata
/// (which also rejects unallocated ranges).
pub fn normalize_phone(input: &str) -> Result<String, InputError> {
    let candidate = phone_candidate(input)?;
    let number =
        phonenumber::parse(Some(country::IL), &candidate).map_err(|_| InputError::InvalidPhone)?;
    if !number.is_valid() || number.extension().is_some() {
        return Err(InputError::InvalidPhone);
    }
    Ok(number.format().mode(Mode::E164).to_string())
}

/// Reduces phone input to `[+]digits` so that only a small, well-understood language reaches
/// the phone number parser.
fn phone_candidate(input: &str) -> Result<String, InputError> {
    if input
        .chars()
        .all(|c| c.is_whitespace() || is_invisible_format(c))
    {
        return Err(InputError::Required);
    }
    if input.chars().count() > MAX_PHONE_CHARS {
        return Err(InputError::TooLong);
    }
    let mut plus = false;
    let mut digits = String::new();
    // NFKC turns full-width digits and plus signs into ASCII ones.
    for c in input.nfkc() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if !plus && digits.is_empty() => plus = true,
            '-' | '.' | '/' | '(' | ')' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' => {}
            c if c.is_whitespace() || is_invisible_format(c) => {}
            _ => return Err(InputError::InvalidPhone),
        }
    }
    if digits.is_empty() || digits.len() > MAX_PHONE_DIGITS {
        return Err(InputError::InvalidPhone);
    }
    Ok(if plus { format!("+{digits}") } else { digits })
}

/// Invisible formatting characters: direction marks and embeddings (ubiquitous around numbers
/// and Latin words in Hebrew text), zero-width joiners, the soft hyphen, the byte-order mark and
/// variation selectors.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200C}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{E0000}'..='\u{E007F}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

// ---------------------------------------------------------------------------------------------
// Email addresses
// ---------------------------------------------------------------------------------------------

/// An email address, trimmed and lower-cased (see [`validate::email`]), at most
/// [`MAX_EMAIL_BYTES`] long, whose domain has no empty label and ends in a top-level domain of
/// at least two letters (Hebrew `.ישראל` and punycode `xn--…` top-level domains included).
pub fn normalize_email(input: &str) -> Result<String, InputError> {
    let email = validate::email(input)?;
    if email.len() > MAX_EMAIL_BYTES {
        return Err(InputError::TooLong);
    }
    let domain = email.rsplit('@').next().unwrap_or_default();
    if domain.split('.').any(str::is_empty) {
        return Err(InputError::InvalidEmail);
    }
    let tld = domain.rsplit('.').next().unwrap_or_default();
    let letters = tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic);
    let punycode = tld.len() > 4
        && tld.starts_with("xn--")
        && tld.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !(letters || punycode) {
        return Err(InputError::InvalidEmail);
    }
    Ok(email)
}

// ---------------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------------

/// The normal form of text for Hebrew-aware search: NFKC, lower case, without niqqud and
/// cantillation marks, final letters as regular ones (ך→כ, ם→מ, ן→נ, ף→פ, ץ→צ), without
/// geresh, gershayim and quotes (`׳ ״ ' " ` ‘ ’ “ ”`), with any other punctuation, symbol or
/// emoji turned into a space (letters, digits, `@ . + -` stay; the Hebrew hyphen maqaf becomes
/// `-`), whitespace collapsed and trimmed.
///
/// `search_fold("שָׁלוֹם  Dana-Lee") == "שלומ dana-lee"`. The function is idempotent. A query
/// folded the same way matches a text when each query word is a prefix of one of the text's
/// words (see [`search_words`]).
pub fn search_fold(input: &str) -> String {
    let lowered = input.nfkc().collect::<String>().to_lowercase();
    let mut out = String::with_capacity(lowered.len());
    // Whether the last character written is a letter, digit or mark: a combining mark is kept
    // only when it has such a base to sit on.
    let mut after_base = false;
    for c in lowered.chars() {
        match c {
            'ך' => push_base(&mut out, &mut after_base, 'כ'),
            'ם' => push_base(&mut out, &mut after_base, 'מ'),
            'ן' => push_base(&mut out, &mut after_base, 'נ'),
            'ף' => push_base(&mut out, &mut after_base, 'פ'),
            'ץ' => push_base(&mut out, &mut after_base, 'צ'),
            // Maqaf, the Hebrew hyphen, and the Unicode hyphens.
            '\u{05BE}' | '\u{2010}' | '\u{2011}' => push_other(&mut out, &mut after_base, '-'),
            // Geresh, gershayim, ASCII and typographic quotes and apostrophes: gone, so that
            // דוא״ל, דוא"ל and דואל are the same word.
            '\u{05F3}' | '\u{05F4}' | '\'' | '"' | '`' | '\u{2018}' | '\u{2019}' | '\u{201C}'
            | '\u{201D}' => {}
            '@' | '.' | '+' | '-' => push_other(&mut out, &mut after_base, c),
            c if is_hebrew_mark(c) || is_invisible_format(c) => {}
            // Before letters: some marks (such as U+0363) are also alphabetic, and a mark that
            // starts a word would not stay there once NFKC reorders it with its neighbours.
            c if is_combining_mark(c) => {
                if after_base {
                    out.push(c);
                }
            }
            c if c.is_alphanumeric() => push_base(&mut out, &mut after_base, c),
            _ => push_other(&mut out, &mut after_base, ' '),
        }
    }
    // Removing marks and quotes can bring a letter next to a mark that now composes with it:
    // normalize once more so that folding is idempotent.
    let composed = out.nfkc().collect::<String>();
    composed.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn push_base(out: &mut String, after_base: &mut bool, c: char) {
    out.push(c);
    *after_base = true;
}

fn push_other(out: &mut String, after_base: &mut bool, c: char) {
    out.push(c);
    *after_base = false;
}

/// The combining marks of the Hebrew block: niqqud, cantillation, dagesh, shin and sin dots,
/// meteg, rafe, upper and lower dots, qamats qatan. The letters and the punctuation of the block
/// (maqaf U+05BE, paseq U+05C0, sof pasuq U+05C3, nun hafukha U+05C6) are not marks.
fn is_hebrew_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0591}'..='\u{05BD}'
            | '\u{05BF}'
            | '\u{05C1}'..='\u{05C2}'
            | '\u{05C4}'..='\u{05C5}'
            | '\u{05C7}'
    )
}

/// The words of [`search_fold`]`(input)`, without duplicates, in order of first appearance.
pub fn search_words(input: &str) -> Vec<String> {
    let folded = search_fold(input);
    let mut seen = HashSet::new();
    folded
        .split_whitespace()
        .filter(|w| seen.insert(*w))
        .map(str::to_string)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Spreadsheet export and import
// ---------------------------------------------------------------------------------------------

/// Protects a CSV cell against formula injection: a value starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading `'`, so that spreadsheet programs show it as text
/// (negative numbers too: correctness over convenience). Any other value is borrowed unchanged.
pub fn escape_csv_cell(value: &str) -> Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// The encoding a text file was found to be in by [`decode_text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextEncoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (what Excel writes as "CSV UTF-8").
    Utf8Bom,
    /// UTF-16 little-endian, with a byte-order mark (Excel's "Unicode text").
    Utf16Le,
    /// UTF-16 big-endian, with a byte-order mark.
    Utf16Be,
    /// Windows-1255, the legacy Hebrew code page of Excel's plain "CSV" on Hebrew Windows.
    Windows1255,
}

/// Decodes an uploaded text file: by its byte-order mark (UTF-8, UTF-16 LE or BE) when it has
/// one; otherwise as UTF-8 when the bytes are valid UTF-8, and as Windows-1255 when not.
/// Malformed sequences become U+FFFD; the byte-order mark is not part of the result.
pub fn decode_text(bytes: &[u8]) -> (String, TextEncoding) {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let kind = if encoding == encoding_rs::UTF_16LE {
            TextEncoding::Utf16Le
        } else if encoding == encoding_rs::UTF_16BE {
            TextEncoding::Utf16Be
        } else {
            TextEncoding::Utf8Bom
        };
        let rest = bytes.get(bom_len..).unwrap_or_default();
        let (text, _) = encoding.decode_without_bom_handling(rest);
        return (text.into_owned(), kind);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), TextEncoding::Utf8),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1255.decode_without_bom_handling(bytes);
            (text.into_owned(), TextEncoding::Windows1255)
        }
    }
}

/// A field of a person that a spreadsheet column can be imported into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    FirstName,
    LastName,
    FullName,
    Email,
    Phone,
    Language,
    Roles,
    Tags,
    Notes,
    Consent,
}

impl Column {
    /// Every column, in the order of the import form.
    pub const ALL: [Column; 10] = [
        Column::FirstName,
        Column::LastName,
        Column::FullName,
        Column::Email,
        Column::Phone,
        Column::Language,
        Column::Roles,
        Column::Tags,
        Column::Notes,
        Column::Consent,
    ];

    /// The stable snake_case name (as in serde and in forms).
    pub fn as_str(self) -> &'static str {
        match self {
            Column::FirstName => "first_name",
            Column::LastName => "last_name",
            Column::FullName => "full_name",
            Column::Email => "email",
            Column::Phone => "phone",
            Column::Language => "language",
            Column::Roles => "roles",
            Column::Tags => "tags",
            Column::Notes => "notes",
            Column::Consent => "consent",
        }
    }

    /// The column of a snake_case name (surrounding whitespace ignored).
    pub fn parse(s: &str) -> Option<Column> {
        let s = s.trim();
        Column::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The Hebrew and English spreadsheet headers recognised by [`guess_column`].
    fn headers(self) -> &'static [&'static str] {
        match self {
            Column::FirstName => &[
                "שם פרטי",
                "פרטי",
                "first name",
                "firstname",
                "first",
                "given name",
                "forename",
            ],
            Column::LastName => &[
                "שם משפחה",
                "משפחה",
                "last name",
                "lastname",
                "last",
                "surname",
                "family name",
            ],
            Column::FullName => &[
                "שם",
                "שם מלא",
                "שם ומשפחה",
                "שם פרטי ומשפחה",
                "name",
                "full name",
                "display name",
            ],
            Column::Email => &[
                "דוא״ל",
                "דואל",
                "דואר אלקטרוני",
                "כתובת דוא״ל",
                "כתובת מייל",
                "אימייל",
                "מייל",
                "email",
                "e-mail",
                "email address",
                "mail",
            ],
            Column::Phone => &[
                "טלפון",
                "טל׳",
                "נייד",
                "טלפון נייד",
                "פלאפון",
                "סלולרי",
                "מספר טלפון",
                "phone",
                "phone number",
                "mobile",
                "mobile phone",
                "cell",
                "cell phone",
                "tel",
                "telephone",
            ],
            Column::Language => &["שפה", "language", "lang"],
            Column::Roles => &["תפקיד", "תפקידים", "role", "roles", "סוג"],
            Column::Tags => &["תגית", "תגיות", "tags", "tag", "labels", "label"],
            Column::Notes => &[
                "הערות",
                "הערה",
                "notes",
                "note",
                "comments",
                "comment",
                "remarks",
            ],
            Column::Consent => &[
                "הסכמה",
                "הסכמה לדיוור",
                "מסכים לדיוור",
                "מאשר דיוור",
                "consent",
                "subscribed",
                "opt in",
                "newsletter",
            ],
        }
    }
}

/// The column a spreadsheet header most likely means, in Hebrew or English: compared after
/// [`search_fold`] and without spaces, hyphens, dots and underscores, so that "First_Name",
/// "first-name", "FirstName", "שֵׁם פְּרָטִי" and "דוא\"ל:" are all recognised.
pub fn guess_column(header: &str) -> Option<Column> {
    let key = header_key(header);
    if key.is_empty() {
        return None;
    }
    Column::ALL
        .into_iter()
        .find(|c| c.headers().iter().any(|h| header_key(h) == key))
}

fn header_key(header: &str) -> String {
    search_fold(header)
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '+' | '@'))
        .collect()
}

/// A yes/no spreadsheet cell, such as a consent column: "כן", "yes", "y", "true", "1", "v",
/// "x", "✓" (and "✔", "☑", "✅", and Hebrew Excel's "אמת") are yes; "לא", "no", "n", "false",
/// "0" (and "שקר") are no; case and whitespace do not matter. Anything else is `None`.
pub fn parse_yes_no(value: &str) -> Option<bool> {
    let v: String = value
        .nfkc()
        .filter(|c| !c.is_whitespace() && !is_invisible_format(*c))
        .collect::<String>()
        .to_lowercase();
    match v.as_str() {
        "כן" | "yes" | "y" | "true" | "1" | "v" | "x" | "✓" | "✔" | "☑" | "✅" | "אמת" => {
            Some(true)
        }
        "לא" | "no" | "n" | "false" | "0" | "שקר" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn israeli_phones_in_every_local_form() {
        for input in [
            "050-234-5678",
            "0502345678",
            "050 234 5678",
            "+972 50 234 5678",
            "+972-50-2345678",
            "+972 (0)50 234 5678",
            "00972502345678",
            "972502345678",
            "(050) 234-5678",
            "\u{200E}050-234-5678\u{200F}",
            "０５０２３４５６７８",
            "  050.234.5678  ",
        ] {
            assert_eq!(
                normalize_phone(input).as_deref(),
                Ok("+972502345678"),
                "{input}"
            );
        }
        assert_eq!(normalize_phone("03-1234567").as_deref(), Ok("+97231234567"));
        assert_eq!(normalize_phone("02-1234567").as_deref(), Ok("+97221234567"));
        assert_eq!(
            normalize_phone("972-3-1234567").as_deref(),
            Ok("+97231234567")
        );
        assert_eq!(
            normalize_phone("072-212-3456").as_deref(),
            Ok("+972722123456")
        );
        assert_eq!(
            normalize_phone("1-800-123-456").as_deref(),
            Ok("+9721800123456")
        );
    }

    #[test]
    fn foreign_phones_in_international_form() {
        assert_eq!(
            normalize_phone("+1 212 555 0100").as_deref(),
            Ok("+12125550100")
        );
        assert_eq!(
            normalize_phone("+1 (212) 555-0100").as_deref(),
            Ok("+12125550100")
        );
        assert_eq!(
            normalize_phone("+44 20 7946 0958").as_deref(),
            Ok("+442079460958")
        );
        assert_eq!(
            normalize_phone("001 212 555 0100").as_deref(),
            Ok("+12125550100")
        );
        // Without the + it is read as an Israeli number, and is not one.
        assert_eq!(
            normalize_phone("12125550100"),
            Err(InputError::InvalidPhone)
        );
    }

    #[test]
    fn invalid_phones() {
        assert_eq!(normalize_phone(""), Err(InputError::Required));
        assert_eq!(normalize_phone("   "), Err(InputError::Required));
        assert_eq!(normalize_phone("\u{200F} "), Err(InputError::Required));
        assert_eq!(
            normalize_phone(&"5".repeat(MAX_PHONE_CHARS + 1)),
            Err(InputError::TooLong)
        );
        for bad in [
            "טלפון",
            "050-23456",
            "050234567890",
            "0000000000",
            "1234",
            "---",
            "+",
            "++972502345678",
            "050+2345678",
            "+999 123456789",
            "+0502345678",
            "050-2345678 ext 12",
            "0502345678#12",
            "*2345",
            "📞 050-234-5678",
            "050-234-5678 דנה",
            "12345678901234567890",
            // Well-formed, but an unallocated range in the libphonenumber metadata.
            "050-123-4567",
        ] {
            assert_eq!(normalize_phone(bad), Err(InputError::InvalidPhone), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert_eq!(
            normalize_email("  Dana.Levi@Example.ORG ").as_deref(),
            Ok("dana.levi@example.org")
        );
        assert_eq!(
            normalize_email("info@עמותה.ישראל").as_deref(),
            Ok("info@עמותה.ישראל")
        );
        assert_eq!(
            normalize_email("info@xn--4dbrk0ce.xn--4dbrk0ce").as_deref(),
            Ok("info@xn--4dbrk0ce.xn--4dbrk0ce")
        );
        assert_eq!(normalize_email(""), Err(InputError::Required));
        assert_eq!(normalize_email("  "), Err(InputError::Required));
        let long = format!("{}@{}.org", "a".repeat(64), "b".repeat(200));
        assert_eq!(normalize_email(&long), Err(InputError::TooLong));
        for bad in [
            "dana@example.c",
            "dana@example.123",
            "dana@example.o1",
            "dana@example..org",
            "dana@1.2.3.4",
            "dana@example.xn--",
            "dana@example.😀😀",
            "דנה",
            "dana@",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn fold_removes_niqqud_and_final_letters() {
        assert_eq!(search_fold("שָׁלוֹם  Dana-Lee"), "שלומ dana-lee");
        assert_eq!(search_fold("ברוך"), "ברוכ");
        assert_eq!(search_fold("ךםןףץ"), "כמנפצ");
        // Cantillation marks and the shin dot as a presentation form (U+FB2A).
        assert_eq!(search_fold("בְּרֵאשִׁ֖ית"), "בראשית");
        assert_eq!(search_fold("\u{FB2A}לום"), "שלומ");
        assert_eq!(search_fold(""), "");
        assert_eq!(search_fold("  \t\n "), "");
    }

    #[test]
    fn fold_removes_quotes_and_punctuation() {
        assert_eq!(search_fold("דוא״ל"), "דואל");
        assert_eq!(search_fold("דוא\"ל"), "דואל");
        assert_eq!(search_fold("צה”ל"), "צהל");
        assert_eq!(search_fold("ג׳ורג׳"), "גורג");
        assert_eq!(search_fold("O'Brien"), "obrien");
        assert_eq!(search_fold("בית־ספר"), "בית-ספר");
        assert_eq!(search_fold("כהן, דנה (מתנדבת)!"), "כהנ דנה מתנדבת");
        assert_eq!(
            search_fold("dana@example.org +972"),
            "dana@example.org +972"
        );
        assert_eq!(search_fold("first_name"), "first name");
        assert_eq!(search_fold("\u{200F}דנה\u{200E}"), "דנה");
    }

    #[test]
    fn fold_handles_mixed_scripts_and_emoji() {
        assert_eq!(search_fold("דנה 😀 Cohen"), "דנה cohen");
        assert_eq!(search_fold("❤️דנה"), "דנה");
        assert_eq!(search_fold("👨‍👩‍👧"), "");
        assert_eq!(search_fold("ＤＡＮＡ"), "dana");
        assert_eq!(search_fold("Éric"), "éric");
        assert_eq!(search_fold("E\u{301}ric"), "éric");
        assert_eq!(search_fold("İstanbul"), "i\u{307}stanbul");
    }

    #[test]
    fn fold_is_idempotent_on_tricky_inputs() {
        for s in [
            "e\u{05A8}\u{301}",
            "e'\u{301}",
            "a\u{301}x\u{323}",
            "'\u{301}",
            "ΑΣ'Β",
            "İ",
            "\u{FB4F}",
        ] {
            let once = search_fold(s);
            assert_eq!(search_fold(&once), once, "{s:?}");
        }
    }

    #[test]
    fn words_are_folded_deduplicated_and_ordered() {
        assert_eq!(
            search_words("דנה כהן, Dana COHEN; דָּנָה"),
            vec!["דנה", "כהנ", "dana", "cohen"]
        );
        assert!(search_words("").is_empty());
        assert!(search_words("!!! 😀").is_empty());
    }

    #[test]
    fn folded_queries_match_by_word_prefix() {
        let words = search_words("ברוך הבא, שָׂרָה Levi-Cohen");
        let matches = |query: &str| {
            search_words(query)
                .iter()
                .all(|q| words.iter().any(|w| w.starts_with(q.as_str())))
        };
        assert!(matches("ברוך"));
        assert!(matches("ברו"));
        assert!(matches("שרה ברוך"));
        assert!(matches("LEVI"));
        assert!(matches("levi-co"));
        assert!(!matches("כהן"));
        assert!(!matches("שרון"));
    }

    #[test]
    fn csv_cells() {
        for (input, escaped) in [
            ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
            ("+972502345678", "'+972502345678"),
            ("-5", "'-5"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
        ] {
            assert_eq!(escape_csv_cell(input), escaped);
            assert!(matches!(escape_csv_cell(input), Cow::Owned(_)));
        }
        for plain in ["", "דנה כהן", "050-234-5678", " =1", "😀", "'="] {
            assert!(matches!(escape_csv_cell(plain), Cow::Borrowed(s) if s == plain));
        }
    }

    #[test]
    fn decoding() {
        let hebrew = "שם,טלפון\nדנה,050";
        assert_eq!(
            decode_text(hebrew.as_bytes()),
            (hebrew.to_string(), TextEncoding::Utf8)
        );

        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(hebrew.as_bytes());
        assert_eq!(
            decode_text(&bom),
            (hebrew.to_string(), TextEncoding::Utf8Bom)
        );

        let mut le = vec![0xFF, 0xFE];
        le.extend(hebrew.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(
            decode_text(&le),
            (hebrew.to_string(), TextEncoding::Utf16Le)
        );

        let mut be = vec![0xFE, 0xFF];
        be.extend(hebrew.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(
            decode_text(&be),
            (hebrew.to_string(), TextEncoding::Utf16Be)
        );

        // "שלום, דנה" in Windows-1255.
        let cp1255 = [0xF9, 0xEC, 0xE5, 0xED, 0x2C, 0x20, 0xE3, 0xF0, 0xE4];
        assert_eq!(
            decode_text(&cp1255),
            ("שלום, דנה".to_string(), TextEncoding::Windows1255)
        );

        assert_eq!(decode_text(b""), (String::new(), TextEncoding::Utf8));
        assert_eq!(
            decode_text(&[0xEF, 0xBB, 0xBF]),
            (String::new(), TextEncoding::Utf8Bom)
        );
        // A BOM followed by garbage, and an odd number of UTF-16 bytes, do not panic.
        assert_eq!(decode_text(&[0xEF, 0xBB, 0xBF, 0xFF]).0, "\u{FFFD}");
        assert_eq!(decode_text(&[0xFF, 0xFE, 0x41]).1, TextEncoding::Utf16Le);
    }

    #[test]
    fn columns_round_trip() {
        use serde::Deserialize;
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, StrDeserializer};

        for c in Column::ALL {
            assert_eq!(Column::parse(c.as_str()), Some(c));
            // The serde name is the same snake_case name.
            let de: StrDeserializer<'_, Error> = c.as_str().into_deserializer();
            assert_eq!(Column::deserialize(de), Ok(c));
        }
        assert_eq!(Column::parse(" email "), Some(Column::Email));
        assert_eq!(Column::parse("Email"), None);
        assert_eq!(Column::parse("אימייל"), None);
        assert_eq!(Column::parse(""), None);
    }

    #[test]
    fn guessing_columns() {
        for (header, column) in [
            ("שם פרטי", Column::FirstName),
            ("שֵׁם פְּרָטִי", Column::FirstName),
            ("פרטי", Column::FirstName),
            ("First Name", Column::FirstName),
            ("FirstName", Column::FirstName),
            ("first_name", Column::FirstName),
            ("First-Name", Column::FirstName),
            ("Given name", Column::FirstName),
            ("שם משפחה", Column::LastName),
            ("משפחה", Column::LastName),
            ("Last Name", Column::LastName),
            ("Surname", Column::LastName),
            ("Family name", Column::LastName),
            ("שם", Column::FullName),
            ("שם מלא", Column::FullName),
            ("Name", Column::FullName),
            ("Full name", Column::FullName),
            ("דוא״ל", Column::Email),
            ("דוא\"ל", Column::Email),
            ("דואל", Column::Email),
            ("דואר אלקטרוני", Column::Email),
            ("אימייל", Column::Email),
            ("מייל", Column::Email),
            ("Email", Column::Email),
            ("E-mail", Column::Email),
            ("E-Mail:", Column::Email),
            ("mail", Column::Email),
            ("טלפון", Column::Phone),
            ("טל'", Column::Phone),
            ("נייד", Column::Phone),
            ("פלאפון", Column::Phone),
            ("סלולרי", Column::Phone),
            ("מספר טלפון", Column::Phone),
            ("Phone", Column::Phone),
            ("Mobile", Column::Phone),
            ("Cell", Column::Phone),
            ("Tel.", Column::Phone),
            ("Telephone", Column::Phone),
            ("שפה", Column::Language),
            ("Language", Column::Language),
            ("lang", Column::Language),
            ("תפקיד", Column::Roles),
            ("תפקידים", Column::Roles),
            ("Role", Column::Roles),
            ("Roles", Column::Roles),
            ("סוג", Column::Roles),
            ("תגית", Column::Tags),
            ("תגיות", Column::Tags),
            ("Tags", Column::Tags),
            ("tag", Column::Tags),
            ("Labels", Column::Tags),
            ("הערות", Column::Notes),
            ("הערה", Column::Notes),
            ("Notes", Column::Notes),
            ("note", Column::Notes),
            ("Comments", Column::Notes),
            ("הסכמה", Column::Consent),
            ("מסכים לדיוור", Column::Consent),
            ("Consent", Column::Consent),
            ("Subscribed", Column::Consent),
            ("Opt in", Column::Consent),
            ("Opt-In", Column::Consent),
            ("Newsletter", Column::Consent),
            ("  * שם פרטי *  ", Column::FirstName),
            ("\u{200F}טלפון", Column::Phone),
        ] {
            assert_eq!(guess_column(header), Some(column), "{header}");
        }
        for unknown in ["", "   ", "😀", "כתובת", "address", "תאריך לידה", "id"] {
            assert_eq!(guess_column(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn header_synonyms_are_unambiguous() {
        let mut seen = std::collections::HashMap::new();
        for c in Column::ALL {
            for h in c.headers() {
                let key = header_key(h);
                assert!(!key.is_empty(), "{h}");
                if let Some(other) = seen.insert(key, c) {
                    assert_eq!(other, c, "{h} is claimed by two columns");
                }
            }
        }
    }

    #[test]
    fn yes_no() {
        for yes in [
            "כן",
            " כן ",
            "yes",
            "YES",
            "Yes",
            "y",
            "Y",
            "true",
            "TRUE",
            "1",
            "v",
            "V",
            "x",
            "X",
            "✓",
            "✔",
            "✔\u{FE0F}",
            "אמת",
            "\u{200F}כן",
        ] {
            assert_eq!(parse_yes_no(yes), Some(true), "{yes}");
        }
        for no in ["לא", " לא", "no", "NO", "n", "false", "FALSE", "0", "שקר"] {
            assert_eq!(parse_yes_no(no), Some(false), "{no}");
        }
        for neither in ["", "  ", "אולי", "maybe", "2", "yes!", "😀", "כןלא"] {
            assert_eq!(parse_yes_no(neither), None, "{neither}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 2000,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn phone_never_panics(s in any::<String>()) {
            let _ = normalize_phone(&s);
        }

        #[test]
        fn phone_like_input_never_panics(s in "[+]?[0-9 ()\\-./]{0,30}") {
            let _ = normalize_phone(&s);
        }

        #[test]
        fn normalized_phones_are_fixed_points(s in "(\\+|00|972|0)?[0-9]{6,12}") {
            if let Ok(e164) = normalize_phone(&s) {
                prop_assert!(e164.starts_with('+'));
                prop_assert_eq!(normalize_phone(&e164), Ok(e164.clone()));
            }
        }

        #[test]
        fn israeli_mobiles_normalize(n in "05[0-9]{8}") {
            if let Ok(e164) = normalize_phone(&n) {
                prop_assert_eq!(e164.clone(), format!("+972{}", n.get(1..).unwrap_or_default()));
                prop_assert_eq!(normalize_phone(&e164), Ok(e164));
            }
        }

        #[test]
        fn email_never_panics(s in any::<String>()) {
            let _ = normalize_email(&s);
        }

        #[test]
        fn fold_never_panics_and_is_idempotent(s in any::<String>()) {
            let once = search_fold(&s);
            prop_assert_eq!(search_fold(&once), once.clone());
            prop_assert_eq!(once.trim(), once.as_str());
            prop_assert!(!once.contains("  "));
        }

        #[test]
        fn fold_is_idempotent_on_hebrew(s in "[\\u{0590}-\\u{05FF}\\u{FB1D}-\\u{FB4F} a-zA-Z0-9'\"`@.+\\-_,İΣσ\\u{0300}-\\u{036F}\\u{0370}-\\u{03FF}\\u{0900}-\\u{097F}\\u{1100}-\\u{11FF}\\u{1E00}-\\u{1EFF}\\u{200B}-\\u{200F}\\u{2018}-\\u{201D}\\u{FE0F}\\u{1F600}]{0,24}") {
            let once = search_fold(&s);
            prop_assert_eq!(search_fold(&once), once.clone());
            for c in once.chars() {
                prop_assert!(!is_hebrew_mark(c));
                prop_assert!(!matches!(c, 'ך' | 'ם' | 'ן' | 'ף' | 'ץ' | '׳' | '״' | '\'' | '"'));
            }
        }

        #[test]
        fn words_never_panic(s in any::<String>()) {
            let words = search_words(&s);
            let unique: HashSet<_> = words.iter().collect();
            prop_assert_eq!(unique.len(), words.len());
        }

        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = decode_text(&bytes);
        }

        #[test]
        fn decode_round_trips_utf8(s in any::<String>()) {
            let (text, encoding) = decode_text(s.as_bytes());
            if s.as_bytes().starts_with(&[0xEF, 0xBB, 0xBF]) {
                prop_assert_eq!(encoding, TextEncoding::Utf8Bom);
            } else {
                prop_assert_eq!(text, s);
                prop_assert_eq!(encoding, TextEncoding::Utf8);
            }
        }

        #[test]
        fn csv_cells_never_start_a_formula(s in any::<String>()) {
            let escaped = escape_csv_cell(&s);
            prop_assert!(!escaped.starts_with(['=', '+', '-', '@', '\t', '\r']));
            prop_assert!(escaped.ends_with(s.as_str()));
        }

        #[test]
        fn yes_no_never_panics(s in any::<String>()) {
            let _ = parse_yes_no(&s);
            let _ = guess_column(&s);
        }
    }
}
