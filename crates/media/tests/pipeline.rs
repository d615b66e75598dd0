//! The media pipeline end to end, on fixtures built in code.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use image::{DynamicImage, GenericImageView};
use kehilla_media::{
    Inspected, Kind, Limits, MediaError, Profile, has_exif, inspect, render, strip_metadata,
};

fn limits() -> Limits {
    Limits::default()
}

fn code<T: std::fmt::Debug>(result: Result<T, MediaError>) -> &'static str {
    result.unwrap_err().code()
}

// ---------------------------------------------------------------- JPEG

#[test]
fn jpeg_location_is_found_and_removed_losslessly() {
    let original = jpeg_with_metadata(&marked(64, 48), Some(1), true);
    assert!(has_exif(&original));
    let found = inspect(&original, &limits()).unwrap();
    assert_eq!(
        found,
        Inspected {
            kind: Kind::Image,
            mime: "image/jpeg",
            width: Some(64),
            height: Some(48),
            has_metadata: true,
            has_gps: true,
        }
    );

    let stripped = strip_metadata(&original, &limits()).unwrap();
    assert!(!has_exif(&stripped));
    for secret in [
        &b"KehillaPhone"[..],
        b"GPSLatitude",
        b"8BIM",
        b"shelter",
        b"Exif",
    ] {
        assert!(contains(&original, secret));
        assert!(!contains(&stripped, secret), "{secret:?} left");
    }
    let after = inspect(&stripped, &limits()).unwrap();
    assert!(!after.has_metadata && !after.has_gps);
    assert_eq!((after.width, after.height), (Some(64), Some(48)));
    // Same compressed data: the very same pixels.
    assert_eq!(decode(&original).to_rgb8(), decode(&stripped).to_rgb8());
    // Idempotent.
    assert_eq!(strip_metadata(&stripped, &limits()).unwrap(), stripped);
}

#[test]
fn jpeg_without_gps_reports_metadata_only() {
    let original = jpeg_with_metadata(&marked(32, 32), None, false);
    let mut parsed = img_parts::jpeg::Jpeg::from_bytes(original.into()).unwrap();
    // Keep only the EXIF segment (drop the XMP with coordinates).
    parsed
        .segments_mut()
        .retain(|s| s.marker() != 0xE1 || s.contents().starts_with(b"Exif"));
    let bytes = encode_jpeg(parsed);
    let found = inspect(&bytes, &limits()).unwrap();
    assert!(found.has_metadata && !found.has_gps);
    // A plain encoder output has nothing to remove.
    let plain = jpeg(&marked(32, 32), 90);
    let found = inspect(&plain, &limits()).unwrap();
    assert!(!found.has_metadata && !found.has_gps);
    assert!(!has_exif(&plain));
}

#[test]
fn jpeg_orientation_6_is_applied_and_reencoded() {
    let original = jpeg_with_metadata(&marked(64, 32), Some(6), true);
    let found = inspect(&original, &limits()).unwrap();
    // Dimensions as stored.
    assert_eq!((found.width, found.height), (Some(64), Some(32)));

    let stripped = strip_metadata(&original, &limits()).unwrap();
    assert!(!has_exif(&stripped));
    assert!(!contains(&stripped, b"GPSLatitude"));
    assert!(!contains(&stripped, b"shelter"));
    let after = inspect(&stripped, &limits()).unwrap();
    assert_eq!(after.mime, "image/jpeg");
    assert_eq!((after.width, after.height), (Some(32), Some(64)));
    assert!(!after.has_metadata && !after.has_gps);
    // Turned 90° clockwise: the red top-left corner is now top-right.
    let upright = decode(&stripped).to_rgb8();
    assert!(is_red(upright.get_pixel(28, 4)));
    assert!(!is_red(upright.get_pixel(4, 4)));
    assert!(!is_red(upright.get_pixel(28, 60)));
}

#[test]
fn every_orientation_gives_the_displayed_size() {
    for orientation in 1..=8u16 {
        let original = jpeg_with_metadata(&marked(48, 24), Some(orientation), false);
        let stripped = strip_metadata(&original, &limits()).unwrap();
        assert!(!has_exif(&stripped));
        let expected = if orientation >= 5 { (24, 48) } else { (48, 24) };
        assert_eq!(decode(&stripped).dimensions(), expected, "{orientation}");
    }
}

