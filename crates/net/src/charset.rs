//! Turning a fetched body into text.
//!
//! Only the encodings Kehilla's audience actually meets are decoded exactly: UTF-8, UTF-16
//! (with a byte order mark), windows-1252 (which the web uses for every "latin1"/"iso-8859-1"
//! label), windows-1255 and ISO-8859-8 (Hebrew). Anything else is read as UTF-8, lossily.
//! The tables follow the WHATWG Encoding Standard; bytes it leaves undefined become U+FFFD.

/// The encodings decoded here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Charset {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1252,
    Windows1255,
    Iso8859_8,
}

impl Charset {
    /// The encoding a label names (case-insensitive, surrounding whitespace ignored), per the
    /// WHATWG label table, for the encodings supported here.
    pub(crate) fn from_label(label: &str) -> Option<Charset> {
        let label = label
            .trim_matches(|c: char| c.is_ascii_whitespace() || c == '"' || c == '\'')
            .to_ascii_lowercase();
        let charset = match label.as_str() {
            "utf-8" | "utf8" | "unicode-1-1-utf-8" | "unicode11utf8" | "unicode20utf8"
            | "x-unicode20utf8" => Charset::Utf8,
            "utf-16" | "utf-16le" | "unicode" | "unicodefeff" | "ucs-2" | "csunicode"
            | "iso-10646-ucs-2" => Charset::Utf16Le,
            "utf-16be" | "unicodefffe" => Charset::Utf16Be,
            "windows-1252" | "cp1252" | "x-cp1252" | "iso-8859-1" | "iso8859-1" | "iso88591"
            | "iso_8859-1" | "iso_8859-1:1987" | "iso-ir-100" | "latin1" | "l1" | "csisolatin1"
            | "cp819" | "ibm819" | "us-ascii" | "ascii" | "ansi_x3.4-1968" => Charset::Windows1252,
            "windows-1255" | "cp1255" | "x-cp1255" => Charset::Windows1255,
            "iso-8859-8" | "iso8859-8" | "iso88598" | "iso_8859-8" | "iso_8859-8:1988"
            | "iso-ir-138" | "hebrew" | "csisolatinhebrew" | "csiso88598e" | "iso-8859-8-e"
            | "visual" | "iso-8859-8-i" | "csiso88598i" | "logical" => Charset::Iso8859_8,
            _ => return None,
        };
        Some(charset)
    }
}

/// The `charset` parameter of a `Content-Type` value, if any.
pub(crate) fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').trim())
    })
}

/// Decodes an HTML body: a byte order mark wins, then the `Content-Type` charset, then a
/// `<meta>` declaration in the first 1024 bytes, then UTF-8.
pub(crate) fn decode_html(bytes: &[u8], header_charset: Option<&str>) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode(rest, Charset::Utf8);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode(rest, Charset::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode(rest, Charset::Utf16Be);
    }
    let declared = header_charset
        .and_then(Charset::from_label)
        .or_else(|| {
            // A document cannot declare itself UTF-16 from inside (it would not be ASCII).
            meta_charset(bytes).map(|c| match c {
                Charset::Utf16Le | Charset::Utf16Be => Charset::Utf8,
                other => other,
            })
        })
        .unwrap_or(Charset::Utf8);
    decode(bytes, declared)
}

/// Decodes `bytes` from `charset`; malformed input becomes U+FFFD.
pub(crate) fn decode(bytes: &[u8], charset: Charset) -> String {
    match charset {
        Charset::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
        Charset::Utf16Le => decode_utf16(bytes, u16::from_le_bytes),
        Charset::Utf16Be => decode_utf16(bytes, u16::from_be_bytes),
        Charset::Windows1252 => decode_single_byte(bytes, &WINDOWS_1252),
        Charset::Windows1255 => decode_single_byte(bytes, &WINDOWS_1255),
        Charset::Iso8859_8 => decode_single_byte(bytes, &ISO_8859_8),
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let chunks = bytes.chunks_exact(2);
    let odd = !chunks.remainder().is_empty();
    let units = chunks.map(|pair| match pair {
        [a, b] => unit([*a, *b]),
        _ => 0xFFFD,
    });
    let mut text: String = char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    if odd {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    text
}

fn decode_single_byte(bytes: &[u8], high: &[u16; 128]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b < 0x80 {
                char::from(b)
            } else {
                high.get(usize::from(b - 0x80))
                    .and_then(|&u| char::from_u32(u32::from(u)))
                    .unwrap_or(char::REPLACEMENT_CHARACTER)
            }
        })
        .collect()
}

/// The character windows-1252 gives a byte 0x80–0x9F; HTML uses this for numeric character
/// references in that range.
pub(crate) fn windows_1252_c1(code: u32) -> Option<char> {
    let index = usize::try_from(code.checked_sub(0x80)?).ok()?;
    if index >= 0x20 {
        return None;
    }
    WINDOWS_1252
        .get(index)
        .and_then(|&u| char::from_u32(u32::from(u)))
}

