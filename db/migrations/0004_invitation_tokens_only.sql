DROP INDEX "invitations_token_hash_key";--> statement-breakpoint
ALTER TABLE "invitations" DROP COLUMN "token_hash";