/**
 * A small "Host" / "Facilitator" badge next to a participant's name (on
 * arguments and in presence). It comes from the participant's role on the
 * server, not from the name, so nobody can pass as the teacher by calling
 * themselves "Ms Rivera (teacher)". Debaters and observers get none.
 */
import type { ParticipantRole } from "~/shared/contract";
import { useT, type MessageKey } from "~/i18n/react";

const BADGES: Partial<Record<ParticipantRole, { text: MessageKey; title: MessageKey }>> = {
  host: { text: "role.host", title: "role.hostTitle" },
  facilitator: { text: "role.facilitator", title: "role.facilitatorTitle" },
};

/** @param role the participant's role; undefined (e.g. a change stored before roles were sent) shows nothing. */
export function RoleBadge({ role }: { role: ParticipantRole | undefined }) {
  const t = useT();
  const badge = role ? BADGES[role] : undefined;
  if (!badge) return null;
  return (
    <span className={`role-badge role-${role}`} title={t(badge.title)} data-testid="role-badge">
      {t(badge.text)}
    </span>
  );
}
