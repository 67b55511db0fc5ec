/** Damaged Stan CSV properties, default tier (see stanCsvDamage.properties.ts). */
import { describe } from "vitest";
import { DEFAULT_RUNS } from "../helpers/property.ts";
import { defineStanCsvDamageProperties } from "./stanCsvDamage.properties.ts";

describe("damaged Stan CSV files (property, default tier)", () => defineStanCsvDamageProperties(DEFAULT_RUNS));
