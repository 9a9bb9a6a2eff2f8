/** A file that cannot be imported; the message names the file (and the line when known). */
export class FileImportError extends Error {
  constructor(
    readonly fileName: string,
    /** 1-based line number in the CSV, when the problem is on a line. */
    readonly line: number | null,
    detail: string,
  ) {
    super(line === null ? `${fileName}: ${detail}` : `${fileName}, line ${line}: ${detail}`);
    this.name = "FileImportError";
  }
}
