/** Resume-file properties, slow tier (see resumeFiles.properties.ts). */
import { describe } from "vitest";
import { SLOW_RUNS } from "../helpers/property.ts";
import { defineResumeFilesProperties } from "./resumeFiles.properties.ts";

describe("files --resume reads (property, slow tier)", () => defineResumeFilesProperties(SLOW_RUNS));
