import { useState } from "react";
import { Link } from "react-router";
import type { DebateVisibility } from "~/shared/contract";

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

const VISIBILITY_TEXT: Record<DebateVisibility, string> = {
  public: "Public: listed on the home page; anyone can read and join.",
  unlinked: "Unlinked: anyone with the link can read and join; not listed.",
  private: "Private: only people with the join code can read and join.",
};

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
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
      {copied ? "Copied" : label}
    </button>
  );
}

/**
 * The facilitators' Share panel on the debate page: the join code in big type
 * (to project for a class), the join link, copy buttons, and a link to the settings.
 */
export function SharePanel({ share, settingsPath }: { share: ShareInfo; settingsPath: string }) {
  const [big, setBig] = useState(false);
  return (
    <details className="share-panel callout" open={big || undefined}>
      <summary>Share: join code and link</summary>
      <div className={big ? "share-big" : undefined}>
        <p className="muted">{VISIBILITY_TEXT[share.visibility]}</p>
        <p className="share-code-line">
          <span>Join code</span>{" "}
          <strong className="join-code" data-testid="join-code" aria-label={`Join code ${share.joinCode.split("").join(" ")}`}>
            {share.joinCode}
          </strong>
        </p>
        <p className="muted">
          Students open <bdi>{new URL(share.joinUrl).origin}/join</bdi>, type the code and a display name: no email needed.
        </p>
        <div className="toolbar">
          <CopyButton text={share.joinCode} label="Copy code" />
          <CopyButton text={share.joinUrl} label="Copy join link" />
          {share.visibility !== "private" ? <CopyButton text={share.debateUrl} label="Copy debate link" /> : null}
          <button type="button" className="button button-small" aria-pressed={big} onClick={() => setBig((b) => !b)}>
            {big ? "Smaller" : "Show big for projecting"}
          </button>
          <Link to={settingsPath} className="button button-small">
            Settings and participants
          </Link>
        </div>
        <label className="field">
          <span>Join link</span>
          <input readOnly value={share.joinUrl} onFocus={(e) => e.currentTarget.select()} />
        </label>
      </div>
    </details>
  );
}
