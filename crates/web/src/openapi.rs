//! The OpenAPI 3.1 document of `/api/v1`. Written by hand next to the handlers; a test checks
//! that it names exactly the API routes of the router, with their methods.

use serde_json::{Value, json};

fn error_responses() -> Value {
    json!({
        "400": error_as("The request could not be read: a query parameter or the JSON body is malformed"),
        "401": {"$ref": "#/components/responses/Error"},
        "403": {"$ref": "#/components/responses/Error"},
        "404": {"$ref": "#/components/responses/Error"},
        "422": {"$ref": "#/components/responses/Error"},
        "503": error_as("The database cannot be reached for now (code `unavailable`); `Retry-After` says when to try again. Nothing saved is lost")
    })
}

/// The responses `ok` with the common errors added; a status given in `ok` wins.
fn with_errors(ok: Value) -> Value {
    merged(error_responses(), ok)
}

/// `a` with the keys of `b` added (replacing the same keys of `a`).
fn merged(mut a: Value, b: Value) -> Value {
    if let (Some(o), Some(e)) = (a.as_object_mut(), b.as_object()) {
        for (k, v) in e {
            o.insert(k.clone(), v.clone());
        }
    }
    a
}

/// The error response, described (OpenAPI 3.1 lets a reference carry its own description).
fn error_as(description: &str) -> Value {
    json!({"$ref": "#/components/responses/Error", "description": description})
}

fn created(schema: Value) -> Value {
    json!({"description": "Created", "content": {"application/json": {"schema": schema}}})
}

fn json_body(schema: Value) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": schema}}})
}

/// What "not blank" means on the server, as patterns: Rust's `trim` (Unicode White_Space),
/// not the regex `\s` (which differs on U+001C–U+001F and U+FEFF).
/// `NOT_BLANK`: a text that is trimmed; `HAS_TEXT`: one also cleared of control characters;
/// `NAME`: a name, which may not hold a control character at all.
const NOT_BLANK: &str = "[^\\t\\n\\u000b\\u000c\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const HAS_TEXT: &str = "[^\\t\\n\\u000b\\u000c\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\u0000-\\u001f\\u007f-\\u009f]";
/// A local time in the form the document asks for, `YYYY-MM-DDTHH:MM`: a day that exists in
/// the calendar (29 February in leap years only) and a time of day. (The server also reads
/// seconds, and a space for the `T`, as a browser's form may send them.)
const LOCAL_TIME: &str = "([0-9]{4}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)-02-29)T([01][0-9]|2[0-3]):[0-5][0-9]";
/// One posting slot as the server reads it: `H:MM` or `HH:MM`.
const SLOT: &str = "([01]?[0-9]|2[0-3]):[0-5][0-9]";
/// The white space Rust's `trim` removes (Unicode White_Space), as a class.
const WHITE_SPACE: &str = "[\\t\\n\\u000b\\u000c\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
/// An email address as the server takes it (one `@`, a dot inside the domain, no spaces or
/// control characters), or nothing.
const EMAIL: &str = "^\\s*$|^\\s*[^@\\s<>\\u0000-\\u001f\\u007f-\\u009f]+@[^@\\s<>.\\u0000-\\u001f\\u007f-\\u009f][^@\\s<>\\u0000-\\u001f\\u007f-\\u009f]*\\.[^@\\s<>\\u0000-\\u001f\\u007f-\\u009f]*[^@\\s<>.\\u0000-\\u001f\\u007f-\\u009f]\\s*$";
/// A public id: 32 hex digits.
const PUBLIC_ID: &str = "^[0-9a-f]{32}$";
const NAME: &str = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\t\\n\\u000b\\u000c\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$";

fn schema(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn org_param() -> Value {
    json!({"name": "org", "in": "path", "required": true, "schema": {"type": "string"}, "description": "The organization's slug."})
}

fn id_param(name: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}})
}

fn ok_json(schema: Value) -> Value {
    json!({"description": "OK", "content": {"application/json": {"schema": schema}}})
}

