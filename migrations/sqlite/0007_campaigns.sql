-- Owned messaging: email campaigns to the organization's people.
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- email (sms later)
    channel TEXT NOT NULL DEFAULT 'email',
    -- The consent purpose the campaign needs (newsletter, donation_appeals, …).
    purpose TEXT NOT NULL,
    -- he or en: the direction and the footer's language.
    lang TEXT NOT NULL DEFAULT 'he',
    subject TEXT NOT NULL DEFAULT '',
    -- Markdown with minijinja personalization.
    body TEXT NOT NULL DEFAULT '',
    advertising INTEGER NOT NULL DEFAULT 0,
    -- The audience: a segment's public id, or empty for everyone.
    segment TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX campaigns_org ON campaigns(organization_id, updated_at);
