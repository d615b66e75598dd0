-- The organization's own site: what its profile card says beyond the Studio's profile
-- (description, website, logo), and the custom domain it answers on.
ALTER TABLE organizations ADD COLUMN site_domain TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN site_strengths TEXT NOT NULL DEFAULT '';
-- Comma-separated.
ALTER TABLE organizations ADD COLUMN site_keywords TEXT NOT NULL DEFAULT '';
-- JSON list of {"label", "url"}.
ALTER TABLE organizations ADD COLUMN site_links TEXT NOT NULL DEFAULT '[]';
CREATE UNIQUE INDEX organizations_site_domain ON organizations(site_domain) WHERE site_domain <> '';

-- Simple pages of the site (about, contact …), in Markdown.
CREATE TABLE site_pages (
    id BIGSERIAL PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (organization_id, slug)
);
