/** Damaged Stan CSV properties, slow tier (see stanCsvDamage.properties.ts). */
import { describe } from "vitest";
import { SLOW_RUNS } from "../helpers/property.ts";
import { defineStanCsvDamageProperties } from "./stanCsvDamage.properties.ts";

describe("damaged Stan CSV files (property, slow tier)", () => defineStanCsvDamageProperties(SLOW_RUNS));
