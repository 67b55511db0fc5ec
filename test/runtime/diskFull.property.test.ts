/** A disk that fills up, default tier (see diskFull.properties.ts). */
import { defineDiskFullProperties } from "./diskFull.properties.ts";

// Each case is two sampling runs (stopped, then resumed): 30 cases fit the default tier's budget, not DEFAULT_RUNS.
defineDiskFullProperties(30);
