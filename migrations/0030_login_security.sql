-- SEC-3 login security (issue 10 item 5).

-- Failure counters, one row per key: an (account, client address) pair, an address across accounts,
-- and an account from everywhere. An attempt is counted when it is admitted, in a locked row, so
-- parallel guesses cannot all pass; `blocked_until` is the backoff, never a permanent lock.
CREATE TABLE login_throttle (
  key            text PRIMARY KEY,
  failures       int NOT NULL DEFAULT 0 CHECK (failures >= 0),
  blocked_until  timestamptz,
  updated_at     timestamptz NOT NULL
);

-- Browsers a user has logged in from before (a cookie holding a random token, kept here hashed):
-- they pass the per-account and per-address backoff, so an attacker cannot keep the real user out.
CREATE TABLE known_device (
  token_hash    text PRIMARY KEY,
  account_key   text NOT NULL,
  created_at    timestamptz NOT NULL,
  last_used_at  timestamptz NOT NULL
);
CREATE INDEX known_device_account_idx ON known_device (account_key);

-- The lockout columns are replaced by login_throttle.
ALTER TABLE staff_user DROP COLUMN failed_logins;
ALTER TABLE staff_user DROP COLUMN locked_until;
ALTER TABLE applicant_account DROP COLUMN failed_logins;
ALTER TABLE applicant_account DROP COLUMN locked_until;

-- Idle timeout beside the absolute one.
ALTER TABLE auth_session ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();

-- A change of rights ends the sessions that were opened under the old rights: any insert, update or
-- delete of a role grant bumps the user's rights version, and a session is valid only for the version
-- it was opened with. A trigger, so no code path that changes grants can forget it.
ALTER TABLE staff_user ADD COLUMN rights_version int NOT NULL DEFAULT 0;
ALTER TABLE auth_session ADD COLUMN rights_version int NOT NULL DEFAULT 0;
CREATE FUNCTION role_grant_bump_rights() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE staff_user SET rights_version = rights_version + 1 WHERE id = OLD.user_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    UPDATE staff_user SET rights_version = rights_version + 1 WHERE id = NEW.user_id;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER role_grant_rights_changed AFTER INSERT OR UPDATE OR DELETE ON role_grant
  FOR EACH ROW EXECUTE FUNCTION role_grant_bump_rights();

-- TOTP for staff (otplib): the secret encrypted at rest; the last accepted time step, so a code is used once.
ALTER TABLE staff_user ADD COLUMN totp_secret_enc text;
ALTER TABLE staff_user ADD COLUMN totp_enabled_at timestamptz;
ALTER TABLE staff_user ADD COLUMN totp_last_step bigint;
-- One-time recovery codes, kept hashed; a used one is marked, never reusable.
CREATE TABLE staff_recovery_code (
  staff_id   uuid NOT NULL REFERENCES staff_user (id),
  code_hash  text NOT NULL,
  used_at    timestamptz,
  PRIMARY KEY (staff_id, code_hash)
);
-- The second step of a login: the password was right, the code is still to come.
CREATE TABLE login_challenge (
  token_hash    text PRIMARY KEY,
  staff_id      uuid NOT NULL REFERENCES staff_user (id),
  attempts      int NOT NULL DEFAULT 0,
  expires_at    timestamptz NOT NULL
);
-- A session opened by someone who must enrol TOTP first (policy profile) may only enrol.
ALTER TABLE auth_session ADD COLUMN enrolment_only boolean NOT NULL DEFAULT false;
