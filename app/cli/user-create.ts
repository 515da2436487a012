/**
 * npm run user:create -- --email ana@example.com --name "Ana Silva" --role manager [--password …]
 * Without --password a strong one is generated and printed once.
 */
import { randomBytes } from "node:crypto";
import { ZodError } from "zod";
import { createUser } from "../domain/users.server";
import { parseFlags, withDatabase } from "./with-database";

const flags = parseFlags(process.argv.slice(2));
const usage =
  'Usage: npm run user:create -- --email ana@example.com --name "Ana Silva" --role admin|leader|manager [--password …]';

if (!flags.email || !flags.role) {
  console.error(usage);
  process.exit(2);
}
const generated = flags.password === undefined;
const password = flags.password ?? randomBytes(18).toString("base64url");

await withDatabase(async (db, description) => {
  try {
    const user = await createUser(db, {
      email: flags.email!,
      name: flags.name || flags.email!.split("@")[0]!,
      role: flags.role as "admin",
      password,
    });
    console.log(`Created ${user.role} ${user.email} in ${description}.`);
    if (generated) console.log(`Password (shown once): ${password}`);
  } catch (error) {
    if (error instanceof ZodError) {
      throw new Error(error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("\n"));
    }
    throw error;
  }
});
