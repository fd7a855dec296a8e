# PyTorch copy of GateScope's default Shapes & Questions model, for trying architectures
# in seconds (research only; nothing in the app or the tests depends on it).
# Data: scripts/research/dump-shapes.test.ts. Usage (one JSON argument, all optional):
#   python3 scripts/research/shapes_prototype.py '{"data":"/tmp/shapes","fusion":"late","steps":1500}'
# fusion: late (concat + MLP, GateScope's late), early (image feature appended to every
#   token, GateScope's early), gated (GateScope's GMU), film (image scales the text state, as
#   GateScope's film), prod (tanh(P u) * tanh(Q v)), cfilm (the question scales and shifts
#   the last conv layer's channels); pool: flat | max; vact: relu | tanh (image feature);
# text: lstm | bow; kmask: 1 masks the logits to the answers of the question's kind;
# sanity: text | image replaces the labels by a function of one modality.
# Prints validation accuracy every `every` steps, then train / validation / per kind.
import json, sys, time, numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1)
A = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
pre = A.get('data', '/tmp/shapes')
meta = json.load(open(pre + '_meta.json'))
S = meta['S']; L = meta['maxLen']; V = meta['vocab']; C = len(meta['classes'])
imgs = torch.from_numpy(np.fromfile(pre + '_images.bin', np.float32).reshape(-1, 3, S, S))
N = imgs.shape[0]
toks = torch.from_numpy(np.fromfile(pre + '_tokens.bin', np.int32).reshape(N, L).astype(np.int64))
lens = torch.from_numpy(np.fromfile(pre + '_lengths.bin', np.int32).astype(np.int64))
labels = torch.from_numpy(np.fromfile(pre + '_labels.bin', np.int32).astype(np.int64))
tr = torch.from_numpy(np.fromfile(pre + '_train.bin', np.int32).astype(np.int64))
va = torch.from_numpy(np.fromfile(pre + '_val.bin', np.int32).astype(np.int64))
kinds = np.array(meta['kinds'])
cls = meta['classes']
ans = {'exists': ['yes','no'], 'relation': ['yes','no'], 'colour': ['red','green','blue','yellow','purple'], 'count': ['none','one','two','three']}
kmask = torch.tensor([[0.0 if c in ans[k] else -30.0 for c in cls] for k in kinds])
if A.get('sanity') == 'text': labels = toks[:, 3] % C
if A.get('sanity') == 'image':
    r = imgs[:, 0].flatten(1).max(1).values > 0.5
    labels = r.long()
    print('image sanity balance', labels.float().mean().item())
torch.manual_seed(A.get('seed', 1))
H = A.get('hidden', 64); E = A.get('embed', 32); Fd = A.get('feat', 64); HH = A.get('head', 64)
ch = A.get('ch', [16, 32]); fusion = A.get('fusion', 'late'); cell = A.get('cell', 'lstm')

