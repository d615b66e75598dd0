//! What previews need besides the text: the link card of the first web address, from the
//! linked page's OpenGraph data. Pages are fetched through the SSRF-safe client (no private
//! or loopback addresses, size and time limits) and kept for a day, so typing does not fetch
//! a page again.

use kehilla_db::{Db, now_ms, studio};
use kehilla_net::{LinkCard, SafeClient};

use crate::Result;

/// How long a fetched card (or a failure) is reused.
const CARD_TTL_MS: i64 = 24 * 3_600_000;
const FAILURE_TTL_MS: i64 = 10 * 60_000;

/// The first web address in a text.
pub fn first_url(text: &str) -> Option<String> {
    linkify::LinkFinder::new()
        .links(text)
        .find(|l| *l.kind() == linkify::LinkKind::Url)
        .map(|l| l.as_str().to_string())
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
}

/// The card of `url`, or the stable code of why there is none (`net.timeout`, `net.blocked`…).
pub async fn card(
    db: &Db,
    client: &SafeClient,
    url: &str,
) -> Result<std::result::Result<LinkCard, String>> {
    if let Some((card, error, at)) = studio::link_card(&db.pool, url).await? {
        let age = now_ms() - at;
        if let Some(c) = card
            .as_deref()
            .and_then(|c| serde_json::from_str::<LinkCard>(c).ok())
            && age < CARD_TTL_MS
        {
            return Ok(Ok(c));
        }
        if let Some(e) = error
            && age < FAILURE_TTL_MS
        {
            return Ok(Err(e));
        }
    }
    match kehilla_net::link_card(client, url).await {
        Ok(c) => {
            let json = serde_json::to_string(&c).unwrap_or_default();
            studio::save_link_card(&db.pool, url, Some(&json), None).await?;
            Ok(Ok(c))
        }
        Err(e) => {
            let code = e.code().to_string();
            studio::save_link_card(&db.pool, url, None, Some(&code)).await?;
            Ok(Err(code))
        }
    }
}
