/**
 * Loopback ports of the end-to-end tests: the exported studio and our mock Binance. Overridable
 * (E2E_STUDIO_PORT, E2E_MOCK_PORT) so two checkouts on one machine can run their suites at once.
 */
export const STUDIO_PORT = Number(process.env.E2E_STUDIO_PORT ?? 3100);
export const MOCK_PORT = Number(process.env.E2E_MOCK_PORT ?? 9100);
export const STUDIO_URL = `http://localhost:${STUDIO_PORT}`;
export const MOCK_URL = `http://127.0.0.1:${MOCK_PORT}`;
