// The app's real gradient peer worker, bundled for the bench page.
import "@/workers/train-peer.worker";
