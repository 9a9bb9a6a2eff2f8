import type { EpochRecord } from "./types";

/** Training curves as CSV, one row per model and epoch: model,epoch,loss,acc,val_loss,val_acc. */
export function curvesCsv(curves: Record<string, EpochRecord[]>): string {
  const lines = ["model,epoch,loss,acc,val_loss,val_acc"];
  for (const [model, rows] of Object.entries(curves))
    for (const r of rows) lines.push([model, r.epoch, r.loss, r.acc, r.valLoss, r.valAcc].join(","));
  return lines.join("\n") + "\n";
}
