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
                "Job": {"type": "object", "required": ["id", "kind", "status", "attempts", "max_attempts", "run_at", "last_error"], "properties": {
                    "id": {"type": "string"}, "kind": {"type": "string"}, "status": {"type": "string"},
                    "attempts": {"type": "integer"}, "max_attempts": {"type": "integer"},
                    "run_at": {"type": "integer", "format": "int64"}, "last_error": {"type": "string"}
                }}
            }
        }
    })
}
