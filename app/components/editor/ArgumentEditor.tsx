/**
 * Rich-text editor for arguments (Lexical 0.52): paragraphs, bold, italic,
 * bulleted and numbered lists, links. Nothing else can get in: only ListNode,
 * ListItemNode and LinkNode are registered besides Lexical's core nodes, and
 * `registerArgumentSanitizer` normalizes whatever typing, shortcuts or paste
 * produce (underline, code, CSS styles, alignment, checklists, tabs, unsafe or
 * oversized links) into the subset that `parseArgumentBody` accepts. The
 * server validates again anyway.
 *
 * SSR: the composer renders on the server (an empty contenteditable plus the
 * placeholder); Lexical fills the contenteditable after hydration.
 */
import { useT } from "~/i18n/react";
import { $createLinkNode, $isLinkNode, $toggleLink, LinkNode } from "@lexical/link";
import {
  INSERT_ORDERED_LIST_COMMAND,
  INSERT_UNORDERED_LIST_COMMAND,
  ListItemNode,
  ListNode,
  REMOVE_LIST_COMMAND,
} from "@lexical/list";
import { LexicalComposer, type InitialConfigType } from "@lexical/react/LexicalComposer";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { ContentEditable } from "@lexical/react/LexicalContentEditable";
import { LexicalErrorBoundary } from "@lexical/react/LexicalErrorBoundary";
import { HistoryPlugin } from "@lexical/react/LexicalHistoryPlugin";
import { LinkPlugin } from "@lexical/react/LexicalLinkPlugin";
import { ListPlugin } from "@lexical/react/LexicalListPlugin";
import { OnChangePlugin } from "@lexical/react/LexicalOnChangePlugin";
import { RichTextPlugin } from "@lexical/react/LexicalRichTextPlugin";
import { $getNearestNodeOfType } from "@lexical/utils";
import {
  $createParagraphNode,
  $createTextNode,
  $findMatchingParent,
  $getRoot,
  $getSelection,
  $isRangeSelection,
  $setSelection,
  type BaseSelection,
  CLEAR_HISTORY_COMMAND,
  COMMAND_PRIORITY_CRITICAL,
  type EditorState,
  type EditorThemeClasses,
  type ElementNode,
  FORMAT_ELEMENT_COMMAND,
  FORMAT_TEXT_COMMAND,
  type LexicalEditor,
  mergeRegister,
  ParagraphNode,
  TabNode,
  TextNode,
} from "lexical";
import { type KeyboardEvent as ReactKeyboardEvent, useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { type ArgumentBody, isArgumentBodyEmpty, isSafeUrl, parseArgumentBody, toPlainText, URL_MAX_CHARS } from "../../shared/lexical";
import "./editor.css";

export type ArgumentEditorProps = {
  /** id of the contenteditable element. */
  id?: string;
  /** Accessible name of the text box. */
  ariaLabel: string;
  /** id(s) of elements describing the text box (e.g. an error message). */
  ariaDescribedBy?: string;
  placeholder?: string;
  /** Initial content; read once on mount (invalid content is ignored and the editor starts empty). */
  initialBody?: ArgumentBody | null;
  /**
   * Called after every content change with the serialized editor state and its
   * plain text (`toPlainText`). `body` is `null` when there is no text
   * (`isArgumentBodyEmpty`: whitespace, empty paragraphs or list items only).
   * The character limit is not enforced here: compare `plainText` with
   * ARGUMENT_MAX_CHARS (see `countCharacters`) or run `parseArgumentBody(body)`
   * to show the server's message before submitting.
   */
  onChange(body: ArgumentBody | null, plainText: string): void;
  /** Change (e.g. increment) to clear the editor and its undo history. */
  resetKey?: number;
  disabled?: boolean;
  /** Focus the editor when it mounts, with the caret at the end (it replaces a focused plain text area: LazyArgumentEditor). */
  autoFocus?: boolean;
};

/** Lexical theme: class names only (styles live in editor.css / the app's CSS). */
const theme: EditorThemeClasses = {
  paragraph: "editor-paragraph",
  text: { bold: "editor-text-bold", italic: "editor-text-italic" },
  list: {
    ul: "editor-list-ul",
    ol: "editor-list-ol",
    listitem: "editor-listitem",
    nested: { listitem: "editor-nested-listitem" },
  },
  link: "editor-link",
};

/** The only nodes registered besides Lexical's core nodes (root, paragraph, text, linebreak, tab). */
const NODES = [ListNode, ListItemNode, LinkNode];

const ALLOWED_TEXT_FORMAT = 1 | 2; // bold | italic

function $cleanElement(node: ElementNode, keepIndent: boolean): void {
  if (node.getFormatType() !== "") node.setFormat("");
  if (!keepIndent && node.getIndent() !== 0) node.setIndent(0);
  const textFormat = node.getTextFormat();
  if ((textFormat & ~ALLOWED_TEXT_FORMAT) !== 0) node.setTextFormat(textFormat & ALLOWED_TEXT_FORMAT);
  if (node.getTextStyle() !== "") node.setTextStyle("");
}

/**
 * Keeps an editor's content inside the argument subset: blocks text formats
 * other than bold/italic (Ctrl+U, ...) and alignment commands, and registers
 * node transforms that strip CSS styles, extra format bits, alignment and
 * paragraph indentation, turn checklists into bulleted lists and tabs into
 * spaces, and unwrap links whose URL fails `isSafeUrl` (e.g. a pasted
 * `<a href="javascript:...">`), keeping their text. Returns the unregister
 * function. Exported for tests; `ArgumentEditor` registers it itself.
 */
export function registerArgumentSanitizer(editor: LexicalEditor): () => void {
  return mergeRegister(
    editor.registerCommand(
      FORMAT_TEXT_COMMAND,
      (format) => format !== "bold" && format !== "italic", // true = handled (swallowed)
      COMMAND_PRIORITY_CRITICAL,
    ),
    editor.registerCommand(FORMAT_ELEMENT_COMMAND, () => true, COMMAND_PRIORITY_CRITICAL),
    editor.registerNodeTransform(TextNode, (node) => {
      const format = node.getFormat();
      if ((format & ~ALLOWED_TEXT_FORMAT) !== 0) node.setFormat(format & ALLOWED_TEXT_FORMAT);
      if (node.getStyle() !== "") node.setStyle("");
      if (node.getMode() !== "normal") node.setMode("normal");
    }),
    editor.registerNodeTransform(TabNode, (node) => {
      node.replace($createTextNode(" "));
    }),
    editor.registerNodeTransform(ParagraphNode, (node) => $cleanElement(node, false)),
    editor.registerNodeTransform(ListNode, (node) => {
      $cleanElement(node, false);
      if (node.getListType() === "check") node.setListType("bullet");
      const start = node.getStart();
      if (!Number.isInteger(start) || start < 1 || start > 1_000_000) node.setStart(1);
    }),
    editor.registerNodeTransform(ListItemNode, (node) => $cleanElement(node, true)),
    editor.registerNodeTransform(LinkNode, (node) => {
      const url = node.getURL();
      if (!isSafeUrl(url) || url.length > URL_MAX_CHARS) {
        // Keep the text, drop the link.
        for (const child of node.getChildren()) node.insertBefore(child);
        node.remove();
        return;
      }
      $cleanElement(node, false);
      if (node.getTarget() !== null) node.setTarget(null);
      if (node.getRel() !== null) node.setRel(null);
      if (node.getTitle() !== null) node.setTitle(null);
    }),
  );
}

/** Serialized state as plain JSON (drops Lexical's `undefined`-valued keys). */
function serialize(editorState: EditorState): ArgumentBody {
  return JSON.parse(JSON.stringify(editorState.toJSON())) as ArgumentBody;
}

/**
 * The argument editor. See {@link ArgumentEditorProps}. Toolbar: Bold, Italic,
 * Bulleted list, Numbered list (toggle buttons with aria-pressed) and Link
 * (opens an inline address field; when the cursor is in a link it removes the
 * link). Ctrl/Cmd+B and Ctrl/Cmd+I work; Ctrl/Cmd+Z undoes.
 */
export function ArgumentEditor(props: ArgumentEditorProps) {
  const { id, ariaLabel, ariaDescribedBy, placeholder, initialBody, onChange, resetKey, disabled = false, autoFocus = false } = props;

  // Read once, like LexicalComposer does.
  const [initialConfig] = useState<InitialConfigType>(() => {
    const initial = initialBody ? parseArgumentBody(initialBody) : null;
    return {
      namespace: "steelman-argument",
      theme,
      nodes: NODES,
      editable: !disabled,
      editorState: initial?.ok ? JSON.stringify(initial.body) : undefined,
      onError(error: Error) {
        // Surfaces in the console (and fails tests); the editor itself recovers.
        console.error(error);
      },
    };
  });

  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  });
  const handleChange = useCallback((editorState: EditorState) => {
    const body = serialize(editorState);
    const plainText = toPlainText(body);
    onChangeRef.current(isArgumentBodyEmpty(body) ? null : body, plainText);
  }, []);

  const inputProps = { id, className: "editor-input", ariaLabel, ariaMultiline: true, ariaDescribedBy };

  return (
    <div className={disabled ? "editor editor-disabled" : "editor"}>
      <LexicalComposer initialConfig={initialConfig}>
        <Toolbar editorId={id} disabled={disabled} />
        <div className="editor-body">
          <RichTextPlugin
            contentEditable={
              placeholder ? (
                <ContentEditable
                  {...inputProps}
                  placeholder={<div className="editor-placeholder">{placeholder}</div>}
                  aria-placeholder={placeholder}
                />
              ) : (
                <ContentEditable {...inputProps} />
              )
            }
            ErrorBoundary={LexicalErrorBoundary}
          />
        </div>
        <HistoryPlugin />
        <ListPlugin />
        <LinkPlugin validateUrl={isSafeUrl} />
        <OnChangePlugin onChange={handleChange} ignoreSelectionChange={true} />
        <SanitizerPlugin />
        <EditablePlugin disabled={disabled} />
        <ResetPlugin resetKey={resetKey} />
        {autoFocus ? <FocusAtEndPlugin /> : null}
      </LexicalComposer>
    </div>
  );
}

