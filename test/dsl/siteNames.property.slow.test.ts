/** Site and data names, slow tier (see siteNames.properties.ts). */
import { describe } from "vitest";
import { SLOW_RUNS } from "../helpers/property.ts";
import { defineSiteNameProperties } from "./siteNames.properties.ts";

describe("site and data names", () => defineSiteNameProperties(SLOW_RUNS));
