//! Decoding HTML character references in text and attribute values.

use crate::charset::windows_1252_c1;

/// Replaces character references: decimal (`&#1513;`), hexadecimal (`&#x5E9;`) and the named
/// references pages commonly use (`&amp;`, `&quot;`, `&nbsp;`, `&hellip;`, `&rlm;`…). Named
/// references need their semicolon; unknown ones are left as they are. Numeric references to
/// NUL, surrogates or beyond U+10FFFF become U+FFFD, and those in 0x80–0x9F are read as
/// windows-1252, as browsers do.
pub(crate) fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        let (before, from_amp) = rest.split_at(at);
        out.push_str(before);
        let after_amp = from_amp.get(1..).unwrap_or_default();
        match reference(after_amp) {
            Some((decoded, consumed)) => {
                out.push(decoded);
                rest = after_amp.get(consumed..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = after_amp;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character a reference starting right after `&` stands for, and how many bytes of
/// `text` it used.
fn reference(text: &str) -> Option<(char, usize)> {
    if let Some(numeric) = text.strip_prefix('#') {
        let (radix, digits_start) = match numeric.as_bytes().first() {
            Some(b'x' | b'X') => (16, 2),
            _ => (10, 1),
        };
        let digits = text.get(digits_start..)?;
        let len = digits
            .bytes()
            .take_while(|b| char::from(*b).is_digit(radix))
            .count();
        if len == 0 {
            return None;
        }
        let value = digits.get(..len)?.bytes().fold(0u32, |acc, b| {
            let digit = char::from(b).to_digit(radix).unwrap_or(0);
            acc.saturating_mul(radix).saturating_add(digit)
        });
        let semicolon = usize::from(digits.get(len..)?.starts_with(';'));
        return Some((numeric_char(value), digits_start + len + semicolon));
    }
    let len = text
        .bytes()
        .take(32)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    if !text.get(len..)?.starts_with(';') {
        return None;
    }
    let decoded = named(text.get(..len)?)?;
    Some((decoded, len + 1))
}

fn numeric_char(value: u32) -> char {
    if value == 0 {
        return char::REPLACEMENT_CHARACTER;
    }
    if let Some(c) = windows_1252_c1(value) {
        return c;
    }
    char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER)
}

fn named(name: &str) -> Option<char> {
    let c = match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "shy" => '\u{AD}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "zwnj" => '\u{200C}',
        "zwj" => '\u{200D}',
        "lrm" => '\u{200E}',
        "rlm" => '\u{200F}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "laquo" => '«',
        "raquo" => '»',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "middot" => '·',
        "bull" => '•',
        "prime" => '′',
        "Prime" => '″',
        "times" => '×',
        "divide" => '÷',
        "minus" => '−',
        "plusmn" => '±',
        "deg" => '°',
        "micro" => 'µ',
        "para" => '¶',
        "sect" => '§',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "euro" => '€',
        "pound" => '£',
        "cent" => '¢',
        "yen" => '¥',
        "curren" => '¤',
        "iexcl" => '¡',
        "iquest" => '¿',
        "ordf" => 'ª',
        "ordm" => 'º',
        "sup1" => '¹',
        "sup2" => '²',
        "sup3" => '³',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "hearts" => '♥',
        "star" => '☆',
        "check" => '✓',
        "Agrave" => 'À',
        "Aacute" => 'Á',
        "Acirc" => 'Â',
        "Auml" => 'Ä',
        "Ccedil" => 'Ç',
        "Egrave" => 'È',
        "Eacute" => 'É',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "agrave" => 'à',
        "aacute" => 'á',
        "acirc" => 'â',
        "atilde" => 'ã',
        "auml" => 'ä',
        "aring" => 'å',
        "aelig" => 'æ',
        "ccedil" => 'ç',
        "egrave" => 'è',
        "eacute" => 'é',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "igrave" => 'ì',
        "iacute" => 'í',
        "icirc" => 'î',
        "iuml" => 'ï',
        "ntilde" => 'ñ',
        "ograve" => 'ò',
        "oacute" => 'ó',
        "ocirc" => 'ô',
        "otilde" => 'õ',
        "ouml" => 'ö',
        "oslash" => 'ø',
        "ugrave" => 'ù',
        "uacute" => 'ú',
        "ucirc" => 'û',
        "uuml" => 'ü',
        "yuml" => 'ÿ',
        "szlig" => 'ß',
        _ => return None,
    };
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_and_named() {
        assert_eq!(decode_entities("A &amp; B"), "A & B");
        assert_eq!(decode_entities("&#x5E9;&#1500;&#X5D5;&#x5dd;"), "שלום");
        assert_eq!(decode_entities("&quot;hi&quot; &lt;b&gt;"), "\"hi\" <b>");
        assert_eq!(
            decode_entities("a&nbsp;b&hellip;&rlm;"),
            "a\u{A0}b…\u{200F}"
        );
        assert_eq!(decode_entities("&#39;&#x27;"), "''");
        // Windows-1252 remapping, invalid code points.
        assert_eq!(decode_entities("&#150;&#x80;"), "–€");
        assert_eq!(
            decode_entities("&#0;&#xD800;&#x110000;&#99999999999999;"),
            "\u{FFFD}".repeat(4)
        );
        // Missing semicolon: numeric still decodes, named does not.
        assert_eq!(decode_entities("&#1513 &amp x"), "ש &amp x");
    }

    #[test]
    fn malformed_is_kept() {
        assert_eq!(decode_entities("Tom & Jerry"), "Tom & Jerry");
        assert_eq!(
            decode_entities("&unknown; &; &# &#x; &"),
            "&unknown; &; &# &#x; &"
        );
        assert_eq!(decode_entities("&&amp;"), "&&");
        assert_eq!(decode_entities("שלום &amp; ברכה"), "שלום & ברכה");
    }
}
