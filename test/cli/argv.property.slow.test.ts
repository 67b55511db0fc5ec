/** Command lines, slow tier (see argv.properties.ts). */
import { describe } from "vitest";
import { SLOW_RUNS } from "../helpers/property.ts";
import { defineArgvProperties } from "./argv.properties.ts";

describe("command lines", () => defineArgvProperties(SLOW_RUNS));
