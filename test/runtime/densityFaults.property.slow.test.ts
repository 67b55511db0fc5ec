/** Density faults, slow tier (see densityFaults.properties.ts). */
import { SLOW_RUNS } from "../helpers/property.ts";
import { defineDensityFaultProperties } from "./densityFaults.properties.ts";

// 10,000 sampling runs would take hours on two cores: 80 cases (each sampled here and on threads) fit the slow tier's budget.
defineDensityFaultProperties(SLOW_RUNS, 80);
