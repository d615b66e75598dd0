//! JPEG: a marker walk over the whole file (headers, every scan, what follows the end), and
//! lossless metadata removal.
//!
//! Segments before the first scan are filtered with `img-parts`. `img-parts` keeps everything
//! after the first scan header as opaque data, so segments between scans (progressive files)
//! and data after the end-of-image marker (MPF secondary images, vendor trailers, each of which
//! can carry its own EXIF with GPS) are handled by the walk here: the former filtered like the
//! header, the latter dropped.

use std::ops::Range;

use img_parts::Bytes;
use img_parts::jpeg::{Jpeg, JpegSegment};

use crate::exif::{self, EXIF_PREFIX};
use crate::{ImageInfo, MediaError};

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const APP0: u8 = 0xE0;
const APP1: u8 = 0xE1;
const APP2: u8 = 0xE2;
const APP14: u8 = 0xEE;
const APP15: u8 = 0xEF;
const COM: u8 = 0xFE;

const JFIF: &[u8] = b"JFIF\0";
const ICC: &[u8] = b"ICC_PROFILE\0";
const ADOBE: &[u8] = b"Adobe";
const XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const XMP_EXTENSION: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";
/// The JFIF APP0 payload up to (not including) the thumbnail size bytes.
const JFIF_HEAD: usize = 12;
/// More segments than this is not a photo but an attempt to make the walk's bookkeeping
/// outgrow the file (real files have a few dozen, progressive ones a few hundred).
const MAX_SEGMENTS: usize = 4096;

/// One piece of a JPEG file, as positions in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// A marker segment with a length: `whole` starts at its `0xFF`, `payload` follows the
    /// length field.
    Segment {
        marker: u8,
        whole: Range<usize>,
        payload: Range<usize>,
    },
    /// Entropy-coded data after a scan header (restart markers included).
    Entropy(Range<usize>),
}

#[derive(Debug)]
struct Walk {
    pieces: Vec<Piece>,
    /// Position just after the end-of-image marker; `None` when the file ends before it.
    end: Option<usize>,
}

fn u16_be(bytes: &[u8], pos: usize) -> Option<u16> {
    let b: [u8; 2] = bytes.get(pos..pos.checked_add(2)?)?.try_into().ok()?;
    Some(u16::from_be_bytes(b))
}

/// Walks the marker structure up to the end-of-image marker.
fn walk(bytes: &[u8]) -> Result<Walk, &'static str> {
    if !bytes.starts_with(&[0xFF, SOI]) {
        return Err("missing start-of-image marker");
    }
    let mut pieces = Vec::new();
    let mut pos = 2usize;
    loop {
        // Bytes between segments that are not a marker are skipped, as decoders do.
        let Some(skip) = bytes
            .get(pos..)
            .and_then(|r| r.iter().position(|&b| b == 0xFF))
        else {
            return Ok(Walk { pieces, end: None });
        };
        pos = pos.checked_add(skip).ok_or("overflow")?;
        // Fill bytes: the marker is the first byte after the last 0xFF.
        while bytes.get(pos.checked_add(1).ok_or("overflow")?) == Some(&0xFF) {
            pos = pos.checked_add(1).ok_or("overflow")?;
        }
        let after_ff = pos.checked_add(1).ok_or("overflow")?;
        let Some(&marker) = bytes.get(after_ff) else {
            return Ok(Walk { pieces, end: None });
        };
        match marker {
            EOI => {
                let end = pos.checked_add(2).ok_or("overflow")?;
                return Ok(Walk {
                    pieces,
                    end: Some(end),
                });
            }
            SOI => return Err("start-of-image marker inside the image"),
            // Stuffed zero, restart and TEM markers carry no length.
            0x00 | 0x01 | 0xD0..=0xD7 => {
                pos = pos.checked_add(2).ok_or("overflow")?;
                continue;
            }
            // Reserved markers: decoders refuse them, and readers disagree on their length.
            0x02..=0xBF => return Err("reserved marker"),
            _ => {}
        }
        let len_at = pos.checked_add(2).ok_or("overflow")?;
        let Some(len) = u16_be(bytes, len_at) else {
            return Ok(Walk { pieces, end: None });
        };
        if len < 2 {
            return Err("segment length below 2");
        }
        let payload_start = len_at.checked_add(2).ok_or("overflow")?;
        let seg_end = len_at.checked_add(usize::from(len)).ok_or("overflow")?;
        if seg_end > bytes.len() {
            return Ok(Walk { pieces, end: None });
        }
        if pieces.len() >= MAX_SEGMENTS {
            return Err("too many segments");
        }
        pieces.push(Piece::Segment {
            marker,
            whole: pos..seg_end,
            payload: payload_start..seg_end,
        });
        pos = seg_end;
        if marker == SOS {
            let start = pos;
            let marker_at = entropy_end(bytes, start);
            pieces.push(Piece::Entropy(start..marker_at));
            pos = marker_at;
        }
    }
}

