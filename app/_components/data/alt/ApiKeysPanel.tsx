"use client";

import { useState } from "react";
import { getStudioDb, KEYED_SOURCES, saveSettings, setApiKey, type StudioSettings } from "@/lib/db";
import { Notice } from "../../Notice";

type Keyed = (typeof KEYED_SOURCES)[number];

const URL_FIELD = { glassnode: "glassnodeBaseUrl", lunarcrush: "lunarCrushBaseUrl" } as const;

/**
 * One keyed source: its base URL and key. The key is stored only in this browser's settings
 * (never in links, bundles, exports or logs), shown masked, and can be forgotten.
 */
function KeyRow({
  keyed,
  settings,
  onSaved,
}: {
  keyed: Keyed;
  settings: StudioSettings;
  onSaved: (s: StudioSettings) => void;
}) {
  const [draft, setDraft] = useState("");
  const [url, setUrl] = useState(settings[URL_FIELD[keyed.key]]);
  const hasKey = Boolean(settings.apiKeys[keyed.key]);
  return (
    <form
      aria-label={`${keyed.label} key`}
      className="flex flex-wrap items-end gap-3"
      data-testid={`key-${keyed.key}`}
      onSubmit={(e) => {
        e.preventDefault();
        void (async () => {
          const db = getStudioDb();
          await saveSettings(db, { [URL_FIELD[keyed.key]]: url.trim() || settings[URL_FIELD[keyed.key]] });
          if (draft.trim()) onSaved(await setApiKey(db, keyed.key, draft));
          else onSaved(await saveSettings(db, {}));
          setDraft("");
        })();
      }}
    >
      <span className="w-56 text-sm font-medium">{keyed.label}</span>
      <label className="space-y-1">
        <span className="label">Base URL</span>
        <input className="input w-64" value={url} onChange={(e) => setUrl(e.target.value)} name={`${keyed.key}Url`} />
      </label>
      <label className="space-y-1">
        <span className="label">{hasKey ? "Replace key" : "API key"}</span>
        <input
          className="input w-56"
          type="password"
          autoComplete="off"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          name={`${keyed.key}Key`}
        />
      </label>
      <button className="btn-secondary" type="submit">
        Save
      </button>
      <button
        className="btn-secondary"
        type="button"
        disabled={!hasKey}
        onClick={() => void setApiKey(getStudioDb(), keyed.key, "").then(onSaved)}
      >
        Forget key
      </button>
      <span className="text-sm" data-testid={`key-state-${keyed.key}`}>
        {hasKey ? "key set (stored in this browser only)" : "no key: its feature uses the neutral fallback"}
      </span>
    </form>
  );
}

/** Keys of the keyed sources (on-chain from Glassnode, social sentiment from LunarCrush). */
export function ApiKeysPanel({
  settings,
  onSaved,
}: {
  settings: StudioSettings | null;
  onSaved: (s: StudioSettings) => void;
}) {
  if (!settings) return <p className="text-sm text-slate-500">Loading…</p>;
  return (
    <div className="space-y-3">
      <Notice kind="info">
        Keys stay in this browser: they are sent only to their own source, and never put in share links, bundles,
        exports or logs.
      </Notice>
      {KEYED_SOURCES.map((k) => (
        <KeyRow key={k.key} keyed={k} settings={settings} onSaved={onSaved} />
      ))}
    </div>
  );
}
