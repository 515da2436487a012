/** npm run health:rebuild — recomputes every account's health rollups from the raw rows. */
import { rebuildHealthRollups } from "../domain/health-rollups.server";
import { withDatabase } from "./with-database";

const CONCURRENCY = 3;

await withDatabase(
  async (db, description) => {
    const result = await rebuildHealthRollups(db, new Date(), { concurrency: CONCURRENCY });
    console.log(
      `Rebuilt the health rollups of ${result.accounts} accounts in ${description} (${result.ms} ms).`,
    );
  },
  { poolSize: CONCURRENCY + 1 },
);
