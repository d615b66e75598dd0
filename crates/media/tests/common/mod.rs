//! Fixtures built in code: no binary files in the repository.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, Rgb, RgbImage, Rgba, RgbaImage};
use img_parts::jpeg::{Jpeg, JpegSegment};
use img_parts::png::{Png, PngChunk};
use img_parts::riff::{RiffChunk, RiffContent};
use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};

pub const RED: [u8; 3] = [230, 20, 20];
pub const BLUE: [u8; 3] = [20, 40, 200];

/// A photo-like picture with a red 16×16 block in its top-left corner and blue elsewhere, so
/// that turning it can be checked.
pub fn marked(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        if x < 16 && y < 16 {
            Rgb(RED)
        } else {
            let shade = u8::try_from((x * 3 + y * 5) % 40).unwrap();
            Rgb([BLUE[0] + shade, BLUE[1], BLUE[2]])
        }
    })
}

/// A flat-ish gradient picture of any size (cheap to compress).
pub fn gradient(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([
            u8::try_from(x * 255 / width.max(1)).unwrap(),
            u8::try_from(y * 255 / height.max(1)).unwrap(),
            128,
        ])
    })
}

/// Pseudo-random noise (xorshift), the worst case for compression.
pub fn noise(width: u32, height: u32) -> RgbImage {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut img = RgbImage::new(width, height);
    for chunk in img.chunks_mut(8) {
        let bytes = next().to_le_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
    img
}

pub fn jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .unwrap();
    out
}

pub fn png(img: &DynamicImage) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_with_encoder(PngEncoder::new(&mut out)).unwrap();
    out
}

pub fn webp(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img.clone())
        .write_with_encoder(WebPEncoder::new_lossless(&mut out))
        .unwrap();
    out
}

pub fn transparent(width: u32, height: u32) -> RgbaImage {
    RgbaImage::from_fn(width, height, |x, _| {
        Rgba([10, 200, 10, if x < width / 2 { 0 } else { 255 }])
    })
}

struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    /// Little-endian value bytes: inline when at most 4, else stored after the IFD.
    data: Vec<u8>,
}

fn entry(tag: u16, kind: u16, count: u32, data: Vec<u8>) -> Entry {
    Entry {
        tag,
        kind,
        count,
        data,
    }
}

/// An IFD placed at offset `at` of the TIFF block, followed by its out-of-line values.
fn ifd(entries: &[Entry], at: usize) -> Vec<u8> {
    let table_len = 2 + 12 * entries.len() + 4;
    let mut table = Vec::new();
    let mut ext = Vec::new();
    table.extend(u16::try_from(entries.len()).unwrap().to_le_bytes());
    for e in entries {
        table.extend(e.tag.to_le_bytes());
        table.extend(e.kind.to_le_bytes());
        table.extend(e.count.to_le_bytes());
        if e.data.len() <= 4 {
            let mut v = e.data.clone();
            v.resize(4, 0);
            table.extend(v);
        } else {
            let off = at + table_len + ext.len();
            table.extend(u32::try_from(off).unwrap().to_le_bytes());
            ext.extend(&e.data);
            if ext.len() % 2 == 1 {
                ext.push(0);
            }
        }
    }
    table.extend(0u32.to_le_bytes());
    table.extend(ext);
    table
}

fn rationals(values: &[(u32, u32)]) -> Vec<u8> {
    values
        .iter()
        .flat_map(|&(n, d)| n.to_le_bytes().into_iter().chain(d.to_le_bytes()))
        .collect()
}

/// A little-endian TIFF/EXIF block (without the `Exif\0\0` prefix): camera make, optional
/// orientation, optional GPS IFD with a latitude and longitude in Jerusalem.
pub fn exif_tiff(orientation: Option<u16>, gps: bool) -> Vec<u8> {
    let build = |gps_at: u32| {
        let mut entries = vec![entry(0x010F, 2, 13, b"KehillaPhone\0".to_vec())];
        if let Some(o) = orientation {
            entries.push(entry(0x0112, 3, 1, o.to_le_bytes().to_vec()));
        }
        if gps {
            entries.push(entry(0x8825, 4, 1, gps_at.to_le_bytes().to_vec()));
        }
        ifd(&entries, 8)
    };
    let mut out = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    let probe = build(0);
    let gps_at = 8 + probe.len();
    out.extend(build(u32::try_from(gps_at).unwrap()));
    if gps {
        let entries = [
            entry(0x0000, 1, 4, vec![2, 3, 0, 0]),
            entry(0x0001, 2, 2, b"N\0".to_vec()),
            entry(0x0002, 5, 3, rationals(&[(31, 1), (46, 1), (3612, 100)])),
            entry(0x0003, 2, 2, b"E\0".to_vec()),
            entry(0x0004, 5, 3, rationals(&[(35, 1), (13, 1), (4400, 100)])),
        ];
        out.extend(ifd(&entries, gps_at));
    }
    out
}

