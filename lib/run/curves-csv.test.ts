import { describe, expect, it } from "vitest";
import { curvesCsv } from "./curves-csv";

describe("training curves CSV", () => {
  it("writes one row per model and epoch under the guide's column names", () => {
    const csv = curvesCsv({
      transformer: [
        { epoch: 1, loss: 1.3, acc: 0.4, valLoss: 1.35, valAcc: 0.38 },
        { epoch: 2, loss: 1.1, acc: 0.5, valLoss: 1.2, valAcc: 0.45 },
      ],
      lstm: [{ epoch: 1, loss: 1.38, acc: 0.3, valLoss: 1.4, valAcc: 0.29 }],
    });
    expect(csv.split("\n")).toEqual([
      "model,epoch,loss,acc,val_loss,val_acc",
      "transformer,1,1.3,0.4,1.35,0.38",
      "transformer,2,1.1,0.5,1.2,0.45",
      "lstm,1,1.38,0.3,1.4,0.29",
      "",
    ]);
  });
});
