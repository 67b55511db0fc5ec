/**
 * The browser build's counterpart of `coordinator.ts`: a page cannot open
 * the TCP connection NATS needs, so a cluster run fails saying so.
 * @module
 */
import type { runOnCluster as NodeRunOnCluster } from "./coordinator.ts";

/** Fails: cluster runs need Node (NATS over TCP). */
export const runOnCluster: typeof NodeRunOnCluster = () => {
  throw new Error("a cluster run (cluster: …) needs Node: a browser cannot open NATS's TCP connection");
};