pub fn document(base_url: &str) -> Value {
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Kehilla API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Kehilla's JSON API. Authenticate with a personal API token (Settings → API tokens) as `Authorization: Bearer khl_…`. A token acts in one organization, with the lesser of its scope (read or write) and its member's role. Errors carry a stable `code` and a `message` in the language of `Accept-Language` (Hebrew by default).",
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"}
        },
        "servers": [{"url": base_url}],
        "security": [{"token": []}],
        "paths": {
            "/api/v1/orgs/{org}": {
                "get": {
                    "operationId": "getOrganization",
                    "summary": "The token's organization and the member's role in it",
                    "parameters": [org_param()],
                    "responses": with_errors(json!({"200": ok_json(json!({"$ref": "#/components/schemas/Organization"}))}))
                }
            },
            "/api/v1/orgs/{org}/members": {
                "get": {
                    "operationId": "listMembers",
                    "summary": "Members of the organization",
                    "parameters": [org_param()],
                    "responses": with_errors(json!({"200": ok_json(json!({"type": "array", "items": {"$ref": "#/components/schemas/Member"}}))}))
                }
            },
            "/api/v1/orgs/{org}/members/{member}": {
                "patch": {
                    "operationId": "changeMemberRole",
                    "summary": "Change a member's role (admin; only owners make owners)",
                    "parameters": [org_param(), id_param("member")],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RoleChange"}}}},
                    "responses": with_errors(json!({"200": ok_json(json!({"$ref": "#/components/schemas/Member"})), "409": {"$ref": "#/components/responses/Error"}}))
                },
                "delete": {
                    "operationId": "removeMember",
                    "summary": "Remove a member (admin); their tokens are revoked",
                    "parameters": [org_param(), id_param("member")],
                    "responses": with_errors(json!({"204": {"description": "Removed"}, "409": {"$ref": "#/components/responses/Error"}}))
                }
            },
            "/api/v1/orgs/{org}/invitations": {
                "post": {
                    "operationId": "createInvitation",
                    "summary": "Create an invitation link (admin)",
                    "parameters": [org_param()],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InvitationRequest"}}}},
                    "responses": with_errors(json!({"201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Invitation"}}}}}))
                }
            },
            "/api/v1/orgs/{org}/audit": {
                "get": {
                    "operationId": "listAudit",
                    "summary": "Security events, newest first, 100 at a time (admin)",
                    "parameters": [org_param(), {"name": "before", "in": "query", "required": false, "schema": {"type": "integer", "format": "int64"}, "description": "Only entries with a smaller id."}],
                    "responses": with_errors(json!({"200": ok_json(json!({"type": "array", "items": {"$ref": "#/components/schemas/AuditEntry"}}))}))
                }
            },
            "/api/v1/orgs/{org}/jobs": {
                "get": {
                    "operationId": "listJobs",
                    "summary": "Background jobs in one status (admin)",
                    "parameters": [org_param(), {"name": "status", "in": "query", "required": false, "schema": {"type": "string", "enum": ["dead", "queued", "running", "done"], "default": "dead"}}],
                    "responses": with_errors(json!({"200": ok_json(json!({"type": "array", "items": {"$ref": "#/components/schemas/Job"}}))}))
                }
            },
            "/api/v1/orgs/{org}/people": {
                "get": {
                    "operationId": "listPeople",
                    "summary": "People, newest first; `q` searches names, email, phone and tags (Hebrew-aware prefix search)",
                    "parameters": [org_param(),
                        {"name": "q", "in": "query", "required": false, "schema": {"type": "string"}},
                        {"name": "offset", "in": "query", "required": false, "schema": {"type": "integer", "format": "int64", "minimum": 0}},
                        {"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 500}}],
                    "responses": with_errors(json!({"200": ok_json(json!({"type": "array", "items": {"$ref": "#/components/schemas/Person"}}))}))
                },
                "post": {
                    "operationId": "createPerson",
                    "summary": "Add a person (contributor)",
                    "parameters": [org_param()],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PersonInput"}}}},
                    "responses": with_errors(json!({"201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Person"}}}}, "409": {"$ref": "#/components/responses/Error"}}))
                }
            },
            "/api/v1/orgs/{org}/people/{person}": {
                "get": {
                    "operationId": "getPerson",
                    "summary": "A person with roles, tags, custom fields and lists",
                    "parameters": [org_param(), id_param("person")],
                    "responses": with_errors(json!({"200": ok_json(json!({"$ref": "#/components/schemas/Person"}))}))
                },
                "patch": {
                    "operationId": "updatePerson",
                    "summary": "Replace a person's details, roles, tags and fields (contributor)",
                    "parameters": [org_param(), id_param("person")],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PersonInput"}}}},
                    "responses": with_errors(json!({"200": ok_json(json!({"$ref": "#/components/schemas/Person"})), "409": {"$ref": "#/components/responses/Error"}}))
                },
                "delete": {
                    "operationId": "erasePerson",
                    "summary": "Erase a person's personal data (admin); their refusal stays as a hashed record",
                    "parameters": [org_param(), id_param("person")],
                    "responses": with_errors(json!({"204": {"description": "Erased"}}))
                }
            },
            "/api/v1/orgs/{org}/people/{person}/consents": {
                "get": {
                    "operationId": "getConsents",
                    "summary": "Current consent per channel and purpose, and the whole ledger history",
                    "parameters": [org_param(), id_param("person")],
                    "responses": with_errors(json!({"200": ok_json(json!({"$ref": "#/components/schemas/Consents"}))}))
                },
                "post": {
                    "operationId": "recordConsent",
                    "summary": "Record a consent or refusal given to staff (contributor)",
                    "parameters": [org_param(), id_param("person")],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ConsentInput"}}}},
                    "responses": with_errors(json!({"201": {"description": "Recorded"}}))
                }
            },
            "/api/v1/orgs/{org}/lists": {
                "get": {
                    "operationId": "listLists",
                    "summary": "Static lists",
                    "parameters": [org_param()],
                    "responses": with_errors(json!({"200": ok_json(json!({"type": "array", "items": {"$ref": "#/components/schemas/List"}}))}))
                },
                "post": {
                    "operationId": "createList",
                    "summary": "Create a list (editor)",
                    "parameters": [org_param()],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NameInput"}}}},
                    "responses": with_errors(json!({"201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/List"}}}}}))
                }
            },
            "/api/v1/orgs/{org}/lists/{list}/members": {
                "post": {
                    "operationId": "addListMember",
                    "summary": "Add a person to a list (contributor)",
                    "parameters": [org_param(), id_param("list")],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["person"], "properties": {"person": {"type": "string", "pattern": PUBLIC_ID}}}}}},
                    "responses": with_errors(json!({"204": {"description": "Added"}}))
                }
            },
            "/api/v1/orgs/{org}/segments": {
                "get": {
                    "operationId": "listSegments",
                    "summary": "Segments with their filters",
                    "parameters": [org_param()],
                    "responses": with_errors(json!({"200": ok_json(json!({"type": "array", "items": {"$ref": "#/components/schemas/Segment"}}))}))
                },
                "post": {
                    "operationId": "createSegment",
                    "summary": "Create a segment from a filter (editor)",
                    "parameters": [org_param()],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SegmentInput"}}}},
                    "responses": with_errors(json!({"201": {"description": "Created", "content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}}}}, "409": {"$ref": "#/components/responses/Error"}}))
                }
            },
            "/api/v1/orgs/{org}/segments/{segment}/count": {
                "get": {
                    "operationId": "countSegment",
                    "summary": "How many people a segment selects now",
                    "parameters": [org_param(), id_param("segment")],
                    "responses": with_errors(json!({"200": ok_json(json!({"type": "object", "required": ["count"], "properties": {"count": {"type": "integer"}}}))}))
                }
            },
            "/api/v1/orgs/{org}/forms": {
                "get": {
                    "operationId": "listForms",
                    "summary": "Sign-up forms with their public addresses and consent wording",
                    "parameters": [org_param()],
                    "responses": with_errors(json!({"200": ok_json(json!({"type": "array", "items": {"$ref": "#/components/schemas/Form"}}))}))
                }
            },
            "/api/v1/orgs/{org}/jobs/{job}/retry": {
                "post": {
                    "operationId": "retryJob",
                    "summary": "Send a dead job back to the queue (admin)",
                    "parameters": [org_param(), id_param("job")],
                    "responses": with_errors(json!({"204": {"description": "Queued again"}}))
                }
            }
        },
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "responses": {
                "Error": {"description": "An error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            },
            "schemas": {
                "Error": {"type": "object", "required": ["code", "message"], "properties": {
                    "code": {"type": "string", "description": "Stable, for programs."},
                    "message": {"type": "string", "description": "Translated, for people."},
                    "field": {"type": ["string", "null"]}
                }},
                "Organization": {"type": "object", "required": ["slug", "name", "time_zone", "role"], "properties": {
                    "slug": {"type": "string"}, "name": {"type": "string"}, "time_zone": {"type": "string"},
                    "role": {"$ref": "#/components/schemas/Role"}
                }},
                "Role": {"type": "string", "enum": ["owner", "admin", "editor", "contributor", "viewer"]},
                "Member": {"type": "object", "required": ["id", "name", "email", "role", "joined_at"], "properties": {
                    "id": {"type": "string"}, "name": {"type": "string"}, "email": {"type": "string"},
                    "role": {"$ref": "#/components/schemas/Role"}, "joined_at": {"type": "integer", "format": "int64", "description": "Unix milliseconds"}
                }},
                "RoleChange": {"type": "object", "required": ["role"], "properties": {"role": {"$ref": "#/components/schemas/Role"}}},
                "InvitationRequest": {"type": "object", "required": ["role"], "properties": {
                    "role": {"$ref": "#/components/schemas/Role"}, "note": {"type": "string", "maxLength": 200}
                }},
                "Invitation": {"type": "object", "required": ["id", "role", "url", "expires_at"], "properties": {
                    "id": {"type": "string"}, "role": {"$ref": "#/components/schemas/Role"}, "url": {"type": "string"},
                    "expires_at": {"type": "integer", "format": "int64"}
                }},
                "AuditEntry": {"type": "object", "required": ["id", "actor", "action", "target", "ip", "at"], "properties": {
                    "id": {"type": "integer", "format": "int64"}, "actor": {"type": "string"}, "action": {"type": "string"},
                    "target": {"type": "string"}, "ip": {"type": "string"}, "at": {"type": "integer", "format": "int64"}
                }},
                "Person": {"type": "object", "required": ["id", "first_name", "last_name", "lang"], "properties": {
                    "id": {"type": "string"}, "first_name": {"type": "string"}, "last_name": {"type": "string"},
                    "latin_name": {"type": "string"}, "email": {"type": ["string", "null"]},
                    "phone": {"type": ["string", "null"], "description": "E.164"}, "lang": {"type": "string", "enum": ["he", "en"]},
                    "notes": {"type": "string"}, "roles": {"type": "array", "items": {"type": "string"}},
                    "tags": {"type": "array", "items": {"type": "string"}}, "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                    "lists": {"type": "array", "items": {"type": "string"}},
                    "created_at": {"type": "integer", "format": "int64"}, "updated_at": {"type": "integer", "format": "int64"}
                }},
                "PersonInput": {"type": "object", "description": "At least a name, an email or a phone. Phones are normalized to E.164 (Israel by default).",
                    "anyOf": [
                        {"required": ["first_name"], "properties": {"first_name": {"pattern": HAS_TEXT}}},
                        {"required": ["last_name"], "properties": {"last_name": {"pattern": HAS_TEXT}}},
                        {"required": ["latin_name"], "properties": {"latin_name": {"pattern": HAS_TEXT}}},
                        {"required": ["email"], "properties": {"email": {"pattern": NOT_BLANK}}},
                        {"required": ["phone"], "properties": {"phone": {"pattern": NOT_BLANK}}}
                    ],
                    "properties": {
                    "first_name": {"type": "string", "maxLength": 100}, "last_name": {"type": "string", "maxLength": 100},
                    "latin_name": {"type": "string", "maxLength": 200}, "email": {"type": "string", "maxLength": 254, "pattern": EMAIL}, "phone": {"type": "string"},
                    "lang": {"type": "string", "enum": ["he", "en", ""]}, "notes": {"type": "string", "maxLength": 5000},
                    "roles": {"type": "array", "items": {"type": "string"}}, "tags": {"type": "array", "items": {"type": "string"}},
                    "fields": {"type": "array", "items": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "string"}], "minItems": 2, "maxItems": 2}}
                }},
                "Channel": {"type": "string", "enum": ["email", "sms", "whatsapp"]},
                "Purpose": {"type": "string", "enum": ["newsletter", "donation_appeals", "advocacy", "event_reminders", "transactional"]},
                "ConsentEntry": {"type": "object", "properties": {
                    "channel": {"$ref": "#/components/schemas/Channel"}, "purpose": {"$ref": "#/components/schemas/Purpose"},
                    "given": {"type": "boolean"}, "source": {"type": "string"}, "source_ref": {"type": "string"},
                    "wording": {"type": "string"}, "at": {"type": "integer", "format": "int64"}
                }},
                "Consents": {"type": "object", "properties": {
                    "current": {"type": "array", "items": {"$ref": "#/components/schemas/ConsentEntry"}},
                    "history": {"type": "array", "items": {"$ref": "#/components/schemas/ConsentEntry"}}
                }},
                "ConsentInput": {"type": "object", "required": ["channel", "purpose", "given"], "properties": {
                    "channel": {"$ref": "#/components/schemas/Channel"}, "purpose": {"$ref": "#/components/schemas/Purpose"},
                    "given": {"type": "boolean"}, "wording": {"type": "string", "maxLength": 2000}
                }},
                "NameInput": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 120, "pattern": NAME, "description": "Not only spaces; no control characters."}}},
                "List": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "members": {"type": "integer"}}},
                "Filter": filter_schema(),
                "Segment": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "filter": {"$ref": "#/components/schemas/Filter"}}},
                "SegmentInput": {"type": "object", "required": ["name", "filter"], "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 120, "pattern": NAME, "description": "Not only spaces; no control characters."}, "filter": {"$ref": "#/components/schemas/Filter"}}},
                "Form": {"type": "object", "properties": {
                    "id": {"type": "string"}, "kind": {"type": "string", "enum": ["newsletter", "volunteer", "petition"]},
                    "title": {"type": "string"}, "lang": {"type": "string"}, "double_opt_in": {"type": "boolean"}, "url": {"type": "string"},
                    "consents": {"type": "array", "items": {"type": "object", "properties": {"channel": {"type": "string"}, "purpose": {"type": "string"}, "wording": {"type": "string"}, "required": {"type": "boolean"}}}}
                }},
                "Job": {"type": "object", "required": ["id", "kind", "status", "attempts", "max_attempts", "run_at", "last_error"], "properties": {
                    "id": {"type": "string"}, "kind": {"type": "string"}, "status": {"type": "string"},
                    "attempts": {"type": "integer"}, "max_attempts": {"type": "integer"},
                    "run_at": {"type": "integer", "format": "int64"}, "last_error": {"type": "string"}
                }}
            }
        }
    });
    // The Studio's part is kept apart, next to its own schemas.
    for (at, part) in [
        ("/paths", studio_paths()),
        ("/components/schemas", studio_schemas()),
    ] {
        if let Some(node) = doc.pointer_mut(at) {
            *node = merged(node.take(), part);
        }
    }
    // An operation that takes a body refuses another media type than its own.
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for op in paths
            .values_mut()
            .filter_map(Value::as_object_mut)
            .flat_map(|p| p.values_mut())
            .filter_map(Value::as_object_mut)
        {
            if op.contains_key("requestBody")
                && let Some(r) = op.get_mut("responses").and_then(Value::as_object_mut)
            {
                r.entry("415").or_insert_with(|| {
                    error_as("The body is not of the media type the operation takes")
                });
                r.entry("507").or_insert_with(|| {
                    error_as("The server's storage is full (code `storage-full`); nothing was half saved")
                });
            }
        }
    }
    doc
}

