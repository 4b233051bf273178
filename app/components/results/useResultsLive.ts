/**
 * Keeps a results page current: its own socket.io connection to the debate's
 * room (the same handshake as the debate page: `auth.debateId`, cookies),
 * re-running the page's loader when new opinion groups are stored
 * (`results:updated`) or a tally changes (`vote:tallied`, `rating:tallied`),
 * at most once per `minIntervalMs`. Separate from app/realtime/ on purpose:
 * a results page reads, it never writes.
 */
import { useEffect, useRef, useState } from "react";
import { useRevalidator } from "react-router";
import { io, type Socket } from "socket.io-client";
import { ServerEvent, type ServerToClientEvents } from "~/shared/contract";
import type { ClientToServerEvents } from "~/shared/operations";

export type ResultsConnection = "connecting" | "live" | "offline";

/**
 * @param debateId the debate whose room to join
 * @param pending true while the opinion groups are still being computed: the page also re-reads every 3 s
 * @param minIntervalMs fewest milliseconds between two re-reads
 */
export function useResultsLive(debateId: string, pending = false, minIntervalMs = 1_000): ResultsConnection {
  return useResultsLiveWithClock(debateId, pending, minIntervalMs).status;
}

/**
 * useResultsLive, plus the server's clock offset measured at the welcome (server − local, ms) for the
 * projector's phase timer; it also re-reads on phase changes and motion votes (`debate.phase`, `motion.tallied`, `decision.updated`).
 */
export function useResultsLiveWithClock(debateId: string, pending = false, minIntervalMs = 1_000): { status: ResultsConnection; clockOffsetMs: number } {
  const [clockOffsetMs, setClockOffsetMs] = useState(0);
  const revalidator = useRevalidator();
  const revalidateRef = useRef(revalidator.revalidate);
  revalidateRef.current = revalidator.revalidate;
  const [status, setStatus] = useState<ResultsConnection>("connecting");
  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refresh = () => {
      if (timer) return;
      const wait = Math.max(0, last + minIntervalMs - Date.now());
      timer = setTimeout(() => {
        timer = null;
        last = Date.now();
        void revalidateRef.current();
      }, wait);
    };
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      auth: (cb) => cb({ debateId }),
      withCredentials: true,
      transports: ["websocket", "polling"],
    });
    // (Re)connected: re-read once, for whatever changed while the page was rendered or offline.
    socket.on("connect", () => {
      setStatus("live");
      refresh();
    });
    socket.on("disconnect", () => setStatus("offline"));
    socket.on("connect_error", () => setStatus("offline"));
    socket.on(ServerEvent.resultsUpdated, refresh);
    socket.on(ServerEvent.voteTallied, refresh);
    socket.on(ServerEvent.ratingTallied, refresh);
    socket.on(ServerEvent.welcome, (w) => {
      if (w.serverTime) setClockOffsetMs(Date.parse(w.serverTime) - Date.now());
    });
    socket.on(ServerEvent.change, (c) => {
      if (c.kind === "debate.phase" || c.kind === "motion.tallied" || c.kind === "decision.updated") refresh();
    });
    return () => {
      if (timer) clearTimeout(timer);
      socket.close();
    };
  }, [debateId, minIntervalMs]);
  useEffect(() => {
    if (!pending) return;
    const poll = setInterval(() => void revalidateRef.current(), 3_000);
    return () => clearInterval(poll);
  }, [pending]);
  return { status, clockOffsetMs };
}
