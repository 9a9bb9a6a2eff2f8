"use client";

import { useEffect, useState } from "react";
import { intervalMs } from "@/lib/core/intervals";
import { getStudioDb, loadSettings, type DeploymentRecord } from "@/lib/db";
import { LiveClient } from "@/lib/jobs/live/client";
import { binancePageFetcher } from "@/lib/jobs/collect/binance-fetcher";
import { liveTick } from "@/lib/jobs/live/loop";
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
        const total = (candles[base]?.openTime ?? []).filter((t) => t > champion.dataEnd).length;
        let n = 0;
        setView((v) => ({
          ...v,
          status: { state: "running", message: `replaying ${total} stored candles after the data end` },
        }));
        await replay({
          ...common,
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
        tick: (now) => liveTick({ ...common, now, candles: source }),
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
