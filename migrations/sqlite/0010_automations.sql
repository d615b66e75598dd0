-- Automations: sequences of messages that events start (joined a list, signed up through a
-- form, RSVPed, volunteered for a shift, no click in 180 days). Each step is a campaign of its
-- own (status 'automation'), so every message goes through the campaigns' send log: exactly
-- once, signed, with bounces and figures per step.
CREATE TABLE automations (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- signed-up, joined-list, rsvp, shift-signup, no-click-180
    trigger_kind TEXT NOT NULL,
    -- A form's title or a list's name; empty for any.
    trigger_ref TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT 'he',
    active INTEGER NOT NULL DEFAULT 0,
    -- The last person event looked at: events before the automation was switched on do not
    -- start it.
    event_cursor INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX automations_org ON automations(organization_id);

CREATE TABLE automation_steps (
    id INTEGER PRIMARY KEY,
    automation_id INTEGER NOT NULL REFERENCES automations(id) ON DELETE CASCADE,
    step_no INTEGER NOT NULL,
    -- Hours after the trigger (first step) or after the previous step.
    delay_hours INTEGER NOT NULL DEFAULT 0,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    UNIQUE (automation_id, step_no)
);

-- A person's way through a sequence.
CREATE TABLE automation_runs (
    id INTEGER PRIMARY KEY,
    automation_id INTEGER NOT NULL REFERENCES automations(id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    -- The next step's position.
    step INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    -- active, done, left (consent withdrawn or never given)
    status TEXT NOT NULL DEFAULT 'active',
    started_at INTEGER NOT NULL,
    UNIQUE (automation_id, person_id)
);
CREATE INDEX automation_runs_due ON automation_runs(status, next_at);