#[test]
fn truncated_or_damaged_jpeg_is_corrupt() {
    let original = jpeg(&gradient(64, 64), 90);
    for cut in [4, 20, original.len() / 2, original.len() - 2] {
        let truncated = &original[..cut];
        assert_eq!(
            code(inspect(truncated, &limits())),
            "media.corrupt",
            "{cut}"
        );
        assert_eq!(code(strip_metadata(truncated, &limits())), "media.corrupt");
        assert_eq!(
            code(render(truncated, Profile::Thumb, &limits())),
            "media.corrupt"
        );
    }
    // A segment length running past the end.
    let mut broken = original.clone();
    broken[4] = 0xFF;
    broken[5] = 0xFF;
    assert_eq!(code(inspect(&broken, &limits())), "media.corrupt");
    // Signature only.
    assert_eq!(code(inspect(b"\xff\xd8\xff", &limits())), "media.corrupt");
}

#[test]
fn jpeg_frame_claiming_huge_size_is_refused_before_decoding() {
    let mut bytes = jpeg(&gradient(16, 16), 90);
    let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    // height, width at +5..+9
    bytes[sof + 5..sof + 7].copy_from_slice(&60_000u16.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&60_000u16.to_be_bytes());
    assert_eq!(code(inspect(&bytes, &limits())), "media.too_many_pixels");
    assert_eq!(
        code(render(&bytes, Profile::Large, &limits())),
        "media.too_many_pixels"
    );
    assert_eq!(
        code(strip_metadata(&bytes, &limits())),
        "media.too_many_pixels"
    );
}

// ---------------------------------------------------------------- PNG, WebP, GIF

#[test]
fn png_exif_chunk_is_found_and_removed() {
    let img = DynamicImage::ImageRgb8(marked(40, 30));
    let original = png_with_exif(&img, Some(1), true);
    assert!(has_exif(&original));
    let found = inspect(&original, &limits()).unwrap();
    assert_eq!(found.mime, "image/png");
    assert!(found.has_metadata && found.has_gps);

    let stripped = strip_metadata(&original, &limits()).unwrap();
    assert!(!has_exif(&stripped));
    assert!(!contains(&stripped, b"eXIf"));
    assert!(!contains(&stripped, b"shelter"));
    let after = inspect(&stripped, &limits()).unwrap();
    assert!(!after.has_metadata && !after.has_gps);
    assert_eq!(decode(&stripped).to_rgb8(), img.to_rgb8());
}

#[test]
fn png_orientation_is_applied() {
    let img = DynamicImage::ImageRgb8(marked(40, 20));
    let original = png_with_exif(&img, Some(8), false);
    let stripped = strip_metadata(&original, &limits()).unwrap();
    assert!(!has_exif(&stripped));
    let found = inspect(&stripped, &limits()).unwrap();
    assert_eq!(found.mime, "image/png");
    assert_eq!((found.width, found.height), (Some(20), Some(40)));
    // 8 = turned 90° counter-clockwise: the red corner ends bottom-left, exactly.
    let upright = decode(&stripped).to_rgb8();
    assert_eq!(upright.get_pixel(0, 39).0, RED);
    assert_eq!(upright, image::imageops::rotate270(&img.to_rgb8()));
}

#[test]
fn png_decompression_bomb_is_refused_without_decoding() {
    let bomb = png_claiming(100_000, 100_000);
    assert!(bomb.len() < 200);
    let error = inspect(&bomb, &limits()).unwrap_err();
    assert_eq!(error.code(), "media.too_many_pixels");
    assert_eq!(
        error,
        MediaError::TooManyPixels {
            width: 100_000,
            height: 100_000
        }
    );
    assert_eq!(
        code(strip_metadata(&bomb, &limits())),
        "media.too_many_pixels"
    );
    assert_eq!(
        code(render(&bomb, Profile::Thumb, &limits())),
        "media.too_many_pixels"
    );
    // Under the side limit but over the pixel limit.
    let wide = png_claiming(12_000, 12_000);
    assert_eq!(code(inspect(&wide, &limits())), "media.too_many_pixels");
    // Within the limits, but no pixel data behind the claim.
    let hollow = png_claiming(1000, 1000);
    assert_eq!(code(inspect(&hollow, &limits())), "media.corrupt");
}

