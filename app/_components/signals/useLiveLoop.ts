"use client";

import { useEffect, useState } from "react";
import { intervalMs } from "@/lib/core/intervals";
import { getStudioDb, loadSettings, type DeploymentRecord } from "@/lib/db";
import { LiveClient } from "@/lib/jobs/live/client";
import { binancePageFetcher } from "@/lib/jobs/collect/binance-fetcher";
import { liveTick } from "@/lib/jobs/live/loop";
import { liveAltInputs, type LiveAlt } from "@/lib/jobs/live/alt";
import { loadLiveModel, type LoadedLiveModel } from "@/lib/jobs/live/models";
import { replay } from "@/lib/jobs/live/replay";
import { liveLockName, runLiveLoop, type LoopStatus } from "@/lib/jobs/live/runner";
import { collectingSource, storeSource } from "@/lib/jobs/live/sources";
import { errorMessage } from "../useStudioData";

export interface LiveLoopView {
  status: LoopStatus | null;
  error: string | null;
  champion: LoadedLiveModel | null;
  challenger: LoadedLiveModel | null;
}

/**
 * Runs the deployment's loop while the page is open: live (collect, tick on each close, under a
 * Web Lock) or replay (every stored candle after the data end at full speed). `onTick` is told
 * after each tick so the page re-reads its records; a promotion changes the champion's id and
 * restarts the loop with the new models.
 */
export function useLiveLoop(deployment: DeploymentRecord | null, onTick: () => void): LiveLoopView {
  const [view, setView] = useState<LiveLoopView>({ status: null, error: null, champion: null, challenger: null });
  const id = deployment?.id;
  const championId = deployment?.championRunId;
  const challengerId = deployment?.challengerRunId;
  const isReplay = deployment?.replay;
  useEffect(() => {
    if (!id || !championId) return;
    const ac = new AbortController();
    const db = getStudioDb();
    (async () => {
      const client = new LiveClient();
      ac.signal.addEventListener("abort", () => client.terminate(), { once: true });
      const champion = await loadLiveModel(db, championId, client, { signal: ac.signal });
      const challenger = challengerId ? await loadLiveModel(db, challengerId, client, { signal: ac.signal }) : null;
      setView((v) => ({ ...v, champion, challenger, error: null }));
      const ds = champion.dataset;
      const base = ds.baseInterval;
      const spec = { symbol: ds.symbol, timeframes: ds.timeframes };
      const common = { db, deploymentId: id, champion: champion.model, challenger: challenger?.model };
      if (isReplay) {
        const source = ds.synthetic ? "synthetic" : "binance";
        const candles = await storeSource(db, { ...spec, source }).read(Date.now());
        const times = candles[base]?.openTime ?? [];
        const total = Array.from(times).filter((t) => t > champion.dataEnd).length;
        const alt = await liveAltInputs(db, ds, (times[times.length - 1] ?? 0) + intervalMs(base));
        let n = 0;
        setView((v) => ({
          ...v,
          status: {
            state: "running",
            message: `replaying ${total} stored candles after the data end${missingText(alt)}`,
          },
        }));
        await replay({
          ...common,
          alt: alt.alt,
          candles,
          after: champion.dataEnd,
          signal: ac.signal,
          onTick: (r) => {
            n++;
            if (n % 25 === 0 || n === total || r.deployment.championRunId !== championId) {
              setView((v) => ({ ...v, status: { state: "running", message: `replay: ${n} of ${total} candles` } }));
              onTick();
            }
          },
        });
        setView((v) => ({ ...v, status: { state: "stopped", message: `replay finished: ${n} candles` } }));
        onTick();
        return;
      }
      if (ds.synthetic) throw new Error("a synthetic run has no live market: deploy it as a replay");
      const settings = await loadSettings(db);
      const source = collectingSource(db, spec, binancePageFetcher({ baseUrl: settings.binanceBaseUrl }), ds.times[0], {
        signal: ac.signal,
      });
      await runLiveLoop({
        lockName: liveLockName(id),
        baseMs: intervalMs(base),
        signal: ac.signal,
        // Alternative data is read at every tick: the store holds what was imported or fetched since.
        tick: async (now) => liveTick({ ...common, now, candles: source, alt: (await liveAltInputs(db, ds, now)).alt }),
        onStatus: (status) => setView((v) => ({ ...v, status })),
        onTick: (r) => {
          onTick();
          if (r.deployment.championRunId !== championId || r.deployment.challengerRunId !== challengerId) ac.abort();
        },
      });
    })().catch((e) => {
      if (!ac.signal.aborted) setView((v) => ({ ...v, error: errorMessage(e) }));
    });
    return () => ac.abort();
  }, [id, championId, challengerId, isReplay, onTick]);
  return view;
}

/** What the page says when live features cannot have a source as the dataset had it. */
function missingText(a: LiveAlt): string {
  return a.missing.length
    ? `; no ${a.missing.join(", ")} values to match the dataset's: those features take their neutral fallback`
    : "";
}
