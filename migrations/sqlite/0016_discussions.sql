-- The site's discussions: topic boards, and comments under posts and in boards' threads.
CREATE TABLE boards (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (organization_id, slug)
);

-- Visitors who comment: known by a verified email address.
CREATE TABLE commenters (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    -- The person record with the same address, when there is one.
    person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    -- Hash of the emailed verification token; empty once verified.
    token_hash TEXT NOT NULL DEFAULT '',
    verified_at INTEGER,
    banned INTEGER NOT NULL DEFAULT 0,
    -- Comments of theirs that a moderator approved; after the first, theirs appear at once.
    approved_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (organization_id, email)
);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    -- Under a post, or in a board (a thread's first comment has a title; replies a parent).
    post_id INTEGER REFERENCES posts(id) ON DELETE CASCADE,
    board_id INTEGER REFERENCES boards(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    commenter_id INTEGER NOT NULL REFERENCES commenters(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    -- unverified (waiting for the email link), pending (in the moderation queue), visible, hidden
    status TEXT NOT NULL,
    moderated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    moderated_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX comments_post ON comments(post_id, status, id);
CREATE INDEX comments_board ON comments(board_id, parent_id, status, id);
CREATE INDEX comments_queue ON comments(organization_id, status, id);
