-- Pledges made on a donation appeal's page: the visitor then pays on the organization's own
-- payment page; Kehilla never handles a card.
CREATE TABLE pledges (
    id BIGSERIAL PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    -- In agorot (1/100 of a shekel).
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL DEFAULT 'ILS',
    monthly BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX pledges_post ON pledges(organization_id, post_id);
