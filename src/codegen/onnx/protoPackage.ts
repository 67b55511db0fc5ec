/**
 * onnx-proto's ONNX namespace, loaded on first use: the protobuf code takes
 * about 30 ms to import, and only building or reading an ONNX graph needs
 * it. The browser build bundles it instead (protoPackage.browser.ts).
 * @module
 */
import type pkg from "onnx-proto";
import { lazyPackage } from "../lazyPackage.ts";

const onnxProto = lazyPackage<typeof pkg>("onnx-proto");

/** The `onnx` namespace of onnx-proto (message classes and enums). */
export function onnxNamespace(): typeof pkg.onnx {
  return onnxProto().onnx;
}
