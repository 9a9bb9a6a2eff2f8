// The app's forest worker, bundled by the bench harness as ./forest.worker.js.
import "../../workers/forest.worker";
