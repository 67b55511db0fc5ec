/**
 * The error a call throws, checked to be of the expected class, so a test
 * can go on to assert its fields (file, line, path, …).
 */
import { expect } from "vitest";

/** The error `f` throws, asserted to be an instance of `kind`; fails the test when `f` returns. */
export function thrown<E extends Error>(f: () => unknown, kind: abstract new (...args: never[]) => E): E {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(kind);
    return e as E;
  }
  throw new Error(`expected a ${kind.name}, but nothing was thrown`);
}
