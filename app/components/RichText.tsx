/**
 * Read-only rendering of a validated argument body as React elements — never
 * raw HTML. Text is always a React text child (escaped by React); links get an
 * href only when the URL passes `isSafeUrl` (otherwise only their text is shown).
 */
import { Fragment, type ReactNode } from "react";
import {
  type ArgumentBody,
  type ArgumentInlineNode,
  type ArgumentListItemNode,
  type ArgumentListNode,
  type ArgumentTextNode,
  isNestedListWrapper,
  LEXICAL_MAX_DEPTH,
  toSafeHref,
} from "../shared/argument-body";

const LINK_REL = "noopener noreferrer nofollow ugc";

function renderText(node: ArgumentTextNode, key: number): ReactNode {
  const format = node.format ?? 0;
  let content: ReactNode = node.text;
  if (format & 2) content = <em>{content}</em>;
  if (format & 1) content = <strong>{content}</strong>;
  return <Fragment key={key}>{content}</Fragment>;
}

function renderInline(nodes: ReadonlyArray<ArgumentInlineNode | ArgumentListNode>, depth: number): ReactNode[] {
  const out: ReactNode[] = [];
  nodes.forEach((node, i) => {
    switch (node.type) {
      case "text":
        out.push(renderText(node, i));
        break;
      case "linebreak":
        out.push(<br key={i} />);
        break;
      case "link": {
        if (depth >= LEXICAL_MAX_DEPTH) break;
        const children = renderInline(node.children, depth + 1);
        const href = typeof node.url === "string" ? toSafeHref(node.url) : null;
        out.push(
          href === null ? (
            <span key={i}>{children}</span>
          ) : (
            <a key={i} href={href} rel={LINK_REL} target="_blank">
              {children}
            </a>
          ),
        );
        break;
      }
      default:
        // Unknown or misplaced node (should not pass validation): render nothing.
        break;
    }
  });
  return out;
}

function renderList(list: ArgumentListNode, key: number, depth: number): ReactNode {
  if (depth > LEXICAL_MAX_DEPTH) return null;
  const ordered = list.listType === "number";
  let number = list.start ?? 1;
  const items = list.children.map((item: ArgumentListItemNode, i) => {
    if (item.type !== "listitem") return null;
    const wrapper = isNestedListWrapper(item);
    const value = number;
    if (!wrapper) number += 1;
    const inline = renderInline(item.children, depth + 2);
    const nested = item.children.map((child, j) => (child.type === "list" ? renderList(child, j, depth + 2) : null));
    return (
      <li key={i} className={wrapper ? "rich-text-nested-item" : undefined} value={ordered && !wrapper ? value : undefined}>
        {inline}
        {nested}
      </li>
    );
  });
  return ordered ? (
    <ol key={key} start={list.start !== undefined && list.start !== 1 ? list.start : undefined}>
      {items}
    </ol>
  ) : (
    <ul key={key}>{items}</ul>
  );
}

/**
 * Renders a validated {@link ArgumentBody} (see `parseArgumentBody`) inside a
 * `<div class="rich-text">`: paragraphs as `<p>` (an empty one as `<p><br></p>`),
 * bold as `<strong>`, italic as `<em>`, line breaks as `<br>`, lists as
 * `<ul>`/`<ol>` with `<li>` (Lexical's wrapper items for nested lists get the
 * class `rich-text-nested-item` and no number), and links as
 * `<a href rel="noopener noreferrer nofollow ugc" target="_blank">` when the
 * URL is safe, or their bare text otherwise. Nodes it does not know are
 * skipped, and nesting is cut off below LEXICAL_MAX_DEPTH.
 */
export function RichText({ body, className }: { body: ArgumentBody; className?: string }) {
  const blocks = body?.root?.children ?? [];
  return (
    <div className={className ? `rich-text ${className}` : "rich-text"}>
      {blocks.map((block, i) => {
        if (block.type === "paragraph") {
          const children = renderInline(block.children, 2);
          return <p key={i}>{children.length > 0 ? children : <br />}</p>;
        }
        if (block.type === "list") return renderList(block, i, 1);
        return null;
      })}
    </div>
  );
}