#[test]
fn decoder_memory_cap_applies() {
    let bytes = png(&DynamicImage::ImageRgb8(gradient(300, 300)));
    let tight = Limits {
        max_alloc: 10_000,
        ..Limits::default()
    };
    assert_eq!(code(inspect(&bytes, &tight)), "media.memory_limit");
}

#[test]
fn webp_exif_and_xmp_are_removed() {
    let img = marked(40, 30);
    let original = webp_with_exif(&img, Some(1), true);
    assert!(has_exif(&original));
    let found = inspect(&original, &limits()).unwrap();
    assert_eq!(found.mime, "image/webp");
    assert!(found.has_metadata && found.has_gps);
    let stripped = strip_metadata(&original, &limits()).unwrap();
    assert!(!has_exif(&stripped));
    assert!(!contains(&stripped, b"XMP "));
    assert!(!contains(&stripped, b"KehillaPhone"));
    let after = inspect(&stripped, &limits()).unwrap();
    assert!(!after.has_metadata && !after.has_gps);
    assert_eq!(decode(&stripped).to_rgb8(), img);
}

#[test]
fn webp_orientation_is_applied_losslessly() {
    let img = marked(40, 20);
    let original = webp_with_exif(&img, Some(6), false);
    let stripped = strip_metadata(&original, &limits()).unwrap();
    assert!(!has_exif(&stripped));
    assert_eq!(inspect(&stripped, &limits()).unwrap().mime, "image/webp");
    assert_eq!(decode(&stripped).to_rgb8(), image::imageops::rotate90(&img));
}

#[test]
fn gif_is_inspected_stripped_and_rendered() {
    let mut bytes = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut bytes);
        encoder
            .encode_frame(image::Frame::new(transparent(24, 12)))
            .unwrap();
    }
    let found = inspect(&bytes, &limits()).unwrap();
    assert_eq!(found.mime, "image/gif");
    assert_eq!((found.width, found.height), (Some(24), Some(12)));
    let stripped = strip_metadata(&bytes, &limits()).unwrap();
    assert_eq!(decode(&stripped).to_rgba8(), decode(&bytes).to_rgba8());
    let thumb = render(&bytes, Profile::Thumb, &limits()).unwrap();
    assert_eq!(thumb.mime, "image/png");
}

// ---------------------------------------------------------------- not images, limits

#[test]
fn random_bytes_and_unknown_formats_are_unsupported() {
    let mut state = 7u32;
    let random: Vec<u8> = (0..512)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) as u8
        })
        .collect();
    for bytes in [
        &random[..],
        b"",
        b"BM\x36\0\0\0",
        b"%PDF-1.7",
        b"II*\0\x08\0\0\0",
    ] {
        assert_eq!(code(inspect(bytes, &limits())), "media.unsupported");
        assert_eq!(code(strip_metadata(bytes, &limits())), "media.unsupported");
        assert_eq!(
            code(render(bytes, Profile::Large, &limits())),
            "media.unsupported"
        );
        assert!(!has_exif(bytes));
    }
}

#[test]
fn files_over_the_byte_limit_are_refused() {
    let bytes = jpeg(&gradient(64, 64), 90);
    let small = Limits {
        max_bytes: 100,
        ..Limits::default()
    };
    assert_eq!(code(inspect(&bytes, &small)), "media.too_large");
    assert_eq!(code(strip_metadata(&bytes, &small)), "media.too_large");
    assert_eq!(
        code(render(&bytes, Profile::Thumb, &small)),
        "media.too_large"
    );
}

// ---------------------------------------------------------------- video

#[test]
fn mp4_location_boxes_become_free_in_place() {
    let original = mp4();
    let found = inspect(&original, &limits()).unwrap();
    assert_eq!(
        found,
        Inspected {
            kind: Kind::Video,
            mime: "video/mp4",
            width: Some(640),
            height: Some(480),
            has_metadata: true,
            has_gps: true,
        }
    );
    let stripped = strip_metadata(&original, &limits()).unwrap();
    assert_eq!(stripped.len(), original.len());
    for gone in [&b"\xA9xyz"[..], b"+31.77+035", b"ISO6709", b"udta", b"meta"] {
        assert!(contains(&original, gone));
        assert!(!contains(&stripped, gone), "{gone:?} left");
    }
    // Sample data untouched, at the same offset.
    let mdat = original.len() - MDAT_PAYLOAD.len();
    assert_eq!(&stripped[mdat..], MDAT_PAYLOAD);
    // Only bytes inside the neutralised boxes changed.
    assert_eq!(stripped[..40], original[..40]);
    let after = inspect(&stripped, &limits()).unwrap();
    assert!(!after.has_metadata && !after.has_gps);
    assert_eq!((after.width, after.height), (Some(640), Some(480)));
    assert_eq!(strip_metadata(&stripped, &limits()).unwrap(), stripped);
    assert_eq!(
        code(render(&original, Profile::Large, &limits())),
        "media.not_an_image"
    );
}

