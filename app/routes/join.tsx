/**
 * /join: a join code and a display name, nothing else (no account, no email).
 * Works for every visibility; the home page's "Join with a code" box posts here.
 * A browser that already joined that debate is taken back in as the same participant.
 */
import { Link, redirect } from "react-router";
import type { Route } from "./+types/join";
import { JoinByCodeForm } from "~/components/JoinByCodeForm";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { JOIN_CODE_INPUT_MAX_CHARS } from "~/shared/management";
import { formResult, formText, readForm } from "~/utils/errors.server";
import { participantCookie, readParticipantToken } from "~/utils/participant.server";

export const meta: Route.MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "join.title") }];

export function loader({ request }: Route.LoaderArgs) {
  const code = new URL(request.url).searchParams.get("code") ?? "";
  return { code: code.slice(0, JOIN_CODE_INPUT_MAX_CHARS) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const text = (name: string) => formText(form, name);
  const input = { code: text("code"), displayName: text("displayName"), role: text("role") === "observer" ? "observer" : "debater" };
  const result = await formResult(() =>
    context.services.joinByCode(input, { address: context.clientAddress, currentToken: (debateId) => readParticipantToken(context, request, debateId) }),
  );
  if (!result.ok) return { error: result.error, values: input };
  const { debateId, url, token } = result.value;
  return redirect(url, token ? { headers: { "Set-Cookie": participantCookie(context, debateId, token) } } : undefined);
}

export default function Join({ loaderData, actionData }: Route.ComponentProps) {
  const values = actionData?.values;
  const t = useT();
  return (
    <section className="page narrow">
      <p className="muted">
        <Link to="/">{t("join.allDebates")}</Link>
      </p>
      <h1>{t("join.title")}</h1>
      <p className="lede">{t("join.lede")}</p>
      <JoinByCodeForm code={values?.code ?? loaderData.code} displayName={values?.displayName} role={values?.role} error={actionData?.error.message} field={actionData?.error.field} />
    </section>
  );
}
