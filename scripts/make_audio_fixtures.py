"""Writes PyTorch golden values for GateScope's log-mel features (src/data/audio-features.ts).

Each case makes a seeded test signal (a chirp, a tone burst and noise), computes the power
spectrogram with torch.stft (center=False, periodic Hann window of `win` samples centred in
n_fft), the HTK-scale triangular mel filterbank as torchaudio.functional.melscale_fbanks
defines it (norm=None, mel_scale="htk"; written out here in torch, torchaudio is not
installed), and log(mel + 1e-6), all in float64, and stores signal and frames as JSON in
src/data/fixtures/logmel.json. Tests read the JSON; they never run Python.

Run: python3 scripts/make_audio_fixtures.py   (PyTorch from the local wheel store)
"""
import json
import math
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "data", "fixtures", "logmel.json")


def hz_to_mel(f):
    return 2595.0 * math.log10(1.0 + f / 700.0)


def mel_to_hz(m):
    return 700.0 * (10.0 ** (m / 2595.0) - 1.0)


def filterbank(sr, n_fft, n_mels, f_min, f_max):
    n_freqs = n_fft // 2 + 1
    all_freqs = torch.linspace(0, sr // 2, n_freqs, dtype=torch.float64)
    m_pts = torch.linspace(hz_to_mel(f_min), hz_to_mel(f_max), n_mels + 2, dtype=torch.float64)
    f_pts = 700.0 * (10.0 ** (m_pts / 2595.0) - 1.0)
    f_diff = f_pts[1:] - f_pts[:-1]
    slopes = f_pts.unsqueeze(0) - all_freqs.unsqueeze(1)
    down = (-1.0 * slopes[:, :-2]) / f_diff[:-1]
    up = slopes[:, 2:] / f_diff[1:]
    return torch.clamp(torch.min(down, up), min=0.0)  # [n_freqs, n_mels]


def log_mel(x, c):
    window = torch.hann_window(c["win"], periodic=True, dtype=torch.float64)
    spec = torch.stft(x, n_fft=c["nFft"], hop_length=c["hop"], win_length=c["win"], window=window,
                      center=False, return_complex=True)  # [n_freqs, frames]
    power = spec.abs() ** 2
    mel = power.T @ filterbank(c["sampleRate"], c["nFft"], c["nMels"], c["fMin"], c["fMax"])  # [frames, n_mels]
    return torch.log(mel + 1e-6)


def signal(sr, seconds, gen):
    n = int(sr * seconds)
    t = torch.arange(n, dtype=torch.float64) / sr
    f0, f1 = 200.0, 0.4 * sr
    chirp = torch.sin(2 * math.pi * (f0 * t + (f1 - f0) * t * t / (2 * seconds)))
    burst = ((t > 0.3 * seconds) & (t < 0.5 * seconds)).double() * 0.5 * torch.sin(2 * math.pi * 0.12 * sr * t)
    noise = 0.05 * torch.randn(n, generator=gen, dtype=torch.float64)
    return 0.6 * chirp + burst + noise


def main():
    gen = torch.Generator().manual_seed(11)
    cases = []
    for name, c, seconds in [
        ("default: 16 kHz, 512-point FFT, 400-sample window, hop 160, 40 mels, 0-8000 Hz",
         {"sampleRate": 16000, "nFft": 512, "win": 400, "hop": 160, "nMels": 40, "fMin": 0, "fMax": 8000}, 0.3),
        ("small: 8 kHz, 64-point FFT, 48-sample window, hop 20, 8 mels, 100-3500 Hz",
         {"sampleRate": 8000, "nFft": 64, "win": 48, "hop": 20, "nMels": 8, "fMin": 100, "fMax": 3500}, 0.05),
    ]:
        x = signal(c["sampleRate"], seconds, gen)
        y = log_mel(x, c)
        cases.append({"name": name, "config": c, "signal": [float(v) for v in x.tolist()],
                      "frames": y.shape[0], "logMel": [float(v) for v in y.reshape(-1).tolist()]})
    with open(OUT, "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f)
    print(f"wrote {OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()
