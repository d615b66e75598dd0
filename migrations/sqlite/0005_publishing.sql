-- Publishing: a channel's connection to its network (tokens encrypted) and one publication per
-- (post, channel), whose state is saved before every remote call.
CREATE TABLE connections (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL UNIQUE REFERENCES channels(id) ON DELETE CASCADE,
    -- The network's API address (a Mastodon server; the Bot API base for Telegram).
    server_url TEXT NOT NULL,
    -- The account as the network names it (@name@server, a chat id).
    account TEXT NOT NULL DEFAULT '',
    -- Access token sealed with the instance key (ChaCha20-Poly1305, base64 of nonce + sealed).
    token_sealed TEXT NOT NULL,
    expires_at INTEGER,
    last_success_at INTEGER,
    last_error TEXT NOT NULL DEFAULT '',
    needs_reconnect INTEGER NOT NULL DEFAULT 0,
    -- Rate limit: no call before this instant (from the network's headers).
    blocked_until INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE publications (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    -- pending → sending → published | failed | unknown (the outcome of a call is not known and
    -- the network cannot be asked: a person checks before anything is sent again).
    state TEXT NOT NULL DEFAULT 'pending',
    -- The key sent with every attempt, so that the network itself drops a repeat.
    idempotency_key TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    remote_id TEXT,
    remote_url TEXT,
    -- Ids of the thread's parts published so far (JSON list), so a retry continues the thread.
    parts_done TEXT NOT NULL DEFAULT '[]',
    error_code TEXT NOT NULL DEFAULT '',
    error_text TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    UNIQUE (post_id, channel_id)
);
CREATE INDEX publications_org ON publications(organization_id, state);

-- Apps registered on servers that register clients themselves (Mastodon), per server.
CREATE TABLE oauth_apps (
    server_url TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    client_secret_sealed TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- Sign-ins in progress: the state sent to the network, the PKCE verifier, who asked for what.
CREATE TABLE oauth_states (
    state_hash TEXT PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    server_url TEXT NOT NULL,
    verifier_sealed TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
