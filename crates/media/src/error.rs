//! Errors of the media pipeline, with stable codes for the UI.

/// Why an upload was refused or could not be processed.
///
/// Uploads are untrusted: every malformed, hostile or oversized input ends here, never in a
/// panic. Details (the decoder's message) are for the logs; [`MediaError::code`] gives the UI a
/// stable code to translate.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MediaError {
    /// The file is longer than [`crate::Limits::max_bytes`].
    #[error("the file is too large ({size} bytes, at most {max})")]
    TooLarge {
        /// Length of the upload.
        size: usize,
        /// The limit it exceeded.
        max: usize,
    },
    /// The image claims more pixels than [`crate::Limits::max_pixels`], or a side longer than
    /// [`crate::Limits::max_dimension`]. Refused from the header, before any pixel is decoded.
    #[error("the image is too large ({width}×{height} pixels)")]
    TooManyPixels {
        /// Width claimed by the header.
        width: u32,
        /// Height claimed by the header.
        height: u32,
    },
    /// Decoding would need more memory than [`crate::Limits::max_alloc`].
    #[error("the image needs too much memory to decode")]
    MemoryLimit,
    /// Not one of the accepted formats (JPEG, PNG, WebP, GIF, MP4/MOV, WebM), or a variant of
    /// one that is not handled.
    #[error("unsupported file type: {0}")]
    Unsupported(&'static str),
    /// The file has the signature of an accepted format but its structure or data is broken
    /// (truncated upload, bad lengths, undecodable data…).
    #[error("the file is damaged: {0}")]
    Corrupt(String),
    /// The operation needs a picture (a rendition) but the file is a video.
    #[error("the file is not an image")]
    NotAnImage,
    /// Writing the result failed (e.g. a size budget that cannot be met).
    #[error("the result could not be written: {0}")]
    Encode(String),
}

impl MediaError {
    /// A stable, translatable code, e.g. `"media.too_many_pixels"`.
    pub fn code(&self) -> &'static str {
        match self {
            MediaError::TooLarge { .. } => "media.too_large",
            MediaError::TooManyPixels { .. } => "media.too_many_pixels",
            MediaError::MemoryLimit => "media.memory_limit",
            MediaError::Unsupported(_) => "media.unsupported",
            MediaError::Corrupt(_) => "media.corrupt",
            MediaError::NotAnImage => "media.not_an_image",
            MediaError::Encode(_) => "media.encode",
        }
    }

    pub(crate) fn corrupt(detail: impl Into<String>) -> MediaError {
        MediaError::Corrupt(detail.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_distinct() {
        let all = [
            MediaError::TooLarge { size: 2, max: 1 },
            MediaError::TooManyPixels {
                width: 1,
                height: 1,
            },
            MediaError::MemoryLimit,
            MediaError::Unsupported("x"),
            MediaError::Corrupt("x".into()),
            MediaError::NotAnImage,
            MediaError::Encode("x".into()),
        ];
        let codes: Vec<&str> = all.iter().map(MediaError::code).collect();
        assert_eq!(
            codes,
            [
                "media.too_large",
                "media.too_many_pixels",
                "media.memory_limit",
                "media.unsupported",
                "media.corrupt",
                "media.not_an_image",
                "media.encode"
            ]
        );
        let mut unique = codes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
    }
}
