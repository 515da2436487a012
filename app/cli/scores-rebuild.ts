/** npm run scores:rebuild — recomputes every answers row from the responses' raw data. */
import { rebuildAllScores } from "../domain/responses.server";
import { withDatabase } from "./with-database";

await withDatabase(async (db, description) => {
  const result = await rebuildAllScores(db);
  console.log(`Rescored ${result.responses} responses into ${result.answers} answers in ${description}.`);
});
