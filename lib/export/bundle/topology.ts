import { SAFE_ID } from "@/lib/core/schema";
import { damaged } from "./errors";

/**
 * The graph of a bundle's model.json topology checked before TensorFlow.js builds it: tfjs reads
 * it trusting every field, so a layer list that is an object failed as "Object is not iterable",
 * a reference to a missing node as "Cannot read properties of undefined (reading
 * 'outputTensors')" (found by the fuzz suite), and two layers naming each other as inputs would
 * keep tfjs's deferred-node loop from ending. What the studio writes (tfjs's own
 * serialisation of a functional model): class_name "Model"; config.layers in topological order,
 * each {name, class_name, config, inbound_nodes: [[[layer, node, tensor, kwargs]]]} naming only
 * earlier layers; input_layers naming InputLayers and output_layers, as [layer, node, tensor].
 * Layer configs themselves are left to tfjs (it reports their problems in its own words).
 */
export function checkTopology(value: unknown, path: string): void {
  const fail = (at: string, problem: string) => damaged(`${path} is invalid: modelTopology${at}: ${problem}`);
  if (!isPlain(value)) throw fail("", "expected an object");
  if (value.class_name !== "Model") throw fail(".class_name", 'expected "Model" (a functional model)');
  const config = value.config;
  if (!isPlain(config)) throw fail(".config", "expected an object");
  const layers = config.layers;
  if (!Array.isArray(layers) || layers.length < 1 || layers.length > 10_000)
    throw fail(".config.layers", "expected a list of 1 to 10000 layers");
  /** Inbound node count of each layer seen so far, by name. */
  const seen = new Map<string, { nodes: number; input: boolean }>();
  const checkRef = (ref: unknown, at: string, length: readonly number[]) => {
    if (!Array.isArray(ref) || !length.includes(ref.length))
      throw fail(at, `expected [layer, node, tensor${length.includes(4) ? ", kwargs" : ""}]`);
    const [name, node, tensor, kwargs] = ref;
    const target = typeof name === "string" ? seen.get(name) : undefined;
    if (!target) throw fail(`${at}[0]`, "names no layer listed before it");
    if (!Number.isInteger(node) || node < 0 || node >= Math.max(1, target.nodes))
      throw fail(`${at}[1]`, `expected a node index of layer "${name}"`);
    // Every layer the studio builds has a single output tensor.
    if (tensor !== 0) throw fail(`${at}[2]`, "expected tensor index 0");
    if (ref.length === 4 && !isPlain(kwargs)) throw fail(`${at}[3]`, "expected an object");
    return target;
  };
  layers.forEach((layer, i) => {
    const at = `.config.layers[${i}]`;
    if (!isPlain(layer)) throw fail(at, "expected an object");
    const { name, class_name: cls, inbound_nodes: inbound } = layer;
    if (typeof name !== "string" || name.length < 1 || name.length > 200 || !SAFE_ID.test(name))
      throw fail(`${at}.name`, "expected a layer name (letters, digits, _ . -)");
    if (seen.has(name)) throw fail(`${at}.name`, `a second layer named "${name}"`);
    if (typeof cls !== "string" || cls.length > 100 || !SAFE_ID.test(cls))
      throw fail(`${at}.class_name`, "expected a class name");
    if (!isPlain(layer.config)) throw fail(`${at}.config`, "expected an object");
    if (!Array.isArray(inbound) || inbound.length > 16) throw fail(`${at}.inbound_nodes`, "expected a list of nodes");
    inbound.forEach((node, n) => {
      if (!Array.isArray(node) || node.length < 1 || node.length > 64)
        throw fail(`${at}.inbound_nodes[${n}]`, "expected a list of 1 to 64 inputs");
      node.forEach((ref, k) => checkRef(ref, `${at}.inbound_nodes[${n}][${k}]`, [3, 4]));
    });
    seen.set(name, { nodes: inbound.length, input: cls === "InputLayer" });
  });
  for (const key of ["input_layers", "output_layers"] as const) {
    const refs = config[key];
    if (!Array.isArray(refs) || refs.length < 1 || refs.length > 16)
      throw fail(`.config.${key}`, "expected a list of 1 to 16 layers");
    refs.forEach((ref, k) => {
      const target = checkRef(ref, `.config.${key}[${k}]`, [3]);
      if (key === "input_layers" && !target.input) throw fail(`.config.${key}[${k}][0]`, "expected an InputLayer");
    });
  }
}

function isPlain(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
