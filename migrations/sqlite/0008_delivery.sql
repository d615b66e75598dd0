-- Owned messaging: delivery. A campaign's recipients are taken once (a snapshot through the
-- consent gate) and each one's delivery is recorded: the send log that makes a campaign go out
-- exactly once across crashes and restarts.
ALTER TABLE campaigns ADD COLUMN scheduled_at INTEGER;
ALTER TABLE campaigns ADD COLUMN started_at INTEGER;
ALTER TABLE campaigns ADD COLUMN finished_at INTEGER;
-- 1 once every recipient is in campaign_recipients.
ALTER TABLE campaigns ADD COLUMN prepared INTEGER NOT NULL DEFAULT 0;
-- Off by default: an open pixel tells the sender when and where a message was read.
ALTER TABLE campaigns ADD COLUMN open_tracking INTEGER NOT NULL DEFAULT 0;
-- The run that sends now (a job's lease token): an older run that lost its lease stops.
ALTER TABLE campaigns ADD COLUMN sender TEXT NOT NULL DEFAULT '';
-- The gate's count when sending began (JSON).
ALTER TABLE campaigns ADD COLUMN gate TEXT NOT NULL DEFAULT '';

CREATE TABLE campaign_recipients (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    address TEXT NOT NULL,
    -- queued, sent, deferred (a 4xx answer: tried again later), bounced, failed, cancelled
    status TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER,
    error TEXT NOT NULL DEFAULT '',
    sent_at INTEGER,
    bounced_at INTEGER,
    clicked_at INTEGER,
    opened_at INTEGER,
    unsubscribed_at INTEGER,
    complained_at INTEGER,
    UNIQUE (campaign_id, person_id)
);
CREATE INDEX campaign_recipients_queue ON campaign_recipients(campaign_id, status, id);

-- Addresses that no campaign of the organization goes to again: hard bounces and complaints.
CREATE TABLE suppressions (
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    address TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (organization_id, address)
);

-- Who the organization's campaigns come from, and its DKIM key (sealed).
CREATE TABLE mail_senders (
    organization_id INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    from_name TEXT NOT NULL DEFAULT '',
    from_address TEXT NOT NULL DEFAULT '',
    reply_to TEXT NOT NULL DEFAULT '',
    dkim_domain TEXT NOT NULL DEFAULT '',
    dkim_selector TEXT NOT NULL DEFAULT '',
    dkim_key_sealed TEXT NOT NULL DEFAULT '',
    dkim_public TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
);

-- Tracked links of a campaign, and their clicks.
ALTER TABLE links ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id) ON DELETE SET NULL;
ALTER TABLE clicks ADD COLUMN campaign_id INTEGER;
