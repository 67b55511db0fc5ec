/**
 * The downsampled trace history of a run, in bounded memory: per chain and
 * series (each value element, then the traced statistics), at most
 * `capacity` slots, slot k holding iteration `k·stride + 1`. The stride
 * doubles when a chain would pass the capacity, keeping the even slots.
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
    private readonly seriesCount: number,
    readonly capacity: number,
  ) {
    this.chains = Array.from({ length: chains }, () => ({
      length: 0,
      series: Array.from({ length: seriesCount }, () => new Float64Array(capacity)),
    }));
  }

  /** Records iteration `iter` (1-based) of `chain` (1-based) if it falls on the stride; `value(s)` gives series s. */
  add(chain: number, iter: number, value: (series: number) => number): void {
    while ((iter - 1) / this.stride >= this.capacity) this.doubleStride();
    if ((iter - 1) % this.stride !== 0) return;
    const trace = this.chains[chain - 1];
    const slot = (iter - 1) / this.stride;
    // A resumed chain starts late: the slots before it are holes.
    for (let k = trace.length; k < slot; k++) for (const s of trace.series) s[k] = NaN;
    for (let j = 0; j < this.seriesCount; j++) trace.series[j][slot] = value(j);
    trace.length = Math.max(trace.length, slot + 1);
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
