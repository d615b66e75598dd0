-- Two-factor login: a TOTP secret per account (sealed like network tokens), recovery codes,
-- the pending second step of a login, and each organization's requirement.

-- The sealed base32 secret; pending (being set up) while totp_enabled_at is NULL.
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_enabled_at INTEGER;
-- The last time step accepted, so that a code is taken once.
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

-- none, admins (owners and admins), everyone
ALTER TABLE organizations ADD COLUMN two_factor_required TEXT NOT NULL DEFAULT 'none';

-- SHA-256 of each code; a used code stays, marked, until the set is renewed.
CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (user_id, code_hash)
);

-- A password that was right, waiting for the second factor (minutes, a few tries).
CREATE TABLE login_challenges (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    attempts INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX login_challenges_user ON login_challenges(user_id);
