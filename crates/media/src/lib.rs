//! Media pipeline for Kehilla: checks uploads, removes metadata, makes renditions per network.
//!
//! A nonprofit posts photos of the people it serves. A phone photo carries the place it was
//! taken (EXIF GPS) and often much more (camera serial, owner name, editing history, an
//! uncropped thumbnail); a phone video carries its location in QuickTime boxes. This crate
//! removes all of that by default and never lets an upload crash or exhaust the server:
//!
//! * [`inspect`] identifies the file by its magic bytes (never by its name or declared type),
//!   reads the dimensions from the header and refuses oversized pictures *before* decoding
//!   ([`MediaError::TooManyPixels`]), then decodes under an allocation cap to make sure the
//!   picture is whole. It reports whether metadata, and a location in particular, is present.
//! * [`strip_metadata`] removes metadata losslessly (JPEG, PNG, WebP, GIF: the compressed
//!   picture is copied byte for byte; MP4/MOV: metadata boxes are blanked in place). A photo
//!   whose EXIF orientation is not "upright" is decoded, turned and re-encoded instead, so that
//!   removing the orientation tag does not turn it sideways.
//! * [`render`] makes the picture a network expects ([`Profile`]): upright, downscaled (never
//!   upscaled), cropped to Instagram's ratios, JPEG (PNG when transparent), within a byte
//!   budget, without metadata.
//! * [`has_exif`] answers whether EXIF is present, for tests and the UI.
//!
//! Every error is a [`MediaError`] with a stable [`MediaError::code`]. The crate does no I/O:
//! bytes in, bytes out.
//!
//! Known limits: WebM is passed through unchanged (its tags are not inspected or removed);
//! timed GPS tracks in MP4 (GoPro GPMF, `camm`) are reported as `has_gps` but not removed;
//! animated WebP/APNG with an EXIF orientation are stripped without applying it (re-encoding
//! would lose the animation); renditions of animated images use the first frame; colour
//! profiles are kept (not converted to sRGB).

mod bmff;
mod error;
mod exif;
mod gif;
mod jpeg;
mod png;
mod raster;
pub mod sample;
mod sniff;
mod webp;

use serde::{Deserialize, Serialize};

pub use error::MediaError;

use sniff::Format;

/// What an upload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// JPEG, PNG, WebP or GIF.
    Image,
    /// MP4, MOV, 3GP or WebM.
    Video,
}

/// Resource limits for untrusted uploads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest accepted file, in bytes.
    pub max_bytes: usize,
    /// Most pixels (width × height) a picture may claim.
    pub max_pixels: u64,
    /// Longest side a picture may claim.
    pub max_dimension: u32,
    /// Cap on what a decoder may allocate, in bytes.
    pub max_alloc: u64,
}

impl Default for Limits {
    /// 100 MiB files, 50 megapixels, 12 000 pixels a side, 512 MiB for a decoder.
    fn default() -> Self {
        Limits {
            max_bytes: 100 * 1024 * 1024,
            max_pixels: 50_000_000,
            max_dimension: 12_000,
            max_alloc: 512 * 1024 * 1024,
        }
    }
}

/// What [`inspect`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Inspected {
    /// Picture or video.
    pub kind: Kind,
    /// MIME type from the content, e.g. `"image/jpeg"`, `"video/quicktime"`.
    pub mime: &'static str,
    /// Width in pixels as stored (before any EXIF rotation); for videos, of the first visual
    /// track when known.
    pub width: Option<u32>,
    /// Height in pixels as stored; see `width`.
    pub height: Option<u32>,
    /// Metadata that [`strip_metadata`] would remove is present: EXIF, XMP, IPTC, comments,
    /// text chunks, vendor blocks, MP4 `udta`/`meta` boxes… Always `false` for WebM, which is
    /// not inspected.
    pub has_metadata: bool,
    /// A location was found: an EXIF GPS block, GPS coordinates in XMP, a QuickTime/3GPP
    /// location, or a GPS telemetry track.
    pub has_gps: bool,
}