#[test]
fn truncated_mp4_is_corrupt() {
    let original = mp4();
    for cut in [12, 40, original.len() - 3] {
        assert_eq!(
            code(inspect(&original[..cut], &limits())),
            "media.corrupt",
            "{cut}"
        );
        assert_eq!(
            code(strip_metadata(&original[..cut], &limits())),
            "media.corrupt"
        );
    }
}

#[test]
fn quicktime_and_heic_brands() {
    let mut mov = bx(b"ftyp", b"qt  \0\0\0\0qt  ");
    mov.extend(bx(b"moov", &bx(b"mvhd", &[0; 100])));
    assert_eq!(inspect(&mov, &limits()).unwrap().mime, "video/quicktime");
    let mut heic = bx(b"ftyp", b"heic\0\0\0\0mif1heic");
    heic.extend(bx(b"meta", &[0; 8]));
    assert_eq!(code(inspect(&heic, &limits())), "media.unsupported");
}

#[test]
fn webm_passes_through() {
    let bytes = webm();
    let found = inspect(&bytes, &limits()).unwrap();
    assert_eq!(found.kind, Kind::Video);
    assert_eq!(found.mime, "video/webm");
    assert!(!found.has_metadata);
    assert_eq!(strip_metadata(&bytes, &limits()).unwrap(), bytes);
    assert_eq!(
        code(render(&bytes, Profile::Thumb, &limits())),
        "media.not_an_image"
    );
}

// ---------------------------------------------------------------- renditions

#[test]
fn instagram_crops_to_allowed_ratios() {
    let wide = jpeg(&gradient(3000, 500), 85);
    let r = render(&wide, Profile::Instagram, &limits()).unwrap();
    assert_eq!((r.width, r.height), (955, 500));
    let ratio = f64::from(r.width) / f64::from(r.height);
    assert!((ratio - 1.91).abs() < 0.01, "{ratio}");
    assert_eq!(decode(&r.bytes).dimensions(), (955, 500));

    let tall = jpeg(&gradient(500, 3000), 85);
    let r = render(&tall, Profile::Instagram, &limits()).unwrap();
    assert_eq!((r.width, r.height), (500, 625));
    assert_eq!(decode(&r.bytes).dimensions(), (500, 625));

    // Big and within the ratios: only resized to 1080 wide.
    let square = jpeg(&gradient(2160, 2160), 85);
    let r = render(&square, Profile::Instagram, &limits()).unwrap();
    assert_eq!((r.width, r.height), (1080, 1080));
    assert_eq!(Profile::Instagram.key(), "instagram");
}

#[test]
fn large_never_exceeds_2048_nor_upscales() {
    for ((w, h), expected) in [
        ((2600, 1950), (2048, 1536)),
        ((1950, 2600), (1536, 2048)),
        ((300, 200), (300, 200)),
        ((2048, 100), (2048, 100)),
        ((5000, 40), (2048, 16)),
    ] {
        let bytes = jpeg(&gradient(w, h), 85);
        let r = render(&bytes, Profile::Large, &limits()).unwrap();
        assert_eq!((r.width, r.height), expected, "{w}x{h}");
        assert_eq!(r.mime, "image/jpeg");
        assert_eq!(decode(&r.bytes).dimensions(), expected);
        assert!(r.bytes.len() <= Profile::Large.max_bytes().unwrap());
    }
}

#[test]
fn thumb_fits_320() {
    let bytes = png(&DynamicImage::ImageRgb8(gradient(1000, 500)));
    let r = render(&bytes, Profile::Thumb, &limits()).unwrap();
    assert_eq!((r.width, r.height), (320, 160));
    assert_eq!(r.mime, "image/jpeg");
    assert_eq!(Profile::Thumb.max_bytes(), None);
}

