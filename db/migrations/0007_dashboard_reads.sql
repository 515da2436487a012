-- the verbatim search matches text anywhere in an answer (ilike '%…%'); pg_trgm is a trusted extension
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "response_verbatims" (
	"response_id" uuid NOT NULL,
	"question" text NOT NULL,
	"account_id" uuid NOT NULL,
	"survey_version_id" uuid NOT NULL,
	"completed_at" timestamp with time zone NOT NULL,
	"text" text NOT NULL,
	CONSTRAINT "response_verbatims_response_id_question_pk" PRIMARY KEY("response_id","question")
);
--> statement-breakpoint
ALTER TABLE "account_health" ADD COLUMN "gap_dimensions" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "response_verbatims" ADD CONSTRAINT "response_verbatims_response_id_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_verbatims" ADD CONSTRAINT "response_verbatims_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "response_verbatims_account_completed_idx" ON "response_verbatims" USING btree ("account_id","completed_at");--> statement-breakpoint
CREATE INDEX "response_verbatims_completed_idx" ON "response_verbatims" USING btree ("completed_at");--> statement-breakpoint
CREATE INDEX "response_verbatims_text_trgm_idx" ON "response_verbatims" USING gin ("text" gin_trgm_ops);--> statement-breakpoint
-- the rollups gained gap_dimensions and the verbatims: drop the old ones so the next start
-- (ensureHealthRollups) or `npm run health:rebuild` builds them whole
DELETE FROM "account_health";
