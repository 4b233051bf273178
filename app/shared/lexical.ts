/**
 * Argument bodies: the Lexical rich-text documents participants write.
 *
 * Isomorphic (browser and server): no Node-only imports and no Lexical runtime
 * import — this module only validates and reads the *serialized* JSON.
 *
 * Allowed content: paragraphs, bold, italic, bulleted and numbered lists
 * (nestable), links (http, https, mailto) and line breaks. Everything else —
 * unknown node types, CSS styles, other text formats, alignment, checklists,
 * unknown keys — is rejected with a human-readable message.
 *
 * The accepted JSON is what Lexical 0.52 emits from `editorState.toJSON()`
 * for the nodes ParagraphNode, TextNode, LineBreakNode, ListNode, ListItemNode
 * and LinkNode (see tests/unit/lexical.test.ts, which serializes real nodes).
 * Cosmetic standard fields (version, direction, format, indent, detail, mode,
 * style, textFormat, textStyle, rel, target, title, value, start, tag) may be
 * omitted; `type`, `children`, `text`, `url` and `listType` are required.
 * (Lexical's compact export, `toJSON(true)`, omits `listType` for numbered
 * lists and is therefore not accepted: send `toJSON()`.)
 */
import { z } from "./zod";
import {
  ARGUMENT_MAX_CHARS,
  type ArgumentBody,
  type ArgumentListNode,
  countCharacters,
  isArgumentBodyEmpty,
  isRecord,
  isSafeHttpUrl,
  isSafeUrl,
  isWellFormedText,
  LEXICAL_MAX_DEPTH,
  LEXICAL_MAX_JSON_BYTES,
  LEXICAL_MAX_NODES,
  toPlainText,
  URL_MAX_CHARS,
} from "./argument-body";

export * from "./argument-body";

/** Result of {@link parseArgumentBody}. `path` is like `root.children[0].children[2].url`. */
export type ParseArgumentBodyResult =
  | { ok: true; body: ArgumentBody; plainText: string }
  | { ok: false; message: string; path?: string };

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

const LINK_PROTOCOL_MESSAGE = "Links must start with http:// or https:// (or mailto:).";
const SOURCE_URL_MESSAGE = "Sources must be web addresses starting with http:// or https://.";
const NOT_A_DOCUMENT_MESSAGE = "The argument is not a valid rich-text document.";
const EMPTY_MESSAGE = "The argument is empty.";

/** Formats an integer with thousands separators ("5,231"), independent of the runtime's locale data. */
function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Quotes an untrusted type name for a message: printable, short. */
function describeType(type: string): string {
  const printable = type.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}

/** The message for a node type that is unknown or not allowed at its position. */
function typeNotAllowedMessage(type: string): string {
  return `Formatting of type '${describeType(type)}' is not allowed here.`;
}

/**
 * Zod schema for a source URL given elsewhere in the app: a string, trimmed,
 * at most {@link URL_MAX_CHARS} characters, `http:` or `https:` only
 * ({@link isSafeHttpUrl}). Output: the trimmed string.
 */
export const safeUrlSchema = z
  .string({ error: SOURCE_URL_MESSAGE })
  .trim()
  .min(1, { error: "Enter the web address of the source." })
  .max(URL_MAX_CHARS, { error: `Web addresses can be at most ${formatCount(URL_MAX_CHARS)} characters long.` })
  .refine(isSafeHttpUrl, { error: SOURCE_URL_MESSAGE })
  .refine((s) => !/[\u202a-\u202e\u2066-\u2069\u200b-\u200f]/.test(s), { error: "Web addresses cannot contain invisible or direction-changing characters." });

// ---------------------------------------------------------------------------
// Structure pre-walk: iterative, fails fast on depth / node count / size and
// on node types that are unknown or misplaced, before zod recurses.
// ---------------------------------------------------------------------------

/** Which child node types each container accepts ("#document" is the top level). */
const ALLOWED_CHILDREN: Readonly<Record<string, readonly string[]>> = {
  "#document": ["root"],
  root: ["paragraph", "list"],
  paragraph: ["text", "linebreak", "link"],
  link: ["text", "linebreak"],
  list: ["listitem"],
  listitem: ["text", "linebreak", "link", "list"],
  text: [],
  linebreak: [],
};

type PathSegment = string | number;

type Failure = { message: string; path: PathSegment[] };


type WalkEntry = {
  node: unknown;
  depth: number;
  parentType: string;
  parent: WalkEntry | null;
  /** Segments from the parent to this node, e.g. ["children", 3]. */
  segment: PathSegment[];
};

