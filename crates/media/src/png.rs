//! PNG: chunk-level metadata removal with `img-parts`.
//!
//! Critical chunks are always kept. Of the ancillary chunks only those that change how the
//! picture looks (transparency, colour, pixel size) or animate it (APNG) are kept; text
//! (`tEXt`, `zTXt`, `iTXt`, which also carry XMP and ImageMagick's EXIF dumps), `eXIf`, `tIME`,
//! provenance manifests and every unknown chunk are dropped.

use img_parts::Bytes;
use img_parts::png::Png;

use crate::exif;
use crate::{ImageInfo, MediaError};

const KEEP_ANCILLARY: [&[u8; 4]; 14] = [
    b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"bKGD", b"pHYs", b"cICP", b"mDCV",
    b"cLLI", b"acTL", b"fcTL", b"fdAT",
];
/// Keywords under which ImageMagick and exiftool store raw EXIF in text chunks.
const EXIF_TEXT_KEYWORDS: [&[u8]; 2] = [b"Raw profile type exif\0", b"Raw profile type APP1\0"];

fn keep_chunk(kind: [u8; 4]) -> bool {
    // Bit 5 of the first byte clear = critical chunk.
    kind[0] & 0x20 == 0 || KEEP_ANCILLARY.iter().any(|k| **k == kind)
}

fn is_text(kind: [u8; 4]) -> bool {
    matches!(&kind, b"tEXt" | b"zTXt" | b"iTXt")
}

/// Bounds the parser's bookkeeping: far more chunks than a real file has (a big PNG has a few
/// thousand `IDAT` chunks, an APNG two per frame).
const MAX_CHUNKS: usize = 100_000;

fn parse(bytes: &[u8]) -> Result<Png, MediaError> {
    if chunk_headers(bytes).nth(MAX_CHUNKS).is_some() {
        return Err(MediaError::corrupt("PNG has too many chunks"));
    }
    let png = Png::from_bytes(Bytes::copy_from_slice(bytes))
        .map_err(|e| MediaError::corrupt(format!("PNG: {e}")))?;
    if png.chunks().last().map(|c| c.kind()) != Some(*b"IEND") {
        return Err(MediaError::corrupt("PNG is truncated"));
    }
    Ok(png)
}

/// Header facts and metadata findings.
pub(crate) fn info(bytes: &[u8]) -> Result<ImageInfo, MediaError> {
    let png = parse(bytes)?;
    if png.chunks().first().map(|c| c.kind()) != Some(*b"IHDR") {
        return Err(MediaError::corrupt("PNG does not start with IHDR"));
    }
    let (width, height) = png
        .dimensions()
        .ok_or_else(|| MediaError::corrupt("PNG header"))?;
    if width == 0 || height == 0 {
        return Err(MediaError::corrupt("PNG of zero size"));
    }
    let mut info = ImageInfo {
        width,
        height,
        ..ImageInfo::default()
    };
    for chunk in png.chunks() {
        let kind = chunk.kind();
        let contents: &[u8] = chunk.contents();
        if kind == *b"acTL" {
            info.animated = true;
        }
        if keep_chunk(kind) {
            continue;
        }
        info.has_metadata = true;
        if kind == *b"eXIf" {
            info.has_exif = true;
            let found = exif::parse(contents);
            info.has_gps |= found.has_gps;
            if info.orientation.is_none() {
                info.orientation = found.orientation;
            }
        } else if is_text(kind) {
            if EXIF_TEXT_KEYWORDS.iter().any(|k| contents.starts_with(k)) {
                info.has_exif = true;
            }
            info.has_gps |= exif::xmp_has_gps(contents);
        }
    }
    Ok(info)
}

/// Chunk types and content ranges, read from the headers only (no CRC check, contents may
/// be cut short at the end of the input); stops after `IEND` or at the first unreadable
/// header.
fn chunk_headers(bytes: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    let mut pos = Some(8usize);
    std::iter::from_fn(move || {
        let at = pos.take()?;
        let header = bytes.get(at..at.checked_add(8)?)?;
        let len = u32::from_be_bytes(header.get(..4)?.try_into().ok()?);
        let kind: [u8; 4] = header.get(4..8)?.try_into().ok()?;
        let start = at.checked_add(8)?;
        let end = start.checked_add(usize::try_from(len).ok()?)?;
        let contents = bytes.get(start..end.min(bytes.len()))?;
        if kind != *b"IEND" {
            pos = end.checked_add(4);
        }
        Some((kind, contents))
    })
}

/// Whether the file has an `eXIf` chunk or a text chunk holding raw EXIF. Reads chunk headers
/// only, so it also answers for damaged files.
pub(crate) fn has_exif(bytes: &[u8]) -> bool {
    chunk_headers(bytes).any(|(kind, contents)| {
        kind == *b"eXIf"
            || (is_text(kind) && EXIF_TEXT_KEYWORDS.iter().any(|k| contents.starts_with(k)))
    })
}

/// Drops metadata chunks; the image data is copied unchanged.
pub(crate) fn strip(bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
    let mut png = parse(bytes)?;
    png.chunks_mut().retain(|chunk| keep_chunk(chunk.kind()));
    let mut out = Vec::with_capacity(png.len());
    png.encoder()
        .write_to(&mut out)
        .map_err(|e| MediaError::Encode(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_list() {
        assert!(keep_chunk(*b"IHDR"));
        assert!(keep_chunk(*b"IDAT"));
        assert!(keep_chunk(*b"PLTE"));
        assert!(keep_chunk(*b"iCCP"));
        assert!(keep_chunk(*b"fdAT"));
        assert!(!keep_chunk(*b"eXIf"));
        assert!(!keep_chunk(*b"tEXt"));
        assert!(!keep_chunk(*b"iTXt"));
        assert!(!keep_chunk(*b"tIME"));
        assert!(!keep_chunk(*b"caBX"));
    }

    #[test]
    fn lenient_exif_probe_survives_garbage() {
        assert!(!has_exif(b"\x89PNG\r\n\x1a\n\xff\xff\xff\xffeXI"));
        assert!(has_exif(b"\x89PNG\r\n\x1a\n\0\0\0\x04eXIfII*\0"));
        assert!(!has_exif(b"\x89PNG"));
    }
}
