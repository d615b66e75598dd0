//! GIF: a block walk that drops comment extensions and application extensions other than
//! animation looping (`NETSCAPE2.0`, `ANIMEXTS1.0`) and colour (`ICCRGBG1012`) — XMP travels in
//! one of those — and anything after the trailer. GIF has no EXIF, so no re-encoding is ever
//! needed and the image data is copied unchanged.

use std::ops::Range;

use crate::exif;
use crate::{ImageInfo, MediaError};

const IMAGE: u8 = 0x2C;
const EXTENSION: u8 = 0x21;
const TRAILER: u8 = 0x3B;
const GRAPHIC_CONTROL: u8 = 0xF9;
const PLAIN_TEXT: u8 = 0x01;
const APPLICATION: u8 = 0xFF;
const KEEP_APPLICATIONS: [&[u8]; 3] = [b"NETSCAPE2.0", b"ANIMEXTS1.0", b"ICCRGBG1012"];
/// Bounds the walk's bookkeeping: far more blocks than any real animation has.
const MAX_BLOCKS: usize = 200_000;

/// Adds a kept range, merging it with the previous one when they touch.
fn keep(kept: &mut Vec<Range<usize>>, range: Range<usize>) {
    match kept.last_mut() {
        Some(last) if last.end == range.start => last.end = range.end,
        _ => kept.push(range),
    }
}

struct Walk {
    info: ImageInfo,
    /// Byte ranges of the input that make up the stripped file.
    kept: Vec<Range<usize>>,
    /// The file ended at a block boundary without its trailer byte.
    missing_trailer: bool,
}

fn truncated() -> MediaError {
    MediaError::corrupt("GIF is truncated")
}

fn u16_le(bytes: &[u8], pos: usize) -> Result<u16, MediaError> {
    let b: [u8; 2] = bytes
        .get(pos..pos.checked_add(2).ok_or_else(truncated)?)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(truncated)?;
    Ok(u16::from_le_bytes(b))
}

fn byte(bytes: &[u8], pos: usize) -> Result<u8, MediaError> {
    bytes.get(pos).copied().ok_or_else(truncated)
}

/// Skips a colour table announced by a packed field.
fn after_color_table(packed: u8, pos: usize) -> Result<usize, MediaError> {
    if packed & 0x80 == 0 {
        return Ok(pos);
    }
    let entries = 2usize << (packed & 0x07);
    pos.checked_add(entries.saturating_mul(3))
        .ok_or_else(truncated)
}

/// Skips data sub-blocks starting at `pos`; returns the position after the terminator.
fn after_sub_blocks(bytes: &[u8], mut pos: usize) -> Result<usize, MediaError> {
    loop {
        let len = byte(bytes, pos)?;
        pos = pos.checked_add(1).ok_or_else(truncated)?;
        if len == 0 {
            return Ok(pos);
        }
        pos = pos.checked_add(usize::from(len)).ok_or_else(truncated)?;
        if pos > bytes.len() {
            return Err(truncated());
        }
    }
}