/// A JPEG with an EXIF segment, an XMP segment, an IPTC segment and a comment added.
pub fn jpeg_with_metadata(img: &RgbImage, orientation: Option<u16>, gps: bool) -> Vec<u8> {
    let mut jpeg = Jpeg::from_bytes(Bytes::from(jpeg(img, 92))).unwrap();
    jpeg.set_exif(Some(Bytes::from(exif_tiff(orientation, gps))));
    let xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description \
        exif:GPSLatitude=\"31,46.6N\" exif:GPSLongitude=\"35,13.7E\"/></x:xmpmeta>";
    let segments = jpeg.segments_mut();
    segments.insert(
        1,
        JpegSegment::new_with_contents(0xE1, Bytes::from_static(xmp)),
    );
    segments.insert(
        2,
        JpegSegment::new_with_contents(0xED, Bytes::from_static(b"Photoshop 3.0\08BIM city")),
    );
    segments.insert(
        3,
        JpegSegment::new_with_contents(0xFE, Bytes::from_static(b"Taken at the shelter")),
    );
    encode_jpeg(jpeg)
}

pub fn encode_jpeg(jpeg: Jpeg) -> Vec<u8> {
    let mut out = Vec::new();
    jpeg.encoder().write_to(&mut out).unwrap();
    out
}

/// A PNG with an `eXIf` chunk and a `tEXt` comment right after the header.
pub fn png_with_exif(img: &DynamicImage, orientation: Option<u16>, gps: bool) -> Vec<u8> {
    let mut png = Png::from_bytes(Bytes::from(png(img))).unwrap();
    let chunks = png.chunks_mut();
    chunks.insert(
        1,
        PngChunk::new(*b"eXIf", Bytes::from(exif_tiff(orientation, gps))),
    );
    chunks.insert(
        1,
        PngChunk::new(
            *b"tEXt",
            Bytes::from_static(b"Comment\0Taken at the shelter"),
        ),
    );
    encode_png(png)
}

pub fn encode_png(png: Png) -> Vec<u8> {
    let mut out = Vec::new();
    png.encoder().write_to(&mut out).unwrap();
    out
}

/// A PNG whose header claims `width` × `height` (valid CRC, no pixel data to speak of).
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png =
        Png::from_bytes(Bytes::from(png(&DynamicImage::ImageRgb8(gradient(4, 4))))).unwrap();
    let ihdr = png.chunks()[0].contents().to_vec();
    let mut fake = width.to_be_bytes().to_vec();
    fake.extend(height.to_be_bytes());
    fake.extend(&ihdr[8..]);
    png.chunks_mut()[0] = PngChunk::new(*b"IHDR", Bytes::from(fake));
    encode_png(png)
}

/// A WebP with EXIF and XMP chunks.
pub fn webp_with_exif(img: &RgbImage, orientation: Option<u16>, gps: bool) -> Vec<u8> {
    let mut webp = WebP::from_bytes(Bytes::from(webp(img))).unwrap();
    webp.set_exif(Some(Bytes::from(exif_tiff(orientation, gps))));
    webp.chunks_mut().push(RiffChunk::new(
        *b"XMP ",
        RiffContent::Data(Bytes::from_static(b"<x:xmpmeta exif:GPSLatitude=\"31\"/>")),
    ));
    let mut out = Vec::new();
    webp.encoder().write_to(&mut out).unwrap();
    out
}

/// An ISO BMFF box.
pub fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut out = u32::try_from(payload.len() + 8)
        .unwrap()
        .to_be_bytes()
        .to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(payload);
    out
}

pub const MDAT_PAYLOAD: &[u8] = b"\x00\x00\x00\x10frame data 0123456789 +31.77 is just pixels here";

/// A minimal MP4: ftyp, moov {mvhd, udta{©xyz}, meta{Apple location key}, trak{tkhd 640×480,
/// udta{©xyz}}}, mdat.
pub fn mp4() -> Vec<u8> {
    let location = b"\x00\x0e\x15\xc7+31.77+035.23/";
    let mut tkhd = vec![0u8; 84];
    tkhd[76..80].copy_from_slice(&(640u32 << 16).to_be_bytes());
    tkhd[80..84].copy_from_slice(&(480u32 << 16).to_be_bytes());
    let mut trak = bx(b"tkhd", &tkhd);
    trak.extend(bx(b"udta", &bx(b"\xA9xyz", location)));
    let mut moov = bx(b"mvhd", &[0u8; 100]);
    moov.extend(bx(b"udta", &bx(b"\xA9xyz", location)));
    moov.extend(bx(
        b"meta",
        b"\0\0\0\0....mdta com.apple.quicktime.location.ISO6709 +31.7767+035.2345/",
    ));
    moov.extend(bx(b"trak", &trak));
    let mut file = bx(b"ftyp", b"isom\0\0\x02\0isomiso2avc1mp41");
    file.extend(bx(b"moov", &moov));
    // Non-metadata, nothing to remove: a free box of zeros.
    file.extend(bx(b"free", &[0u8; 8]));
    file.extend(bx(b"mdat", MDAT_PAYLOAD));
    file
}

/// A WebM EBML header followed by a few bytes.
pub fn webm() -> Vec<u8> {
    let mut out = b"\x1a\x45\xdf\xa3\x8b\x42\x86\x81\x01\x42\x82\x84webm".to_vec();
    out.extend(b"\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff");
    out
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

pub fn decode(bytes: &[u8]) -> DynamicImage {
    image::load_from_memory(bytes).unwrap()
}

/// Whether a pixel is clearly red (survives JPEG).
pub fn is_red(p: &Rgb<u8>) -> bool {
    p.0[0] > 150 && p.0[1] < 100 && p.0[2] < 100
}
