//! Format detection from magic bytes only; file names and declared types are never trusted.

use crate::{Kind, MediaError};

/// A format this crate handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Jpeg,
    Png,
    WebP,
    Gif,
    /// ISO base media file (MP4, MOV, 3GP), with its MIME type.
    Bmff(&'static str),
    WebM,
}

impl Format {
    pub(crate) fn kind(self) -> Kind {
        match self {
            Format::Jpeg | Format::Png | Format::WebP | Format::Gif => Kind::Image,
            Format::Bmff(_) | Format::WebM => Kind::Video,
        }
    }

    pub(crate) fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
            Format::Gif => "image/gif",
            Format::Bmff(mime) => mime,
            Format::WebM => "video/webm",
        }
    }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
const EBML_MAGIC: &[u8] = b"\x1a\x45\xdf\xa3";

/// Identifies the format of `bytes`.
pub(crate) fn sniff(bytes: &[u8]) -> Result<Format, MediaError> {
    if bytes.starts_with(b"\xff\xd8\xff") {
        Ok(Format::Jpeg)
    } else if bytes.starts_with(PNG_SIGNATURE) {
        Ok(Format::Png)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Ok(Format::Gif)
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Ok(Format::WebP)
    } else if bytes.get(4..8) == Some(b"ftyp") {
        bmff_brand(bytes)
    } else if bytes.starts_with(EBML_MAGIC) {
        match ebml_doc_type(bytes) {
            Some(b"webm") => Ok(Format::WebM),
            Some(b"matroska") => Err(MediaError::Unsupported("Matroska (only WebM is accepted)")),
            _ => Err(MediaError::Unsupported("unknown EBML document")),
        }
    } else if bytes.is_empty() {
        Err(MediaError::Unsupported("empty file"))
    } else {
        Err(MediaError::Unsupported("unknown format"))
    }
}

/// Classifies an ISO BMFF file by its major brand: videos are accepted, still-image and audio
/// containers built on the same box structure (HEIC, AVIF, M4A, Canon raw…) are not.
fn bmff_brand(bytes: &[u8]) -> Result<Format, MediaError> {
    let Some(brand) = bytes.get(8..12) else {
        return Err(MediaError::corrupt("ftyp box is cut short"));
    };
    match brand {
        b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" | b"hevm" | b"hevs" | b"mif1"
        | b"mif2" | b"msf1" => Err(MediaError::Unsupported("HEIF/HEIC image")),
        b"avif" | b"avis" | b"avio" => Err(MediaError::Unsupported("AVIF image")),
        b"crx " => Err(MediaError::Unsupported("camera raw image")),
        b"M4A " | b"M4B " | b"M4P " | b"F4A " | b"F4B " => {
            Err(MediaError::Unsupported("audio-only file"))
        }
        b"qt  " => Ok(Format::Bmff("video/quicktime")),
        [b'3', b'g', b'p' | b'2', _] => Ok(Format::Bmff("video/3gpp")),
        _ => Ok(Format::Bmff("video/mp4")),
    }
}

/// Reads an EBML variable-length integer at `pos`: (value, length). With `keep_marker` the
/// length marker bit stays in the value (element IDs), otherwise it is removed (sizes).
fn ebml_vint(bytes: &[u8], pos: usize, keep_marker: bool) -> Option<(u64, usize)> {
    let first = *bytes.get(pos)?;
    let len = usize::try_from(first.leading_zeros())
        .ok()?
        .checked_add(1)?;
    if len > 8 {
        return None;
    }
    let mut value = if keep_marker {
        u64::from(first)
    } else {
        u64::from(first) & (0xFF >> len)
    };
    for i in 1..len {
        value = (value << 8) | u64::from(*bytes.get(pos.checked_add(i)?)?);
    }
    Some((value, len))
}

/// The DocType of the EBML header ("webm", "matroska"), if it can be read.
fn ebml_doc_type(bytes: &[u8]) -> Option<&[u8]> {
    const DOC_TYPE: u64 = 0x4282;
    let (_, id_len) = ebml_vint(bytes, 0, true)?;
    let (size, size_len) = ebml_vint(bytes, id_len, false)?;
    let start = id_len.checked_add(size_len)?;
    let end = start
        .checked_add(usize::try_from(size).ok()?)?
        .min(bytes.len());
    let mut pos = start;
    while pos < end {
        let (id, id_len) = ebml_vint(bytes, pos, true)?;
        let (size, size_len) = ebml_vint(bytes, pos.checked_add(id_len)?, false)?;
        let data = pos.checked_add(id_len)?.checked_add(size_len)?;
        let next = data.checked_add(usize::try_from(size).ok()?)?;
        if id == DOC_TYPE {
            let value = bytes.get(data..next.min(end))?;
            // DocType strings may be padded with zero bytes.
            let trimmed = value.split(|&b| b == 0).next()?;
            return Some(trimmed);
        }
        pos = next;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ebml(doc_type: &[u8]) -> Vec<u8> {
        let mut body = vec![0x42, 0x86, 0x81, 0x01]; // EBMLVersion 1
        body.extend([0x42, 0x82, 0x80 | u8::try_from(doc_type.len()).unwrap()]);
        body.extend_from_slice(doc_type);
        let mut out = EBML_MAGIC.to_vec();
        out.push(0x80 | u8::try_from(body.len()).unwrap());
        out.extend(body);
        out
    }

    #[test]
    fn recognises_formats() {
        assert_eq!(sniff(b"\xff\xd8\xff\xe0").unwrap(), Format::Jpeg);
        assert_eq!(sniff(b"GIF89a....").unwrap(), Format::Gif);
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ").unwrap(), Format::WebP);
        assert_eq!(
            sniff(b"\0\0\0\x14ftypqt  \0\0\0\0qt  ").unwrap(),
            Format::Bmff("video/quicktime")
        );
        assert_eq!(
            sniff(b"\0\0\0\x14ftypisom\0\0\0\0isom").unwrap(),
            Format::Bmff("video/mp4")
        );
        assert_eq!(sniff(&ebml(b"webm")).unwrap(), Format::WebM);
        assert_eq!(
            sniff(&ebml(b"matroska")).unwrap_err().code(),
            "media.unsupported"
        );
    }

    #[test]
    fn refuses_lookalikes() {
        for bytes in [
            &b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"[..],
            b"\0\0\0\x18ftypavif\0\0\0\0mif1avif",
            b"\0\0\0\x18ftypM4A \0\0\0\0M4A ",
            b"BM6\0\0\0",
            b"",
            b"\x1a\x45\xdf\xa3",
        ] {
            assert_eq!(sniff(bytes).unwrap_err().code(), "media.unsupported");
        }
    }
}
