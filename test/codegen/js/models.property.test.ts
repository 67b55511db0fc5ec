/** Generated models, default tier (see models.properties.ts). */
import { describe } from "vitest";
import { DEFAULT_RUNS } from "../../helpers/property.ts";
import { defineModelProperties } from "./models.properties.ts";

describe("generated models", () => defineModelProperties(DEFAULT_RUNS));
