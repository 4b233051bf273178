import { useRouteLoaderData } from "react-router";

/**
 * The language of the debate's own text (article, propositions, arguments) for their `lang`
 * attribute: the language its facilitator set (the root loader's `debateLanguage`), or undefined
 * when not set (then the text inherits the page's language, which may be wrong, but says nothing false).
 */
export function useContentLanguage(): string | undefined {
  const data = useRouteLoaderData("root") as { debateLanguage?: string | null } | undefined;
  return data?.debateLanguage ?? undefined;
}
