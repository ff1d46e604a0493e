-- The receipt log. `seq` is the position in the chain; `hash` links each row to `prev_hash`.
CREATE TABLE receipts (
    seq INTEGER PRIMARY KEY,
    consent_id TEXT NOT NULL,
    time_ms BIGINT NOT NULL,
    received_ms BIGINT NOT NULL,
    revision BIGINT NOT NULL,
    action TEXT NOT NULL,
    source TEXT NOT NULL,
    categories TEXT NOT NULL,
    language TEXT NOT NULL,
    texts_sha256 TEXT NOT NULL,
    client TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX receipts_consent_id ON receipts (consent_id);
CREATE INDEX receipts_time ON receipts (time_ms);
CREATE INDEX receipts_received ON receipts (received_ms);

-- The last row of the chain, updated in the same transaction as each append (and locked by it).
CREATE TABLE chain_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO chain_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Retention: rows up to `seq` were purged; `hash` was the last one's, where verification resumes.
CREATE TABLE checkpoints (
    seq BIGINT PRIMARY KEY,
    hash TEXT NOT NULL,
    purged_ms BIGINT NOT NULL,
    purged_rows BIGINT NOT NULL,
    mac TEXT NOT NULL
);

-- The texts a `textsSha256` stands for, stored once: `body` is the exact JSON that was hashed.
CREATE TABLE texts (
    sha256 TEXT PRIMARY KEY,
    language TEXT NOT NULL,
    body TEXT NOT NULL,
    added_ms BIGINT NOT NULL
);
