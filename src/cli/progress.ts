/**
 * Progress of a run on stderr, as a sink of its messages: one bar per chain
 * when stderr is a terminal, plain lines (for logs and CI) otherwise.
 * @module
 */
import type { Writable } from "node:stream";
import cliProgress from "cli-progress";
import { methodProgress } from "../dashboard/methodRun.ts";
import type { SampleMessage } from "../runtime/messages.ts";
import type { Sink } from "../runtime/sinks/sink.ts";

/** Options of {@link progressSink}. */
export interface ProgressOptions {
  /** Draw bars (true) or print lines (false); default: whether the stream is a terminal. */
  readonly tty?: boolean;
  /** In line mode, print a line each time a chain passes another this fraction of its iterations (0.1). */
  readonly every?: number;
  /** The clock, in milliseconds (`performance.now`); tests pass their own. */
  readonly now?: () => number;
}

/** The progress sink: also prints a line of its own above the bars (printed any other way, a line would land inside them). */
export interface ProgressSink extends Sink {
  note(text: string): void;
}

/** What the progress display knows of one chain. */
interface ChainProgress {
  readonly chain: number;
  iter: number;
  /** Divergent transitions after warm-up, and during it. */
  divergent: number;
  warmupDivergent: number;
  warmup: boolean;
  /** When and at which iteration this chain's first message arrived, for its rate. */
  firstIter: number;
  firstTime: number;
  /** Line mode: the last milestone printed (Infinity once the last iteration is). */
  milestone: number;
}

/** Iterations per second since the chain's first message, or "–" in its first quarter second (too few to tell). */
function rate(c: ChainProgress, now: number): string {
  const seconds = (now - c.firstTime) / 1000;
  return seconds >= 0.25 ? ((c.iter - c.firstIter) / seconds).toFixed(0) : "–";
}

/** Divergences after warm-up (those that matter for the posterior), then those of warm-up if any. */
function divergences(c: ChainProgress, short = false): string {
  const extra = c.warmupDivergent > 0 ? ` (+${c.warmupDivergent} in warm-up)` : "";
  return `${c.divergent} ${short ? "div" : c.divergent === 1 ? "divergence" : "divergences"}${extra}`;
}

const seconds = (s: number) => `${s.toFixed(s < 10 ? 2 : 1)} s`;

/** The display: bars or lines, fed the same events. */
interface Display {
  /** The run starts with this many chains of `total` iterations. */
  start(chains: number, total: number): void;
  update(c: ChainProgress, total: number): void;
  /** A line about the run or a chain (adaptation, end, error), shown above the bars. */
  note(text: string): void;
  stop(): void;
}

function lineDisplay(stream: Writable, every: number, now: () => number): Display {
  return {
    update(c, total) {
      // One line per milestone crossed, so the output depends on the iterations only, not on timing.
      const step = Math.max(1, Math.round(total * every));
      const milestone = c.iter === total ? Infinity : Math.floor(c.iter / step);
      if (milestone <= c.milestone) return;
      c.milestone = milestone;
      const pct = Math.round((100 * c.iter) / total);
      stream.write(
        `chain ${c.chain}: iteration ${c.iter}/${total} (${pct}%) ${c.warmup ? "warm-up" : "sampling"}, ${rate(c, now())} draws/s, ${divergences(c)}\n`,
      );
    },
    start() {},
    note: (text) => void stream.write(text + "\n"),
    stop() {},
  };
}

/** What a bar shows of a chain that has sent nothing yet: with fewer workers than chains, it waits for one to be free. */
const WAITING = "waiting for a worker";

/** Erase from the cursor to the end of the screen (ED 0). */
const ERASE_BELOW = "\x1b[J";

function barDisplay(stream: Writable, now: () => number): Display {
  const multi = new cliProgress.MultiBar({
    stream: stream as unknown as NodeJS.WritableStream,
    format: "chain {chain} {bar} {value}/{total} {status}",
    barsize: 20,
    barCompleteChar: "█",
    barIncompleteChar: "░",
    hideCursor: false, // nothing to restore if the process dies
    gracefulExit: false, // the CLI owns SIGINT: cli-progress's handler would stop Ctrl-C from ending the process
    clearOnComplete: false,
    // A note printed above the bars moves them down a line: each must be redrawn, not only those whose text changed,
    // or the rows below keep stale copies (a bar shown twice, another missing).
    forceRedraw: true,
    // Wrap long notes (bars are cut to the width instead); the default turns wrapping off, which cuts notes short.
    linewrap: true,
    fps: 10,
  });
  const bars = new Map<number, cliProgress.SingleBar>();
  let stopped = false;
  const status = (c: ChainProgress) =>
    `${c.warmup ? "warm-up " : "sampling"} ${rate(c, now()).padStart(5)} draws/s, ${divergences(c, true)}`;
  return {
    update(c, total) {
      if (stopped) return; // creating a bar would restart cli-progress's timer, which keeps the process alive
      const bar = bars.get(c.chain);
      if (bar === undefined) bars.set(c.chain, multi.create(total, c.iter, { chain: c.chain, status: status(c) }));
      else bar.update(c.iter, { status: status(c) });
    },
    start(chains, total) {
      // One bar per chain from the start, in chain order, waiting until the chain reports.
      for (let k = 1; k <= chains; k++) bars.set(k, multi.create(total, 0, { chain: k, status: WAITING }));
    },
    // While bars are shown, a note goes through cli-progress, which prints it where the bars were and redraws them
    // below at its next frame. It clears the rows below first: they hold the previous bars, which a note shorter than
    // them, or a second note in the same frame, would otherwise leave showing through.
    note: (text) => (bars.size > 0 && !stopped ? multi.log(`${ERASE_BELOW}${text}\n`) : void stream.write(text + "\n")),
    stop() {
      if (stopped) return;
      stopped = true;
      if (bars.size === 0) return;
      multi.update(); // stop() draws the bars but drops pending notes: flush them first
      multi.stop();
    },
  };
}

