/**
 * JSON Schemas (draft-07) of the export formats that have one:
 * - DEBATE_V1_SCHEMA: the `json` export, served at GET /api/schema/debate-v1.json.
 * - AIF_SCHEMA: the subset of AIF JSON (AIFdb / OVA) that the `aif` export writes
 *   and the `aif` import reads: `nodes` (nodeID, text, type, timestamp?),
 *   `edges` (edgeID, fromID, toID), optional `locutions`.
 */

const iso = { type: "string", format: "date-time" } as const;
const uuid = { type: "string", format: "uuid" } as const;
const pseudonym = { type: "string", pattern: "^p[0-9]+$" } as const;
const span = {
  type: "object",
  required: ["start", "end"],
  additionalProperties: false,
  properties: { start: { type: "integer", minimum: 0 }, end: { type: "integer", minimum: 0 } },
} as const;
const share = { type: "number", minimum: 0, maximum: 1 } as const;

export const DEBATE_V1_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "/api/schema/debate-v1.json",
  title: "Steelman debate export, version 1",
  description: "A debate as one reader may see it: article, thesis span, propositions, argument tree, sources, votes, ratings, opinion groups and (facilitators only) the audit log. Participants appear as pseudonymous ids p<n> (join order).",
  type: "object",
  required: ["format", "version", "generatedAt", "reader", "debate", "propositions", "participants", "arguments", "votes", "ratings", "groups"],
  additionalProperties: false,
  properties: {
    format: { const: "steelman-debate" },
    version: { const: 1 },
    generatedAt: iso,
    reader: {
      type: "object",
      required: ["facilitator", "names"],
      additionalProperties: false,
      properties: { facilitator: { type: "boolean" }, names: { type: "boolean" } },
    },
    debate: {
      type: "object",
      required: ["id", "title", "status", "visibility", "sourceUrl", "sourceText", "thesis", "createdAt", "publishedAt", "closedAt"],
      additionalProperties: false,
      properties: {
        id: uuid,
        title: { type: "string" },
        status: { enum: ["draft", "published", "closed"] },
        visibility: { enum: ["public", "unlinked", "private"] },
        sourceUrl: { type: ["string", "null"] },
        sourceText: { type: "string" },
        thesis: {
          type: "object",
          required: ["heading", "start", "end"],
          additionalProperties: false,
          properties: { heading: { type: ["string", "null"] }, start: { type: "integer", minimum: 0 }, end: { type: "integer", minimum: 0 } },
        },
        createdAt: iso,
        publishedAt: { anyOf: [iso, { type: "null" }] },
        closedAt: { anyOf: [iso, { type: "null" }] },
      },
    },
    propositions: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "index", "position", "text", "span", "meta", "hidden", "locked", "tally", "createdAt"],
        additionalProperties: false,
        properties: {
          id: uuid,
          index: { type: "integer", minimum: 0 },
          position: { type: "integer" },
          text: { type: "string", minLength: 1 },
          span: { anyOf: [span, { type: "null" }] },
          meta: { type: "boolean" },
          hidden: { type: "boolean" },
          locked: { type: "boolean" },
          tally: {
            type: "object",
            required: ["agree", "disagree", "unsure"],
            additionalProperties: false,
            properties: { agree: { type: "integer", minimum: 0 }, disagree: { type: "integer", minimum: 0 }, unsure: { type: "integer", minimum: 0 } },
          },
          createdAt: iso,
        },
      },
    },
    participants: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "number", "role", "externalId", "joinedAt", "groupId"],
        additionalProperties: false,
        properties: {
          id: pseudonym,
          number: { type: "integer", minimum: 0 },
          role: { enum: ["host", "facilitator", "debater", "observer"] },
          name: { type: "string" },
          externalId: { type: ["string", "null"] },
          joinedAt: iso,
          groupId: { type: ["integer", "null"] },
        },
      },
    },
    arguments: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "propositionId", "parentId", "stance", "body", "bodyText", "author", "createdAt", "updatedAt", "editCount", "deleted", "hidden", "sources", "ratings"],
        additionalProperties: false,
        properties: {
          id: uuid,
          propositionId: uuid,
          parentId: { anyOf: [uuid, { type: "null" }] },
          stance: { enum: ["pro", "con"] },
          body: { type: "object", required: ["root"], description: "Lexical editor state (app/shared/lexical.ts allow-list)" },
          bodyText: { type: "string" },
          author: pseudonym,
          authorName: { type: "string" },
          createdAt: iso,
          updatedAt: iso,
          editCount: { type: "integer", minimum: 0 },
          deleted: { type: "boolean" },
          hidden: {
            anyOf: [
              { type: "object", required: ["reason", "at"], additionalProperties: false, properties: { reason: { type: "string" }, at: iso } },
              { type: "null" },
            ],
          },
          sources: {
            type: "array",
            items: {
              type: "object",
              required: ["url", "title", "quote"],
              additionalProperties: false,
              properties: { url: { type: "string" }, title: { type: "string" }, quote: { type: ["string", "null"] } },
            },
          },
          ratings: {
            type: "object",
            required: ["up", "down"],
            additionalProperties: false,
            properties: { up: { type: "integer", minimum: 0 }, down: { type: "integer", minimum: 0 } },
          },
        },
      },
    },
    votes: {
      type: "array",
      items: {
        type: "object",
        required: ["participant", "propositionId", "value", "at"],
        additionalProperties: false,
        properties: { participant: pseudonym, propositionId: uuid, value: { enum: ["agree", "disagree", "unsure"] }, at: iso },
      },
    },
    ratings: {
      type: "array",
      items: {
        type: "object",
        required: ["participant", "argumentId", "value", "at"],
        additionalProperties: false,
        properties: { participant: pseudonym, argumentId: uuid, value: { enum: ["up", "down"] }, at: iso },
      },
    },
    groups: {
      anyOf: [
        { type: "null" },
        {
          type: "object",
          required: ["computedAt", "groups", "consensus", "divisive"],
          additionalProperties: false,
          properties: {
            computedAt: { anyOf: [iso, { type: "null" }] },
            groups: {
              type: "array",
              items: {
                type: "object",
                required: ["id", "size", "members", "representative"],
                additionalProperties: false,
                properties: {
                  id: { type: "integer", minimum: 0 },
                  size: { type: "integer", minimum: 0 },
                  members: { type: "array", items: pseudonym },
                  representative: {
                    type: "array",
                    items: {
                      type: "object",
                      required: ["propositionId", "direction", "agreeShare", "disagreeShare"],
                      additionalProperties: false,
                      properties: { propositionId: uuid, direction: { enum: ["agree", "disagree"] }, agreeShare: share, disagreeShare: share },
                    },
                  },
                },
              },
            },
            consensus: {
              type: "array",
              items: {
                type: "object",
                required: ["propositionId", "direction", "groupInformedConsensus"],
                additionalProperties: false,
                properties: { propositionId: uuid, direction: { enum: ["agree", "disagree"] }, groupInformedConsensus: { type: "number" } },
              },
            },
            divisive: {
              type: "array",
              items: {
                type: "object",
                required: ["propositionId", "spread"],
                additionalProperties: false,
                properties: { propositionId: uuid, spread: { type: "number" } },
              },
            },
          },
        },
      ],
    },
    decisions: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "text", "propositionIds", "proposedBy", "createdAt", "closedAt", "outcome", "outcomeNote", "counts", "responses"],
        additionalProperties: false,
        properties: {
          id: uuid,
          text: { type: "string" },
          propositionIds: { type: "array", items: uuid },
          proposedBy: pseudonym,
          createdAt: iso,
          closedAt: { anyOf: [iso, { type: "null" }] },
          outcome: { enum: ["adopted", "rejected", "withdrawn", null] },
          outcomeNote: { type: ["string", "null"] },
          counts: {
            type: "object",
            required: ["agree", "abstain", "disagree", "block"],
            additionalProperties: false,
            properties: { agree: { type: "integer", minimum: 0 }, abstain: { type: "integer", minimum: 0 }, disagree: { type: "integer", minimum: 0 }, block: { type: "integer", minimum: 0 } },
          },
          responses: {
            type: "array",
            items: {
              type: "object",
              required: ["participant", "value", "reason", "citedArgumentIds", "at"],
              additionalProperties: false,
              properties: {
                participant: pseudonym,
                participantName: { type: "string" },
                value: { enum: ["agree", "abstain", "disagree", "block"] },
                reason: { type: ["string", "null"] },
                citedArgumentIds: { type: "array", items: uuid },
                at: iso,
              },
            },
          },
        },
      },
    },
    phases: {
      description: "The phase history of a classroom or Oxford debate, oldest first (from the audit log; for every reader).",
      type: "array",
      items: {
        type: "object",
        required: ["at", "action", "from", "to"],
        additionalProperties: false,
        properties: {
          at: iso,
          action: { enum: ["start", "pause", "resume", "extend", "next", "previous", "show-results"] },
          from: { type: ["string", "null"] },
          to: { type: ["string", "null"] },
          seconds: { type: "integer", minimum: 1 },
        },
      },
    },
    audit: {
      type: "array",
      items: {
        type: "object",
        required: ["at", "actor", "action", "targetType", "targetId", "reason", "details"],
        additionalProperties: false,
        properties: {
          at: iso,
          actor: { anyOf: [pseudonym, { type: "null" }] },
          actorName: { type: "string" },
          action: { type: "string" },
          targetType: { type: "string" },
          targetId: { type: ["string", "null"] },
          reason: { type: ["string", "null"] },
          details: {},
        },
      },
    },
  },
} as const;

const id = { type: ["string", "integer"] } as const;

export const AIF_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "/api/schema/aif.json",
  title: "AIF JSON (AIFdb / OVA)",
  type: "object",
  required: ["nodes", "edges"],
  properties: {
    nodes: {
      type: "array",
      items: {
        type: "object",
        required: ["nodeID", "text", "type"],
        properties: {
          nodeID: id,
          text: { type: "string" },
          type: { enum: ["I", "L", "RA", "CA", "MA", "TA", "YA", "PA"] },
          timestamp: { type: "string" },
          scheme: { type: "string" },
        },
      },
    },
    edges: {
      type: "array",
      items: {
        type: "object",
        required: ["fromID", "toID"],
        properties: { edgeID: id, fromID: id, toID: id, formEdgeID: {} },
      },
    },
    locutions: { type: "array" },
  },
} as const;
