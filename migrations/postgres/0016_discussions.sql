-- The site's discussions: topic boards, and comments under posts and in boards' threads.
CREATE TABLE boards (
    id BIGSERIAL PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    UNIQUE (organization_id, slug)
);

-- Visitors who comment: known by a verified email address.
CREATE TABLE commenters (
    id BIGSERIAL PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    -- The person record with the same address, when there is one.
    person_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
    -- Hash of the emailed verification token; empty once verified.
    token_hash TEXT NOT NULL DEFAULT '',
    verified_at BIGINT,
    banned BIGINT NOT NULL DEFAULT 0,
    -- Comments of theirs that a moderator approved; after the first, theirs appear at once.
    approved_count BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    UNIQUE (organization_id, email)
);

CREATE TABLE comments (
    id BIGSERIAL PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    -- Under a post, or in a board (a thread's first comment has a title; replies a parent).
    post_id BIGINT REFERENCES posts(id) ON DELETE CASCADE,
    board_id BIGINT REFERENCES boards(id) ON DELETE CASCADE,
    parent_id BIGINT REFERENCES comments(id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    commenter_id BIGINT NOT NULL REFERENCES commenters(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    -- unverified (waiting for the email link), pending (in the moderation queue), visible, hidden
    status TEXT NOT NULL,
    moderated_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    moderated_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX comments_post ON comments(post_id, status, id);
CREATE INDEX comments_board ON comments(board_id, parent_id, status, id);
CREATE INDEX comments_queue ON comments(organization_id, status, id);
