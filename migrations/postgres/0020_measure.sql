-- Plan and Measure: audiences (each may stand for a segment), goals against a metric of the
-- catalogue, the channel map's hours and budget; figures read from networks as points in time,
-- and one row per organization, metric, channel and local day for the dashboards.

CREATE TABLE audiences (
    id BIGSERIAL PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    segment_id BIGINT REFERENCES segments(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX audiences_org ON audiences(organization_id);

-- The channel map: who the channel serves and what it costs each month.
ALTER TABLE channels ADD COLUMN audience_id BIGINT REFERENCES audiences(id) ON DELETE SET NULL;
ALTER TABLE channels ADD COLUMN monthly_hours BIGINT;
-- Whole units of the organization's currency.
ALTER TABLE channels ADD COLUMN monthly_budget BIGINT;

-- The first-run guide of Plan, once put away.
ALTER TABLE organizations ADD COLUMN plan_guide_closed BIGINT NOT NULL DEFAULT 0;
-- The monthly report emailed to owners and admins on the first of each month.
ALTER TABLE organizations ADD COLUMN report_monthly BIGINT NOT NULL DEFAULT 0;

CREATE TABLE goals (
    id BIGSERIAL PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    -- A key of the metric catalogue (crates/app/src/measure/catalogue.rs).
    metric TEXT NOT NULL,
    -- A goal about one channel goes with it.
    channel_id BIGINT REFERENCES channels(id) ON DELETE CASCADE,
    -- Who the goal is for (the measure is the organization's or the channel's).
    audience_id BIGINT REFERENCES audiences(id) ON DELETE SET NULL,
    target DOUBLE PRECISION NOT NULL,
    -- Local days (days since 1970-01-01 in the organization's time zone), both included.
    start_day BIGINT NOT NULL,
    end_day BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX goals_org ON goals(organization_id, end_day);

-- A figure read from a network at one moment: a channel's followers, a post's views or likes
-- (cumulative, as the network gives them). channel_id and post_id are 0 when not about one.
CREATE TABLE metric_points (
    id BIGSERIAL PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    metric TEXT NOT NULL,
    channel_id BIGINT NOT NULL DEFAULT 0,
    post_id BIGINT NOT NULL DEFAULT 0,
    at BIGINT NOT NULL,
    value DOUBLE PRECISION NOT NULL
);
CREATE INDEX metric_points_org ON metric_points(organization_id, metric, at);

-- Daily rollups: the sum (counts) or the day's last value (levels) of each metric.
-- channel_id 0 is the organization as a whole.
CREATE TABLE daily_metrics (
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    metric TEXT NOT NULL,
    channel_id BIGINT NOT NULL DEFAULT 0,
    day BIGINT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (organization_id, metric, channel_id, day)
);

-- Where a sign-up, an RSVP or a pledge came from: the UTM parameters the visitor arrived with
-- (utm_source, utm_campaign) and the post and channel they name; 0 when unknown.
CREATE TABLE conversions (
    id BIGSERIAL PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    person_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
    post_id BIGINT NOT NULL DEFAULT 0,
    channel_id BIGINT NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT '',
    campaign TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);
CREATE INDEX conversions_org ON conversions(organization_id, at);

-- What the daily rollups read by organization and time.
CREATE INDEX rsvps_org_created ON rsvps(organization_id, created_at);
CREATE INDEX pledges_org_created ON pledges(organization_id, created_at);
CREATE INDEX campaign_recipients_sent ON campaign_recipients(organization_id, sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX campaign_recipients_opened ON campaign_recipients(organization_id, opened_at) WHERE opened_at IS NOT NULL;
CREATE INDEX inbox_messages_org_at ON inbox_messages(organization_id, at);
CREATE INDEX inbox_conversations_responded ON inbox_conversations(organization_id, first_response_at) WHERE first_response_at IS NOT NULL;
CREATE INDEX publications_published ON publications(organization_id, published_at) WHERE published_at IS NOT NULL;
