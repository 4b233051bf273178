/**
 * Reading one CSV file of a Polis export into header + rows with line
 * numbers, and the error every import failure is reported with (file, line,
 * column). Parsing is csv-parse's (RFC 4180: quoted fields, embedded newlines
 * and quotes, CRLF, a UTF-8 byte-order mark).
 */
import { CsvError, parse } from "csv-parse/sync";
import type { z } from "zod";

/** A malformed export: names the file, the line (1-based) and, when known, the column (1-based, with its header name). */
export class PolisImportError extends Error {
  readonly file: string;
  readonly line: number | null;
  readonly column: number | null;
  readonly columnName: string | null;
  /** The problem alone, without the location. */
  readonly problem: string;
  constructor(file: string, line: number | null, column: number | null, columnName: string | null, problem: string) {
    const where = [file, line !== null ? `line ${line}` : null, column !== null ? `column ${column}${columnName ? ` (${columnName})` : ""}` : null].filter(Boolean).join(", ");
    super(`${where}: ${problem}`);
    this.name = "PolisImportError";
    this.file = file;
    this.line = line;
    this.column = column;
    this.columnName = columnName;
    this.problem = problem;
  }
}

export interface CsvRow {
  /** Line on which the record starts (1-based; a quoted field may span several lines). */
  line: number;
  cells: string[];
}

export interface CsvTable {
  file: string;
  header: string[];
  /** Header name → 0-based column index. */
  columnOf: Map<string, number>;
  rows: CsvRow[];
}

/**
 * Parses `text` as a CSV file with a header line.
 * @param required header names that must be present
 * @throws PolisImportError on malformed CSV (unclosed quote, stray quote, a row with
 *   a different number of fields), an empty file, a repeated or missing header name
 */
export function readCsv(file: string, text: string, required: readonly string[]): CsvTable {
  let records: { record: string[]; raw: string }[];
  try {
    // `raw` (the record's source text) rather than `info`, which triples the parse time: lines are counted from it.
    records = parse(text, { bom: true, raw: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) throw csvProblem(file, error);
    throw error;
  }
  if (records.length === 0) throw new PolisImportError(file, null, null, null, "the file is empty; a header line was expected.");
  // Line of each record's first character: 1 + the line breaks in all raw text before it
  // (a record's raw text starts with the empty lines skipped before it).
  const lines: number[] = [];
  let breaks = 0;
  for (const r of records) {
    let at = 0;
    while (at < r.raw.length && (r.raw[at] === "\n" || r.raw[at] === "\r")) {
      if (r.raw[at] === "\n") breaks++;
      at++;
    }
    lines.push(breaks + 1);
    for (let i = at; i < r.raw.length; i++) if (r.raw.charCodeAt(i) === 10) breaks++;
  }
  const header = records[0].record.map((h) => h.trim());
  const columnOf = new Map<string, number>();
  header.forEach((name, i) => {
    if (columnOf.has(name)) throw new PolisImportError(file, lines[0], i + 1, name, `the header names the column "${name}" twice.`);
    columnOf.set(name, i);
  });
  for (const name of required) {
    if (!columnOf.has(name)) throw new PolisImportError(file, lines[0], null, null, `the header has no "${name}" column (it has: ${header.join(", ")}).`);
  }
  const rows = records.slice(1).map((r, i) => ({ line: lines[i + 1], cells: r.record }));
  return { file, header, columnOf, rows };
}

function csvProblem(file: string, error: CsvError): PolisImportError {
  const e = error as CsvError & { lines?: number; column?: number | string };
  const line = typeof e.lines === "number" ? e.lines : null;
  switch (error.code) {
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH":
      return new PolisImportError(file, line, null, null, `this row has a different number of fields from the header (${error.message.replace(/^Invalid Record Length: /, "")}).`);
    case "CSV_QUOTE_NOT_CLOSED":
      return new PolisImportError(file, line, null, null, "a quoted field is never closed (a \" is missing).");
    case "CSV_INVALID_CLOSING_QUOTE":
      return new PolisImportError(file, line, typeof e.column === "number" ? e.column + 1 : null, null, "a quoted field is followed by other characters instead of a comma or the end of the line.");
    default:
      return new PolisImportError(file, line, typeof e.column === "number" ? e.column + 1 : null, null, `the file is not valid CSV (${error.message}).`);
  }
}

/**
 * Validates the named cells of a row with a zod object schema (keys are header names).
 * @returns the parsed object
 * @throws PolisImportError naming the first failing cell's line and column
 */
export function validateRow<T extends z.ZodType>(table: CsvTable, row: CsvRow, schema: T, names: readonly string[]): z.output<T> {
  const record: Record<string, string | undefined> = {};
  for (const name of names) {
    const i = table.columnOf.get(name);
    record[name] = i === undefined ? undefined : row.cells[i];
  }
  const result = schema.safeParse(record);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = typeof issue.path[0] === "string" ? issue.path[0] : null;
  const i = name !== null ? table.columnOf.get(name) : undefined;
  const value = name !== null ? record[name] : undefined;
  return fail(table.file, row.line, i !== undefined ? i + 1 : null, name, `${issue.message}${value !== undefined ? ` (found "${truncate(value)}")` : ""}.`);
}

function fail(file: string, line: number, column: number | null, name: string | null, problem: string): never {
  throw new PolisImportError(file, line, column, name, problem);
}

const truncate = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);
