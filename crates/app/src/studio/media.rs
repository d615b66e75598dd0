//! The media library: uploads of images and video. Metadata (EXIF, GPS, XMP, a video's
//! location boxes) is removed by default, so that a photo cannot tell where a beneficiary
//! lives; images get renditions each network accepts. Decoding runs on the blocking pool, one
//! upload at a time per process, so a large file does not hold up other users' requests.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kehilla_db::studio::{self, Media, MediaData};
use kehilla_db::{Db, new_public_id};
use kehilla_domain::Role;
use kehilla_media::{Kind, Limits, Profile};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use super::s3::S3Store;
use crate::members::OrgMember;
use crate::people::person::short;
use crate::{AppError, Result};

/// Where media files live: a directory under the data directory (the default), or an
/// S3-compatible object store (`media_store_url`), which several servers can share.
#[derive(Clone, Debug)]
pub struct Storage {
    backend: Backend,
    work: Arc<Semaphore>,
}

#[derive(Clone, Debug)]
enum Backend {
    Local(PathBuf),
    S3(Box<S3Store>),
}

impl Storage {
    pub fn local(root: impl Into<PathBuf>) -> Storage {
        Storage {
            backend: Backend::Local(root.into()),
            work: Arc::new(Semaphore::new(1)),
        }
    }

    /// The store the settings name: `media_store_url`, else the data directory. A malformed
    /// URL is refused at start-up (`kehilla::start`), so here it falls back to the directory.
    pub fn from_settings(settings: &crate::Settings) -> Storage {
        match settings
            .media_store_url
            .as_ref()
            .map(|u| S3Store::from_url(u.expose()))
        {
            Some(Ok(s3)) => Storage::s3(s3),
            _ => Storage::local(settings.data_dir.clone()),
        }
    }

    pub fn s3(store: S3Store) -> Storage {
        Storage {
            backend: Backend::S3(Box::new(store)),
            work: Arc::new(Semaphore::new(1)),
        }
    }

    fn check(key: &str) -> Result<()> {
        // Keys are made here, but check anyway: no way out of the root.
        if key
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..")
            || key.contains('\\')
        {
            return Err(AppError::Internal(format!("bad storage key {key}")));
        }
        Ok(())
    }

    fn path(&self, root: &Path, key: &str) -> Result<PathBuf> {
        Self::check(key)?;
        Ok(root.join(key))
    }

    /// Writes a file whole or not at all (temporary file, then rename; one PUT on S3).
    pub async fn put(&self, key: &str, bytes: &[u8]) -> Result<()> {
        let root = match &self.backend {
            Backend::Local(root) => root,
            Backend::S3(s3) => {
                Self::check(key)?;
                return s3.put(key, bytes).await;
            }
        };
        let path = self.path(root, key)?;
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await.map_err(io)?;
        }
        let tmp = path.with_extension("part");
        if let Err(e) = tokio::fs::write(&tmp, bytes).await {
            // A full disk leaves no half-written file.
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(io(e));
        }
        tokio::fs::rename(&tmp, &path).await.map_err(io)?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Vec<u8>> {
        let root = match &self.backend {
            Backend::Local(root) => root,
            Backend::S3(s3) => {
                Self::check(key)?;
                return s3.get(key).await;
            }
        };
        match tokio::fs::read(self.path(root, key)?).await {
            Ok(b) => Ok(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(AppError::NotFound),
            Err(e) => Err(io(e)),
        }
    }

    pub async fn delete_prefix(&self, prefix: &str) -> Result<()> {
        let root = match &self.backend {
            Backend::Local(root) => root,
            Backend::S3(s3) => {
                Self::check(prefix)?;
                return s3.delete_prefix(prefix).await;
            }
        };
        let path = self.path(root, prefix)?;
        match tokio::fs::remove_dir_all(&path).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io(e)),
        }
    }
}

fn io(e: std::io::Error) -> AppError {
    match crate::error::io_error(&e) {
        AppError::Internal(m) => AppError::Internal(format!("media storage: {m}")),
        other => other,
    }
}

fn media_error(e: kehilla_media::MediaError) -> AppError {
    use kehilla_media::MediaError as M;
    tracing::info!(error = %e, "upload refused");
    AppError::Media(match e {
        M::TooLarge { .. } => "media-too-large",
        M::TooManyPixels { .. } | M::MemoryLimit => "media-too-many-pixels",
        M::Unsupported(_) | M::NotAnImage => "media-unsupported",
        M::Corrupt(_) => "media-corrupt",
        M::Encode(_) => "media-encode",
        _ => "media-unsupported",
    })
}

fn ext(mime: &str) -> &'static str {
    match mime {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "image/gif" => "gif",
        "video/mp4" => "mp4",
        "video/quicktime" => "mov",
        "video/webm" => "webm",
        _ => "bin",
    }
}

/// An upload as received.
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub bytes: Vec<u8>,
    /// Keep EXIF and other metadata (off by default; the UI warns).
    pub keep_metadata: bool,
    pub alt_text: &'a str,
}

struct Processed {
    removed: bool,
    kind: Kind,
    mime: &'static str,
    width: Option<u32>,
    height: Option<u32>,
    had_location: bool,
    original: Vec<u8>,
    renditions: Vec<(Profile, kehilla_media::Rendition)>,
}

