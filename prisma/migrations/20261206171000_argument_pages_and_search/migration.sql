-- Pages of a proposition's arguments and full-text search (docs/decisions/0024-argument-pages-and-search.md).
CREATE INDEX "Argument_propositionId_parentId_createdAt_id_idx" ON "Argument"("propositionId", "parentId", "createdAt", "id");

-- Full-text search on the stored plain-text copies, 'simple' configuration (no stemming: any language).
-- Expression indexes Prisma's schema cannot state: kept here only (the ADR says so).
CREATE INDEX "Argument_bodyText_fts_idx" ON "Argument" USING GIN (to_tsvector('simple', "bodyText"));
CREATE INDEX "Proposition_text_fts_idx" ON "Proposition" USING GIN (to_tsvector('simple', text));
