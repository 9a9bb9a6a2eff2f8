/** Browser downloads of bytes, text or a stream of chunks (kept out of lib/: it touches the DOM). */

export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: Chrome starts the download asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadBytes(bytes: Uint8Array, fileName: string, type = "application/octet-stream"): void {
  downloadBlob(new Blob([bytes as BlobPart], { type }), fileName);
}

export function downloadText(text: string, fileName: string, type = "text/plain"): void {
  downloadBlob(new Blob([text], { type: `${type};charset=utf-8` }), fileName);
}

/**
 * Downloads a stream of chunks. With the File System Access API the chunks go straight to disk
 * (bounded memory); otherwise they are collected into a Blob, which Chrome backs by disk for
 * large sizes.
 */
export async function downloadChunks(
  chunks: AsyncIterable<Uint8Array>,
  fileName: string,
  type = "application/octet-stream",
): Promise<void> {
  type Writable = { write: (c: Uint8Array) => Promise<void>; close: () => Promise<void> };
  type Picker = (o: { suggestedName: string }) => Promise<{ createWritable: () => Promise<Writable> }>;
  // Chrome's File System Access API, absent from the DOM typings.
  const picker: Picker | undefined = Reflect.get(window, "showSaveFilePicker");
  let writable: Writable | null = null;
  if (picker && !navigator.webdriver) {
    try {
      writable = await (await picker({ suggestedName: fileName })).createWritable();
    } catch (err) {
      if ((err as Error).name === "AbortError") return; // the user closed the dialog
      writable = null; // picker unavailable here: use the Blob path below
    }
  }
  if (writable) {
    for await (const c of chunks) await writable.write(c);
    await writable.close();
    return;
  }
  const parts: BlobPart[] = [];
  for await (const c of chunks) parts.push(c as BlobPart);
  downloadBlob(new Blob(parts, { type }), fileName);
}
