/**
 * Jest's node environment with the host realm's typed-array constructors. Jest runs each test file
 * in its own V8 context, so `new Float32Array()` there is not an `instanceof Float32Array` as a
 * native add-on sees it; onnxruntime-node (OCR) checks exactly that. Sharing the constructors
 * makes arrays made in tests and in the add-on the same kind, as they are in production.
 */
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

class SharedTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = SharedTypedArraysEnvironment;
