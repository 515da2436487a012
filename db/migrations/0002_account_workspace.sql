CREATE TYPE "public"."csv_import_kind" AS ENUM('accounts', 'contacts', 'opportunities', 'interactions');--> statement-breakpoint
CREATE TYPE "public"."csv_import_status" AS ENUM('checking', 'checked', 'rejected', 'applying', 'applied', 'failed');--> statement-breakpoint
CREATE TABLE "csv_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "csv_import_kind" NOT NULL,
	"file_name" text NOT NULL,
	"content" text NOT NULL,
	"status" "csv_import_status" DEFAULT 'checking' NOT NULL,
	"total_rows" integer DEFAULT 0 NOT NULL,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	"report" jsonb,
	"error" text,
	"created_by_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "accounts" ALTER COLUMN "target_cadence_days" SET DEFAULT 45;--> statement-breakpoint
ALTER TABLE "predictions" ADD COLUMN "survey_version_id" uuid;--> statement-breakpoint
ALTER TABLE "predictions" ADD COLUMN "data" jsonb;--> statement-breakpoint
ALTER TABLE "predictions" ADD COLUMN "campaign_id" uuid;--> statement-breakpoint
ALTER TABLE "predictions" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "csv_imports" ADD CONSTRAINT "csv_imports_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "csv_imports_created_by_id_idx" ON "csv_imports" USING btree ("created_by_id","created_at");--> statement-breakpoint
ALTER TABLE "predictions" ADD CONSTRAINT "predictions_survey_version_id_survey_versions_id_fk" FOREIGN KEY ("survey_version_id") REFERENCES "public"."survey_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "predictions" ADD CONSTRAINT "predictions_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "predictions_survey_version_id_idx" ON "predictions" USING btree ("survey_version_id");--> statement-breakpoint
CREATE INDEX "predictions_campaign_id_idx" ON "predictions" USING btree ("campaign_id");