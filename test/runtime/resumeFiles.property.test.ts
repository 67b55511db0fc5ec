/** Resume-file properties, default tier (see resumeFiles.properties.ts). */
import { describe } from "vitest";
import { DEFAULT_RUNS } from "../helpers/property.ts";
import { defineResumeFilesProperties } from "./resumeFiles.properties.ts";

describe("files --resume reads (property, default tier)", () => defineResumeFilesProperties(DEFAULT_RUNS));
