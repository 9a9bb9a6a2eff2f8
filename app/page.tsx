import Link from "next/link";

const STEPS = [
  {
    href: "/data/",
    title: "Collect candles",
    text: "Binance (any symbols, 15m / 1h / 4h), Binance CSV/ZIP dumps, or the built-in synthetic market. Stored in your browser, resumable.",
  },
  {
    href: "/dataset/",
    title: "Build the dataset",
    text: "42 multi-timeframe features, 4-class labels, 120-step windows, chronological purged splits and a data-quality report.",
  },
  {
    href: "/train/",
    title: "Train models",
    text: "Transformer and LSTM (TensorFlow.js, WebGPU first) and a Random Forest in workers, with live progress, early stopping and cancel.",
  },
  {
    href: "/results/",
    title: "Compare honestly",
    text: "Held-out metrics, confusion matrices, baselines, the 50/30/20 ensemble, importances, a fee-aware backtest; export and share.",
  },
];

export default function Home() {
  return (
    <div className="space-y-6">
      <section>
        <h1 className="text-2xl font-semibold">Train market-signal models in your browser</h1>
        <p className="mt-1 max-w-3xl text-slate-600">
          Nothing to install and no server of ours: your candles, datasets and models stay in this browser&apos;s
          storage.
        </p>
      </section>
      <ol className="grid gap-4 md:grid-cols-2">
        {STEPS.map((s, i) => (
          <li key={s.href} className="card">
            <Link href={s.href} className="text-lg font-medium text-indigo-700 hover:underline">
              {i + 1}. {s.title}
            </Link>
            <p className="mt-1 text-sm text-slate-600">{s.text}</p>
          </li>
        ))}
      </ol>
    </div>
  );
}
