/**
 * Prints docs/roles.md from the role × action table in app/shared/permissions.ts.
 * `npx tsx scripts/roles-doc.ts > docs/roles.md` after changing the table;
 * tests/unit/permissions.test.ts fails while the two disagree.
 */
import { renderRolesDoc } from "../app/shared/roles-doc";

process.stdout.write(renderRolesDoc());
