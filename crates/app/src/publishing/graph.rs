//! What Meta's three Graph APIs (Facebook Pages, Instagram, Threads) share: calls with the
//! bearer token, their error shape `{error: {message, code}}` and its classes, containers polled
//! until they are ready, and reconciliation by reading the account's newest posts.

use std::time::Duration;

use serde_json::Value;

use super::{Access, Comment, Metrics, PublishError, Published};

/// A Graph API client for one network (`name` appears in messages).
pub struct Graph {
    client: reqwest::Client,
    name: &'static str,
    pub(crate) watch: super::Watch,
    /// Pause between two status checks of a container (doubles up to a few seconds).
    pub poll_start: Duration,
}

impl Graph {
    pub fn new(allow_private: bool, name: &'static str) -> Option<Graph> {
        Some(Graph {
            client: super::http(allow_private, 60)?,
            name,
            watch: super::Watch::default(),
            poll_start: Duration::from_millis(200),
        })
    }

    fn url(access: &Access, path: &str) -> String {
        format!("{}/{path}", access.server_url)
    }

    pub async fn get(&self, access: &Access, path: &str) -> Result<Value, PublishError> {
        let r = self
            .client
            .get(Self::url(access, path))
            .bearer_auth(&access.token)
            .send()
            .await;
        self.answer(r).await
    }

    pub async fn post(
        &self,
        access: &Access,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<Value, PublishError> {
        let r = self
            .client
            .post(Self::url(access, path))
            .bearer_auth(&access.token)
            .form(form)
            .send()
            .await;
        self.answer(r).await
    }

    /// Reads an answer: the JSON of a success, or the class of the error. Codes 190 (invalid or
    /// revoked token) mean connecting again; 4, 17, 32 and 613 are rate limits.
    async fn answer(
        &self,
        r: Result<reqwest::Response, reqwest::Error>,
    ) -> Result<Value, PublishError> {
        let r = r.map_err(|e| super::transport(self.name, &e))?;
        for l in limits(r.headers(), kehilla_db::now_ms()) {
            self.watch.note(l);
        }
        let status = r.status().as_u16();
        let Ok(v) = r.json::<Value>().await else {
            return Err(PublishError::Retry("the answer was not JSON".into()));
        };
        self.classify(status, &v)
    }

    fn classify(&self, status: u16, v: &Value) -> Result<Value, PublishError> {
        if (200..300).contains(&status) {
            return Ok(v.clone());
        }
        let message = v
            .pointer("/error/message")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("{} refused the request", self.name));
        let code = v
            .pointer("/error/code")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if code == 4 {
            // "Application request limit reached": every account of the app waits.
            self.watch.note(super::Limit {
                app: true,
                until: kehilla_db::now_ms() + 60 * 60_000,
            });
        }
        Err(match (status, code) {
            (_, 190) | (401, _) => PublishError::Reconnect(message),
            (_, 4 | 17 | 32 | 613) | (429, _) => PublishError::RateLimited {
                until: kehilla_db::now_ms() + 60 * 60_000,
            },
            (400..=499, _) => PublishError::Rejected(message),
            _ => PublishError::Retry(message),
        })
    }

    /// Waits until a container is ready to publish: `status_field` says `FINISHED` (or
    /// `PUBLISHED`); `ERROR` or `EXPIRED` refuse it with the reason in `reason_field`.
    pub async fn ready(
        &self,
        access: &Access,
        id: &str,
        status_field: &str,
        reason_field: &str,
    ) -> Result<(), PublishError> {
        let mut pause = self.poll_start;
        for _ in 0..20 {
            let v = self
                .get(
                    access,
                    &format!("{id}?fields={status_field},{reason_field}"),
                )
                .await?;
            match v.get(status_field).and_then(Value::as_str) {
                Some("FINISHED") | Some("PUBLISHED") => return Ok(()),
                Some("ERROR") | Some("EXPIRED") => {
                    let why = v
                        .get(reason_field)
                        .and_then(Value::as_str)
                        .unwrap_or("the media could not be processed");
                    return Err(PublishError::Rejected(why.to_string()));
                }
                _ => {}
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(5));
        }
        Err(PublishError::Retry(
            "the media is still being processed".into(),
        ))
    }

