/**
 * The user-facing value type of the DSL: an opaque tensor whose rank is
 * known to the type checker. Each interpreter has its own representation
 * behind it (numbers, IR nodes, strings); models never look inside.
 * @module
 */

import type { Numeric } from "../tensor/shape.ts";

/** Ranks the type system tracks: scalar, vector, matrix, 3-tensor. */
export type Rank = 0 | 1 | 2 | 3;

declare const rankTag: unique symbol;

/**
 * A tensor of static shape in a model. `Tensor<0>` is a scalar, `Tensor<1>`
 * a vector, `Tensor<2>` a matrix. Its contents belong to the interpreter
 * running the model.
 */
export interface Tensor<R extends Rank = Rank> {
  /** Phantom: the rank, for the type checker only. */
  readonly [rankTag]?: R;
}

/** A tensor or a plain number (array). */
export type Operand = Tensor | Numeric;

/** The rank of an operand, at the type level. */
export type RankOf<T> =
  T extends Tensor<infer R>
    ? R
    : T extends number
      ? 0
      : T extends readonly (readonly number[])[]
        ? 2
        : T extends readonly number[]
          ? 1
          : Rank;

/** The larger of two ranks, as a lookup table. */
export type MaxTable = [[0, 1, 2, 3], [1, 1, 2, 3], [2, 2, 2, 3], [3, 3, 3, 3]];

/** The larger of two ranks (the rank of a broadcast). */
export type MaxRank<A extends Rank, B extends Rank> = [A] extends [Rank]
  ? [B] extends [Rank]
    ? number extends A
      ? Rank
      : MaxTable[A][B]
    : Rank
  : Rank;

/** The rank of the broadcast of two operands. */
export type Broadcast<A, B> = MaxRank<RankOf<A> & Rank, RankOf<B> & Rank>;

/** The rank of a shape literal such as `[8]` or `[3, 4]`. */
export type RankOfShape<S extends readonly number[]> = S["length"] extends Rank ? S["length"] : Rank;
