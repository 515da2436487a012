DROP INDEX "answers_dimension_idx";--> statement-breakpoint
DROP INDEX "responses_contact_id_idx";--> statement-breakpoint
CREATE INDEX "responses_contact_completed_idx" ON "responses" USING btree ("contact_id","completed_at","id");