/// The position of the first real marker after entropy-coded data starting at `start`
/// (or the end of the input).
fn entropy_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while let Some(off) = bytes
        .get(i..)
        .and_then(|r| r.iter().position(|&b| b == 0xFF))
    {
        let ff = i.saturating_add(off);
        match bytes.get(ff.saturating_add(1)) {
            None => return bytes.len(),
            Some(0x00 | 0xD0..=0xD7) => i = ff.saturating_add(2),
            Some(0xFF) => i = ff.saturating_add(1),
            Some(_) => return ff,
        }
    }
    bytes.len()
}

fn is_sof(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// Whether a segment is part of the picture (kept by stripping) rather than metadata.
fn keep_segment(marker: u8, payload: &[u8]) -> bool {
    match marker {
        APP0 => payload.starts_with(JFIF),
        APP2 => payload.starts_with(ICC),
        APP14 => payload.starts_with(ADOBE),
        APP0..=APP15 | COM => false,
        _ => true,
    }
}

/// A JFIF APP0 payload without its embedded thumbnail, when it has one.
fn jfif_without_thumbnail(payload: &[u8]) -> Option<Vec<u8>> {
    let head = payload.get(..JFIF_HEAD)?;
    let thumb_size = payload.get(JFIF_HEAD..JFIF_HEAD.checked_add(2)?)?;
    if thumb_size == [0, 0] && payload.len() == JFIF_HEAD.checked_add(2)? {
        return None;
    }
    let mut out = head.to_vec();
    out.extend_from_slice(&[0, 0]);
    Some(out)
}

/// Header facts and metadata findings.
pub(crate) fn info(bytes: &[u8]) -> Result<ImageInfo, MediaError> {
    let walk = walk(bytes).map_err(MediaError::corrupt)?;
    let Some(end) = walk.end else {
        return Err(MediaError::corrupt("JPEG is truncated"));
    };
    let mut info = ImageInfo::default();
    let mut size = None;
    let mut scans = 0usize;
    for piece in &walk.pieces {
        let Piece::Segment {
            marker, payload, ..
        } = piece
        else {
            continue;
        };
        let marker = *marker;
        let payload = bytes.get(payload.clone()).unwrap_or_default();
        if is_sof(marker) && size.is_none() {
            let height = u16_be(payload, 1).ok_or_else(|| MediaError::corrupt("short frame"))?;
            let width = u16_be(payload, 3).ok_or_else(|| MediaError::corrupt("short frame"))?;
            size = Some((u32::from(width), u32::from(height)));
        }
        if marker == SOS {
            scans = scans.saturating_add(1);
        }
        if keep_segment(marker, payload) {
            if marker == APP0 && jfif_without_thumbnail(payload).is_some() {
                info.has_metadata = true;
            }
            continue;
        }
        info.has_metadata = true;
        if marker == APP1 && payload.starts_with(EXIF_PREFIX) {
            info.has_exif = true;
            let found = exif::parse(payload);
            info.has_gps |= found.has_gps;
            if info.orientation.is_none() {
                info.orientation = found.orientation;
            }
        } else if marker == APP1 && (payload.starts_with(XMP) || payload.starts_with(XMP_EXTENSION))
        {
            info.has_gps |= exif::xmp_has_gps(payload);
        }
    }
    let trailer = bytes.get(end..).unwrap_or_default();
    if trailer.iter().any(|&b| b != 0) {
        info.has_metadata = true;
        let (has_exif, has_gps) = scan_blob(trailer);
        info.has_exif |= has_exif;
        info.has_gps |= has_gps;
    }
    let Some((width, height)) = size else {
        return Err(MediaError::corrupt("JPEG has no frame header"));
    };
    if width == 0 || height == 0 {
        return Err(MediaError::corrupt("JPEG frame of zero size"));
    }
    if scans == 0 {
        return Err(MediaError::corrupt("JPEG has no scan"));
    }
    info.width = width;
    info.height = height;
    Ok(info)
}

/// Looks for EXIF blocks (and GPS in them or in XMP) in opaque data such as an embedded
/// secondary image: (has EXIF, has GPS).
fn scan_blob(blob: &[u8]) -> (bool, bool) {
    const MAX_BLOCKS: usize = 16;
    let mut has_exif = false;
    let mut has_gps = exif::xmp_has_gps(blob);
    let mut from = 0;
    for _ in 0..MAX_BLOCKS {
        let Some(at) = exif::find(blob, EXIF_PREFIX, from) else {
            break;
        };
        has_exif = true;
        has_gps |= exif::parse(blob.get(at..).unwrap_or_default()).has_gps;
        from = at.saturating_add(1);
    }
    (has_exif, has_gps)
}

/// Whether the file holds EXIF anywhere: an APP1 `Exif` segment, or an EXIF block in data
/// after the image. Unparseable files fall back to a plain search for the EXIF prefix.
pub(crate) fn has_exif(bytes: &[u8]) -> bool {
    match walk(bytes) {
        Ok(walk) => {
            let in_segments = walk.pieces.iter().any(|piece| {
                matches!(piece, Piece::Segment { marker: APP1, payload, .. }
                    if bytes.get(payload.clone()).is_some_and(|p| p.starts_with(EXIF_PREFIX)))
            });
            let in_trailer = walk
                .end
                .and_then(|end| bytes.get(end..))
                .is_some_and(|t| exif::contains(t, EXIF_PREFIX));
            in_segments || in_trailer
        }
        Err(_) => exif::contains(bytes, EXIF_PREFIX),
    }
}

/// Removes EXIF, XMP, IPTC, comments and every other application segment except JFIF (without
/// its thumbnail), the ICC profile and the Adobe colour-transform marker. Everything after the
/// end-of-image marker is dropped. The compressed picture is copied byte for byte.
pub(crate) fn strip(bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
    let walk = walk(bytes).map_err(MediaError::corrupt)?;
    if walk.end.is_none() {
        return Err(MediaError::corrupt("JPEG is truncated"));
    }
    let sos_index = walk
        .pieces
        .iter()
        .position(|p| matches!(p, Piece::Segment { marker: SOS, .. }))
        .ok_or_else(|| MediaError::corrupt("JPEG has no scan"))?;
    let Some(Piece::Segment {
        payload: sos_payload,
        ..
    }) = walk.pieces.get(sos_index)
    else {
        return Err(MediaError::corrupt("JPEG has no scan"));
    };

    // Everything after the first scan header: entropy data and the segments between scans,
    // filtered, then the end-of-image marker.
    let mut tail = Vec::new();
    for piece in walk.pieces.iter().skip(sos_index.saturating_add(1)) {
        match piece {
            Piece::Entropy(range) => {
                tail.extend_from_slice(bytes.get(range.clone()).unwrap_or_default());
            }
            Piece::Segment {
                marker,
                whole,
                payload,
            } => {
                let content = bytes.get(payload.clone()).unwrap_or_default();
                if keep_segment(*marker, content) {
                    tail.extend_from_slice(bytes.get(whole.clone()).unwrap_or_default());
                }
            }
        }
    }
    tail.extend_from_slice(&[0xFF, EOI]);

    // The header, up to and including the first scan header, goes through img-parts. An
    // end-of-image marker stands in for the scan data, which is put back afterwards.
    let mut head = bytes
        .get(..sos_payload.end)
        .ok_or_else(|| MediaError::corrupt("JPEG scan header out of range"))?
        .to_vec();
    head.extend_from_slice(&[0xFF, EOI]);
    let mut jpeg = Jpeg::from_bytes(Bytes::from(head))
        .map_err(|e| MediaError::corrupt(format!("JPEG header: {e}")))?;

    // Both readers must see the same segments, or something could hide from one of them.
    let ours = walk
        .pieces
        .iter()
        .take(sos_index.saturating_add(1))
        .filter_map(|piece| match piece {
            Piece::Segment {
                marker, payload, ..
            } => Some((*marker, bytes.get(payload.clone()).unwrap_or_default())),
            Piece::Entropy(_) => None,
        });
    let theirs = jpeg
        .segments()
        .iter()
        .map(|segment| (segment.marker(), segment.contents().as_ref()));
    if !ours.eq(theirs) {
        return Err(MediaError::corrupt("JPEG structure is ambiguous"));
    }

    let mut kept = Vec::with_capacity(jpeg.segments().len());
    for segment in jpeg.segments() {
        let marker = segment.marker();
        if marker == SOS {
            kept.push(JpegSegment::new_with_entropy(
                SOS,
                segment.contents().clone(),
                Bytes::from(std::mem::take(&mut tail)),
            ));
            break;
        }
        if !keep_segment(marker, segment.contents()) {
            continue;
        }
        match (marker, jfif_without_thumbnail(segment.contents())) {
            (APP0, Some(jfif)) => kept.push(JpegSegment::new_with_contents(APP0, jfif.into())),
            _ => kept.push(segment.clone()),
        }
    }
    *jpeg.segments_mut() = kept;
    let mut out = Vec::with_capacity(jpeg.len());
    jpeg.encoder()
        .write_to(&mut out)
        .map_err(|e| MediaError::Encode(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut out = vec![0xFF, marker];
        out.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
        out.extend_from_slice(payload);
        out
    }

    /// A structurally valid (not decodable) JPEG with two scans and a comment between them.
    fn skeleton() -> Vec<u8> {
        let mut out = vec![0xFF, SOI];
        out.extend(segment(APP0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        out.extend(segment(APP1, b"Exif\0\0II*\0\x08\0\0\0\0\0"));
        out.extend(segment(0xC2, &[8, 0, 16, 0, 32, 1, 1, 0x11, 0]));
        out.extend(segment(SOS, &[1, 1, 0, 0, 63, 0]));
        out.extend([0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        out.extend(segment(COM, b"secret"));
        out.extend(segment(SOS, &[1, 1, 0, 0, 63, 0]));
        out.extend([0x78, 0xFF, 0xFF, 0xD9]);
        out.extend(b"trailer with Exif\0\0MM\0*");
        out
    }

    #[test]
    fn walk_finds_scans_and_trailer() {
        let bytes = skeleton();
        let walk = walk(&bytes).unwrap();
        let markers: Vec<u8> = walk
            .pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Segment { marker, .. } => Some(*marker),
                Piece::Entropy(_) => None,
            })
            .collect();
        assert_eq!(markers, [APP0, APP1, 0xC2, SOS, COM, SOS]);
        assert!(walk.end.unwrap() < bytes.len());
        let info = info(&bytes).unwrap();
        assert_eq!((info.width, info.height), (32, 16));
        assert!(info.has_metadata && info.has_exif);
        assert!(has_exif(&bytes));
    }

    #[test]
    fn strip_filters_between_scans_and_drops_trailer() {
        let bytes = skeleton();
        let out = strip(&bytes).unwrap();
        assert!(!has_exif(&out));
        assert!(!exif::contains(&out, b"secret"));
        assert!(!exif::contains(&out, b"trailer"));
        assert!(out.ends_with(&[0x78, 0xFF, 0xFF, 0xD9]));
        let info = info(&out).unwrap();
        assert!(!info.has_metadata);
        // Stripping is idempotent.
        assert_eq!(strip(&out).unwrap(), out);
    }

    #[test]
    fn truncation_is_corrupt() {
        let bytes = skeleton();
        for cut in [3, 10, 40, 60] {
            assert_eq!(info(&bytes[..cut]).unwrap_err().code(), "media.corrupt");
            assert_eq!(strip(&bytes[..cut]).unwrap_err().code(), "media.corrupt");
        }
    }
}
