/**
 * The settings page's refusals (app/routes/debate-settings.tsx) with the field named as the form labels
 * it. The API's sentences name its JSON fields ("points must be at least 1.", with `field`
 * "rateLimits.argument.points"), which is right for a script but not for a person who typed into the
 * "At most" box of the "Arguments" rule; here, by the error's `field`, such a sentence becomes one that
 * names the rule and the box in the page's language and gives the range the box accepts.
 */
import { translate } from "~/i18n/catalogues.server";
import type { Locale } from "~/i18n/locales";
import type { MessageKey } from "~/i18n/messages/en";
import { currentRequestLocale } from "~/i18n/request-locale.server";
import { ErrorCode, type ErrorBody } from "~/shared/errors";
import { DEBATE_RATE_LIMIT_BOUNDS } from "~/shared/management";

/** A rate rule's number boxes, by their API field path (`rateLimits.<rule>.<points|durationSeconds>`). */
const RULE_FIELD = /^rateLimits\.(argument|vote)\.(points|durationSeconds)$/;

const RULE_NAMES: Record<string, MessageKey> = { argument: "settings.page.rule.arguments", vote: "settings.page.rule.votes" };

/**
 * `error` as the settings page shows it: a validation error of a rate rule's box is said again naming
 * the rule and the box as the form labels them ("Arguments, “At most”: give a whole number from 1 to
 * 1,000."), in `locale` (default: the current request's); any other error is returned unchanged.
 */
export function settingsFormError(error: ErrorBody, locale: Locale = currentRequestLocale()): ErrorBody {
  if (error.code !== ErrorCode.validation || !error.field) return error;
  const match = RULE_FIELD.exec(error.field);
  if (!match) return error;
  const rule = translate(locale, RULE_NAMES[match[1]!]!);
  const message =
    match[2] === "points"
      ? translate(locale, "settings.page.invalid.points", { rule, label: translate(locale, "settings.page.rule.points"), min: DEBATE_RATE_LIMIT_BOUNDS.pointsMin, max: DEBATE_RATE_LIMIT_BOUNDS.pointsMax })
      : translate(locale, "settings.page.invalid.seconds", { rule, label: translate(locale, "settings.page.rule.seconds"), min: DEBATE_RATE_LIMIT_BOUNDS.secondsMin, max: DEBATE_RATE_LIMIT_BOUNDS.secondsMax });
  return { ...error, message };
}
