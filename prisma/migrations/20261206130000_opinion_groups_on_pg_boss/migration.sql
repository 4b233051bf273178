-- The per-debate compute lease gives way to pg-boss jobs (docs/decisions/0055-opinion-groups-on-pg-boss.md).
ALTER TABLE "OpinionGroupsSnapshot" DROP COLUMN "leaseUntil";
