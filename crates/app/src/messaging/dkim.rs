//! DKIM signatures (RFC 6376): RSA-SHA256 with relaxed/relaxed canonicalization, made over a
//! finished message's bytes and signed with aws-lc (the RSA signature is most of the CPU a
//! campaign spends; aws-lc signs several times faster than a pure-Rust RSA).

use aws_lc_rs::digest;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// An organization's signing key and what its signatures say.
pub struct Signer {
    key: RsaKeyPair,
    domain: String,
    selector: String,
    /// Lower-case names of the signed header fields.
    headers: Vec<String>,
    rng: SystemRandom,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("domain", &self.domain)
            .field("selector", &self.selector)
            .finish_non_exhaustive()
    }
}

/// Why a key cannot sign.
#[derive(Debug)]
pub struct KeyError(pub String);

impl Signer {
    /// A signer from the PEM of an RSA private key: PKCS#8 (`PRIVATE KEY`, as the sender page
    /// makes them) or PKCS#1 (`RSA PRIVATE KEY`, as earlier versions did).
    pub fn new(
        pem: &str,
        domain: &str,
        selector: &str,
        headers: &[&str],
    ) -> Result<Self, KeyError> {
        let (label, der) = from_pem(pem).ok_or_else(|| KeyError("not a PEM key".into()))?;
        let key = match label.as_str() {
            "PRIVATE KEY" => RsaKeyPair::from_pkcs8(&der),
            "RSA PRIVATE KEY" => RsaKeyPair::from_der(&der),
            other => return Err(KeyError(format!("unexpected PEM label {other}"))),
        }
        .map_err(|e| KeyError(e.to_string()))?;
        Ok(Signer {
            key,
            domain: domain.to_string(),
            selector: selector.to_string(),
            headers: headers.iter().map(|h| h.to_ascii_lowercase()).collect(),
            rng: SystemRandom::new(),
        })
    }

