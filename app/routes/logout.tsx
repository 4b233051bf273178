import { Form, redirect } from "react-router";
import type { Route } from "./+types/logout";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { clearedSessionCookie, readSessionToken } from "~/utils/session.server";

export const meta: Route.MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "auth.signOut.title") }];

/** Ends this browser's session (the row in PostgreSQL, then the cookie). */
export async function action({ request, context }: Route.ActionArgs) {
  await context.services.signOut(readSessionToken(context, request));
  return redirect("/", { headers: { "Set-Cookie": clearedSessionCookie(context) } });
}

/** Signing out changes state, so a GET only offers the button. */
export default function Logout() {
  const t = useT();
  return (
    <section className="page narrow">
      <h1>{t("auth.signOut.title")}</h1>
      <Form method="post">
        <button type="submit" className="button button-primary">
          {t("auth.signOut.submit")}
        </button>
      </Form>
    </section>
  );
}
