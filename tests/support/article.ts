import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Project root, from this file's location (tests never depend on the cwd). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The article Steelman was conceived for: ../shared/fixtures/articles/ai-race-hot-take.txt. */
export const seedArticle = readFileSync(path.join(projectRoot, "..", "shared", "fixtures", "articles", "ai-race-hot-take.txt"), "utf8");
