-- Events of the site: a published post of kind 'event' that takes RSVPs. Its time and place
-- are the post's (details); what is here is how it takes sign-ups.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    post_id INTEGER NOT NULL UNIQUE REFERENCES posts(id) ON DELETE CASCADE,
    -- The post's start (its details, in the organization's zone) as an instant: reminders
    -- and the thank-you are found by it. A published post's time does not change.
    starts_at INTEGER NOT NULL,
    -- Places for the event itself (guests included); NULL: no limit.
    capacity INTEGER,
    -- 1: when full, further RSVPs join a waiting list.
    waitlist INTEGER NOT NULL DEFAULT 1,
    rsvp_open INTEGER NOT NULL DEFAULT 1,
    -- How long it lasts, in minutes (for calendars).
    duration_minutes INTEGER NOT NULL DEFAULT 120,
    online_url TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Volunteer shifts of an event, each with its own places.
CREATE TABLE event_shifts (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    capacity INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX event_shifts_event ON event_shifts(event_id, starts_at);

-- One person's answer to an event (shift_id 0) or to one of its shifts.
CREATE TABLE rsvps (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    shift_id INTEGER NOT NULL DEFAULT 0,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    -- going, waitlist, cancelled
    status TEXT NOT NULL,
    guests INTEGER NOT NULL DEFAULT 0,
    -- NULL: not marked; 1 came; 0 did not.
    attended INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (event_id, shift_id, person_id)
);
CREATE INDEX rsvps_event ON rsvps(event_id, shift_id, status);

-- Reminders (the day before, hours before) and the thank-you afterwards: one row per answer,
-- kind and channel, written before an SMS is handed to the gateway, so a retry never sends
-- one twice.
CREATE TABLE event_messages (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    rsvp_id INTEGER NOT NULL REFERENCES rsvps(id) ON DELETE CASCADE,
    -- day, hours, thanks
    kind TEXT NOT NULL,
    -- email, sms
    channel TEXT NOT NULL,
    -- sending, sent, failed, unknown
    status TEXT NOT NULL,
    error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    UNIQUE (rsvp_id, kind, channel)
);
CREATE INDEX events_start ON events(starts_at);
