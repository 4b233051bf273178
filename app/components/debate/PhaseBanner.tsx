/**
 * The phase banner of a classroom or Oxford debate (issue 13), for everyone: the phase's name and
 * number, what it asks of the room, and a countdown computed from the server's clock
 * (`endsAt − (Date.now() + clockOffsetMs)`, docs/decisions/0070-phases-server-clock.md), so every
 * screen shows the same time, also after a reload or a reconnect. Facilitators get the controls
 * (start, pause, resume, +1 min, previous, next): plain buttons, each disabled with its reason
 * when it does not apply now. `large` is the projector's version (phase and timer in large type).
 */
import { useEffect, useState } from "react";
import type { Ack, PhaseStateDTO } from "~/shared/contract";
import { useT, type MessageKey, type Translate } from "~/i18n/react";
import { useRefusalText } from "~/i18n/refusal";
import { PHASE_KEYS, timerStatus, type PhaseAction, type PhaseName, type PhaseState, type Refusal } from "~/shared/phases";

/** The pure state of a phase DTO (for the timer functions). */
export function phaseStateOfDTO(dto: PhaseStateDTO): PhaseState | null {
  if (!dto.phase) return null;
  const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));
  const index = dto.phases.findIndex((p) => p.name === dto.phase!.name);
  return { index, startedAt: ms(dto.phase.startedAt), endsAt: ms(dto.phase.endsAt), pausedAt: ms(dto.phase.pausedAt), version: dto.phaseVersion, durations: null };
}

/** Milliseconds left now, by the server's clock; null: no timer. */
export function timeLeftMs(dto: PhaseStateDTO, clockOffsetMs: number, localNow: number): number | null {
  const state = phaseStateOfDTO(dto);
  if (!state) return null;
  const status = timerStatus(state);
  if (status === "untimed") return null;
  if (status === "waiting") {
    const d = dto.phases[state.index]?.durationSeconds;
    return d == null ? null : d * 1000;
  }
  const until = status === "paused" ? state.pausedAt! : localNow + clockOffsetMs;
  return Math.max(0, state.endsAt! - until);
}

/**
 * What the phase banner's polite live region says (issue 16, "the phase timer at meaningful
 * moments"): the sentence changes only when the phase, or the timer's state, changes (started,
 * paused, under a minute left, time up), never with each tick, so a screen reader speaks it a few
 * times per phase. `leftMs` is the time left (null: no timer); `label` the phase's name, translated.
 */
export function phaseAnnouncement(t: Translate, label: string, status: ReturnType<typeof timerStatus>, leftMs: number | null): string {
  if (status === "waiting") return t("phaseBanner.announce.waiting", { label });
  if (status === "paused") return t("phaseBanner.announce.paused", { label });
  if (status === "untimed" || leftMs === null) return t("phaseBanner.announce.untimed", { label });
  if (leftMs === 0) return t("phaseBanner.announce.timeUp", { label });
  if (leftMs <= 60_000) return t("phaseBanner.announce.lastMinute", { label });
  return t("phaseBanner.announce.running", { label });
}

/** What the results page passes as `runRefusal`: the phases are run from the debate page. */
export const RUN_FROM_DEBATE_PAGE: Refusal = { key: "phaseBanner.runFromDebatePage", text: "Run the phases from the debate page." };

