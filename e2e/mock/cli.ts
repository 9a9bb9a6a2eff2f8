/**
 * Runs the mock Binance until killed: `npx tsx e2e/mock/cli.ts --port 9100 [--data-dir ../shared/data] [--symbols BTCUSDT,ETHUSDT]`.
 * Prints its URL on the first line of stdout.
 */
import { startMockBinance } from "./binance-server";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const mock = await startMockBinance({
    port: Number(arg("port") ?? 0),
    host: arg("host"),
    dataDir: arg("data-dir"),
    symbols: arg("symbols")
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  });
  console.log(mock.url);
  const stop = () => {
    void mock.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
