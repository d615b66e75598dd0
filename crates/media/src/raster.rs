//! Pixels: decoding under limits, orientation, resizing and encoding renditions.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::error::LimitErrorKind;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageError, ImageFormat, ImageReader};

use crate::sniff::Format;
use crate::{ImageInfo, Limits, MediaError, Profile, Rendition};

/// JPEG quality of a photo re-encoded because its orientation had to be applied.
const STRIP_JPEG_QUALITY: u8 = 88;
/// JPEG qualities tried in turn for a rendition with a byte budget.
const RENDITION_QUALITIES: [u8; 6] = [85, 80, 75, 70, 65, 60];
/// Each further step over budget shrinks both sides to this many percent.
const SHRINK_PERCENT: u64 = 85;
/// Shrinking stops (with an error) below this side length.
const MIN_SIDE: u32 = 32;
/// Larger ICC profiles are left out of renditions (typical ones are 0.5–4 KiB).
const MAX_RENDITION_ICC: usize = 64 * 1024;

/// A decoded picture, turned upright, and its colour profile.
pub(crate) struct Decoded {
    pub image: DynamicImage,
    pub icc: Option<Vec<u8>>,
}

/// Runs third-party decoding or encoding; should one of them panic on hostile input despite
/// the checks done before, the upload is reported as damaged instead of bringing the process
/// down.
fn guard<T>(f: impl FnOnce() -> Result<T, MediaError>) -> Result<T, MediaError> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(MediaError::corrupt("the decoder failed on this file")))
}

fn image_format(format: Format) -> Result<ImageFormat, MediaError> {
    match format {
        Format::Jpeg => Ok(ImageFormat::Jpeg),
        Format::Png => Ok(ImageFormat::Png),
        Format::WebP => Ok(ImageFormat::WebP),
        Format::Gif => Ok(ImageFormat::Gif),
        Format::Bmff(_) | Format::WebM => Err(MediaError::NotAnImage),
    }
}

fn decode_error(error: ImageError, size: (u32, u32)) -> MediaError {
    match error {
        ImageError::Limits(limit) => match limit.kind() {
            LimitErrorKind::DimensionError => MediaError::TooManyPixels {
                width: size.0,
                height: size.1,
            },
            LimitErrorKind::InsufficientMemory => MediaError::MemoryLimit,
            _ => MediaError::Unsupported("decoder limits"),
        },
        ImageError::Unsupported(_) => {
            MediaError::Unsupported("a variant of the format the decoder does not handle")
        }
        other => MediaError::Corrupt(other.to_string()),
    }
}

fn encode_error(error: ImageError) -> MediaError {
    MediaError::Encode(error.to_string())
}

/// Decodes under `limits` and applies the orientation the decoder reports (or, when it
/// reports none, the one found in the container, `fallback`).
pub(crate) fn decode(
    bytes: &[u8],
    format: Format,
    info: &ImageInfo,
    limits: &Limits,
) -> Result<Decoded, MediaError> {
    let format = image_format(format)?;
    let header = (info.width, info.height);
    guard(|| {
        let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
        let mut decoder_limits = image::Limits::default();
        decoder_limits.max_image_width = Some(limits.max_dimension);
        decoder_limits.max_image_height = Some(limits.max_dimension);
        decoder_limits.max_alloc = Some(limits.max_alloc);
        reader.limits(decoder_limits);
        let mut decoder = reader.into_decoder().map_err(|e| decode_error(e, header))?;
        let (width, height) = decoder.dimensions();
        crate::check_pixels(width, height, limits)?;
        if decoder.total_bytes() > limits.max_alloc {
            return Err(MediaError::MemoryLimit);
        }
        let orientation = match decoder.orientation() {
            Ok(Orientation::NoTransforms) | Err(_) => info
                .orientation
                .and_then(Orientation::from_exif)
                .unwrap_or(Orientation::NoTransforms),
            Ok(found) => found,
        };
        let icc = decoder.icc_profile().ok().flatten();
        let mut image =
            DynamicImage::from_decoder(decoder).map_err(|e| decode_error(e, (width, height)))?;
        image.apply_orientation(orientation);
        Ok(Decoded { image, icc })
    })
}

