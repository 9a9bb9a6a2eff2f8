/**
 * A small reader of the .tflite files this writer emits: operators used, tensor types and sizes,
 * the graph's input and output. For inventories (README, benchmarks) and tests; it is no verifier
 * (the TFLite interpreter and Arm NN check files for real).
 */
import { ByteBuffer } from "flatbuffers";
import { BUILTIN_NAMES, TensorType } from "./schema";

/** A table at `pos`: field i's vtable slot is 4 + 2i. */
class Table {
  constructor(
    readonly bb: ByteBuffer,
    readonly pos: number,
  ) {}
  private at(field: number): number {
    return this.bb.__offset(this.pos, 4 + 2 * field);
  }
  int(field: number, fallback = 0): number {
    const o = this.at(field);
    return o ? this.bb.readInt32(this.pos + o) : fallback;
  }
  /** Start of the vector in field `field` (-1 when absent). */
  vectorStart(field: number): number {
    const o = this.at(field);
    return o ? this.bb.__vector(this.pos + o) : -1;
  }
  byte(field: number, fallback = 0): number {
    const o = this.at(field);
    return o ? this.bb.readInt8(this.pos + o) : fallback;
  }
  str(field: number): string {
    const o = this.at(field);
    return o ? (this.bb.__string(this.pos + o) as string) : "";
  }
  length(field: number): number {
    const o = this.at(field);
    return o ? this.bb.__vector_len(this.pos + o) : 0;
  }
  ints(field: number): number[] {
    const o = this.at(field);
    if (!o) return [];
    const start = this.bb.__vector(this.pos + o);
    return Array.from({ length: this.bb.__vector_len(this.pos + o) }, (_, i) => this.bb.readInt32(start + 4 * i));
  }
  tables(field: number): Table[] {
    const o = this.at(field);
    if (!o) return [];
    const start = this.bb.__vector(this.pos + o);
    return Array.from(
      { length: this.bb.__vector_len(this.pos + o) },
      (_, i) => new Table(this.bb, this.bb.__indirect(start + 4 * i)),
    );
  }
}

export interface TfliteTensorInfo {
  name: string;
  shape: number[];
  type: "float32" | "float16" | "int32" | `type ${number}`;
  /** Bytes of constant data (0 for tensors computed at run time). */
  bytes: number;
  /** Where that data starts in the file (-1 when none). */
  dataOffset: number;
}

export interface TfliteSummary {
  description: string;
  /** Builtin operator names with how many times each is used, in first-use order. */
  operators: Record<string, number>;
  /** Custom (non-builtin) operator codes, which the studio never writes. */
  customOperators: string[];
  tensors: TfliteTensorInfo[];
  input: TfliteTensorInfo;
  output: TfliteTensorInfo;
}

const TYPE_NAMES: Record<number, TfliteTensorInfo["type"]> = {
  [TensorType.FLOAT32]: "float32",
  [TensorType.FLOAT16]: "float16",
  [TensorType.INT32]: "int32",
};

/** Reads the summary of a .tflite file (throws on a file that is not a TFLite model). */
export function inspectTflite(bytes: Uint8Array): TfliteSummary {
  const bb = new ByteBuffer(bytes);
  if (bytes.length < 8 || !bb.__has_identifier("TFL3")) throw new Error("not a TFLite model (no TFL3 identifier)");
  const model = new Table(bb, bb.readInt32(0));
  const codes = model.tables(1).map((c) => ({ code: Math.max(c.byte(0), c.int(3)), custom: c.str(1) }));
  const buffers = model.tables(4).map((b) => ({ bytes: b.length(0), offset: b.vectorStart(0) }));
  const subgraph = model.tables(2)[0];
  if (!subgraph) throw new Error("TFLite model has no subgraph");
  const tensors = subgraph.tables(0).map((t): TfliteTensorInfo => ({
    name: t.str(3),
    shape: t.ints(0),
    type: TYPE_NAMES[t.byte(1)] ?? `type ${t.byte(1)}`,
    bytes: buffers[t.int(2)]?.bytes ?? 0,
    dataOffset: buffers[t.int(2)]?.bytes ? buffers[t.int(2)].offset : -1,
  }));
  const operators: Record<string, number> = {};
  const customOperators: string[] = [];
  for (const op of subgraph.tables(3)) {
    const c = codes[op.int(0)];
    if (!c) throw new Error(`operator uses opcode ${op.int(0)} of ${codes.length}`);
    if (c.custom) customOperators.push(c.custom);
    const name = BUILTIN_NAMES[c.code] ?? `BUILTIN_${c.code}`;
    operators[name] = (operators[name] ?? 0) + 1;
  }
  const [input] = subgraph.ints(1);
  const [output] = subgraph.ints(2);
  return {
    description: model.str(3),
    operators,
    customOperators,
    tensors,
    input: tensors[input],
    output: tensors[output],
  };
}
