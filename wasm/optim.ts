// Optimizer updates for the WebAssembly SIMD engine (AssemblyScript; exported through
// wasm/engine.ts, called from the `wasm` methods of the update rules in src/optim/). The
// same arithmetic as each rule's `reference` (src/optim/adam.ts, sgd.ts, rmsprop.ts), in
// f32, four values per instruction. Arrays are f32 at byte offsets, each padded to a
// multiple of 4 values (the loader's allocations are 16-byte aligned and sized), so the
// loops run over ⌈n / 4⌉ whole vectors and the padding lanes compute harmless garbage.
// Per value, with g = grad·scale + l1·sign(θ):

/** sign(θ) as ±1 or 0 (a NaN gives 0; θ itself is then NaN and so is the update). */
function sign(theta: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  return f32x4.sub(v128.and(f32x4.gt(theta, zero), one), v128.and(f32x4.lt(theta, zero), one));
}

/**
 * Adam / AdamW (torch.optim): AdamW decays θ ← θ·(1 − lr·wd), Adam adds wd·θ to g; then
 * m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², θ ← θ − stepSize·m / (√v / bc2Sqrt + eps)
 * with stepSize = lr / (1 − β1^t), bc2Sqrt = √(1 − β2^t).
 */
export function adamUpdate(
  param: usize, grad: usize, m: usize, v: usize, n: i32,
  scale: f32, lr: f32, wd: f32, l1: f32, beta1: f32, beta2: f32, eps: f32, stepSize: f32, bc2Sqrt: f32, decoupled: i32,
): void {
  const vScale = f32x4.splat(scale);
  const vL1 = f32x4.splat(l1);
  const vWd = f32x4.splat(wd);
  const vDecay = f32x4.splat(1 - lr * wd);
  const vB1 = f32x4.splat(beta1);
  const vB1c = f32x4.splat(1 - beta1);
  const vB2 = f32x4.splat(beta2);
  const vB2c = f32x4.splat(1 - beta2);
  const vEps = f32x4.splat(eps);
  const vStep = f32x4.splat(stepSize);
  const vBc2 = f32x4.splat(bc2Sqrt);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i * 4;
    let theta = v128.load(param + o);
    let g = f32x4.add(f32x4.mul(v128.load(grad + o), vScale), f32x4.mul(vL1, sign(theta)));
    if (decoupled != 0) theta = f32x4.mul(theta, vDecay);
    else g = f32x4.add(g, f32x4.mul(vWd, theta));
    const mi = f32x4.add(f32x4.mul(vB1, v128.load(m + o)), f32x4.mul(vB1c, g));
    const vi = f32x4.add(f32x4.mul(vB2, v128.load(v + o)), f32x4.mul(vB2c, f32x4.mul(g, g)));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vi), vBc2), vEps);
    v128.store(param + o, f32x4.sub(theta, f32x4.div(f32x4.mul(vStep, mi), denom)));
  }
}

/**
 * SGD (torch.optim.SGD): g += wd·θ; with momentum (buf != 0) b ← decay·b + gradWeight·g
 * and g = g + momentum·b (Nesterov) or b; θ ← θ − lr·g. decay and gradWeight are 0 and 1
 * on a parameter's first update (b = g), momentum and 1 − dampening after.
 */
export function sgdUpdate(
  param: usize, grad: usize, buf: usize, n: i32,
  scale: f32, lr: f32, wd: f32, l1: f32, momentum: f32, decay: f32, gradWeight: f32, nesterov: i32,
): void {
  const vScale = f32x4.splat(scale);
  const vL1 = f32x4.splat(l1);
  const vWd = f32x4.splat(wd);
  const vLr = f32x4.splat(lr);
  const vMomentum = f32x4.splat(momentum);
  const vDecay = f32x4.splat(decay);
  const vWeight = f32x4.splat(gradWeight);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i * 4;
    const theta = v128.load(param + o);
    let g = f32x4.add(f32x4.add(f32x4.mul(v128.load(grad + o), vScale), f32x4.mul(vL1, sign(theta))), f32x4.mul(vWd, theta));
    if (buf != 0) {
      const b = f32x4.add(f32x4.mul(vDecay, v128.load(buf + o)), f32x4.mul(vWeight, g));
      v128.store(buf + o, b);
      g = nesterov != 0 ? f32x4.add(g, f32x4.mul(vMomentum, b)) : b;
    }
    v128.store(param + o, f32x4.sub(theta, f32x4.mul(vLr, g)));
  }
}

/**
 * RMSprop (torch.optim.RMSprop): g += wd·θ; s ← α·s + (1 − α)·g²; centered (avg != 0):
 * a ← α·a + (1 − α)·g and d = √(s − a²) + eps, else d = √s + eps; with momentum (buf != 0)
 * b ← momentum·b + g / d and θ ← θ − lr·b, else θ ← θ − lr·g / d.
 */
export function rmspropUpdate(
  param: usize, grad: usize, square: usize, avg: usize, buf: usize, n: i32,
  scale: f32, lr: f32, wd: f32, l1: f32, alpha: f32, eps: f32, momentum: f32,
): void {
  const vScale = f32x4.splat(scale);
  const vL1 = f32x4.splat(l1);
  const vWd = f32x4.splat(wd);
  const vLr = f32x4.splat(lr);
  const vAlpha = f32x4.splat(alpha);
  const vAlphaC = f32x4.splat(1 - alpha);
  const vEps = f32x4.splat(eps);
  const vMomentum = f32x4.splat(momentum);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i * 4;
    const theta = v128.load(param + o);
    const g = f32x4.add(f32x4.add(f32x4.mul(v128.load(grad + o), vScale), f32x4.mul(vL1, sign(theta))), f32x4.mul(vWd, theta));
    const s = f32x4.add(f32x4.mul(vAlpha, v128.load(square + o)), f32x4.mul(vAlphaC, f32x4.mul(g, g)));
    v128.store(square + o, s);
    let d: v128;
    if (avg != 0) {
      const a = f32x4.add(f32x4.mul(vAlpha, v128.load(avg + o)), f32x4.mul(vAlphaC, g));
      v128.store(avg + o, a);
      d = f32x4.add(f32x4.sqrt(f32x4.sub(s, f32x4.mul(a, a))), vEps);
    } else {
      d = f32x4.add(f32x4.sqrt(s), vEps);
    }
    if (buf != 0) {
      const b = f32x4.add(f32x4.mul(vMomentum, v128.load(buf + o)), f32x4.div(g, d));
      v128.store(buf + o, b);
      v128.store(param + o, f32x4.sub(theta, f32x4.mul(vLr, b)));
    } else {
      v128.store(param + o, f32x4.sub(theta, f32x4.div(f32x4.mul(vLr, g), d)));
    }
  }
}
