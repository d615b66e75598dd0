//! An S3-compatible object store for media files (AWS S3, MinIO, Garage, Ceph, R2…): put, get
//! and delete-by-prefix over HTTP with AWS Signature Version 4, path-style addressing.
//!
//! Configured by one URL, `s3://KEY_ID:SECRET@host[:port]/bucket[/prefix]?region=REGION`
//! (`s3+http://` for a store without TLS, e.g. on the same machine). The secret is part of a
//! setting that is never logged.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::{AppError, Result};

#[derive(Clone)]
pub struct S3Store {
    client: reqwest::Client,
    /// `https://host:port`
    endpoint: String,
    /// `host:port` as sent in the Host header.
    host: String,
    bucket: String,
    prefix: String,
    region: String,
    key_id: String,
    secret: String,
}

impl std::fmt::Debug for S3Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "S3Store({}/{})", self.endpoint, self.bucket)
    }
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes.get(i), bytes.get(i + 1..i + 3)) {
            (Some(b'%'), Some(h)) => match std::str::from_utf8(h)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                Some(b) => {
                    out.push(b);
                    i += 3;
                }
                None => {
                    out.push(b'%');
                    i += 1;
                }
            },
            (Some(b), _) => {
                out.push(*b);
                i += 1;
            }
            (None, _) => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl S3Store {
    /// Reads the store's URL; the error says what is wrong with it (without the secret).
    pub fn from_url(url: &str) -> std::result::Result<S3Store, String> {
        let u = reqwest::Url::parse(url.trim())
            .map_err(|e| format!("media_store_url is not a URL: {e}"))?;
        let scheme = match u.scheme() {
            "s3" | "s3+https" => "https",
            "s3+http" => "http",
            _ => {
                return Err(
                    "media_store_url must start with s3://, s3+https:// or s3+http://".into(),
                );
            }
        };
        let host = u
            .host_str()
            .ok_or("media_store_url has no host")?
            .to_string();
        let host = match u.port() {
            Some(p) => format!("{host}:{p}"),
            None => host,
        };
        let mut parts = u.path().trim_matches('/').splitn(2, '/');
        let bucket = parts.next().unwrap_or("").to_string();
        if bucket.is_empty() {
            return Err("media_store_url names no bucket: s3://KEY:SECRET@host/bucket".into());
        }
        let prefix = parts.next().unwrap_or("").trim_matches('/').to_string();
        if u.username().is_empty() || u.password().is_none() {
            return Err(
                "media_store_url needs the access key and secret: s3://KEY:SECRET@host/bucket"
                    .into(),
            );
        }
        let region = u
            .query_pairs()
            .find(|(k, _)| k == "region")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| "us-east-1".into());
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(120))
            .build()
            .map_err(|e| format!("cannot build the HTTP client for media_store_url: {e}"))?;
        Ok(S3Store {
            client,
            endpoint: format!("{scheme}://{host}"),
            host,
            bucket,
            prefix,
            region,
            key_id: decode(u.username()),
            secret: decode(u.password().unwrap_or("")),
        })
    }

    fn object_path(&self, key: &str) -> String {
        let full = if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}/{key}", self.prefix)
        };
        format!("/{}/{}", self.bucket, encode(&full, false))
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Result<reqwest::Response> {
        let payload = hex::encode(Sha256::digest(&body));
        let now = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
        let mut q: Vec<(String, String)> = query
            .iter()
            .map(|(k, v)| (encode(k, true), encode(v, true)))
            .collect();
        q.sort();
        let query_string = q
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        let headers = [
            ("host", self.host.as_str()),
            ("x-amz-content-sha256", payload.as_str()),
            ("x-amz-date", now.as_str()),
        ];
        let auth = sign(&Request {
            method: method.as_str(),
            path,
            query: &query_string,
            headers: &headers,
            payload_hash: &payload,
            amz_date: &now,
            region: &self.region,
            key_id: &self.key_id,
            secret: &self.secret,
        });
        let url = if query_string.is_empty() {
            format!("{}{path}", self.endpoint)
        } else {
            format!("{}{path}?{query_string}", self.endpoint)
        };
        self.client
            .request(method, url)
            .header("x-amz-content-sha256", &payload)
            .header("x-amz-date", &now)
            .header("authorization", auth)
            .body(body)
            .send()
            .await
            .map_err(|e| AppError::Internal(format!("media store: {e}")))
    }

    fn failed(what: &str, status: reqwest::StatusCode, body: &str) -> AppError {
        let code = body
            .split("<Code>")
            .nth(1)
            .and_then(|s| s.split("</Code>").next())
            .unwrap_or("");
        AppError::Internal(format!("media store: {what} answered {status} {code}"))
    }

    pub async fn put(&self, key: &str, bytes: &[u8]) -> Result<()> {
        let r = self
            .send(
                reqwest::Method::PUT,
                &self.object_path(key),
                &[],
                bytes.to_vec(),
            )
            .await?;
        if r.status().is_success() {
            return Ok(());
        }
        let s = r.status();
        Err(Self::failed("PUT", s, &r.text().await.unwrap_or_default()))
    }

    pub async fn get(&self, key: &str) -> Result<Vec<u8>> {
        let r = self
            .send(
                reqwest::Method::GET,
                &self.object_path(key),
                &[],
                Vec::new(),
            )
            .await?;
        match r.status() {
            s if s.is_success() => Ok(r
                .bytes()
                .await
                .map_err(|e| AppError::Internal(format!("media store: {e}")))?
                .to_vec()),
            reqwest::StatusCode::NOT_FOUND => Err(AppError::NotFound),
            s => Err(Self::failed("GET", s, &r.text().await.unwrap_or_default())),
        }
    }

    /// Deletes every object under `prefix` (a media item's files).
    pub async fn delete_prefix(&self, prefix: &str) -> Result<()> {
        let full = if self.prefix.is_empty() {
            format!("{prefix}/")
        } else {
            format!("{}/{prefix}/", self.prefix)
        };
        let path = format!("/{}", self.bucket);
        let r = self
            .send(
                reqwest::Method::GET,
                &path,
                &[("list-type", "2"), ("prefix", &full)],
                Vec::new(),
            )
            .await?;
        let s = r.status();
        let body = r.text().await.unwrap_or_default();
        if !s.is_success() {
            return Err(Self::failed("LIST", s, &body));
        }
        for key in body
            .split("<Key>")
            .skip(1)
            .filter_map(|s| s.split("</Key>").next())
        {
            let key = key
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">");
            let path = format!("/{}/{}", self.bucket, encode(&key, false));
            let r = self
                .send(reqwest::Method::DELETE, &path, &[], Vec::new())
                .await?;
            if !r.status().is_success() && r.status() != reqwest::StatusCode::NOT_FOUND {
                let s = r.status();
                return Err(Self::failed(
                    "DELETE",
                    s,
                    &r.text().await.unwrap_or_default(),
                ));
            }
        }
        Ok(())
    }
}

