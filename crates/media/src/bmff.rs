//! MP4 / MOV / 3GP (ISO base media file format): metadata boxes are neutralised in place.
//!
//! Sample data is addressed by absolute file offsets (`stco`/`co64`), so nothing may change
//! size or move. Instead, metadata boxes keep their size and become `free` boxes whose payload
//! is zeroed: `udta` (QuickTime `©xyz` location, 3GPP `loci`, iTunes tags, camera makers'
//! blocks), `meta` (Apple's `com.apple.quicktime.location.ISO6709` and other keys) and `uuid`
//! (XMP and vendor XML) at the top level, in `moov` and in every `moov/trak`. Existing
//! `free`/`skip` boxes at those levels are zeroed too, since editors leave old metadata in them.
//!
//! Not handled: timed metadata tracks whose samples live in `mdat` (GoPro GPMF GPS telemetry,
//! Google `camm`); they are detected and reported as `has_gps` but not removed.

use std::ops::Range;

use crate::MediaError;
use crate::exif;

/// What a walk of the box tree found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct VideoInfo {
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub has_metadata: bool,
    pub has_gps: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Top,
    Moov,
    Trak,
}

#[derive(Debug, Clone)]
struct BoxHeader {
    kind: [u8; 4],
    /// Position of the type field.
    type_at: usize,
    /// After size, type and largesize (not the `uuid` user type, which is payload for us).
    payload: Range<usize>,
}

#[derive(Debug, Default)]
struct Plan {
    info: VideoInfo,
    /// Boxes to turn into `free`: (type field position, payload to zero).
    neutralize: Vec<(usize, Range<usize>)>,
    saw_moov: bool,
    boxes: usize,
}

/// Markers of a position in metadata payloads.
const LOCATION_MARKERS: [&[u8]; 5] = [
    b"\xA9xyz",
    b"ISO6709",
    b"loci",
    b"GPSLatitude",
    b"GPSLongitude",
];
/// Bounds the walk's bookkeeping: far more boxes than a real file has at the walked levels
/// (a fragmented hour-long video has a few thousand top-level boxes).
const MAX_BOXES: usize = 100_000;

/// Sample entry types of timed GPS metadata tracks.
const TELEMETRY_MARKERS: [&[u8]; 2] = [b"gpmd", b"camm"];

fn corrupt(detail: &'static str) -> MediaError {
    MediaError::corrupt(detail)
}

fn be_u32(bytes: &[u8], pos: usize) -> Option<u32> {
    let b: [u8; 4] = bytes.get(pos..pos.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_be_bytes(b))
}

fn be_u64(bytes: &[u8], pos: usize) -> Option<u64> {
    let b: [u8; 8] = bytes.get(pos..pos.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_be_bytes(b))
}

/// Reads the header of the box at `pos`, which must end by `parent_end`.
fn read_box(bytes: &[u8], pos: usize, parent_end: usize) -> Result<BoxHeader, MediaError> {
    let size32 = be_u32(bytes, pos).ok_or_else(|| corrupt("box header cut short"))?;
    let type_at = pos.checked_add(4).ok_or_else(|| corrupt("overflow"))?;
    let kind: [u8; 4] = bytes
        .get(type_at..type_at.saturating_add(4))
        .and_then(|k| k.try_into().ok())
        .ok_or_else(|| corrupt("box header cut short"))?;
    let (size, header) = match size32 {
        0 => (parent_end.saturating_sub(pos), 8usize),
        1 => {
            let large = be_u64(bytes, pos.saturating_add(8))
                .ok_or_else(|| corrupt("box header cut short"))?;
            let large = usize::try_from(large).map_err(|_| corrupt("box larger than the file"))?;
            (large, 16)
        }
        n => (
            usize::try_from(n).map_err(|_| corrupt("box larger than the file"))?,
            8,
        ),
    };
    if size < header {
        return Err(corrupt("box smaller than its header"));
    }
    let end = pos
        .checked_add(size)
        .ok_or_else(|| corrupt("box larger than the file"))?;
    if end > parent_end {
        return Err(corrupt("box extends past its container (truncated file?)"));
    }
    Ok(BoxHeader {
        kind,
        type_at,
        payload: pos.saturating_add(header)..end,
    })
}

fn tkhd_size(bytes: &[u8], payload: &Range<usize>) -> Option<(u32, u32)> {
    let body = bytes.get(payload.clone())?;
    let at = match body.first()? {
        0 => 76,
        1 => 88,
        _ => return None,
    };
    let width = be_u32(body, at)? >> 16;
    let height = be_u32(body, at.checked_add(4)?)? >> 16;
    (width > 0 && height > 0).then_some((width, height))
}

