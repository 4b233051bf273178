-- The hidden threads of a debate (server/services/threads.ts hiddenThreadMembers), read on every argument
-- page, search, catch-up and debate frame, started from "debateId" = $1 AND "hiddenAt" IS NOT NULL and
-- read all of the debate's arguments to find the few hidden ones (EXPLAIN ANALYZE on the large debate:
-- 10,000 rows removed by the filter, 13–35 ms; docs/performance.md "Query plans"). A partial index holds
-- only hidden arguments, so that start is an index lookup of a handful of rows.
-- Partial indexes are not stated in prisma/schema.prisma (as the full-text indexes of 20261206171000): kept here only.
CREATE INDEX "Argument_debateId_hidden_idx" ON "Argument"("debateId") WHERE "hiddenAt" IS NOT NULL;