/**
 * Focuses the editor once, with the caret after its last character. In a layout effect, in the same
 * task as the commit that swapped the plain text area for this editor: with a passive effect the
 * focus came a frame later on a busy machine, and keys typed in between went to the page and were
 * lost ("Benchmarks" arrived as "nchmarks").
 */
function FocusAtEndPlugin(): null {
  const [editor] = useLexicalComposerContext();
  useLayoutEffect(() => {
    editor.focus(undefined, { defaultSelection: "rootEnd" });
  }, [editor]);
  return null;
}

function SanitizerPlugin(): null {
  const [editor] = useLexicalComposerContext();
  useEffect(() => registerArgumentSanitizer(editor), [editor]);
  return null;
}

function EditablePlugin({ disabled }: { disabled: boolean }): null {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    editor.setEditable(!disabled);
  }, [editor, disabled]);
  return null;
}

function ResetPlugin({ resetKey }: { resetKey: number | undefined }): null {
  const [editor] = useLexicalComposerContext();
  const previous = useRef(resetKey);
  useEffect(() => {
    if (previous.current === resetKey) return;
    previous.current = resetKey;
    editor.update(() => {
      const root = $getRoot();
      root.clear();
      root.append($createParagraphNode());
    });
    editor.dispatchCommand(CLEAR_HISTORY_COMMAND, undefined);
  }, [editor, resetKey]);
  return null;
}

