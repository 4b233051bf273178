import { Form, useNavigation } from "react-router";
import { FormError } from "~/components/FormError";
import { LIMITS } from "~/shared/contract";
import { JOIN_CODE_INPUT_MAX_CHARS } from "~/shared/management";
import { useT } from "~/i18n/react";

/** A join code and a display name, posted to /join (the join page and the home page's box). */
export function JoinByCodeForm({ code, displayName, role, error, field, compact }: { code?: string; displayName?: string; role?: string; error?: string; field?: string; compact?: boolean }) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formAction === "/join";
  const t = useT();
  return (
    <Form method="post" action="/join" className="join-form join-code-form" aria-label={t("join.formLabel")}>
      <label className="field">
        <span>{t("join.code")}</span>
        <input
          name="code"
          required
          maxLength={JOIN_CODE_INPUT_MAX_CHARS}
          defaultValue={code}
          placeholder="ABCD-EFGH"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          className="join-code-input"
          aria-invalid={field === "code" || undefined}
          aria-describedby={field === "code" ? "join-error" : undefined}
        />
      </label>
      <label className="field">
        <span>{t("join.displayName")}</span>
        <input name="displayName" required maxLength={LIMITS.displayNameMaxChars} defaultValue={displayName} autoComplete="nickname" aria-invalid={field === "displayName" || undefined} />
      </label>
      {compact ? null : (
        <fieldset className="stance-picker">
          <legend>{t("join.how")}</legend>
          <label>
            <input type="radio" name="role" value="debater" defaultChecked={role !== "observer"} /> {t("join.takePart")}
          </label>
          <label>
            <input type="radio" name="role" value="observer" defaultChecked={role === "observer"} /> {t("join.justWatch")}
          </label>
        </fieldset>
      )}
      <button type="submit" className="button button-primary" disabled={busy}>
        {t("join.submit")}
      </button>
      <FormError id="join-error" message={error} />
    </Form>
  );
}