/// A charset declared by a `<meta charset>` or `<meta http-equiv … content="…charset=…">` in
/// the first 1024 bytes (a simplified version of the HTML prescan).
fn meta_charset(bytes: &[u8]) -> Option<Charset> {
    let head: Vec<u8> = bytes
        .iter()
        .take(1024)
        .map(u8::to_ascii_lowercase)
        .collect();
    let mut rest = head.as_slice();
    while let Some(start) = find(rest, b"<meta") {
        rest = rest.get(start + 5..)?;
        let end = rest.iter().position(|&b| b == b'>').unwrap_or(rest.len());
        let tag = rest.get(..end)?;
        if let Some(charset) = charset_in_tag(tag) {
            return Some(charset);
        }
        rest = rest.get(end..)?;
    }
    None
}

fn charset_in_tag(tag: &[u8]) -> Option<Charset> {
    let mut rest = tag;
    while let Some(at) = find(rest, b"charset") {
        rest = rest.get(at + 7..)?;
        let value = trim_start(rest);
        let Some(value) = value.strip_prefix(b"=") else {
            continue;
        };
        let value = trim_start(value);
        let value = value
            .strip_prefix(b"\"")
            .or_else(|| value.strip_prefix(b"'"))
            .unwrap_or(value);
        let len = value
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
            .unwrap_or(value.len());
        let label = std::str::from_utf8(value.get(..len)?).ok()?;
        // An unsupported declaration still decides: it is read as UTF-8.
        return Some(Charset::from_label(label).unwrap_or(Charset::Utf8));
    }
    None
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let skip = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes.get(skip..).unwrap_or_default()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Undefined bytes are 0xFFFD.
const U: u16 = 0xFFFD;

#[rustfmt::skip]
const WINDOWS_1252: [u16; 128] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, // 80
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F, // 88
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, // 90
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178, // 98
    0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7, // A0
    0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF, // A8
    0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, // B0
    0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF, // B8
    0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7, // C0
    0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF, // C8
    0x00D0, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7, // D0
    0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF, // D8
    0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7, // E0
    0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF, // E8
    0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7, // F0
    0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF, // F8
];

#[rustfmt::skip]
const WINDOWS_1255: [u16; 128] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, // 80
    0x02C6, 0x2030, 0x008A, 0x2039, 0x008C, 0x008D, 0x008E, 0x008F, // 88
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, // 90
    0x02DC, 0x2122, 0x009A, 0x203A, 0x009C, 0x009D, 0x009E, 0x009F, // 98
    0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x20AA, 0x00A5, 0x00A6, 0x00A7, // A0
    0x00A8, 0x00A9, 0x00D7, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF, // A8
    0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, // B0
    0x00B8, 0x00B9, 0x00F7, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF, // B8
    0x05B0, 0x05B1, 0x05B2, 0x05B3, 0x05B4, 0x05B5, 0x05B6, 0x05B7, // C0
    0x05B8, 0x05B9, 0x05BA, 0x05BB, 0x05BC, 0x05BD, 0x05BE, 0x05BF, // C8
    0x05C0, 0x05C1, 0x05C2, 0x05C3, 0x05F0, 0x05F1, 0x05F2, 0x05F3, // D0
    0x05F4, U,      U,      U,      U,      U,      U,      U,      // D8
    0x05D0, 0x05D1, 0x05D2, 0x05D3, 0x05D4, 0x05D5, 0x05D6, 0x05D7, // E0
    0x05D8, 0x05D9, 0x05DA, 0x05DB, 0x05DC, 0x05DD, 0x05DE, 0x05DF, // E8
    0x05E0, 0x05E1, 0x05E2, 0x05E3, 0x05E4, 0x05E5, 0x05E6, 0x05E7, // F0
    0x05E8, 0x05E9, 0x05EA, U,      U,      0x200E, 0x200F, U,      // F8
];