type ToolbarState = { bold: boolean; italic: boolean; listType: "bullet" | "number" | null; link: boolean };
const EMPTY_TOOLBAR_STATE: ToolbarState = { bold: false, italic: false, listType: null, link: false };

function readToolbarState(): ToolbarState {
  const selection = $getSelection();
  if (!$isRangeSelection(selection)) return EMPTY_TOOLBAR_STATE;
  const anchor = selection.anchor.getNode();
  const list = $getNearestNodeOfType(anchor, ListNode);
  const listType = list?.getListType();
  return {
    bold: selection.hasFormat("bold"),
    italic: selection.hasFormat("italic"),
    listType: listType === "bullet" || listType === "number" ? listType : null,
    link: $findMatchingParent(anchor, $isLinkNode) !== null,
  };
}

/** Adds a scheme to what looks like a bare address ("example.org/x" → https://, "a@b.org" → mailto:). */
function completeUrl(input: string): string {
  const value = input.trim();
  if (value === "" || /^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith("/")) return value;
  if (/^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/.test(value)) return `mailto:${value}`;
  return `https://${value}`;
}

function Toolbar({ editorId, disabled }: { editorId: string | undefined; disabled: boolean }) {
  const t = useT();
  const [editor] = useLexicalComposerContext();
  const [state, setState] = useState<ToolbarState>(EMPTY_TOOLBAR_STATE);
  const [linkOpen, setLinkOpen] = useState(false);
  const [linkValue, setLinkValue] = useState("");
  const [linkError, setLinkError] = useState<string | null>(null);
  const savedSelection = useRef<BaseSelection | null>(null);
  const linkInput = useRef<HTMLInputElement>(null);
  const uid = useId();
  const linkInputId = `${uid}-link`;
  const linkErrorId = `${uid}-link-error`;

  useEffect(
    () =>
      editor.registerUpdateListener(({ editorState }) => {
        const next = editorState.read(readToolbarState);
        setState((prev) =>
          prev.bold === next.bold && prev.italic === next.italic && prev.listType === next.listType && prev.link === next.link ? prev : next,
        );
      }),
    [editor],
  );

  useEffect(() => {
    if (linkOpen) linkInput.current?.focus();
  }, [linkOpen]);

  const closeLink = useCallback(() => {
    setLinkOpen(false);
    setLinkValue("");
    setLinkError(null);
    savedSelection.current = null;
    editor.focus();
  }, [editor]);

  const toggleList = (type: "bullet" | "number") => {
    if (state.listType === type) editor.dispatchCommand(REMOVE_LIST_COMMAND, undefined);
    else editor.dispatchCommand(type === "bullet" ? INSERT_UNORDERED_LIST_COMMAND : INSERT_ORDERED_LIST_COMMAND, undefined);
    editor.focus();
  };

  const onLinkButton = () => {
    if (state.link) {
      editor.update(() => $toggleLink(null));
      editor.focus();
      return;
    }
    if (linkOpen) {
      closeLink();
      return;
    }
    savedSelection.current = editor.getEditorState().read(() => $getSelection()?.clone() ?? null);
    setLinkError(null);
    setLinkOpen(true);
  };

  const applyLink = () => {
    const url = completeUrl(linkValue);
    if (!isSafeUrl(url) || url.length > URL_MAX_CHARS) {
      setLinkError(t("editor.linkMessage"));
      linkInput.current?.focus();
      return;
    }
    const saved = savedSelection.current;
    editor.update(() => {
      if (saved) $setSelection(saved.clone());
      const selection = $getSelection();
      if (!$isRangeSelection(selection)) return;
      if (selection.isCollapsed()) {
        const link = $createLinkNode(url);
        link.append($createTextNode(linkValue.trim()));
        selection.insertNodes([link]);
      } else {
        $toggleLink(url);
      }
    });
    closeLink();
  };

  const onLinkKeyDown = (event: ReactKeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault(); // never submit the surrounding form
      applyLink();
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      closeLink();
    }
  };

  // Keep the editor's selection when a toolbar button is clicked with the mouse.
  const keepFocus = (event: React.MouseEvent) => event.preventDefault();
  // The toolbar is one Tab stop; the arrow keys, Home and End move between its buttons (WAI-ARIA
  // Authoring Practices, "Toolbar" pattern: https://www.w3.org/WAI/ARIA/apg/patterns/toolbar/).
  const toolbar = useRef<HTMLDivElement>(null);
  const [activeTool, setActiveTool] = useState(0);
  const rove = (index: number) => ({ tabIndex: index === activeTool ? 0 : -1, onFocus: () => setActiveTool(index) });
  const onToolbarKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    const buttons = [...(toolbar.current?.querySelectorAll<HTMLButtonElement>("button.editor-button") ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    // In a right-to-left layout the next button is to the left.
    const forward = getComputedStyle(event.currentTarget).direction === "rtl" ? "ArrowLeft" : "ArrowRight";
    const backward = forward === "ArrowRight" ? "ArrowLeft" : "ArrowRight";
    const next = event.key === forward ? at + 1 : event.key === backward ? at - 1 : event.key === "Home" ? 0 : event.key === "End" ? buttons.length - 1 : null;
    if (next === null) return;
    event.preventDefault();
    buttons[(next + buttons.length) % buttons.length]!.focus();
  };
  const formatText = (format: "bold" | "italic") => {
    editor.dispatchCommand(FORMAT_TEXT_COMMAND, format);
    editor.focus();
  };

  return (
    <>
      <div ref={toolbar} className="editor-toolbar" role="toolbar" aria-label={t("editor.formatting")} aria-controls={editorId} onKeyDown={onToolbarKeyDown}>
        <ToolbarButton {...rove(0)} label={t("editor.bold")} title={t("editor.boldTitle")} pressed={state.bold} disabled={disabled} onPress={() => formatText("bold")}>
          <span aria-hidden="true" className="editor-icon-bold">
            B
          </span>
        </ToolbarButton>
        <ToolbarButton {...rove(1)} label={t("editor.italic")} title={t("editor.italicTitle")} pressed={state.italic} disabled={disabled} onPress={() => formatText("italic")}>
          <span aria-hidden="true" className="editor-icon-italic">
            I
          </span>
        </ToolbarButton>
        <ToolbarButton {...rove(2)} label={t("editor.bullets")} title={t("editor.bullets")} pressed={state.listType === "bullet"} disabled={disabled} onPress={() => toggleList("bullet")}>
          <span aria-hidden="true">•≡</span>
        </ToolbarButton>
        <ToolbarButton {...rove(3)} label={t("editor.numbers")} title={t("editor.numbers")} pressed={state.listType === "number"} disabled={disabled} onPress={() => toggleList("number")}>
          <span aria-hidden="true">1.</span>
        </ToolbarButton>
        <button
          type="button"
          className="editor-button"
          aria-label={t("editor.link")}
          {...rove(4)}
          title={state.link ? t("editor.removeLink") : t("editor.addLink")}
          aria-pressed={state.link}
          aria-expanded={state.link ? undefined : linkOpen}
          disabled={disabled}
          onMouseDown={keepFocus}
          onClick={onLinkButton}
        >
          <span aria-hidden="true">🔗</span>
        </button>
      </div>
      {linkOpen && !disabled ? (
        <div className="editor-link-form" role="group" aria-label={t("editor.addALink")}>
          <label htmlFor={linkInputId}>{t("editor.linkAddress")}</label>
          <input
            ref={linkInput}
            id={linkInputId}
            type="url"
            inputMode="url"
            autoComplete="url"
            placeholder="https://…"
            maxLength={URL_MAX_CHARS}
            value={linkValue}
            aria-invalid={linkError ? true : undefined}
            aria-describedby={linkError ? linkErrorId : undefined}
            onChange={(event) => {
              setLinkValue(event.target.value);
              setLinkError(null);
            }}
            onKeyDown={onLinkKeyDown}
          />
          <button type="button" className="editor-button" onClick={applyLink}>
            {t("editor.addLink")}
          </button>
          <button type="button" className="editor-button" onClick={closeLink}>
            {t("common.cancel")}
          </button>
          {linkError ? (
            <p id={linkErrorId} className="editor-link-error" role="alert">
              {linkError}
            </p>
          ) : null}
        </div>
      ) : null}
    </>
  );
}

/** One toggle of the formatting toolbar; mouse-down keeps the focus (and selection) in the editor. */
function ToolbarButton({ label, title, pressed, disabled, onPress, tabIndex, onFocus, children }: { label: string; title: string; pressed: boolean; disabled: boolean; onPress(): void; tabIndex: number; onFocus(): void; children: React.ReactNode }) {
  return (
    <button type="button" className="editor-button" aria-label={label} title={title} aria-pressed={pressed} disabled={disabled} tabIndex={tabIndex} onFocus={onFocus} onMouseDown={(event) => event.preventDefault()} onClick={onPress}>
      {children}
    </button>
  );
}
