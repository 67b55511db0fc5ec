/** A disk that fills up, slow tier (see diskFull.properties.ts). */
import { defineDiskFullProperties } from "./diskFull.properties.ts";

// Each case is two sampling runs (stopped, then resumed): 10,000 cases would take about half an hour; 150 fit the slow tier's budget.
defineDiskFullProperties(150);
