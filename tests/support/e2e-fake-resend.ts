/**
 * The fake Resend the e2e app sends through (started by tests/support/e2e-server.ts on the
 * port after the app's), and how a spec reads what it received.
 */
import { e2ePort } from "./e2e-database";

export const e2eFakeResendPort = e2ePort + 1;
export const e2eFakeResendUrl = `http://127.0.0.1:${e2eFakeResendPort}`;

export interface InspectedEmail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  headers: Record<string, string>;
}

/** Every email the fake has accepted since the e2e app started, oldest first. */
export async function fakeResendEmails(): Promise<InspectedEmail[]> {
  const response = await fetch(`${e2eFakeResendUrl}/_inspect/emails`);
  if (!response.ok) throw new Error(`the fake Resend answered ${response.status} to /_inspect/emails`);
  return (await response.json()) as InspectedEmail[];
}
