/** "2024-01-31" (a date input's value) → UTC ms at 00:00; NaN when empty or invalid. */
export function parseDateInput(value: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return NaN;
  return Date.parse(`${value}T00:00:00Z`);
}
