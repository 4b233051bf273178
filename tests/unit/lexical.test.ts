import { $createLinkNode, LinkNode } from "@lexical/link";
import { $createListItemNode, $createListNode, ListItemNode, ListNode } from "@lexical/list";
import {
  $createLineBreakNode,
  $createParagraphNode,
  $createTabNode,
  $createTextNode,
  $getRoot,
  $selectAll,
  createEditor,
  FORMAT_ELEMENT_COMMAND,
  FORMAT_TEXT_COMMAND,
  type LexicalEditor,
} from "lexical";
import { registerRichText } from "@lexical/rich-text";
import { createElement } from "react";
import { renderToStaticMarkup, renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ArgumentEditor, registerArgumentSanitizer } from "../../app/components/editor/ArgumentEditor";
import { messagesFor } from "../../app/i18n/catalogues.server";
import { I18nProvider } from "../../app/i18n/react";
import { RichText } from "../../app/components/RichText";
import {
  ARGUMENT_MAX_CHARS,
  type ArgumentBody,
  argumentBodySchema,
  isSafeUrl,
  LEXICAL_MAX_DEPTH,
  LEXICAL_MAX_JSON_BYTES,
  LEXICAL_MAX_NODES,
  parseArgumentBody,
  plainTextToArgumentBody,
  safeUrlSchema,
  toPlainText,
} from "../../app/shared/lexical";

// ---------------------------------------------------------------- helpers

function newEditor(): LexicalEditor {
  return createEditor({
    namespace: "test",
    nodes: [ListNode, ListItemNode, LinkNode],
    onError(error) {
      throw error;
    },
  });
}

/** Serialized state as it arrives over the wire (JSON round trip). */
function wire(editor: LexicalEditor): unknown {
  return JSON.parse(JSON.stringify(editor.getEditorState().toJSON()));
}

/** The rich document used by several tests, built from real Lexical nodes. */
function buildRichEditor(): LexicalEditor {
  const editor = newEditor();
  editor.update(
    () => {
      const root = $getRoot();
      root.clear();
      const intro = $createParagraphNode();
      const strong = $createTextNode("bold and italic");
      strong.toggleFormat("bold");
      strong.toggleFormat("italic");
      const link = $createLinkNode("https://example.com/study?x=1");
      link.append($createTextNode("a study"));
      intro.append($createTextNode("Claim: "), strong, $createLineBreakNode(), $createTextNode("See "), link, $createTextNode("."));

      const bullets = $createListNode("bullet");
      const first = $createListItemNode();
      first.append($createTextNode("first reason"));
      const wrapper = $createListItemNode();
      const nested = $createListNode("number");
      const n1 = $createListItemNode();
      n1.append($createTextNode("sub one"));
      const n2 = $createListItemNode();
      n2.append($createTextNode("sub two"));
      nested.append(n1, n2);
      wrapper.append(nested);
      const second = $createListItemNode();
      const emphasis = $createTextNode("second");
      emphasis.toggleFormat("italic");
      second.append(emphasis, $createTextNode(" reason"));
      bullets.append(first, wrapper, second);

      const numbers = $createListNode("number");
      for (const label of ["alpha", "beta"]) {
        const item = $createListItemNode();
        item.append($createTextNode(label));
        numbers.append(item);
      }
      const outro = $createParagraphNode();
      outro.append($createTextNode("The end."));
      root.append(intro, bullets, numbers, outro);
    },
    { discrete: true },
  );
  return editor;
}

const RICH_PLAIN_TEXT = [
  "Claim: bold and italic",
  "See a study.",
  "- first reason",
  "  1. sub one",
  "  2. sub two",
  "- second reason",
  "1. alpha",
  "2. beta",
  "The end.",
].join("\n");

// Hand-written nodes in the full shape Lexical 0.52 emits.
const text = (t: string, extra: Record<string, unknown> = {}) => ({
  detail: 0,
  format: 0,
  mode: "normal",
  style: "",
  text: t,
  type: "text",
  version: 1,
  ...extra,
});
const element = { direction: null, format: "", indent: 0 };
const paragraph = (...children: unknown[]) => ({ children, ...element, textFormat: 0, textStyle: "", type: "paragraph", version: 1 });
const link = (url: string, children: unknown[] = [text("link")]) => ({
  children,
  rel: null,
  target: null,
  title: null,
  url,
  ...element,
  type: "link",
  version: 1,
});
const listItem = (value: number, ...children: unknown[]) => ({ children, indent: 0, value, direction: null, format: "", type: "listitem", version: 1 });
const list = (listType: "bullet" | "number", ...children: unknown[]) => ({
  children,
  listType,
  start: 1,
  tag: listType === "bullet" ? "ul" : "ol",
  ...element,
  type: "list",
  version: 1,
});
const doc = (...children: unknown[]) => ({ root: { children, ...element, type: "root", version: 1 } });