/// URI-encodes as Signature Version 4 wants: every byte but `A-Za-z0-9-_.~` (and `/` in paths).
pub fn encode(s: &str, slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || (b == b'/' && !slash) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What a request signature covers.
pub struct Request<'a> {
    pub method: &'a str,
    /// Already encoded.
    pub path: &'a str,
    /// Already encoded and sorted.
    pub query: &'a str,
    /// Lower-case names; all of them are signed.
    pub headers: &'a [(&'a str, &'a str)],
    pub payload_hash: &'a str,
    /// `YYYYMMDDTHHMMSSZ`
    pub amz_date: &'a str,
    pub region: &'a str,
    pub key_id: &'a str,
    pub secret: &'a str,
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data.as_bytes());
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// The `Authorization` header of AWS Signature Version 4 for the S3 service.
pub fn sign(r: &Request<'_>) -> String {
    let mut headers: Vec<(String, String)> = r
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    headers.sort();
    let canonical_headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed = headers
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed}\n{}",
        r.method, r.path, r.query, r.payload_hash
    );
    let date = r.amz_date.get(..8).unwrap_or("");
    let scope = format!("{date}/{}/s3/aws4_request", r.region);
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
        r.amz_date,
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let k = hmac(format!("AWS4{}", r.secret).as_bytes(), date);
    let k = hmac(&k, r.region);
    let k = hmac(&k, "s3");
    let k = hmac(&k, "aws4_request");
    let signature = hex::encode(hmac(&k, &to_sign));
    format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed}, Signature={signature}",
        r.key_id
    )
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    /// The "GET Object" example of Amazon's Signature Version 4 documentation.
    #[test]
    fn signature_matches_the_documented_example() {
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let auth = sign(&Request {
            method: "GET",
            path: "/test.txt",
            query: "",
            headers: &[
                ("Host", "examplebucket.s3.amazonaws.com"),
                ("Range", "bytes=0-9"),
                ("x-amz-content-sha256", empty),
                ("x-amz-date", "20130524T000000Z"),
            ],
            payload_hash: empty,
            amz_date: "20130524T000000Z",
            region: "us-east-1",
            key_id: "AKIAIOSFODNN7EXAMPLE",
            secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        });
        assert_eq!(
            auth,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    #[test]
    fn urls_are_read_and_checked() {
        let s = S3Store::from_url(
            "s3+http://AK:se%2Fcret@127.0.0.1:9000/media/kehilla?region=il-central-1",
        );
        let s = s.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.endpoint, "http://127.0.0.1:9000");
        assert_eq!((s.bucket.as_str(), s.prefix.as_str()), ("media", "kehilla"));
        assert_eq!(
            (s.secret.as_str(), s.region.as_str()),
            ("se/cret", "il-central-1")
        );
        assert_eq!(s.object_path("a/b c.jpg"), "/media/kehilla/a/b%20c.jpg");
        assert!(
            S3Store::from_url("s3://host/bucket").is_err(),
            "no credentials"
        );
        assert!(S3Store::from_url("s3://a:b@host/").is_err(), "no bucket");
        assert!(S3Store::from_url("ftp://a:b@host/x").is_err());
        assert!(!format!("{s:?}").contains("cret"));
    }
}
