/**
 * A disk that fills up while a run directory is written (issue #16): the
 * run stops with a RunWriteError naming the file, the directory is left
 * consistent (no temporary file, every checkpoint whole and never ahead of
 * its CSV, whose rows up to it are the uninterrupted run's), and resuming it
 * once there is room again ends with the uninterrupted run's files.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { sampleStream } from "../../src/fit/sampleStream.ts";
import { csvPath, readCheckpointFile, readRun, resumeFrom } from "../../src/runtime/drawLog.ts";
import { RunDirectory } from "../../src/runtime/runDirectory.ts";
import { type RunFs, RunWriteError } from "../../src/runtime/runFiles.ts";
import { propertyParameters } from "../helpers/property.ts";
import { targetModel } from "./densityFaults.ts";
import { FillingDisk } from "./fillingDisk.ts";

/** The run: warm-up rows saved, so that rows and checkpoints interleave from the first iteration. */
export const RUN = { chains: 2, warmup: 60, draws: 60, seed: 11, saveWarmup: true } as const;
export const CHECKPOINT_EVERY = 10;

/** Writes the run into `dir` through `fs` as `sampo sample --out` does (continuing it when `resume`); throws what the directory throws. */
export async function writeRun(dir: string, fs: RunFs, resume = false, workers = 0): Promise<void> {
  const onDisk = resume ? readRun(dir) : undefined;
  const sink = new RunDirectory(dir, "normal.ts", { modelPath: "normal.ts", checkpointEvery: CHECKPOINT_EVERY }, onDisk, fs);
  try {
    const stream = sampleStream(targetModel, undefined, {
      ...RUN,
      workers,
      checkpointEvery: CHECKPOINT_EVERY,
      ...(onDisk !== undefined && { resume: resumeFrom(onDisk), centering: onDisk.manifest.centering }),
      onCheckpoint: (chain, state) => sink.checkpoint(chain, state),
    });
    for await (const msg of stream) sink.add(msg);
  } finally {
    sink.close();
  }
}

/** Lines of a chain file's text but its elapsed times (which differ between equal runs). */
const withoutElapsed = (text: string): string[] => text.split("\n").filter((l) => !l.includes("seconds (") && !l.includes("Elapsed Time"));

/** A chain file's lines but its elapsed times. */
export const csvLines = (dir: string, chain: number): string[] => withoutElapsed(readFileSync(csvPath(dir, chain), "utf8"));

export const tmp = (): string => mkdtempSync(join(tmpdir(), "sampo-disk-"));

/**
 * Checks what a run stopped by a full disk left in `dir`: no temporary file;
 * each checkpoint whole, covering a CSV prefix equal to the uninterrupted
 * run's (in `reference`) up to a line's end.
 */
export function expectConsistent(dir: string, reference: string): void {
  expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  for (let k = 1; k <= RUN.chains; k++) {
    const cp = readCheckpointFile(dir, k);
    if (cp === undefined) continue;
    const csv = readFileSync(csvPath(dir, k));
    expect(csv.length).toBeGreaterThanOrEqual(cp.csvBytes);
    const covered = csv.subarray(0, cp.csvBytes).toString("utf8");
    expect(covered.endsWith("\n")).toBe(true);
    // A finished chain's checkpoint covers its elapsed times too: the lines but those are the reference's first.
    const lines = withoutElapsed(covered).slice(0, -1); // the "" after the last "\n"
    expect(csvLines(reference, k).slice(0, lines.length)).toEqual(lines);
  }
}

/** Resumes the stopped run in `dir` with room to spare (afresh when it stopped before run.json), and checks it ends as `reference`. */
export async function expectResumesTo(dir: string, reference: string): Promise<void> {
  await writeRun(dir, new FillingDisk(Infinity), existsSync(join(dir, "run.json")));
  expectSameRun(dir, reference);
}

/** Checks that the finished run in `dir` has the chain files (but for elapsed times) and summary of the one in `reference`. */
function expectSameRun(dir: string, reference: string): void {
  for (let k = 1; k <= RUN.chains; k++) expect(csvLines(dir, k)).toEqual(csvLines(reference, k));
  expect(readFileSync(join(dir, "summary.json"), "utf8")).toBe(readFileSync(join(reference, "summary.json"), "utf8"));
}

/** The properties at `runs` runs (each a sampling run stopped by the disk, then resumed). */
export function defineDiskFullProperties(runs: number): void {
  describe("a disk that fills up while the run directory is written", () => {
    let reference: string | undefined;
    let total = 0;
    const uninterrupted = async (): Promise<string> => {
      if (reference === undefined) {
        const dir = tmp();
        const disk = new FillingDisk(Infinity);
        await writeRun(dir, disk);
        total = disk.written;
        reference = dir;
      }
      return reference;
    };

    // The slow tier found 0.9999999999999992: a run that wrote a few bytes less than the reference fit, and was taken for a failure.
    const parameters = { ...propertyParameters<[number]>(runs), examples: [[0.9999999999999992] as [number]] };
    test.prop([fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })], parameters)(
      "stops with a RunWriteError naming the file, leaves the directory consistent, and resumes to the uninterrupted run's files (or, where the run fits, writes them)",
      async (at) => {
        const ref = await uninterrupted();
        const dir = tmp();
        try {
          // The disk fills after a fraction `at` of the bytes the uninterrupted run wrote. Elapsed times
          // make one run's byte count differ from another's by a few bytes, so near the end the run may fit.
          const room = Math.floor(at * total);
          const disk = new FillingDisk(room);
          const error = await writeRun(dir, disk).then(
            () => undefined,
            (e: unknown) => e,
          );
          if (error === undefined) {
            expect(disk.written).toBeLessThanOrEqual(room);
            expectSameRun(dir, ref);
            return;
          }
          expect(error).toBeInstanceOf(RunWriteError);
          const e = error as RunWriteError;
          expect(e.code).toBe("ENOSPC");
          expect(e.path.startsWith(dir)).toBe(true);
          expect(e.message).toBe(
            `cannot write ${e.path}: no space left on the device (ENOSPC); the run stopped, its last checkpoints are whole: continue it with --resume once this is fixed`,
          );
          expectConsistent(dir, ref);
          await expectResumesTo(dir, ref);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  });
}
