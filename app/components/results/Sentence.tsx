/**
 * A translated sentence with React nodes in some of its placeholders: a name isolated in <bdi>, an
 * emphasised number, a link, a <time>. The message stays one sentence in the catalogue (docs/i18n.md:
 * never build sentences from pieces); each node's placeholder is formatted as a private-use marker
 * and the sentence is split there.
 */
import { Fragment, type ReactNode } from "react";
import type { MessageValues } from "~/i18n/format";
import { useT, type MessageKey } from "~/i18n/react";

const FIRST_MARKER = 0xe000;

/**
 * @param id the catalogue message
 * @param values its plain values (numbers, plural counts, strings)
 * @param nodes its placeholders shown as elements, by name
 */
export function Sentence({ id, values, nodes }: { id: MessageKey; values?: MessageValues; nodes: Record<string, ReactNode> }) {
  const t = useT();
  const names = Object.keys(nodes);
  const markers = Object.fromEntries(names.map((name, i) => [name, String.fromCharCode(FIRST_MARKER + i)]));
  const parts = t(id, { ...values, ...markers }).split(/([\uE000-\uE0FF])/u);
  return (
    <>
      {parts.map((part, i) => {
        const index = part.length === 1 ? part.charCodeAt(0) - FIRST_MARKER : -1;
        const name = index >= 0 ? names[index] : undefined;
        return <Fragment key={i}>{name === undefined ? part : nodes[name]}</Fragment>;
      })}
    </>
  );
}
