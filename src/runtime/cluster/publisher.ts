/**
 * Publishes one chain's items as frames to its subject, in order, each
 * stored by JetStream before the next is sent. A publish that fails (the
 * server restarting, a lost connection) is retried with the same message id,
 * so a frame stored twice is kept once (JetStream's duplicate window); a
 * frame's id is its chain, its job's epoch, its iterations and a hash of its
 * bytes, so only a true repeat is removed — the coordinator drops re-run
 * iterations itself.
 * @module
 */
import { createHash } from "node:crypto";
import type { JetStreamClient } from "@nats-io/jetstream";
import type { MsgHdrs } from "@nats-io/transport-node";
import type { SampleMessage } from "../messages.ts";
import { BatchBuilder, type CheckpointItem } from "../workers/protocol.ts";
import { epochHeaders } from "./epoch.ts";
import { encodeFrame } from "./frames.ts";

/** Draws per frame at most. */
const MAX_DRAWS = 256;
/** A frame goes out at least this often (ms), so that the coordinator sees draws live. */
const MAX_DELAY_MS = 50;
/** Pause between retries of a failed publish (ms). */
const RETRY_MS = 250;

/** A chain's frame publisher. */
export class FramePublisher {
  private readonly batch: BatchBuilder;
  private draws = 0;
  private first = 0;
  private last = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The publishes so far, one after another. */
  private sent: Promise<void> = Promise.resolve();
  private readonly headers: MsgHdrs;

  constructor(
    private readonly js: JetStreamClient,
    private readonly subject: string,
    /** The id prefix: run and chain. */
    private readonly id: string,
    /** The job's epoch (see `epoch.ts`): in each frame's headers and id. */
    private readonly epoch: number,
    valueSize: number,
    /** Retrying stops when this is aborted (the worker is going away, or its job was stopped). */
    private readonly signal?: AbortSignal,
  ) {
    this.batch = new BatchBuilder(valueSize, MAX_DRAWS);
    this.headers = epochHeaders(epoch);
  }

  /** Adds an item; a full frame is sent, a partial one within MAX_DELAY_MS. */
  add(item: SampleMessage | CheckpointItem): void {
    if (item.type === "draw") {
      if (this.draws++ === 0) this.first = item.iter;
      this.last = item.iter;
    }
    this.batch.add(item);
    if (this.draws >= MAX_DRAWS) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), MAX_DELAY_MS);
  }

  /** Sends what is batched; resolves once every frame so far is stored (rejects if one could not be). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batch.length > 0) {
      const bytes = encodeFrame(this.batch.take());
      const range = this.draws > 0 ? `${this.first}-${this.last}` : `${this.last}`;
      const msgID = `${this.id}.${this.epoch}.${range}.${createHash("sha256").update(bytes).digest("hex").slice(0, 16)}`;
      this.draws = 0;
      this.sent = this.sent.then(() => this.publish(bytes, msgID));
      // Whoever awaits a flush sees a failure; the flushes nobody awaits (timers) must not crash the process with it.
      this.sent.catch(() => undefined);
    }
    return this.sent;
  }

  private async publish(bytes: Uint8Array, msgID: string): Promise<void> {
    for (;;) {
      try {
        await this.js.publish(this.subject, bytes, { msgID, headers: this.headers });
        return;
      } catch (e) {
        // A full stream will not empty by waiting: that is the run's end.
        if (/maximum bytes|resource limits/i.test((e as Error).message) || this.signal?.aborted === true) throw e;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }
}