fn walk(bytes: &[u8]) -> Result<Walk, MediaError> {
    let screen_w = u32::from(u16_le(bytes, 6)?);
    let screen_h = u32::from(u16_le(bytes, 8)?);
    let mut pos = after_color_table(byte(bytes, 10)?, 13)?;
    if pos > bytes.len() {
        return Err(truncated());
    }
    let mut kept: Vec<Range<usize>> = Vec::new();
    kept.push(0..pos);
    let mut info = ImageInfo::default();
    let (mut extent_w, mut extent_h) = (screen_w, screen_h);
    let mut frames = 0u32;
    let mut missing_trailer = false;
    let mut blocks = 0usize;
    loop {
        blocks = blocks.saturating_add(1);
        if blocks > MAX_BLOCKS {
            return Err(MediaError::corrupt("GIF has too many blocks"));
        }
        let Some(&block) = bytes.get(pos) else {
            missing_trailer = true;
            break;
        };
        let start = pos;
        match block {
            TRAILER => {
                keep(&mut kept, start..start.saturating_add(1));
                break;
            }
            IMAGE => {
                let left = u32::from(u16_le(bytes, start.saturating_add(1))?);
                let top = u32::from(u16_le(bytes, start.saturating_add(3))?);
                let w = u32::from(u16_le(bytes, start.saturating_add(5))?);
                let h = u32::from(u16_le(bytes, start.saturating_add(7))?);
                extent_w = extent_w.max(left.saturating_add(w));
                extent_h = extent_h.max(top.saturating_add(h));
                let packed = byte(bytes, start.saturating_add(9))?;
                // Colour table, then the LZW minimum code size byte, then the data.
                let lzw = after_color_table(packed, start.saturating_add(10))?;
                byte(bytes, lzw)?;
                pos = after_sub_blocks(bytes, lzw.saturating_add(1))?;
                frames = frames.saturating_add(1);
                keep(&mut kept, start..pos);
            }
            EXTENSION => {
                let label = byte(bytes, start.saturating_add(1))?;
                let data = start.saturating_add(2);
                pos = after_sub_blocks(bytes, data)?;
                let keep_block = match label {
                    GRAPHIC_CONTROL | PLAIN_TEXT => true,
                    APPLICATION => {
                        // The first sub-block holds the 8-byte identifier and 3-byte code.
                        let ident = bytes
                            .get(data.saturating_add(1)..data.saturating_add(12))
                            .unwrap_or_default();
                        KEEP_APPLICATIONS.contains(&ident)
                    }
                    _ => false,
                };
                if keep_block {
                    keep(&mut kept, start..pos);
                } else {
                    info.has_metadata = true;
                    info.has_gps |= exif::xmp_has_gps(bytes.get(start..pos).unwrap_or_default());
                }
            }
            _ => return Err(MediaError::corrupt("GIF block of unknown type")),
        }
    }
    if frames == 0 {
        return Err(MediaError::corrupt("GIF has no image"));
    }
    if bytes.len() > kept.last().map_or(0, |r| r.end) && !missing_trailer {
        info.has_metadata |= bytes
            .get(kept.last().map_or(0, |r| r.end)..)
            .is_some_and(|rest| rest.iter().any(|&b| b != 0));
    }
    info.width = if screen_w == 0 { extent_w } else { screen_w };
    info.height = if screen_h == 0 { extent_h } else { screen_h };
    if info.width == 0 || info.height == 0 {
        return Err(MediaError::corrupt("GIF of zero size"));
    }
    info.extent = Some((extent_w, extent_h));
    info.animated = frames > 1;
    Ok(Walk {
        info,
        kept,
        missing_trailer,
    })
}

/// Header facts and metadata findings.
pub(crate) fn info(bytes: &[u8]) -> Result<ImageInfo, MediaError> {
    walk(bytes).map(|w| w.info)
}

/// Copies the file without comments, foreign application extensions and trailing data.
pub(crate) fn strip(bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
    let walk = walk(bytes)?;
    let mut out = Vec::with_capacity(bytes.len());
    for range in walk.kept {
        out.extend_from_slice(bytes.get(range).unwrap_or_default());
    }
    if walk.missing_trailer {
        out.push(TRAILER);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1×1 GIF with a comment, an XMP application extension and a looping extension.
    fn sample() -> Vec<u8> {
        let mut g = b"GIF89a\x01\x00\x01\x00\x80\x00\x00".to_vec();
        g.extend([0, 0, 0, 255, 255, 255]); // global colour table, 2 entries
        g.extend(b"\x21\xFF\x0BNETSCAPE2.0\x03\x01\x00\x00\x00");
        g.extend(b"\x21\xFE\x06secret\x00");
        g.extend(b"\x21\xFF\x0BXMP DataXMP\x0BGPSLatitude\x00");
        g.extend(b"\x21\xF9\x04\x00\x00\x00\x00\x00");
        g.extend(b"\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00");
        g.push(TRAILER);
        g
    }

    #[test]
    fn strips_comment_and_xmp_keeps_loop() {
        let bytes = sample();
        let info = info(&bytes).unwrap();
        assert_eq!((info.width, info.height), (1, 1));
        assert!(info.has_metadata && info.has_gps);
        let out = strip(&bytes).unwrap();
        assert!(!exif::contains(&out, b"secret"));
        assert!(!exif::contains(&out, b"XMP"));
        assert!(exif::contains(&out, b"NETSCAPE2.0"));
        assert!(!super::info(&out).unwrap().has_metadata);
        assert!(out.ends_with(&[TRAILER]));
    }

    #[test]
    fn truncation_is_corrupt() {
        let bytes = sample();
        for cut in [7, 12, 20, 40, bytes.len() - 4] {
            assert_eq!(info(&bytes[..cut]).unwrap_err().code(), "media.corrupt");
        }
        // Only the trailer missing: accepted, and put back by strip.
        let out = strip(&bytes[..bytes.len() - 1]).unwrap();
        assert!(out.ends_with(&[0x00, TRAILER]));
    }
}
