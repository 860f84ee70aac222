-- De-duplication of YooKassa notifications (PostgreSQL and SQLite alike)
-- (package notification, SQLDeduplicator).
--
-- One row per notification whose callback committed: the row is written in
-- the same transaction as the callback's own changes, so both are kept or
-- neither is. Rows older than the retention time (25 hours by default) no
-- longer count and are removed by SQLDeduplicator.Purge.

CREATE TABLE IF NOT EXISTS yookassa_notifications (
    -- Event.Key: the event and the object's id, such as
    -- 'payment.succeeded:2ff7a4ab-000f-5000-9000-1d3e1c0d3b36'.
    event_key  TEXT   NOT NULL PRIMARY KEY,
    -- When the notification was handled, in Unix milliseconds.
    handled_at BIGINT NOT NULL
);

CREATE INDEX IF NOT EXISTS yookassa_notifications_handled_at
    ON yookassa_notifications (handled_at);
