/**
 * "Arguments that moved people" on the results page (issue 13, docs/decisions/0072-what-changed-minds.md):
 * the arguments most often met (read for 3 seconds, opened or rated) before a participant changed
 * their motion vote or a proposition vote, with how many changed minds each is associated with, as
 * aggregated figures only; and, for a participant whose mind changed, their own path. It says that
 * this is association, not causation. In projector mode (`projector`) the room sees the aggregated
 * figures only: no one's path, and no links (the projector has no controls).
 */
import { useContentLanguage } from "~/i18n/content-language";
import { useT } from "~/i18n/react";
import { Sentence } from "./Sentence";

export interface ChangedMindsData {
  changedParticipants: number;
  arguments: { argumentId: string; propositionId: string; excerpt: string; author: string; changedMinds: number }[];
  myPath: { argumentId: string; kind: "viewed" | "opened" | "rated"; at: string; excerpt: string }[] | null;
}


/** The section; nothing when no participant changed their mind. */
export function ChangedMinds({ data, debateId, projector = false }: { data: ChangedMindsData; debateId: string; projector?: boolean }) {
  const t = useT();
  const contentLanguage = useContentLanguage();
  if (data.changedParticipants === 0) return null;
  return (
    <section className={`changed-minds${projector ? " projector-changed-minds" : ""}`} aria-labelledby="changed-minds-heading" data-testid="changed-minds">
      <h2 id="changed-minds-heading">{t("results.changed.heading")}</h2>
      <p className="muted">{t("results.changed.intro", { count: data.changedParticipants })}</p>
      {data.arguments.length ? (
        <ol className="changed-minds-list">
          {data.arguments.map((a) => (
            <li key={a.argumentId} data-testid="moving-argument">
              {projector ? (
                <q lang={contentLanguage}>{a.excerpt}</q>
              ) : (
                <a href={`/debates/${debateId}#arg-${a.argumentId}`}>
                  <Sentence id="results.quoted" nodes={{ text: <span lang={contentLanguage}>{a.excerpt}</span> }} />
                </a>
              )}{" "}
              <span className="muted">
                (<bdi>{a.author}</bdi>)
              </span>{" "}
              —{" "}
              <Sentence
                id="results.changed.met"
                values={{ count: a.changedMinds }}
                nodes={{ people: <strong data-testid="moving-count">{t("results.changed.people", { count: a.changedMinds })}</strong> }}
              />
            </li>
          ))}
        </ol>
      ) : (
        <p className="empty">{t("results.changed.noneMet")}</p>
      )}
      {data.myPath && !projector ? (
        <>
          <h3>{t("results.changed.yourPath")}</h3>
          <p className="muted">{t("results.changed.onlyYou")}</p>
          {data.myPath.length ? (
            <ol data-testid="my-path">
              {data.myPath.map((s) => (
                <li key={s.argumentId}>
                  <Sentence
                    id="results.changed.step"
                    values={{ kind: s.kind }}
                    nodes={{
                      argument: (
                        <a href={`/debates/${debateId}#arg-${s.argumentId}`}>
                          <Sentence id="results.quoted" nodes={{ text: <span lang={contentLanguage}>{s.excerpt}</span> }} />
                        </a>
                      ),
                    }}
                  />
                </li>
              ))}
            </ol>
          ) : (
            <p className="empty">{t("results.changed.noPath")}</p>
          )}
        </>
      ) : null}
    </section>
  );
}
