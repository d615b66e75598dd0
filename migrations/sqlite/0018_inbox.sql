-- Inbox: every comment, reply, mention and message that reaches an organization, from every
-- source (a network's name, 'site', 'fediverse', 'email', 'sms'), in conversations.

-- Who wrote: one identity per source and author, linked to a person when known.
CREATE TABLE inbox_identities (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    -- The source's stable id of the author: an account id, an actor's address, an email
    -- address, a phone number.
    author_id TEXT NOT NULL,
    handle TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (organization_id, source, author_id)
);
CREATE INDEX inbox_identities_person ON inbox_identities(person_id);

CREATE TABLE inbox_conversations (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    channel_id INTEGER REFERENCES channels(id) ON DELETE SET NULL,
    -- The post it answers, when it answers one of ours.
    post_id INTEGER REFERENCES posts(id) ON DELETE SET NULL,
    identity_id INTEGER REFERENCES inbox_identities(id) ON DELETE SET NULL,
    -- comment, mention, message
    kind TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    -- new, open, waiting, done
    status TEXT NOT NULL DEFAULT 'new',
    -- 0 normal, 1 high, 2 urgent
    priority INTEGER NOT NULL DEFAULT 0,
    assignee_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    -- Labels as ' one two ' (each preceded and followed by a space).
    labels TEXT NOT NULL DEFAULT ' ',
    -- Why the moderation rules flagged it ('' when they did not).
    flagged TEXT NOT NULL DEFAULT '',
    -- Folded words of the messages and the author: `LIKE '% word%'` (Hebrew-aware prefixes).
    search_text TEXT NOT NULL DEFAULT '',
    first_in_at INTEGER NOT NULL,
    first_response_at INTEGER,
    first_responder_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    done_at INTEGER,
    done_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    last_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX inbox_conversations_list ON inbox_conversations(organization_id, status, last_at);
CREATE INDEX inbox_conversations_last ON inbox_conversations(organization_id, last_at);
CREATE INDEX inbox_conversations_post ON inbox_conversations(post_id);
CREATE INDEX inbox_conversations_assignee ON inbox_conversations(assignee_id, status);

CREATE TABLE inbox_messages (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL REFERENCES inbox_conversations(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    -- The source's id of the message ('out:{public_id}' for an answer until it is sent).
    remote_id TEXT NOT NULL,
    -- What it answers, in the source's ids.
    parent_remote_id TEXT NOT NULL DEFAULT '',
    -- in, out
    direction TEXT NOT NULL,
    identity_id INTEGER REFERENCES inbox_identities(id) ON DELETE SET NULL,
    -- The member who wrote an answer.
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    -- in: shown, hidden; out: approval, queued, sending, sent, failed, unknown, declined, deleted
    state TEXT NOT NULL,
    flag TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    liked INTEGER NOT NULL DEFAULT 0,
    -- When it was written (the source's time when it gives one).
    at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (organization_id, source, remote_id)
);
CREATE INDEX inbox_messages_conversation ON inbox_messages(conversation_id, at);
CREATE INDEX inbox_messages_identity ON inbox_messages(identity_id);
-- A source's id across organizations (a fediverse note, an email's Message-ID).
CREATE INDEX inbox_messages_remote ON inbox_messages(source, remote_id);

CREATE TABLE inbox_notes (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL REFERENCES inbox_conversations(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX inbox_notes_conversation ON inbox_notes(conversation_id);

CREATE TABLE inbox_saved_replies (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (organization_id, title)
);

CREATE TABLE inbox_settings (
    organization_id INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    -- Contributors' answers wait for an editor's approval.
    approval INTEGER NOT NULL DEFAULT 0,
    -- One word or phrase per line, Hebrew or English.
    flag_words TEXT NOT NULL DEFAULT '',
    hide_words TEXT NOT NULL DEFAULT '',
    -- A message with more links than this is flagged as spam (0: no limit).
    max_links INTEGER NOT NULL DEFAULT 3,
    updated_at INTEGER NOT NULL
);

-- Where polling a channel stopped: per channel and scope ('mentions', or 'post:{publication}').
CREATE TABLE inbox_cursors (
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    cursor TEXT NOT NULL DEFAULT '',
    polled_at INTEGER NOT NULL,
    PRIMARY KEY (channel_id, scope)
);

-- Each member's email digest of the inbox: off or daily.
CREATE TABLE inbox_digests (
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    frequency TEXT NOT NULL DEFAULT 'daily',
    last_sent_at INTEGER,
    PRIMARY KEY (organization_id, user_id)
);

-- What a fediverse reply or mention answers (a note's id), to thread it in the inbox.
ALTER TABLE ap_items ADD COLUMN in_reply_to TEXT NOT NULL DEFAULT '';
