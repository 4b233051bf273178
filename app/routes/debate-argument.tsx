/**
 * `/debates/:debateId/arguments/:argumentId`: the debate page opened at one argument (issue 14),
 * with the arguments it answers read with the frame, the argument scrolled to, focused and
 * highlighted (./debate.tsx). Visibility as the paging API's: a withheld or hidden-proposition
 * argument is a placeholder or not found.
 */
import type { Route } from "./+types/debate-argument";
import Debate, { action as debateAction, meta as debateMeta } from "./debate";
import { loadDebatePage } from "~/utils/debate-page.server";

export const meta = debateMeta;

export async function loader(args: Route.LoaderArgs) {
  return loadDebatePage(args, args.params.argumentId);
}

/** The debate page's forms (votes, ratings, posts without JavaScript, joining). */
export const action = debateAction;

export default Debate;
