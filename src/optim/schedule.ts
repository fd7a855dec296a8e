// Learning-rate schedules: the rate for a 0-based optimizer step. Warm-up, when set,
// ramps linearly from 0 to the base rate over `warmupSteps` and the schedule proper
// starts after it.

export type Schedule =
  | { kind: 'constant' }
  | { kind: 'step'; every: number; factor: number }
  | { kind: 'cosine'; totalSteps: number; minRate?: number }
  | { kind: 'linear'; totalSteps: number; endRate?: number };

export interface ScheduleConfig {
  baseRate: number;
  schedule: Schedule;
  warmupSteps?: number;
}

/** Learning rate at optimizer step `step` (0-based). */
export function learningRate({ baseRate, schedule, warmupSteps = 0 }: ScheduleConfig, step: number): number {
  if (warmupSteps > 0 && step < warmupSteps) return (baseRate * (step + 1)) / warmupSteps;
  const s = step - warmupSteps;
  switch (schedule.kind) {
    case 'constant':
      return baseRate;
    case 'step':
      return baseRate * schedule.factor ** Math.floor(s / Math.max(1, schedule.every));
    case 'cosine': {
      const min = schedule.minRate ?? 0;
      const t = Math.min(1, s / Math.max(1, schedule.totalSteps - warmupSteps));
      return min + (baseRate - min) * 0.5 * (1 + Math.cos(Math.PI * t));
    }
    case 'linear': {
      const end = schedule.endRate ?? 0;
      const t = Math.min(1, s / Math.max(1, schedule.totalSteps - warmupSteps));
      return baseRate + (end - baseRate) * t;
    }
  }
}
