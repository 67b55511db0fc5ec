/**
 * A CommonJS package loaded on first use rather than imported: for the
 * heavy packages only some functions need (ts-morph, the ONNX protobuf
 * code), which a static import would make every importer of the package
 * root pay for. CommonJS loads synchronously, so their synchronous callers
 * stay synchronous.
 * @module
 */
import { createRequire } from "node:module";

/** A function returning package `name`, loading it on its first call. */
export function lazyPackage<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= createRequire(import.meta.url)(name) as T);
}
