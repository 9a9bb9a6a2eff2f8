/** A view of the same type and length as `v`, on `buffer` at `byteOffset` (a copy of v's buffer, say). */
export function viewOn(v: ArrayBufferView, buffer: ArrayBufferLike, byteOffset: number): ArrayBufferView {
  const View = v.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => ArrayBufferView;
  const perElement = (v as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
  return new View(buffer, byteOffset, v.byteLength / perElement);
}
