/**
 * A disk that fills up under `sampo sample --out`, through the real command:
 * the run stops with exit code 1 and one line naming the file (no stack
 * trace), and `--resume` completes it, once there is room again, to the
 * uninterrupted run's draws. Two full disks: a small tmpfs the test mounts
 * (only as root: mounting needs it; the test says so when skipped), and, for
 * any user, /dev/full in place of a checkpoint's temporary file (every write
 * to it fails with ENOSPC). The byte-by-byte cases are diskFull.properties.ts's.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { sampo } from "../helpers/cli.ts";

const run = [
  "sample",
  "examples/eight_schools.ts",
  "--chains",
  "2",
  "--warmup",
  "300",
  "--draws",
  "300",
  "--save-warmup",
  "--seed",
  "5",
  "--checkpoint-every",
  "50",
];

const dataRows = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.length > 0 && !l.startsWith("#"));

/** stderr without the note bin/sampo.js prints when it runs from source. */
const errorLines = (stderr: string) => stderr.split("\n").filter((l) => l.length > 0 && !l.startsWith("sampo: dist/"));

/** Whether this process may mount a tmpfs (root, with the capability to mount). */
function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), "sampo-mount-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/** Checks a run stopped by a full disk: exit code 1, one line naming a file of `out`, no stack trace. */
function expectStoppedByFullDisk(r: { code: number; stderr: string }, out: string): void {
  expect(r.code, r.stderr).toBe(1);
  // Progress lines aside (the run's start, each chain's), stderr is the one line of the error.
  const lines = errorLines(r.stderr).filter((l) => !/^(sampling \d+ chains|chain \d+: )/.test(l));
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(
    new RegExp(
      `^sampo sample: cannot write ${out}/(chain-\\d\\.csv|checkpoint-\\d\\.json|run\\.json|summary\\.json): no space left on the device \\(ENOSPC\\); the run stopped, its last checkpoints are whole: continue it with --resume once this is fixed$`,
    ),
  );
}

describe("sampo sample --out on a disk that fills up", () => {
  let reference: string;
  beforeAll(async () => {
    reference = mkdtempSync(join(tmpdir(), "sampo-disk-ref-"));
    const r = await sampo([...run, "--out", reference]);
    expect(r.code, r.stderr).toBe(0);
  });

  const expectReference = (out: string) => {
    for (const k of [1, 2]) expect(dataRows(join(out, `chain-${k}.csv`))).toEqual(dataRows(join(reference, `chain-${k}.csv`)));
    expect(readFileSync(join(out, "summary.json"), "utf8")).toBe(readFileSync(join(reference, "summary.json"), "utf8"));
  };

  it("stops with one line naming the checkpoint it could not write (/dev/full), and --resume completes the run", async () => {
    expect(existsSync("/dev/full")).toBe(true);
    const out = mkdtempSync(join(tmpdir(), "sampo-disk-"));
    // Chain 1's first checkpoint goes to /dev/full: its write fails with ENOSPC, and the failed temporary file is removed.
    symlinkSync("/dev/full", join(out, "checkpoint-1.json.tmp"));
    expectStoppedByFullDisk(await sampo([...run, "--out", out]), out);
    expect(existsSync(join(out, "checkpoint-1.json.tmp"))).toBe(false);
    expect(existsSync(join(out, "summary.json"))).toBe(false);
    const r = await sampo([...run.slice(0, 2), "--out", out, "--resume"]);
    expect(r.code, r.stderr).toBe(0);
    expectReference(out);
  });

  it.skipIf(!canMount())(
    "stops on a full tmpfs (mounted by the test, as root) and --resume completes the run once it has room",
    async () => {
      const out = mkdtempSync(join(tmpdir(), "sampo-tmpfs-"));
      // 64 KiB hold run.json and a few hundred rows of the 1200: the disk fills mid-run, after some checkpoints.
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", out]);
      try {
        mkdirSync(join(out, "run"));
        const dir = join(out, "run");
        // In this thread, chain 1 then chain 2: the disk fills at the same place every time, in chain 1 past its first checkpoints.
        expectStoppedByFullDisk(await sampo([...run, "--workers", "0", "--out", dir]), dir);
        expect(JSON.parse(readFileSync(join(dir, "checkpoint-1.json"), "utf8")).done).toBe(false);
        execFileSync("mount", ["-o", "remount,size=8m", out]);
        const r = await sampo([...run.slice(0, 2), "--out", dir, "--resume"]);
        expect(r.code, r.stderr).toBe(0);
        expectReference(dir);
      } finally {
        execFileSync("umount", [out]);
        rmSync(out, { recursive: true, force: true });
      }
    },
  );
});
