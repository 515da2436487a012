CREATE TABLE "contact_erasures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contact_id" uuid NOT NULL,
	"account_id" uuid,
	"erased_by_id" uuid,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspace_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"survey_frame_ancestors" text[] DEFAULT '{}' NOT NULL,
	"updated_by_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspace_settings_single_row" CHECK ("workspace_settings"."id")
);
--> statement-breakpoint
ALTER TABLE "contact_erasures" ADD CONSTRAINT "contact_erasures_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_erasures" ADD CONSTRAINT "contact_erasures_erased_by_id_users_id_fk" FOREIGN KEY ("erased_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_settings" ADD CONSTRAINT "workspace_settings_updated_by_id_users_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_erasures_account_id_idx" ON "contact_erasures" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "contact_erasures_erased_by_id_idx" ON "contact_erasures" USING btree ("erased_by_id");--> statement-breakpoint
CREATE INDEX "contact_erasures_contact_id_idx" ON "contact_erasures" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "workspace_settings_updated_by_id_idx" ON "workspace_settings" USING btree ("updated_by_id");