fn process(
    bytes: Vec<u8>,
    keep: bool,
    limits: &Limits,
) -> std::result::Result<Processed, kehilla_media::MediaError> {
    let info = kehilla_media::inspect(&bytes, limits)?;
    let original = if keep {
        bytes
    } else {
        kehilla_media::strip_metadata(&bytes, limits)?
    };
    let mut renditions = Vec::new();
    // What is left after stripping: a WebM's tags and a GPS track inside video data stay, and
    // then the file must not be labelled "metadata removed".
    let after = kehilla_media::probe(&original, limits)?;
    let removed = !keep && info.mime != "video/webm" && !after.has_gps;
    let (mut width, mut height) = (info.width, info.height);
    if info.kind == Kind::Image {
        let profiles = [Profile::Thumb, Profile::Large, Profile::Instagram];
        let made = kehilla_media::render_all(&original, &profiles, limits)?;
        renditions.extend(profiles.into_iter().zip(made));
        // The stripped original may have been turned upright: report its real size.
        width = after.width;
        height = after.height;
    }
    Ok(Processed {
        removed,
        kind: info.kind,
        mime: info.mime,
        width,
        height,
        had_location: info.has_gps,
        original,
        renditions,
    })
}

pub async fn upload(
    db: &Db,
    storage: &Storage,
    by: &OrgMember,
    u: Upload<'_>,
    max_bytes: usize,
) -> Result<Media> {
    if by.role < Role::Contributor {
        return Err(AppError::Forbidden);
    }
    if u.bytes.is_empty() {
        return Err(AppError::Media("media-empty"));
    }
    if u.bytes.len() > max_bytes {
        return Err(AppError::Media("media-too-large"));
    }
    let alt = short("alt_text", u.alt_text, 1000)?;
    let file_name: String = short("file_name", u.file_name, 200)?
        .chars()
        .filter(|c| !matches!(c, '/' | '\\'))
        .collect();
    let limits = Limits {
        max_bytes,
        ..Limits::default()
    };
    let sha = hex::encode(Sha256::digest(&u.bytes));
    let _permit = storage
        .work
        .acquire()
        .await
        .map_err(|_| AppError::Internal("media worker closed".into()))?;
    let keep = u.keep_metadata;
    let bytes = u.bytes;
    let p = tokio::task::spawn_blocking(move || process(bytes, keep, &limits))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(media_error)?;
    let public_id = new_public_id();
    let prefix = format!("media/{}/{public_id}", by.org.public_id);
    let okey = format!("{prefix}/original.{}", ext(p.mime));
    let mut files = vec![(
        "original".to_string(),
        p.mime,
        p.original.len(),
        (p.width, p.height),
        okey,
    )];
    for (profile, r) in &p.renditions {
        let key = format!("{prefix}/{}.{}", profile.key(), ext(r.mime));
        files.push((
            profile.key().to_string(),
            r.mime,
            r.bytes.len(),
            (Some(r.width), Some(r.height)),
            key,
        ));
    }
    let saved = async {
        // Every file, then the rows: a full disk or a lost database leaves nothing behind.
        let bytes = std::iter::once(&p.original).chain(p.renditions.iter().map(|(_, r)| &r.bytes));
        for ((_, _, _, _, key), b) in files.iter().zip(bytes) {
            storage.put(key, b).await?;
        }
        let mut tx = db.begin().await?;
        let m = studio::create_media(
            &mut *tx,
            by.org.id,
            &MediaData {
                public_id: &public_id,
                kind: match p.kind {
                    Kind::Image => "image",
                    Kind::Video => "video",
                },
                mime: p.mime,
                file_name: &file_name,
                bytes: i64::try_from(p.original.len()).unwrap_or(i64::MAX),
                width: p.width.map(i64::from),
                height: p.height.map(i64::from),
                alt_text: &alt,
                metadata_removed: p.removed,
                had_location: p.had_location,
                sha256: &sha,
                uploaded_by: by.user.id,
            },
        )
        .await?;
        for (profile, mime, len, (w, h), key) in &files {
            studio::add_media_file(
                &mut *tx,
                m.id,
                profile,
                mime,
                i64::try_from(*len).unwrap_or(i64::MAX),
                (w.map(i64::from), h.map(i64::from)),
                key,
            )
            .await?;
        }
        tx.commit().await?;
        Ok::<Media, AppError>(m)
    }
    .await;
    if saved.is_err() {
        let _ = storage.delete_prefix(&prefix).await;
    }
    saved
}

pub async fn set_alt(db: &Db, by: &OrgMember, public_id: &str, alt: &str) -> Result<()> {
    if by.role < Role::Contributor {
        return Err(AppError::Forbidden);
    }
    let alt = short("alt_text", alt, 1000)?;
    Ok(studio::set_alt(&db.pool, by.org.id, public_id, &alt).await?)
}

pub async fn delete(db: &Db, storage: &Storage, by: &OrgMember, public_id: &str) -> Result<()> {
    if by.role < Role::Editor {
        return Err(AppError::Forbidden);
    }
    let m = studio::media(&db.pool, by.org.id, public_id).await?;
    studio::delete_media(&db.pool, by.org.id, m.id).await?;
    storage
        .delete_prefix(&format!("media/{}/{}", by.org.public_id, m.public_id))
        .await
}

/// A stored file for the public file route: bytes and type.
pub async fn file(
    db: &Db,
    storage: &Storage,
    public_id: &str,
    profile: &str,
) -> Result<(String, Vec<u8>)> {
    let f = studio::media_file_public(&db.pool, public_id, profile).await?;
    Ok((f.mime, storage.get(&f.storage_key).await?))
}
