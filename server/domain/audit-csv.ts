/**
 * The audit log as CSV (RFC 4180, comma-separated, CRLF line ends, UTF-8),
 * written with csv-stringify. Cells that a spreadsheet would run as a formula
 * (starting with = + - @, a tab or a carriage return, or their full-width
 * forms) get a leading apostrophe, as OWASP's "CSV Injection" page advises;
 * csv-stringify's `escape_formulas` does exactly that.
 */
import { stringify } from "csv-stringify/sync";
import type { AuditEntryDTO } from "../../app/shared/contract";

/** The columns, in order, as the header row names them. */
export const AUDIT_CSV_COLUMNS = ["time", "actor", "actor_id", "action", "target_type", "target_id", "reason", "details"] as const;

/**
 * Stringifies rows of plain cells with formula escaping.
 * @param header column names; @param rows one array of cells per line (null → empty cell).
 */
export function toSafeCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | null>>): string {
  return stringify([header as string[], ...rows.map((r) => r.map((c) => c ?? ""))], { escape_formulas: true, record_delimiter: "windows", quoted_match: /^\s|\s$/ });
}

/**
 * The audit log as a CSV document: a header row, then one row per entry in
 * the order given (oldest first from the service). `time` is ISO 8601 UTC;
 * `details` is compact JSON.
 */
export function auditLogCsv(entries: ReadonlyArray<AuditEntryDTO>): string {
  return toSafeCsv(
    AUDIT_CSV_COLUMNS,
    entries.map((e) => [e.at, e.actor.displayName, e.actor.id, e.action, e.targetType, e.targetId, e.reason, e.details ? JSON.stringify(e.details) : null]),
  );
}