/// Re-encodes an upright picture in its own format, keeping its colour profile and nothing
/// else: JPEG at quality 88, PNG as is, WebP losslessly.
pub(crate) fn reencode(decoded: Decoded, format: Format) -> Result<Vec<u8>, MediaError> {
    let Decoded { image, icc } = decoded;
    guard(|| {
        let mut out = Vec::new();
        match format {
            Format::Jpeg => {
                let image = jpeg_pixels(image);
                let mut encoder = JpegEncoder::new_with_quality(&mut out, STRIP_JPEG_QUALITY);
                if let Some(icc) = icc {
                    // An unsupported profile is left out rather than failing the upload.
                    let _ = encoder.set_icc_profile(icc);
                }
                image.write_with_encoder(encoder).map_err(encode_error)?;
            }
            Format::Png => {
                let mut encoder = PngEncoder::new(&mut out);
                if let Some(icc) = icc {
                    let _ = encoder.set_icc_profile(icc);
                }
                image.write_with_encoder(encoder).map_err(encode_error)?;
            }
            Format::WebP => {
                let image = if image.color().has_alpha() {
                    DynamicImage::ImageRgba8(image.into_rgba8())
                } else {
                    DynamicImage::ImageRgb8(image.into_rgb8())
                };
                let mut encoder = WebPEncoder::new_lossless(&mut out);
                if let Some(icc) = icc {
                    let _ = encoder.set_icc_profile(icc);
                }
                image.write_with_encoder(encoder).map_err(encode_error)?;
            }
            Format::Gif | Format::Bmff(_) | Format::WebM => {
                return Err(MediaError::Unsupported("re-encoding this format"));
            }
        }
        Ok(out)
    })
}

/// Grey stays grey, everything else becomes 8-bit RGB (JPEG has no alpha).
fn jpeg_pixels(image: DynamicImage) -> DynamicImage {
    match image {
        DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_) => image,
        DynamicImage::ImageLumaA8(_) | DynamicImage::ImageLuma16(_) => {
            DynamicImage::ImageLuma8(image.into_luma8())
        }
        other => DynamicImage::ImageRgb8(other.into_rgb8()),
    }
}

/// The size that fits `(w, h)` within `(max_w, max_h)` keeping the aspect ratio, never larger
/// than the original.
pub(crate) fn fit(w: u32, h: u32, max_w: u32, max_h: u32) -> (u32, u32) {
    if w <= max_w && h <= max_h {
        return (w, h);
    }
    let (w64, h64) = (u64::from(w.max(1)), u64::from(h.max(1)));
    let (mw, mh) = (u64::from(max_w.max(1)), u64::from(max_h.max(1)));
    let scaled = |num: u64, mul: u64, den: u64| -> u32 {
        let v = num.saturating_mul(mul).saturating_add(den / 2) / den;
        u32::try_from(v.max(1)).unwrap_or(u32::MAX)
    };
    if w64.saturating_mul(mh) >= h64.saturating_mul(mw) {
        (max_w, scaled(h64, mw, w64).min(max_h))
    } else {
        (scaled(w64, mh, h64).min(max_w), max_h)
    }
}

/// Instagram's accepted aspect ratios, as width:height fractions.
const IG_MIN_RATIO: (u64, u64) = (4, 5);
const IG_MAX_RATIO: (u64, u64) = (191, 100);
const IG_WIDTH: u32 = 1080;

/// The centred crop that brings `(w, h)` within Instagram's ratios: (x, y, w, h).
pub(crate) fn instagram_crop(w: u32, h: u32) -> (u32, u32, u32, u32) {
    let (w64, h64) = (u64::from(w), u64::from(h));
    let (max_n, max_d) = IG_MAX_RATIO;
    let (min_n, min_d) = IG_MIN_RATIO;
    if w64.saturating_mul(max_d) > h64.saturating_mul(max_n) {
        // Too wide: keep the height, cut the sides.
        let cw = u32::try_from(h64.saturating_mul(max_n) / max_d)
            .unwrap_or(w)
            .clamp(1, w);
        (w.saturating_sub(cw) / 2, 0, cw, h)
    } else if w64.saturating_mul(min_d) < h64.saturating_mul(min_n) {
        // Too tall: keep the width, cut top and bottom.
        let ch = u32::try_from(w64.saturating_mul(min_d) / min_n)
            .unwrap_or(h)
            .clamp(1, h);
        (0, h.saturating_sub(ch) / 2, w, ch)
    } else {
        (0, 0, w, h)
    }
}

