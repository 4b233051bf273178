/**
 * CPU time accounting from /proc (Linux): how many CPU-seconds the server
 * process, the PostgreSQL processes, and the whole machine used during a
 * measured interval. On a 2-core machine this tells whether a run was bound
 * by the server's one JavaScript thread (≈ 1 CPU-second per second), by the
 * database, or by neither (waiting: locks, fsync, round trips).
 */
import { readFileSync, readdirSync } from "node:fs";
import os from "node:os";

const TICKS = 100; // USER_HZ on Linux

/** utime + stime of one process, in seconds (0 when it is gone). */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of every process named `name` (e.g. "postgres"): the live ones'
 * own time, plus, for the parent of them all (the postmaster), the time of its
 * children that have already exited (cutime + cstime), so that a backend
 * ending during the interval does not take its CPU time with it.
 */
export function namedCpuSeconds(name: string): number {
  const procs: { pid: number; ppid: number; own: number; children: number }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) !== name) continue;
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      procs.push({ pid: Number(entry), ppid: Number(f[1]), own: (Number(f[11]) + Number(f[12])) / TICKS, children: (Number(f[13]) + Number(f[14])) / TICKS });
    } catch {
      // process ended meanwhile
    }
  }
  const pids = new Set(procs.map((p) => p.pid));
  return procs.reduce((n, p) => n + p.own + (pids.has(p.ppid) ? 0 : p.children), 0);
}

/** Busy CPU seconds of the whole machine (all cores), from /proc/stat. */
export function machineBusySeconds(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line;
  void idle;
  void iowait;
  return (user + nice + system + irq + softirq + (steal ?? 0)) / TICKS;
}

export interface CpuMeter {
  /** CPU-seconds used since start by the server, by PostgreSQL, by the benchmark's client workers, and by the machine, plus wall seconds. */
  stop(): { wall: number; server: number; postgres: number; clients: number; machine: number; cores: number };
}

/** Starts measuring; `serverPid` is the bench server's process id, `clientPids` the client workers'. */
export function meterCpu(serverPid: number, clientPids: number[] = []): CpuMeter {
  const clientCpu = () => clientPids.reduce((n, pid) => n + processCpuSeconds(pid), 0);
  const t0 = performance.now();
  const c0 = clientCpu();
  const s0 = processCpuSeconds(serverPid);
  const p0 = namedCpuSeconds("postgres");
  const m0 = machineBusySeconds();
  return {
    stop() {
      return {
        wall: (performance.now() - t0) / 1000,
        server: processCpuSeconds(serverPid) - s0,
        postgres: namedCpuSeconds("postgres") - p0,
        clients: clientCpu() - c0,
        machine: machineBusySeconds() - m0,
        cores: os.cpus().length,
      };
    },
  };
}

/** "server 0.93 CPU (93 % of a core), PostgreSQL 0.55 CPU, machine 1.9 of 2 cores busy" — averages over the interval. */
export function describeCpu(c: ReturnType<CpuMeter["stop"]>): string {
  const per = (x: number) => (x / c.wall).toFixed(2);
  return `server process ${per(c.server)} cores, PostgreSQL ${per(c.postgres)} cores, client workers ${per(c.clients)} cores, whole machine ${per(c.machine)} of ${c.cores} cores busy (averages over ${c.wall.toFixed(1)} s)`;
}
