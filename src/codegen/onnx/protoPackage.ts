/**
 * onnx-proto's ONNX namespace, loaded on first use: the protobuf code takes
 * about 30 ms to import, which every importer of the package root would
 * otherwise pay (the ONNX builders are exported there). The package is
 * CommonJS, so Node loads it synchronously when first asked for; the
 * browser build bundles it (protoPackage.browser.ts).
 * @module
 */
import { createRequire } from "node:module";
import type pkg from "onnx-proto";

let loaded: typeof pkg.onnx | undefined;

/** The `onnx` namespace of onnx-proto (message classes and enums). */
export function onnxNamespace(): typeof pkg.onnx {
  loaded ??= (createRequire(import.meta.url)("onnx-proto") as typeof pkg).onnx;
  return loaded;
}
