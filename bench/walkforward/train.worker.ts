// The app's real training worker, bundled for the bench page.
import "@/workers/train.worker";
