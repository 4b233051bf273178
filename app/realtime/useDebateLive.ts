/**
 * Client side of the socket contract: joins one debate's room, keeps the
 * debate's live state (propositions with tallies, arguments by id, my votes
 * and ratings, presence), applies server events idempotently by id, and
 * resynchronises from GET /api/debates/:id after a reconnect.
 */
import { useCallback, useEffect, useReducer, useRef } from "react";
import { io, type Socket } from "socket.io-client";
import {
  type Ack,
  type ArgumentDTO,
  ClientEvent,
  type ClientToServerEvents,
  type DebateDTO,
  type MyChoicesDTO,
  type ParticipantDTO,
  type PropositionDTO,
  type PropositionWithTallyDTO,
  type RatingTalliedPayload,
  type RatingValue,
  ServerEvent,
  type ServerToClientEvents,
  type VoteTalliedPayload,
  type VoteValue,
} from "~/shared/contract";
import { ErrorCode } from "~/shared/errors";

export type ConnectionStatus = "connecting" | "live" | "reconnecting" | "offline";

export interface LiveState {
  propositions: PropositionWithTallyDTO[];
  arguments: Record<string, ArgumentDTO>;
  myVotes: Record<string, VoteValue>;
  myRatings: Record<string, RatingValue>;
  presence: ParticipantDTO[];
  me: ParticipantDTO | null;
  status: ConnectionStatus;
}

type Action =
  | { type: "snapshot"; debate: DebateDTO }
  | { type: "argument"; argument: ArgumentDTO }
  | { type: "vote"; payload: VoteTalliedPayload }
  | { type: "rating"; payload: RatingTalliedPayload }
  | { type: "proposition"; proposition: PropositionDTO }
  | { type: "presence"; participants: ParticipantDTO[] }
  | { type: "me"; me: ParticipantDTO | null; mine?: MyChoicesDTO }
  | { type: "status"; status: ConnectionStatus };

/** Pure reducer: every event is applied by id, so a repeated event changes nothing. */
export function liveReducer(state: LiveState, action: Action): LiveState {
  switch (action.type) {
    case "snapshot":
      return {
        ...state,
        propositions: action.debate.propositions,
        arguments: Object.fromEntries(action.debate.arguments.map((a) => [a.id, a])),
      };
    case "argument": {
      const existing = state.arguments[action.argument.id];
      if (existing && existing.updatedAt > action.argument.updatedAt) return state;
      return { ...state, arguments: { ...state.arguments, [action.argument.id]: action.argument } };
    }
    case "vote": {
      const { propositionId, tally, participantId, value } = action.payload;
      const propositions = state.propositions.map((p) => (p.id === propositionId ? { ...p, tally } : p));
      if (state.me?.id !== participantId) return { ...state, propositions };
      const myVotes = { ...state.myVotes };
      if (value) myVotes[propositionId] = value;
      else delete myVotes[propositionId];
      return { ...state, propositions, myVotes };
    }
    case "rating": {
      const { argumentId, tally, participantId, value } = action.payload;
      const existing = state.arguments[argumentId];
      const args = existing ? { ...state.arguments, [argumentId]: { ...existing, tally } } : state.arguments;
      if (state.me?.id !== participantId) return { ...state, arguments: args };
      const myRatings = { ...state.myRatings };
      if (value) myRatings[argumentId] = value;
      else delete myRatings[argumentId];
      return { ...state, arguments: args, myRatings };
    }
    case "proposition": {
      const p = action.proposition;
      const found = state.propositions.some((x) => x.id === p.id);
      const propositions = found
        ? state.propositions.map((x) => (x.id === p.id ? { ...x, ...p } : x))
        : [...state.propositions, { ...p, tally: { agree: 0, disagree: 0, unsure: 0, total: 0 } }].sort((a, b) => a.position - b.position);
      return { ...state, propositions };
    }
    case "presence":
      return { ...state, presence: action.participants };
    case "me":
      return action.mine ? { ...state, me: action.me, myVotes: action.mine.votes, myRatings: action.mine.ratings } : { ...state, me: action.me };
    case "status":
      return { ...state, status: action.status };
  }
}

type DebateSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const ACK_TIMEOUT_MS = 10_000;

/**
 * Joins the debate's live room.
 * @param initial the loader's data (so the first render is complete without the socket).
 * @returns the live state and actions that resolve with the server's acknowledgement.
 */
