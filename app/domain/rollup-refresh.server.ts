/**
 * `queueHealthRefreshes` for the modules the job runner itself imports: the outbox (and the
 * email events it applies, with the opt-outs they make), campaign sending, survey links and
 * the CSV import. health-rollups.server imports jobs.server (for the running pg-boss), and
 * jobs.server imports those modules and reads their job names while it loads; a static import
 * of health-rollups.server from one of them would close that loop, and whichever of them
 * loaded first would have jobs.server read a name not yet defined. So the module is imported
 * when first called. Everything else imports health-rollups.server directly.
 */
export async function queueRollupRefreshes(accountIds: Iterable<string | null | undefined>): Promise<number> {
  const { queueHealthRefreshes } = await import("./health-rollups.server");
  return queueHealthRefreshes(accountIds);
}
