import { useState } from "react";
import { Link } from "react-router";
import type { DebateVisibility } from "~/shared/contract";
import { useT, type MessageKey } from "~/i18n/react";

/** What the Share panel shows; only ever given to the debate's facilitators. */
export interface ShareInfo {
  /** "ABCD-EFGH". */
  joinCode: string;
  /** Absolute URL of the join page with the code filled in. */
  joinUrl: string;
  /** Absolute URL of the debate page. */
  debateUrl: string;
  visibility: DebateVisibility;
}

const VISIBILITY_TEXT: Record<DebateVisibility, MessageKey> = {
  public: "share.public",
  unlinked: "share.unlinked",
  private: "share.private",
};

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const t = useT();
  return (
    <button
      type="button"
      className="button button-small"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        );
      }}
    >
      {copied ? t("share.copied") : label}
    </button>
  );
}

/**
 * The facilitators' Share panel on the debate page: the join code in big type
 * (to project for a class), the join link, copy buttons, and a link to the settings.
 */
export function SharePanel({ share, settingsPath }: { share: ShareInfo; settingsPath: string }) {
  const [big, setBig] = useState(false);
  const t = useT();
  const [before, after = ""] = t("share.studentsOpen", { address: "\u0000" }).split("\u0000");
  return (
    <details className="share-panel callout" open={big || undefined}>
      <summary>{t("share.summary")}</summary>
      <div className={big ? "share-big" : undefined}>
        <p className="muted">{t(VISIBILITY_TEXT[share.visibility])}</p>
        <p className="share-code-line">
          <span>{t("join.code")}</span>{" "}
          <strong className="join-code" data-testid="join-code" aria-label={t("share.codeLabel", { code: share.joinCode.split("").join(" ") })}>
            {share.joinCode}
          </strong>
        </p>
        <p className="muted">
          {before}
          <bdi>{new URL(share.joinUrl).origin}/join</bdi>
          {after}
        </p>
        <div className="toolbar">
          <CopyButton text={share.joinCode} label={t("share.copyCode")} />
          <CopyButton text={share.joinUrl} label={t("share.copyJoinLink")} />
          {share.visibility !== "private" ? <CopyButton text={share.debateUrl} label={t("share.copyDebateLink")} /> : null}
          <button type="button" className="button button-small" aria-pressed={big} onClick={() => setBig((b) => !b)}>
            {big ? t("share.smaller") : t("share.big")}
          </button>
          <Link to={settingsPath} className="button button-small">
            {t("debate.settingsLink")}
          </Link>
        </div>
        <label className="field">
          <span>{t("share.joinLink")}</span>
          <input readOnly value={share.joinUrl} onFocus={(e) => e.currentTarget.select()} />
        </label>
      </div>
    </details>
  );
}
