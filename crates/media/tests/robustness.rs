//! Hostile input: whatever the bytes, the pipeline answers with a value or a `MediaError`,
//! never a panic, and within bounded memory (tight limits below keep each case cheap).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::sync::LazyLock;

use common::*;
use image::DynamicImage;
use img_parts::Bytes;
use img_parts::png::{Png, PngChunk};
use kehilla_media::{Limits, Profile, has_exif, inspect, render, strip_metadata};
use proptest::prelude::*;

fn tight() -> Limits {
    Limits {
        max_bytes: 1 << 20,
        max_pixels: 1_000_000,
        max_dimension: 4_000,
        max_alloc: 32 << 20,
    }
}

/// Runs every entry point; checks the invariants that hold whatever the input.
fn exercise(bytes: &[u8]) {
    let limits = tight();
    let _ = has_exif(bytes);
    let inspected = inspect(bytes, &limits);
    if let Ok(stripped) = strip_metadata(bytes, &limits) {
        // Whatever was accepted comes out without EXIF…
        assert!(!has_exif(&stripped) || !has_exif(bytes) && stripped == bytes);
        // …and videos keep their length (offsets stay valid).
        if bytes.get(4..8) == Some(b"ftyp") {
            assert_eq!(stripped.len(), bytes.len());
        }
        // …and read back as an upload, has nothing left to remove.
        if let Ok(after) = inspect(&stripped, &limits) {
            assert!(!after.has_metadata);
        }
    }
    for profile in Profile::ALL {
        if let Ok(r) = render(bytes, profile, &limits) {
            assert!(r.width <= 2048 && r.height <= 2048);
            assert!(!has_exif(&r.bytes));
        }
    }
    if let Err(e) = inspected {
        assert!(e.code().starts_with("media."));
    }
}

struct Fixtures {
    jpeg: Vec<u8>,
    jpeg_rotated: Vec<u8>,
    png: Vec<u8>,
    webp: Vec<u8>,
    gif: Vec<u8>,
    mp4: Vec<u8>,
}

static FIXTURES: LazyLock<Fixtures> = LazyLock::new(|| {
    let mut gif = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut gif);
        encoder
            .encode_frame(image::Frame::new(transparent(12, 8)))
            .unwrap();
    }
    Fixtures {
        jpeg: jpeg_with_metadata(&marked(24, 16), Some(1), true),
        jpeg_rotated: jpeg_with_metadata(&marked(24, 16), Some(6), true),
        png: png_with_exif(&DynamicImage::ImageRgb8(marked(20, 16)), Some(1), true),
        webp: webp_with_exif(&marked(20, 16), Some(3), true),
        gif,
        mp4: mp4(),
    }
});

/// Byte edits applied to a valid file: overwrite, then optionally cut.
fn mutate(base: &[u8], edits: &[(usize, u8)], cut: Option<usize>) -> Vec<u8> {
    let mut bytes = base.to_vec();
    for &(at, value) in edits {
        let len = bytes.len();
        if len > 0 {
            bytes[at % len] = value;
        }
    }
    if let Some(cut) = cut {
        bytes.truncate(cut % (base.len() + 1));
    }
    bytes
}

/// Mutates the contents of one PNG chunk and fixes its CRC, so the damage reaches the
/// decoder instead of stopping at the checksum.
fn mutate_png_chunk(base: &[u8], chunk: usize, edits: &[(usize, u8)]) -> Vec<u8> {
    let mut png = Png::from_bytes(Bytes::copy_from_slice(base)).unwrap();
    let index = chunk % png.chunks().len();
    let kind = png.chunks()[index].kind();
    let mut contents = png.chunks()[index].contents().to_vec();
    for &(at, value) in edits {
        if !contents.is_empty() {
            let len = contents.len();
            contents[at % len] = value;
        }
    }
    png.chunks_mut()[index] = PngChunk::new(kind, Bytes::from(contents));
    encode_png(png)
}

