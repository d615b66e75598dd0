-- Studio: the channel map's first piece, posts and their per-channel variants, media, the
-- approval trail, in-app notifications, link cards and tracked short links with their clicks.
ALTER TABLE organizations ADD COLUMN approval_required INTEGER NOT NULL DEFAULT 1;
ALTER TABLE organizations ADD COLUMN quiet_shabbat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN quiet_holidays INTEGER NOT NULL DEFAULT 0;
-- A host name of the organization pointed at this server, for its short links (empty: ours).
ALTER TABLE organizations ADD COLUMN link_host TEXT NOT NULL DEFAULT '';

-- One account of the organization on one network (Plan extends it with audiences and budget).
CREATE TABLE channels (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    network TEXT NOT NULL,
    name TEXT NOT NULL,
    handle TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL DEFAULT '',
    audience TEXT NOT NULL DEFAULT '',
    -- Target: at least one post every so many days (no target when NULL).
    cadence_days INTEGER,
    -- Posting times of day "HH:MM,HH:MM" on the weekdays listed in slot_days (0 = Sunday).
    slots TEXT NOT NULL DEFAULT '',
    slot_days TEXT NOT NULL DEFAULT '0123456',
    -- A Mastodon server's own length limit; the network's default when NULL.
    char_limit INTEGER,
    requires_approval INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX channels_org ON channels(organization_id);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    slug TEXT NOT NULL,
    -- What a content type adds (an event's time and place, an appeal's link), as JSON.
    details TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'draft',
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    approved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    scheduled_at INTEGER,
    published_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (organization_id, slug)
);
CREATE INDEX posts_calendar ON posts(organization_id, scheduled_at);

CREATE TABLE post_variants (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    -- Further posts of a thread, or the first comment where the network has comments (JSON list).
    follow_ups TEXT NOT NULL DEFAULT '[]',
    -- 1 once edited on its own: it no longer follows the master text.
    edited INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    UNIQUE (post_id, channel_id)
);
CREATE INDEX post_variants_channel ON post_variants(channel_id);

CREATE TABLE media (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    mime TEXT NOT NULL,
    file_name TEXT NOT NULL DEFAULT '',
    bytes INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    alt_text TEXT NOT NULL DEFAULT '',
    metadata_removed INTEGER NOT NULL DEFAULT 1,
    had_location INTEGER NOT NULL DEFAULT 0,
    sha256 TEXT NOT NULL,
    uploaded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX media_org ON media(organization_id, id);

-- The stored files of a media item: "original" (metadata removed unless kept) and renditions.
CREATE TABLE media_files (
    media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
    profile TEXT NOT NULL,
    mime TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    storage_key TEXT NOT NULL,
    PRIMARY KEY (media_id, profile)
);

CREATE TABLE post_media (
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (post_id, media_id)
);

-- Every step of a post (created, edited, submitted, approved, changes requested, scheduled,
-- moved, published, failed) and every comment on it.
CREATE TABLE post_history (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL
);
CREATE INDEX post_history_post ON post_history(post_id, id);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    post_id INTEGER REFERENCES posts(id) ON DELETE CASCADE,
    actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX notifications_user ON notifications(user_id, organization_id, id);

-- OpenGraph data of linked pages, so that typing does not fetch a page again.
CREATE TABLE link_cards (
    url TEXT PRIMARY KEY,
    card TEXT,
    error TEXT,
    fetched_at INTEGER NOT NULL
);

-- Tracked short links: /l/{code} redirects to destination (the target with UTM parameters).
CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    post_id INTEGER REFERENCES posts(id) ON DELETE SET NULL,
    channel_id INTEGER REFERENCES channels(id) ON DELETE SET NULL,
    network TEXT NOT NULL DEFAULT '',
    target TEXT NOT NULL,
    destination TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX links_org ON links(organization_id, post_id);

-- One row per human click. No IP address is stored.
CREATE TABLE clicks (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    link_id INTEGER NOT NULL REFERENCES links(id) ON DELETE CASCADE,
    post_id INTEGER,
    channel_id INTEGER,
    at INTEGER NOT NULL,
    referrer_host TEXT NOT NULL DEFAULT '',
    device TEXT NOT NULL DEFAULT 'other'
);
CREATE INDEX clicks_link ON clicks(link_id, at);
CREATE INDEX clicks_org ON clicks(organization_id, at);