    /// The message with a `DKIM-Signature` field in front, signed at `timestamp` (Unix seconds).
    pub fn sign(&self, message: &[u8], timestamp: u64) -> Result<Vec<u8>, KeyError> {
        let (head, body) = split(message);
        let bh = STANDARD.encode(digest::digest(&digest::SHA256, &relaxed_body(body)));
        // The field as it is sent, without the signature; folded so no line grows long.
        let mut h = String::new();
        let mut line = 3;
        for (i, name) in self.headers.iter().enumerate() {
            if i > 0 {
                h.push(':');
                line += 1;
            }
            if line + name.len() > 72 {
                h.push_str("\r\n ");
                line = 1;
            }
            h.push_str(name);
            line += name.len();
        }
        let unsigned = format!(
            "v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n d={}; s={}; t={timestamp};\r\n h={h};\r\n bh={bh};\r\n b=",
            self.domain, self.selector,
        );
        let fields = fields(head);
        let mut input = Vec::with_capacity(1024);
        for name in &self.headers {
            // The last instance of a field is the one signed (RFC 6376 §5.4.2); an absent field
            // is signed as absent, so it cannot be added on the way.
            if let Some((n, v)) = fields
                .iter()
                .rev()
                .find(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            {
                relaxed_field(n, v, &mut input);
                input.extend_from_slice(b"\r\n");
            }
        }
        relaxed_field(b"DKIM-Signature", unsigned.as_bytes(), &mut input);
        let mut signature = vec![0u8; self.key.public_modulus_len()];
        self.key
            .sign(&RSA_PKCS1_SHA256, &self.rng, &input, &mut signature)
            .map_err(|_| KeyError("RSA signing failed".into()))?;
        let b = STANDARD.encode(&signature);
        let mut out = Vec::with_capacity(message.len() + unsigned.len() + b.len() + 64);
        out.extend_from_slice(b"DKIM-Signature: ");
        out.extend_from_slice(unsigned.as_bytes());
        for (i, chunk) in b.as_bytes().chunks(72).enumerate() {
            if i > 0 {
                out.extend_from_slice(b"\r\n ");
            }
            out.extend_from_slice(chunk);
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(message);
        Ok(out)
    }
}

/// `der` as PEM with `label` (RFC 7468), lines of 64 characters.
pub fn pem(label: &str, der: &[u8]) -> String {
    let b = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The label and the bytes of the first PEM block of `text`.
pub fn from_pem(text: &str) -> Option<(String, Vec<u8>)> {
    let begin = text.find("-----BEGIN ")?;
    let rest = text.get(begin + 11..)?;
    let label_end = rest.find("-----")?;
    let label = rest.get(..label_end)?.to_string();
    let body = rest.get(label_end + 5..)?;
    let end = body.find(&format!("-----END {label}-----"))?;
    let b64: String = body
        .get(..end)?
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    Some((label, STANDARD.decode(b64).ok()?))
}

/// The header section (each field with its CRLF) and the body.
fn split(message: &[u8]) -> (&[u8], &[u8]) {
    match message.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => (
            message.get(..i + 2).unwrap_or_default(),
            message.get(i + 4..).unwrap_or_default(),
        ),
        None => (message, &[]),
    }
}

/// The header fields as (name, raw value with its folding), in order.
fn fields(head: &[u8]) -> Vec<(&[u8], &[u8])> {
    let mut out: Vec<(&[u8], &[u8])> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < head.len() {
        // A field ends at a CRLF not followed by whitespace.
        if head.get(i..i + 2) == Some(b"\r\n") && !matches!(head.get(i + 2), Some(b' ' | b'\t')) {
            let line = head.get(start..i).unwrap_or_default();
            if let Some(colon) = line.iter().position(|&c| c == b':') {
                let (name, value) = line.split_at(colon);
                out.push((trim_end(name), value.get(1..).unwrap_or_default()));
            }
            i += 2;
            start = i;
        } else {
            i += 1;
        }
    }
    out
}

fn trim_end(s: &[u8]) -> &[u8] {
    let end = s
        .iter()
        .rposition(|c| !matches!(c, b' ' | b'\t'))
        .map_or(0, |p| p + 1);
    s.get(..end).unwrap_or_default()
}

/// `name:value` in relaxed form (RFC 6376 §3.4.2), without the CRLF.
fn relaxed_field(name: &[u8], value: &[u8], out: &mut Vec<u8>) {
    out.extend(name.iter().map(u8::to_ascii_lowercase));
    out.push(b':');
    let mut space = false;
    let mut started = false;
    for &c in value {
        match c {
            b'\r' | b'\n' => {}
            b' ' | b'\t' => space = true,
            _ => {
                if space && started {
                    out.push(b' ');
                }
                space = false;
                started = true;
                out.push(c);
            }
        }
    }
}

/// The body in relaxed form (RFC 6376 §3.4.4).
fn relaxed_body(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    for line in body.split_inclusive(|&c| c == b'\n') {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut space = false;
        for &c in trim_end(line) {
            if matches!(c, b' ' | b'\t') {
                space = true;
            } else {
                if space {
                    out.push(b' ');
                }
                space = false;
                out.push(c);
            }
        }
        out.extend_from_slice(b"\r\n");
    }
    // Empty lines at the end are not part of the body.
    while out.ends_with(b"\r\n\r\n") {
        out.truncate(out.len() - 2);
    }
    if out == b"\r\n" {
        out.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relaxed_body_collapses_space_and_drops_trailing_blank_lines() {
        assert_eq!(relaxed_body(b" C \r\nD \t E\r\n\r\n\r\n"), b" C\r\nD E\r\n");
        assert_eq!(relaxed_body(b"no end"), b"no end\r\n");
        assert_eq!(relaxed_body(b"\r\n\r\n"), b"");
        assert_eq!(relaxed_body(b""), b"");
    }

    #[test]
    fn relaxed_fields_are_unfolded_and_lower_cased() {
        // The example of RFC 6376 §3.4.5.
        let head = b"A: X\r\nB : Y\t\r\n\tZ  \r\n";
        let f = fields(head);
        let mut out = Vec::new();
        for (n, v) in &f {
            relaxed_field(n, v, &mut out);
            out.extend_from_slice(b"\r\n");
        }
        assert_eq!(out, b"a:X\r\nb:Y Z\r\n");
    }

    #[test]
    fn pem_round_trip() {
        let text = pem("PRIVATE KEY", &[1, 2, 3, 250]);
        assert_eq!(
            text,
            "-----BEGIN PRIVATE KEY-----\nAQID+g==\n-----END PRIVATE KEY-----\n"
        );
        assert_eq!(
            from_pem(&text),
            Some(("PRIVATE KEY".into(), vec![1, 2, 3, 250]))
        );
        assert_eq!(from_pem("junk"), None);
    }

    #[test]
    fn pkcs1_and_pkcs8_keys_sign_alike() {
        let (pkcs8, _) = crate::messaging::sender::generate_key().unwrap();
        let (_, der) = from_pem(&pkcs8).unwrap();
        // A PKCS#8 RSA key wraps the PKCS#1 key after a fixed 26-byte prefix.
        let pkcs1 = pem("RSA PRIVATE KEY", &der[26..]);
        let a = Signer::new(&pkcs8, "yad.example", "k1", &["From", "Subject"]).unwrap();
        let b = Signer::new(&pkcs1, "yad.example", "k1", &["From", "Subject"]).unwrap();
        let msg = "From: a@yad.example\r\nSubject:  \u{5e9}\r\n\r\nbody\r\n".as_bytes();
        let signed = a.sign(msg, 1_700_000_000).unwrap();
        assert_eq!(signed, b.sign(msg, 1_700_000_000).unwrap());
        let text = String::from_utf8(signed).unwrap();
        assert!(text.starts_with("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n d=yad.example; s=k1; t=1700000000;\r\n h=from:subject;\r\n bh="));
        assert!(text.ends_with("\r\nFrom: a@yad.example\r\nSubject:  \u{5e9}\r\n\r\nbody\r\n"));
        assert!(text.lines().all(|l| l.len() <= 78), "folded");
        assert!(Signer::new("junk", "d", "s", &[]).is_err());
    }

    #[test]
    fn split_finds_the_blank_line() {
        let (h, b) = split(b"A: 1\r\nB: 2\r\n\r\nbody\r\n");
        assert_eq!(h, b"A: 1\r\nB: 2\r\n");
        assert_eq!(b, b"body\r\n");
    }
}
