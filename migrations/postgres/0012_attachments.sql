-- Files of the media library attached to a campaign's emails (public ids, JSON).
ALTER TABLE campaigns ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';