export function useDebateLive(initial: { debate: DebateDTO; me: ParticipantDTO | null; mine: MyChoicesDTO }) {
  const [state, dispatch] = useReducer(liveReducer, undefined, () => ({
    propositions: initial.debate.propositions,
    arguments: Object.fromEntries(initial.debate.arguments.map((a) => [a.id, a])),
    myVotes: initial.mine.votes,
    myRatings: initial.mine.ratings,
    presence: [],
    me: initial.me,
    status: "connecting" as ConnectionStatus,
  }));
  const socketRef = useRef<DebateSocket | null>(null);
  const debateId = initial.debate.id;
  const meId = initial.me?.id ?? null;

  // Joining (or leaving) changes who we are: take the loader's identity and choices,
  // and reconnect below so the socket authenticates with the new cookie.
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    dispatch({ type: "me", me: initial.me, mine: initial.mine });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [meId]);

  useEffect(() => {
    const socket: DebateSocket = io({ auth: { debateId }, withCredentials: true, transports: ["websocket", "polling"] });
    socketRef.current = socket;
    let everConnected = false;
    const resync = async () => {
      try {
        const res = await fetch(`/api/debates/${debateId}`, { credentials: "same-origin" });
        if (res.ok) dispatch({ type: "snapshot", debate: (await res.json()) as DebateDTO });
      } catch {
        /* the next reconnect tries again */
      }
    };
    socket.on("connect", () => {
      dispatch({ type: "status", status: "live" });
      if (everConnected) void resync();
      everConnected = true;
    });
    socket.on("disconnect", () => dispatch({ type: "status", status: "reconnecting" }));
    socket.on("connect_error", () => dispatch({ type: "status", status: navigator.onLine === false ? "offline" : "reconnecting" }));
    socket.on(ServerEvent.welcome, (w) => {
      dispatch({ type: "presence", participants: w.presence });
      dispatch({ type: "me", me: w.participant });
    });
    socket.on(ServerEvent.argumentCreated, (argument) => dispatch({ type: "argument", argument }));
    socket.on(ServerEvent.argumentUpdated, (argument) => dispatch({ type: "argument", argument }));
    socket.on(ServerEvent.voteTallied, (payload) => dispatch({ type: "vote", payload }));
    socket.on(ServerEvent.ratingTallied, (payload) => dispatch({ type: "rating", payload }));
    socket.on(ServerEvent.propositionUpdated, (proposition) => dispatch({ type: "proposition", proposition }));
    socket.on(ServerEvent.presence, ({ participants }) => dispatch({ type: "presence", participants }));
    const offline = () => dispatch({ type: "status", status: "offline" });
    window.addEventListener("offline", offline);
    return () => {
      window.removeEventListener("offline", offline);
      socket.disconnect();
      socketRef.current = null;
    };
  }, [debateId, meId]);

  const send = useCallback(<T,>(event: keyof ClientToServerEvents, payload: unknown): Promise<Ack<T>> => {
    const socket = socketRef.current;
    if (!socket || !socket.connected) {
      return Promise.resolve({ ok: false, error: { code: ErrorCode.internal, message: "You are not connected right now. Your text is kept; try again when the connection is back." } });
    }
    return new Promise((resolve) => {
      (socket.timeout(ACK_TIMEOUT_MS) as unknown as { emit(e: string, p: unknown, cb: (err: Error | null, reply: Ack<T>) => void): void }).emit(event, payload, (err, reply) => {
        if (err) resolve({ ok: false, error: { code: ErrorCode.internal, message: "The server did not answer in time. Your text is kept; please try again." } });
        else resolve(reply);
      });
    });
  }, []);

  const actions = {
    postArgument: async (payload: { propositionId: string; parentId?: string | null; stance: "pro" | "con"; body: unknown; sources: { url: string; title: string; quote?: string }[] }) => {
      const reply = await send<ArgumentDTO>(ClientEvent.postArgument, payload);
      if (reply.ok) dispatch({ type: "argument", argument: reply.data });
      return reply;
    },
    editArgument: async (argumentId: string, body: unknown) => {
      const reply = await send<ArgumentDTO>(ClientEvent.editArgument, { argumentId, body });
      if (reply.ok) dispatch({ type: "argument", argument: reply.data });
      return reply;
    },
    castVote: async (propositionId: string, value: VoteValue | null) => {
      const reply = await send<VoteTalliedPayload>(ClientEvent.castVote, { propositionId, value });
      if (reply.ok) dispatch({ type: "vote", payload: reply.data });
      return reply;
    },
    rateArgument: async (argumentId: string, value: RatingValue | null) => {
      const reply = await send<RatingTalliedPayload>(ClientEvent.rateArgument, { argumentId, value });
      if (reply.ok) dispatch({ type: "rating", payload: reply.data });
      return reply;
    },
  };
  return { state, actions };
}
