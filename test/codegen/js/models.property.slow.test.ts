/** Generated models, slow tier (see models.properties.ts). */
import { describe } from "vitest";
import { SLOW_RUNS } from "../../helpers/property.ts";
import { defineModelProperties } from "./models.properties.ts";

describe("generated models", () => defineModelProperties(SLOW_RUNS));
