-- The current consent of many people at once (segments) is read from this index alone: the
-- newest entry per person is the largest id, and `given` rides along, so no table lookups.
DROP INDEX consents_current;
CREATE INDEX consents_current ON consents(organization_id, channel, purpose, person_id, id, given);
