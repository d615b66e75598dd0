-- SMS campaigns: each organization's gateway (Twilio or a generic HTTP gateway of a local
-- provider), and what the gateway said of each message.
CREATE TABLE sms_gateways (
    organization_id INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    -- twilio or http
    kind TEXT NOT NULL,
    -- Twilio's Account SID (twilio); unused for http.
    account TEXT NOT NULL DEFAULT '',
    -- Twilio's auth token, or the http gateway's bearer token (sealed).
    secret_sealed TEXT NOT NULL DEFAULT '',
    -- The From: a number in E.164 or an alphanumeric sender ID.
    sender TEXT NOT NULL DEFAULT '',
    -- The http gateway's address; for twilio, another API address (tests only).
    url TEXT NOT NULL DEFAULT '',
    -- The secret part of this gateway's webhook addresses (replies and delivery receipts).
    hook_token TEXT NOT NULL,
    -- Price of one segment in hundredths of the currency (agorot), for the estimate.
    cost_per_segment INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);

ALTER TABLE campaign_recipients ADD COLUMN provider_id TEXT;
-- The gateway's last word on an SMS: queued, sent, delivered, undelivered, failed.
ALTER TABLE campaign_recipients ADD COLUMN delivery TEXT NOT NULL DEFAULT '';
CREATE INDEX campaign_recipients_provider ON campaign_recipients(provider_id);
