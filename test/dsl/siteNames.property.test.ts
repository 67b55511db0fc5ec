/** Site and data names, default tier (see siteNames.properties.ts). */
import { describe } from "vitest";
import { DEFAULT_RUNS } from "../helpers/property.ts";
import { defineSiteNameProperties } from "./siteNames.properties.ts";

describe("site and data names", () => defineSiteNameProperties(DEFAULT_RUNS));
