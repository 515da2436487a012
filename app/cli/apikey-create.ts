/**
 * npm run apikey:create -- --name "Salesforce sync" --scope write [--created-by admin@example.com]
 * Prints the key once; only its hash is stored.
 */
import { sql } from "drizzle-orm";
import { ZodError } from "zod";
import { users } from "../../db/schema";
import { createApiKey } from "../domain/api-keys.server";
import { parseFlags, withDatabase } from "./with-database";

const flags = parseFlags(process.argv.slice(2));
const usage =
  'Usage: npm run apikey:create -- --name "Salesforce sync" --scope read|write [--created-by admin@example.com]';

if (!flags.name || !flags.scope) {
  console.error(usage);
  process.exit(2);
}

await withDatabase(async (db, description) => {
  let createdById: string | null = null;
  if (flags["created-by"]) {
    const [admin] = await db
      .select({ id: users.id, role: users.role })
      .from(users)
      .where(sql`lower(${users.email}) = ${flags["created-by"].trim().toLowerCase()}`);
    if (!admin || admin.role !== "admin")
      throw new Error(`--created-by: no admin has the email ${flags["created-by"]}.`);
    createdById = admin.id;
  }
  try {
    const { key, apiKey } = await createApiKey(
      db,
      { name: flags.name!, scope: flags.scope as "read" },
      createdById,
    );
    console.log(`Created ${apiKey.scope} key “${apiKey.name}” in ${description}.`);
    console.log(`Key (shown once): ${key}`);
  } catch (error) {
    if (error instanceof ZodError) {
      throw new Error(error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("\n"));
    }
    throw error;
  }
});