/**
 * A sink that shows a run's progress on `stream` (stderr): per chain, its
 * iteration, warm-up or sampling, iterations per second and divergences so
 * far; a line when a chain ends warm-up, ends, or fails. On a terminal, one
 * bar per chain (cli-progress), shown from the start ("waiting for a worker"
 * until the chain reports), with those lines printed above the bars; nothing
 * else should write to `stream` while they are shown. Otherwise, a plain line
 * each time a chain passes another tenth of its iterations.
 *
 * @example
 * ```ts
 * import { createWriteStream } from "node:fs";
 * await pipe(sampleStream(eightSchools, data), [progressSink(), nodeStreamSink(createWriteStream("run.ndjson"))]);
 * ```
 */
export function progressSink(stream: Writable = process.stderr, options: ProgressOptions = {}): ProgressSink {
  const now = options.now ?? (() => performance.now());
  const tty = options.tty ?? (stream as { isTTY?: boolean }).isTTY === true;
  const display = tty ? barDisplay(stream, now) : lineDisplay(stream, options.every ?? 0.1, now);
  const chains = new Map<number, ChainProgress>();
  let total = 0;
  let warmup = 0;
  let stopped = false;
  /** The method, when the run is not NUTS chains: its progress is lines, its draws come all at once. */
  let method: string | undefined;
  let lastPhase = "";
  let lastLine = -Infinity;

  const chain = (k: number): ChainProgress => {
    let c = chains.get(k);
    if (c === undefined) {
      c = { chain: k, iter: 0, divergent: 0, warmupDivergent: 0, warmup: true, firstIter: 0, firstTime: now(), milestone: 0 };
      chains.set(k, c);
    }
    return c;
  };
  const stop = () => {
    if (stopped) return;
    stopped = true;
    display.stop();
  };

  return {
    name: "progress",
    note: (text) => display.note(text),
    write(msg: SampleMessage) {
      switch (msg.type) {
        case "start": {
          const s = msg.settings;
          method = msg.method;
          if (method !== undefined) {
            display.note(`${method === "variational" ? "advi" : method}: seed ${s.seed}`);
            break;
          }
          total = s.warmup + s.draws;
          warmup = s.warmup;
          display.note(
            `sampling ${s.chains} chain${s.chains === 1 ? "" : "s"}: ${s.warmup} warm-up + ${s.draws} iterations each, seed ${s.seed}`,
          );
          display.start(s.chains, total);
          break;
        }
        case "progress": {
          // A line per phase, then at most one a second: engines report every iteration.
          const t = now();
          if (msg.phase === lastPhase && t - lastLine < 1000) break;
          lastPhase = msg.phase;
          lastLine = t;
          const figures = methodProgress(msg).metrics.map((f) => `${f.label} ${f.value}`);
          display.note(
            `${msg.phase}: iteration ${msg.iter}${msg.total === undefined ? "" : `/${msg.total}`}${figures.length > 0 ? `, ${figures.join(", ")}` : ""}`,
          );
          break;
        }
        case "result":
          break;
        case "draw": {
          if (method !== undefined) break;
          const c = chain(msg.chain);
          // A chain resumed from a checkpoint starts past iteration 1: its rate counts from there.
          if (c.iter === 0) c.firstIter = msg.iter - 1;
          c.iter = msg.iter;
          c.warmup = msg.warmup;
          if (msg.stats.divergent) {
            if (msg.warmup) c.warmupDivergent++;
            else c.divergent++;
          }
          display.update(c, total);
          break;
        }
        case "adapted":
          if (warmup > 0) display.note(`chain ${msg.chain}: warm-up done, step size ${msg.stepSize.toPrecision(3)}`);
          break;
        case "chainDone": {
          if (method !== undefined) break;
          const c = chain(msg.chain);
          display.note(
            `chain ${msg.chain}: done in ${seconds(msg.elapsed.warmup + msg.elapsed.sampling)} (warm-up ${seconds(msg.elapsed.warmup)}, sampling ${seconds(msg.elapsed.sampling)}), ${divergences(c)}`,
          );
          break;
        }
        case "error":
          // A method's error ends its run and the command reports it; a chain's error is news while others go on.
          if (method !== undefined) break;
          display.note(`error${msg.chain === undefined ? "" : ` in chain ${msg.chain}`}: ${msg.message}`);
          break;
        case "done":
          stop();
          break;
      }
    },
    close: stop,
  };
}
