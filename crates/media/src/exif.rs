//! Just enough of EXIF (a TIFF structure) and XMP to answer two questions: which way is the
//! picture turned, and does it carry a location. Every read is bounds-checked; a malformed
//! structure yields "don't know" rather than an error, because stripping removes it anyway.

/// The `Exif\0\0` prefix of the EXIF payload in JPEG APP1 (and sometimes in PNG/WebP).
pub(crate) const EXIF_PREFIX: &[u8] = b"Exif\0\0";

const TAG_ORIENTATION: u16 = 0x0112;
const TAG_GPS_IFD: u16 = 0x8825;
const TAG_GPS_VERSION: u16 = 0x0000;
/// An IFD with more entries than this is treated as garbage (real ones have a few dozen).
const MAX_IFD_ENTRIES: usize = 1024;

/// What the EXIF block says about orientation and location.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ExifInfo {
    /// The EXIF orientation (1..=8) when present and valid.
    pub orientation: Option<u8>,
    /// A GPS IFD with at least one tag beyond its version, or a GPS pointer that can't be
    /// followed (reported as present: better a false warning than a missed location).
    pub has_gps: bool,
}

/// Reads an EXIF payload, with or without the `Exif\0\0` prefix.
pub(crate) fn parse(data: &[u8]) -> ExifInfo {
    let tiff = data.strip_prefix(EXIF_PREFIX).unwrap_or(data);
    parse_tiff(tiff).unwrap_or_default()
}

#[derive(Clone, Copy)]
struct Tiff<'a> {
    data: &'a [u8],
    little: bool,
}

impl Tiff<'_> {
    fn u16_at(&self, off: usize) -> Option<u16> {
        let b: [u8; 2] = self.data.get(off..off.checked_add(2)?)?.try_into().ok()?;
        Some(if self.little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    }

    fn u32_at(&self, off: usize) -> Option<u32> {
        let b: [u8; 4] = self.data.get(off..off.checked_add(4)?)?.try_into().ok()?;
        Some(if self.little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    /// The entries of the IFD at `off`: (tag, type, value field offset).
    fn entries(&self, off: usize) -> Option<impl Iterator<Item = (u16, u16, usize)> + '_> {
        let count = usize::from(self.u16_at(off)?);
        if count > MAX_IFD_ENTRIES {
            return None;
        }
        let first = off.checked_add(2)?;
        let this = *self;
        Some((0..count).map_while(move |i| {
            let entry = first.checked_add(i.checked_mul(12)?)?;
            let tag = this.u16_at(entry)?;
            let kind = this.u16_at(entry.checked_add(2)?)?;
            Some((tag, kind, entry.checked_add(8)?))
        }))
    }
}

fn parse_tiff(data: &[u8]) -> Option<ExifInfo> {
    let little = match data.get(0..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let tiff = Tiff { data, little };
    if tiff.u16_at(2)? != 42 {
        return None;
    }
    let ifd0 = usize::try_from(tiff.u32_at(4)?).ok()?;
    let mut info = ExifInfo::default();
    for (tag, kind, value) in tiff.entries(ifd0)? {
        match tag {
            TAG_ORIENTATION => {
                let raw = match kind {
                    3 => tiff.u16_at(value).map(u32::from),
                    4 => tiff.u32_at(value),
                    _ => None,
                };
                info.orientation = raw
                    .and_then(|v| u8::try_from(v).ok())
                    .filter(|v| (1..=8).contains(v));
            }
            TAG_GPS_IFD => {
                let gps = tiff
                    .u32_at(value)
                    .and_then(|o| usize::try_from(o).ok())
                    .and_then(|o| tiff.entries(o));
                info.has_gps = match gps {
                    Some(mut entries) => entries.any(|(t, _, _)| t != TAG_GPS_VERSION),
                    None => true,
                };
            }
            _ => {}
        }
    }
    Some(info)
}

/// Whether an XMP packet (or any text that may hold one) names a GPS position.
pub(crate) fn xmp_has_gps(data: &[u8]) -> bool {
    contains(data, b"GPSLatitude") || contains(data, b"GPSLongitude")
}

/// Whether `needle` occurs in `hay`.
pub(crate) fn contains(hay: &[u8], needle: &[u8]) -> bool {
    find(hay, needle, 0).is_some()
}

/// The first position of `needle` in `hay` at or after `from`.
pub(crate) fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let first = *needle.first()?;
    let mut pos = from;
    loop {
        let rest = hay.get(pos..)?;
        let at = pos.checked_add(rest.iter().position(|&b| b == first)?)?;
        let end = at.checked_add(needle.len())?;
        if hay.get(at..end)? == needle {
            return Some(at);
        }
        pos = at.checked_add(1)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ifd(little: bool, entries: &[(u16, u16, u32, u32)]) -> Vec<u8> {
        let w16 = |v: u16| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let w32 = |v: u32| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let mut out = Vec::new();
        out.extend_from_slice(&w16(u16::try_from(entries.len()).unwrap()));
        for &(tag, kind, count, value) in entries {
            out.extend_from_slice(&w16(tag));
            out.extend_from_slice(&w16(kind));
            out.extend_from_slice(&w32(count));
            if kind == 3 {
                out.extend_from_slice(&w16(u16::try_from(value).unwrap()));
                out.extend_from_slice(&[0, 0]);
            } else {
                out.extend_from_slice(&w32(value));
            }
        }
        out.extend_from_slice(&w32(0));
        out
    }

    #[test]
    fn reads_orientation_and_gps_both_byte_orders() {
        for little in [true, false] {
            let mut tiff = if little {
                b"II\x2a\x00\x08\x00\x00\x00".to_vec()
            } else {
                b"MM\x00\x2a\x00\x00\x00\x08".to_vec()
            };
            // IFD0 at 8 with 2 entries = 2 + 24 + 4 = 30 bytes, GPS IFD at 38.
            tiff.extend(ifd(little, &[(0x0112, 3, 1, 6), (0x8825, 4, 1, 38)]));
            tiff.extend(ifd(little, &[(0, 1, 4, 0x0202_0000), (1, 2, 2, 0x4e)]));
            let info = parse(&tiff);
            assert_eq!(info.orientation, Some(6));
            assert!(info.has_gps);
        }
    }

    #[test]
    fn gps_ifd_with_only_a_version_is_no_location() {
        let mut tiff = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
        tiff.extend(ifd(true, &[(0x8825, 4, 1, 26)]));
        tiff.extend(ifd(true, &[(0, 1, 4, 0x0202_0000)]));
        assert!(!parse(&tiff).has_gps);
    }

    #[test]
    fn unreadable_gps_pointer_counts_as_location() {
        let mut tiff = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
        tiff.extend(ifd(true, &[(0x8825, 4, 1, 0xFFFF_FFF0)]));
        assert!(parse(&tiff).has_gps);
    }

    #[test]
    fn garbage_is_harmless() {
        assert_eq!(parse(b""), ExifInfo::default());
        assert_eq!(parse(b"Exif\0\0II*\0\xff\xff\xff\xff"), ExifInfo::default());
        assert_eq!(parse(b"MM\0*\0\0\0\x08\xff\xff"), ExifInfo::default());
    }

    #[test]
    fn find_works() {
        assert_eq!(find(b"abcabc", b"ca", 0), Some(2));
        assert_eq!(find(b"abcabc", b"abc", 1), Some(3));
        assert_eq!(find(b"abc", b"abcd", 0), None);
        assert_eq!(find(b"abc", b"", 0), None);
        assert_eq!(find(b"abc", b"c", 10), None);
    }
}
