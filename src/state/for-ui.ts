// Pure helpers of the lower floors that the panels use, re-exported: src/ui/ imports
// values only from src/ui/ and src/state/ (a dependency-cruiser rule), and these are
// formatters, constants and small computations with no state of their own, so they stay
// where their floor's code and tests use them and are passed through here unchanged.

// Data: text shown as text, pictures, sizes, validation reports, built-in dataset facts.
export { visibleText } from '../data/text.ts';
export { tensorToImage } from '../data/image.ts';
export { DEFAULT_LIMITS, formatBytes } from '../data/files.ts';
export { countIssues, reportToCsv } from '../data/report.ts';
export { OPENMOJI_ATTRIBUTION, OPENMOJI_LICENSE, OPENMOJI_LICENSE_URL, OPENMOJI_URL } from '../data/openmoji.ts';
export { QUESTION_KINDS } from '../data/shapes.ts';
export { taskNameOfColumn } from '../data/manifest.ts';
export { SOUND_QUESTIONS } from '../data/sounds.ts';

// Models: the choices, what each fusion is, and what a model costs.
export { CELL_KINDS, FUSION_KINDS, fusionUses } from '../models/config.ts';
export { FUSIONS } from '../models/fusion/index.ts';
export { CAPTION_EQUATIONS, modelCost } from '../models/model.ts';
export { trainingMemory } from '../models/memory.ts';

// Training: reading a run's history and a cross-validation's folds.
export { detectOverfitting } from '../train/overfitting.ts';
export { summarizeFolds } from '../train/cross-validate.ts';
export { comparisonText } from '../train/backend-race.ts';

// Ops: the training precisions by name (the Train panel's Precision).
export { PRECISIONS, PRECISION_LABELS, precisionUnavailableFor } from '../ops/precision-names.ts';
