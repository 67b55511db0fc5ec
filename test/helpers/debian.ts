/**
 * Installs a Debian package a test needs when it is missing, so tests never
 * skip for want of it: they install it, or fail saying why.
 */
import { execFileSync, spawnSync } from "node:child_process";

/** Whether `probe` (a command and its arguments) exits 0. */
const works = (probe: readonly string[]) => spawnSync(probe[0], probe.slice(1), { stdio: "ignore" }).status === 0;

/**
 * Ensures `probe` succeeds, installing `pkg` (one package or several) with
 * apt-get (as root, or through `sudo -n`) when it does not; throws with the
 * reason otherwise.
 */
export function ensureDebianPackage(pkg: string | readonly string[], probe: readonly string[]): void {
  if (works(probe)) return;
  const pkgs = typeof pkg === "string" ? [pkg] : pkg;
  const root = process.getuid?.() === 0;
  const apt = root ? ["apt-get"] : ["sudo", "-n", "apt-get"];
  try {
    execFileSync(apt[0], [...apt.slice(1), "install", "-y", "--no-install-recommends", ...pkgs], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  } catch (e) {
    throw new Error(`this test needs Debian's ${pkgs.join(", ")}, and installing failed: ${(e as Error).message}`);
  }
  if (!works(probe)) throw new Error(`installed ${pkgs.join(", ")}, but \`${probe.join(" ")}\` still fails`);
}
