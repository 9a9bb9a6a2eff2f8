// The app's dataset worker (where a run's evaluation is computed), bundled by the bench harness as ./dataset.worker.js.
import "../../workers/dataset.worker";
