/** Data-file properties, default tier (see dataFile.properties.ts). */
import { describe } from "vitest";
import { DEFAULT_RUNS } from "../helpers/property.ts";
import { defineDataFileProperties } from "./dataFile.properties.ts";

describe("data files (property, default tier)", () => defineDataFileProperties(DEFAULT_RUNS));
