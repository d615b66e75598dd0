//! The adapters' calls after publishing — delete, a post's figures, its comments, a reply, the
//! profile — against local servers that answer as each network's documentation says (paths,
//! shapes, error bodies). What the Inbox and Measure build on.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use kehilla_app::publishing::{Access, Attachment, Profile, PublishError, adapter};
use serde_json::{Value, json};

/// One request as the fake network received it.
#[derive(Clone, Debug)]
pub(crate) struct Req {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Req {
    pub(crate) fn is(&self, method: &str, path: &str) -> bool {
        self.method == method && self.path == path
    }
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub(crate) fn form(&self, key: &str) -> Option<String> {
        url_pairs(&self.text())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
    pub(crate) fn param(&self, key: &str) -> Option<String> {
        url_pairs(&self.query)
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
    pub(crate) fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

fn url_pairs(s: &str) -> impl Iterator<Item = (String, String)> + '_ {
    reqwest::Url::parse(&format!("http://x/?{s}"))
        .map(|u| {
            u.query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
}

pub(crate) type Log = Arc<Mutex<Vec<Req>>>;

pub(crate) fn answer(status: u16, body: Value) -> Response {
    (StatusCode::from_u16(status).unwrap(), axum::Json(body)).into_response()
}

/// Serves `respond` (given the request and every earlier one) and returns its address and log.
pub(crate) async fn serve(
    respond: impl Fn(&Req, &[Req]) -> Response + Send + Sync + 'static,
) -> (String, Log) {
    let log: Log = Arc::default();
    let respond = Arc::new(respond);
    let l = log.clone();
    let app = Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let (l, respond) = (l.clone(), respond.clone());
            async move {
                let req = Req {
                    method: method.to_string(),
                    path: uri.path().to_string(),
                    query: uri.query().unwrap_or_default().to_string(),
                    headers,
                    body: body.to_vec(),
                };
                let earlier = l.lock().unwrap().clone();
                let r = respond(&req, &earlier);
                l.lock().unwrap().push(req);
                r
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), log)
}

fn access(server: &str, token: &str, account: &str) -> Access {
    Access {
        server_url: server.to_string(),
        token: token.to_string(),
        account: account.to_string(),
    }
}

fn logo() -> Attachment {
    Attachment {
        bytes: kehilla_media::sample::photo(64, 64, 80),
        mime: "image/jpeg".into(),
        file_name: "logo.jpg".into(),
        alt_text: String::new(),
        url: String::new(),
    }
}

#[tokio::test]
async fn mastodon_reads_counts_and_replies_answers_once_per_key_deletes_and_sets_the_profile() {
    let keys: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let k = keys.clone();
    let (server, log) = serve(move |r, earlier| {
        if r.header("authorization") != "Bearer m-good" {
            return answer(401, json!({"error": "The access token is invalid"}));
        }
        match (r.method.as_str(), r.path.as_str()) {
            ("GET", "/api/v1/statuses/100") => answer(
                200,
                json!({"id": "100", "replies_count": 2, "reblogs_count": 5, "favourites_count": 11, "quotes_count": 0}),
            ),
            ("GET", "/api/v1/statuses/100/context") => answer(
                200,
                json!({"ancestors": [], "descendants": [
                    {"id": "101", "in_reply_to_id": "100", "created_at": "2026-11-20T10:00:00.000Z",
                     "url": "https://social.example/@ruth/101",
                     "account": {"id": "7", "acct": "ruth@other.example"},
                     "content": "<p><span class=\"h-card\"><a href=\"https://social.example/@yad\">@<span>yad</span></a></span> כל הכבוד! Great &amp; inspiring</p>"},
                    {"id": "102", "in_reply_to_id": "101", "created_at": "2026-11-20T11:00:00.000Z",
                     "url": "https://social.example/@dan/102",
                     "account": {"id": "8", "acct": "dan"}, "content": "<p>מסכים</p>"}
                ]}),
            ),
            ("POST", "/api/v1/statuses") => {
                let key = r.header("idempotency-key").to_string();
                let mut keys = k.lock().unwrap();
                if let Some((_, id)) = keys.iter().find(|(x, _)| *x == key) {
                    return answer(200, json!({"id": id, "url": format!("https://social.example/@yad/{id}")}));
                }
                let id = format!("{}", 200 + keys.len());
                keys.push((key, id.clone()));
                answer(200, json!({"id": id, "url": format!("https://social.example/@yad/{id}")}))
            }
            ("DELETE", "/api/v1/statuses/100") => {
                if earlier.iter().any(|e| e.is("DELETE", "/api/v1/statuses/100")) {
                    answer(404, json!({"error": "Record not found"}))
                } else {
                    answer(200, json!({"id": "100", "text": "…"}))
                }
            }
            ("PATCH", "/api/v1/accounts/update_credentials") => {
                answer(200, json!({"id": "1", "acct": "yad"}))
            }
            _ => answer(404, json!({"error": "Record not found"})),
        }
    })
    .await;
    let a = adapter("mastodon", true).unwrap();
    let acc = access(&server, "m-good", "@yad@social.example");

    let m = a.metrics(&acc, "100").await.unwrap();
    assert_eq!(m.get("favourites_count"), Some(&11));
    assert_eq!(m.get("reblogs_count"), Some(&5));
    assert_eq!(m.get("replies_count"), Some(&2));

    let c = a.comments(&acc, "100").await.unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].id, "101");
    assert_eq!(c[0].parent_id, "100");
    assert_eq!(c[0].author, "@ruth@other.example");
    assert_eq!(c[0].text, "@yad כל הכבוד! Great & inspiring");
    assert_eq!(c[1].parent_id, "101");

    // The same key twice (a retry after a lost answer) is one reply.
    let first = a
        .reply(&acc, "101", "@ruth תודה!", "reply-k1")
        .await
        .unwrap();
    let again = a
        .reply(&acc, "101", "@ruth תודה!", "reply-k1")
        .await
        .unwrap();
    assert_eq!(first.id, again.id);
    assert_eq!(keys.lock().unwrap().len(), 1);
    let sent = log
        .lock()
        .unwrap()
        .iter()
        .find(|r| r.is("POST", "/api/v1/statuses"))
        .unwrap()
        .json();
    assert_eq!(sent["in_reply_to_id"], "101");

    // Deleting twice: the second finds it gone, which is what was asked.
    a.delete(&acc, "100").await.unwrap();
    a.delete(&acc, "100").await.unwrap();

    let profile = Profile {
        name: "יד ביד".into(),
        description: "עמותה לחלוקת מזון בירושלים".into(),
        website: "https://yad.example".into(),
        logo: Some(logo()),
    };
    a.push_profile(&acc, &profile).await.unwrap();
    let patch = log
        .lock()
        .unwrap()
        .iter()
        .find(|r| r.is("PATCH", "/api/v1/accounts/update_credentials"))
        .unwrap()
        .text();
    assert!(patch.contains("name=\"note\"\r\n\r\nעמותה לחלוקת מזון בירושלים"));
    assert!(patch.contains("name=\"fields_attributes[0][value]\"\r\n\r\nhttps://yad.example"));
    assert!(patch.contains("name=\"avatar\"; filename=\"logo.jpg\""));

    // A revoked token: connect again.
    let bad = access(&server, "revoked", "");
    assert!(matches!(
        a.metrics(&bad, "100").await,
        Err(PublishError::Reconnect(_))
    ));
}

#[tokio::test]
async fn x_reads_followers_public_metrics_and_the_conversation_replies_and_waits_out_a_429() {
    let (server, log) = serve(|r, earlier| {
        if r.header("authorization") != "Bearer x-good" {
            return answer(401, json!({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}));
        }
        match (r.method.as_str(), r.path.as_str()) {
            ("GET", "/2/tweets/900") if earlier.iter().any(|e| e.path == "/2/tweets/900") => (
                StatusCode::TOO_MANY_REQUESTS,
                [
                    ("x-rate-limit-limit", "900"),
                    ("x-rate-limit-remaining", "0"),
                    ("x-rate-limit-reset", "1900000000"),
                ],
                axum::Json(json!({"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429})),
            )
                .into_response(),
            ("GET", "/2/tweets/900") => answer(
                200,
                json!({"data": {"id": "900", "text": "…", "edit_history_tweet_ids": ["900"],
                    "public_metrics": {"retweet_count": 3, "reply_count": 2, "like_count": 40, "quote_count": 1, "bookmark_count": 4, "impression_count": 1200}}}),
            ),
            ("GET", "/2/tweets/search/recent") => {
                if r.param("query").as_deref() != Some("conversation_id:900") {
                    return answer(400, json!({"title": "Invalid Request", "detail": "bad query"}));
                }
                // Newest first, as X answers.
                answer(
                    200,
                    json!({"data": [
                        {"id": "902", "text": "@noa מסכימה", "author_id": "12", "created_at": "2026-11-20T12:00:00.000Z",
                         "referenced_tweets": [{"type": "replied_to", "id": "901"}]},
                        {"id": "901", "text": "@yadbeyad איך מתנדבים?", "author_id": "11", "created_at": "2026-11-20T11:00:00.000Z",
                         "referenced_tweets": [{"type": "replied_to", "id": "900"}]}
                    ], "includes": {"users": [{"id": "11", "username": "noa", "name": "Noa"}, {"id": "12", "username": "tamar", "name": "Tamar"}]},
                    "meta": {"result_count": 2}}),
                )
            }
            ("POST", "/2/tweets") => answer(201, json!({"data": {"id": "903", "text": r.json()["text"], "edit_history_tweet_ids": ["903"]}})),
            ("DELETE", "/2/tweets/900") => answer(200, json!({"data": {"deleted": true}})),
            ("GET", "/2/users/me") => {
                let fields = r.param("user.fields").unwrap_or_default();
                let mut me = json!({"id": "42", "name": "יד ביד", "username": "yadbeyad"});
                if fields.split(',').any(|f| f == "public_metrics") {
                    me["public_metrics"] = json!({"followers_count": 1830, "following_count": 75, "tweet_count": 412, "listed_count": 9, "like_count": 300});
                }
                answer(200, json!({ "data": me }))
            }
            _ => answer(404, json!({"title": "Not Found Error", "detail": "Could not find"})),
        }
    })
    .await;
    let a = adapter("x", true).unwrap();
    let acc = access(&server, "x-good", "@yadbeyad");
    assert_eq!(a.followers(&acc).await, Ok(1830));
    let m = a.metrics(&acc, "900").await.unwrap();
    assert_eq!(m.get("like_count"), Some(&40));
    assert_eq!(m.get("impression_count"), Some(&1200));

    let c = a.comments(&acc, "900").await.unwrap();
    assert_eq!(
        c.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["901", "902"],
        "oldest first"
    );
    assert_eq!(c[0].author, "@noa");
    assert_eq!(c[0].parent_id, "900");
    assert_eq!(c[1].parent_id, "901");
    assert_eq!(c[1].url, "https://x.com/tamar/status/902");

    let r = a.reply(&acc, "901", "@noa בטופס באתר", "k").await.unwrap();
    assert_eq!(r.id, "903");
    let body = log
        .lock()
        .unwrap()
        .iter()
        .find(|r| r.is("POST", "/2/tweets"))
        .unwrap()
        .json();
    assert_eq!(body["reply"]["in_reply_to_tweet_id"], "901");

    assert_eq!(
        a.metrics(&acc, "900").await,
        Err(PublishError::RateLimited {
            until: 1_900_000_000_000
        })
    );
    a.delete(&acc, "900").await.unwrap();
    // Already gone: deleted.
    a.delete(&acc, "899").await.unwrap();
    // X offers no profile change in API v2.
    assert_eq!(
        a.push_profile(&acc, &Profile::default()).await,
        Err(PublishError::Unsupported("profile"))
    );
}

#[tokio::test]
async fn linkedin_reads_the_social_actions_and_comments_answers_a_comment_and_deletes() {
    let (server, log) = serve(|r, _| {
        if r.header("linkedin-version").is_empty()
            || r.header("x-restli-protocol-version") != "2.0.0"
        {
            return answer(426, json!({"status": 426, "message": "A version must be present"}));
        }
        if r.header("authorization") != "Bearer li-good" {
            return answer(401, json!({"status": 401, "serviceErrorCode": 65601, "code": "REVOKED_ACCESS_TOKEN", "message": "The token used in the request has been revoked by the user"}));
        }
        let post = "/rest/socialActions/urn%3Ali%3Ashare%3A7001";
        match (r.method.as_str(), r.path.as_str()) {
            ("GET", p) if p == post => answer(
                200,
                json!({"target": "urn:li:share:7001",
                    "likesSummary": {"totalLikes": 17, "likedByCurrentUser": false},
                    "commentsSummary": {"totalFirstLevelComments": 2, "aggregatedTotalComments": 3}}),
            ),
            ("GET", p) if p == format!("{post}/comments") => answer(
                200,
                json!({"paging": {"start": 0, "count": 10, "total": 2}, "elements": [
                    {"actor": "urn:li:person:abc", "commentUrn": "urn:li:comment:(urn:li:activity:7001,8002)",
                     "created": {"actor": "urn:li:person:abc", "time": 1763650000000_i64},
                     "message": {"text": "מתי האירוע הבא?"}, "object": "urn:li:activity:7001"},
                    {"actor": "urn:li:person:def", "commentUrn": "urn:li:comment:(urn:li:activity:7001,8001)",
                     "created": {"actor": "urn:li:person:def", "time": 1763640000000_i64},
                     "message": {"text": "Great work"}, "object": "urn:li:activity:7001"}
                ]}),
            ),
            ("POST", "/rest/socialActions/urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A7001%2C8002%29/comments") => (
                StatusCode::CREATED,
                [("x-restli-id", "urn:li:comment:(urn:li:activity:7001,8003)")],
                axum::Json(json!({"commentUrn": "urn:li:comment:(urn:li:activity:7001,8003)"})),
            )
                .into_response(),
            ("DELETE", "/rest/posts/urn%3Ali%3Ashare%3A7001") => StatusCode::NO_CONTENT.into_response(),
            ("GET", "/rest/networkSizes/urn%3Ali%3Aorganization%3A5515") => {
                if r.param("edgeType").as_deref() != Some("COMPANY_FOLLOWED_BY_MEMBER") {
                    return answer(400, json!({"status": 400, "message": "Invalid edgeType"}));
                }
                answer(200, json!({"firstDegreeSize": 2740}))
            }
            _ => answer(404, json!({"status": 404, "message": "Not found"})),
        }
    })
    .await;
    let a = adapter("linkedin", true).unwrap();
    let acc = access(&server, "li-good", "urn:li:organization:5515");
    assert_eq!(a.followers(&acc).await, Ok(2740));
    let m = a.metrics(&acc, "urn:li:share:7001").await.unwrap();
    assert_eq!(m.get("totalLikes"), Some(&17));
    assert_eq!(m.get("totalFirstLevelComments"), Some(&2));

    let c = a.comments(&acc, "urn:li:share:7001").await.unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].text, "Great work", "oldest first");
    assert_eq!(c[1].id, "urn:li:comment:(urn:li:activity:7001,8002)");
    assert_eq!(c[1].author_id, "urn:li:person:abc");

    let r = a
        .reply(
            &acc,
            "urn:li:comment:(urn:li:activity:7001,8002)",
            "ביום חמישי!",
            "k",
        )
        .await
        .unwrap();
    assert_eq!(r.id, "urn:li:comment:(urn:li:activity:7001,8003)");
    let body = log
        .lock()
        .unwrap()
        .iter()
        .find(|r| r.method == "POST")
        .unwrap()
        .json();
    assert_eq!(body["actor"], "urn:li:organization:5515");
    assert_eq!(body["object"], "urn:li:activity:7001");
    assert_eq!(
        body["parentComment"],
        "urn:li:comment:(urn:li:activity:7001,8002)"
    );
    assert_eq!(body["message"]["text"], "ביום חמישי!");

    a.delete(&acc, "urn:li:share:7001").await.unwrap();
    let revoked = access(&server, "old", "urn:li:organization:5515");
    assert!(matches!(
        a.comments(&revoked, "urn:li:share:7001").await,
        Err(PublishError::Reconnect(m)) if m.contains("revoked")
    ));
}

fn graph_error(status: u16, message: &str, code: i64, subcode: Option<i64>) -> Response {
    let mut e =
        json!({"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "A1"});
    if let Some(s) = subcode {
        e["error_subcode"] = json!(s);
    }
    answer(status, json!({ "error": e }))
}

#[tokio::test]
async fn facebook_reads_insights_and_comments_replies_deletes_and_sets_the_page_profile() {
    let (server, log) = serve(|r, earlier| {
        if r.header("authorization") != "Bearer fb-page" {
            return graph_error(400, "Error validating access token", 190, Some(460));
        }
        match (r.method.as_str(), r.path.as_str()) {
            ("GET", "/77_500/insights") => {
                let want = r.param("metric").unwrap_or_default();
                assert!(!want.contains("impressions"), "deprecated metric asked: {want}");
                answer(
                    200,
                    json!({"data": [
                        {"name": "post_total_media_view_unique", "period": "lifetime", "values": [{"value": 530}], "id": "77_500/insights/post_total_media_view_unique/lifetime"},
                        {"name": "post_reactions_by_type_total", "period": "lifetime", "values": [{"value": {"like": 20, "love": 7, "wow": 1}}]},
                        {"name": "post_clicks", "period": "lifetime", "values": [{"value": 44}]}
                    ]}),
                )
            }
            ("GET", "/77_500/comments") => {
                assert_eq!(r.param("filter").as_deref(), Some("stream"));
                answer(
                    200,
                    json!({"data": [
                        {"id": "500_1", "message": "איפה נרשמים?", "from": {"id": "31", "name": "Yael Cohen"}, "created_time": "2026-11-20T10:00:00+0000"},
                        {"id": "500_2", "message": "בקישור בפוסט", "from": {"id": "32", "name": "Avi"}, "created_time": "2026-11-20T10:05:00+0000", "parent": {"id": "500_1"}}
                    ], "paging": {"cursors": {"before": "a", "after": "b"}}}),
                )
            }
            ("POST", "/500_1/comments") => answer(200, json!({"id": "500_3"})),
            ("DELETE", "/77_500") => {
                if earlier.iter().any(|e| e.is("DELETE", "/77_500")) {
                    graph_error(400, "Unsupported delete request. Object with ID '77_500' does not exist", 100, Some(33))
                } else {
                    answer(200, json!({"success": true}))
                }
            }
            ("POST", "/77") => answer(200, json!({"success": true})),
            ("GET", "/77") if r.param("fields").as_deref() == Some("followers_count") => {
                answer(200, json!({"followers_count": 5120, "id": "77"}))
            }
            _ => graph_error(400, "Unknown path components", 2500, None),
        }
    })
    .await;
    let a = adapter("facebook", true).unwrap();
    let acc = access(&server, "fb-page", "77");
    assert_eq!(a.followers(&acc).await, Ok(5120));
    let m = a.metrics(&acc, "77_500").await.unwrap();
    assert_eq!(m.get("post_total_media_view_unique"), Some(&530));
    assert_eq!(
        m.get("post_reactions_by_type_total"),
        Some(&28),
        "reactions summed"
    );
    assert_eq!(m.get("post_clicks"), Some(&44));

    let c = a.comments(&acc, "77_500").await.unwrap();
    assert_eq!(c[0].parent_id, "77_500");
    assert_eq!(c[1].parent_id, "500_1");
    assert_eq!(c[0].author, "Yael Cohen");

    let r = a.reply(&acc, "500_1", "נשמח לראותך!", "k").await.unwrap();
    assert_eq!(r.id, "500_3");
    a.delete(&acc, "77_500").await.unwrap();
    a.delete(&acc, "77_500").await.unwrap();

    let profile = Profile {
        description: "מחלקים מזון לכל משפחה".into(),
        website: "https://yad.example".into(),
        ..Profile::default()
    };
    a.push_profile(&acc, &profile).await.unwrap();
    let set = log
        .lock()
        .unwrap()
        .iter()
        .find(|r| r.is("POST", "/77"))
        .cloned()
        .unwrap();
    assert_eq!(set.form("about").as_deref(), Some("מחלקים מזון לכל משפחה"));
    assert_eq!(set.form("website").as_deref(), Some("https://yad.example"));

    let revoked = access(&server, "gone", "77");
    assert!(matches!(
        a.comments(&revoked, "77_500").await,
        Err(PublishError::Reconnect(_))
    ));
}

#[tokio::test]
async fn instagram_reads_insights_comments_with_their_replies_and_answers_a_comment() {
    let (server, _log) = serve(|r, _| {
        if r.header("authorization") != "Bearer ig-good" {
            return graph_error(400, "Invalid OAuth access token - Cannot parse access token", 190, None);
        }
        match (r.method.as_str(), r.path.as_str()) {
            ("GET", "/1790/insights") => answer(
                200,
                json!({"data": [
                    {"name": "views", "period": "lifetime", "values": [{"value": 900}], "title": "Views", "id": "1790/insights/views/lifetime"},
                    {"name": "likes", "period": "lifetime", "values": [{"value": 61}]},
                    {"name": "saved", "period": "lifetime", "total_value": {"value": 9}}
                ]}),
            ),
            ("GET", "/1790/comments") => answer(
                200,
                json!({"data": [
                    {"id": "c1", "text": "איזה יופי 😍", "timestamp": "2026-11-20T10:00:00+0000", "username": "maya", "from": {"id": "501", "username": "maya"},
                     "replies": {"data": [{"id": "c2", "text": "@maya תודה!", "timestamp": "2026-11-20T10:10:00+0000", "username": "yadbeyad", "from": {"id": "17", "username": "yadbeyad"}}]}}
                ]}),
            ),
            ("POST", "/c1/replies") => answer(200, json!({"id": "c3"})),
            ("GET", "/17") if r.param("fields").as_deref() == Some("followers_count") => {
                answer(200, json!({"followers_count": 988, "id": "17"}))
            }
            _ => graph_error(400, "Unsupported request", 100, Some(33)),
        }
    })
    .await;
    let a = adapter("instagram", true).unwrap();
    let acc = access(&server, "ig-good", "17");
    assert_eq!(a.followers(&acc).await, Ok(988));
    let m = a.metrics(&acc, "1790").await.unwrap();
    assert_eq!(m.get("views"), Some(&900));
    assert_eq!(m.get("saved"), Some(&9));
    let c = a.comments(&acc, "1790").await.unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].author, "@maya");
    assert_eq!(c[1].parent_id, "c1");
    assert_eq!(a.reply(&acc, "c1", "💚", "k").await.unwrap().id, "c3");
    // The Instagram API does not delete media: said, not pretended.
    assert_eq!(
        a.delete(&acc, "1790").await,
        Err(PublishError::Unsupported("delete"))
    );
}

#[tokio::test]
async fn threads_reads_insights_and_the_whole_conversation_and_deletes() {
    let (server, _log) = serve(|r, _| {
        if r.header("authorization") != "Bearer th-good" {
            return graph_error(400, "Invalid OAuth access token", 190, None);
        }
        match (r.method.as_str(), r.path.as_str()) {
            ("GET", "/t9/insights") => answer(
                200,
                json!({"data": [
                    {"name": "views", "period": "lifetime", "values": [{"value": 310}]},
                    {"name": "likes", "period": "lifetime", "values": [{"value": 12}]},
                    {"name": "replies", "period": "lifetime", "values": [{"value": 2}]}
                ]}),
            ),
            ("GET", "/t9/conversation") => answer(
                200,
                json!({"data": [
                    {"id": "t10", "text": "כמה זמן זה לוקח?", "username": "lior", "timestamp": "2026-11-20T09:00:00+0000", "permalink": "https://www.threads.net/@lior/post/A", "replied_to": {"id": "t9"}},
                    {"id": "t11", "text": "שעתיים", "username": "yadbeyad", "timestamp": "2026-11-20T09:30:00+0000", "replied_to": {"id": "t10"}}
                ]}),
            ),
            ("DELETE", "/t9") => answer(200, json!({"success": true})),
            ("GET", "/17/threads_insights") => {
                if r.param("metric").as_deref() != Some("followers_count") {
                    return graph_error(400, "(#100) The value must be a valid insights metric", 100, None);
                }
                // A total for the account: `total_value`, not `values`.
                answer(
                    200,
                    json!({"data": [{"name": "followers_count", "period": "day", "title": "followers_count",
                        "description": "The number of followers", "total_value": {"value": 431}, "id": "17/insights/followers_count/day"}],
                        "paging": {"previous": "p", "next": "n"}}),
                )
            }
            _ => graph_error(400, "Unsupported request", 100, Some(33)),
        }
    })
    .await;
    let a = adapter("threads", true).unwrap();
    let acc = access(&server, "th-good", "17");
    assert_eq!(a.followers(&acc).await, Ok(431));
    assert_eq!(
        a.metrics(&acc, "t9").await.unwrap().get("views"),
        Some(&310)
    );
    let c = a.comments(&acc, "t9").await.unwrap();
    assert_eq!(c[0].author, "@lior");
    assert_eq!(c[0].parent_id, "t9");
    assert_eq!(c[1].parent_id, "t10");
    a.delete(&acc, "t9").await.unwrap();
    // Gone already (Graph's "does not exist"): deleted.
    a.delete(&acc, "t8").await.unwrap();
}

#[tokio::test]
async fn telegram_deletes_a_message_sets_the_channel_description_counts_subscribers_and_says_what_it_cannot()
 {
    let (server, log) = serve(|r, earlier| {
        let method = r.path.rsplit('/').next().unwrap_or_default();
        if !r.path.starts_with("/bottg-good/") {
            return answer(401, json!({"ok": false, "error_code": 401, "description": "Unauthorized"}));
        }
        match method {
            "deleteMessage" => {
                if earlier.iter().any(|e| e.path.ends_with("/deleteMessage")) {
                    answer(400, json!({"ok": false, "error_code": 400, "description": "Bad Request: message to delete not found"}))
                } else {
                    answer(200, json!({"ok": true, "result": true}))
                }
            }
            "setChatDescription" => answer(200, json!({"ok": true, "result": true})),
            "setChatPhoto" => answer(200, json!({"ok": true, "result": true})),
            "getChatMemberCount" if r.json()["chat_id"] == "@yadbeyad" => {
                answer(200, json!({"ok": true, "result": 655}))
            }
            "getChatMemberCount" => answer(400, json!({"ok": false, "error_code": 400, "description": "Bad Request: chat not found"})),
            _ => answer(404, json!({"ok": false, "error_code": 404, "description": "Not Found"})),
        }
    })
    .await;
    let a = adapter("telegram", true).unwrap();
    let acc = access(&server, "tg-good", "@yadbeyad");
    a.delete(&acc, "55").await.unwrap();
    a.delete(&acc, "55").await.unwrap();
    let sent = log.lock().unwrap()[0].json();
    assert_eq!(sent, json!({"chat_id": "@yadbeyad", "message_id": 55}));

    let profile = Profile {
        description: "יד ביד — חלוקת מזון".into(),
        logo: Some(logo()),
        ..Profile::default()
    };
    a.push_profile(&acc, &profile).await.unwrap();
    assert!(
        log.lock()
            .unwrap()
            .iter()
            .any(|r| r.path.ends_with("/setChatPhoto") && r.text().contains("name=\"photo\""))
    );
    let long = Profile {
        description: "א".repeat(256),
        ..Profile::default()
    };
    assert!(matches!(
        a.push_profile(&acc, &long).await,
        Err(PublishError::Rejected(m)) if m.contains("255")
    ));
    assert_eq!(
        a.metrics(&acc, "55").await,
        Err(PublishError::Unsupported("metrics"))
    );
    // The subscribers are the one figure the Bot API gives.
    assert_eq!(a.followers(&acc).await, Ok(655));
    assert!(matches!(
        a.followers(&access(&server, "tg-good", "@nowhere")).await,
        Err(PublishError::Reconnect(m)) if m.contains("chat not found")
    ));
}

#[tokio::test]
async fn the_limits_announced_in_headers_are_noted_for_the_account_or_the_whole_app() {
    // X: the endpoint's limit for the account, and the app's daily limit.
    let (x, _) = serve(|r, _| match r.path.as_str() {
        "/2/tweets/1" => (
            StatusCode::OK,
            [
                ("x-rate-limit-limit", "900"),
                ("x-rate-limit-remaining", "0"),
                ("x-rate-limit-reset", "1900000000"),
                ("x-app-limit-24hour-limit", "10000"),
                ("x-app-limit-24hour-remaining", "0"),
                ("x-app-limit-24hour-reset", "1900003600"),
            ],
            axum::Json(
                json!({"data": {"id": "1", "text": "…", "public_metrics": {"like_count": 1}}}),
            ),
        )
            .into_response(),
        _ => answer(
            200,
            json!({"data": {"id": "2", "text": "…", "public_metrics": {"like_count": 1}}}),
        ),
    })
    .await;
    let a = adapter("x", true).unwrap();
    let acc = access(&x, "t", "@yad");
    a.metrics(&acc, "2").await.unwrap();
    assert!(
        a.take_limits().is_empty(),
        "nothing announced, nothing noted"
    );
    a.metrics(&acc, "1").await.unwrap();
    let mut limits = a.take_limits();
    limits.sort_by_key(|l| l.app);
    assert_eq!(
        limits,
        [
            kehilla_app::publishing::Limit {
                app: false,
                until: 1_900_000_000_000
            },
            kehilla_app::publishing::Limit {
                app: true,
                until: 1_900_003_600_000
            }
        ]
    );
    assert!(a.take_limits().is_empty(), "each once");

    // Meta: the app's usage in percent, and a Page's with the minutes to wait.
    let (fb, _) = serve(|_, _| {
        (
            StatusCode::OK,
            [
                ("x-app-usage", r#"{"call_count":100,"total_cputime":12,"total_time":20}"#),
                (
                    "x-business-use-case-usage",
                    r#"{"77":[{"type":"pages","call_count":100,"total_cputime":5,"total_time":5,"estimated_time_to_regain_access":30}]}"#,
                ),
            ],
            axum::Json(json!({"data": [{"name": "post_clicks", "values": [{"value": 3}]}]})),
        )
            .into_response()
    })
    .await;
    let a = adapter("facebook", true).unwrap();
    let before = kehilla_db::now_ms();
    a.metrics(&access(&fb, "t", "77"), "77_1").await.unwrap();
    let limits = a.take_limits();
    let app = limits.iter().find(|l| l.app).unwrap();
    assert!(
        app.until >= before + 60 * 60_000,
        "the app waits up to an hour"
    );
    let page = limits.iter().find(|l| !l.app).unwrap();
    assert!((before + 30 * 60_000..before + 31 * 60_000).contains(&page.until));

    // Mastodon: the account used its last request of the window.
    let (m, _) = serve(|_, _| {
        (
            StatusCode::OK,
            [
                ("x-ratelimit-limit", "300"),
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "2030-01-01T00:00:00.000Z"),
            ],
            axum::Json(json!({"id": "5", "favourites_count": 2})),
        )
            .into_response()
    })
    .await;
    let a = adapter("mastodon", true).unwrap();
    a.metrics(&access(&m, "t", "@yad@m"), "5").await.unwrap();
    assert_eq!(
        a.take_limits(),
        [kehilla_app::publishing::Limit {
            app: false,
            until: 1_893_456_000_000
        }]
    );
}

fn video(len: usize) -> Attachment {
    Attachment {
        bytes: (0..len).map(|i| (i % 251) as u8).collect(),
        mime: "video/mp4".into(),
        file_name: "clip.mp4".into(),
        alt_text: "מתנדבים אורזים חבילות".into(),
        url: "https://kehilla.example/m/v1/original".into(),
    }
}

fn part<'a>(text: &'a str, media: &'a [Attachment]) -> kehilla_app::publishing::Part<'a> {
    kehilla_app::publishing::Part {
        text,
        reply_to: None,
        media,
        key: "video-key-0",
        again: false,
        at: 1_764_000_000_000,
    }
}

#[tokio::test]
async fn videos_go_up_in_each_networks_own_way() {
    // X: chunks of 1 MB, finalize, processing polled, then the post with the media id.
    let (x, xlog) = serve(|r, earlier| match (r.method.as_str(), r.path.as_str()) {
        ("POST", "/2/media/upload/initialize") => {
            assert_eq!(r.json()["media_category"], "tweet_video");
            answer(200, json!({"data": {"id": "777", "media_key": "7_777", "expires_after_secs": 86400}}))
        }
        ("POST", "/2/media/upload/777/append") => answer(200, json!({"data": {"expires_at": 1}})),
        ("POST", "/2/media/upload/777/finalize") => answer(
            200,
            json!({"data": {"id": "777", "processing_info": {"state": "pending", "check_after_secs": 0}}}),
        ),
        ("GET", "/2/media/upload") => {
            let polled = earlier.iter().filter(|e| e.path == "/2/media/upload").count();
            let state = if polled == 0 { "in_progress" } else { "succeeded" };
            answer(200, json!({"data": {"id": "777", "processing_info": {"state": state, "check_after_secs": 0, "progress_percent": 50}}}))
        }
        ("POST", "/2/tweets") => answer(201, json!({"data": {"id": "9", "text": "…"}})),
        _ => answer(404, json!({"title": "Not Found Error"})),
    })
    .await;
    let clip = [video(2_500_000)];
    let a = adapter("x", true).unwrap();
    a.publish(&access(&x, "t", "@yad"), part("סרטון מהחלוקה", &clip))
        .await
        .unwrap();
    let reqs = xlog.lock().unwrap().clone();
    let appends: Vec<&Req> = reqs
        .iter()
        .filter(|r| r.path.ends_with("/append"))
        .collect();
    assert_eq!(appends.len(), 3, "2.5 MB in three chunks");
    for (i, r) in appends.iter().enumerate() {
        assert!(
            r.text()
                .contains(&format!("name=\"segment_index\"\r\n\r\n{i}"))
        );
    }
    assert_eq!(
        reqs.iter().filter(|r| r.path == "/2/media/upload").count(),
        2,
        "polled until processed"
    );
    let tweet = reqs.iter().find(|r| r.path == "/2/tweets").unwrap().json();
    assert_eq!(tweet["media"]["media_ids"], json!(["777"]));

    // LinkedIn: the parts it asks for, their ETags at finalize, processing polled.
    let (li, lilog) = serve(|r, earlier| {
        let base = format!("http://{}", r.header("host"));
        match (r.method.as_str(), r.path.as_str(), r.query.as_str()) {
            ("POST", "/rest/videos", "action=initializeUpload") => {
                let n = r.json()["initializeUploadRequest"]["fileSizeBytes"].as_u64().unwrap();
                answer(200, json!({"value": {"video": "urn:li:video:C5", "uploadToken": "tok",
                    "uploadInstructions": [
                        {"uploadUrl": format!("{base}/up/0"), "firstByte": 0, "lastByte": 999_999},
                        {"uploadUrl": format!("{base}/up/1"), "firstByte": 1_000_000, "lastByte": n - 1}
                    ]}}))
            }
            ("PUT", p, _) if p.starts_with("/up/") => (
                StatusCode::OK,
                [("etag", format!("etag-{}-{}", &p[4..], r.body.len()))],
            )
                .into_response(),
            ("POST", "/rest/videos", "action=finalizeUpload") => answer(200, json!({})),
            ("GET", "/rest/videos/urn%3Ali%3Avideo%3AC5", _) => {
                let polled = earlier.iter().filter(|e| e.path.starts_with("/rest/videos/urn")).count();
                answer(200, json!({"id": "urn:li:video:C5", "status": if polled == 0 { "PROCESSING" } else { "AVAILABLE" }}))
            }
            ("POST", "/rest/posts", _) => (
                StatusCode::CREATED,
                [("x-restli-id", "urn:li:share:1".to_string())],
            )
                .into_response(),
            _ => answer(404, json!({"status": 404, "message": "Not found"})),
        }
    })
    .await;
    let a = adapter("linkedin", true).unwrap();
    let clip = [video(1_400_000)];
    a.publish(
        &access(&li, "t", "urn:li:organization:5515"),
        part("סרטון מהחלוקה", &clip),
    )
    .await
    .unwrap();
    let reqs = lilog.lock().unwrap().clone();
    let fin = reqs
        .iter()
        .find(|r| r.query == "action=finalizeUpload")
        .unwrap()
        .json();
    assert_eq!(
        fin["finalizeUploadRequest"]["uploadedPartIds"],
        json!(["etag-0-1000000", "etag-1-400000"])
    );
    let post = reqs
        .iter()
        .find(|r| r.path == "/rest/posts")
        .unwrap()
        .json();
    assert_eq!(post["content"]["media"]["id"], "urn:li:video:C5");

    // Facebook: the Page's video from its public address, the text as its description.
    let (fb, fblog) = serve(|r, _| match (r.method.as_str(), r.path.as_str()) {
        ("POST", "/77/videos") => answer(200, json!({"id": "v55"})),
        _ => graph_error(400, "Unknown path components", 2500, None),
    })
    .await;
    let a = adapter("facebook", true).unwrap();
    let clip = [video(10)];
    let done = a
        .publish(&access(&fb, "t", "77"), part("סרטון מהחלוקה", &clip))
        .await
        .unwrap();
    assert_eq!(done.id, "v55");
    let sent = fblog.lock().unwrap()[0].clone();
    assert_eq!(
        sent.form("file_url").as_deref(),
        Some("https://kehilla.example/m/v1/original")
    );
    assert_eq!(sent.form("description").as_deref(), Some("סרטון מהחלוקה"));
}

#[tokio::test]
async fn x_mentions_are_read_from_the_cursor() {
    let (server, log) = serve(move |r, _| {
        if r.header("authorization") != "Bearer x-good" {
            return answer(401, json!({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}));
        }
        match (r.method.as_str(), r.path.as_str()) {
            ("GET", "/2/users/me") => answer(200, json!({"data": {"id": "42", "username": "yadbeyad"}})),
            ("GET", "/2/users/42/mentions") if r.param("since_id").as_deref() == Some("900") => {
                answer(200, json!({"meta": {"result_count": 0}}))
            }
            ("GET", "/2/users/42/mentions") => answer(
                200,
                json!({"data": [
                    {"id": "900", "text": "@yadbeyad תודה!", "author_id": "7", "created_at": "2026-11-27T09:00:00.000Z"},
                    {"id": "899", "text": "@yadbeyad when?", "author_id": "8", "created_at": "2026-11-27T08:00:00.000Z",
                     "referenced_tweets": [{"type": "replied_to", "id": "500"}]}],
                   "includes": {"users": [{"id": "7", "username": "ruth"}, {"id": "8", "username": "dan"}]},
                   "meta": {"newest_id": "900", "oldest_id": "899", "result_count": 2}}),
            ),
            _ => answer(404, json!({"title": "Not Found Error", "status": 404})),
        }
    })
    .await;
    let x = adapter("x", true).unwrap();
    let a = access(&server, "x-good", "yadbeyad");
    let (found, next) = x.mentions(&a, "").await.unwrap();
    assert_eq!(next, "900");
    assert_eq!(
        found
            .iter()
            .map(|c| (c.id.as_str(), c.author.as_str(), c.parent_id.as_str()))
            .collect::<Vec<_>>(),
        vec![("899", "@dan", "500"), ("900", "@ruth", "")],
        "oldest first, each with what it answers"
    );
    let (again, next) = x.mentions(&a, "900").await.unwrap();
    assert!(again.is_empty());
    assert_eq!(next, "900", "the cursor stays when nothing is new");
    assert!(
        log.lock()
            .unwrap()
            .iter()
            .any(|r| r.param("since_id").as_deref() == Some("900"))
    );
    let bad = access(&server, "x-bad", "yadbeyad");
    assert!(matches!(
        x.mentions(&bad, "").await,
        Err(PublishError::Reconnect(_))
    ));
}
