/** Graph input / output names of the exported neural models. */
export const NN_ONNX_INPUT = "window";
export const NN_ONNX_OUTPUT = "probabilities";
