import { Link } from "react-router";
import { LocalTime } from "~/components/LocalTime";
import { JoinByCodeForm } from "~/components/JoinByCodeForm";
import type { Route } from "./+types/home";
import { metaText } from "~/i18n/meta";
import { useT } from "~/i18n/react";

export const meta: Route.MetaFunction = ({ matches }) => [{ title: metaText(matches, "home.title") }];

export async function loader({ context }: Route.LoaderArgs) {
  return { debates: await context.services.listPublishedDebates() };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const { debates } = loaderData;
  const t = useT();
  return (
    <section className="page narrow">
      <h1>{t("home.heading")}</h1>
      <p className="lede">{t("home.lede")}</p>
      <p>
        <Link to="/debates/new" className="button button-primary">
          {t("home.start")}
        </Link>
      </p>
      <section className="callout join-box" aria-labelledby="join-heading">
        <h2 id="join-heading">{t("home.joinHeading")}</h2>
        <p className="muted">{t("home.joinHint")}</p>
        <JoinByCodeForm compact />
      </section>
      <h2>{t("home.openDebates")}</h2>
      {debates.length === 0 ? (
        <p className="empty">{t("home.none")}</p>
      ) : (
        <ul className="debate-list">
          {debates.map((d) => (
            <li key={d.id}>
              <Link to={d.url}>
                <bdi>{d.title}</bdi>
              </Link>{" "}
              <LocalTime iso={d.createdAt} format="date" />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
