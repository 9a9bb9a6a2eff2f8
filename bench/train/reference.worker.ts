// The training worker as it was before fused ops, host Adam and gradient peers (setFusedOps(false)
// selects the op-by-op layers, tfjs's Adam and one tensor step per batch): the bench's reference,
// measured in the same run as the studio's worker.
import { setFusedOps } from "@/lib/models/fused";
import "@/workers/train.worker";

setFusedOps(false);
