/**
 * "Arguments that moved people" on the results page (issue 13, docs/decisions/0072-what-changed-minds.md):
 * the arguments most often met (read for 3 seconds, opened or rated) before a participant changed
 * their motion vote or a proposition vote, with how many changed minds each is associated with, as
 * aggregated figures only; and, for a participant whose mind changed, their own path. It says that
 * this is association, not causation.
 */
export interface ChangedMindsData {
  changedParticipants: number;
  arguments: { argumentId: string; propositionId: string; excerpt: string; author: string; changedMinds: number }[];
  myPath: { argumentId: string; kind: "viewed" | "opened" | "rated"; at: string; excerpt: string }[] | null;
}

const KIND_WORDS = { viewed: "read", opened: "opened", rated: "rated" } as const;
const people = (n: number) => `${n} ${n === 1 ? "person" : "people"}`;

/** The section; nothing when no participant changed their mind. */
export function ChangedMinds({ data, debateId }: { data: ChangedMindsData; debateId: string }) {
  if (data.changedParticipants === 0) return null;
  return (
    <section className="changed-minds" aria-labelledby="changed-minds-heading" data-testid="changed-minds">
      <h2 id="changed-minds-heading">Arguments that moved people</h2>
      <p className="muted">
        {people(data.changedParticipants)} changed their vote on the motion or on a proposition. Below, the arguments they had read, opened or rated before changing, by how many of
        them did. This shows association, not cause: people change their minds for many reasons.
      </p>
      {data.arguments.length ? (
        <ol className="changed-minds-list">
          {data.arguments.map((a) => (
            <li key={a.argumentId} data-testid="moving-argument">
              <a href={`/debates/${debateId}#arg-${a.argumentId}`}>“{a.excerpt}”</a> <span className="muted">({a.author})</span> —{" "}
              <strong data-testid="moving-count">{people(a.changedMinds)}</strong> met it before changing their mind
            </li>
          ))}
        </ol>
      ) : (
        <p className="empty">None of them had read, opened or rated an argument before changing.</p>
      )}
      {data.myPath ? (
        <>
          <h3>Your path</h3>
          <p className="muted">Only you see this: what you met before you changed your mind, in order.</p>
          {data.myPath.length ? (
            <ol data-testid="my-path">
              {data.myPath.map((s) => (
                <li key={s.argumentId}>
                  You {KIND_WORDS[s.kind]} <a href={`/debates/${debateId}#arg-${s.argumentId}`}>“{s.excerpt}”</a>
                </li>
              ))}
            </ol>
          ) : (
            <p className="empty">You changed your mind without reading, opening or rating an argument first.</p>
          )}
        </>
      ) : null}
    </section>
  );
}
