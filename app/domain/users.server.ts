import { sql } from "drizzle-orm";
import { z } from "zod";
import { users, userRole, type User } from "../../db/schema";
import type { Database } from "../lib/db.server";
import { hashPassword } from "../lib/password.server";

export const newUserSchema = z.object({
  email: z.string().trim().toLowerCase().email("must be an email address such as ana@example.com"),
  name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  role: z.enum(userRole.enumValues, { message: `must be one of ${userRole.enumValues.join(", ")}` }),
  password: z.string().min(12, "must be at least 12 characters").max(1024, "must be at most 1024 characters"),
});
export type NewUserInput = z.input<typeof newUserSchema>;

export class DuplicateEmailError extends Error {
  constructor(email: string) {
    super(`A user with the email ${email} already exists.`);
    this.name = "DuplicateEmailError";
  }
}

/** Creates a staff user with an argon2id password hash. */
export async function createUser(db: Database, input: NewUserInput): Promise<User> {
  const data = newUserSchema.parse(input);
  const [existing] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${data.email}`)
    .limit(1);
  if (existing) throw new DuplicateEmailError(data.email);
  const [user] = await db
    .insert(users)
    .values({
      email: data.email,
      name: data.name,
      role: data.role,
      passwordHash: await hashPassword(data.password),
    })
    .returning();
  return user!;
}

export async function listUsers(db: Database) {
  return db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      deactivatedAt: users.deactivatedAt,
    })
    .from(users)
    .orderBy(users.role, users.name);
}
