-- The scheduler's state: portable SQL (SQLite and PostgreSQL). Hashes and addresses are
-- 0x-prefixed lowercase hex TEXT, times are unix seconds, blocks are numbers.

-- Next block the deal watcher reads (one row, id = 1).
CREATE TABLE watch_cursor (
    id BIGINT PRIMARY KEY,
    next_block BIGINT NOT NULL
);

-- Deals of this workerpool, as viewDeal and viewCategory gave them.
CREATE TABLE deals (
    deal_id TEXT PRIMARY KEY,
    bot_first BIGINT NOT NULL,
    bot_size BIGINT NOT NULL,
    trust BIGINT NOT NULL,
    callback TEXT NOT NULL,
    start_time BIGINT NOT NULL,
    timeref BIGINT NOT NULL,
    notice_block BIGINT NOT NULL
);

-- One row per task of a deal. phase: pending (to initialize), active (initialized: the
-- scheduler drives it), done (completed, failed or claimed on chain), skipped (never
-- initialized: TEE, or seen after its contribution deadline; claimed at its final deadline).
CREATE TABLE tasks (
    task_id TEXT PRIMARY KEY,
    deal_id TEXT NOT NULL,
    idx BIGINT NOT NULL,
    phase TEXT NOT NULL,
    chain_status BIGINT NOT NULL,
    initialized_block BIGINT,
    consensus_value TEXT,
    consensus_block BIGINT,
    uploader TEXT,
    upload_asked_at BIGINT,
    result_link TEXT,
    callback_data TEXT,
    failures BIGINT NOT NULL,
    note TEXT
);
CREATE INDEX tasks_phase ON tasks (phase);

-- A worker's part in a task. status: assigned, computed, contributed, revealed, uploaded,
-- completed, failed, aborted, rejected (its vote lost to a reopen). action: the JSON
-- pool_api::Action it is told to do next; delivered = 1 once a final action (abort,
-- complete) was read by the worker, which then no longer sees it.
CREATE TABLE replicates (
    task_id TEXT NOT NULL,
    worker TEXT NOT NULL,
    mode TEXT NOT NULL,
    status TEXT NOT NULL,
    weight BIGINT NOT NULL,
    result_hash TEXT,
    assigned_at BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    action TEXT NOT NULL,
    delivered BIGINT NOT NULL,
    PRIMARY KEY (task_id, worker)
);

-- Registered workers and their bearer tokens.
CREATE TABLE workers (
    wallet TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    capabilities TEXT NOT NULL,
    last_ping BIGINT NOT NULL
);
CREATE INDEX workers_token ON workers (token);

-- Outstanding registration challenges.
CREATE TABLE challenges (
    challenge TEXT PRIMARY KEY,
    wallet TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- Every transaction the scheduler signed, before it is sent: a restart finds a pending one
-- and waits for it (re-broadcasting its raw bytes) instead of signing another.
-- kind: initialize, finalize, reopen, claim, initialize_and_claim, broadcast_order.
-- subjects: the task ids it acts on, comma-separated. status: pending, mined, reverted.
CREATE TABLE transactions (
    tx_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    subjects TEXT NOT NULL,
    raw TEXT NOT NULL,
    status TEXT NOT NULL,
    block BIGINT,
    reason TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX transactions_status ON transactions (status);
