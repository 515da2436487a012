/** npm run db:migrate — applies the committed migrations (npm start does this too). */
import { withDatabase } from "../app/cli/with-database";

await withDatabase(async (_db, description) => {
  console.log(`Migrations applied to ${description}.`);
});
