/**
 * The argument editor as the page first shows it: a plain text area of the editor's size, which
 * works before the page's scripts have run (its text is posted as `name` in a real form, and the
 * server turns it into the same rich-text state: plainTextToArgumentBody). Lexical (ArgumentEditor,
 * ~85 KB compressed) is loaded when the composer is opened: at once when it is shown (a reply or
 * edit form, which mount when opened), when the closed <details> holding it opens ("Add an
 * argument"), or when the text area gets the focus; then it takes the place of the text area,
 * keeping what was typed (and the focus, caret at the end).
 * Issue 21: the debate page's first load carries no editor.
 */
import { type ComponentType, useEffect, useLayoutEffect, useRef, useState } from "react";
import { type ArgumentBody, plainTextToArgumentBody, toPlainText } from "~/shared/argument-body";
import type { ArgumentEditorProps } from "./ArgumentEditor";
import "./editor.css";

type EditorComponent = ComponentType<ArgumentEditorProps>;
let loading: Promise<EditorComponent> | null = null;

/** Starts loading the rich-text editor (once per page); resolves to its component. */
export function loadArgumentEditor(): Promise<EditorComponent> {
  loading ??= import("./ArgumentEditor").then((module) => module.ArgumentEditor);
  return loading;
}

/**
 * Props of ArgumentEditor, plus `name`: the form field the plain text area posts before the
 * editor has loaded (the loaded editor posts nothing: the enhanced form sends its state itself).
 */
export function LazyArgumentEditor(props: ArgumentEditorProps & { name?: string }) {
  const { name, ...editorProps } = props;
  const { id, ariaLabel, ariaDescribedBy, placeholder, initialBody, onChange, resetKey, disabled = false } = editorProps;
  const [Editor, setEditor] = useState<EditorComponent | null>(null);
  const [text, setText] = useState(() => (initialBody ? toPlainText(initialBody) : ""));
  const focused = useRef(false);
  const typed = useRef<ArgumentBody | null>(null);
  const lastReset = useRef(resetKey);
  const box = useRef<HTMLDivElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);

  const load = () => {
    void loadArgumentEditor().then((component) => setEditor(() => component));
  };

  const typeIn = (value: string) => {
    setText(value);
    const body = value.trim() ? plainTextToArgumentBody(value) : null;
    typed.current = body;
    onChange(body, value);
  };

  // Text typed before the page was hydrated is kept (React would otherwise reset the field to its state).
  useLayoutEffect(() => {
    const value = area.current?.value ?? "";
    if (value !== text) typeIn(value);
    // Once, at hydration.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Opened: shown now, or when the closed <details> around it opens.
  useEffect(() => {
    const details = box.current?.closest("details");
    if (!details || details.open || initialBody) {
      load();
      return;
    }
    const onToggle = () => {
      if (details.open) load();
    };
    details.addEventListener("toggle", onToggle);
    return () => details.removeEventListener("toggle", onToggle);
  }, [initialBody]);

  // A reset (after posting) clears what was typed here.
  useEffect(() => {
    if (lastReset.current === resetKey) return;
    lastReset.current = resetKey;
    typed.current = null;
    setText("");
  }, [resetKey]);

  // The editor takes the text area's place, and the focus it had (autoFocus).
  if (Editor) return <Editor {...editorProps} initialBody={typed.current ?? initialBody} autoFocus={focused.current} />;

  return (
    <div ref={box} className={disabled ? "editor editor-disabled" : "editor"} data-editor="plain">
      {/* Keeps the toolbar's height so nothing moves when the editor arrives. */}
      <div className="editor-toolbar editor-toolbar-pending" aria-hidden="true" />
      <div className="editor-body">
        <textarea
          ref={area}
          id={id}
          name={name}
          className="editor-input editor-plain"
          aria-label={ariaLabel}
          aria-describedby={ariaDescribedBy}
          placeholder={placeholder}
          disabled={disabled}
          value={text}
          onFocus={() => {
            focused.current = true;
            load();
          }}
          onBlur={() => {
            focused.current = false;
          }}
          onChange={(event) => typeIn(event.target.value)}
        />
      </div>
    </div>
  );
}
