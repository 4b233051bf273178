/**
 * An importer's warning (server/domain/imports/*) as a catalogue message: the
 * sentence's id under `importWarning.*` and its values, with the file and line
 * it is about. The API sends each warning twice: as English text in `warnings`
 * (what scripts have always read) and as this object in `warningMessages`, which
 * the Import page renders in its own language (app/routes/debate-import.tsx).
 */
import type { MessageKey } from "../i18n/messages/en";

export interface ImportWarning {
  /** The sentence, an `importWarning.*` catalogue id. */
  key: MessageKey;
  /** Its ICU values (names, counts, keys of the file's elements). */
  values: Record<string, string | number>;
  /** The file the warning is about. */
  file: string;
  /** The line in it (`"?"` when the format gives none for an element that should have one), or null for the file as a whole. */
  line: number | string | null;
}

/** Formats a message id with values (the page's `t`, or the English catalogue on the server). */
type Translate = (id: MessageKey, values?: Record<string, string | number>) => string;

/** A warning for `file` (at `line`, if given). */
export function importWarning(file: string, line: number | string | null | undefined, key: MessageKey, values: Record<string, string | number> = {}): ImportWarning {
  return { key, values, file, line: line ?? null };
}

/** "file, line 3: the sentence" (or "file: the sentence") in the language of `t`. */
export function importWarningText(t: Translate, w: ImportWarning): string {
  const warning = t(w.key, w.values);
  return w.line === null ? t("importWarning.inFile", { file: w.file, warning }) : t("importWarning.atLine", { file: w.file, line: w.line, warning });
}