function expectRejected(input: unknown, message: string | RegExp, path?: string) {
  const result = parseArgumentBody(input);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  if (typeof message === "string") expect(result.message).toBe(message);
  else expect(result.message).toMatch(message);
  if (path !== undefined) expect(result.path).toBe(path);
}

const LINK_MESSAGE = "Links must start with http:// or https:// (or mailto:).";

// ---------------------------------------------------------------- accepted states


/** Server-renders `element` as the page does: inside the English catalogue (app/root.tsx provides the page's). */
const inEnglish = (element: React.ReactElement) => renderToString(createElement(I18nProvider, { locale: "en", messages: messagesFor("en"), children: element }));

describe("argument bodies serialized by real Lexical nodes", () => {
  it("accepts paragraphs, bold+italic, line breaks, links, bullet/number lists and a nested list", () => {
    const editor = buildRichEditor();
    const result = parseArgumentBody(wire(editor));
    expect(result).toMatchObject({ ok: true, plainText: RICH_PLAIN_TEXT });
    if (!result.ok) return;
    expect(toPlainText(result.body)).toBe(RICH_PLAIN_TEXT);
    // The validated copy is the same document.
    expect(result.body).toEqual(wire(editor));
  });

  it("accepts the toJSON() object itself (with Lexical's undefined-valued keys)", () => {
    const state = buildRichEditor().getEditorState().toJSON();
    expect(parseArgumentBody(state).ok).toBe(true);
  });

  it("emits exactly the JSON shape the fixtures in this file use", () => {
    const editor = newEditor();
    editor.update(
      () => {
        const root = $getRoot();
        root.clear();
        const p = $createParagraphNode();
        const l = $createLinkNode("https://example.com");
        l.append($createTextNode("link"));
        p.append($createTextNode("Hi"), $createLineBreakNode(), l);
        const ul = $createListNode("bullet");
        const li = $createListItemNode();
        li.append($createTextNode("item"));
        ul.append(li);
        root.append(p, ul);
      },
      { discrete: true },
    );
    expect(wire(editor)).toEqual(
      doc(paragraph(text("Hi"), { type: "linebreak", version: 1 }, link("https://example.com")), list("bullet", listItem(1, text("item")))),
    );
  });

  it("round-trips a validated body through Lexical's parser unchanged", () => {
    const editor = buildRichEditor();
    const body = wire(editor);
    const reparsed = newEditor().parseEditorState(JSON.stringify(body));
    expect(JSON.parse(JSON.stringify(reparsed.toJSON()))).toEqual(body);
  });

  it("keeps HTML inside a text node as literal text", () => {
    const html = `<img src=x onerror=alert(1)><script>alert("x")</script>`;
    const result = parseArgumentBody(doc(paragraph(text(html))));
    expect(result).toMatchObject({ ok: true, plainText: html });
  });

  it("accepts 5,000 characters and counts code points, not UTF-16 units", () => {
    expect(parseArgumentBody(plainTextToArgumentBody("a".repeat(ARGUMENT_MAX_CHARS))).ok).toBe(true);
    // 5,000 emoji are 10,000 UTF-16 code units.
    expect(parseArgumentBody(plainTextToArgumentBody("😀".repeat(ARGUMENT_MAX_CHARS))).ok).toBe(true);
  });
});

// ---------------------------------------------------------------- rejected states