function entryPath(entry: WalkEntry): PathSegment[] {
  const parts: PathSegment[][] = [];
  for (let e: WalkEntry | null = entry; e !== null; e = e.parent) parts.push(e.segment);
  return parts.reverse().flat();
}

/**
 * Walks the untrusted structure without recursion. Checks: objects all the
 * way down, every node's type allowed at its position, depth, node count and a
 * lower bound of the JSON size (string lengths), so an absurd input is
 * rejected after touching at most LEXICAL_MAX_NODES nodes.
 */
function preWalk(input: unknown): Failure | null {
  if (!isRecord(input) || !isRecord(input.root)) return { message: NOT_A_DOCUMENT_MESSAGE, path: [] };

  const stack: WalkEntry[] = [{ node: input.root, depth: 0, parentType: "#document", parent: null, segment: ["root"] }];
  let count = 0;
  let approxBytes = 0;

  while (stack.length > 0) {
    const entry = stack.pop() as WalkEntry;
    const { node, depth } = entry;
    count += 1;
    if (count > LEXICAL_MAX_NODES) {
      return {
        message: `The argument has too many parts (more than ${formatCount(LEXICAL_MAX_NODES)} paragraphs, list items, links and text runs).`,
        path: entryPath(entry),
      };
    }
    if (depth > LEXICAL_MAX_DEPTH) {
      return {
        message: `The argument is nested too deeply (lists and formatting can be nested at most ${LEXICAL_MAX_DEPTH} levels).`,
        path: entryPath(entry),
      };
    }
    if (!isRecord(node)) return { message: NOT_A_DOCUMENT_MESSAGE, path: entryPath(entry) };

    const type = node.type;
    if (typeof type !== "string") {
      return { message: "Every part of the argument must have a type.", path: [...entryPath(entry), "type"] };
    }
    const allowedHere = ALLOWED_CHILDREN[entry.parentType] ?? [];
    if (!allowedHere.includes(type)) {
      return { message: typeNotAllowedMessage(type), path: [...entryPath(entry), "type"] };
    }

    // UTF-16 length never exceeds UTF-8 byte length, so this under-estimates
    // the serialized size: exceeding the limit here means the JSON exceeds it.
    for (const key in node) {
      approxBytes += key.length + 4;
      const value = node[key];
      if (typeof value === "string") approxBytes += value.length + 2;
    }
    if (approxBytes > LEXICAL_MAX_JSON_BYTES) {
      return { message: tooLargeMessage(), path: entryPath(entry) };
    }

    const children = node.children;
    if (Array.isArray(children)) {
      if (count + stack.length + children.length > LEXICAL_MAX_NODES) {
        return {
          message: `The argument has too many parts (more than ${formatCount(LEXICAL_MAX_NODES)} paragraphs, list items, links and text runs).`,
          path: [...entryPath(entry), "children"],
        };
      }
      // Reverse order so the first problem in document order is reported first.
      for (let i = children.length - 1; i >= 0; i -= 1) {
        stack.push({ node: children[i], depth: depth + 1, parentType: type, parent: entry, segment: ["children", i] });
      }
    }
    // A non-array `children` (or `children` on a leaf) is reported by the schema.
  }
  return null;
}

function tooLargeMessage(): string {
  return `The argument is too large (more than ${formatCount(LEXICAL_MAX_JSON_BYTES)} bytes of data).`;
}

// ---------------------------------------------------------------------------
// Structural zod schema (run only after the pre-walk succeeded)
// ---------------------------------------------------------------------------

const TEXT_FORMAT_NAMES: ReadonlyArray<readonly [number, string]> = [
  [4, "strikethrough"],
  [8, "underline"],
  [16, "code"],
  [32, "subscript"],
  [64, "superscript"],
  [128, "highlight"],
  [256, "lowercase"],
  [512, "uppercase"],
  [1024, "capitalize"],
];
const ALLOWED_TEXT_FORMAT_BITS = 1 | 2;

const textFormatSchema = z
  .number({ error: "Text formatting must be a number." })
  .int({ error: "Text formatting must be a whole number." })
  .min(0, { error: "Text formatting must not be negative." })
  .superRefine((format, ctx) => {
    const extra = format & ~ALLOWED_TEXT_FORMAT_BITS;
    if (extra !== 0 || format > 0x7fffffff) {
      const names = TEXT_FORMAT_NAMES.filter(([bit]) => (extra & bit) !== 0).map(([, name]) => name);
      ctx.addIssue({
        code: "custom",
        message: `Only bold and italic text formatting is allowed${names.length > 0 ? ` (found ${names.join(", ")})` : ""}.`,
      });
    }
  });

