/**
 * Reading an uploaded article in the browser: .txt and .md are read as text;
 * .html is parsed with the browser's DOMParser (scripts never run in a parsed
 * document) and reduced to its text, one block element per line.
 */
export const ACCEPTED_ARTICLE_TYPES = ".txt,.md,.markdown,.html,.htm,text/plain,text/markdown,text/html";

const BLOCKS = "p,h1,h2,h3,h4,h5,h6,li,div,section,article,header,footer,blockquote,pre,tr,br,hr,title";

/** Text of an HTML document with block elements on their own lines. */
export function htmlToText(html: string): string {
  const doc = new DOMParser().parseFromString(html, "text/html");
  doc.querySelectorAll("script,style,noscript,template,svg,iframe,object").forEach((el) => el.remove());
  doc.querySelectorAll(BLOCKS).forEach((el) => el.append(doc.createTextNode("\n")));
  const text = doc.body?.textContent ?? "";
  return text
    .split("\n")
    .map((line) => line.replace(/[ \t\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** A file that is not text, Markdown or HTML; `fileName` is its name, for the page's sentence. */
export class UnsupportedArticleFile extends Error {
  constructor(readonly fileName: string) {
    super(`“${fileName}” is not a .txt, .md or .html file.`);
  }
}

/**
 * Reads an uploaded file as article text.
 * @throws UnsupportedArticleFile (with an English sentence) when the type is not supported.
 */
export async function readArticleFile(file: File): Promise<string> {
  const name = file.name.toLowerCase();
  const text = await file.text();
  if (/\.(html?|xhtml)$/.test(name) || file.type === "text/html") return htmlToText(text);
  if (/\.(txt|md|markdown)$/.test(name) || file.type.startsWith("text/")) return text;
  throw new UnsupportedArticleFile(file.name);
}
