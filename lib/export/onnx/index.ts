export {
  forestToOnnx,
  FOREST_ONNX_INPUT,
  FOREST_ONNX_WINDOW,
  FOREST_ONNX_LABEL,
  FOREST_ONNX_PROBABILITIES,
  type ForestOnnxOptions,
  type OnnxExportOptions,
} from "./forest";
export { transformerToOnnx } from "./transformer";
export { lstmToOnnx } from "./lstm";
export { NN_ONNX_INPUT, NN_ONNX_OUTPUT } from "./neural-common";
export { encodeModel, type ModelDef, type GraphDef, type NodeDef, type TensorDef, type ValueInfoDef } from "./proto";
