/**
 * `sampo dashboard RUN_DIR`: serves the live dashboard of a run directory
 * that another process is writing (or has finished), until Ctrl-C: NUTS
 * chains, or the run of another method (pathfinder, ADVI, …).
 * @module
 */
import { existsSync } from "node:fs";
import { dashboard, type Dashboard } from "../dashboard/dashboard.ts";
import type { ServerOptions } from "../dashboard/server.ts";

/** Serves `dashboard` until Ctrl-C (SIGINT) or SIGTERM; resolves with exit code 0 then. */
export async function serveUntilInterrupted(dash: Dashboard): Promise<number> {
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await dash.stop();
  return 0;
}

/** Runs `sampo dashboard DIR`. */
export async function dashboardCommand(dir: string, options: ServerOptions): Promise<number> {
  if (!existsSync(dir))
    throw new Error(`${dir} does not exist (a run directory written by \`sampo sample --out\`, or by another method's \`--out\`)`);
  const dash = await dashboard(dir, options);
  process.stderr.write(`dashboard of ${dir}: ${dash.url}\n(Ctrl-C to stop)\n`);
  void dash.finished.then(() => process.stderr.write(`the run in ${dir} has ended\n`));
  return serveUntilInterrupted(dash);
}
