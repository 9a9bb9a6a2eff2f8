/** Longest file name shown in a message; longer names keep their start and end. */
const MAX_SHOWN_NAME = 160;

/**
 * A file or ZIP entry name made safe to show: control characters (a NUL in a hostile entry name)
 * become "?", and a very long name is shortened in the middle so the message stays readable.
 */
export function displayFileName(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, "?");
  if (clean.length <= MAX_SHOWN_NAME) return clean;
  return `${clean.slice(0, 100)}…${clean.slice(-50)}`;
}

/** A file that cannot be imported; the message names the file (and the line when known). */
export class FileImportError extends Error {
  /** The file's name as shown (see displayFileName); a ZIP entry shows as "archive.zip/entry.csv". */
  readonly fileName: string;

  constructor(
    fileName: string,
    /** 1-based line number in the CSV, when the problem is on a line. */
    readonly line: number | null,
    detail: string,
  ) {
    const shown = displayFileName(fileName);
    super(line === null ? `${shown}: ${detail}` : `${shown}, line ${line}: ${detail}`);
    this.fileName = shown;
    this.name = "FileImportError";
  }
}