/// A picture made for a purpose by [`render`].
#[derive(Clone, PartialEq, Eq)]
pub struct Rendition {
    /// The encoded picture.
    pub bytes: Vec<u8>,
    /// `"image/jpeg"` or, for a picture with transparency, `"image/png"`.
    pub mime: &'static str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl std::fmt::Debug for Rendition {
    /// Shows the length of the bytes, not the bytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rendition")
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .field("mime", &self.mime)
            .field("width", &self.width)
            .field("height", &self.height)
            .finish()
    }
}

/// The renditions Kehilla makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// Previews in Kehilla's own pages: within 320 × 320.
    Thumb,
    /// For X, Bluesky, Mastodon, Telegram, Facebook and LinkedIn: within 2048 × 2048 and at
    /// most 1 000 000 bytes, Bluesky's limit (quality is lowered step by step down to 60,
    /// then the picture is made smaller).
    Large,
    /// For Instagram: at most 1080 wide, centre-cropped to an aspect ratio between 4:5 and
    /// 1.91:1.
    Instagram,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 3] = [Profile::Thumb, Profile::Large, Profile::Instagram];

    /// A stable name, e.g. for storage paths: `"thumb"`, `"large"`, `"instagram"`.
    pub fn key(&self) -> &'static str {
        match self {
            Profile::Thumb => "thumb",
            Profile::Large => "large",
            Profile::Instagram => "instagram",
        }
    }

    /// The profile with this [`Profile::key`].
    pub fn from_key(key: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The most bytes a rendition may have, if the destination sets a limit.
    pub fn max_bytes(&self) -> Option<usize> {
        match self {
            Profile::Thumb => None,
            Profile::Large => Some(1_000_000),
            Profile::Instagram => Some(8_000_000),
        }
    }
}

/// What the container walk of a picture found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ImageInfo {
    pub width: u32,
    pub height: u32,
    /// The area a decoder may have to allocate when larger than width × height (GIF frames
    /// reaching past the logical screen).
    pub extent: Option<(u32, u32)>,
    pub has_metadata: bool,
    pub has_gps: bool,
    pub has_exif: bool,
    /// EXIF orientation (1..=8), if present.
    pub orientation: Option<u8>,
    pub animated: bool,
}

impl ImageInfo {
    fn needs_rotation(&self) -> bool {
        self.orientation.is_some_and(|o| o != 1)
    }
}

fn check_size(bytes: &[u8], limits: &Limits) -> Result<(), MediaError> {
    if bytes.len() > limits.max_bytes {
        return Err(MediaError::TooLarge {
            size: bytes.len(),
            max: limits.max_bytes,
        });
    }
    Ok(())
}

pub(crate) fn check_pixels(width: u32, height: u32, limits: &Limits) -> Result<(), MediaError> {
    let pixels = u64::from(width).saturating_mul(u64::from(height));
    if width > limits.max_dimension || height > limits.max_dimension || pixels > limits.max_pixels {
        return Err(MediaError::TooManyPixels { width, height });
    }
    Ok(())
}

/// Reads a picture's container (no pixel decoding) and applies the pixel limits.
fn image_info(bytes: &[u8], format: Format, limits: &Limits) -> Result<ImageInfo, MediaError> {
    let info = match format {
        Format::Jpeg => jpeg::info(bytes)?,
        Format::Png => png::info(bytes)?,
        Format::WebP => webp::info(bytes)?,
        Format::Gif => gif::info(bytes)?,
        Format::Bmff(_) | Format::WebM => return Err(MediaError::NotAnImage),
    };
    check_pixels(info.width, info.height, limits)?;
    if let Some((w, h)) = info.extent {
        check_pixels(w, h, limits)?;
    }
    Ok(info)
}

