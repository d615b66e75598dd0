-- Connection health: tokens renewed before they expire, errors in plain words, warnings before
-- a scheduled post would fail.
-- The sealed refresh token (or, for networks that renew a token with itself, that token).
ALTER TABLE connections ADD COLUMN refresh_sealed TEXT NOT NULL DEFAULT '';
-- When the token was last obtained or renewed.
ALTER TABLE connections ADD COLUMN renewed_at INTEGER;
-- The class of the last error (publish-reconnect, publish-rate-limited…), translated on the page.
ALTER TABLE connections ADD COLUMN last_error_code TEXT NOT NULL DEFAULT '';
-- When the team was last warned that scheduled posts on this channel would fail.
ALTER TABLE connections ADD COLUMN warned_at INTEGER;
CREATE INDEX connections_expiry ON connections(expires_at);

-- Rate limits of Kehilla's own app on a network (all its accounts at once), from the
-- network's headers: no call of that network before blocked_until.
CREATE TABLE app_limits (
    network TEXT PRIMARY KEY,
    blocked_until INTEGER NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);

-- The organization's public profile, pushed to the networks that let an app change it.
ALTER TABLE organizations ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN website TEXT NOT NULL DEFAULT '';
-- A picture of the media library (its public id), or empty.
ALTER TABLE organizations ADD COLUMN logo_media TEXT NOT NULL DEFAULT '';
ALTER TABLE connections ADD COLUMN profile_pushed_at INTEGER;
ALTER TABLE connections ADD COLUMN profile_error TEXT NOT NULL DEFAULT '';

-- A published post's latest figures on its network (JSON, the network's own names), read by a
-- job an hour after publishing and every six hours for a month.
ALTER TABLE publications ADD COLUMN metrics TEXT NOT NULL DEFAULT '{}';
ALTER TABLE publications ADD COLUMN metrics_at INTEGER;
ALTER TABLE publications ADD COLUMN published_at INTEGER;
CREATE INDEX publications_metrics ON publications(state, metrics_at);

-- Claiming the next job is one index lookup however long the queue (publishing makes many at once).
CREATE INDEX jobs_queue ON jobs(status, run_at, id);
