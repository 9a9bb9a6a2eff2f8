export { transformerToTflite } from "./transformer";
export { lstmToTflite } from "./lstm";
export { TFLITE_INPUT, TFLITE_OUTPUT, type TfliteExportOptions } from "./common";
