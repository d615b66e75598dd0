//! WebP: chunk-level metadata removal with `img-parts`. Kept: the bitstreams (`VP8 `, `VP8L`,
//! `ALPH`), animation (`ANIM`, `ANMF`), the ICC profile and the `VP8X` header, whose EXIF and
//! XMP flags are cleared. Dropped: `EXIF`, `XMP ` and unknown chunks.

use img_parts::Bytes;
use img_parts::riff::{RiffChunk, RiffContent};
use img_parts::webp::WebP;

use crate::exif;
use crate::{ImageInfo, MediaError};

const KEEP: [&[u8; 4]; 7] = [
    b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP",
];
const FLAG_EXIF: u8 = 0b0000_1000;
const FLAG_XMP: u8 = 0b0000_0100;

fn keep_chunk(id: [u8; 4]) -> bool {
    KEEP.iter().any(|k| **k == id)
}

/// Bounds the parser's bookkeeping: far more chunks than a real file has (an animation has
/// one per frame).
const MAX_CHUNKS: usize = 100_000;

fn parse(bytes: &[u8]) -> Result<WebP, MediaError> {
    if chunk_ids(bytes).nth(MAX_CHUNKS).is_some() {
        return Err(MediaError::corrupt("WebP has too many chunks"));
    }
    // WebP never nests lists; the parser would walk into them.
    if chunk_ids(bytes).any(|id| matches!(&id, b"LIST" | b"RIFF")) {
        return Err(MediaError::corrupt("WebP with a nested list"));
    }
    WebP::from_bytes(Bytes::copy_from_slice(bytes))
        .map_err(|e| MediaError::corrupt(format!("WebP: {e}")))
}

/// Header facts and metadata findings.
pub(crate) fn info(bytes: &[u8]) -> Result<ImageInfo, MediaError> {
    let webp = parse(bytes)?;
    let (width, height) = webp
        .dimensions()
        .ok_or_else(|| MediaError::corrupt("WebP header"))?;
    if width == 0 || height == 0 {
        return Err(MediaError::corrupt("WebP of zero size"));
    }
    let mut info = ImageInfo {
        width,
        height,
        ..ImageInfo::default()
    };
    for chunk in webp.chunks() {
        let id = chunk.id();
        if matches!(&id, b"ANIM" | b"ANMF") {
            info.animated = true;
        }
        if keep_chunk(id) {
            continue;
        }
        info.has_metadata = true;
        let data: &[u8] = chunk
            .content()
            .data()
            .map(|d| d.as_ref())
            .unwrap_or_default();
        match &id {
            b"EXIF" => {
                info.has_exif = true;
                let found = exif::parse(data);
                info.has_gps |= found.has_gps;
                if info.orientation.is_none() {
                    info.orientation = found.orientation;
                }
            }
            _ => info.has_gps |= exif::xmp_has_gps(data),
        }
    }
    Ok(info)
}

/// Top-level chunk ids, read from the headers only; stops at the first unreadable header.
fn chunk_ids(bytes: &[u8]) -> impl Iterator<Item = [u8; 4]> {
    let mut pos = Some(12usize);
    std::iter::from_fn(move || {
        let at = pos.take()?;
        let header = bytes.get(at..at.checked_add(8)?)?;
        let id: [u8; 4] = header.get(..4)?.try_into().ok()?;
        let len = u32::from_le_bytes(header.get(4..8)?.try_into().ok()?);
        let padded = usize::try_from(u64::from(len).saturating_add(u64::from(len & 1))).ok()?;
        pos = at.checked_add(8)?.checked_add(padded);
        Some(id)
    })
}

/// Whether the file has an `EXIF` chunk. Reads chunk headers only, so it also answers for
/// damaged files.
pub(crate) fn has_exif(bytes: &[u8]) -> bool {
    chunk_ids(bytes).any(|id| id == *b"EXIF")
}

/// Drops metadata chunks and clears the matching `VP8X` flags; the bitstreams are copied
/// unchanged.
pub(crate) fn strip(bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
    let mut webp = parse(bytes)?;
    webp.chunks_mut().retain(|chunk| keep_chunk(chunk.id()));
    for chunk in webp.chunks_mut() {
        if chunk.id() != *b"VP8X" {
            continue;
        }
        if let Some(data) = chunk.content().data() {
            let mut flags = data.to_vec();
            if let Some(first) = flags.first_mut() {
                *first &= !(FLAG_EXIF | FLAG_XMP);
            }
            *chunk = RiffChunk::new(*b"VP8X", RiffContent::Data(Bytes::from(flags)));
        }
    }
    let mut out = Vec::with_capacity(usize::try_from(webp.len()).unwrap_or_default());
    webp.encoder()
        .write_to(&mut out)
        .map_err(|e| MediaError::Encode(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_list() {
        assert!(keep_chunk(*b"VP8 "));
        assert!(keep_chunk(*b"ICCP"));
        assert!(!keep_chunk(*b"EXIF"));
        assert!(!keep_chunk(*b"XMP "));
    }

    #[test]
    fn lenient_exif_probe() {
        assert!(has_exif(b"RIFF\0\0\0\0WEBPVP8X\x01\0\0\0\0\0EXIF\0\0\0\0"));
        assert!(!has_exif(b"RIFF\0\0\0\0WEBPVP8X\xff\xff\xff\xff"));
        assert!(!has_exif(b"RIFF"));
    }
}
