// Workgroup counts for 1-D kernels that index with gid.x + gid.y · groups.x · WG,
// staying under the 65535-per-dimension dispatch limit.
const MAX_DIM = 65535;

export function grid1d(n: number, workgroupSize: number): [number, number] {
  const groups = Math.max(1, Math.ceil(n / workgroupSize));
  if (groups <= MAX_DIM) return [groups, 1];
  const y = Math.ceil(groups / MAX_DIM);
  return [Math.ceil(groups / y), y];
}