/// Identifies an upload by its magic bytes and checks it: JPEG, PNG, WebP and GIF pictures;
/// MP4/MOV/3GP (ISO BMFF with a video brand) and WebM videos.
///
/// A picture's dimensions are read from its header and checked against `limits` before any
/// decoding, so a decompression bomb is refused cheaply; then it is decoded (under
/// [`Limits::max_alloc`]) to make sure it is whole. A video's box structure is walked with
/// checked sizes. WebM is recognised but not inspected (`has_metadata` is `false`).
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<Inspected, MediaError> {
    check_size(bytes, limits)?;
    let format = sniff::sniff(bytes)?;
    let kind = format.kind();
    let mime = format.mime();
    match format {
        Format::Jpeg | Format::Png | Format::WebP | Format::Gif => {
            let info = image_info(bytes, format, limits)?;
            raster::decode(bytes, format, &info, limits)?;
            Ok(Inspected {
                kind,
                mime,
                width: Some(info.width),
                height: Some(info.height),
                has_metadata: info.has_metadata,
                has_gps: info.has_gps,
            })
        }
        Format::Bmff(_) => {
            let info = bmff::info(bytes)?;
            Ok(Inspected {
                kind,
                mime,
                width: info.width,
                height: info.height,
                has_metadata: info.has_metadata,
                has_gps: info.has_gps,
            })
        }
        Format::WebM => Ok(Inspected {
            kind,
            mime,
            width: None,
            height: None,
            has_metadata: false,
            has_gps: false,
        }),
    }
}

