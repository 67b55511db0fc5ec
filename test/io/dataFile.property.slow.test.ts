/** Data-file properties, slow tier (see dataFile.properties.ts). */
import { describe } from "vitest";
import { SLOW_RUNS } from "../helpers/property.ts";
import { defineDataFileProperties } from "./dataFile.properties.ts";

describe("data files (property, slow tier)", () => defineDataFileProperties(SLOW_RUNS));
