/// <reference types="@webgpu/types" />
/**
 * Finding a WebGPU device: the page's `navigator.gpu`, or a `GPU` object the
 * caller passes (in Node, from a WebGPU implementation such as the `webgpu`
 * package, where it finds an adapter). Every failure says what was missing.
 * @module
 */

/** No WebGPU adapter or device, or a shader the device refused. */
export class WebGpuError extends Error {
  override readonly name = "WebGpuError";
}

/** A device and the adapter it came from. */
export interface GpuDevice {
  readonly device: GPUDevice;
  /** "vendor/architecture" of the adapter (e.g. "google/swiftshader"), or "unknown". */
  readonly adapter: string;
}

const opened = new WeakMap<GPU, Promise<GpuDevice>>();

/**
 * One device per `GPU` object (shared by every density compiled on it),
 * asking for the adapter's largest storage buffers (batches need big
 * scratch buffers).
 */
export function gpuDevice(gpu?: GPU): Promise<GpuDevice> {
  const g = gpu ?? (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (g === undefined)
    return Promise.reject(
      new WebGpuError(
        "WebGPU is not available here: no navigator.gpu (a browser with WebGPU enabled has it; in Node pass `gpu` from a WebGPU implementation)",
      ),
    );
  let d = opened.get(g);
  if (d === undefined) {
    d = open(g);
    opened.set(g, d);
    d.catch(() => opened.delete(g));
  }
  return d;
}

async function open(g: GPU): Promise<GpuDevice> {
  const adapter = await g.requestAdapter();
  if (adapter === null)
    throw new WebGpuError(
      "WebGPU found no adapter (no GPU, or none this browser may use; Chromium without a GPU needs --enable-unsafe-swiftshader)",
    );
  const { maxStorageBufferBindingSize, maxBufferSize } = adapter.limits;
  const device = await adapter.requestDevice({ requiredLimits: { maxStorageBufferBindingSize, maxBufferSize } });
  const info = adapter.info;
  device.lost.then(() => opened.delete(g)).catch(() => undefined);
  return { device, adapter: info === undefined ? "unknown" : `${info.vendor}/${info.architecture}` };
}
