-- The table of loanapproval.SQLStore: the decisions of loanapproval.Handler,
-- shared by every replica that uses the same database.
--
-- The statements run unchanged on PostgreSQL and on SQLite. Apply them with
-- your own migration tool, or call loanapproval.Migrate(ctx, db), which runs
-- exactly this file. Both statements are idempotent.
--
-- One row per search_id. A replica that wants to decide a search_id first
-- claims the row: it inserts it, or takes over a row whose time has passed or
-- whose answer failed, and writes its random claim token. Only the holder of
-- the token may store the answer. While the decision runs, expires_at is the
-- end of the claim's lease (a replica that dies mid-decision blocks the
-- search_id only until then); once the answer is stored, it is the end of the
-- answer's TTL. Rows whose expires_at has passed are dead and are deleted from
-- time to time.
CREATE TABLE IF NOT EXISTS loanapproval_decisions (
    search_id  TEXT    NOT NULL PRIMARY KEY, -- the search_id in lower case
    claim      TEXT    NOT NULL,             -- token of the claim that decides or decided
    done       INTEGER NOT NULL DEFAULT 0,   -- 0 while the decision runs, 1 once answered
    status     INTEGER NOT NULL DEFAULT 0,   -- HTTP status of the answer: 200, or 500 if it failed
    body       TEXT    NOT NULL DEFAULT '',  -- JSON body of the answer, as sent to Yandex
    expires_at BIGINT  NOT NULL              -- unix milliseconds: lease end, then TTL end
);

CREATE INDEX IF NOT EXISTS loanapproval_decisions_expires_at ON loanapproval_decisions (expires_at);
