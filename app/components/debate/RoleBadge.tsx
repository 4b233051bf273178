/**
 * A small "Host" / "Facilitator" badge next to a participant's name (on
 * arguments and in presence). It comes from the participant's role on the
 * server, not from the name, so nobody can pass as the teacher by calling
 * themselves "Ms Rivera (teacher)". Debaters and observers get none.
 */
import type { ParticipantRole } from "~/shared/contract";

const BADGES: Partial<Record<ParticipantRole, { text: string; title: string }>> = {
  host: { text: "Host", title: "The host: runs this debate" },
  facilitator: { text: "Facilitator", title: "A facilitator: helps run this debate" },
};

/** @param role the participant's role; undefined (e.g. a change stored before roles were sent) shows nothing. */
export function RoleBadge({ role }: { role: ParticipantRole | undefined }) {
  const badge = role ? BADGES[role] : undefined;
  if (!badge) return null;
  return (
    <span className={`role-badge role-${role}`} title={badge.title} data-testid="role-badge">
      {badge.text}
    </span>
  );
}