/// Query parameter helper.
fn query(name: &str, schema: Value, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": schema, "description": description})
}

/// The Studio's paths: channels, posts with their variants and workflow, media, tracked links
/// and the text counter.
fn studio_paths() -> Value {
    let conflict = error_as(
        "A workflow conflict. `code` is one of `post-wrong-status`, `post-no-channels`, \
         `approve-own-post`, `post-needs-approval`, `post-has-problems`, `time-in-past`, \
         `time-skipped` (the local time does not exist on a clock-change day) or \
         `quiet-window` (inside the organization's Shabbat or holiday window).",
    );
    let time_conflict = error_as(
        "`time-skipped` (the local time does not exist on a clock-change day) or \
         `quiet-window` (inside the organization's Shabbat or holiday window).",
    );
    json!({
        "/api/v1/orgs/{org}/channels": {
            "get": {
                "operationId": "listStudioChannels",
                "summary": "The organization's channels (accounts on the networks), with cadence targets and posting slots",
                "parameters": [org_param()],
                "responses": with_errors(json!({"200": ok_json(json!({"type": "array", "items": schema("StudioChannel")}))}))
            },
            "post": {
                "operationId": "createStudioChannel",
                "summary": "Add a channel (admin)",
                "parameters": [org_param()],
                "requestBody": json_body(schema("ChannelInput")),
                "responses": with_errors(json!({"201": created(schema("StudioChannel"))}))
            }
        },
        "/api/v1/orgs/{org}/posts": {
            "get": {
                "operationId": "listPosts",
                "summary": "Posts, by planned time (unplanned ones by their last change), oldest first",
                "parameters": [org_param(),
                    query("status", schema("PostStatus"), "Only posts in this state."),
                    query("kind", schema("PostKind"), "Only posts of this content type."),
                    query("channel", json!({"type": "string"}), "Only posts with a variant for this channel (its public id)."),
                    query("from", json!({"type": "integer", "format": "int64"}), "Only posts planned at or after this time (Unix milliseconds); leaves out unplanned posts."),
                    query("to", json!({"type": "integer", "format": "int64"}), "Only posts planned before this time (Unix milliseconds); leaves out unplanned posts."),
                    query("limit", json!({"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}), "")],
                "responses": with_errors(json!({"200": ok_json(json!({"type": "array", "items": schema("PostSummary")}))}))
            },
            "post": {
                "operationId": "createPost",
                "summary": "Write a post (contributor): a master text and one derived variant per channel",
                "parameters": [org_param()],
                "requestBody": json_body(schema("PostInput")),
                "responses": with_errors(json!({"201": created(schema("Post")), "409": time_conflict}))
            }
        },
        "/api/v1/orgs/{org}/posts/{post}": {
            "get": {
                "operationId": "getPost",
                "summary": "A post with its variants (each checked against its network's rules), media and history",
                "parameters": [org_param(), id_param("post")],
                "responses": with_errors(json!({"200": ok_json(schema("Post"))}))
            },
            "patch": {
                "operationId": "updatePost",
                "summary": "Replace a post's master text, details, channels, media and planned time. Variants that follow the master text are derived again; edited variants keep their text. Editors may change any post that is not published; contributors their own while it is a draft, waiting for review or sent back for changes.",
                "parameters": [org_param(), id_param("post")],
                "requestBody": json_body(schema("PostInput")),
                "responses": with_errors(json!({"200": ok_json(schema("Post")), "409": time_conflict}))
            },
            "delete": {
                "operationId": "deletePost",
                "summary": "Delete a post (whoever may edit it)",
                "parameters": [org_param(), id_param("post")],
                "responses": with_errors(json!({"204": {"description": "Deleted"}}))
            }
        },
        "/api/v1/orgs/{org}/posts/{post}/variants/{channel}": {
            "put": {
                "operationId": "putVariant",
                "summary": "Set one channel's text on its own (it stops following the master text), or make it follow the master text again",
                "parameters": [org_param(), id_param("post"), id_param("channel")],
                "requestBody": json_body(schema("VariantInput")),
                "responses": with_errors(json!({"200": ok_json(schema("Post"))}))
            }
        },
        "/api/v1/orgs/{org}/posts/{post}/actions": {
            "post": {
                "operationId": "postAction",
                "summary": "Move a post through its workflow, comment on it, or turn its links into tracked links",
                "parameters": [org_param(), id_param("post")],
                "requestBody": json_body(schema("PostAction")),
                "responses": with_errors(json!({"200": ok_json(schema("Post")), "409": conflict}))
            }
        },
        "/api/v1/orgs/{org}/media": {
            "get": {
                "operationId": "listMedia",
                "summary": "The media library, newest first (at most 500)",
                "parameters": [org_param()],
                "responses": with_errors(json!({"200": ok_json(json!({"type": "array", "items": schema("Media")}))}))
            },
            "post": {
                "operationId": "uploadMedia",
                "summary": "Upload an image or a video (contributor). Metadata, including the location, is removed unless `keep_metadata` is `1`; images get thumb, large and instagram renditions. The body may be up to `max_upload_bytes`.",
                "parameters": [org_param()],
                "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": schema("MediaUpload")}}},
                "responses": with_errors(json!({
                    "201": created(schema("Media")),
                    "413": error_as("`media-too-large`: over `max_upload_bytes`."),
                    "422": error_as("`media-empty`, `media-unsupported`, `media-corrupt`, `media-too-many-pixels` (over 50 megapixels or 12,000 pixels a side) or `media-encode`, or an input error.")
                }))
            }
        },
        "/api/v1/orgs/{org}/media/{media}": {
            "get": {
                "operationId": "getMedia",
                "summary": "A media item with its stored files (original and renditions)",
                "parameters": [org_param(), id_param("media")],
                "responses": with_errors(json!({"200": ok_json(schema("MediaWithFiles"))}))
            },
            "patch": {
                "operationId": "updateMedia",
                "summary": "Change a media item's alt text (contributor)",
                "parameters": [org_param(), id_param("media")],
                "requestBody": json_body(schema("MediaPatch")),
                "responses": with_errors(json!({"200": ok_json(schema("Media"))}))
            }
        },
        "/api/v1/orgs/{org}/links": {
            "get": {
                "operationId": "listLinks",
                "summary": "Tracked short links with their click counts, newest first (at most 1,000)",
                "parameters": [org_param()],
                "responses": with_errors(json!({"200": ok_json(json!({"type": "array", "items": schema("Link")}))}))
            },
            "post": {
                "operationId": "createLink",
                "summary": "Make (or find) a tracked short link `/l/{code}` for a web address (contributor)",
                "parameters": [org_param()],
                "requestBody": json_body(schema("LinkInput")),
                "responses": with_errors(json!({"201": created(schema("CreatedLink"))}))
            }
        },
        "/api/v1/orgs/{org}/count": {
            "post": {
                "operationId": "countText",
                "summary": "How a text counts on a network: the same counter the composer and the schedule check use",
                "parameters": [org_param()],
                "requestBody": json_body(schema("CountInput")),
                "responses": with_errors(json!({"200": ok_json(schema("Count"))}))
            }
        }
    })
}

/// The schemas of the Studio's paths.
fn studio_schemas() -> Value {
    let ms = json!({"type": "integer", "format": "int64", "description": "Unix milliseconds"});
    let ms_or_null =
        json!({"type": ["integer", "null"], "format": "int64", "description": "Unix milliseconds"});
    // Up to 24 times, separated by a comma, a semicolon or a space (white space around them
    // as Rust's `trim` sees it).
    let slots = format!(
        "^({WHITE_SPACE}|[,;])*({SLOT}({WHITE_SPACE}*[,; ]({WHITE_SPACE}|[,;])*{SLOT}){{0,23}})?({WHITE_SPACE}|[,;])*$"
    );
    let local = "`YYYY-MM-DDTHH:MM` in the organization's time zone. A time skipped by a clock change is refused (`time-skipped`); a repeated one is the first.";
    json!({
        "Network": {"type": "string", "enum": ["x", "bluesky", "mastodon", "threads", "instagram", "facebook", "linkedin", "telegram"]},
        "PostKind": {"type": "string", "enum": ["story", "album", "video", "event", "achievement", "volunteers", "donation", "press", "question", "status"]},
        "PostStatus": {"type": "string", "enum": ["draft", "review", "changes", "approved", "scheduled", "published", "failed"]},
        "StudioChannel": {"type": "object", "required": ["public_id", "network", "name", "slots", "slot_days", "requires_approval", "created_at"], "properties": {
            "id": {"type": "integer", "format": "int64", "description": "Internal; use `public_id`."},
            "public_id": {"type": "string", "description": "The channel's id in the API."},
            "organization_id": {"type": "integer", "format": "int64", "description": "Internal."},
            "network": schema("Network"), "name": {"type": "string"}, "handle": {"type": "string"},
            "purpose": {"type": "string"}, "audience": {"type": "string"},
            "cadence_days": {"type": ["integer", "null"], "description": "Target: at least one post every so many days."},
            "slots": {"type": "string", "description": "Posting times of day, `HH:MM,HH:MM`."},
            "slot_days": {"type": "string", "description": "Weekday digits of the slots, 0 = Sunday, e.g. `012345`."},
            "char_limit": {"type": ["integer", "null"], "description": "A Mastodon server's own limit; null for the network's default."},
            "requires_approval": {"type": "integer", "enum": [0, 1], "description": "1: every post to this channel needs someone else's approval."},
            "created_at": ms
        }},
        "ChannelInput": {"type": "object", "required": ["network", "name"], "properties": {
            "network": schema("Network"),
            "name": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": HAS_TEXT, "description": "Not only spaces (control characters are removed)."}, "handle": {"type": "string", "maxLength": 200},
            "purpose": {"type": "string", "maxLength": 500}, "audience": {"type": "string", "maxLength": 500},
            "cadence_days": {"type": ["integer", "null"], "minimum": 1, "maximum": 365, "description": "At least one post every so many days; null for no target."},
            "slots": {"type": "string", "pattern": slots, "description": "Posting times of day, e.g. `09:00, 13:30` (at most 24), separated by commas, semicolons or spaces; empty for none."},
            "slot_days": {"type": "string", "pattern": "^[0-6, ]*$", "description": "Weekday digits, 0 = Sunday; empty for every day."},
            "char_limit": {"type": ["integer", "null"], "minimum": 100, "maximum": 100000, "description": "Mastodon only: the server's length limit (500 when null)."},
            "requires_approval": {"type": "boolean", "default": false}
        }},
        "PostDetails": {"type": "object", "description": "What a content type adds to the master text; derived variants append it.", "properties": {
            "event_start": {"type": "string", "description": local},
            "place": {"type": "string", "maxLength": 200},
            "url": {"type": "string", "description": "An http(s) address: where to sign up, give, read or RSVP."},
            "outlet": {"type": "string", "maxLength": 200, "description": "A press mention's outlet."}
        }},
        "PostInput": {"type": "object", "required": ["kind"], "description": "A title or a body is required. PATCH replaces every field: send the whole post.",
            "anyOf": [{"required": ["title"], "properties": {"title": {"pattern": HAS_TEXT}}}, {"required": ["body"], "properties": {"body": {"pattern": NOT_BLANK}}}],
            "properties": {
            "kind": schema("PostKind"),
            "title": {"type": "string", "maxLength": 200},
            "body": {"type": "string", "maxLength": 63206, "description": "The master text."},
            "details": schema("PostDetails"),
            "channels": {"type": "array", "items": {"type": "string", "pattern": PUBLIC_ID}, "description": "Public ids of the target channels."},
            "scheduled_at": {"type": "string", "description": format!("The planned time, {local} Empty for none.")},
            "media": {"type": "array", "items": {"type": "string", "pattern": PUBLIC_ID}, "description": "Public ids of attached media, in order."}
        }},
        "PostSummary": {"type": "object", "required": ["id", "kind", "title", "status", "networks"], "properties": {
            "id": {"type": "string"}, "kind": schema("PostKind"), "title": {"type": "string"},
            "status": schema("PostStatus"), "scheduled_at": ms_or_null, "published_at": ms_or_null,
            "networks": {"type": "array", "items": schema("Network")},
            "author": {"type": ["string", "null"]}
        }},
        "Post": {"type": "object", "required": ["id", "kind", "title", "body", "slug", "details", "status", "variants", "media", "history"], "properties": {
            "id": {"type": "string"}, "kind": schema("PostKind"), "title": {"type": "string"},
            "body": {"type": "string", "description": "The master text."},
            "slug": {"type": "string", "description": "Unique in the organization; the `utm_campaign` of tracked links."},
            "details": schema("PostDetails"), "status": schema("PostStatus"),
            "scheduled_at": ms_or_null,
            "scheduled_local": {"type": ["string", "null"], "description": "`scheduled_at` as `YYYY-MM-DDTHH:MM` in the organization's time zone."},
            "published_at": ms_or_null, "created_at": ms, "updated_at": ms,
            "variants": {"type": "array", "items": schema("Variant")},
            "media": {"type": "array", "items": schema("Media")},
            "history": {"type": "array", "items": {"type": "object", "properties": {
                "action": {"type": "string", "description": "created, edited, variant-edited, submitted, approved, changes-requested, scheduled, unscheduled, moved, links-tracked, comment, published, failed."},
                "note": {"type": "string"}, "actor": {"type": ["string", "null"]}, "at": ms
            }}}
        }},
        "Variant": {"type": "object", "required": ["channel", "network", "body", "follow_ups", "edited", "counts", "problems", "ok"], "properties": {
            "channel": {"type": "string", "description": "The channel's public id."},
            "network": schema("Network"),
            "body": {"type": "string"},
            "follow_ups": {"type": "array", "items": {"type": "string"}, "description": "Further posts of a thread (X, Bluesky, Mastodon, Threads) or the first comment elsewhere."},
            "edited": {"type": "boolean", "description": "True once edited on its own: it no longer follows the master text."},
            "counts": {"type": "array", "items": schema("Count"), "description": "The body's count, then one per follow-up."},
            "problems": {"type": "array", "items": {"type": "string"}, "description": "What stops scheduling: the counters' codes (`too-long`, `too-many-bytes`, `invalid-character`, `too-many-links`, `too-many-hashtags`, `too-many-mentions`) and `empty`, `too-many-media`, `media-required`, `alt-missing`."},
            "ok": {"type": "boolean"}
        }},
        "VariantInput": {"type": "object",
            "anyOf": [{"required": ["body"], "properties": {"body": {"pattern": NOT_BLANK}}}, {"required": ["follow_master"], "properties": {"follow_master": {"const": true}}}],
            "properties": {
            "body": {"type": "string", "maxLength": 63206, "description": "Required unless `follow_master` is true."},
            "follow_ups": {"type": "array", "maxItems": 25, "items": {"type": "string"}, "description": "Thread parts or the first comment; empty ones are dropped."},
            "follow_master": {"type": "boolean", "default": false, "description": "True: follow the master text again (`body` and `follow_ups` are ignored)."}
        }},
        "PostAction": {"type": "object", "required": ["action"], "description": "`submit` sends a draft for review, or approves it at once when nobody needs to. `approve` and `request_changes` are for editors, never on their own posts (`request_changes` needs a `note`). `schedule` puts an approved post (or one that needs no approval) on the schedule at `scheduled_at` or, without it, at its planned time (409 `post-has-no-time` when it has none); every variant must pass its checks. `unschedule` takes it off. `move` changes the planned day, keeping the time of day. `comment` adds `note` to the history and tells the people involved. `track_links` replaces the post's web addresses with tracked short links per channel.",
            "allOf": [
                {"if": {"properties": {"action": {"const": "move"}}, "required": ["action"]}, "then": {"required": ["day"], "properties": {"day": {"format": "date"}}}},
                {"if": {"properties": {"action": {"const": "schedule"}}, "required": ["action"]}, "then": {"properties": {"scheduled_at": {"pattern": format!("^{WHITE_SPACE}*({LOCAL_TIME})?{WHITE_SPACE}*$")}}}},
                {"if": {"properties": {"action": {"enum": ["request_changes", "comment"]}}, "required": ["action"]}, "then": {"required": ["note"], "properties": {"note": {"pattern": HAS_TEXT}}}},
                {"if": {"properties": {"action": {"enum": ["approve", "request_changes"]}}, "required": ["action"]}, "then": {"properties": {"note": {"maxLength": 2000}}}}
            ],
            "properties": {
            "action": {"type": "string", "enum": ["submit", "approve", "request_changes", "schedule", "unschedule", "move", "comment", "track_links"]},
            "note": {"type": "string", "maxLength": 4000, "description": "The approval note or changes asked for (up to 2,000), or the comment (up to 4,000)."},
            "scheduled_at": {"type": "string", "description": format!("For `schedule`: {local} Empty: the post's planned time.")},
            "day": {"type": "string", "description": "For `move`: `YYYY-MM-DD` (other actions ignore it)."}
        }},
        "Media": {"type": "object", "required": ["id", "kind", "mime", "bytes", "alt_text", "metadata_removed", "had_location", "url", "created_at"], "properties": {
            "id": {"type": "string"}, "kind": {"type": "string", "enum": ["image", "video"]},
            "mime": {"type": "string"}, "file_name": {"type": "string"},
            "bytes": {"type": "integer", "description": "Size of the stored original."},
            "width": {"type": ["integer", "null"]}, "height": {"type": ["integer", "null"]},
            "alt_text": {"type": "string"},
            "metadata_removed": {"type": "boolean", "description": "False when the uploader kept the metadata."},
            "had_location": {"type": "boolean", "description": "The upload carried a location (EXIF GPS, XMP, a video's location box or GPS track)."},
            "url": {"type": "string", "description": "Public, unguessable address of the original: `/m/{id}/original`."},
            "created_at": ms
        }},
        "MediaWithFiles": {"allOf": [schema("Media"), {"type": "object", "properties": {
            "files": {"type": "array", "items": {"type": "object", "properties": {
                "profile": {"type": "string", "enum": ["original", "thumb", "large", "instagram"]},
                "mime": {"type": "string"}, "bytes": {"type": "integer"},
                "width": {"type": ["integer", "null"]}, "height": {"type": ["integer", "null"]},
                "url": {"type": "string", "description": "`/m/{id}/{profile}`"}
            }}}
        }}]},
        "MediaUpload": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary", "description": "JPEG, PNG, WebP, GIF, MP4, MOV, 3GP or WebM, recognised by its content."},
            "alt_text": {"type": "string", "maxLength": 1000},
            "keep_metadata": {"type": "string", "description": "`1` keeps EXIF, GPS and other metadata; anything else (or nothing) removes it."}
        }},
        "MediaPatch": {"type": "object", "required": ["alt_text"], "properties": {"alt_text": {"type": "string", "maxLength": 1000}}},
        "Link": {"type": "object", "required": ["code", "short_url", "target", "destination", "network", "clicks", "created_at"], "properties": {
            "code": {"type": "string"}, "short_url": {"type": "string", "description": "`{base_url}/l/{code}`"},
            "target": {"type": "string", "description": "The address as given."},
            "destination": {"type": "string", "description": "Where the short link redirects: the target with UTM parameters."},
            "network": {"type": "string", "description": "The channel's network (`utm_source`); empty when none."},
            "post": {"type": ["string", "null"], "description": "The post's public id."},
            "clicks": {"type": "integer", "description": "Clicks by people (bots are not counted)."},
            "created_at": ms
        }},
        "LinkInput": {"type": "object", "required": ["url"], "properties": {
            "url": {"type": "string", "maxLength": 2000, "pattern": format!("^{WHITE_SPACE}*(http://{HAS_TEXT}{{4,}}|https://{HAS_TEXT}{{3,}}){WHITE_SPACE}*$"), "description": "An http(s) address, without control characters. UTM parameters it already has are kept; characters outside ASCII are percent-encoded in the destination."},
            "post": {"type": ["string", "null"], "description": "A post's public id: its slug becomes `utm_campaign`. Null or absent: none."},
            "channel": {"type": ["string", "null"], "description": "A channel's public id: its network becomes `utm_source`. Null or absent: none."}
        }},
        "CreatedLink": {"type": "object", "required": ["code", "short_url", "target", "destination"], "properties": {
            "code": {"type": "string"}, "short_url": {"type": "string"}, "target": {"type": "string"}, "destination": {"type": "string"}
        }},
        "CountNetwork": {"type": "string", "enum": ["x", "bluesky", "mastodon", "threads", "instagram", "facebook", "linkedin", "telegram", "telegram_caption", "sms"]},
        "CountInput": {"type": "object", "required": ["network", "text"], "properties": {
            "network": schema("CountNetwork"),
            "text": {"type": "string", "description": "At most 200,000 bytes."},
            "options": {"type": "object", "properties": {
                "mastodon_limit": {"type": "integer", "minimum": 0, "maximum": 1000000, "default": 500, "description": "The Mastodon server's `max_characters`."},
                "url_length": {"type": "integer", "minimum": 0, "maximum": 1000000, "default": 23, "description": "The Mastodon server's `characters_reserved_per_url`."}
            }}
        }},
        "Count": {"type": "object", "required": ["used", "limit", "unit", "ok", "problems", "sms"], "properties": {
            "used": {"type": "integer", "description": "How much of the limit the text uses, in `unit`."},
            "limit": {"type": "integer"},
            "unit": {"type": "string", "enum": ["weighted", "graphemes", "bytes", "utf16", "characters", "septets", "segments"]},
            "ok": {"type": "boolean"},
            "problems": {"type": "array", "items": {"type": "string", "enum": ["too_long", "too_many_bytes", "invalid_character", "too_many_links", "too_many_hashtags", "too_many_mentions"]}},
            "sms": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["encoding", "segments", "units", "per_segment"], "properties": {
                "encoding": {"type": "string", "enum": ["gsm7", "ucs2"]},
                "segments": {"type": "integer"},
                "units": {"type": "integer", "description": "Septets in GSM-7, UTF-16 code units in UCS-2."},
                "per_segment": {"type": "integer", "description": "160/70 for one SMS, 153/67 once split."}
            }}], "description": "Only for `sms`."}
        }}
    })
}