/// Removes metadata, keeping the picture as it looks.
///
/// * JPEG, PNG, WebP: EXIF, XMP, IPTC, comments, text chunks and vendor blocks are dropped
///   losslessly; the ICC colour profile is kept. If the EXIF orientation is not 1, the picture
///   is decoded, turned upright and re-encoded instead (JPEG at quality 88, PNG, lossless
///   WebP), except for animations, which are stripped without turning.
/// * GIF: comment and foreign application extensions (XMP) are dropped; the image data is
///   copied unchanged.
/// * MP4/MOV/3GP: `udta`, `meta` and `uuid` boxes at the top level, in `moov` and in each
///   `moov/trak` become zeroed `free` boxes of the same size, so every sample offset stays
///   valid and the output has the input's length.
/// * WebM: returned unchanged (not handled).
///
/// The structure is checked and the pixel limits applied, but a picture is only decoded when
/// it has to be turned: call [`inspect`] first to know it is whole.
pub fn strip_metadata(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, MediaError> {
    check_size(bytes, limits)?;
    let format = sniff::sniff(bytes)?;
    let stripped = strip_format(bytes, format, limits)?;
    // Read the result back as an upload: whatever the input did, nothing removable may be
    // left (a file that confuses the walk is refused rather than passed on).
    let leftover = match format {
        Format::Jpeg => jpeg::info(&stripped)?.has_metadata,
        Format::Png => png::info(&stripped)?.has_metadata,
        Format::WebP => webp::info(&stripped)?.has_metadata,
        Format::Gif => gif::info(&stripped)?.has_metadata,
        Format::Bmff(_) => bmff::info(&stripped)?.has_metadata,
        Format::WebM => false,
    };
    if leftover {
        return Err(MediaError::corrupt("metadata could not be removed"));
    }
    Ok(stripped)
}

fn strip_format(bytes: &[u8], format: Format, limits: &Limits) -> Result<Vec<u8>, MediaError> {
    match format {
        Format::Jpeg | Format::Png | Format::WebP => {
            let info = image_info(bytes, format, limits)?;
            if info.needs_rotation() && !info.animated {
                let decoded = raster::decode(bytes, format, &info, limits)?;
                return raster::reencode(decoded, format);
            }
            match format {
                Format::Jpeg => jpeg::strip(bytes),
                Format::Png => png::strip(bytes),
                _ => webp::strip(bytes),
            }
        }
        Format::Gif => {
            image_info(bytes, format, limits)?;
            gif::strip(bytes)
        }
        Format::Bmff(_) => bmff::strip(bytes),
        Format::WebM => Ok(bytes.to_vec()),
    }
}

/// Makes the rendition of a picture for `profile`: decoded under `limits`, turned upright,
/// cropped (Instagram), downscaled with Lanczos3 to fit (never upscaled), encoded as JPEG at
/// quality 85 — or PNG when the picture has transparency — without metadata (the ICC colour
/// profile is kept when small), and within [`Profile::max_bytes`].
///
/// Videos give [`MediaError::NotAnImage`].
pub fn render(bytes: &[u8], profile: Profile, limits: &Limits) -> Result<Rendition, MediaError> {
    check_size(bytes, limits)?;
    let format = sniff::sniff(bytes)?;
    if format.kind() != Kind::Image {
        return Err(MediaError::NotAnImage);
    }
    let info = image_info(bytes, format, limits)?;
    let decoded = raster::decode(bytes, format, &info, limits)?;
    raster::render(decoded, profile)
}

/// [`render`] for several profiles at once: the picture is decoded once, not once per profile.
pub fn render_all(
    bytes: &[u8],
    profiles: &[Profile],
    limits: &Limits,
) -> Result<Vec<Rendition>, MediaError> {
    check_size(bytes, limits)?;
    let format = sniff::sniff(bytes)?;
    if format.kind() != Kind::Image {
        return Err(MediaError::NotAnImage);
    }
    let info = image_info(bytes, format, limits)?;
    let decoded = raster::decode(bytes, format, &info, limits)?;
    profiles
        .iter()
        .map(|p| {
            raster::render(
                raster::Decoded {
                    image: decoded.image.clone(),
                    icc: decoded.icc.clone(),
                },
                *p,
            )
        })
        .collect()
}

/// What [`inspect`] tells, read from the header and structure only, without decoding the
/// pixels: for a file already checked (the result of [`strip_metadata`]).
pub fn probe(bytes: &[u8], limits: &Limits) -> Result<Inspected, MediaError> {
    check_size(bytes, limits)?;
    let format = sniff::sniff(bytes)?;
    match format {
        Format::Jpeg | Format::Png | Format::WebP | Format::Gif => {
            let info = image_info(bytes, format, limits)?;
            Ok(Inspected {
                kind: format.kind(),
                mime: format.mime(),
                width: Some(info.width),
                height: Some(info.height),
                has_metadata: info.has_metadata,
                has_gps: info.has_gps,
            })
        }
        _ => inspect(bytes, limits),
    }
}

/// Whether the bytes contain EXIF: an APP1 `Exif` segment anywhere in a JPEG (or an EXIF block
/// in data after its end), an `eXIf` chunk (or a raw EXIF text chunk) in a PNG, an `EXIF`
/// chunk in a WebP. `false` for anything else, including unrecognised bytes.
pub fn has_exif(bytes: &[u8]) -> bool {
    match sniff::sniff(bytes) {
        Ok(Format::Jpeg) => jpeg::has_exif(bytes),
        Ok(Format::Png) => png::has_exif(bytes),
        Ok(Format::WebP) => webp::has_exif(bytes),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_keys_round_trip() {
        for profile in Profile::ALL {
            assert_eq!(Profile::from_key(profile.key()), Some(profile));
        }
        assert_eq!(Profile::from_key("nope"), None);
        assert_eq!(Profile::Large.max_bytes(), Some(1_000_000));
    }

    #[test]
    fn pixel_limits() {
        let limits = Limits::default();
        assert!(check_pixels(12_000, 4_000, &limits).is_ok());
        assert!(check_pixels(12_001, 1, &limits).is_err());
        assert!(check_pixels(8_000, 8_000, &limits).is_err());
        assert!(check_pixels(u32::MAX, u32::MAX, &limits).is_err());
    }
}
