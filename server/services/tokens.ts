/**
 * Participant secrets. A participant proves who they are with a random
 * 256-bit token (cookie in browsers, Bearer header or handshake auth in
 * scripts); only its SHA-256 hash is stored, so a database dump cannot be
 * replayed. SHA-256 (not a slow password hash) is right here because the
 * token is high-entropy random data, not a human-chosen password.
 */
import { createHash, randomBytes } from "node:crypto";

/** A new token: 43 URL-safe base64 characters (32 random bytes). */
export function newParticipantToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Hex SHA-256 of the token, as stored in Participant.tokenHash. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
