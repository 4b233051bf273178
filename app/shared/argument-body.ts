/**
 * Argument bodies without validation: limits, types, URL checks and plain-text conversions of the
 * serialized Lexical documents participants write (app/shared/lexical.ts validates them with zod and
 * re-exports all of this). Kept free of zod so that the browser's first load of the debate page
 * needs neither zod nor Lexical (issue 21); isomorphic, no Node-only imports.
 */

// ---------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------

/** Maximum length of an argument's plain text, in characters (Unicode code points). */
export const ARGUMENT_MAX_CHARS = 5000;
/**
 * Maximum nesting depth of the document. The root's children are at depth 1,
 * their children at depth 2, and so on; any node (text included) deeper than
 * this is rejected. 8 allows e.g. three levels of nested lists with links.
 */
export const LEXICAL_MAX_DEPTH = 8;
/** Maximum number of nodes (root, paragraphs, list items, text runs, links, ...) in a document. */
export const LEXICAL_MAX_NODES = 2000;
/** Maximum size of the document serialized as JSON, in UTF-8 bytes. */
export const LEXICAL_MAX_JSON_BYTES = 100_000;
/** Maximum length of a URL (links in arguments and source URLs). */
export const URL_MAX_CHARS = 2048;

// ---------------------------------------------------------------------------
// Types (type aliases rather than interfaces, so they are assignable to JSON
// value types such as Prisma's InputJsonValue)
// ---------------------------------------------------------------------------

/** Fields Lexical writes on every element node. All optional (compact exports omit them). */
export type ArgumentElementFields = {
  direction?: "ltr" | "rtl" | null;
  /** Element alignment: only the default "" is allowed. */
  format?: "";
  indent?: number;
  /** Format for text typed into an empty element: only bold (1) / italic (2) bits. */
  textFormat?: number;
  textStyle?: "";
  version?: 1;
};

/** A run of text. `format` is a bitmask: 1 = bold, 2 = italic (no other bits allowed). */
export type ArgumentTextNode = {
  type: "text";
  text: string;
  format?: number;
  detail?: number;
  mode?: "normal" | "token" | "segmented";
  style?: "";
  version?: 1;
};

export type ArgumentLineBreakNode = { type: "linebreak"; version?: 1 };

export type ArgumentLinkNode = ArgumentElementFields & {
  type: "link";
  /** Always passes {@link isSafeUrl}. */
  url: string;
  rel?: string | null;
  target?: string | null;
  title?: string | null;
  children: Array<ArgumentTextNode | ArgumentLineBreakNode>;
};

export type ArgumentInlineNode = ArgumentTextNode | ArgumentLineBreakNode | ArgumentLinkNode;

export type ArgumentParagraphNode = ArgumentElementFields & {
  type: "paragraph";
  children: ArgumentInlineNode[];
};

export type ArgumentListItemNode = ArgumentElementFields & {
  type: "listitem";
  value?: number;
  /** Lexical writes `checked: undefined` for non-checklist items; checklists are not allowed. */
  checked?: undefined;
  /** Inline content; a nested list lives in its own list item (Lexical's shape). */
  children: Array<ArgumentInlineNode | ArgumentListNode>;
};

export type ArgumentListNode = ArgumentElementFields & {
  type: "list";
  listType: "bullet" | "number";
  start?: number;
  tag?: "ul" | "ol";
  children: ArgumentListItemNode[];
};

export type ArgumentBlockNode = ArgumentParagraphNode | ArgumentListNode;

export type ArgumentRootNode = ArgumentElementFields & {
  type: "root";
  children: ArgumentBlockNode[];
};

/** A validated Lexical SerializedEditorState restricted to the allowed nodes. */
export type ArgumentBody = { root: ArgumentRootNode };


// ---------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------

// C0 controls, DEL and C1 controls. The URL parser silently drops tabs and
// newlines ("java\tscript:" is "javascript:"), so any control character makes
// a URL unsafe outright rather than being normalized away.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

function parseUrl(url: string): URL | null {
  if (typeof url !== "string") return null;
  const trimmed = url.trim();
  if (trimmed === "" || CONTROL_CHARS.test(trimmed)) return null;
  try {
    // No base URL: relative ("/x") and protocol-relative ("//evil.com") URLs throw.
    return new URL(trimmed);
  } catch {
    return null;
  }
}

/**
 * Whether `url` is safe to use as a link target in an argument: after trimming,
 * it must parse with the WHATWG URL parser (no base, so relative and
 * protocol-relative URLs are rejected) to an `http:`, `https:` (with a host) or
 * `mailto:` (with an address) URL, and must contain no control characters.
 * `javascript:`, `data:`, `vbscript:`, `file:` and every other scheme are
 * rejected, whatever their case, surrounding whitespace or entity-like spelling.
 */
export function isSafeUrl(url: string): boolean {
  const parsed = parseUrl(url);
  if (parsed === null) return false;
  switch (parsed.protocol) {
    case "http:":
    case "https:":
      return parsed.hostname !== "";
    case "mailto:":
      return parsed.pathname !== "";
    default:
      return false;
  }
}