describe("rejections", () => {
  it.each(["image", "html", "code", "heading", "quote", "tab", "autolink", "table"])("rejects node type '%s'", (type) => {
    expectRejected(doc(paragraph(text("ok"), { type, version: 1 })), `Formatting of type '${type}' is not allowed here.`, "root.children[0].children[1].type");
  });

  it("rejects known node types in the wrong place", () => {
    expectRejected(doc(listItem(1, text("x"))), "Formatting of type 'listitem' is not allowed here.");
    expectRejected(doc(paragraph(paragraph(text("x")))), "Formatting of type 'paragraph' is not allowed here.");
    expectRejected(doc(text("bare text in root")), "Formatting of type 'text' is not allowed here.");
    expectRejected(doc(paragraph(link("https://a.example", [link("https://b.example")]))), "Formatting of type 'link' is not allowed here.");
    expectRejected({ root: { ...doc().root, type: "paragraph" } }, "Formatting of type 'paragraph' is not allowed here.");
  });

  it("rejects CSS in text styles and element text styles", () => {
    expectRejected(doc(paragraph(text("red", { style: "color:red" }))), "Text styles (such as colors, fonts or sizes) are not allowed.", "root.children[0].children[0].style");
    expectRejected(doc({ ...paragraph(), textStyle: "font-size: 80px" }), "Text styles (such as colors, fonts or sizes) are not allowed.");
  });

  it("rejects text formats other than bold (1) and italic (2)", () => {
    expectRejected(doc(paragraph(text("u", { format: 8 }))), "Only bold and italic text formatting is allowed (found underline).");
    expectRejected(doc(paragraph(text("c", { format: 16 | 1 }))), "Only bold and italic text formatting is allowed (found code).");
    expectRejected(doc(paragraph(text("s", { format: 4 | 64 }))), "Only bold and italic text formatting is allowed (found strikethrough, superscript).");
    expectRejected(doc({ ...paragraph(), textFormat: 8 }), "Only bold and italic text formatting is allowed (found underline).");
    expectRejected(doc(paragraph(text("n", { format: -1 }))), "Text formatting must not be negative.");
    expectRejected(doc(paragraph(text("f", { format: 1.5 }))), "Text formatting must be a whole number.");
    expectRejected(doc(paragraph(text("s", { format: "bold" }))), "Text formatting must be a number.");
  });

  it("rejects alignment, paragraph indentation and checklists", () => {
    expectRejected(doc({ ...paragraph(text("x")), format: "center" }), "Text alignment is not allowed.");
    expectRejected(doc({ ...paragraph(text("x")), indent: 2 }), "Indentation is only allowed in lists.");
    expectRejected(doc(list("bullet", { ...listItem(1, text("x")), checked: true })), "Checklists are not allowed.");
    expectRejected(doc({ ...list("bullet", listItem(1, text("x"))), listType: "check", tag: "ul" }), "Only bulleted and numbered lists are allowed.");
  });

  it.each([
    ["javascript:alert(1)"],
    [" JaVaScRiPt:alert(1)"],
    ["java\tscript:alert(1)"],
    ["java\nscript:alert(1)"],
    ["\u0000javascript:alert(1)"],
    ["javascript&colon;alert(1)"],
    ["&#106;avascript:alert(1)"],
    ["&#x6A;avascript:alert(1)"],
    ["%6Aavascript:alert(1)"],
    ["data:text/html,<script>alert(1)</script>"],
    ["data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="],
    ["vbscript:msgbox(1)"],
    ["VBScript:msgbox(1)"],
    ["file:///etc/passwd"],
    ["ftp://example.com/"],
    ["//evil.com"],
    ["/x"],
    ["x"],
    ["#top"],
    ["https://"],
    ["mailto:"],
    [""],
  ])("rejects the link URL %j", (url) => {
    expect(isSafeUrl(url)).toBe(false);
    expectRejected(doc(paragraph(link(url))), LINK_MESSAGE, "root.children[0].children[0].url");
  });

  it("rejects links longer than 2,048 characters", () => {
    expectRejected(doc(paragraph(link(`https://example.com/${"a".repeat(2048)}`))), "Links can be at most 2,048 characters long.");
  });

  it("rejects deeply nested lists quickly and without a RangeError", () => {
    let node: unknown = text("deep");
    for (let i = 0; i < 10_000; i += 1) node = list("bullet", listItem(1, node));
    const input = doc(node);
    const started = performance.now();
    let result: ReturnType<typeof parseArgumentBody> | undefined;
    expect(() => {
      result = parseArgumentBody(input);
    }).not.toThrow();
    expect(performance.now() - started).toBeLessThan(200);
    expect(result?.ok).toBe(false);
    expect(result && !result.ok && result.message).toBe(
      `The argument is nested too deeply (lists and formatting can be nested at most ${LEXICAL_MAX_DEPTH} levels).`,
    );
    // Also via the zod schema.
    expect(argumentBodySchema.safeParse(input).success).toBe(false);
  });

  it("accepts nesting up to the depth limit and rejects one level more", () => {
    // root > list(1) > item(2) > list(3) > item(4) > list(5) > item(6) > link(7) > text(8)
    const atLimit = doc(list("bullet", listItem(1, list("bullet", listItem(1, list("bullet", listItem(1, link("https://a.example"))))))));
    expect(parseArgumentBody(atLimit).ok).toBe(true);
    const overLimit = doc(list("bullet", listItem(1, list("bullet", listItem(1, list("bullet", listItem(1, list("bullet", listItem(1, text("x"))))))))));
    expectRejected(overLimit, /nested too deeply/);
  });

  it("rejects more than 2,000 nodes and oversized data", () => {
    const many = doc(...Array.from({ length: LEXICAL_MAX_NODES }, () => paragraph(text("x"))));
    expectRejected(many, /too many parts \(more than 2,000/);
    const huge = doc(paragraph(text("x".repeat(LEXICAL_MAX_JSON_BYTES + 1))));
    expectRejected(huge, "The argument is too large (more than 100,000 bytes of data).");
  });

  it("rejects 5,001 characters with the count in the message", () => {
    expectRejected(plainTextToArgumentBody("a".repeat(ARGUMENT_MAX_CHARS + 1)), "The argument is longer than 5,000 characters (5,001).");
    expectRejected(plainTextToArgumentBody("b".repeat(5231)), "The argument is longer than 5,000 characters (5,231).");
  });

  it("rejects empty bodies", () => {
    expectRejected(doc(), "The argument is empty.");
    expectRejected(doc(paragraph()), "The argument is empty.");
    expectRejected(doc(paragraph(text("   ")), paragraph(), list("bullet", listItem(1))), "The argument is empty.");
    expectRejected(plainTextToArgumentBody(""), "The argument is empty.");
  });

  it("rejects unknown keys on nodes, including __proto__ and event handlers", () => {
    const proto = JSON.parse(`{"root":{"type":"root","children":[{"type":"paragraph","children":[{"type":"text","text":"x","__proto__":{"polluted":true}}]}]}}`);
    expectRejected(proto, "Unexpected property '__proto__' on a 'text' node.", "root.children[0].children[0]");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expectRejected(doc(paragraph(text("x", { onclick: "alert(1)" }))), "Unexpected property 'onclick' on a 'text' node.");
    expectRejected(doc(paragraph(link("https://example.com"), text("x")), { ...paragraph(text("y")), style: "color:red" }), "Unexpected property 'style' on a 'paragraph' node.");
    expectRejected(doc({ ...paragraph(text("x")), $: { state: 1 } }), "Unexpected property '$' on a 'paragraph' node.");
    expectRejected({ ...doc(paragraph(text("x"))), extra: 1 }, "Unexpected properties next to 'root': 'extra'.");
  });

  it.each([[null], [undefined], ["a string"], [42], [[]], [[doc(paragraph(text("x")))]], [{}], [{ root: null }], [{ root: [] }], [{ root: "root" }]])(
    "rejects non-documents: %j",
    (input) => {
      expectRejected(input, "The argument is not a valid rich-text document.");
    },
  );

  it("rejects malformed fields with a located message", () => {
    expectRejected(doc(paragraph({ type: "text", text: 5 })), /malformed data at root\.children\[0\]\.children\[0\]\.text/);
    expectRejected(doc({ type: "paragraph", children: "nope" }), /malformed data at root\.children\[0\]\.children/);
    expectRejected(doc(paragraph(text("x\u0000y"))), "The text contains an invalid character (U+0000).");
    expectRejected(doc(paragraph({ version: 1 })), "Every part of the argument must have a type.");
  });
});

// ---------------------------------------------------------------- URLs

describe("isSafeUrl / safeUrlSchema", () => {
  it.each(["https://example.com", "http://example.com/a?b=c#d", "  https://example.com/x  ", "HTTPS://EXAMPLE.COM", "mailto:someone@example.com"])(
    "accepts %j",
    (url) => {
      expect(isSafeUrl(url)).toBe(true);
      expect(parseArgumentBody(doc(paragraph(link(url)))).ok).toBe(true);
    },
  );

  it("safeUrlSchema accepts http(s) only, trims, and caps the length", () => {
    expect(safeUrlSchema.parse("  https://example.com/source ")).toBe("https://example.com/source");
    for (const bad of ["mailto:a@example.com", "javascript:alert(1)", "//evil.com", "/x", "data:,x"]) {
      const result = safeUrlSchema.safeParse(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0].message).toBe("Sources must be web addresses starting with http:// or https://.");
    }
    expect(safeUrlSchema.safeParse(`https://example.com/${"a".repeat(2048)}`).error?.issues[0].message).toBe(
      "Web addresses can be at most 2,048 characters long.",
    );
  });

  it("argumentBodySchema composes into request schemas with the same messages", () => {
    const request = z.object({ body: argumentBodySchema });
    const ok = request.safeParse({ body: doc(paragraph(text("hello"))) });
    expect(ok.success).toBe(true);
    const bad = request.safeParse({ body: doc(paragraph(link("javascript:alert(1)"))) });
    expect(bad.error?.issues).toHaveLength(1);
    expect(bad.error?.issues[0]).toMatchObject({ message: LINK_MESSAGE, path: ["body", "root", "children", 0, "children", 0, "url"] });
  });
});

