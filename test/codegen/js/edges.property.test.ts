/** Numbers at the edges, default tier (see edges.properties.ts). */
import { DEFAULT_RUNS } from "../../helpers/property.ts";
import { defineEdgeProperties } from "./edges.properties.ts";

defineEdgeProperties(DEFAULT_RUNS);
