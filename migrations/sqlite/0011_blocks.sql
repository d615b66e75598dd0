-- The block editor: a campaign is Markdown or blocks (JSON in body, rendered through MJML);
-- the organization's colour for headings and buttons.
ALTER TABLE campaigns ADD COLUMN format TEXT NOT NULL DEFAULT 'markdown';
ALTER TABLE mail_senders ADD COLUMN brand_color TEXT NOT NULL DEFAULT '#1f6feb';
