/**
 * The "choose a password" field of the sign-up, reset-password and
 * change-password pages: a password input (autocomplete new-password,
 * PASSWORD_MIN_CHARS to PASSWORD_MAX_CHARS characters, from
 * app/shared/accounts.ts) with its hint below it. The server refuses common
 * and predictable passwords (server/services/passwords.ts) and says why in
 * `#password-error`, which the page renders inside the label as `children`
 * or after it; the input is described by `#password-hint`, and also by
 * `#password-error` when `invalid`.
 */
import type { ReactNode } from "react";
import { useT } from "~/i18n/react";
import { PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS } from "~/shared/accounts";

/** `label`: the field's visible name; `advice`: a sentence added after the length hint (both in the page's language); `children`: shown after the hint, inside the label. */
export function NewPasswordField({ label, advice, invalid, name = "password", children }: { label: string; advice?: string; invalid: boolean; name?: string; children?: ReactNode }) {
  const t = useT();
  return (
    <label className="field">
      <span>{label}</span>
      <input
        name={name}
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN_CHARS}
        maxLength={PASSWORD_MAX_CHARS}
        aria-invalid={invalid}
        aria-describedby={invalid ? "password-error password-hint" : "password-hint"}
      />
      <span id="password-hint" className="muted">
        {t("auth.newPassword.hint", { min: PASSWORD_MIN_CHARS })}
        {advice ? ` ${advice}` : null}
      </span>
      {children}
    </label>
  );
}
