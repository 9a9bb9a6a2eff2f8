/**
 * A bundle refused for what it holds (damaged, foreign, too large), with a message for the user
 * that names the entry. Anything else escaping the reader is a bug in the studio, never the file.
 */
export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BundleError";
  }
}

/** "The bundle is damaged: <detail>." */
export function damaged(detail: string): BundleError {
  return new BundleError(`The bundle is damaged: ${detail}.`);
}
