/**
 * The run directory's writer (runFiles.ts, runDirectory.ts): the cases the
 * disk-full property found (diskFull.properties.ts), and what a failed
 * checkpoint write leaves behind.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { csvPath, readCheckpointFile } from "../../src/runtime/drawLog.ts";
import { nodeFs, type RunFs, RunWriteError } from "../../src/runtime/runFiles.ts";
import { csvLines, expectConsistent, expectResumesTo, RUN, tmp, writeRun } from "./diskFull.properties.ts";
import { FillingDisk } from "./fillingDisk.ts";

describe("the run directory's writer", () => {
  it("a write cut short is carried on: every write halved gives the files node:fs gives", async () => {
    // Before: one writeSync per row, its count ignored: a short write lost the rest of the row
    // and the checkpoint recorded bytes the CSV did not have.
    const whole = tmp();
    const halved = tmp();
    await writeRun(whole, nodeFs);
    await writeRun(halved, new FillingDisk(Infinity, 1));
    for (let k = 1; k <= RUN.chains; k++) {
      expect(csvLines(halved, k)).toEqual(csvLines(whole, k));
      // The last checkpoint counts every byte the chain's file holds (elapsed times make the two files' lengths differ).
      expect(readCheckpointFile(halved, k)).toMatchObject({ done: true, csvBytes: statSync(csvPath(halved, k)).size });
    }
    rmSync(whole, { recursive: true });
    rmSync(halved, { recursive: true });
  });

  it("stops a run on worker threads too, consistent, and resumes it to the uninterrupted run's files", async () => {
    const reference = tmp();
    const whole = new FillingDisk(Infinity);
    await writeRun(reference, whole);
    const dir = tmp();
    const error = await writeRun(dir, new FillingDisk(Math.floor(whole.written / 2)), false, 2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunWriteError);
    expectConsistent(dir, reference);
    await expectResumesTo(dir, reference);
    rmSync(reference, { recursive: true });
    rmSync(dir, { recursive: true });
  });

  it("a checkpoint that cannot be written leaves the previous one whole and no temporary file", async () => {
    const dir = tmp();
    let writes = 0;
    // The third checkpoint of chain 2 meets a full disk.
    const fs: RunFs = {
      ...nodeFs,
      openSync(path, flags) {
        if (path.endsWith("checkpoint-2.json.tmp") && ++writes === 3) {
          const fd = nodeFs.openSync(path, flags);
          return -fd - 1;
        }
        return nodeFs.openSync(path, flags);
      },
      writeSync(fd, buffer, offset, length) {
        if (fd < 0) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
        return nodeFs.writeSync(fd, buffer, offset, length);
      },
      closeSync: (fd) => nodeFs.closeSync(fd < 0 ? -fd - 1 : fd),
    };
    const error = await writeRun(dir, fs).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunWriteError);
    expect((error as RunWriteError).path).toBe(join(dir, "checkpoint-2.json"));
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(readCheckpointFile(dir, 2)?.state?.iter).toBe(20);
    expect(existsSync(join(dir, "summary.json"))).toBe(false);
    rmSync(dir, { recursive: true });
  });

  it("names the file and the system's reason for another failure than a full disk", async () => {
    const dir = tmp();
    const denied = Object.assign(new Error("EACCES: permission denied, open"), { code: "EACCES" });
    const fs: RunFs = {
      ...nodeFs,
      openSync: (path, flags) => {
        if (path.endsWith("chain-1.csv")) throw denied;
        return nodeFs.openSync(path, flags);
      },
    };
    const error = (await writeRun(dir, fs).catch((e: unknown) => e)) as RunWriteError;
    expect(error).toBeInstanceOf(RunWriteError);
    expect(error).toMatchObject({ path: join(dir, "chain-1.csv"), code: "EACCES", cause: denied });
    expect(error.message).toMatch(/^cannot write .*chain-1\.csv: EACCES: permission denied, open; the run stopped/);
    expect(JSON.parse(readFileSync(join(dir, "run.json"), "utf8")).run).toBeTypeOf("string");
    rmSync(dir, { recursive: true });
  });
});
