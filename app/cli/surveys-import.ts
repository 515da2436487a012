/** npm run surveys:import — imports surveys/*.json (start-up does this too); exits 1 if any file is invalid. */
import { importSurveyFiles } from "../domain/surveys.server";
import { withDatabase } from "./with-database";

await withDatabase(async (db, description) => {
  const reports = await importSurveyFiles(db);
  for (const report of reports) {
    if (report.error) console.error(`✗ ${report.error}`);
    else
      console.log(`✓ ${report.file}: ${report.result!.outcome} (version ${report.result!.version.version})`);
  }
  console.log(`Imported into ${description}.`);
  if (reports.some((r) => r.error)) process.exitCode = 1;
});
