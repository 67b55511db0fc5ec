/** Density faults, default tier (see densityFaults.properties.ts). */
import { DEFAULT_RUNS } from "../helpers/property.ts";
import { defineDensityFaultProperties } from "./densityFaults.properties.ts";

// Sampling runs: 8 cases (each sampled here and on threads) fit the default tier's budget.
defineDensityFaultProperties(DEFAULT_RUNS, 8);