// ---------------------------------------------------------------- plain text

describe("plainTextToArgumentBody", () => {
  it("makes one paragraph per line that Lexical can load, and round-trips through toPlainText", () => {
    const input = "First line\r\nSecond <b>line</b>\n\nFourth";
    const body = plainTextToArgumentBody(input);
    expect(body.root.children).toHaveLength(4);
    const result = parseArgumentBody(body);
    expect(result).toMatchObject({ ok: true, plainText: "First line\nSecond <b>line</b>\n\nFourth" });
    const state = newEditor().parseEditorState(JSON.stringify(body));
    expect(JSON.parse(JSON.stringify(state.toJSON()))).toEqual(body);
  });
});

// ---------------------------------------------------------------- editor sanitizer

describe("registerArgumentSanitizer (what the editor does to typed/pasted content)", () => {
  it("reduces disallowed formatting to the allowed subset", () => {
    const editor = newEditor();
    registerArgumentSanitizer(editor);
    editor.update(
      () => {
        const root = $getRoot();
        root.clear();
        const p = $createParagraphNode();
        p.setFormat("center");
        p.setIndent(3);
        p.setTextFormat(8 | 1);
        const styled = $createTextNode("styled");
        styled.setStyle("color: red; background: url(javascript:alert(1))");
        styled.setFormat(1 | 8 | 16); // bold + underline + code
        const evil = $createLinkNode("javascript:alert(1)", { target: "_self", title: "t" });
        evil.append($createTextNode("click"));
        const good = $createLinkNode("https://example.com", { rel: "opener", target: "_self" });
        good.append($createTextNode("ok"));
        p.append(styled, $createTabNode(), evil, good);
        const checks = $createListNode("check");
        const item = $createListItemNode(true);
        item.append($createTextNode("done"));
        checks.append(item);
        root.append(p, checks);
      },
      { discrete: true },
    );
    const result = parseArgumentBody(wire(editor));
    expect(result).toMatchObject({ ok: true, plainText: "styled clickok\n- done" });
    const json = JSON.stringify(wire(editor));
    expect(json).not.toContain("javascript");
    expect(json).not.toContain("color");
    expect(json).not.toContain('"check"');
  });

  it("swallows underline/strikethrough/code and alignment commands but keeps bold and italic", () => {
    const editor = newEditor();
    registerRichText(editor);
    registerArgumentSanitizer(editor);
    editor.update(
      () => {
        const root = $getRoot();
        root.clear();
        root.append($createParagraphNode().append($createTextNode("text")));
        $selectAll();
      },
      { discrete: true },
    );
    for (const format of ["underline", "strikethrough", "code", "subscript", "highlight"] as const) {
      editor.update(() => {
        editor.dispatchCommand(FORMAT_TEXT_COMMAND, format);
      }, { discrete: true });
    }
    editor.update(() => {
      editor.dispatchCommand(FORMAT_ELEMENT_COMMAND, "right");
    }, { discrete: true });
    expect(parseArgumentBody(wire(editor))).toMatchObject({ ok: true, body: doc(paragraph(text("text"))) });
    // Bold and italic still reach the rich-text handler (Ctrl/Cmd+B, Ctrl/Cmd+I and the toolbar use this command).
    editor.update(() => {
      editor.dispatchCommand(FORMAT_TEXT_COMMAND, "bold");
      editor.dispatchCommand(FORMAT_TEXT_COMMAND, "italic");
    }, { discrete: true });
    expect(parseArgumentBody(wire(editor))).toMatchObject({ ok: true, body: doc({ ...paragraph(text("text", { format: 3 })), textFormat: 3 }) });
  });
});