/** "12:05" (minutes:seconds, rounded up so that 0:00 means time is up). */
export function formatClock(ms: number): string {
  const total = Math.ceil(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

/** Re-renders every half second while `on`. */
function useTicker(on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [on]);
  return now;
}

export interface PhaseBannerProps {
  phase: PhaseStateDTO;
  clockOffsetMs: number;
  /** Whether the viewer may run the phases (decideRefusal(…, Action.runPhases)); null: they may, otherwise the reason. */
  runRefusal: Refusal | null;
  /** True when the viewer is a facilitator (sees results and the controls). */
  facilitator: boolean;
  onAction?: (action: PhaseAction, version: number) => Promise<Ack<unknown>>;
  large?: boolean;
}

export function PhaseBanner({ phase, clockOffsetMs, runRefusal, facilitator, onAction, large = false }: PhaseBannerProps) {
  const state = phaseStateOfDTO(phase);
  const status = state ? timerStatus(state) : null;
  const now = useTicker(status === "running");
  const [error, setError] = useState<string | null>(null);
  const t = useT();
  const refusalText = useRefusalText();
  if (!phase.phase || !state || !status) return null;
  const name = phase.phase.name as PhaseName;
  const keys = PHASE_KEYS[name];
  const text = keys ? { label: t(keys.label), ask: t(keys.ask) } : { label: name, ask: "" };
  const left = timeLeftMs(phase, clockOffsetMs, now);
  const last = state.index >= phase.phases.length - 1;
  const timeUp = status === "running" && left === 0;
  const timerWords =
    status === "waiting"
      ? left === null
        ? t("phaseBanner.notStartedNoTimer")
        : t("phaseBanner.notStarted", { clock: formatClock(left) })
      : status === "paused"
        ? t("phaseBanner.pausedAt", { clock: formatClock(left ?? 0) })
        : status === "untimed"
          ? ""
          : timeUp
            ? t("phaseBanner.timeUp")
            : formatClock(left ?? 0);

  const act = async (action: PhaseAction) => {
    if (!onAction) return;
    setError(null);
    const reply = await onAction(action, phase.phaseVersion);
    if (!reply.ok) setError(reply.error.message);
  };
  /** Each control: enabled, or disabled with the reason shown next to it. */
  const controls: { action: PhaseAction; label: MessageKey; refusal: MessageKey | null }[] = [
    { action: "start", label: "phaseBanner.start", refusal: status === "waiting" ? null : "phaseBanner.alreadyStarted" },
    { action: "pause", label: "phaseBanner.pause", refusal: status === "running" ? null : status === "paused" ? "phaseBanner.alreadyPaused" : status === "waiting" ? "phaseBanner.notStartedYet" : "phaseBanner.noTimer" },
    { action: "resume", label: "phaseBanner.resume", refusal: status === "paused" ? null : "phaseBanner.notPaused" },
    { action: "extend", label: "phaseBanner.extend", refusal: status === "untimed" || left === null ? "phaseBanner.noTimer" : null },
    { action: "previous", label: "phaseBanner.previous", refusal: state.index > 0 ? null : "phaseBanner.first" },
    { action: "next", label: "phaseBanner.next", refusal: last ? "phaseBanner.last" : null },
  ];

  return (
    <section className={`phase-banner${large ? " phase-banner-large" : ""}${timeUp ? " phase-time-up" : ""}`} aria-label={t("phaseBanner.label")} data-testid="phase-banner" data-phase={name} data-timer={status}>
      <div className="phase-head">
        <p className="phase-step muted">
          {t("phaseBanner.step", { format: phase.format, n: state.index + 1, total: phase.phases.length })}
        </p>
        <h2 className="phase-name" data-testid="phase-name">
          {text.label}
        </h2>
        {/* The timer itself is not live (it ticks); this sentence changes only at meaningful moments. */}
        <p className="visually-hidden" aria-live="polite" data-testid="phase-announcer">
          {phaseAnnouncement(t, text.label, status, left)}
        </p>
        {timerWords ? (
          <p className="phase-timer" role="timer" aria-live="off" data-testid="phase-timer">
            {timerWords}
          </p>
        ) : null}
      </div>
      <p className="phase-ask" data-testid="phase-ask">
        {text.ask}
        {timeUp ? ` ${t("phaseBanner.timeUpMoveOn")}` : ""}
        {!facilitator && name !== "results" && !phase.resultsShown ? ` ${t("phaseBanner.countsLater")}` : ""}
      </p>
      {facilitator && onAction && !large ? (
        <div className="phase-controls" role="group" aria-label={t("phaseBanner.controls")}>
          {runRefusal ? (
            <p className="muted">{refusalText(runRefusal)}</p>
          ) : (
            controls.map((c) => (
              <span key={c.action} className="phase-control">
                <button type="button" className={`button button-small${c.action === "next" ? " button-primary" : ""}`} disabled={c.refusal !== null} aria-describedby={c.refusal ? `phase-why-${c.action}` : undefined} onClick={() => void act(c.action)} data-testid={`phase-${c.action}`}>
                  {t(c.label)}
                </button>
                {c.refusal ? (
                  <span id={`phase-why-${c.action}`} className="visually-hidden">
                    {t(c.refusal)}
                  </span>
                ) : null}
              </span>
            ))
          )}
          {error ? (
            <p className="form-error" role="alert" data-testid="phase-error">
              {error}
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
