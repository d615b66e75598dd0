-- People and consent: the owned community core.
ALTER TABLE organizations ADD COLUMN registered_nonprofit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN legal_name TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN contact_details TEXT NOT NULL DEFAULT '';

-- Secrets the instance makes for itself (the key that signs preference-centre links).
CREATE TABLE instance_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    latin_name TEXT NOT NULL DEFAULT '',
    email TEXT,
    phone TEXT,
    lang TEXT NOT NULL DEFAULT 'he',
    notes TEXT NOT NULL DEFAULT '',
    -- Folded words of names, email, phone and labels, with a leading space: `LIKE '% word%'`
    -- is a Hebrew-aware prefix search.
    search_text TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (organization_id, email),
    UNIQUE (organization_id, phone)
);
CREATE INDEX people_org_created ON people(organization_id, created_at);

-- Roles (the organization's list) and free tags of a person.
CREATE TABLE person_labels (
    organization_id INTEGER NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (person_id, kind, value)
);
CREATE INDEX person_labels_lookup ON person_labels(organization_id, kind, value, person_id);

CREATE TABLE role_options (
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    label TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, key)
);

CREATE TABLE custom_fields (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    label TEXT NOT NULL,
    field_type TEXT NOT NULL,
    choices TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    UNIQUE (organization_id, key)
);

CREATE TABLE person_fields (
    organization_id INTEGER NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    field_id INTEGER NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
    value_text TEXT NOT NULL,
    value_num DOUBLE PRECISION,
    PRIMARY KEY (person_id, field_id)
);
CREATE INDEX person_fields_text ON person_fields(field_id, value_text);
CREATE INDEX person_fields_num ON person_fields(field_id, value_num);

-- The timeline: every interaction with a person.
CREATE TABLE person_events (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX person_events_person ON person_events(person_id, id);
CREATE INDEX person_events_kind ON person_events(organization_id, kind, created_at);

-- The consent ledger: append-only. Current consent is the newest entry per person, channel
-- and purpose.
CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL,
    person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    channel TEXT NOT NULL,
    purpose TEXT NOT NULL,
    given INTEGER NOT NULL,
    source TEXT NOT NULL,
    source_ref TEXT NOT NULL DEFAULT '',
    wording TEXT NOT NULL DEFAULT '',
    meta TEXT NOT NULL DEFAULT '{}',
    -- For erased people: a hash of the address, so that a later import cannot re-add them.
    subject_hash TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX consents_current ON consents(organization_id, channel, purpose, person_id, id);
CREATE INDEX consents_person ON consents(person_id, id);
CREATE INDEX consents_subject ON consents(organization_id, subject_hash);

CREATE TABLE lists (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE list_members (
    list_id INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (list_id, person_id)
);
CREATE INDEX list_members_person ON list_members(person_id);

CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE forms (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    intro TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'he',
    ask_phone INTEGER NOT NULL DEFAULT 0,
    consents TEXT NOT NULL DEFAULT '[]',
    list_id INTEGER REFERENCES lists(id) ON DELETE SET NULL,
    double_opt_in INTEGER NOT NULL DEFAULT 1,
    thanks_text TEXT NOT NULL DEFAULT '',
    redirect_url TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);

-- Submissions waiting for the email confirmation of double opt-in.
CREATE TABLE form_confirmations (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL,
    form_id INTEGER NOT NULL REFERENCES forms(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    submission TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    confirmed_at INTEGER
);
CREATE INDEX form_confirmations_email ON form_confirmations(form_id, email);

CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    file_name TEXT NOT NULL,
    encoding TEXT NOT NULL DEFAULT '',
    mapping TEXT NOT NULL DEFAULT '{}',
    consent_basis TEXT NOT NULL DEFAULT '',
    list_id INTEGER REFERENCES lists(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    total_rows INTEGER NOT NULL DEFAULT 0,
    processed_rows INTEGER NOT NULL DEFAULT 0,
    created_count INTEGER NOT NULL DEFAULT 0,
    updated_count INTEGER NOT NULL DEFAULT 0,
    error_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    finished_at INTEGER
);

CREATE TABLE import_chunks (
    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (import_id, seq)
);

CREATE TABLE import_problems (
    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    row_no INTEGER NOT NULL,
    col TEXT NOT NULL,
    reason TEXT NOT NULL,
    value TEXT NOT NULL DEFAULT ''
);
CREATE INDEX import_problems_import ON import_problems(import_id, row_no);

-- Organizations that existed before start with the default person roles.
INSERT INTO role_options (organization_id, key, label, position) SELECT id, 'donor', 'donor', 0 FROM organizations;
INSERT INTO role_options (organization_id, key, label, position) SELECT id, 'volunteer', 'volunteer', 1 FROM organizations;
INSERT INTO role_options (organization_id, key, label, position) SELECT id, 'activist', 'activist', 2 FROM organizations;
INSERT INTO role_options (organization_id, key, label, position) SELECT id, 'partner', 'partner', 3 FROM organizations;
INSERT INTO role_options (organization_id, key, label, position) SELECT id, 'beneficiary', 'beneficiary', 4 FROM organizations;
INSERT INTO role_options (organization_id, key, label, position) SELECT id, 'press', 'press', 5 FROM organizations;
INSERT INTO role_options (organization_id, key, label, position) SELECT id, 'public', 'public', 6 FROM organizations;
