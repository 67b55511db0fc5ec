/**
 * ts-morph, loaded on first use: with the TypeScript compiler it takes about
 * 250 ms to import, and only emitStandaloneTs needs it.
 * @module
 */
import type * as TsMorph from "ts-morph";
import { lazyPackage } from "../lazyPackage.ts";

/** The ts-morph module. */
export const tsMorph = lazyPackage<typeof TsMorph>("ts-morph");