/// The Instagram output size for an already cropped `(w, h)`: at most 1080 wide, with the
/// height nudged so rounding cannot leave the accepted ratios.
pub(crate) fn instagram_size(w: u32, h: u32) -> (u32, u32) {
    let tw = w.clamp(1, IG_WIDTH);
    let (tw64, w64, h64) = (u64::from(tw), u64::from(w.max(1)), u64::from(h));
    let th = h64.saturating_mul(tw64).saturating_add(w64 / 2) / w64;
    let (max_n, max_d) = IG_MAX_RATIO;
    let (min_n, min_d) = IG_MIN_RATIO;
    // tw / th <= max  <=>  th >= tw * max_d / max_n (rounded up)
    let lowest = tw64.saturating_mul(max_d).div_ceil(max_n);
    // tw / th >= min  <=>  th <= tw * min_d / min_n (rounded down)
    let highest = tw64.saturating_mul(min_d) / min_n;
    let th = th.clamp(lowest.min(highest), highest).max(1);
    (tw, u32::try_from(th).unwrap_or(u32::MAX))
}

/// Downscales to exactly `(w, h)`: a fast area-averaging pass first when shrinking by more
/// than three times (bounding the filter's working memory), then Lanczos3.
fn resize(image: DynamicImage, w: u32, h: u32) -> DynamicImage {
    if (image.width(), image.height()) == (w, h) {
        return image;
    }
    let (w2, h2) = (w.saturating_mul(2), h.saturating_mul(2));
    let image = if image.width() / 3 >= w && image.height() / 3 >= h {
        image.thumbnail_exact(w2, h2)
    } else {
        image
    };
    image.resize_exact(w, h, FilterType::Lanczos3)
}

fn has_transparency(image: &DynamicImage) -> bool {
    image
        .as_rgba8()
        .is_some_and(|buf| buf.pixels().any(|p| p.0[3] < u8::MAX))
}

fn encode_jpeg(
    image: &DynamicImage,
    quality: u8,
    icc: Option<&[u8]>,
) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut out, quality);
    if let Some(icc) = icc {
        let _ = encoder.set_icc_profile(icc.to_vec());
    }
    image.write_with_encoder(encoder).map_err(encode_error)?;
    Ok(out)
}

fn encode_png(image: &DynamicImage, icc: Option<&[u8]>) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::new();
    let mut encoder = PngEncoder::new(&mut out);
    if let Some(icc) = icc {
        let _ = encoder.set_icc_profile(icc.to_vec());
    }
    image.write_with_encoder(encoder).map_err(encode_error)?;
    Ok(out)
}

fn shrink(image: DynamicImage) -> Option<DynamicImage> {
    let step = |side: u32| {
        u32::try_from(u64::from(side).saturating_mul(SHRINK_PERCENT) / 100).unwrap_or(side)
    };
    let (w, h) = (step(image.width()), step(image.height()));
    (w >= MIN_SIDE && h >= MIN_SIDE).then(|| image.resize_exact(w, h, FilterType::Lanczos3))
}

fn rendition(bytes: Vec<u8>, image: &DynamicImage, mime: &'static str) -> Rendition {
    Rendition {
        bytes,
        mime,
        width: image.width(),
        height: image.height(),
    }
}

