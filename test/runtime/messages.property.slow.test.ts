/** Messages, slow tier (see messages.properties.ts). */
import { describe } from "vitest";
import { SLOW_RUNS } from "../helpers/property.ts";
import { defineMessageProperties } from "./messages.properties.ts";

describe("messages", () => defineMessageProperties(SLOW_RUNS));