    /// Among the newest items of `list_path` (a `{data: [...]}` list), the one whose
    /// `text_field` is `text`: a post already made by an attempt whose answer was lost.
    pub async fn find(
        &self,
        access: &Access,
        list_path: &str,
        text_field: &str,
        url_field: &str,
        text: &str,
    ) -> Result<Option<Published>, PublishError> {
        let v = self.get(access, list_path).await?;
        Ok(v.get("data")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|p| p.get(text_field).and_then(Value::as_str) == Some(text))
            .map(|p| Published {
                id: p
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                url: p
                    .get(url_field)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            }))
    }

    /// Waits for a container, publishes it through `{account}/{publish_edge}`, and reads the
    /// permalink. When the answer to publishing is lost, the account's newest posts
    /// (`list_path`, compared on `text_field`) tell whether it went out.
    #[allow(clippy::too_many_arguments)]
    pub async fn publish_container(
        &self,
        access: &Access,
        container: &str,
        status: (&str, &str),
        publish_edge: &str,
        list_path: &str,
        text_field: &str,
        text: &str,
    ) -> Result<Published, PublishError> {
        self.ready(access, container, status.0, status.1).await?;
        let path = format!("{}/{publish_edge}", access.account);
        let v = match self
            .post(access, &path, &[("creation_id", container)])
            .await
        {
            Ok(v) => v,
            Err(PublishError::Retry(msg)) => {
                return match self
                    .find(access, list_path, text_field, "permalink", text)
                    .await?
                {
                    Some(found) => Ok(found),
                    None => Err(PublishError::Retry(msg)),
                };
            }
            Err(e) => return Err(e),
        };
        let id = Self::id(&v, "post")?;
        let url = self.permalink(access, &id).await;
        Ok(Published { id, url })
    }

    /// The `id` of an answer, or a passing failure.
    pub fn id(v: &Value, what: &str) -> Result<String, PublishError> {
        v.get("id")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| PublishError::Retry(format!("no {what} id")))
    }

    /// A published item's permalink, or nothing.
    pub async fn permalink(&self, access: &Access, id: &str) -> String {
        self.get(access, &format!("{id}?fields=permalink"))
            .await
            .ok()
            .and_then(|v| {
                v.get("permalink")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_default()
    }

    /// Deletes an object. One that no longer exists (404, or code 100 with subcode 33) counts as
    /// deleted.
    pub async fn delete(&self, access: &Access, id: &str) -> Result<(), PublishError> {
        let r = self
            .client
            .delete(Self::url(access, id))
            .bearer_auth(&access.token)
            .send()
            .await
            .map_err(|e| super::transport(self.name, &e))?;
        if r.status().as_u16() == 404 {
            return Ok(());
        }
        let status = r.status().as_u16();
        let Ok(v) = r.json::<Value>().await else {
            return Err(PublishError::Retry("the answer was not JSON".into()));
        };
        let gone = v.pointer("/error/code").and_then(Value::as_i64) == Some(100)
            && v.pointer("/error/error_subcode").and_then(Value::as_i64) == Some(33);
        if gone {
            return Ok(());
        }
        self.classify(status, &v).map(|_| ())
    }

    /// Reads one whole-number field of a node (`{id}?fields={field}`), such as an account's
    /// `followers_count`.
    pub async fn count(&self, access: &Access, id: &str, field: &str) -> Result<i64, PublishError> {
        self.get(access, &format!("{id}?fields={field}"))
            .await?
            .get(field)
            .and_then(Value::as_i64)
            .ok_or_else(|| PublishError::Retry(format!("no {field} in the answer")))
    }

    /// Reads `{id}/insights?metric=…`: each metric's latest value under its own name. A value
    /// that is an object (reactions by type, views paid and organic) is summed.
    pub async fn insights(
        &self,
        access: &Access,
        id: &str,
        metrics: &str,
    ) -> Result<Metrics, PublishError> {
        self.read_insights(access, &format!("{id}/insights?metric={metrics}"))
            .await
    }

    /// Reads an insights answer (`{data: [{name, values | total_value}]}`) at `path`.
    pub async fn read_insights(
        &self,
        access: &Access,
        path: &str,
    ) -> Result<Metrics, PublishError> {
        let v = self.get(access, path).await?;
        let mut out = Metrics::new();
        for m in v
            .get("data")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(name) = m.get("name").and_then(Value::as_str) else {
                continue;
            };
            let value = m
                .pointer("/total_value/value")
                .or_else(|| {
                    m.get("values")
                        .and_then(Value::as_array)
                        .and_then(|a| a.last())
                        .and_then(|x| x.get("value"))
                })
                .cloned()
                .unwrap_or(Value::Null);
            let n = match &value {
                Value::Number(n) => n.as_i64(),
                Value::Object(o) => Some(o.values().filter_map(Value::as_i64).sum()),
                _ => None,
            };
            if let Some(n) = n {
                out.insert(name.to_string(), n);
            }
        }
        Ok(out)
    }

    /// Reads a `{data: [...]}` list of comments and turns each with `read`.
    pub async fn comments(
        &self,
        access: &Access,
        path: &str,
        read: impl Fn(&Value) -> Vec<Comment>,
    ) -> Result<Vec<Comment>, PublishError> {
        let v = self.get(access, path).await?;
        let mut out: Vec<Comment> = v
            .get("data")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(read)
            .collect();
        out.sort_by(|a, b| a.created_at.cmp(&b.created_at));
        Ok(out)
    }
}

/// The limits in Meta's usage headers: `X-App-Usage` (the app's, in percent: at 100 every
/// call waits, up to an hour) and `X-Business-Use-Case-Usage` (per Page or account, with
/// `estimated_time_to_regain_access` in minutes).
pub(crate) fn limits(h: &reqwest::header::HeaderMap, now: i64) -> Vec<super::Limit> {
    let json = |name: &str| {
        h.get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| serde_json::from_str::<Value>(v).ok())
    };
    let full = |v: &Value| {
        ["call_count", "total_cputime", "total_time"]
            .iter()
            .any(|k| v.get(*k).and_then(Value::as_i64).is_some_and(|n| n >= 100))
    };
    let mut out = Vec::new();
    if json("x-app-usage").is_some_and(|v| full(&v)) {
        out.push(super::Limit {
            app: true,
            until: now + 60 * 60_000,
        });
    }
    if let Some(Value::Object(by_id)) = json("x-business-use-case-usage") {
        for usage in by_id.values().filter_map(Value::as_array).flatten() {
            let wait = usage
                .get("estimated_time_to_regain_access")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            if wait > 0 || full(usage) {
                out.push(super::Limit {
                    app: false,
                    until: now + wait.max(1) * 60_000,
                });
            }
        }
    }
    out
}
