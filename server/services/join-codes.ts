/**
 * Join codes: what a class types to join a debate without an email.
 * Eight characters from a 32-letter alphabet without look-alikes (no I, O, 0, 1):
 * 32^8 ≈ 1.1 × 10^12 codes, so guessing one (joins are rate-limited per address)
 * is hopeless. Shown grouped as "ABCD-EFGH"; typed in any case, with or without
 * spaces or the dash.
 */
import { randomInt } from "node:crypto";

export const JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const JOIN_CODE_LENGTH = 8;

/** A new random join code (8 characters, uppercase, no dash). Uses crypto.randomInt (uniform). */
export function newJoinCode(): string {
  let code = "";
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/**
 * The canonical form of what someone typed: uppercase, spaces and dashes removed.
 * @returns null when it cannot be a join code (wrong length or characters).
 */
export function normalizeJoinCode(typed: string): string | null {
  const code = typed.normalize("NFKC").toUpperCase().replace(/[\s\-–—]/g, "");
  if (code.length !== JOIN_CODE_LENGTH) return null;
  for (const ch of code) if (!JOIN_CODE_ALPHABET.includes(ch)) return null;
  return code;
}

/** "ABCDEFGH" → "ABCD-EFGH", for display. */
export const formatJoinCode = (code: string): string => `${code.slice(0, 4)}-${code.slice(4)}`;
