-- The deliveries under way, counted on every claim against their company's and endpoint's caps
-- (lib/outbox/claim.ts): a few rows to read, however long the queue behind them.
CREATE INDEX "outbox_in_flight_idx" ON "outbox" USING btree ("company_id","endpoint_id") WHERE status = 'pending' and locked_until is not null;