-- Customer 9-1-1 logs its withdrawal as a customer_alert, not an escalation: nobody from the
-- team has spoken with the customer yet, so it is not two-way contact (app/domain/ledger.ts).
-- Entries logged before stay escalations: a new enum value cannot be used in the transaction
-- that adds it, and the migrations run in one.
ALTER TYPE "public"."interaction_kind" ADD VALUE 'customer_alert';
