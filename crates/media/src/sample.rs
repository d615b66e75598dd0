//! Sample pictures made in code, for demo data and for the tests of other crates: a gradient
//! photo, and the same photo carrying an EXIF block with a GPS position (in Jerusalem), as a
//! phone would write it.

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};
use img_parts::jpeg::Jpeg;
use img_parts::{Bytes, ImageEXIF};

/// A `width`×`height` JPEG of a colour gradient tinted by `hue` (0–255).
pub fn photo(width: u32, height: u32, hue: u8) -> Vec<u8> {
    let (w, h) = (width.max(1), height.max(1));
    let img = RgbImage::from_fn(w, h, |x, y| {
        let fx = u8::try_from(x.saturating_mul(255) / w).unwrap_or(0);
        let fy = u8::try_from(y.saturating_mul(255) / h).unwrap_or(0);
        Rgb([fx, fy, hue])
    });
    let mut out = Vec::new();
    if JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&img)
        .is_err()
    {
        out.clear();
    }
    out
}

/// [`photo`] with an EXIF block naming the camera and a GPS latitude and longitude.
pub fn photo_with_location(width: u32, height: u32) -> Vec<u8> {
    let plain = photo(width, height, 128);
    let Ok(mut jpeg) = Jpeg::from_bytes(Bytes::from(plain.clone())) else {
        return plain;
    };
    jpeg.set_exif(Some(Bytes::from(exif_with_gps())));
    let mut out = Vec::new();
    if jpeg.encoder().write_to(&mut out).is_err() {
        return plain;
    }
    out
}

fn rational(n: u32, d: u32) -> Vec<u8> {
    n.to_le_bytes().into_iter().chain(d.to_le_bytes()).collect()
}

/// A little-endian TIFF block: IFD0 with Make and a GPS pointer, then the GPS IFD.
fn exif_with_gps() -> Vec<u8> {
    let make = b"KehillaPhone\0";
    // Header (8) + IFD0: count (2) + 2 entries (24) + next (4) = 38; Make's 13 bytes follow.
    let make_at: u32 = 38;
    let gps_at: u32 = make_at + 14;
    let mut out = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    out.extend(2u16.to_le_bytes());
    let mut entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        out.extend(tag.to_le_bytes());
        out.extend(kind.to_le_bytes());
        out.extend(count.to_le_bytes());
        out.extend(value);
    };
    entry(0x010F, 2, 13, make_at.to_le_bytes());
    entry(0x8825, 4, 1, gps_at.to_le_bytes());
    out.extend(0u32.to_le_bytes());
    out.extend(make);
    out.push(0);
    // GPS IFD: 5 entries; the two coordinates (24 bytes each) follow it.
    let table = 2 + 5 * 12 + 4;
    let lat_at = gps_at + table;
    let lon_at = lat_at + 24;
    out.extend(5u16.to_le_bytes());
    let mut gps = |tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        out.extend(tag.to_le_bytes());
        out.extend(kind.to_le_bytes());
        out.extend(count.to_le_bytes());
        out.extend(value);
    };
    gps(0x0000, 1, 4, [2, 3, 0, 0]);
    gps(0x0001, 2, 2, [b'N', 0, 0, 0]);
    gps(0x0002, 5, 3, lat_at.to_le_bytes());
    gps(0x0003, 2, 2, [b'E', 0, 0, 0]);
    gps(0x0004, 5, 3, lon_at.to_le_bytes());
    out.extend(0u32.to_le_bytes());
    for (n, d) in [(31, 1), (46, 1), (3612, 100), (35, 1), (13, 1), (4400, 100)] {
        out.extend(rational(n, d));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_carries_a_location_that_stripping_removes() {
        let p = photo_with_location(64, 48);
        let limits = crate::Limits::default();
        let info = crate::inspect(&p, &limits).ok();
        assert_eq!(info.as_ref().map(|i| i.has_gps), Some(true));
        let clean = crate::strip_metadata(&p, &limits).unwrap_or_default();
        assert!(!clean.is_empty() && !crate::has_exif(&clean));
        assert!(crate::has_exif(&p));
    }

    #[test]
    fn one_decode_gives_the_same_renditions_and_probe_agrees_with_inspect() {
        let p = photo(900, 300, 7);
        let limits = crate::Limits::default();
        let all = crate::render_all(&p, &crate::Profile::ALL, &limits).unwrap_or_default();
        assert_eq!(all.len(), crate::Profile::ALL.len());
        for (r, profile) in all.iter().zip(crate::Profile::ALL) {
            let one = crate::render(&p, profile, &limits).ok();
            assert_eq!(
                one.map(|o| (o.width, o.height, o.mime)),
                Some((r.width, r.height, r.mime))
            );
        }
        let a = crate::probe(&p, &limits).ok();
        let b = crate::inspect(&p, &limits).ok();
        assert_eq!(a, b);
        assert!(crate::probe(b"nonsense", &limits).is_err());
    }
}
