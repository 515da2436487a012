CREATE TYPE "public"."confidence_level" AS ENUM('none', 'low', 'medium', 'high');--> statement-breakpoint
CREATE TYPE "public"."health_quadrant" AS ENUM('agreed_strength', 'agreed_weakness', 'blind_spot', 'undervalued');--> statement-breakpoint
CREATE TABLE "account_dimension_health" (
	"account_id" uuid NOT NULL,
	"window_months" smallint NOT NULL,
	"dimension" "health_dimension" NOT NULL,
	"customer_value" numeric(4, 1),
	"customer_answers" integer NOT NULL,
	"customer_respondents" integer NOT NULL,
	"customer_confidence" "confidence_level" NOT NULL,
	"team_value" numeric(4, 1),
	"team_predictions" integer NOT NULL,
	"team_authors" integer NOT NULL,
	"team_confidence" "confidence_level" NOT NULL,
	"gap" numeric(4, 1),
	"misaligned" boolean,
	"quadrant" "health_quadrant",
	"weighted_gap" numeric(4, 1),
	"gap_confidence" "confidence_level" NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "account_dimension_health_account_id_window_months_dimension_pk" PRIMARY KEY("account_id","window_months","dimension"),
	CONSTRAINT "account_dimension_health_window_months" CHECK ("account_dimension_health"."window_months" in (3, 6, 12, 24))
);
--> statement-breakpoint
CREATE TABLE "account_health" (
	"account_id" uuid NOT NULL,
	"window_months" smallint NOT NULL,
	"customer_health" numeric(4, 1),
	"customer_respondents" integer NOT NULL,
	"customer_answers" integer NOT NULL,
	"customer_confidence" "confidence_level" NOT NULL,
	"nps" smallint,
	"promoters" integer NOT NULL,
	"passives" integer NOT NULL,
	"detractors" integer NOT NULL,
	"nps_respondents" integer NOT NULL,
	"team_health" numeric(4, 1),
	"team_predictions" integer NOT NULL,
	"team_authors" integer NOT NULL,
	"team_confidence" "confidence_level" NOT NULL,
	"ledger_score" numeric(4, 1) NOT NULL,
	"ledger_confidence" "confidence_level" NOT NULL,
	"ledger_interactions" integer NOT NULL,
	"equity_balance" double precision NOT NULL,
	"health_gap" numeric(4, 1),
	"health_quadrant" "health_quadrant",
	"health_misaligned" boolean,
	"gap_confidence" "confidence_level" NOT NULL,
	"trend_change" numeric(4, 1),
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_customer_voice_at" timestamp with time zone,
	"invitations_sent" integer NOT NULL,
	"invitations_completed" integer NOT NULL,
	"key_contacts" integer NOT NULL,
	"key_contacts_asked" integer NOT NULL,
	"key_contacts_heard" integer NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "account_health_account_id_window_months_pk" PRIMARY KEY("account_id","window_months"),
	CONSTRAINT "account_health_window_months" CHECK ("account_health"."window_months" in (3, 6, 12, 24))
);
--> statement-breakpoint
CREATE TABLE "health_monthly" (
	"account_id" uuid NOT NULL,
	"month" date NOT NULL,
	"responses" integer NOT NULL,
	"promoters" integer NOT NULL,
	"passives" integer NOT NULL,
	"detractors" integer NOT NULL,
	"nps_respondents" integer NOT NULL,
	"health_sum" numeric(12, 1) NOT NULL,
	"health_count" integer NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "health_monthly_account_id_month_pk" PRIMARY KEY("account_id","month"),
	CONSTRAINT "health_monthly_first_of_month" CHECK (extract(day from "health_monthly"."month") = 1)
);
--> statement-breakpoint
ALTER TABLE "account_dimension_health" ADD CONSTRAINT "account_dimension_health_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_health" ADD CONSTRAINT "account_health_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_monthly" ADD CONSTRAINT "health_monthly_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_dimension_health_blind_spots_idx" ON "account_dimension_health" USING btree ("window_months","weighted_gap") WHERE "account_dimension_health"."quadrant" = 'blind_spot';--> statement-breakpoint
CREATE INDEX "health_monthly_month_idx" ON "health_monthly" USING btree ("month");