// The app's live worker, bundled by the bench harness as ./live.worker.js.
import "../../workers/live.worker";
