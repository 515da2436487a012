/**
 * The app as the e2e tests see it: the production build on a fresh embedded database
 * in a temporary folder (never the .data/ that `npm start` uses), with the demo workspace,
 * sending its mail to a fake Resend on the next port.
 */
import fs from "node:fs";
import { e2eDataDir } from "./e2e-database";
import { e2eFakeResendPort } from "./e2e-fake-resend";
import { startFakeResend } from "./fake-resend";

const dataDir = e2eDataDir;
fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(dataDir, { recursive: true });
process.env.DATA_DIR = dataDir;
process.env.DATABASE_URL = "";
process.env.LOG_LEVEL ??= "warn";

// Mail goes out through the real Resend SDK to a fake Resend that the specs can read back.
const fakeResend = await startFakeResend({ port: e2eFakeResendPort });
process.env.RESEND_API_KEY = "re_e2e_test";
process.env.RESEND_BASE_URL = fakeResend.url;
process.env.RESEND_REQUESTS_PER_SECOND = "20";

await import("../../app/start.server");