const MAGICS: [&[u8]; 8] = [
    b"\xff\xd8\xff",
    b"\x89PNG\r\n\x1a\n",
    b"GIF89a",
    b"RIFF\x00\x01\x00\x00WEBP",
    b"\x00\x00\x00\x18ftypisom",
    b"\x00\x00\x00\x00ftypqt  ",
    b"\x1a\x45\xdf\xa3",
    b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00MM\x00\x2a",
];

/// Pieces of structure spliced into valid files: metadata segments, markers, box headers.
const SNIPPETS: [&[u8]; 10] = [
    b"\xff\xe1\x00\x16Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x00",
    b"\xff\xfe\x00\x08secret",
    b"\xff\xd9",
    b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00",
    b"\xff\x00\xff\xff\xff",
    b"\xff\x05\x00\x04ab",
    b"\x00\x00\x00\x10udta\xa9xyz+31.7",
    b"\x00\x00\x00\x01free\x00\x00\x00\x00\x00\x00\x00\x10",
    b"\x00\x00\x00\x00",
    b"\x00\x00\x00\x08eXIfII*\x00",
];

/// Inserts snippets at positions of a valid file.
fn splice(base: &[u8], inserts: &[(usize, usize)]) -> Vec<u8> {
    let mut bytes = base.to_vec();
    for &(at, which) in inserts {
        let at = at % (bytes.len() + 1);
        let snippet = SNIPPETS[which % SNIPPETS.len()];
        bytes.splice(at..at, snippet.iter().copied());
    }
    bytes
}

fn edits() -> impl Strategy<Value = Vec<(usize, u8)>> {
    prop::collection::vec((any::<usize>(), any::<u8>()), 1..8)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        exercise(&bytes);
    }

    #[test]
    fn arbitrary_bytes_behind_a_known_signature_never_panic(
        magic in 0..MAGICS.len(),
        rest in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        let mut bytes = MAGICS[magic].to_vec();
        bytes.extend(rest);
        exercise(&bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 200,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_jpeg_never_panics(edits in edits(), cut in prop::option::of(any::<usize>())) {
        exercise(&mutate(&FIXTURES.jpeg, &edits, cut));
        exercise(&mutate(&FIXTURES.jpeg_rotated, &edits, cut));
    }

    #[test]
    fn mutated_png_never_panics(
        edits in edits(),
        cut in prop::option::of(any::<usize>()),
        chunk in any::<usize>(),
    ) {
        exercise(&mutate(&FIXTURES.png, &edits, cut));
        exercise(&mutate_png_chunk(&FIXTURES.png, chunk, &edits));
    }

    #[test]
    fn spliced_structure_never_panics(
        inserts in prop::collection::vec((any::<usize>(), any::<usize>()), 1..4),
        which in 0..4usize,
    ) {
        let base = match which {
            0 => &FIXTURES.jpeg,
            1 => &FIXTURES.jpeg_rotated,
            2 => &FIXTURES.png,
            _ => &FIXTURES.mp4,
        };
        exercise(&splice(base, &inserts));
    }

    #[test]
    fn mutated_mp4_never_panics(edits in edits(), cut in prop::option::of(any::<usize>())) {
        exercise(&mutate(&FIXTURES.mp4, &edits, cut));
    }

    #[test]
    fn mutated_webp_and_gif_never_panic(edits in edits(), cut in prop::option::of(any::<usize>())) {
        exercise(&mutate(&FIXTURES.webp, &edits, cut));
        exercise(&mutate(&FIXTURES.gif, &edits, cut));
    }
}

#[test]
fn fixtures_are_valid() {
    let limits = tight();
    for bytes in [
        &FIXTURES.jpeg,
        &FIXTURES.jpeg_rotated,
        &FIXTURES.png,
        &FIXTURES.webp,
        &FIXTURES.gif,
        &FIXTURES.mp4,
    ] {
        inspect(bytes, &limits).unwrap();
        strip_metadata(bytes, &limits).unwrap();
    }
}
