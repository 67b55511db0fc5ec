/**
 * The browser build's protoPackage.ts: the bundle holds onnx-proto, so the
 * namespace is simply imported.
 * @module
 */
import pkg from "onnx-proto";

/** The `onnx` namespace of onnx-proto (message classes and enums). */
export function onnxNamespace(): typeof pkg.onnx {
  return pkg.onnx;
}