// ---------------------------------------------------------------- rendering

describe("RichText", () => {
  const render = (body: unknown) => renderToStaticMarkup(createElement(RichText, { body: body as ArgumentBody }));

  it("renders the real Lexical document as semantic HTML", () => {
    const result = parseArgumentBody(wire(buildRichEditor()));
    if (!result.ok) throw new Error(result.message);
    expect(render(result.body)).toBe(
      '<div class="rich-text">' +
        '<p>Claim: <strong><em>bold and italic</em></strong><br/>See <a href="https://example.com/study?x=1" rel="noopener noreferrer nofollow ugc" target="_blank">a study</a>.</p>' +
        '<ul><li>first reason</li><li class="rich-text-nested-item"><ol><li value="1">sub one</li><li value="2">sub two</li></ol></li><li><em>second</em> reason</li></ul>' +
        '<ol><li value="1">alpha</li><li value="2">beta</li></ol>' +
        "<p>The end.</p>" +
        "</div>",
    );
  });

  it("escapes HTML in text", () => {
    const html = render(doc(paragraph(text('<script>alert("x")</script><img src=x onerror=alert(1)>'))));
    expect(html).toBe('<div class="rich-text"><p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</p></div>');
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
  });

  it("renders a link with the safe rel/target and a normalized href", () => {
    expect(render(doc(paragraph(link("  https://example.com/a b", [text("x")]))))).toBe(
      '<div class="rich-text"><p><a href="https://example.com/a%20b" rel="noopener noreferrer nofollow ugc" target="_blank">x</a></p></div>',
    );
  });

  it("renders an unsafe link (unvalidated input) as its text only", () => {
    const html = render(doc(paragraph(link("javascript:alert(1)", [text("click me")]), link(" JaVaScRiPt:alert(1)", [text("again")]))));
    expect(html).toBe('<div class="rich-text"><p><span>click me</span><span>again</span></p></div>');
    expect(html).not.toContain("href");
  });

  it("renders nothing for unknown nodes and stops at the depth limit", () => {
    expect(render(doc(paragraph({ type: "html", html: "<b>x</b>" }, text("ok"))))).toBe('<div class="rich-text"><p>ok</p></div>');
    let node: unknown = text("deep");
    for (let i = 0; i < 5000; i += 1) node = list("bullet", listItem(1, node));
    expect(() => render(doc(node))).not.toThrow();
  });
});

