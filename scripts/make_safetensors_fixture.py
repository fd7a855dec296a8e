"""Writes a safetensors file with the reference implementation (safetensors.torch), for
GateScope's parser test: src/export/fixtures/reference.safetensors plus the values it
holds as reference.json. Tests read both; they never run Python.

Run: python3 scripts/make_safetensors_fixture.py   (torch and safetensors from the local wheel store)
"""
import json
import os

import torch
from safetensors.torch import save

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "export", "fixtures")

tensors = {
    "text_encoder.rnn.weight_ih_l0": torch.linspace(-1.5, 2.25, 12, dtype=torch.float32).reshape(4, 3),
    "fusion.alpha": torch.tensor(0.375, dtype=torch.float32),
    "empty": torch.zeros(0, 3, dtype=torch.float32),
    "lengths": torch.tensor([5, 1, -3, 2147483647], dtype=torch.int32),
}
metadata = {"format": "pt", "producer": "make_safetensors_fixture.py"}

os.makedirs(OUT, exist_ok=True)
data = save(tensors, metadata=metadata)
with open(os.path.join(OUT, "reference.safetensors"), "wb") as f:
    f.write(data)
with open(os.path.join(OUT, "reference.json"), "w") as f:
    json.dump(
        {
            "metadata": metadata,
            "tensors": {k: {"dtype": "F32" if v.dtype == torch.float32 else "I32", "shape": list(v.shape), "values": v.flatten().tolist()} for k, v in tensors.items()},
        },
        f,
        indent=1,
    )
print(f"wrote {len(data)} bytes")
