// Entry of the WebAssembly SIMD engine (AssemblyScript; scripts/build-wasm.mjs builds it into
// wasm/build/engine*.wasm, src/backend/wasm-gemm.ts loads it). Each kernel file exports its
// functions; this file only gathers them into one module, so every kernel shares one memory.
export * from './gemm';
export * from './recurrent';
export * from './conv';
export * from './optim';