#[test]
fn renditions_are_upright_and_without_metadata() {
    let original = jpeg_with_metadata(&marked(640, 320), Some(6), true);
    for profile in Profile::ALL {
        let r = render(&original, profile, &limits()).unwrap();
        assert!(!has_exif(&r.bytes), "{profile:?}");
        assert!(!contains(&r.bytes, b"GPSLatitude"));
        assert!(!contains(&r.bytes, b"shelter"));
        assert!(r.height > r.width, "{profile:?} not turned");
        let found = inspect(&r.bytes, &limits()).unwrap();
        assert!(!found.has_metadata && !found.has_gps);
    }
}

#[test]
fn transparency_gives_png_and_opaque_alpha_gives_jpeg() {
    let bytes = png(&DynamicImage::ImageRgba8(transparent(64, 64)));
    let r = render(&bytes, Profile::Thumb, &limits()).unwrap();
    assert_eq!(r.mime, "image/png");
    assert_eq!(decode(&r.bytes).get_pixel(0, 0).0[3], 0);

    let opaque = image::RgbaImage::from_pixel(64, 64, image::Rgba([1, 2, 3, 255]));
    let bytes = png(&DynamicImage::ImageRgba8(opaque));
    assert_eq!(
        render(&bytes, Profile::Thumb, &limits()).unwrap().mime,
        "image/jpeg"
    );
}

#[test]
fn bluesky_budget_holds_for_a_noisy_photo() {
    let bytes = jpeg(&noise(4000, 3000), 90);
    let budget = Profile::Large.max_bytes().unwrap();
    assert!(bytes.len() > budget);
    let r = render(&bytes, Profile::Large, &limits()).unwrap();
    assert!(r.bytes.len() <= budget, "{} bytes", r.bytes.len());
    assert!(r.width <= 2048 && r.height <= 2048);
    assert_eq!(r.mime, "image/jpeg");
    assert_eq!(decode(&r.bytes).dimensions(), (r.width, r.height));
    // 4:3 kept.
    let ratio = f64::from(r.width) / f64::from(r.height);
    assert!((ratio - 4.0 / 3.0).abs() < 0.01);
}

#[test]
fn error_codes_are_stable() {
    assert_eq!(MediaError::NotAnImage.code(), "media.not_an_image");
    assert_eq!(
        MediaError::TooManyPixels {
            width: 1,
            height: 1
        }
        .code(),
        "media.too_many_pixels"
    );
}

#[test]
fn pathological_structure_counts_are_refused() {
    // 5000 empty comments in a JPEG header.
    let plain = jpeg(&gradient(8, 8), 90);
    let mut bytes = plain[..2].to_vec();
    for _ in 0..5000 {
        bytes.extend_from_slice(b"\xff\xfe\x00\x02");
    }
    bytes.extend_from_slice(&plain[2..]);
    assert_eq!(code(inspect(&bytes, &limits())), "media.corrupt");
    assert_eq!(code(strip_metadata(&bytes, &limits())), "media.corrupt");

    // 100 001 empty boxes in an MP4.
    let mut mp4 = mp4();
    for _ in 0..100_001 {
        mp4.extend_from_slice(b"\x00\x00\x00\x08free");
    }
    assert_eq!(code(inspect(&mp4, &limits())), "media.corrupt");

    // 100 001 empty text chunks in a PNG.
    let base = png(&DynamicImage::ImageRgb8(gradient(4, 4)));
    let mut png_bytes = base[..33].to_vec(); // signature + IHDR
    let empty_text = img_parts::png::PngChunk::new(*b"tEXt", img_parts::Bytes::new());
    let mut one = Vec::new();
    empty_text.encoder().write_to(&mut one).unwrap();
    for _ in 0..100_001 {
        png_bytes.extend_from_slice(&one);
    }
    png_bytes.extend_from_slice(&base[33..]);
    assert_eq!(code(inspect(&png_bytes, &limits())), "media.corrupt");

    // 200 001 empty comment extensions in a GIF.
    let mut gif = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut gif);
        encoder
            .encode_frame(image::Frame::new(transparent(4, 4)))
            .unwrap();
    }
    let trailer = gif.pop().unwrap();
    for _ in 0..200_001 {
        gif.extend_from_slice(b"\x21\xfe\x00");
    }
    gif.push(trailer);
    assert_eq!(code(inspect(&gif, &limits())), "media.corrupt");
}
