/** Messages, default tier (see messages.properties.ts). */
import { describe } from "vitest";
import { DEFAULT_RUNS } from "../helpers/property.ts";
import { defineMessageProperties } from "./messages.properties.ts";

describe("messages", () => defineMessageProperties(DEFAULT_RUNS));
