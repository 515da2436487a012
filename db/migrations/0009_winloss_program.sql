-- The win/loss program (docs/winloss-program.md): the admin's follow-up rules, one follow-up
-- per closed deal, interview tasks, and the deal a win/loss campaign's invitations carry.
CREATE TYPE "public"."interview_task_status" AS ENUM('open', 'done', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."winloss_action" AS ENUM('survey', 'interview', 'none');--> statement-breakpoint
CREATE TYPE "public"."winloss_followup_status" AS ENUM('waiting_for_seller', 'scheduled', 'invited', 'task_opened', 'skipped');--> statement-breakpoint
CREATE TABLE "interview_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"contact_id" uuid,
	"assignee_id" uuid NOT NULL,
	"due_on" date NOT NULL,
	"status" "interview_task_status" DEFAULT 'open' NOT NULL,
	"response_id" uuid,
	"created_by_id" uuid,
	"cancelled_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "winloss_followups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"rule_id" uuid,
	"rule_summary" text NOT NULL,
	"action" "winloss_action" NOT NULL,
	"delay_days" smallint NOT NULL,
	"status" "winloss_followup_status" NOT NULL,
	"skip_reason" text,
	"closed_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"scheduled_at" timestamp with time zone,
	"processed_at" timestamp with time zone,
	"campaign_id" uuid,
	"interview_task_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "winloss_followups_delay_range" CHECK ("winloss_followups"."delay_days" between 0 and 90)
);
--> statement-breakpoint
CREATE TABLE "winloss_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"position" integer NOT NULL,
	"outcomes" "opportunity_outcome"[] DEFAULT '{}' NOT NULL,
	"min_amount_cents" bigint,
	"max_amount_cents" bigint,
	"segment" "segment",
	"action" "winloss_action" NOT NULL,
	"delay_days" smallint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "winloss_rules_delay_range" CHECK ("winloss_rules"."delay_days" between 0 and 90),
	CONSTRAINT "winloss_rules_amounts" CHECK (coalesce("winloss_rules"."min_amount_cents", 0) >= 0 and ("winloss_rules"."min_amount_cents" is null or "winloss_rules"."max_amount_cents" is null or "winloss_rules"."min_amount_cents" < "winloss_rules"."max_amount_cents")),
	CONSTRAINT "winloss_rules_closed_outcomes" CHECK (not ('open' = any("winloss_rules"."outcomes")))
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "opportunity_id" uuid;--> statement-breakpoint
ALTER TABLE "interview_tasks" ADD CONSTRAINT "interview_tasks_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interview_tasks" ADD CONSTRAINT "interview_tasks_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interview_tasks" ADD CONSTRAINT "interview_tasks_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interview_tasks" ADD CONSTRAINT "interview_tasks_response_id_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."responses"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interview_tasks" ADD CONSTRAINT "interview_tasks_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interview_tasks" ADD CONSTRAINT "interview_tasks_cancelled_by_id_users_id_fk" FOREIGN KEY ("cancelled_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "winloss_followups" ADD CONSTRAINT "winloss_followups_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "winloss_followups" ADD CONSTRAINT "winloss_followups_rule_id_winloss_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."winloss_rules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "winloss_followups" ADD CONSTRAINT "winloss_followups_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "winloss_followups" ADD CONSTRAINT "winloss_followups_interview_task_id_interview_tasks_id_fk" FOREIGN KEY ("interview_task_id") REFERENCES "public"."interview_tasks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "interview_tasks_assignee_status_due_idx" ON "interview_tasks" USING btree ("assignee_id","status","due_on");--> statement-breakpoint
CREATE INDEX "interview_tasks_status_due_idx" ON "interview_tasks" USING btree ("status","due_on");--> statement-breakpoint
CREATE INDEX "interview_tasks_opportunity_id_idx" ON "interview_tasks" USING btree ("opportunity_id");--> statement-breakpoint
CREATE INDEX "interview_tasks_contact_id_idx" ON "interview_tasks" USING btree ("contact_id");--> statement-breakpoint
CREATE UNIQUE INDEX "interview_tasks_response_id_key" ON "interview_tasks" USING btree ("response_id");--> statement-breakpoint
CREATE INDEX "interview_tasks_created_by_id_idx" ON "interview_tasks" USING btree ("created_by_id");--> statement-breakpoint
CREATE INDEX "interview_tasks_cancelled_by_id_idx" ON "interview_tasks" USING btree ("cancelled_by_id");--> statement-breakpoint
CREATE UNIQUE INDEX "winloss_followups_opportunity_id_key" ON "winloss_followups" USING btree ("opportunity_id");--> statement-breakpoint
CREATE INDEX "winloss_followups_status_due_idx" ON "winloss_followups" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "winloss_followups_rule_id_idx" ON "winloss_followups" USING btree ("rule_id");--> statement-breakpoint
CREATE INDEX "winloss_followups_campaign_id_idx" ON "winloss_followups" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "winloss_followups_interview_task_id_idx" ON "winloss_followups" USING btree ("interview_task_id");--> statement-breakpoint
CREATE INDEX "winloss_rules_position_idx" ON "winloss_rules" USING btree ("position");--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaigns_opportunity_id_idx" ON "campaigns" USING btree ("opportunity_id");