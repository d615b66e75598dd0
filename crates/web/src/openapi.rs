//! The OpenAPI 3.1 document of `/api/v1`. Written by hand next to the handlers; a test checks
//! that it names exactly the API routes of the router, with their methods.

use serde_json::{Value, json};

fn error_responses() -> Value {
    json!({
        "401": {"$ref": "#/components/responses/Error"},
        "403": {"$ref": "#/components/responses/Error"},
        "404": {"$ref": "#/components/responses/Error"},
        "422": {"$ref": "#/components/responses/Error"}
    })
}

fn with_errors(mut ok: Value) -> Value {
    if let (Some(o), Some(e)) = (ok.as_object_mut(), error_responses().as_object()) {
        for (k, v) in e {
            o.insert(k.clone(), v.clone());
        }
    }
    ok
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
    json!({
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
                        {"name": "offset", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0}},
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
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["person"], "properties": {"person": {"type": "string"}}}}}},
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
                "PersonInput": {"type": "object", "description": "At least a name, an email or a phone. Phones are normalized to E.164 (Israel by default).", "properties": {
                    "first_name": {"type": "string", "maxLength": 100}, "last_name": {"type": "string", "maxLength": 100},
                    "latin_name": {"type": "string", "maxLength": 200}, "email": {"type": "string"}, "phone": {"type": "string"},
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
                "NameInput": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "maxLength": 120}}},
                "List": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "members": {"type": "integer"}}},
                "Filter": {"type": "object", "required": ["op"], "description": "A segment filter: {op: all|any, of: [Filter]}, {op: not, of: Filter}, {op: role|tag|lang, value}, {op: in_list, list}, {op: consent, channel, purpose, state: given|withdrawn|unknown}, {op: reachable, channel, purpose}, {op: field, key, cmp: eq|ne|contains|gt|lt, value}, {op: added_within, days}, {op: event, kind, days}, {op: has_email}, {op: has_phone}.", "properties": {"op": {"type": "string"}}},
                "Segment": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "filter": {"$ref": "#/components/schemas/Filter"}}},
                "SegmentInput": {"type": "object", "required": ["name", "filter"], "properties": {"name": {"type": "string"}, "filter": {"$ref": "#/components/schemas/Filter"}}},
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
    })
}