/// Encodes within `budget` bytes: JPEG at decreasing quality, then smaller; a transparent
/// picture as PNG, smaller until it fits.
fn encode_within(
    mut image: DynamicImage,
    transparent: bool,
    icc: Option<&[u8]>,
    budget: Option<usize>,
) -> Result<Rendition, MediaError> {
    let fits = |bytes: &[u8]| budget.is_none_or(|max| bytes.len() <= max);
    let too_big = || {
        MediaError::Encode(format!(
            "the picture does not fit in {} bytes",
            budget.unwrap_or_default()
        ))
    };
    if transparent {
        loop {
            let png = encode_png(&image, icc)?;
            if fits(&png) {
                return Ok(rendition(png, &image, "image/png"));
            }
            image = shrink(image).ok_or_else(too_big)?;
        }
    }
    for quality in RENDITION_QUALITIES {
        let jpeg = encode_jpeg(&image, quality, icc)?;
        if fits(&jpeg) {
            return Ok(rendition(jpeg, &image, "image/jpeg"));
        }
    }
    let lowest = RENDITION_QUALITIES.last().copied().unwrap_or(60);
    loop {
        image = shrink(image).ok_or_else(too_big)?;
        let jpeg = encode_jpeg(&image, lowest, icc)?;
        if fits(&jpeg) {
            return Ok(rendition(jpeg, &image, "image/jpeg"));
        }
    }
}

/// Builds the rendition of a decoded, upright picture for `profile`.
pub(crate) fn render(decoded: Decoded, profile: Profile) -> Result<Rendition, MediaError> {
    let Decoded { image, icc } = decoded;
    guard(|| {
        // 8 bits per channel from here on: halves the memory of 16-bit sources and is what
        // the encoders take.
        let image = if image.color().has_alpha() {
            DynamicImage::ImageRgba8(image.into_rgba8())
        } else {
            DynamicImage::ImageRgb8(image.into_rgb8())
        };
        let (w, h) = (image.width(), image.height());
        let (image, (tw, th)) = match profile {
            Profile::Thumb => (image, fit(w, h, 320, 320)),
            Profile::Large => (image, fit(w, h, 2048, 2048)),
            Profile::Instagram => {
                let (x, y, cw, ch) = instagram_crop(w, h);
                let image = if (cw, ch) == (w, h) {
                    image
                } else {
                    image.crop_imm(x, y, cw, ch)
                };
                (image, instagram_size(cw, ch))
            }
        };
        let image = resize(image, tw, th);
        let transparent = has_transparency(&image);
        let image = if transparent || !image.color().has_alpha() {
            image
        } else {
            DynamicImage::ImageRgb8(image.into_rgb8())
        };
        let icc = icc.as_deref().filter(|icc| icc.len() <= MAX_RENDITION_ICC);
        encode_within(image, transparent, icc, profile.max_bytes())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_keeps_ratio_and_never_upscales() {
        assert_eq!(fit(4000, 3000, 2048, 2048), (2048, 1536));
        assert_eq!(fit(3000, 4000, 2048, 2048), (1536, 2048));
        assert_eq!(fit(100, 50, 2048, 2048), (100, 50));
        assert_eq!(fit(10_000, 1, 320, 320), (320, 1));
        assert_eq!(fit(1, 10_000, 320, 320), (1, 320));
    }

    #[test]
    fn instagram_geometry() {
        assert_eq!(instagram_crop(3000, 500), (1022, 0, 955, 500));
        assert_eq!(instagram_crop(500, 3000), (0, 1187, 500, 625));
        assert_eq!(instagram_crop(1000, 1000), (0, 0, 1000, 1000));
        assert_eq!(instagram_size(955, 500), (955, 500));
        assert_eq!(instagram_size(4000, 5000), (1080, 1350));
        assert_eq!(instagram_size(1910, 1000), (1080, 566));
        for (w, h) in [(1, 1), (2, 1), (1, 2), (7, 3), (12_000, 6283), (3, 4)] {
            let (x, y, cw, ch) = instagram_crop(w, h);
            assert!(x + cw <= w && y + ch <= h);
            let (tw, th) = instagram_size(cw, ch);
            assert!(tw >= 1 && th >= 1);
            if tw >= 10 {
                let ratio = f64::from(tw) / f64::from(th);
                assert!((0.8..=1.91).contains(&ratio), "{w}x{h} -> {tw}x{th}");
            }
        }
    }
}
