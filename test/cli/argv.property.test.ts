/** Command lines, default tier (see argv.properties.ts). */
import { describe } from "vitest";
import { DEFAULT_RUNS } from "../helpers/property.ts";
import { defineArgvProperties } from "./argv.properties.ts";

describe("command lines", () => defineArgvProperties(DEFAULT_RUNS));
