// Runs ONNX models in ONNX Runtime (onnxruntime-node, CPU) for AutoNet.Export's parity tests.
// Usage: node ort_run.js manifest.json
//   manifest: {"runs": [{"model": "a.onnx", "input": "input", "batches": [{"file": "x.f32", "shape": [2, 3, 8, 8]}],
//               "output_prefix": "/tmp/a"}]}
// Inputs are raw little-endian float32 files; each output is written to <output_prefix>.<batch>.<name>.f32 and
// described (dims, file) in the JSON printed on stdout. Several models per call keep a test class to one process.
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const manifest = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const results = [];
  for (const run of manifest.runs) {
    const session = await ort.InferenceSession.create(run.model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const batches = [];
    for (let b = 0; b < run.batches.length; b++) {
      const spec = run.batches[b];
      const bytes = fs.readFileSync(spec.file);
      const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      const feeds = { [run.input]: new ort.Tensor('float32', data, spec.shape) };
      const outputs = await session.run(feeds);
      const described = {};
      for (const name of session.outputNames) {
        const tensor = outputs[name];
        const file = `${run.output_prefix}.${b}.${name}.f32`;
        fs.writeFileSync(file, Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
        described[name] = { dims: Array.from(tensor.dims), file };
      }
      batches.push(described);
    }
    results.push({ model: run.model, inputs: session.inputNames, outputs: session.outputNames, batches });
  }
  process.stdout.write(JSON.stringify({ results }));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  process.exit(1);
});
