-- ActivityPub: each organization is an actor. Its key signs what it sends (HTTP signatures).
CREATE TABLE ap_keys (
    organization_id BIGINT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    public_pem TEXT NOT NULL,
    private_sealed TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Who follows an organization, and where to deliver to them.
CREATE TABLE ap_followers (
    id BIGSERIAL PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    actor TEXT NOT NULL,
    inbox TEXT NOT NULL,
    shared_inbox TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (organization_id, actor)
);

-- Accounts an organization follows (accepted once their Accept arrives).
CREATE TABLE ap_following (
    id BIGSERIAL PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    actor TEXT NOT NULL,
    follow_id TEXT NOT NULL,
    accepted BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    UNIQUE (organization_id, actor)
);

-- Remote actors as last fetched: their inboxes and key.
CREATE TABLE ap_actors (
    id TEXT PRIMARY KEY,
    inbox TEXT NOT NULL,
    shared_inbox TEXT NOT NULL DEFAULT '',
    key_id TEXT NOT NULL,
    public_pem TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    fetched_at BIGINT NOT NULL
);

-- Activities received (their ids): a second delivery of the same one is refused.
CREATE TABLE ap_seen (
    activity_id TEXT PRIMARY KEY,
    received_at BIGINT NOT NULL
);

-- What arrived for an organization: replies and mentions (for the Inbox), likes and boosts
-- (for Measure), posts of accounts it follows.
CREATE TABLE ap_items (
    id BIGSERIAL PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    -- reply, mention, like, boost, post
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    -- The object's id (the remote Note's, or ours that was liked or boosted).
    object_id TEXT NOT NULL,
    -- Our post it concerns, when it concerns one.
    post_id BIGINT REFERENCES posts(id) ON DELETE SET NULL,
    content TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    deleted BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (organization_id, kind, actor, object_id)
);
CREATE INDEX ap_items_post ON ap_items(post_id, kind);

-- What an organization has sent out for its posts (Create, Update, Delete), once each.
CREATE TABLE ap_outbox (
    id BIGSERIAL PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    activity TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    UNIQUE (post_id, activity, version)
);

-- Servers delivered to: one that keeps failing is paused, not retried forever.
CREATE TABLE ap_servers (
    host TEXT PRIMARY KEY,
    failures BIGINT NOT NULL DEFAULT 0,
    paused_until BIGINT,
    last_error TEXT NOT NULL DEFAULT ''
);