const noStyleSchema = z.literal("", { error: "Text styles (such as colors, fonts or sizes) are not allowed." });
const noTextSchema = (what: string) =>
  z
    .string()
    .refine((s) => !s.includes("\u0000"), { error: `The ${what} contains an invalid character (U+0000).` })
    .refine(isWellFormedText, { error: `The ${what} contains a broken character (an unpaired UTF-16 surrogate).` });
const versionSchema = z.literal(1, { error: "Unsupported node version." }).optional();

function strictNode<Shape extends z.core.$ZodLooseShape>(type: string, shape: Shape) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `Unexpected ${issue.keys.length === 1 ? "property" : "properties"} ${issue.keys
            .map((k) => `'${describeType(k)}'`)
            .join(", ")} on a '${type}' node.`
        : undefined,
  });
}

function elementFields(indentMax: number) {
  return {
    direction: z.enum(["ltr", "rtl"]).nullable().optional(),
    format: z.literal("", { error: "Text alignment is not allowed." }).optional(),
    indent: z
      .number()
      .int()
      .min(0)
      .max(indentMax, { error: indentMax === 0 ? "Indentation is only allowed in lists." : "The list is indented too deeply." })
      .optional(),
    textFormat: textFormatSchema.optional(),
    textStyle: noStyleSchema.optional(),
    version: versionSchema,
  };
}

const textNodeSchema = strictNode("text", {
  type: z.literal("text"),
  text: noTextSchema("text"),
  format: textFormatSchema.optional(),
  detail: z.number().int().min(0).max(3).optional(),
  mode: z.enum(["normal", "token", "segmented"]).optional(),
  style: noStyleSchema.optional(),
  version: versionSchema,
});

const lineBreakNodeSchema = strictNode("linebreak", {
  type: z.literal("linebreak"),
  version: versionSchema,
});

const linkNodeSchema = strictNode("link", {
  type: z.literal("link"),
  url: z
    .string()
    .max(URL_MAX_CHARS, { error: `Links can be at most ${formatCount(URL_MAX_CHARS)} characters long.` })
    .refine(isSafeUrl, { error: LINK_PROTOCOL_MESSAGE }),
  rel: noTextSchema("link's rel").max(200).nullable().optional(),
  target: noTextSchema("link's target").max(200).nullable().optional(),
  title: noTextSchema("link's title").max(1000).nullable().optional(),
  children: z.array(z.discriminatedUnion("type", [textNodeSchema, lineBreakNodeSchema])),
  ...elementFields(0),
});

const inlineNodeSchemas = [textNodeSchema, lineBreakNodeSchema, linkNodeSchema] as const;

const paragraphNodeSchema = strictNode("paragraph", {
  type: z.literal("paragraph"),
  children: z.array(z.discriminatedUnion("type", inlineNodeSchemas)),
  ...elementFields(0),
});

const LIST_TYPE_MESSAGE = "Only bulleted and numbered lists are allowed.";

/** The list schema, typed for use inside a discriminated union (it is a strict object at runtime). */
type DiscriminableListSchema = z.ZodType<ArgumentListNode> & z.core.$ZodTypeDiscriminable;

// list and listitem are mutually recursive; the getter defers the reference.
const listItemNodeSchema = strictNode("listitem", {
  type: z.literal("listitem"),
  value: z.number().int().min(0).max(10_000_000).optional(),
  checked: z.undefined({ error: "Checklists are not allowed." }).optional(),
  get children() {
    return z.array(z.discriminatedUnion("type", [...inlineNodeSchemas, listNodeSchema]));
  },
  ...elementFields(LEXICAL_MAX_DEPTH),
});

const checkedListNodeSchema: z.ZodType<ArgumentListNode> = strictNode("list", {
  type: z.literal("list"),
  listType: z.enum(["bullet", "number"], { error: LIST_TYPE_MESSAGE }),
  start: z.number().int().min(0).max(1_000_000).optional(),
  tag: z.enum(["ul", "ol"]).optional(),
  children: z.array(listItemNodeSchema),
  ...elementFields(0),
}).superRefine((list, ctx) => {
  if (list.tag !== undefined && list.tag !== (list.listType === "number" ? "ol" : "ul")) {
    ctx.addIssue({ code: "custom", message: `A ${list.listType} list must use the '${list.listType === "number" ? "ol" : "ul"}' tag.`, path: ["tag"] });
  }
});
const listNodeSchema = checkedListNodeSchema as DiscriminableListSchema;

