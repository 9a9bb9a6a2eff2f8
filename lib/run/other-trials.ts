/** The trials other runs of a dataset left on its test part, read from the store (see otherRunsConfigurations). */
import { listRuns, runEvaluation, type StudioDb } from "@/lib/db";
import { otherRunsConfigurations, type TrialStrategy } from "./trials";

export async function otherRunsTrials(db: StudioDb, datasetId: string, runId: string): Promise<TrialStrategy[]> {
  const runs = await listRuns(db, datasetId);
  return otherRunsConfigurations(
    runs.map((r) => ({
      id: r.id,
      walk: "walk" in r.config && r.config.walk !== undefined,
      trials: runEvaluation(r)?.trials ?? [],
    })),
    runId,
  );
}
