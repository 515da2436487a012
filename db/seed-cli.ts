/**
 * npm run db:seed — creates the demo workspace on purpose, in whatever database
 * DATABASE_URL names (or the embedded one). Refuses a database that already has users.
 */
import { DEMO_PASSWORD, isWorkspaceEmpty, seedDemoWorkspace } from "./seed";
import { withDatabase } from "../app/cli/with-database";

await withDatabase(async (db, description) => {
  if (!(await isWorkspaceEmpty(db))) {
    throw new Error(
      `${description} already has users; the demo workspace is only created in an empty database.`,
    );
  }
  const summary = await seedDemoWorkspace(db);
  console.log(`Demo workspace created in ${description}:`, summary);
  console.log(`Demo sign-ins use the password ${DEMO_PASSWORD}.`);
});