#[rustfmt::skip]
const ISO_8859_8: [u16; 128] = [
    0x0080, 0x0081, 0x0082, 0x0083, 0x0084, 0x0085, 0x0086, 0x0087, // 80
    0x0088, 0x0089, 0x008A, 0x008B, 0x008C, 0x008D, 0x008E, 0x008F, // 88
    0x0090, 0x0091, 0x0092, 0x0093, 0x0094, 0x0095, 0x0096, 0x0097, // 90
    0x0098, 0x0099, 0x009A, 0x009B, 0x009C, 0x009D, 0x009E, 0x009F, // 98
    0x00A0, U,      0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7, // A0
    0x00A8, 0x00A9, 0x00D7, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF, // A8
    0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, // B0
    0x00B8, 0x00B9, 0x00F7, 0x00BB, 0x00BC, 0x00BD, 0x00BE, U,      // B8
    U,      U,      U,      U,      U,      U,      U,      U,      // C0
    U,      U,      U,      U,      U,      U,      U,      U,      // C8
    U,      U,      U,      U,      U,      U,      U,      U,      // D0
    U,      U,      U,      U,      U,      U,      U,      0x2017, // D8
    0x05D0, 0x05D1, 0x05D2, 0x05D3, 0x05D4, 0x05D5, 0x05D6, 0x05D7, // E0
    0x05D8, 0x05D9, 0x05DA, 0x05DB, 0x05DC, 0x05DD, 0x05DE, 0x05DF, // E8
    0x05E0, 0x05E1, 0x05E2, 0x05E3, 0x05E4, 0x05E5, 0x05E6, 0x05E7, // F0
    0x05E8, 0x05E9, 0x05EA, U,      U,      0x200E, 0x200F, U,      // F8
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(Charset::from_label("UTF-8"), Some(Charset::Utf8));
        assert_eq!(Charset::from_label(" \"utf8\" "), Some(Charset::Utf8));
        assert_eq!(
            Charset::from_label("ISO-8859-1"),
            Some(Charset::Windows1252)
        );
        assert_eq!(Charset::from_label("latin1"), Some(Charset::Windows1252));
        assert_eq!(
            Charset::from_label("Windows-1255"),
            Some(Charset::Windows1255)
        );
        assert_eq!(
            Charset::from_label("iso-8859-8-i"),
            Some(Charset::Iso8859_8)
        );
        assert_eq!(Charset::from_label("shift_jis"), None);
    }

    #[test]
    fn charset_parameter() {
        assert_eq!(charset_param("text/html; charset=UTF-8"), Some("UTF-8"));
        assert_eq!(
            charset_param("text/html;foo=bar; Charset=\"windows-1255\""),
            Some("windows-1255")
        );
        assert_eq!(charset_param("text/html"), None);
    }

    #[test]
    fn hebrew_single_byte() {
        // "שלום ₪" in windows-1255.
        let bytes = [0xF9, 0xEC, 0xE5, 0xED, 0x20, 0xA4];
        assert_eq!(decode(&bytes, Charset::Windows1255), "שלום ₪");
        // Niqqud and the directional marks.
        assert_eq!(
            decode(&[0xE1, 0xC8, 0xFD], Charset::Windows1255),
            "בָ\u{200E}"
        );
        assert_eq!(decode(&[0xD9], Charset::Windows1255), "\u{FFFD}");
        assert_eq!(
            decode(&[0xF9, 0xEC, 0xE5, 0xED], Charset::Iso8859_8),
            "שלום"
        );
        assert_eq!(decode(&[0xA4, 0xC8], Charset::Iso8859_8), "¤\u{FFFD}");
    }

    #[test]
    fn latin1_is_windows_1252() {
        assert_eq!(
            decode(b"caf\xE9 \x80 \x93x\x94", Charset::Windows1252),
            "café € “x”"
        );
        assert_eq!(windows_1252_c1(0x80), Some('€'));
        assert_eq!(windows_1252_c1(0x9F), Some('Ÿ'));
        assert_eq!(windows_1252_c1(0xA0), None);
        assert_eq!(windows_1252_c1(0x41), None);
    }

    #[test]
    fn utf16_and_bom() {
        assert_eq!(decode_html(b"\xFF\xFEh\0i\0", None), "hi");
        assert_eq!(decode_html(b"\xFE\xFF\0h\0i", None), "hi");
        assert_eq!(decode_html(b"\xFE\xFF\0h\0", None), "h\u{FFFD}");
        // A BOM beats the header.
        assert_eq!(
            decode_html("\u{FEFF}שלום".as_bytes(), Some("windows-1255")),
            "שלום"
        );
    }

    #[test]
    fn header_then_meta_then_utf8() {
        let hebrew = b"<html><head><meta charset=\"windows-1255\"></head><body>\xF9\xEC\xE5\xED";
        assert!(decode_html(hebrew, None).ends_with("שלום"));
        // The header wins over meta.
        assert!(decode_html(hebrew, Some("iso-8859-1")).ends_with("ùìåí"));
        let http_equiv =
            b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=ISO-8859-8\">\xF9";
        assert!(decode_html(http_equiv, None).ends_with('ש'));
        let meta_single_quotes = b"<meta charset='latin1'>caf\xE9";
        assert!(decode_html(meta_single_quotes, None).ends_with("café"));
        // No declaration: UTF-8, lossy.
        assert_eq!(decode_html("שלום".as_bytes(), None), "שלום");
        assert_eq!(decode_html(b"a\xFFb", None), "a\u{FFFD}b");
        // A meta beyond the first 1024 bytes is ignored.
        let mut late = vec![b' '; 1100];
        late.extend_from_slice(b"<meta charset=windows-1255>\xF9");
        assert!(decode_html(&late, None).ends_with('\u{FFFD}'));
        // A meta naming UTF-16 means UTF-8.
        assert_eq!(
            decode_html(b"<meta charset=utf-16>\xD7\xA9", None),
            "<meta charset=utf-16>ש"
        );
    }
}
