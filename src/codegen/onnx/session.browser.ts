/**
 * The browser build's counterpart of `session.ts`: onnxruntime-node is a
 * native Node addon, so `backend: "onnx"` fails in a page, saying so.
 * @module
 */
import type { openSession as NodeOpenSession, runDensity as NodeRunDensity } from "./session.ts";

const unavailable = (): never => {
  throw new Error('backend: "onnx" needs Node (onnxruntime-node); in the browser use the JavaScript backend');
};

/** Fails: no onnxruntime in the browser build. */
export const openSession: typeof NodeOpenSession = unavailable;
/** Fails: no onnxruntime in the browser build. */
export const runDensity: typeof NodeRunDensity = unavailable;
