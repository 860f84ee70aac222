-- The example shop's tables (PostgreSQL and SQLite alike). The shop applies
-- this file at start-up; the table of notification.SQLDeduplicator,
-- yookassa_notifications, comes from package notification.
-- Times are Unix nanoseconds; request bodies are JSON as sent to YooKassa.

-- One row per order.
CREATE TABLE IF NOT EXISTS shop_orders (
    id              TEXT    NOT NULL PRIMARY KEY,
    created_at      BIGINT  NOT NULL,
    email           TEXT    NOT NULL,
    -- The receipt at the undiscounted prices: the basis of every capture.
    receipt         TEXT    NOT NULL,
    -- The body of POST /payments, written before it is first sent and sent
    -- again unchanged, under the key order-<id>.pay, when its answer is lost.
    payment_request TEXT    NOT NULL,
    -- YooKassa's payment, once known, and its last known status; stage
    -- orders the statuses so that an update never moves one back.
    payment_id      TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT '',
    stage           INTEGER NOT NULL DEFAULT 0,
    -- The undiscounted receipt of what was captured, for planning refunds.
    refund_basis    TEXT,
    -- The number of the next admin operation (part of its key).
    next_op         INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX IF NOT EXISTS shop_orders_payment_id ON shop_orders (payment_id);

-- The admin operation in flight or whose outcome is unknown, at most one per
-- order. It is written, with its key and body, before the request is sent,
-- and removed when YooKassa's answer is final. A shop that restarts sends it
-- again with the same key.
CREATE TABLE IF NOT EXISTS shop_pending (
    order_id  TEXT    NOT NULL PRIMARY KEY,
    n         INTEGER NOT NULL,
    action    TEXT    NOT NULL,
    what      TEXT    NOT NULL,
    idem_key  TEXT    NOT NULL,
    body      TEXT    NOT NULL,
    basis     TEXT
);

-- The operations log of the admin page.
CREATE TABLE IF NOT EXISTS shop_operations (
    order_id  TEXT    NOT NULL,
    at        BIGINT  NOT NULL,
    n         INTEGER NOT NULL,
    what      TEXT    NOT NULL,
    idem_key  TEXT    NOT NULL,
    outcome   TEXT    NOT NULL,
    failed    INTEGER NOT NULL,
    retry     INTEGER NOT NULL
);

CREATE INDEX IF NOT EXISTS shop_operations_order ON shop_operations (order_id, at);

-- The verified notifications received, for the operator.
CREATE TABLE IF NOT EXISTS shop_notifications (
    order_id  TEXT    NOT NULL,
    at        BIGINT  NOT NULL,
    text      TEXT    NOT NULL
);

CREATE INDEX IF NOT EXISTS shop_notifications_order ON shop_notifications (order_id, at);
