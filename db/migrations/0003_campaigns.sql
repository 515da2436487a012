CREATE TYPE "public"."campaign_exclusion_reason" AS ENUM('no_email', 'opted_out', 'bounced', 'duplicate_email', 'recently_surveyed', 'over_ask_budget');--> statement-breakpoint
CREATE TYPE "public"."outbox_batch_status" AS ENUM('sending', 'sent', 'failed');--> statement-breakpoint
ALTER TYPE "public"."invitation_status" ADD VALUE 'failed';--> statement-breakpoint
CREATE TABLE "campaign_recipients" (
	"campaign_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"excluded_reason" "campaign_exclusion_reason",
	"excluded_detail" text,
	"invitation_id" uuid,
	CONSTRAINT "campaign_recipients_campaign_id_contact_id_pk" PRIMARY KEY("campaign_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "invitation_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"invitation_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"status" "outbox_batch_status" DEFAULT 'sending' NOT NULL,
	"attempts" smallint DEFAULT 1 NOT NULL,
	"lease_until" timestamp with time zone NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
DROP INDEX "invitations_campaign_id_idx";--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "frequency_window_days" smallint DEFAULT 90 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "ask_budget_per_quarter" smallint DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "completed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "delivery_delayed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "clicked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "bounced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "failure_reason" text;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "reminders_sent" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "last_reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "campaign_id" uuid;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "batch_id" uuid;--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD CONSTRAINT "campaign_recipients_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD CONSTRAINT "campaign_recipients_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD CONSTRAINT "campaign_recipients_invitation_id_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."invitations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_tokens" ADD CONSTRAINT "invitation_tokens_invitation_id_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."invitations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_recipients_contact_id_idx" ON "campaign_recipients" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "campaign_recipients_invitation_id_idx" ON "campaign_recipients" USING btree ("invitation_id");--> statement-breakpoint
CREATE INDEX "invitation_tokens_invitation_id_idx" ON "invitation_tokens" USING btree ("invitation_id");--> statement-breakpoint
CREATE INDEX "outbox_batches_status_next_idx" ON "outbox_batches" USING btree ("status","next_attempt_at");--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_batch_id_outbox_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."outbox_batches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaigns_status_idx" ON "campaigns" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_campaign_contact_key" ON "invitations" USING btree ("campaign_id","contact_id");--> statement-breakpoint
CREATE INDEX "outbox_campaign_id_idx" ON "outbox" USING btree ("campaign_id","status");--> statement-breakpoint
CREATE INDEX "outbox_batch_id_idx" ON "outbox" USING btree ("batch_id");--> statement-breakpoint
-- Every existing link keeps working: its token moves to invitation_tokens (0004 drops the old column).
INSERT INTO "invitation_tokens" ("token_hash", "invitation_id", "created_at") SELECT "token_hash", "id", "created_at" FROM "invitations";