class M(nn.Module):
    def __init__(s):
        super().__init__()
        s.emb = nn.Embedding(V, E)
        s.bowp = nn.Linear(V, H)
        s.rnn = (nn.LSTM if cell == 'lstm' else nn.GRU)(E + (Fd if fusion == 'early' else 0), H, batch_first=True)
        if cell == 'lstm':
            with torch.no_grad(): s.rnn.bias_ih_l0[H:2*H] += 1
        convs = []; c = 3
        for o in ch: convs.append(nn.Conv2d(c, o, 3, padding=1)); c = o
        s.convs = nn.ModuleList(convs)
        sp = S >> len(ch)
        pool = A.get('pool', 'flat')
        s.pool = pool
        flat = c * sp * sp if pool == 'flat' else c
        s.proj = nn.Linear(flat, Fd)
        if fusion == 'late': s.head = nn.Sequential(nn.Linear(H + Fd, HH), nn.ReLU(), nn.Linear(HH, C))
        elif fusion == 'film':
            s.g = nn.Linear(Fd, H); s.b = nn.Linear(Fd, H); s.head = nn.Sequential(nn.Linear(H, HH), nn.ReLU(), nn.Linear(HH, C))
        elif fusion == 'cfilm':
            s.g = nn.Linear(H, ch[-1]); s.b = nn.Linear(H, ch[-1])
            s.fl = A.get('films', [len(ch) - 1])
            s.gs = nn.ModuleList([nn.Linear(H, ch[k]) for k in range(len(ch))]); s.bs = nn.ModuleList([nn.Linear(H, ch[k]) for k in range(len(ch))])
            s.head = (nn.Sequential(nn.Linear(Fd + (H if A.get('cat', 1) else 0), HH), nn.ReLU(), nn.Linear(HH, C)) if HH else nn.Linear(Fd + (H if A.get('cat', 1) else 0), C))
        elif fusion == 'early': s.head = nn.Sequential(nn.Linear(H, HH), nn.ReLU(), nn.Linear(HH, C))
        elif fusion == 'gated':
            FS = A.get('fs', 64); s.pu = nn.Linear(H, FS); s.pv = nn.Linear(Fd, FS); s.z = nn.Linear(H + Fd, FS)
            s.head = nn.Sequential(nn.Linear(FS, HH), nn.ReLU(), nn.Linear(HH, C))
        elif fusion == 'prod':
            s.pu = nn.Linear(H, A.get('fs', 64)); s.pv = nn.Linear(Fd, A.get('fs', 64)); s.head = nn.Linear(A.get('fs', 64) + H, C) if not HH else nn.Sequential(nn.Linear(A.get('fs', 64), HH), nn.ReLU(), nn.Linear(HH, C))
    def forward(s, x, t, l):
        if fusion == 'early': u = s.text(t, l, s.image(x, None))
        else: u = s.text(t, l, None)
        v = s.image(x, u) if fusion != 'early' else None
        if fusion == 'early': return s.head(u)
        return s.fuse(u, v)
    def text(s, t, l, v):
        if A.get('text') == 'bow':
            u = torch.zeros(t.shape[0], V).scatter_(1, t, 1.0); u[:, 0] = 0
            return s.bowp(u)
        e = s.emb(t)
        if v is not None: e = torch.cat([e, v[:, None, :].expand(-1, e.shape[1], -1)], 2)
        pk = nn.utils.rnn.pack_padded_sequence(e, l.clamp(min=1), batch_first=True, enforce_sorted=False)
        _, hc = s.rnn(pk)
        return (hc[0] if cell == 'lstm' else hc)[-1]
    def image(s, x, u):
        for k, cv in enumerate(s.convs):
            x = cv(x)
            if fusion == 'cfilm' and k in s.fl:
                x = x * (1 + s.gs[k](u)[:, :, None, None]) + s.bs[k](u)[:, :, None, None]
            x = F.max_pool2d(F.relu(x), 2)
        x = x.flatten(1) if s.pool == 'flat' else x.amax((2, 3))
        return F.relu(s.proj(x)) if A.get('vact', 'relu') == 'relu' else torch.tanh(s.proj(x))
    def fuse(s, u, v):
        if fusion == 'gated':
            z = torch.sigmoid(s.z(torch.cat([u, v], 1))); hv = torch.tanh(s.pv(v))
            return s.head(hv + z * (torch.tanh(s.pu(u)) - hv))
        if fusion == 'late': return s.head(torch.cat([u, v], 1))
        if fusion == 'film': return s.head(u + s.g(v) * u + s.b(v))
        if fusion == 'cfilm': return s.head(torch.cat([u, v], 1) if A.get('cat', 1) else v)
        if fusion == 'prod': return s.head(torch.cat([torch.tanh(s.pu(u)) * torch.tanh(s.pv(v)), u], 1)) if not HH else s.head(torch.tanh(s.pu(u)) * torch.tanh(s.pv(v)))

m = M()
opt = torch.optim.Adam(m.parameters(), lr=A.get('lr', 3e-3))
B = A.get('batch', 32); steps = A.get('steps', 1500); ev = A.get('every', 150)
g = torch.Generator().manual_seed(1)
def evaluate(idx):
    m.eval()
    with torch.no_grad():
        p = (m(imgs[idx], toks[idx], lens[idx]) + (kmask[idx] if A.get('kmask') else 0)).argmax(1)
    m.train()
    ok = (p == labels[idx]).numpy()
    ks = kinds[idx.numpy()]
    per = {str(k): round(float(ok[ks == k].mean()), 3) for k in sorted(set(ks))}
    return float(ok.mean()), per
step = 0; t0 = time.time(); hist = []
while step < steps:
    perm = tr[torch.randperm(len(tr), generator=g)]
    for i in range(0, len(perm), B):
        idx = perm[i:i+B]
        loss = F.cross_entropy(m(imgs[idx], toks[idx], lens[idx]) + (kmask[idx] if A.get('kmask') else 0), labels[idx])
        opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(m.parameters(), 5); opt.step()
        step += 1
        if step % ev == 0:
            acc, per = evaluate(va); hist.append(round(acc, 3))
            if A.get('verbose'): print(step, round(loss.item(), 3), acc, per, flush=True)
        if step >= steps: break
acc, per = evaluate(va)
tracc, _ = evaluate(tr[:1000])
print(json.dumps(A), 'hist', hist, 'train', round(tracc, 3), 'final', round(acc, 3), per, f'{time.time()-t0:.0f}s', flush=True)