/**
 * Whether `url` is an `http:`/`https:` URL with a host (same parsing rules as
 * {@link isSafeUrl}, without `mailto:`). Used for source URLs.
 */
export function isSafeHttpUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && (parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.hostname !== "";
}

/**
 * The normalized `href` to render for a link URL, or `null` when the URL is
 * not safe ({@link isSafeUrl}). Rendering the parser's serialization makes the
 * browser navigate to exactly what was checked.
 */
export function toSafeHref(url: string): string | null {
  return isSafeUrl(url) ? (parseUrl(url) as URL).href : null;
}

/**
 * Whether a string is well-formed UTF-16 (no unpaired surrogate halves, which
 * PostgreSQL refuses in JSON and silently replaces in text).
 */
export function isWellFormedText(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}


/** Whether `value` is a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Number of Unicode code points in `text` (what the character limit counts). */
export function countCharacters(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i += 1;
    }
    n += 1;
  }
  return n;
}

// ---------------------------------------------------------------------------
// Plain text
// ---------------------------------------------------------------------------

function inlineText(nodes: ReadonlyArray<ArgumentInlineNode | ArgumentListNode>, depth: number): string {
  let out = "";
  for (const node of nodes) {
    switch (node.type) {
      case "text":
        out += node.text;
        break;
      case "linebreak":
        out += "\n";
        break;
      case "link":
        if (depth < LEXICAL_MAX_DEPTH) out += inlineText(node.children, depth + 1);
        break;
      default:
        break;
    }
  }
  return out;
}

/** Whether a list item is Lexical's wrapper for a nested list (it has no marker or number of its own). */
export function isNestedListWrapper(item: ArgumentListItemNode): boolean {
  return item.children.length > 0 && item.children[0].type === "list";
}

function listLines(list: ArgumentListNode, level: number, depth: number, lines: string[]): void {
  if (depth > LEXICAL_MAX_DEPTH) return;
  const indent = "  ".repeat(level);
  let number = list.start ?? 1;
  for (const item of list.children) {
    if (item.type !== "listitem") continue;
    const wrapper = isNestedListWrapper(item);
    const inline = item.children.filter((c) => c.type !== "list") as ArgumentInlineNode[];
    if (!wrapper || inline.length > 0) {
      const marker = list.listType === "number" ? `${number}. ` : "- ";
      lines.push(indent + marker + inlineText(inline, depth + 2));
    }
    if (!wrapper) number += 1;
    for (const child of item.children) {
      if (child.type === "list") listLines(child, level + 1, depth + 2, lines);
    }
  }
}

/**
 * Whether a validated body has no visible text: no text node contains anything
 * but whitespace (empty paragraphs, empty list items and line breaks only).
 * Such a body is rejected by {@link parseArgumentBody} as "The argument is empty."
 */
export function isArgumentBodyEmpty(body: ArgumentBody): boolean {
  // Iterative, so it is safe on any input shape.
  const stack: unknown[] = [body?.root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isRecord(node)) continue;
    if (node.type === "text" && typeof node.text === "string" && node.text.trim() !== "") return false;
    if (Array.isArray(node.children)) for (const child of node.children) stack.push(child);
  }
  return true;
}

/**
 * Plain-text copy of a validated body: one line per paragraph and per list
 * item (line breaks inside a paragraph become newlines too), list items
 * prefixed with "- " (bulleted) or "1. ", "2. ", ... (numbered, counting from
 * the list's `start`), nested lists indented by two spaces per level, links
 * reduced to their text. Leading blank lines and trailing whitespace are
 * dropped. Text is copied literally (HTML in text stays text).
 */
export function toPlainText(body: ArgumentBody): string {
  const lines: string[] = [];
  for (const block of body.root.children) {
    if (block.type === "paragraph") lines.push(inlineText(block.children, 1));
    else if (block.type === "list") listLines(block, 0, 1, lines);
  }
  return lines.join("\n").replace(/^\s*\n/, "").trimEnd();
}

/**
 * Builds a body from plain text: one paragraph per line (`\n`, `\r\n` or `\r`),
 * each holding one unformatted text node (none for an empty line), in exactly
 * the JSON shape Lexical 0.52 emits. The text is not validated here: pass the
 * result through {@link parseArgumentBody} (empty or over-long text, or U+0000,
 * are rejected there).
 */
export function plainTextToArgumentBody(text: string): ArgumentBody {
  const children: ArgumentParagraphNode[] = text.split(/\r\n|\r|\n/).map((line) => ({
    children:
      line === ""
        ? []
        : [{ detail: 0, format: 0, mode: "normal", style: "", text: line, type: "text", version: 1 } satisfies ArgumentTextNode],
    direction: null,
    format: "",
    indent: 0,
    textFormat: 0,
    textStyle: "",
    type: "paragraph",
    version: 1,
  }));
  return { root: { children, direction: null, format: "", indent: 0, type: "root", version: 1 } };
}
