CREATE TYPE "public"."case_note_kind" AS ENUM('note', 'acknowledged', 'resolved', 'recovery_pulse');--> statement-breakpoint
CREATE TABLE "case_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"author_id" uuid,
	"kind" "case_note_kind" DEFAULT 'note' NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_notes_body_length" CHECK (char_length("case_notes"."body") <= 5000)
);
--> statement-breakpoint
DROP INDEX "cases_response_id_idx";--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "recovery_invitation_id" uuid;--> statement-breakpoint
ALTER TABLE "case_notes" ADD CONSTRAINT "case_notes_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_notes" ADD CONSTRAINT "case_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_notes_case_created_idx" ON "case_notes" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE INDEX "case_notes_author_id_idx" ON "case_notes" USING btree ("author_id");--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_recovery_invitation_id_invitations_id_fk" FOREIGN KEY ("recovery_invitation_id") REFERENCES "public"."invitations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cases_response_trigger_key" ON "cases" USING btree ("response_id","trigger");--> statement-breakpoint
CREATE INDEX "cases_recovery_invitation_id_idx" ON "cases" USING btree ("recovery_invitation_id");