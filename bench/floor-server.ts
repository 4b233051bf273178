/**
 * The fan-out floor: a bare socket.io server with no database and no
 * validation, configured like Steelman's (same socket.io version, websocket,
 * maxHttpBufferSize), that puts every socket in one room, answers the handshake
 * with a `debate:welcome`, and on `argument:post` acknowledges and broadcasts a
 * `debate:change` of the same shape and size as Steelman's (an ArgumentDTO
 * built from the posted body). What Steelman adds on top of this (validation,
 * the database write, its own bookkeeping) is what bench:fanout measures.
 *
 * Run by bench/fanout.ts as `node --expose-gc --import tsx bench/floor-server.ts` (env PORT).
 * GET /healthz answers 200; GET /metrics[?gc=1] as Steelman's (heap, RSS, sockets).
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { Server } from "socket.io";
import { LIMITS, PROTOCOL_VERSION, ServerEvent, type ArgumentDTO, type DebateChange } from "../app/shared/contract";
import { ClientEvent } from "../app/shared/operations";
import { toPlainText, type ArgumentBody } from "../app/shared/lexical";

const port = Number(process.env.PORT ?? 3502);
const http = createServer((req, res) => {
  if (req.url === "/healthz") {
    res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
  } else if (req.url?.startsWith("/metrics")) {
    // Same shape as Steelman's GET /metrics, so bench:memory can measure the floor the same way.
    if (req.url.includes("gc=1") && typeof globalThis.gc === "function") globalThis.gc();
    const m = process.memoryUsage();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ heapUsedBytes: m.heapUsed, rssBytes: m.rss, connectedSockets: io.engine.clientsCount, uptimeSeconds: Math.round(process.uptime()) }));
  } else {
    res.writeHead(404).end();
  }
});
const io = new Server(http, { maxHttpBufferSize: LIMITS.socketMessageMaxBytes, serveClient: false });
const author = { id: randomUUID(), displayName: "Facilitator", role: "debater" as const };
let seq = 0;

io.on("connection", (socket) => {
  const debateId = String((socket.handshake.auth as { debateId?: string }).debateId ?? "floor");
  const room = `debate:${debateId}`;
  void socket.join(room);
  socket.emit(ServerEvent.welcome, { protocolVersion: PROTOCOL_VERSION, debateId, participant: null, presence: [], seq });
  socket.on(ClientEvent.postArgument, (payload: { propositionId: string; parentId?: string | null; stance: "pro" | "con"; body: ArgumentBody }, ack?: (r: unknown) => void) => {
    const now = new Date().toISOString();
    const data: ArgumentDTO = {
      id: randomUUID(),
      propositionId: payload.propositionId,
      parentId: payload.parentId ?? null,
      stance: payload.stance,
      body: payload.body,
      bodyText: toPlainText(payload.body),
      author,
      sources: [],
      tally: { up: 0, down: 0, score: 0 },
      tallyVersion: 0,
      createdAt: now,
      updatedAt: now,
      editCount: 0,
      deleted: false,
      hidden: null,
      withheld: false,
    };
    const change: DebateChange = { seq: ++seq, kind: "argument.created", data };
    io.to(room).emit(ServerEvent.change, change);
    ack?.({ ok: true, data });
  });
});

http.listen(port, "127.0.0.1", () => console.log(`floor server listening on http://127.0.0.1:${port}`));
const stop = () => {
  setTimeout(() => process.exit(0), 3_000).unref();
  void io.close(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
