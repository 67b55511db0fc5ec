// The content hash of src/ that a build of dist/node records
// (scripts/build.mjs) and bin/sampo.js compares before running it: a build
// of any other source never runs.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The SHA-256 of every file under `dir`: its path relative to `dir`, its
 * length and its bytes, in the order of the paths. (A plain walk: Node's
 * recursive readdir and path.relative cost more than the hashing.)
 * @param {string} dir
 * @returns {string}
 */
export function sourceStamp(dir) {
  const hash = createHash("sha256");
  const walk = (path, prefix) => {
    const entries = readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const name = `${prefix}${entry.name}`;
      if (entry.isDirectory()) walk(join(path, entry.name), `${name}/`);
      else if (entry.isFile()) {
        const bytes = readFileSync(join(path, entry.name));
        hash.update(`${name}\0${bytes.length}\0`).update(bytes);
      }
    }
  };
  walk(dir, "");
  return hash.digest("hex");
}