describe("ArgumentEditor on the server", () => {
  it("renders an accessible text box and toolbar without errors", () => {
    const html = inEnglish(
      createElement(ArgumentEditor, {
        id: "arg-editor",
        ariaLabel: "Your argument",
        placeholder: "Write your argument…",
        onChange: () => {},
      }),
    );
    expect(html).toContain('role="textbox"');
    expect(html).toContain('aria-label="Your argument"');
    expect(html).toContain('aria-multiline="true"');
    expect(html).toContain('id="arg-editor"');
    expect(html).toContain('class="editor-input"');
    expect(html).toContain('contentEditable="true"');
    expect(html).toContain("Write your argument…");
    for (const label of ["Bold", "Italic", "Bulleted list", "Numbered list", "Link"]) {
      expect(html).toMatch(new RegExp(`aria-label="${label}"[^>]*aria-pressed="false"`));
    }
    expect(html).not.toContain("dangerouslySetInnerHTML");
  });

  it("renders with an initial body and when disabled", () => {
    const body = plainTextToArgumentBody("Already written");
    const html = inEnglish(createElement(ArgumentEditor, { ariaLabel: "Edit", initialBody: body, disabled: true, onChange: () => {} }));
    expect(html).toContain('contentEditable="false"');
    expect(html).toContain('aria-readonly="true"');
  });
});
