/**
 * The vectors a NUTS transition works in (nuts.ts), all in one memory that
 * kernels.wat can read, with its functions: the whole transition under a
 * diagonal or low-rank metric, and a leaf's and a merge's passes for a
 * dense one (V8's slowest loops of the sampler: about ten arrays each, at
 * about 5 ns per element; in SIMD without bounds checks, about a third of
 * that). Where WebAssembly or its SIMD is missing, `kernels` is undefined
 * and nuts.ts runs the same steps as JavaScript, which give the same bits.
 * @module
 */
import { WasmArena, wasmModule } from "../../numeric/wasmArena.ts";
import { KERNELS_BASE64 } from "./kernels.ts";
import type { Point } from "./point.ts";

/** The passes of kernels.wat; pointers are byte offsets into the workspace. */
export interface TreeKernels {
  leaf(
    kick: number,
    h: number,
    q: number,
    p: number,
    g: number,
    inv: number,
    useInv: number,
    pq: number,
    pp: number,
    pg: number,
    vBeg: number,
    vEnd: number,
    rho: number,
    pBeg: number,
    pEnd: number,
    d: number,
  ): number;
  merge(
    parent: number,
    accumulate: number,
    rho: number,
    rho1: number,
    rho2: number,
    vMinus: number,
    vPlus: number,
    pBeg2: number,
    vBeg2: number,
    pEnd1: number,
    vEnd1: number,
    d: number,
  ): number;
  /** The whole transition under a diagonal metric (rank 0) or a low-rank one (its parts at byte `lowRank`); kernels.wat says where it reads and writes. Returns the tree depth. */
  transition(d: number, maxDepth: number, stepSize: number, h0: number, scalars: number, rank: number, lowRank: number): number;
}

/** What kernels.wat's transition calls back: the density at the working point z (its lp, −∞ where it failed), and the stream's next uniform. */
export interface TreeCallbacks {
  logp(): number;
  uniform(): number;
}

/** Vectors of one level of the tree recursion. */
export interface Level {
  readonly pInitEnd: Float64Array;
  readonly vInitEnd: Float64Array;
  readonly rhoInit: Float64Array;
  readonly pFinalBeg: Float64Array;
  readonly vFinalBeg: Float64Array;
  readonly rhoFinal: Float64Array;
  readonly rhoExtended: Float64Array;
  readonly proposeFinal: Point;
}

/** The ends of the trajectory's two parts (forward, backward), and the summed momenta. */
export interface TopVectors {
  readonly pFwdFwd: Float64Array;
  readonly vFwdFwd: Float64Array;
  readonly pFwdBck: Float64Array;
  readonly vFwdBck: Float64Array;
  readonly pBckFwd: Float64Array;
  readonly vBckFwd: Float64Array;
  readonly pBckBck: Float64Array;
  readonly vBckBck: Float64Array;
  readonly rho: Float64Array;
  readonly rhoFwd: Float64Array;
  readonly rhoBck: Float64Array;
}

/** A transition's vectors, for trees up to a depth. */
export interface TreeWorkspace {
  /** The working point, the trajectory's two ends, the draw, and the proposal. */
  readonly z: Point;
  readonly fwd: Point;
  readonly bck: Point;
  readonly sample: Point;
  readonly propose: Point;
  /** Scratch for a velocity. */
  readonly v: Float64Array;
  /** The diagonal metric's inverse, copied here so the leaf pass can read it. */
  readonly inv: Float64Array;
  readonly top: TopVectors;
  /** One per depth below `maxDepth`. */
  readonly levels: readonly Level[];
  /**
   * The WebAssembly transition's scalars: the lp of z, fwd, bck, sample and
   * propose; its statistics (leapfrog steps, Σ acceptance, divergent, failed
   * evaluations); each level's proposeFinal lp.
   */
  readonly scalars: Float64Array;
  /**
   * A low-rank metric's parts for the WebAssembly transition: σ (d), λ − 1
   * (k), scratch (k), the k directions (rows of d), for k up to `rank`.
   */
  readonly lowRank: Float64Array;
  /** The dimension d, the depth the levels are there for, and the rank `lowRank` has room for. */
  readonly dim: number;
  readonly maxDepth: number;
  readonly rank: number;
  /** The passes in WebAssembly, or undefined (the JavaScript loops then). */
  readonly kernels: TreeKernels | undefined;
  /** What the kernels call back: its holder's (set anew when a released workspace is handed out again). */
  callbacks: TreeCallbacks;
}

const kernelModule = wasmModule(KERNELS_BASE64);

