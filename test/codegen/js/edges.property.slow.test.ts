/** Numbers at the edges, slow tier (see edges.properties.ts). */
import { SLOW_RUNS } from "../../helpers/property.ts";
import { defineEdgeProperties } from "./edges.properties.ts";

defineEdgeProperties(SLOW_RUNS);
