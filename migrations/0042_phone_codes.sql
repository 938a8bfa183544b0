-- Phone confirmation codes (issue 10 item 10, issue 15 item 4): registration and password reset are
-- confirmed by a 6-digit code sent by SMS. One live code per purpose and phone number (a new request
-- replaces it); the code is kept only as a sha256 hash; each try is counted before the code is
-- compared, and five wrong tries burn it.
--
-- A row is written for every request, also when no usable code was sent (registering a number that
-- already has an account, resetting one that has none): it then holds the hash of a random code
-- nobody knows, so checking a code takes the same path whether or not the account exists.
CREATE TABLE phone_code (
  purpose     text NOT NULL CHECK (purpose IN ('register', 'reset')),
  phone_bidx  text NOT NULL,
  code_hash   text NOT NULL,
  attempts    int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (purpose, phone_bidx)
);
CREATE INDEX phone_code_expires_idx ON phone_code (expires_at);