const rootNodeSchema = strictNode("root", {
  type: z.literal("root"),
  children: z.array(z.discriminatedUnion("type", [paragraphNodeSchema, listNodeSchema])),
  ...elementFields(0),
});

const bodyStructureSchema: z.ZodType<ArgumentBody> = z.strictObject(
  { root: rootNodeSchema },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `Unexpected properties next to 'root': ${issue.keys.map((k) => `'${describeType(k)}'`).join(", ")}.` : undefined,
  },
);

// ---------------------------------------------------------------------------
// Validation pipeline
// ---------------------------------------------------------------------------


function pathToString(path: ReadonlyArray<PropertyKey>): string | undefined {
  if (path.length === 0) return undefined;
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

type InternalResult = { ok: true; body: ArgumentBody; plainText: string } | { ok: false; message: string; path: PropertyKey[] };

function validate(input: unknown): InternalResult {
  const failure = preWalk(input);
  if (failure) return { ok: false, message: failure.message, path: failure.path };

  const parsed = bodyStructureSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path as PropertyKey[];
    let message = issue.message;
    // zod's generic messages ("Invalid input: expected string, received number")
    // get a location so a human can find the problem.
    if (message.startsWith("Invalid") && !message.endsWith(".")) {
      message = `The argument contains malformed data${path.length > 0 ? ` at ${pathToString(path)}` : ""} (${message}).`;
    }
    return { ok: false, message, path };
  }
  const body = parsed.data;

  const bytes = new TextEncoder().encode(JSON.stringify(body)).length;
  if (bytes > LEXICAL_MAX_JSON_BYTES) return { ok: false, message: tooLargeMessage(), path: [] };

  if (isArgumentBodyEmpty(body)) return { ok: false, message: EMPTY_MESSAGE, path: [] };
  const plainText = toPlainText(body);
  const chars = countCharacters(plainText);
  if (chars > ARGUMENT_MAX_CHARS) {
    return {
      ok: false,
      message: `The argument is longer than ${formatCount(ARGUMENT_MAX_CHARS)} characters (${formatCount(chars)}).`,
      path: [],
    };
  }
  return { ok: true, body, plainText };
}

/**
 * Validates an untrusted argument body (a Lexical SerializedEditorState, as
 * parsed from JSON) and derives its plain text.
 *
 * Order: (1) an iterative pre-walk rejects non-objects, unknown or misplaced
 * node types, depth > {@link LEXICAL_MAX_DEPTH}, more than
 * {@link LEXICAL_MAX_NODES} nodes and oversized data — without recursion, so a
 * 100,000-level JSON is rejected after 9 steps; (2) the strict zod schema
 * checks every field (unknown keys, CSS styles, text formats other than
 * bold/italic, unsafe link URLs, ...); (3) the serialized size
 * ({@link LEXICAL_MAX_JSON_BYTES}), non-empty text and
 * {@link ARGUMENT_MAX_CHARS} are checked on the plain text.
 *
 * Never throws. On failure returns the first problem as a sentence for the
 * participant (e.g. "The argument is longer than 5,000 characters (5,231).",
 * "Links must start with http:// or https:// (or mailto:).",
 * "Formatting of type 'image' is not allowed here.") and, where there is one,
 * the location such as `root.children[0].children[2].url`.
 *
 * On success `body` is a fresh copy holding only the known fields and
 * `plainText` is {@link toPlainText}(body).
 */
export function parseArgumentBody(input: unknown): ParseArgumentBodyResult {
  const result = validate(input);
  if (result.ok) return result;
  const path = pathToString(result.path);
  return path === undefined ? { ok: false, message: result.message } : { ok: false, message: result.message, path };
}

/**
 * Zod schema for an argument body, for composing into request schemas
 * (`z.object({ body: argumentBodySchema })`). Runs exactly the checks of
 * {@link parseArgumentBody} (pre-walk first, so it is safe on hostile input)
 * and reports the first problem as a single issue with the same message.
 * Output: the validated {@link ArgumentBody}.
 */
export const argumentBodySchema = z.unknown().transform((input, ctx): ArgumentBody => {
  const result = validate(input);
  if (!result.ok) {
    ctx.addIssue({ code: "custom", message: result.message, path: result.path, input });
    return z.NEVER;
  }
  return result.body;
});