/** Float64s per point, per level, and outside the levels, in units of d (kernels.wat computes its offsets from these). */
const POINT = 3;
const LEVEL = 7 + POINT;
const FIXED = 5 * POINT + 2 + 11;
/** Scalars besides the levels' (see {@link TreeWorkspace.scalars}). */
const SCALARS = 9;

/** Float64s of a low-rank metric's parts of rank k in dimension d (see {@link TreeWorkspace.lowRank}). */
const lowRankSize = (d: number, k: number) => d + 2 * k + k * d;

/**
 * Released workspaces of this thread by size ("d:maxDepth"), handed out
 * again before new ones are made: a new WebAssembly instance calls in
 * through V8's generic wrapper for its first thousand or so calls, which
 * made a chain of a small model about 9 % slower (medium: 3.9 against
 * 3.6 ms). At most SPARE_SIZES sizes of SPARE_EACH workspaces are kept.
 */
const spare = new Map<string, TreeWorkspace[]>();
const SPARE_SIZES = 8;
const SPARE_EACH = 8;

/**
 * The vectors of transitions of dimension `d` with trees up to `maxDepth`
 * deep and low-rank metrics up to `rank`, and the kernels over them
 * calling back `callbacks`: a released one of that size (and at least that
 * rank) where there is one, else a new one. `loops` leaves the WebAssembly
 * out (to test the JavaScript).
 *
 * @example
 * ```ts
 * const ws = treeWorkspace(3, 10, false, { logp: () => 0, uniform: () => 0.5 });
 * console.log(ws.levels.length, ws.z.q.length); // 10 3
 * ```
 */
export function treeWorkspace(d: number, maxDepth: number, loops: boolean, callbacks: TreeCallbacks, rank = 0): TreeWorkspace {
  const kept = loops ? undefined : spare.get(`${d}:${maxDepth}`);
  const at = kept?.findIndex((ws) => ws.rank >= rank) ?? -1;
  const reused = at < 0 ? undefined : kept?.splice(at, 1)[0];
  if (reused !== undefined) {
    reused.callbacks = callbacks;
    return reused;
  }
  const tree: TreeCallbacks = { logp: () => ws.callbacks.logp(), uniform: () => ws.callbacks.uniform() };
  const arena = new WasmArena<TreeKernels>(kernelModule, loops, { tree, Math: { exp: Math.exp, log1p: Math.log1p } });
  arena.reserve((FIXED + LEVEL * maxDepth) * Math.max(1, d) + SCALARS + maxDepth + Math.max(1, lowRankSize(d, rank)));
  const vec = () => arena.f64(d);
  const point = (): Point => ({ q: vec(), p: vec(), g: vec(), lp: 0 });
  const [z, fwd, bck, sample, propose] = [point(), point(), point(), point(), point()];
  const [v, inv] = [vec(), vec()];
  const top: TopVectors = {
    pFwdFwd: vec(),
    vFwdFwd: vec(),
    pFwdBck: vec(),
    vFwdBck: vec(),
    pBckFwd: vec(),
    vBckFwd: vec(),
    pBckBck: vec(),
    vBckBck: vec(),
    rho: vec(),
    rhoFwd: vec(),
    rhoBck: vec(),
  };
  const levels = Array.from({ length: maxDepth }, (): Level => ({
    pInitEnd: vec(),
    vInitEnd: vec(),
    rhoInit: vec(),
    pFinalBeg: vec(),
    vFinalBeg: vec(),
    rhoFinal: vec(),
    rhoExtended: vec(),
    proposeFinal: point(),
  }));
  const scalars = arena.f64(SCALARS + maxDepth);
  const lowRank = arena.f64(lowRankSize(d, rank));
  const ws: TreeWorkspace = {
    z,
    fwd,
    bck,
    sample,
    propose,
    v,
    inv,
    top,
    levels,
    scalars,
    lowRank,
    maxDepth,
    dim: d,
    rank,
    kernels: arena.kernels,
    callbacks,
  };
  return ws;
}

/** Gives a workspace back for {@link treeWorkspace} to hand out again; its holder must not use it any more. */
export function releaseWorkspace(ws: TreeWorkspace): void {
  if (ws.kernels === undefined) return;
  const key = `${ws.dim}:${ws.maxDepth}`;
  let kept = spare.get(key);
  if (kept === undefined) {
    if (spare.size === SPARE_SIZES) spare.delete(spare.keys().next().value as string);
    kept = [];
    spare.set(key, kept);
  }
  if (kept.length < SPARE_EACH && !kept.includes(ws)) kept.push(ws);
}