fn scan_level(
    bytes: &[u8],
    range: Range<usize>,
    level: Level,
    plan: &mut Plan,
) -> Result<(), MediaError> {
    let mut pos = range.start;
    // Fewer than 8 bytes left cannot be a box: QuickTime ends some lists with a 32-bit zero.
    while range.end.saturating_sub(pos) >= 8 {
        plan.boxes = plan.boxes.saturating_add(1);
        if plan.boxes > MAX_BOXES {
            return Err(corrupt("too many boxes"));
        }
        let header = read_box(bytes, pos, range.end)?;
        let payload = bytes.get(header.payload.clone()).unwrap_or_default();
        match (&header.kind, level) {
            (b"udta" | b"meta" | b"uuid", _) => {
                plan.info.has_metadata |= !payload.is_empty();
                plan.info.has_gps |= LOCATION_MARKERS.iter().any(|m| exif::contains(payload, m));
                plan.neutralize
                    .push((header.type_at, header.payload.clone()));
            }
            // Editors leave old metadata behind in free space.
            (b"free" | b"skip", _) if payload.iter().any(|&b| b != 0) => {
                plan.info.has_metadata = true;
                plan.info.has_gps |= LOCATION_MARKERS.iter().any(|m| exif::contains(payload, m));
                plan.neutralize
                    .push((header.type_at, header.payload.clone()));
            }
            (b"moov", Level::Top) => {
                plan.saw_moov = true;
                scan_level(bytes, header.payload.clone(), Level::Moov, plan)?;
            }
            (b"trak", Level::Moov) => {
                plan.info.has_gps |= TELEMETRY_MARKERS.iter().any(|m| exif::contains(payload, m));
                scan_level(bytes, header.payload.clone(), Level::Trak, plan)?;
            }
            (b"tkhd", Level::Trak) => {
                if plan.info.width.is_none()
                    && let Some((w, h)) = tkhd_size(bytes, &header.payload)
                {
                    plan.info.width = Some(w);
                    plan.info.height = Some(h);
                }
            }
            _ => {}
        }
        pos = header.payload.end;
    }
    Ok(())
}

fn plan(bytes: &[u8]) -> Result<Plan, MediaError> {
    let mut plan = Plan::default();
    scan_level(bytes, 0..bytes.len(), Level::Top, &mut plan)?;
    if !plan.saw_moov {
        return Err(corrupt(
            "no movie header (moov) box: truncated or incomplete file",
        ));
    }
    Ok(plan)
}

/// Dimensions of the first visual track and metadata findings.
pub(crate) fn info(bytes: &[u8]) -> Result<VideoInfo, MediaError> {
    plan(bytes).map(|p| p.info)
}

/// A copy of the file with metadata boxes turned into zeroed `free` boxes of the same size.
pub(crate) fn strip(bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
    let plan = plan(bytes)?;
    let mut out = bytes.to_vec();
    for (type_at, payload) in plan.neutralize {
        if let Some(kind) = out.get_mut(type_at..type_at.saturating_add(4)) {
            kind.copy_from_slice(b"free");
        }
        if let Some(body) = out.get_mut(payload) {
            body.fill(0);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxed(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut out = u32::try_from(payload.len() + 8)
            .unwrap()
            .to_be_bytes()
            .to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(payload);
        out
    }

    #[test]
    fn largesize_and_size_zero() {
        let mut file = boxed(b"ftyp", b"isom\0\0\0\0isom");
        // moov with a 64-bit size holding a udta.
        let udta = boxed(b"udta", &boxed(b"\xA9xyz", b"+31.77+035.23/"));
        let mut moov = 1u32.to_be_bytes().to_vec();
        moov.extend_from_slice(b"moov");
        moov.extend_from_slice(&u64::try_from(16 + udta.len()).unwrap().to_be_bytes());
        moov.extend_from_slice(&udta);
        file.extend(moov);
        // mdat running to the end of the file.
        file.extend(0u32.to_be_bytes());
        file.extend_from_slice(b"mdat\x01\x02\x03");
        let info = info(&file).unwrap();
        assert!(info.has_metadata && info.has_gps);
        let out = strip(&file).unwrap();
        assert_eq!(out.len(), file.len());
        assert!(!exif::contains(&out, b"+31.77"));
        assert!(out.ends_with(b"mdat\x01\x02\x03"));
        let after = super::info(&out).unwrap();
        assert!(!after.has_metadata && !after.has_gps);
    }

    #[test]
    fn bad_sizes_are_corrupt() {
        let ftyp = boxed(b"ftyp", b"isom\0\0\0\0");
        for tail in [
            &b"\0\0\0\x04moov"[..],                            // smaller than its header
            b"\0\0\0\x40moov\0\0\0\0",                         // past the end
            b"\0\0\0\x01moov\xff\xff\xff\xff\xff\xff\xff\xff", // huge largesize
            b"\0\0\0\x01moov\0\0\0\0\0\0\0\x08",               // largesize below 16
        ] {
            let mut file = ftyp.clone();
            file.extend_from_slice(tail);
            assert_eq!(info(&file).unwrap_err().code(), "media.corrupt", "{tail:?}");
        }
        // No moov at all.
        assert_eq!(info(&ftyp).unwrap_err().code(), "media.corrupt");
    }

    #[test]
    fn telemetry_track_is_reported() {
        let mut file = boxed(b"ftyp", b"isom\0\0\0\0");
        let trak = boxed(b"trak", &boxed(b"mdia", b"....gpmd...."));
        file.extend(boxed(b"moov", &trak));
        assert!(info(&file).unwrap().has_gps);
    }
}
