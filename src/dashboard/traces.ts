/**
 * The downsampled trace history of a run, in bounded memory: per chain and
 * series (each value element, then the traced statistics), at most
 * `capacity` slots, slot k holding stream position `k·stride + 1` (see
 * shared/positions.ts). The stride doubles when a chain would pass the
 * capacity, keeping the even slots.
 * @module
 */

/** A chain's slots: one array per series. */
interface ChainTrace {
  length: number;
  readonly series: Float64Array[];
}

/** Trace history of every chain. */
export class TraceStore {
  /** Iterations per slot. */
  stride = 1;
  private readonly chains: ChainTrace[];

  /**
   * @param chains Number of chains.
   * @param seriesCount Series per chain.
   * @param capacity Slots per series (a power of two is not required).
   */
  constructor(
    chains: number,
    seriesCount: number,
    readonly capacity: number,
  ) {
    this.chains = Array.from({ length: chains }, () => ({
      length: 0,
      series: Array.from({ length: seriesCount }, () => new Float64Array(capacity)),
    }));
  }

  /**
   * Records stream position `iter` (1-based) of `chain` (1-based) if it falls on
   * the stride: `values`, then `extra` (the traced statistics).
   */
  add(chain: number, iter: number, values: readonly number[], extra: readonly number[]): void {
    while ((iter - 1) / this.stride >= this.capacity) this.doubleStride();
    if ((iter - 1) % this.stride !== 0) return;
    const trace = this.chains[chain - 1];
    const slot = (iter - 1) / this.stride;
    // A resumed chain starts late: the slots before it are holes.
    for (let k = trace.length; k < slot; k++) for (const s of trace.series) s[k] = NaN;
    const series = trace.series;
    for (let j = 0; j < values.length; j++) series[j][slot] = values[j];
    for (let j = 0; j < extra.length; j++) series[values.length + j][slot] = extra[j];
    trace.length = Math.max(trace.length, slot + 1);
  }

  /** Whether iteration `iter` would be recorded (it falls on the stride, now or after the stride doubles). */
  wants(iter: number): boolean {
    let stride = this.stride;
    while ((iter - 1) / stride >= this.capacity) stride *= 2;
    return (iter - 1) % stride === 0;
  }

  /** Slots filled in `chain`. */
  length(chain: number): number {
    return this.chains[chain - 1].length;
  }

  /** Slots `from…` of series `s` of `chain`. */
  slots(chain: number, s: number, from: number): number[] {
    const trace = this.chains[chain - 1];
    return Array.from(trace.series[s].subarray(from, trace.length));
  }

  private doubleStride(): void {
    for (const trace of this.chains) {
      const half = Math.ceil(trace.length / 2);
      for (const s of trace.series) for (let k = 0; k < half; k++) s[k] = s[2 * k];
      trace.length = half;
    }
    this.stride *= 2;
  }
}