/// The segment filter grammar, recursive. At most 40 conditions and 6 levels in all, which a
/// schema cannot count; the server answers 422 `segment-too-large` beyond them.
fn filter_schema() -> Value {
    let of_many = json!({"type": "array", "maxItems": 40, "items": schema("Filter")});
    let channel = json!({"type": "string", "enum": ["email", "sms", "whatsapp"]});
    let purpose = json!({"type": "string", "enum": ["newsletter", "donation_appeals", "advocacy", "event_reminders", "transactional"]});
    let days = json!({"type": "integer", "minimum": 0, "maximum": 36500});
    let op = |name: &str, required: &[&str], props: Value| {
        let mut properties = props.as_object().cloned().unwrap_or_default();
        properties.insert("op".into(), json!({"const": name}));
        let mut req = vec!["op".to_string()];
        req.extend(required.iter().map(|r| r.to_string()));
        json!({"type": "object", "required": req, "properties": properties})
    };
    json!({
        "description": "A segment filter. `all` with an empty `of` is everyone, `any` with an empty `of` no one. `gt` and `lt` compare numbers, or dates written YYYY-MM-DD.",
        "oneOf": [
            op("all", &["of"], json!({"of": of_many})),
            op("any", &["of"], json!({"of": of_many})),
            op("not", &["of"], json!({"of": schema("Filter")})),
            op("role", &["value"], json!({"value": {"type": "string"}})),
            op("tag", &["value"], json!({"value": {"type": "string"}})),
            op("lang", &["value"], json!({"value": {"type": "string"}})),
            op("in_list", &["list"], json!({"list": {"type": "string", "description": "A list's public id."}})),
            op("consent", &["channel", "purpose", "state"], json!({"channel": channel, "purpose": purpose, "state": {"type": "string", "enum": ["given", "withdrawn", "unknown"]}})),
            op("reachable", &["channel", "purpose"], json!({"channel": channel, "purpose": purpose})),
            {
                "type": "object", "required": ["op", "key", "cmp", "value"],
                "properties": {"op": {"const": "field"}, "key": {"type": "string"}, "cmp": {"type": "string", "enum": ["eq", "ne", "contains", "gt", "lt"]}, "value": {"type": "string"}},
                "if": {"properties": {"cmp": {"enum": ["gt", "lt"]}}},
                "then": {"properties": {"value": {"pattern": "^\\s*([+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|\\d{4}-\\d{2}-\\d{2})\\s*$"}}}
            },
            op("added_within", &["days"], json!({"days": days})),
            op("event", &["kind", "days"], json!({"kind": {"type": "string", "description": "An event kind, e.g. `signed-up`."}, "days": days})),
            op("has_email", &[], json!({})),
            op("has_phone", &[], json!({}))
        ]
    })
}
